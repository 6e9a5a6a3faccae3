package dev.nnj.api;

/**
 * The loss functions a backend computes, per sample {@code i} over the {@code C} output columns, with
 * {@code p} the prediction and {@code y} the target. The batch loss is the mean over the {@code N} rows.
 * <pre>
 *   MSE                        ℓ_i = (1/C) Σ_j (p_ij - y_ij)²
 *   BINARY_CROSS_ENTROPY       ℓ_i = -(1/C) Σ_j [ y_ij log p_ij + (1 - y_ij) log(1 - p_ij) ]
 *   CATEGORICAL_CROSS_ENTROPY  ℓ_i = -Σ_j y_ij log p_ij
 * </pre>
 * These match PyTorch's {@code MSELoss}, {@code BCELoss} and, for categorical cross-entropy, {@code NLLLoss} of
 * {@code log p} (or {@code CrossEntropyLoss} of the logits before the softmax; given probabilities it would apply a
 * second softmax), all with {@code reduction='mean'}, wherever every probability is at least {@code e^-100}.
 * Logarithms are clamped below at {@link #LOG_FLOOR} (as PyTorch's {@code BCELoss} does; nnj clamps the categorical
 * one too, where {@code NLLLoss} would return infinity), so saturated finite outputs ({@code p} at or next to 0 or
 * 1) give a large finite loss, never NaN or infinity. The clamp hides no bad number: a NaN prediction gives a NaN
 * loss ({@code max(NaN, -100)} is NaN), and so does the logarithm of a negative number ({@code p < 0}, or {@code p
 * > 1} in binary cross-entropy's {@code log(1 - p)}); see "Bad numbers" in {@link Backend}.
 *
 * <p>Gradients of the mean loss with respect to {@code p}:
 * <pre>
 *   MSE                        ∂L/∂p_ij = 2 (p_ij - y_ij) / (N C)
 *   BINARY_CROSS_ENTROPY       ∂L/∂p_ij = (p_ij - y_ij) / max(p_ij (1 - p_ij), ε) / (N C)
 *   CATEGORICAL_CROSS_ENTROPY  ∂L/∂p_ij = -y_ij / max(p_ij, ε) / N
 * </pre>
 * with {@code ε =} {@link #GRAD_EPSILON}. Where sigmoid feeds binary cross-entropy, or softmax feeds
 * categorical cross-entropy, the chain rule collapses to the article's fused gradient with respect to the
 * pre-activation: {@code ∂L/∂z = (a - y) / (N C)} and {@code (a - y) / N} respectively.
 * Math: {@code docs/math.md#2-losses}, {@code docs/math.md#3-the-fused-output-gradient}.
 */
public enum LossKind {
    /** Mean squared error {@code ℓ_i = Σ_j (a_ij - y_ij)² / C}. */
    MSE,
    /** Binary cross-entropy {@code ℓ_i = -Σ_j [y log a + (1 - y) log(1 - a)] / C}, for sigmoid outputs. */
    BINARY_CROSS_ENTROPY,
    /**
     * Categorical cross-entropy {@code ℓ_i = -Σ_j y_ij log a_ij}, for softmax outputs and targets whose rows sum
     * to 1 (one-hot or smoothed labels: the fused gradient {@code (a - y) / N} needs {@code Σ_j y_ij = 1}).
     */
    CATEGORICAL_CROSS_ENTROPY;

    /** Lower bound of every logarithm in a loss value: {@code log p} is taken as {@code max(log p, -100)}. */
    public static final float LOG_FLOOR = -100f;

    /** Floor of the denominators in the cross-entropy gradients (PyTorch's {@code BCELoss} uses 1e-12). */
    public static final float GRAD_EPSILON = 1e-12f;

    /**
     * The activation whose derivative cancels against this loss's, or null.
     *
     * @return SIGMOID for binary and SOFTMAX for categorical cross-entropy, null for MSE
     */
    public Activation fusedActivation() {
        switch (this) {
            case BINARY_CROSS_ENTROPY:
                return Activation.SIGMOID;
            case CATEGORICAL_CROSS_ENTROPY:
                return Activation.SOFTMAX;
            default:
                return null;
        }
    }

    /**
     * Divisor of the fused gradient {@code (a - y) / divisor} for a batch of {@code rows x cols}.
     *
     * @param rows the batch size {@code N}
     * @param cols the outputs per sample {@code C}
     * @return {@code N} for categorical cross-entropy, {@code N · C} otherwise
     */
    public float fusedGradientDivisor(int rows, int cols) {
        return this == CATEGORICAL_CROSS_ENTROPY ? rows : (float) rows * cols;
    }
}
