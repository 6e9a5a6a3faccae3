package dev.nnj.api.metrics;

/**
 * Area under the ROC curve (true-positive rate against false-positive rate as the threshold falls), as
 * scikit-learn's {@code roc_auc_score} computes it: the binary AUC for two classes, and one class against the
 * rest for more ({@code multi_class='ovr'}) with the macro and support-weighted averages.
 *
 * <p>For one class with {@code P} positive and {@code N} negative rows,
 * <pre>
 *   AUC = Σ_{positive i} Σ_{negative j} ([s_i &gt; s_j] + ½ [s_i = s_j]) / (P · N)
 * </pre>
 * the chance that a random positive scores above a random negative, a tie counting one half (the Mann–Whitney
 * U statistic over {@code P · N}; equal to the rank sum {@code (Σ_{positive i} rank_i − P (P + 1) / 2) / (P · N)}
 * with tied scores given their mean rank). It is computed over the scores' distinct values, ascending: each value
 * adds its positives times (the negatives below it + half its own negatives). This is the area under the
 * trapezoids scikit-learn's {@code roc_curve} draws, tied scores being one step of the curve.
 * <b>With sample weights</b> {@code w} every row counts as its weight: {@code P}, {@code N} and each pair's term
 * {@code w_i · w_j} are sums and products of weights, the AUC of scikit-learn's {@code roc_auc_score(...,
 * sample_weight=w)}, whose weighted {@code roc_curve} has the same area. Over {@code K} classes,
 * <pre>
 *   macro = Σ_c AUC_c / K          weighted = Σ_c support_c · AUC_c / N
 * </pre>
 * with {@code AUC_c} class {@code c}'s score column against the other rows, and {@code support_c} the rows of
 * class {@code c} (with weights, the sum of their weights; {@code N} the total).
 *
 * <p><b>Scores.</b> Class {@code c}'s score is output column {@code c}. A one-output (sigmoid) model's column is
 * class 1's probability {@code p}: {@link #score()} is {@code roc_auc_score(y, p)}, and class 0 is scored by
 * {@code 1 − p}. A two-column (softmax) model's {@link #score()} is {@code roc_auc_score(y, scores[:, 1])}. Class 0's
 * AUC equals class 1's when the two columns are complements, so {@link #macroAverage()} of two classes is then the
 * binary AUC.
 * scikit-learn requires multiclass scores to sum to 1 per row; nnj does not (each class's ranking needs only its
 * own column), so a softmax output matches it and other outputs are ranked as they are.
 *
 * <p><b>Every class must occur.</b> A class with no row in the true labels has no positives, and its AUC is
 * not defined: {@link #of} refuses it, as scikit-learn's
 * {@code roc_auc_score} raises "Only one class present in y_true. ROC AUC score is not defined in that case."
 * (for a binary problem, and, given {@code labels=}, for each class one-vs-rest). With weights, a class whose rows
 * all weigh 0 is refused too (scikit-learn returns NaN for it, with a warning, so its macro average is NaN, and
 * leaves it out of the support-weighted average, where it weighs 0).
 * Math: {@code docs/math.md#9-classification-metrics}.
 */
public final class RocAuc extends OneVsRestMetric {
    private RocAuc(OneVsRest scores) {
        super(scores, "ROC AUC");
    }

    /**
     * The AUC of every class against the rest.
     *
     * @param scores     {@code (rows, outputs)} row-major model outputs, finite
     * @param outputs    output columns: 1 (a sigmoid's class-1 probability) or one per class
     * @param trueLabels the true class of each row, in {@code [0, max(outputs, 2))}
     * @return the AUCs
     * @throws IllegalArgumentException if the lengths disagree, a label is not a class, a score is not finite,
     *         or a class has no row in {@code trueLabels}, naming it
     */
    public static RocAuc of(float[] scores, int outputs, int[] trueLabels) {
        return of(scores, outputs, trueLabels, null);
    }

    /**
     * The AUC of every class against the rest, each row counting as its weight: scikit-learn's
     * {@code roc_auc_score(y, p, sample_weight=w)} for two classes, {@code multi_class='ovr'} for more.
     *
     * @param scores        {@code (rows, outputs)} row-major model outputs, finite
     * @param outputs       output columns: 1 (a sigmoid's class-1 probability) or one per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the AUCs
     * @throws IllegalArgumentException if the lengths disagree, a label is not a class, a score is not finite, a
     *         weight is not finite and ≥ 0, or a class has no row in {@code trueLabels} or its rows all weigh 0,
     *         naming it
     */
    public static RocAuc of(float[] scores, int outputs, int[] trueLabels, double[] sampleWeights) {
        return new RocAuc(OneVsRest.of("RocAuc.of", "scikit-learn's roc_auc_score raises \"Only one class present in"
                + " y_true. ROC AUC score is not defined in that case.\"", scores, outputs, trueLabels,
                sampleWeights, RocAuc::binary));
    }

    /**
     * The AUC of one class: over the distinct scores, ascending, U += (positive weight of the score) · (negative
     * weight below it + half the score's own). With weights of 1 every term is a whole number or a half, so U is
     * exact and the result is the rank-sum formula's to the bit.
     */
    static double binary(double[] s, boolean[] positive, double[] weights, double positives) {
        int n = s.length;
        int[] order = OneVsRest.ascending(s);
        double u = 0;
        double negativesBelow = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) {
                j++;
            }
            double pos = 0;
            double neg = 0;
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    pos += weights[order[t]];
                } else {
                    neg += weights[order[t]];
                }
            }
            u += pos * (negativesBelow + neg / 2);
            negativesBelow += neg;
            i = j + 1;
        }
        return u / (positives * negativesBelow);
    }
}
