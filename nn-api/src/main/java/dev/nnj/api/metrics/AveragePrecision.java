package dev.nnj.api.metrics;

/**
 * Average precision, the summary of the precision-recall curve, as scikit-learn's
 * {@code average_precision_score} computes it: for one class, with the distinct scores as thresholds from the
 * highest down and {@code P_t}, {@code R_t} the precision and recall of calling every row scoring at least
 * threshold {@code t} positive,
 * <pre>
 *   AP = Σ_t (R_t − R_{t−1}) · P_t        (R_0 = 0)
 * </pre>
 * a step-wise area, not the trapezoids (which are optimistic); tied scores form one threshold. Over
 * {@code K} classes, one against the rest:
 * <pre>
 *   macro = Σ_c AP_c / K          weighted = Σ_c support_c · AP_c / N
 * </pre>
 * which scikit-learn computes as {@code average_precision_score(label_binarize(y, classes=range(K)), scores,
 * average=...)}. For two classes {@link #score()} is class 1's AP, {@code average_precision_score(y, p)}; unlike
 * the ROC AUC, class 0's AP is a different number. Scores are read as in {@link RocAuc}.
 *
 * <p><b>Sample weights.</b> With a weight per row, {@code P_t} and {@code R_t} are ratios of sums of weights (the
 * weight of the positives scoring at least {@code t} over that of all rows scoring at least {@code t}, and over
 * that of all positives), and {@code support_c} is the weight of class {@code c}'s rows:
 * {@code average_precision_score(..., sample_weight=w)}. A row weighing 0 is left out before the thresholds are
 * drawn, as scikit-learn's {@code precision_recall_curve} leaves it out, so its score is no threshold.
 *
 * <p>A class with no row in the true labels has no positives, and its recall is undefined: {@link #of} refuses
 * it. (scikit-learn warns "No positive class found in y_true, recall is set to one for all thresholds" and
 * counts that class's AP as 0, which pulls the macro average down by a class that was never scored.)
 */
public final class AveragePrecision extends OneVsRestMetric {
    private AveragePrecision(OneVsRest scores) {
        super(scores, "average precision");
    }

    /**
     * The average precision of every class against the rest.
     *
     * @param scores     {@code (rows, outputs)} row-major model outputs, finite
     * @param outputs    output columns: 1 (a sigmoid's class-1 probability) or one per class
     * @param trueLabels the true class of each row, in {@code [0, max(outputs, 2))}
     * @return the average precisions
     * @throws IllegalArgumentException if the lengths disagree, a label is not a class, a score is not finite,
     *         or a class has no row in {@code trueLabels}, naming it
     */
    public static AveragePrecision of(float[] scores, int outputs, int[] trueLabels) {
        return of(scores, outputs, trueLabels, null);
    }

    /**
     * The average precision of every class against the rest, each row counting as its weight: scikit-learn's
     * {@code average_precision_score(y, p, sample_weight=w)} for two classes, and of the one-hot labels for more.
     *
     * @param scores        {@code (rows, outputs)} row-major model outputs, finite
     * @param outputs       output columns: 1 (a sigmoid's class-1 probability) or one per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the average precisions
     * @throws IllegalArgumentException if the lengths disagree, a label is not a class, a score is not finite, a
     *         weight is not finite and ≥ 0, or a class has no row in {@code trueLabels} or its rows all weigh 0,
     *         naming it
     */
    public static AveragePrecision of(float[] scores, int outputs, int[] trueLabels, double[] sampleWeights) {
        return new AveragePrecision(OneVsRest.of("AveragePrecision.of", "scikit-learn's average_precision_score"
                + " warns \"No positive class found in y_true\" and counts that class as 0", scores, outputs,
                trueLabels, sampleWeights, AveragePrecision::binary));
    }

    /**
     * The step-wise area under one class's precision-recall curve, over {@link BinaryThresholds}' walk (rows
     * weighing 0 draw no threshold), as {@link PrecisionRecallCurve#averagePrecision()} sums it. With weights of 1
     * the sums are the counts, exactly.
     */
    static double binary(double[] s, boolean[] positive, double[] weights, double positives) {
        BinaryThresholds walk = BinaryThresholds.walk(s, positive, weights);
        double ap = 0;
        double previousRecall = 0;
        for (int k = 0; k < walk.thresholds.length; k++) {   // from the highest score down
            double recall = walk.truePositives[k] / positives;
            double precision = walk.truePositives[k] / (walk.truePositives[k] + walk.falsePositives[k]);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }
}
