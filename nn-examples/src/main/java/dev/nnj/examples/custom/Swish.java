package dev.nnj.examples.custom;

import dev.nnj.api.layers.CustomActivation;

/**
 * Swish (SiLU), {@code f(z) = z σ(z)} with {@code σ(z) = 1 / (1 + e^-z)}, as a user-defined activation:
 * <pre>
 *   f(z)  = z σ(z)
 *   f'(z) = σ(z) + z σ(z) (1 − σ(z))
 * </pre>
 * Use it after a linear {@code Dense}: {@code model.add(new Dense(64)).add(new CustomActivationLayer(new Swish()))}.
 * The example of {@code docs/extending.md}.
 */
public final class Swish implements CustomActivation {

    /** Creates the activation (it has no state). */
    public Swish() {
    }

    @Override
    public String name() {
        return "swish";
    }

    @Override
    public float apply(float z) {
        return z * sigmoid(z);
    }

    @Override
    public float derivative(float z) {
        float s = sigmoid(z);
        return s + z * s * (1f - s);
    }

    /** The logistic function without overflow: {@code e^-z} is only taken for {@code z ≥ 0}. */
    private static float sigmoid(float z) {
        if (z >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }
}
