package dev.nnj.api.losses;

/**
 * A user-defined loss that is a mean of one term per element, {@code L = (1 / N C) Σ_i Σ_j ℓ(p_ij, y_ij)} over
 * a batch of {@code N} rows and {@code C} outputs (as PyTorch's losses with {@code reduction='mean'}), plugged in
 * with {@link Loss#custom Loss.custom}. The per-sample loss is {@code ℓ_i = (1 / C) Σ_j ℓ(p_ij, y_ij)}, so the value is
 * comparable with {@link Loss#meanSquaredError()}'s.
 *
 * <p>Both methods must be pure (no state; a backend may call them in any order) and agree: {@link #gradient}
 * is {@code ∂ℓ/∂p}. Check them with the conformance suite's {@code FiniteDifferences.checkLoss}. Example, the
 * Huber loss of {@code docs/extending.md}:
 * <pre>{@code
 * ElementwiseLoss huber = new ElementwiseLoss() {
 *     public float value(float p, float y) {
 *         float d = Math.abs(p - y);
 *         return d <= 1f ? 0.5f * d * d : d - 0.5f;
 *     }
 *     public float gradient(float p, float y) {
 *         return Math.max(-1f, Math.min(1f, p - y));
 *     }
 * };
 * Loss loss = Loss.custom("huber", huber);
 * }</pre>
 */
public interface ElementwiseLoss {

    /**
     * One term of the loss.
     *
     * @param prediction the model's output {@code p}
     * @param target the target {@code y}
     * @return {@code ℓ(p, y)}
     */
    float value(float prediction, float target);

    /**
     * The term's derivative with respect to the prediction.
     *
     * @param prediction the model's output {@code p}
     * @param target the target {@code y}
     * @return {@code ∂ℓ(p, y)/∂p}
     */
    float gradient(float prediction, float target);
}
