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
 *   LEAKY_RELU  a = z if z > 0 else α z            f'(z) = 1 if a > 0 else α     (α at z = 0, as PyTorch)
 *   ELU         a = z if z > 0 else α (e^z - 1)    f'(z) = 1 if a > 0 else a + α (α at z = 0, as PyTorch)
 *   SOFTMAX     a_j = e^{z_j} / Σ_k e^{z_k}        ∂a_j/∂z_k = a_j ([j = k] - a_k)  (row-wise)
 * </pre>
 * ReLU, leaky ReLU and ELU take the negative side when {@code z <= 0} (forward) or {@code a <= 0} (backward), so a
 * NaN takes the positive one: a NaN {@code z} stays NaN, and a NaN output passes {@code dA} through ({@code f' = 1}),
 * as PyTorch does for ReLU and ELU (its leaky ReLU gives {@code α·dA} there); see "Bad numbers" in {@link Backend}.
 * The {@code α} of LEAKY_RELU and ELU, at least 0 (the derivatives read from {@code a} need it), is passed
 * beside the enum to the backend ops.
 * Math: {@code docs/math.md#1-the-weighted-sum-and-the-activation-forward-pass}.
 */
public enum Activation {
    /** {@code a = z}: no activation, the output layer of a regression. */
    IDENTITY,
    /** {@code a = 1 / (1 + e^{-z})}: outputs in {@code (0, 1)}, paired with binary cross-entropy. */
    SIGMOID,
    /** {@code a = tanh z}: outputs in {@code (-1, 1)}. */
    TANH,
    /** {@code a = max(0, z)}. */
    RELU,
    /** {@code a = z} for {@code z > 0}, else {@code α z}. */
    LEAKY_RELU,
    /** {@code a = z} for {@code z > 0}, else {@code α (e^z - 1)}. */
    ELU,
    /** Row-wise {@code a_j = e^{z_j} / Σ_k e^{z_k}}: a probability per class, paired with categorical cross-entropy. */
    SOFTMAX;

    /**
     * True for the functions applied to each element independently (all but SOFTMAX).
     *
     * @return false only for SOFTMAX, whose output depends on the whole row
     */
    public boolean isElementwise() {
        return this != SOFTMAX;
    }

    /**
     * Whether {@code alpha} may be the LEAKY_RELU slope or the ELU scale: finite and at least 0. The derivatives
     * above are read from the output {@code a}, and only with {@code α ≥ 0} does the sign of {@code a} tell which
     * side of 0 {@code z} was on.
     *
     * @param alpha the α to check
     * @return true for a finite {@code α ≥ 0}; false for a negative one, an infinity or NaN
     */
    public static boolean isValidAlpha(float alpha) {
        return alpha >= 0 && alpha < Float.POSITIVE_INFINITY;
    }

    /**
     * Lower-case name as used in summaries and on the command line.
     *
     * @return the name in lower case, for example {@code "leaky_relu"}
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
