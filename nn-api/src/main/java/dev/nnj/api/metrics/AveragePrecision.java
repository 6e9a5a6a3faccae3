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
        return new AveragePrecision(OneVsRest.of("AveragePrecision.of", "scikit-learn's average_precision_score"
                + " warns \"No positive class found in y_true\" and counts that class as 0", scores, outputs,
                trueLabels, AveragePrecision::binary));
    }

    /** The step-wise area under one class's precision-recall curve. */
    static double binary(double[] s, boolean[] positive, int positives) {
        int[] order = OneVsRest.ascending(s);
        double ap = 0;
        double previousRecall = 0;
        int tp = 0;
        int fp = 0;
        for (int i = order.length - 1; i >= 0; ) {   // from the highest score down
            int j = i;
            while (j - 1 >= 0 && s[order[j - 1]] == s[order[i]]) {
                j--;
            }
            for (int t = j; t <= i; t++) {
                if (positive[order[t]]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / (tp + fp);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }
        return ap;
    }
}
