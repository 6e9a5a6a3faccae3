/**
 * Example programs: {@link dev.nnj.examples.DigitsTrainer}, the {@code ./digits} command line that trains
 * a multilayer perceptron on the bundled 8×8 handwritten digits (scikit-learn's {@code load_digits}) with
 * named presets, several seeds and any available backend, and the data loading it needs.
 */
package dev.nnj.examples;
