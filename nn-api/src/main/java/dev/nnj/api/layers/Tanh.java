package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/** The hyperbolic tangent {@code a = tanh x}, {@code f' = 1 − a²}. */
public final class Tanh extends ActivationLayer {
    /** A parameter-free tanh layer. */
    public Tanh() {
        super(Activation.TANH, 0f);
    }
}
