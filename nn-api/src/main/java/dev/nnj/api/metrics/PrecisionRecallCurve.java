package dev.nnj.api.metrics;

/**
 * A binary classifier's precision-recall curve, scikit-learn's {@code precision_recall_curve(y, s)}: as the
 * threshold on the class-1 score falls through every distinct score {@code t}, calling every row scoring at least
 * {@code t} positive has
 * <pre>
 *   precision(t) = TP(t) / (TP(t) + FP(t))        recall(t) = TP(t) / P
 * </pre>
 * with {@code TP(t)} and {@code FP(t)} the weight of the positives and of the negatives scoring at least {@code t}
 * (their counts without sample weights) and {@code P} the positives' total weight. The points are in
 * scikit-learn's order: thresholds rising (recall falling), then a last point of precision 1 and recall 0 that has
 * no threshold, so {@link #thresholds()} is one shorter than the rates. Tied scores are one point, and a row of
 * weight 0 gives none.
 *
 * <p>Where the ROC curve ({@link RocCurve}) weighs the negatives by their own total, precision weighs them against
 * the positives found, so on imbalanced data (few positives) this curve shows what the ROC curve flattens: how many
 * false alarms each found positive costs. Its step-wise area is the average precision, {@link #averagePrecision()},
 * equal to {@link AveragePrecision#score()}; a classifier that guesses draws a flat line at the positives' share,
 * {@link #chanceLevel()}.
 *
 * <p>The class-1 score is a one-output model's value (a sigmoid's probability) or a two-column model's column 1, as
 * {@link RocCurve} takes it.
 */
public final class PrecisionRecallCurve {
    private final double[] precisions;
    private final double[] recalls;
    private final double[] thresholds;
    private final double chanceLevel;

    private PrecisionRecallCurve(double[] precisions, double[] recalls, double[] thresholds, double chanceLevel) {
        this.precisions = precisions;
        this.recalls = recalls;
        this.thresholds = thresholds;
        this.chanceLevel = chanceLevel;
    }

    /**
     * The precision-recall curve of a binary classifier's scores.
     *
     * @param scores        {@code (rows, outputs)} row-major outputs, finite: one column (class 1's probability) or two
     * @param outputs       1 or 2
     * @param trueLabels    each row's class, 0 or 1
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the curve
     * @throws IllegalArgumentException if {@code outputs} is not 1 or 2, the lengths disagree, a label is not 0 or 1,
     *         a score is not finite, or class 1 has no row (or no weight): recall would divide by 0
     */
    public static PrecisionRecallCurve of(float[] scores, int outputs, int[] trueLabels, double[] sampleWeights) {
        BinaryThresholds walk = BinaryThresholds.of("PrecisionRecallCurve.of", scores, outputs, trueLabels,
                sampleWeights);
        if (!(walk.positives > 0)) {
            throw new IllegalArgumentException("PrecisionRecallCurve.of: class 1 has no rows"
                    + (sampleWeights == null ? "" : " of positive weight") + ", so recall is not defined "
                    + "(scikit-learn's precision_recall_curve warns and sets it to 1)");
        }
        int m = walk.thresholds.length;
        double[] precision = new double[m + 1];
        double[] recall = new double[m + 1];
        double[] threshold = new double[m];
        for (int k = 0; k < m; k++) {   // the walk's thresholds fall; the curve's rise
            int j = m - 1 - k;
            precision[k] = walk.truePositives[j] / (walk.truePositives[j] + walk.falsePositives[j]);
            recall[k] = walk.truePositives[j] / walk.positives;
            threshold[k] = walk.thresholds[j];
        }
        precision[m] = 1;
        recall[m] = 0;
        return new PrecisionRecallCurve(precision, recall, threshold,
                walk.positives / (walk.positives + walk.negatives));
    }

    /** {@return each point's precision, the last 1; a copy} */
    public double[] precisions() {
        return precisions.clone();
    }

    /** {@return each point's recall, falling from 1 to the last point's 0; a copy} */
    public double[] recalls() {
        return recalls.clone();
    }

    /** {@return the threshold of each point but the last: the distinct scores, rising; a copy} */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** {@return the number of points: the distinct scores, and (recall 0, precision 1)} */
    public int points() {
        return precisions.length;
    }

    /**
     * The precision of a classifier that guesses: the positives' share of the rows (of the weight, with sample
     * weights), {@code P / (P + N)}, the curve's baseline.
     *
     * @return the share, in (0, 1]
     */
    public double chanceLevel() {
        return chanceLevel;
    }

    /**
     * The step-wise area under the curve, {@code AP = Σ_k (R_k − R_{k+1}) · P_k}: scikit-learn's
     * {@code average_precision_score}, and {@link AveragePrecision#score()} to the bit (summed in its order, from
     * the highest threshold down). Not the trapezoids, which interpolate precision linearly and are optimistic.
     *
     * @return the average precision, in [0, 1]
     */
    public double averagePrecision() {
        double ap = 0;
        for (int k = thresholds.length - 1; k >= 0; k--) {
            ap += (recalls[k] - recalls[k + 1]) * precisions[k];
        }
        return ap;
    }
}
