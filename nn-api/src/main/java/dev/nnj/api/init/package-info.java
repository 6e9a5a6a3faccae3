/**
 * Weight initialisers ({@link dev.nnj.api.init.Initializer}): zeros, constants, uniform and normal draws
 * scaled by fan-in and fan-out (Glorot, He), all from the model's seeded random source so runs repeat.
 */
package dev.nnj.api.init;
