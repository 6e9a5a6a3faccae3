package dev.nnj.api.losses;

/**
 * The regression losses that pull less on outliers than the squared error, as {@link ElementwiseLoss} terms: what
 * {@link Loss#huber} and {@link Loss#meanAbsoluteError} train with, through the backends' generic elementwise ops.
 * For {@code d = p − y}, mean over the {@code N C} elements as {@code L = (1 / N C) Σ ℓ}:
 * <pre>
 *   Huber (δ):  ℓ = ½ d²           if |d| ≤ δ        ∂ℓ/∂p = clamp(d, −δ, δ)
 *                 = δ (|d| − ½ δ)  otherwise
 *   absolute:   ℓ = |d|                               ∂ℓ/∂p = sign(d), 0 at d = 0
 * </pre>
 * PyTorch's {@code HuberLoss(delta=δ)} and {@code L1Loss()} with their default mean reduction, gradient included
 * (PyTorch's L1 gradient is also 0 where the prediction equals the target).
 */
final class RobustLosses {
    private RobustLosses() {
    }

    /** The Huber term with threshold {@code delta}: quadratic within it, linear beyond. */
    static final class Huber implements ElementwiseLoss {
        private final float delta;

        Huber(float delta) {
            if (!(delta > 0f && delta <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException("huber: delta must be finite and > 0, got " + delta);
            }
            this.delta = delta;
        }

        /** {@return e.g. {@code huber(delta=0.5)}: the δ a summary would otherwise leave out} */
        @Override
        public String toString() {
            return "huber(delta=" + delta + ")";
        }

        @Override
        public float value(float prediction, float target) {
            float d = Math.abs(prediction - target);
            return d <= delta ? 0.5f * d * d : delta * (d - 0.5f * delta);
        }

        @Override
        public float gradient(float prediction, float target) {
            float d = prediction - target;
            return d > delta ? delta : d < -delta ? -delta : d;
        }
    }

    /** The absolute error, {@code |p − y|}. */
    static final class Absolute implements ElementwiseLoss {
        @Override
        public float value(float prediction, float target) {
            return Math.abs(prediction - target);
        }

        @Override
        public float gradient(float prediction, float target) {
            return Math.signum(prediction - target);
        }
    }
}
