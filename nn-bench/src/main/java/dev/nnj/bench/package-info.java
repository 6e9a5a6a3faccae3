/**
 * JMH benchmarks of nnj (GEMM, a dense layer, a training step, whole epochs) on every available backend,
 * the digits runs measured as users run them, and the report that sets them beside the anchors.
 */
package dev.nnj.bench;
