package dev.nnj.api;

/**
 * The activation functions of the article, with their derivatives.
 *
 * <p>Every elementwise derivative here can be written in terms of the function's <em>output</em>
 * {@code a = f(z)}, so layers keep only {@code a} for the backward pass:
 * <pre>
 *   IDENTITY    a = z                              f'(z) = 1
 *   SIGMOID     a = 1 / (1 + e^-z)                 f'(z) = a (1 - a)
 *   TANH        a = tanh z                         f'(z) = 1 - a²
 *   RELU        a = max(0, z)                      f'(z) = 1 if a > 0 else 0     (0 at z = 0, as PyTorch)
 *   LEAKY_RELU  a = z if z > 0 else α z            f'(z) = 1 if a > 0 else α     (needs α ≥ 0)
 *   ELU         a = z if z > 0 else α (e^z - 1)    f'(z) = 1 if a > 0 else a + α (needs α ≥ 0)
 *   SOFTMAX     a_j = e^{z_j} / Σ_k e^{z_k}        ∂a_j/∂z_k = a_j (δ_jk - a_k)  (row-wise, not elementwise)
 * </pre>
 * The {@code α} of LEAKY_RELU and ELU is passed beside the enum to the backend ops.
 * Math: {@code docs/math.md#1-the-weighted-sum-and-the-activation-forward-pass}.
 */
public enum Activation {
    IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SOFTMAX;

    /** True for the functions applied to each element independently (all but SOFTMAX). */
    public boolean isElementwise() {
        return this != SOFTMAX;
    }

    /** Lower-case name as used in summaries and on the command line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
