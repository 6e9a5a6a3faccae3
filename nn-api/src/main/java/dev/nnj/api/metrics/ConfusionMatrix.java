package dev.nnj.api.metrics;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs: {@code C[i][j]} is the number of samples of true class
 * {@code i} predicted as class {@code j}, scikit-learn's {@code confusion_matrix(y_true, y_pred,
 * labels=range(classes))}. The diagonal holds the correct predictions; row sums are each class's support,
 * column sums how often each class was predicted.
 *
 * <p><b>Sample weights.</b> Made with {@link #of(int[], int[], int, double[]) sample weights}, each cell also
 * holds the sum of its samples' weights, {@code W[i][j] = Σ_{s : y_s = i, ŷ_s = j} w_s}: scikit-learn's
 * {@code confusion_matrix(y_true, y_pred, labels=range(classes), sample_weight=w)} ({@link #weights()}). The counts
 * stay counts of samples, whatever their weights; {@link #toString()} prints the weights.
 */
public final class ConfusionMatrix {
    private final int[][] counts;
    private final int total;
    /** Sums of weights per cell, or null when unweighted. */
    private final double[][] weights;
    /** Σ w of each true class's samples and of each predicted class's, summed in sample order; null unweighted. */
    private final double[] supportWeights;
    private final double[] predictedWeights;
    private final double totalWeight;

    private ConfusionMatrix(int[][] counts, int total, double[][] weights, double[] supportWeights,
            double[] predictedWeights, double totalWeight) {
        this.counts = counts;
        this.total = total;
        this.weights = weights;
        this.supportWeights = supportWeights;
        this.predictedWeights = predictedWeights;
        this.totalWeight = totalWeight;
    }

    /**
     * Counts the pairs.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classes)}
     * @param predictedLabels the predicted class of each sample, in {@code [0, classes)}, as many
     * @param classes         number of classes (≥ 1)
     * @return the matrix, {@code classes × classes}
     */
    public static ConfusionMatrix of(int[] trueLabels, int[] predictedLabels, int classes) {
        checkLabels(trueLabels, predictedLabels, classes);
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < trueLabels.length; i++) {
            counts[trueLabels[i]][predictedLabels[i]]++;
        }
        return new ConfusionMatrix(counts, trueLabels.length, null, null, null, trueLabels.length);
    }

    /**
     * Counts the pairs and sums their sample weights: {@link #weights()} is scikit-learn's
     * {@code confusion_matrix(y_true, y_pred, labels=range(classes), sample_weight=w)}.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classes)}
     * @param predictedLabels the predicted class of each sample, in {@code [0, classes)}, as many
     * @param classes         number of classes (≥ 1)
     * @param sampleWeights   one weight per sample, finite, ≥ 0 and not all 0; null for none (then this is
     *                        {@link #of(int[], int[], int)})
     * @return the matrix, {@code classes × classes}
     * @throws IllegalArgumentException as {@link #of(int[], int[], int)}, or if {@code sampleWeights} is not one
     *         finite weight ≥ 0 per sample, or all are 0, naming the length or the sample
     */
    public static ConfusionMatrix of(int[] trueLabels, int[] predictedLabels, int classes, double[] sampleWeights) {
        if (sampleWeights == null) {
            return of(trueLabels, predictedLabels, classes);
        }
        checkLabels(trueLabels, predictedLabels, classes);
        SampleWeights.check("ConfusionMatrix.of", sampleWeights, trueLabels.length);
        int[][] counts = new int[classes][classes];
        double[][] weights = new double[classes][classes];
        double[] support = new double[classes];
        double[] predicted = new double[classes];
        double total = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            double w = sampleWeights[i];
            counts[trueLabels[i]][predictedLabels[i]]++;
            weights[trueLabels[i]][predictedLabels[i]] += w;
            support[trueLabels[i]] += w;
            predicted[predictedLabels[i]] += w;
            total += w;
        }
        return new ConfusionMatrix(counts, trueLabels.length, weights, support, predicted, total);
    }

    static void checkLabels(int[] trueLabels, int[] predictedLabels, int classes) {
        if (trueLabels == null) {
            throw new NullPointerException("trueLabels");
        }
        if (predictedLabels == null) {
            throw new NullPointerException("predictedLabels");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        if (trueLabels.length != predictedLabels.length) {
            throw new IllegalArgumentException("trueLabels has " + trueLabels.length
                    + " entries but predictedLabels has " + predictedLabels.length);
        }
        if (trueLabels.length == 0) {
            throw new IllegalArgumentException("no samples: trueLabels and predictedLabels are empty");
        }
        checkRange("trueLabels", trueLabels, classes);
        checkRange("predictedLabels", predictedLabels, classes);
    }

    private static void checkRange(String name, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + labels[i] + " is not a class in [0, "
                        + classes + ")");
            }
        }
    }

    /**
     * Whether the matrix was made with sample weights.
     *
     * @return true when {@link #weights()} are sums of sample weights, false when they are the counts
     */
    public boolean isWeighted() {
        return weights != null;
    }

    /**
     * The sum of the sample weights of the samples of true class {@code trueClass} predicted as
     * {@code predictedClass}; without weights, the {@linkplain #count count}.
     *
     * @param trueClass      row
     * @param predictedClass column
     * @return the cell's weight
     */
    public double weight(int trueClass, int predictedClass) {
        return weights == null ? counts[trueClass][predictedClass] : weights[trueClass][predictedClass];
    }

    /**
     * A copy of the cells' weights, scikit-learn's {@code confusion_matrix(..., sample_weight=w)}; without weights,
     * the counts as doubles.
     *
     * @return {@code [trueClass][predictedClass]}
     */
    public double[][] weights() {
        double[][] copy = new double[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                copy[i][j] = weight(i, j);
            }
        }
        return copy;
    }

    /**
     * The sum of the weights of the samples whose true class is {@code c} (summed in sample order, as numpy's
     * {@code bincount}); without weights, the {@linkplain #support support}.
     *
     * @param c a class
     * @return its weighted support
     */
    public double supportWeight(int c) {
        return supportWeights == null ? support(c) : supportWeights[c];
    }

    /**
     * The sum of the weights of the samples predicted as class {@code c}; without weights, how often it was
     * {@linkplain #predicted predicted}.
     *
     * @param c a class
     * @return its weighted prediction count
     */
    public double predictedWeight(int c) {
        return predictedWeights == null ? predicted(c) : predictedWeights[c];
    }

    /**
     * The sum of all sample weights; without weights, the {@linkplain #total number of samples}.
     *
     * @return the total weight, &gt; 0
     */
    public double totalWeight() {
        return totalWeight;
    }

    /**
     * Number of classes.
     *
     * @return the matrix's side
     */
    public int classes() {
        return counts.length;
    }

    /**
     * Number of samples counted.
     *
     * @return the sum of all cells
     */
    public int total() {
        return total;
    }

    /**
     * Samples of true class {@code trueClass} predicted as {@code predictedClass}.
     *
     * @param trueClass      row
     * @param predictedClass column
     * @return the count
     * @throws IndexOutOfBoundsException for a class outside {@code [0, classes)}, naming it
     */
    public int count(int trueClass, int predictedClass) {
        for (int c : new int[] {trueClass, predictedClass}) {
            if (c < 0 || c >= counts.length) {
                throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + counts.length + ")");
            }
        }
        return counts[trueClass][predictedClass];
    }

    /**
     * A copy of the counts.
     *
     * @return {@code [trueClass][predictedClass]}
     */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * Samples whose true class is {@code c} (row sum).
     *
     * @param c a class
     * @return its support
     */
    public int support(int c) {
        int sum = 0;
        for (int j = 0; j < counts.length; j++) {
            sum += counts[c][j];
        }
        return sum;
    }

    /**
     * Samples predicted as class {@code c} (column sum).
     *
     * @param c a class
     * @return how often it was predicted
     */
    public int predicted(int c) {
        int sum = 0;
        for (int[] row : counts) {
            sum += row[c];
        }
        return sum;
    }

    /**
     * Correct predictions (the trace).
     *
     * @return the diagonal's sum
     */
    public int correct() {
        int sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i][i];
        }
        return sum;
    }

    /**
     * Rows are true classes, columns predicted classes, as scikit-learn prints the array; the counts, or the
     * weights (each as Python prints a float) when the matrix {@linkplain #isWeighted() is weighted}.
     */
    @Override
    public String toString() {
        String[][] cells = new String[counts.length][counts.length];
        int width = Integer.toString(counts.length - 1).length();
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                cells[i][j] = weights == null ? Integer.toString(counts[i][j])
                        : SampleWeights.pythonRepr(weights[i][j]);
                width = Math.max(width, cells[i][j].length());
            }
        }
        if (weights == null) {
            width = Math.max(width, Integer.toString(total).length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(" ".repeat(width + 6)).append("predicted\n");
        sb.append(String.format(Locale.ROOT, "%" + (width + 5) + "s", "true"));
        for (int j = 0; j < counts.length; j++) {
            sb.append(String.format(Locale.ROOT, " %" + width + "d", j));
        }
        sb.append('\n');
        for (int i = 0; i < counts.length; i++) {
            sb.append(String.format(Locale.ROOT, "%" + (width + 5) + "d", i));
            for (int j = 0; j < counts.length; j++) {
                sb.append(String.format(Locale.ROOT, " %" + width + "s", cells[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
