package dev.nnj.api.metrics;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs: {@code C[i][j]} is the number of samples of true class
 * {@code i} predicted as class {@code j}, scikit-learn's {@code confusion_matrix(y_true, y_pred,
 * labels=range(classes))}. The diagonal holds the correct predictions; row sums are each class's support,
 * column sums how often each class was predicted.
 */
public final class ConfusionMatrix {
    private final int[][] counts;
    private final int total;

    private ConfusionMatrix(int[][] counts, int total) {
        this.counts = counts;
        this.total = total;
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
        return new ConfusionMatrix(counts, trueLabels.length);
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
     */
    public int count(int trueClass, int predictedClass) {
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

    /** Rows are true classes, columns predicted classes, as scikit-learn prints the array. */
    @Override
    public String toString() {
        int width = Integer.toString(Math.max(total, counts.length - 1)).length();
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
                sb.append(String.format(Locale.ROOT, " %" + width + "d", counts[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
