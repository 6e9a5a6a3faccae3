package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/** The row-wise softmax {@code a_j = e^{x_j} / Σ_k e^{x_k}} (computed with the row maximum subtracted, so it never overflows). */
public final class Softmax extends ActivationLayer {
    /** A parameter-free softmax layer. */
    public Softmax() {
        super(Activation.SOFTMAX, 0f);
    }
}
