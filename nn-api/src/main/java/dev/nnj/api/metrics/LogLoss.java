package dev.nnj.api.metrics;

import dev.nnj.api.LossKind;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.spi.Checks;

/**
 * The mean negative log-probability of the true class, computed as scikit-learn's {@code log_loss} computes it,
 * clipping included. For {@code N} rows of predicted class probabilities {@code p_ik} and true classes
 * {@code y_i}:
 * <pre>
 *   q_ik = min(max(p_ik, ε), 1 − ε)                   clip every probability
 *   log loss = −(1/N) Σ_i ln( q_{i,y_i} / Σ_k q_ik )   renormalise each row, then average
 * </pre>
 * A one-output (sigmoid) model's column is class 1's probability {@code p}: it is clipped first, then the row
 * is {@code (1 − q, q)}, as scikit-learn does with a one-dimensional {@code y_pred}. Everything runs in double
 * precision on the float32 outputs, so the result is
 * {@code log_loss(y, probs.astype(numpy.float64), eps=ε, labels=range(K))} to about 1e-12.
 *
 * <p><b>The clipping ε.</b> scikit-learn 1.2's default {@code eps="auto"} is the machine epsilon of the
 * probabilities' type: {@link #FLOAT64_EPS} {@code = 2⁻⁵² = 2.220446049250313e-16} for float64 (what
 * {@code predict_proba} returns, and {@link #of(float[], int, int[])}'s default), {@link #FLOAT32_EPS}
 * {@code = 2⁻²³ = 1.1920928955078125e-7} for float32 (Keras clips at 1e-7). Pass the one your comparison
 * uses. With {@code ε = 0} nothing is clipped and a zero probability of the true class gives an infinite loss.
 * Clipping bounds each row's term by {@code −ln ε} (36.04 at float64's ε), so once a model is confidently
 * wrong on a row the figure stops growing.
 *
 * <p><b>Not the training loss.</b> nnj's cross-entropy losses ({@code Sequential.evaluate}, the history) do
 * not clip or renormalise: each row's term is {@code −max(ln p_{i,y_i}, }{@link LossKind#LOG_FLOOR}{@code )},
 * at most 100. The two agree (to float32 rounding of the rows' sums) when every true-class probability is at
 * least ε; below ε this metric counts {@code −ln ε} and the training loss counts up to 100.
 *
 * <p><b>Sample weights.</b> With a weight {@code w_i ≥ 0} per row the mean is weighted,
 * {@code log loss = −Σ_i w_i ln(q_{i,y_i} / Σ_k q_ik) / Σ_i w_i}, scikit-learn's
 * {@code log_loss(..., sample_weight=w)}; weights of 1 give the unweighted figure to the bit. A row weighing 0
 * counts for nothing, even an infinite term at {@code ε = 0} (numpy's average would make that 0 · ∞ a NaN).
 * Math: {@code docs/math.md#9-classification-metrics}.
 */
public final class LogLoss {
    /** numpy's {@code finfo(float64).eps}, {@code 2⁻⁵²}: scikit-learn's clipping of float64 probabilities. */
    public static final double FLOAT64_EPS = 0x1.0p-52;
    /** numpy's {@code finfo(float32).eps}, {@code 2⁻²³}: scikit-learn's clipping of float32 probabilities. */
    public static final double FLOAT32_EPS = 0x1.0p-23;

    private LogLoss() {
    }

    /**
     * The log loss with scikit-learn's clipping of float64 probabilities, {@link #FLOAT64_EPS}.
     *
     * @param probabilities {@code (rows, outputs)} row-major predicted probabilities
     * @param outputs       1 (class 1's probability) or one column per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @return the mean log loss, ≥ 0
     * @throws IllegalArgumentException as {@link #of(float[], int, int[], double)}
     */
    public static double of(float[] probabilities, int outputs, int[] trueLabels) {
        return of(probabilities, outputs, trueLabels, FLOAT64_EPS);
    }

    /**
     * The weighted log loss with scikit-learn's clipping of float64 probabilities, {@link #FLOAT64_EPS}:
     * {@code log_loss(y, p, sample_weight=w)}.
     *
     * @param probabilities {@code (rows, outputs)} row-major predicted probabilities
     * @param outputs       1 (class 1's probability) or one column per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the weighted mean log loss, ≥ 0
     * @throws IllegalArgumentException as {@link #of(float[], int, int[], double, double[])}
     */
    public static double of(float[] probabilities, int outputs, int[] trueLabels, double[] sampleWeights) {
        return of(probabilities, outputs, trueLabels, FLOAT64_EPS, sampleWeights);
    }

    /**
     * The log loss with probabilities clipped to {@code [eps, 1 − eps]}.
     *
     * @param probabilities {@code (rows, outputs)} row-major predicted probabilities, finite
     * @param outputs       1 (class 1's probability) or one column per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @param eps           the clipping, in {@code [0, 0.5)}
     * @return the mean log loss, ≥ 0 (infinite when {@code eps} is 0 and a true class has probability 0)
     * @throws IllegalArgumentException if the lengths disagree or are empty, a label is not a class, a
     *         probability is not finite, or {@code eps} is outside {@code [0, 0.5)}
     */
    public static double of(float[] probabilities, int outputs, int[] trueLabels, double eps) {
        return of(probabilities, outputs, trueLabels, eps, null);
    }

    /**
     * The weighted log loss with probabilities clipped to {@code [eps, 1 − eps]}:
     * {@code log_loss(y, p, eps=eps, sample_weight=w)}.
     *
     * @param probabilities {@code (rows, outputs)} row-major predicted probabilities, finite
     * @param outputs       1 (class 1's probability) or one column per class
     * @param trueLabels    the true class of each row, in {@code [0, max(outputs, 2))}
     * @param eps           the clipping, in {@code [0, 0.5)}
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the weighted mean log loss, ≥ 0 (infinite when {@code eps} is 0 and a true class of a row that
     *         weighs more than 0 has probability 0)
     * @throws IllegalArgumentException if the lengths disagree or are empty, a label is not a class, a
     *         probability is not finite, {@code eps} is outside {@code [0, 0.5)}, or the weights are not one
     *         finite weight ≥ 0 per row, not all 0
     */
    public static double of(float[] probabilities, int outputs, int[] trueLabels, double eps,
            double[] sampleWeights) {
        Checks.requireNonNull("LogLoss.of", "probabilities", probabilities);
        Checks.requireNonNull("LogLoss.of", "trueLabels", trueLabels);
        if (!(eps >= 0 && eps < 0.5)) {
            throw new IllegalArgumentException("LogLoss.of: eps must be in [0, 0.5), got " + eps
                    + "; scikit-learn's default is LogLoss.FLOAT64_EPS (2^-52) for float64 probabilities");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("LogLoss.of: outputs must be at least 1, got " + outputs);
        }
        int n = trueLabels.length;
        if (n == 0 || probabilities.length != n * outputs) {
            throw new IllegalArgumentException("LogLoss.of: " + probabilities.length + " probabilities are not " + n
                    + " non-empty rows of " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        DataChecks.requireFinite("LogLoss.of: probabilities", probabilities, outputs);
        SampleWeights.check("LogLoss.of", sampleWeights, n);
        int classes = DataChecks.classCount(outputs);
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < n; i++) {
            int y = trueLabels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("LogLoss.of: label " + y + " of row " + i
                        + " is not a class in [0, " + classes + ")");
            }
            double truth;
            double total;
            if (outputs == 1) {
                double q = clip(probabilities[i], eps);
                double q0 = 1 - q;
                truth = y == 1 ? q : q0;
                total = q0 + q;
            } else {
                truth = 0;
                total = 0;
                for (int k = 0; k < outputs; k++) {
                    double q = clip(probabilities[i * outputs + k], eps);
                    total += q;
                    if (k == y) {
                        truth = q;
                    }
                }
            }
            double w = SampleWeights.of(sampleWeights, i);
            if (w > 0) {
                sum -= w * Math.log(truth / total);
            }
            weight += w;
        }
        return sum / weight;
    }

    private static double clip(double p, double eps) {
        return Math.min(Math.max(p, eps), 1 - eps);
    }
}
