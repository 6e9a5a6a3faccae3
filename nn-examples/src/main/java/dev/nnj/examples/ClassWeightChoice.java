package dev.nnj.examples;

import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code --class-weight} asks for: no weights, scikit-learn's {@code balanced} ones (computed from the
 * training split), or one weight per class. Recorded in a model file's metadata as {@link #toString()} and read
 * back with {@link #parse}, so that a resumed run weights its rows as the run it continues did.
 *
 * @param balanced whether the weights are {@link ClassWeights#balanced} of the training split
 * @param weights  the given weights, one per class; empty for none or balanced
 */
record ClassWeightChoice(boolean balanced, double[] weights) {
    /** No class weights, the default. */
    static final ClassWeightChoice NONE = new ClassWeightChoice(false, new double[0]);

    /**
     * Reads {@code none}, {@code balanced} or a comma-separated list of weights ({@code 1,5}).
     *
     * @param text the option's value
     * @return the choice
     * @throws IllegalArgumentException saying what is accepted, for anything else
     */
    static ClassWeightChoice parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("balanced")) {
            return new ClassWeightChoice(true, new double[0]);
        }
        String[] parts = t.split(",", -1);
        double[] w = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                w[i] = Converters.parseDecimal(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not balanced, none, or a weight per class such as "
                    + "1,5 (each a number of at least 0, one above 0)", e);
        }
        try {
            ClassWeights.of(w);   // the library's own checks: finite, not negative, one above 0, at least two
        } catch (IllegalArgumentException e) {
            // Numbers, but not weights: the library says which and why (1e40 is beyond a float, not "not a number").
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage() + " (a weight per class such as "
                    + "1,5, or balanced, or none)", e);
        }
        return new ClassWeightChoice(false, w);
    }

    /** Whether no class weights were asked for. */
    boolean isNone() {
        return !balanced && weights.length == 0;
    }

    /**
     * The weights for training on {@code train}.
     *
     * @param train the training split, with class targets
     * @return the weights, or null for none
     */
    ClassWeights resolve(Dataset train) {
        if (isNone()) {
            return null;
        }
        return balanced ? ClassWeights.balanced(train) : ClassWeights.of(weights);
    }

    /** {@code none}, {@code balanced}, or the weights as given, comma-separated. */
    @Override
    public String toString() {
        if (balanced) {
            return "balanced";
        }
        if (weights.length == 0) {
            return "none";
        }
        return Arrays.stream(weights).mapToObj(ClassWeightChoice::number).collect(Collectors.joining(","));
    }

    private static String number(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassWeightChoice c && balanced == c.balanced && Arrays.equals(weights, c.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(balanced) + Arrays.hashCode(weights);
    }
}
