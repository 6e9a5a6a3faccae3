package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/**
 * Exponential linear unit {@code a = x if x > 0 else α (e^x − 1)}, {@code f' = 1 if a > 0 else a + α} (read from the
 * output: {@code a + α = α e^x}); α defaults to 1.
 */
public final class ELU extends ActivationLayer {
    /** With the default α (1). */
    public ELU() {
        this(1f);
    }

    /**
     * An ELU with scale {@code α}.
     *
     * @param alpha the scale α of the negative part, {@code >= 0}
     */
    public ELU(float alpha) {
        super(Activation.ELU, alpha);
    }
}
