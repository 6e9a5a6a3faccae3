package dev.nnj.api.metrics;

import java.util.Arrays;

/**
 * The walk both binary curves take, scikit-learn's {@code _binary_clf_curve}: a binary classifier's class-1 scores
 * checked, then every distinct score as a threshold from the highest down, with the weight of the positives and of
 * the negatives scoring at least it,
 * <pre>
 *   TP(t) = Σ_{i positive, s_i ≥ t} w_i        FP(t) = Σ_{i negative, s_i ≥ t} w_i
 * </pre>
 * ({@code w_i = 1} without sample weights, so that the sums are counts, exactly). Tied scores are one threshold; a
 * threshold of rows weighing 0 alone is left out, as scikit-learn leaves such rows out.
 */
final class BinaryThresholds {
    /** The distinct scores of rows of positive weight, falling. */
    final double[] thresholds;
    /** {@code TP(t)} at each threshold, rising. */
    final double[] truePositives;
    /** {@code FP(t)} at each threshold, rising. */
    final double[] falsePositives;
    /** The positives' total weight ({@code P}; their count without weights). */
    final double positives;
    /** The negatives' total weight ({@code N}). */
    final double negatives;

    private BinaryThresholds(double[] thresholds, double[] truePositives, double[] falsePositives,
                             double positives, double negatives) {
        this.thresholds = thresholds;
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * Checks a binary classifier's scores and walks their thresholds.
     *
     * @param method        the public method, for messages
     * @param scores        {@code (rows, outputs)} row-major outputs, finite: one column (class 1's probability) or
     *                      two (class 1's is the second)
     * @param outputs       1 or 2
     * @param trueLabels    each row's class, 0 or 1
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the thresholds and their sums
     * @throws IllegalArgumentException if {@code outputs} is not 1 or 2, the lengths disagree, a label is not 0 or 1,
     *         a score is not finite or a weight is not valid
     */
    static BinaryThresholds of(String method, float[] scores, int outputs, int[] trueLabels,
                               double[] sampleWeights) {
        if (scores == null || trueLabels == null) {
            throw new NullPointerException(scores == null ? "scores" : "trueLabels");
        }
        if (outputs != 1 && outputs != 2) {
            throw new IllegalArgumentException(method + ": a curve of a binary classifier, 1 or 2 outputs, got "
                    + outputs + "; for more classes, RocAuc and AveragePrecision score each one against the rest");
        }
        int rows = trueLabels.length;
        if (rows == 0 || (long) rows * outputs != scores.length) {
            throw new IllegalArgumentException(method + ": " + scores.length + " scores are not " + rows
                    + " non-empty rows of " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        double[] w = SampleWeights.check(method, sampleWeights, rows);
        double[] s = new double[rows];
        boolean[] positive = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            s[i] = scores[i * outputs + outputs - 1];
            if (!Double.isFinite(s[i])) {
                throw new IllegalArgumentException(method + ": the score of row " + i + " is " + s[i]
                        + "; scores must be finite");
            }
            if (trueLabels[i] != 0 && trueLabels[i] != 1) {
                throw new IllegalArgumentException(method + ": trueLabels[" + i + "] = " + trueLabels[i]
                        + " is not a class of a binary classifier (0 or 1)");
            }
            positive[i] = trueLabels[i] == 1;
        }
        return walk(s, positive, w);
    }

    /**
     * The walk itself, on scores already read and checked: also {@link AveragePrecision}'s, one class against the
     * rest at a time.
     *
     * @param s        each row's score
     * @param positive whether each row is of the positive class
     * @param w        each row's weight, or null when every row weighs 1
     * @return the thresholds and their sums; the totals are the sums past the lowest score
     */
    static BinaryThresholds walk(double[] s, boolean[] positive, double[] w) {
        int rows = s.length;
        int[] order = OneVsRest.ascending(s);   // walked from the highest score down
        double[] threshold = new double[rows];
        double[] truePositives = new double[rows];
        double[] falsePositives = new double[rows];
        int points = 0;
        double tp = 0;
        double fp = 0;
        for (int i = rows - 1; i >= 0; ) {
            double t = s[order[i]];
            boolean weighed = false;
            for (; i >= 0 && s[order[i]] == t; i--) {   // tied scores: one threshold
                double weight = w == null ? 1 : w[order[i]];
                weighed |= weight > 0;
                if (positive[order[i]]) {
                    tp += weight;
                } else {
                    fp += weight;
                }
            }
            if (weighed) {
                threshold[points] = t;
                truePositives[points] = tp;
                falsePositives[points] = fp;
                points++;
            }
        }
        return new BinaryThresholds(Arrays.copyOf(threshold, points), Arrays.copyOf(truePositives, points),
                Arrays.copyOf(falsePositives, points), tp, fp);
    }
}
