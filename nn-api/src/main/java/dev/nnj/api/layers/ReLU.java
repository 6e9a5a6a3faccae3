package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/** The rectified linear unit {@code a = max(0, x)}, {@code f' = [a > 0]}. */
public final class ReLU extends ActivationLayer {
    /** A parameter-free relu layer. */
    public ReLU() {
        super(Activation.RELU, 0f);
    }
}
