package dev.nnj.api.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * A weight per class for training on imbalanced classes, as Keras's {@code fit(class_weight=…)} and scikit-learn's
 * {@code class_weight}: each training row's loss counts {@code w_c} times, {@code c} its class, so
 * <pre>
 *   L = (1/N) Σ_i w_{c(i)} ℓ_i        ∂L/∂θ = (1/N) Σ_i w_{c(i)} ∂ℓ_i/∂θ
 * </pre>
 * over a batch of {@code N} rows (Keras's reduction: divided by the rows, not by the weights' sum). A class the
 * model misses too often gets a larger weight; {@link #balanced} gives scikit-learn's {@code "balanced"} weights.
 * The weights change the gradient only: the losses a training reports (its own and the validation set's) stay the
 * plain mean, comparable with an unweighted run's.
 *
 * <p>Class {@code c} of a row is the one its targets mark: the column of a one-hot row's 1, or for a single
 * 0/1 target (a sigmoid output), 0 or 1 ({@link DataChecks#classOfRow}). Used through
 * {@link dev.nnj.api.train.Trainer.Builder#classWeights} or, in a hand-written loop, a
 * {@link dev.nnj.api.model.BatchLoader#BatchLoader(dev.nnj.api.Backend, Dataset, int, boolean, long, float[])
 * BatchLoader} given {@link #rowWeights(Dataset)}.
 */
public final class ClassWeights {
    private final float[] weights;

    private ClassWeights(float[] weights) {
        this.weights = weights;
    }

    /**
     * The given weights, {@code weights[c]} for class {@code c}.
     *
     * @param weights one per class, finite and not negative, at least one above 0
     * @return the weights
     * @throws IllegalArgumentException naming a weight that is negative, not finite or beyond the float range, or when
     *         all are 0 or there are fewer than two
     */
    public static ClassWeights of(double... weights) {
        if (weights.length < 2) {
            throw new IllegalArgumentException("class weights: one per class, at least 2, got " + weights.length);
        }
        float[] w = new float[weights.length];
        boolean anyPositive = false;
        for (int c = 0; c < weights.length; c++) {
            double v = weights[c];
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("class weights: the weight of class " + c
                        + " must be a finite number of at least 0, got " + v);
            }
            if ((float) v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("class weights: the weight of class " + c + ", " + v
                        + ", is beyond the float range (at most about 3.4e38)");
            }
            w[c] = (float) v;
            anyPositive |= w[c] > 0;
        }
        if (!anyPositive) {
            throw new IllegalArgumentException("class weights: at least one must be above 0, got "
                    + Arrays.toString(weights));
        }
        return new ClassWeights(w);
    }

    /**
     * scikit-learn's {@code class_weight="balanced"}: {@code w_c = N / (C · n_c)} for {@code N} rows, {@code C}
     * classes present in the rows and {@code n_c} rows of class {@code c}, so that every class carries the same
     * total weight, {@code N / C}. A class with no rows (an output no training row marks) is left out of {@code C},
     * as {@code compute_class_weight} counts only the classes of {@code y}, and gets weight 1, which no row uses;
     * counting it would scale every weight, and so the steps, by {@code C_present / C}.
     *
     * @param train the training set, with class targets
     * @return the weights
     * @throws IllegalArgumentException if the targets are not classes ({@link Dataset#hasClassTargets()})
     */
    public static ClassWeights balanced(Dataset train) {
        requireClasses(train);
        int classes = DataChecks.classCount(train.targetCount());
        long[] counts = new long[classes];
        for (int c : DataChecks.classesOfRows(train.targets(), train.targetCount())) {
            counts[c]++;
        }
        int present = 0;
        for (long count : counts) {
            present += count > 0 ? 1 : 0;
        }
        double[] w = new double[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 1 : (double) train.size() / ((double) present * counts[c]);
        }
        return of(w);
    }

    /**
     * Number of classes.
     *
     * @return the number of weights
     */
    public int classes() {
        return weights.length;
    }

    /**
     * The weight of class {@code c}.
     *
     * @param c a class, in {@code 0 .. classes() - 1}
     * @return its weight
     * @throws IndexOutOfBoundsException for a class outside {@code [0, classes())}, naming it
     */
    public float weight(int c) {
        if (c < 0 || c >= weights.length) {
            throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + weights.length + ")");
        }
        return weights[c];
    }

    /**
     * Each row's weight, {@code w_{c(i)}}, after checking that the data's classes are these weights' classes.
     *
     * @param data rows with class targets
     * @return one weight per row
     * @throws IllegalArgumentException if the targets are not classes, or they have another number of classes
     */
    public float[] rowWeights(Dataset data) {
        requireClasses(data);
        int classes = DataChecks.classCount(data.targetCount());
        if (classes != weights.length) {
            throw new IllegalArgumentException("class weights: " + weights.length + " weights for data with "
                    + classes + " classes");
        }
        int[] rowClasses = DataChecks.classesOfRows(data.targets(), data.targetCount());
        float[] rowWeights = new float[rowClasses.length];
        for (int i = 0; i < rowClasses.length; i++) {
            rowWeights[i] = weights[rowClasses[i]];
        }
        return rowWeights;
    }

    private static void requireClasses(Dataset data) {
        if (!data.hasClassTargets()) {
            throw new IllegalArgumentException("class weights need class targets (one-hot rows, or 0/1 for one "
                    + "output); these targets are not classes");
        }
    }

    /** The weights, as {@code "class weights [0.55, 5.3]"}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("class weights [");
        for (int c = 0; c < weights.length; c++) {
            s.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", weights[c]));
        }
        return s.append(']').toString();
    }
}
