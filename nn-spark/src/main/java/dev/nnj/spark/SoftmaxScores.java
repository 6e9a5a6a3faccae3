package dev.nnj.spark;

/**
 * A classifier's outputs from its logits, in double: the log-probabilities {@code log p_c = z_c − logsumexp(z)}
 * ({@code rawPrediction}) and the probabilities {@code p_c = exp(log p_c)} ({@code probability}).
 * <pre>
 *   m = max_j z_j,   logsumexp(z) = m + ln Σ_j exp(z_j − m)       (no overflow: every exponent is ≤ 0)
 * </pre>
 * Taken from float32 probabilities instead, a confident row's {@code p} rounds to exactly 1 (from {@code z_1 − z_0}
 * above about 17), its log to 0, and rows that the logits rank apart tie: {@code BinaryClassificationEvaluator}'s
 * area under the ROC curve then comes out lower than the model's. In double the logs keep the logits' order.
 */
final class SoftmaxScores {
    private SoftmaxScores() {
    }

    /**
     * Row {@code row}'s log-probabilities.
     *
     * @param logits  {@code (rows, classes)} logits, row-major
     * @param row     the row
     * @param classes the classes per row
     * @return {@code classes} values {@code log p_c}
     */
    static double[] logProbabilities(float[] logits, int row, int classes) {
        int base = row * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[base + c] - max);
        }
        double logSumExp = max + Math.log(sum);
        double[] logP = new double[classes];
        for (int c = 0; c < classes; c++) {
            logP[c] = logits[base + c] - logSumExp;
        }
        return logP;
    }

    /**
     * The probabilities of {@link #logProbabilities}' values: {@code p_c = exp(log p_c)}, summing to 1 to double
     * precision.
     *
     * @param logP log-probabilities
     * @return the probabilities
     */
    static double[] probabilities(double[] logP) {
        double[] p = new double[logP.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logP[c]);
        }
        return p;
    }
}
