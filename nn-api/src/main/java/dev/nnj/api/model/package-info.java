/**
 * Models: {@link dev.nnj.api.model.Sequential} names its layers and parameters ({@code dense_1.weight}),
 * runs forward and backward passes, predicts and evaluates ({@link dev.nnj.api.model.Evaluation}), and
 * exposes every parameter as {@code float[]} for saving, loading and tests; {@link dev.nnj.api.model.GradientCheck}
 * compares its backward pass with finite differences of its loss.
 */
package dev.nnj.api.model;
