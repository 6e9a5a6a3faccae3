package dev.nnj.api.metrics;

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
        BinaryThresholds walk = BinaryThresholds.of("RocCurve.of", scores, outputs, trueLabels, sampleWeights);
        if (!(walk.positives > 0) || !(walk.negatives > 0)) {
            throw new IllegalArgumentException("RocCurve.of: class " + (walk.positives > 0 ? 0 : 1) + " has no rows"
                    + (sampleWeights == null ? "" : " of positive weight") + ", so its rate is not defined "
                    + "(scikit-learn's roc_curve gives NaN for it)");
        }
        int points = walk.thresholds.length + 1;   // and (0, 0) at +∞
        double[] fpr = new double[points];
        double[] tpr = new double[points];
        double[] threshold = new double[points];
        threshold[0] = Double.POSITIVE_INFINITY;
        for (int k = 1; k < points; k++) {
            fpr[k] = walk.falsePositives[k - 1] / walk.negatives;
            tpr[k] = walk.truePositives[k - 1] / walk.positives;
            threshold[k] = walk.thresholds[k - 1];
        }
        return new RocCurve(fpr, tpr, threshold);
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
