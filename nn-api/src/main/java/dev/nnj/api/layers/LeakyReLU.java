package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/** Leaky ReLU {@code a = x if x > 0 else α x}, {@code f' = 1 if a > 0 else α}; α defaults to 0.01 as in PyTorch. */
public final class LeakyReLU extends ActivationLayer {
    /** With the default α (0.01). */
    public LeakyReLU() {
        this(0.01f);
    }

    /**
     * A leaky ReLU with slope {@code α} for {@code z ≤ 0}.
     *
     * @param alpha the slope α for negative inputs, {@code >= 0}
     */
    public LeakyReLU(float alpha) {
        super(Activation.LEAKY_RELU, alpha);
    }
}
