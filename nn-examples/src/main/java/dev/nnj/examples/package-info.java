/**
 * Example programs: {@link dev.nnj.examples.DigitsTrainer}, the {@code ./digits} command line that trains
 * a multilayer perceptron on the bundled 8×8 handwritten digits (scikit-learn's {@code load_digits}) with
 * named presets, several seeds and any available backend, and the data loading it needs; and the examples the
 * documentation shows verbatim: {@link dev.nnj.examples.QuickStart}, {@link dev.nnj.examples.ArticleNetwork} and
 * {@link dev.nnj.examples.RegressionExample} (README), {@link dev.nnj.examples.Backprop} (one training step by hand
 * and a gradient check, docs/math.md).
 */
package dev.nnj.examples;
