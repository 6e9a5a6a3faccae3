package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/**
 * The row-wise softmax {@code a_j = e^{x_j} / Σ_k e^{x_k}} (computed with the row maximum subtracted, so it never
 * overflows). Its backward pass multiplies by the row's Jacobian, {@code ∂a_j/∂x_k = a_j ([j = k] − a_k)}, so
 * {@code δx_k = a_k (δa_k − Σ_j δa_j a_j)}; followed by categorical cross-entropy, the model skips it and starts
 * from the fused gradient {@code (a − y) / N} instead (docs/math.md, section 3).
 */
public final class Softmax extends ActivationLayer {
    /** A parameter-free softmax layer. */
    public Softmax() {
        super(Activation.SOFTMAX, 0f);
    }
}
