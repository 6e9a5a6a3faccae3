package dev.nnj.examples.custom;

import dev.nnj.api.losses.ElementwiseLoss;
import dev.nnj.api.losses.Loss;

/**
 * The Huber loss (PyTorch's {@code torch.nn.HuberLoss(delta=δ)}, mean reduction) as a user-defined loss: squared
 * error near the target, absolute error far from it, so outliers pull less.
 * <pre>
 *   d = p − y
 *   ℓ(p, y)   = ½ d²            if |d| ≤ δ
 *             = δ (|d| − ½ δ)   otherwise
 *   ∂ℓ/∂p     = clamp(d, −δ, δ)
 *   L = (1 / N C) Σ ℓ
 * </pre>
 * The example of {@code docs/extending.md}; {@link #loss(float)} gives the {@link Loss} to train with.
 */
public final class HuberLoss implements ElementwiseLoss {
    private final float delta;

    /**
     * A Huber loss with threshold {@code delta}.
     *
     * @param delta where the loss turns from quadratic to linear; finite and {@code > 0}
     * @throws IllegalArgumentException if {@code delta} is not finite and positive
     */
    public HuberLoss(float delta) {
        if (!(delta > 0f && delta <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("Huber delta must be finite and > 0, got " + delta);
        }
        this.delta = delta;
    }

    /**
     * The loss to pass to a trainer, labelled {@code huber}.
     *
     * @param delta where the loss turns from quadratic to linear; finite and {@code > 0}
     * @return the loss
     * @throws IllegalArgumentException if {@code delta} is not finite and positive
     */
    public static Loss loss(float delta) {
        return Loss.custom("huber", new HuberLoss(delta));
    }

    @Override
    public float value(float prediction, float target) {
        float d = Math.abs(prediction - target);
        return d <= delta ? 0.5f * d * d : delta * (d - 0.5f * delta);
    }

    @Override
    public float gradient(float prediction, float target) {
        float d = prediction - target;
        return d > delta ? delta : (d < -delta ? -delta : d);
    }
}
