package dev.nnj.api.metrics;

import java.util.Arrays;

/**
 * A binary classifier's ROC curve: the true-positive rate against the false-positive rate as the threshold on the
 * class-1 score falls through every distinct score, scikit-learn's {@code roc_curve(y, s,
 * drop_intermediate=False)}. For a threshold {@code t},
 * <pre>
 *   TPR(t) = Σ_{i positive, s_i ≥ t} w_i / P        FPR(t) = Σ_{i negative, s_i ≥ t} w_i / N
 * </pre>
 * with {@code P} and {@code N} the positives' and negatives' total weight (their counts without sample weights). The
 * first point is (0, 0) at threshold +∞ (scikit-learn 1.3 and later write ∞ there; 1.2 wrote the top score + 1), the
 * last (1, 1) at the lowest score; tied scores are one step, and a row of weight 0 gives no point (scikit-learn leaves
 * such rows out). {@link #area()} under it, by trapezoids, is {@link RocAuc#score()}.
 *
 * <p>The class-1 score is a one-output model's value (a sigmoid's probability) or a two-column model's column 1, as
 * {@link RocAuc} takes it; a curve per class of a larger model is {@link RocAuc}'s one-vs-rest business, not this.
 */
public final class RocCurve {
    private final double[] falsePositiveRates;
    private final double[] truePositiveRates;
    private final double[] thresholds;

    private RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
        this.falsePositiveRates = fpr;
        this.truePositiveRates = tpr;
        this.thresholds = thresholds;
    }

    /**
     * The ROC curve of a binary classifier's scores.
     *
     * @param scores        {@code (rows, outputs)} row-major outputs, finite: one column (class 1's probability) or two
     * @param outputs       1 or 2
     * @param trueLabels    each row's class, 0 or 1
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the curve
     * @throws IllegalArgumentException if {@code outputs} is not 1 or 2, the lengths disagree, a label is not 0 or 1,
     *         a score is not finite, or either class has no row (or no weight): a rate would divide by 0
     */
    public static RocCurve of(float[] scores, int outputs, int[] trueLabels, double[] sampleWeights) {
        if (scores == null || trueLabels == null) {
            throw new NullPointerException(scores == null ? "scores" : "trueLabels");
        }
        if (outputs != 1 && outputs != 2) {
            throw new IllegalArgumentException("RocCurve.of: a curve of a binary classifier, 1 or 2 outputs, got "
                    + outputs + "; for more classes, RocAuc scores each one against the rest");
        }
        int rows = trueLabels.length;
        if (rows == 0 || (long) rows * outputs != scores.length) {
            throw new IllegalArgumentException("RocCurve.of: " + scores.length + " scores are not " + rows
                    + " non-empty rows of " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        double[] w = SampleWeights.check("RocCurve.of", sampleWeights, rows);
        double[] s = new double[rows];
        double positives = 0;
        double negatives = 0;
        for (int i = 0; i < rows; i++) {
            s[i] = scores[i * outputs + outputs - 1];
            if (!Double.isFinite(s[i])) {
                throw new IllegalArgumentException("RocCurve.of: the score of row " + i + " is " + s[i]
                        + "; scores must be finite");
            }
            if (trueLabels[i] != 0 && trueLabels[i] != 1) {
                throw new IllegalArgumentException("RocCurve.of: trueLabels[" + i + "] = " + trueLabels[i]
                        + " is not a class of a binary classifier (0 or 1)");
            }
            double weight = w == null ? 1 : w[i];
            positives += trueLabels[i] == 1 ? weight : 0;
            negatives += trueLabels[i] == 0 ? weight : 0;
        }
        if (!(positives > 0) || !(negatives > 0)) {
            throw new IllegalArgumentException("RocCurve.of: class " + (positives > 0 ? 0 : 1) + " has no rows"
                    + (w == null ? "" : " of positive weight") + ", so its rate is not defined (scikit-learn's "
                    + "roc_curve gives NaN for it)");
        }
        int[] order = OneVsRest.ascending(s);   // walked from the highest score down
        double[] fpr = new double[rows + 1];
        double[] tpr = new double[rows + 1];
        double[] threshold = new double[rows + 1];
        threshold[0] = Double.POSITIVE_INFINITY;
        int points = 1;
        double tp = 0;
        double fp = 0;
        for (int i = rows - 1; i >= 0; ) {
            double t = s[order[i]];
            boolean weighed = false;
            for (; i >= 0 && s[order[i]] == t; i--) {   // tied scores: one step
                double weight = w == null ? 1 : w[order[i]];
                weighed |= weight > 0;
                tp += trueLabels[order[i]] == 1 ? weight : 0;
                fp += trueLabels[order[i]] == 0 ? weight : 0;
            }
            if (weighed) {   // rows of weight 0 alone make no point, as scikit-learn leaves them out
                fpr[points] = fp / negatives;
                tpr[points] = tp / positives;
                threshold[points] = t;
                points++;
            }
        }
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(threshold, points));
    }

    /** {@return the false-positive rate of each point, from 0 up to 1; a copy} */
    public double[] falsePositiveRates() {
        return falsePositiveRates.clone();
    }

    /** {@return the true-positive rate of each point, from 0 up to 1; a copy} */
    public double[] truePositiveRates() {
        return truePositiveRates.clone();
    }

    /** {@return each point's threshold: +∞, then the distinct scores, falling; a copy} */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** {@return the number of points: the distinct scores, and (0, 0)} */
    public int points() {
        return thresholds.length;
    }

    /**
     * The area under the curve by trapezoids, {@code Σ (FPR_k − FPR_{k−1}) (TPR_k + TPR_{k−1}) / 2}: the binary
     * {@link RocAuc#score()} (a tie is a slanted step, worth half).
     *
     * @return the area, in [0, 1]
     */
    public double area() {
        double area = 0;
        for (int k = 1; k < thresholds.length; k++) {
            area += (falsePositiveRates[k] - falsePositiveRates[k - 1])
                    * (truePositiveRates[k] + truePositiveRates[k - 1]) / 2;
        }
        return area;
    }
}
