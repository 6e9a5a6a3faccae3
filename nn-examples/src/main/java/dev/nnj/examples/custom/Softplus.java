package dev.nnj.examples.custom;

import dev.nnj.api.layers.CustomActivation;

/**
 * Softplus, a smooth ReLU, as a user-defined activation:
 * <pre>
 *   f(z)  = ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|)     (the right-hand form never overflows)
 *   f'(z) = σ(z) = 1 / (1 + e^-z)
 * </pre>
 * The example of {@code docs/extending.md}.
 */
public final class Softplus implements CustomActivation {

    /** Creates the activation (it has no state). */
    public Softplus() {
    }

    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public float apply(float z) {
        return (float) (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
    }

    @Override
    public float derivative(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
