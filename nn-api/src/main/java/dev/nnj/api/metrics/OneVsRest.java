package dev.nnj.api.metrics;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.spi.Checks;
import java.util.Arrays;

/**
 * A ranking metric of one class against the rest, for every class, with its macro and support-weighted
 * averages: what {@link RocAuc} and {@link AveragePrecision} share. Class {@code c}'s score of row {@code i} is
 * output column {@code c}; a one-output (sigmoid) model's column is class 1's probability {@code p}, and class
 * 0's score is {@code 1 − p} (exact in double precision, so no new ties appear).
 *
 * <p>With sample weights, each binary metric counts a row as its weight (a count of rows becomes a sum of weights)
 * and the weighted average weighs each class by the sum of the weights of its rows, as scikit-learn's
 * {@code _average_binary_score} with {@code sample_weight}. Without weights every row weighs 1.
 */
final class OneVsRest {
    /** A binary ranking metric: scores, which rows are positive, every row's weight and the positives' total. */
    interface BinaryMetric {
        double of(double[] scores, boolean[] positive, double[] weights, double positives);
    }

    private final double[] perClass;
    /** Σ w of each class's rows. */
    private final double[] support;

    private OneVsRest(double[] perClass, double[] support) {
        this.perClass = perClass;
        this.support = support;
    }

    /**
     * Checks the arguments and scores every class.
     *
     * @param what     the caller, for messages ({@code "RocAuc.of"})
     * @param sklearn  what scikit-learn does when a class has no rows in the true labels, for the message
     */
    static OneVsRest of(String what, String sklearn, float[] scores, int outputs, int[] trueLabels,
            double[] sampleWeights, BinaryMetric metric) {
        Checks.requireNonNull(what, "scores", scores);
        Checks.requireNonNull(what, "trueLabels", trueLabels);
        if (outputs < 1) {
            throw new IllegalArgumentException(what + ": outputs must be at least 1, got " + outputs);
        }
        int n = trueLabels.length;
        if (n == 0 || scores.length != n * outputs) {
            throw new IllegalArgumentException(what + ": " + scores.length + " scores are not " + n
                    + " non-empty rows of " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        DataChecks.requireFinite(what + ": scores", scores, outputs);
        SampleWeights.check(what, sampleWeights, n);
        int classes = DataChecks.classCount(outputs);
        int[] rows = new int[classes];
        double[] support = new double[classes];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            int y = trueLabels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(what + ": label " + y + " of row " + i + " is not a class in [0, "
                        + classes + ")");
            }
            rows[y]++;
            weights[i] = SampleWeights.of(sampleWeights, i);
            support[y] += weights[i];
        }
        // Every class has rows, so each also has negatives: the rows of the other classes.
        for (int c = 0; c < classes; c++) {
            if (rows[c] == 0) {
                throw new IllegalArgumentException(what + ": class " + c + " has no rows in the true labels, so it"
                        + " has no positives to rank against the rest and its score is not defined; " + sklearn
                        + ". Score a split that holds every class (TrainTestSplit.stratified keeps each class's"
                        + " share), or score the classes that occur yourself from Predictions.scores()");
            }
        }
        for (int c = 0; c < classes; c++) {
            if (support[c] == 0) {
                throw new IllegalArgumentException(what + ": the " + rows[c] + " row" + (rows[c] == 1 ? "" : "s")
                        + " of class " + c + " in the true labels all weigh 0, so it has no positives to rank"
                        + " against the rest and its score is not defined (scikit-learn warns and scores it NaN or"
                        + " 0, which its macro average takes in and its support-weighted one leaves out); give them"
                        + " weight or score without the class");
            }
        }
        double[] perClass = new double[classes];
        double[] s = new double[n];
        boolean[] positive = new boolean[n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                s[i] = outputs == 1 ? (c == 1 ? scores[i] : 1.0 - scores[i]) : scores[i * outputs + c];
                positive[i] = trueLabels[i] == c;
            }
            perClass[c] = metric.of(s, positive, weights, support[c]);
        }
        return new OneVsRest(perClass, support);
    }

    int classes() {
        return perClass.length;
    }

    double forClass(int c) {
        if (c < 0 || c >= perClass.length) {
            throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + perClass.length + ")");
        }
        return perClass[c];
    }

    double[] perClass() {
        return perClass.clone();
    }

    /** Σ_c score_c / K, as numpy's {@code average}. */
    double macro() {
        double sum = 0;
        for (double v : perClass) {
            sum += v;
        }
        return sum / perClass.length;
    }

    /** Σ_c support_c · score_c / Σ_c support_c, as numpy's {@code average(weights=support)}. */
    double weighted() {
        double sum = 0;
        double total = 0;
        for (int c = 0; c < perClass.length; c++) {
            sum += support[c] * perClass[c];
            total += support[c];
        }
        return sum / total;
    }

    /** Row indices ordered by ascending score. */
    static int[] ascending(double[] scores) {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(scores[a], scores[b]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /**
     * The scores as a line: {@code "ROC AUC 0.9983 (class 1 against class 0)"} for two classes, {@code "ROC AUC
     * 0.9989 macro, 0.9990 weighted (one-vs-rest over 3 classes)"} for more.
     *
     * @param metric the metric's name
     * @return the line
     */
    String describe(String metric) {
        if (classes() == 2) {
            return String.format(java.util.Locale.ROOT, "%s %.4f (class 1 against class 0)", metric, forClass(1));
        }
        return String.format(java.util.Locale.ROOT, "%s %.4f macro, %.4f weighted (one-vs-rest over %d classes)",
                metric, macro(), weighted(), classes());
    }
}
