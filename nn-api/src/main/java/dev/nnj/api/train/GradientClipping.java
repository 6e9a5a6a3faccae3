package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import java.util.List;

/**
 * Gradient clipping between the backward pass and the optimizer step, as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Math: {@code docs/math.md#10-gradient-clipping}.
 *
 * <pre>
 *   by norm:   ‖g‖ = √(Σ_p Σ_i g_p[i]²)   (the global norm over every parameter's gradient)
 *              g_p ← g_p · min(1, maxNorm / (‖g‖ + 1e-6))
 *   by value:  g_p[i] ← min(max(g_p[i], -limit), limit)
 * </pre>
 *
 * <p>Everything runs as backend ops: the squared norm is accumulated on the device into a one-element tensor
 * allocated on the first {@link #apply apply} and the factor is computed there too, so a warm training step stays
 * free of allocations and of host reads. {@link #lastNorm()} reads the norm back on request only.
 *
 * <p>Used through {@link Trainer.Builder#clipGradientNorm} and {@link Trainer.Builder#clipGradientValue}, or
 * directly in a hand-written loop; not thread-safe (one training loop at a time).
 */
public final class GradientClipping implements AutoCloseable {
    private final boolean byNorm;
    private final float threshold;
    private Tensor sumOfSquares;

    private GradientClipping(boolean byNorm, float threshold) {
        this.byNorm = byNorm;
        this.threshold = threshold;
    }

    /**
     * Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_(parameters, maxNorm)} (2-norm).
     *
     * @param maxNorm the largest global norm the gradients keep; finite and {@code > 0}
     * @return the clipping
     * @throws IllegalArgumentException if {@code maxNorm} is not finite and positive
     */
    public static GradientClipping byNorm(double maxNorm) {
        return new GradientClipping(true, check("maxNorm", maxNorm));
    }

    /**
     * Clipping by value, as {@code torch.nn.utils.clip_grad_value_(parameters, limit)}.
     *
     * @param limit the largest magnitude of any gradient element; finite and {@code > 0}
     * @return the clipping
     * @throws IllegalArgumentException if {@code limit} is not finite and positive
     */
    public static GradientClipping byValue(double limit) {
        return new GradientClipping(false, check("limit", limit));
    }

    private static float check(String name, double value) {
        if (!(value > 0 && value <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("gradient clipping " + name + " must be finite and > 0, got "
                    + value);
        }
        return (float) value;
    }

    /**
     * Whether this clips by global norm (else by value).
     *
     * @return true for {@link #byNorm}
     */
    public boolean isByNorm() {
        return byNorm;
    }

    /**
     * The threshold: {@code maxNorm} or {@code limit}.
     *
     * @return the threshold
     */
    public float threshold() {
        return threshold;
    }

    /**
     * Clips the gradients of {@code parameters} in place, on their backend.
     *
     * @param backend the backend the parameters live on
     * @param parameters the parameters whose gradients are clipped (all of one model)
     * @throws IllegalArgumentException if a gradient does not live on {@code backend}
     */
    public void apply(Backend backend, List<Parameter> parameters) {
        int count = parameters.size();
        if (!byNorm) {
            for (int i = 0; i < count; i++) {
                backend.clipByValue(parameters.get(i).gradient(), threshold);
            }
            return;
        }
        if (sumOfSquares == null || sumOfSquares.isClosed() || sumOfSquares.backend() != backend) {
            close();
            sumOfSquares = backend.zeros(1);
        }
        // Pass 1: the squared global norm on the device; the first gradient sets, the others accumulate.
        for (int i = 0; i < count; i++) {
            backend.sumOfSquares(parameters.get(i).gradient(), i == 0 ? 0f : 1f, sumOfSquares);
        }
        // Pass 2: every gradient scaled by the factor the device computes from it.
        for (int i = 0; i < count; i++) {
            backend.clipByNorm(parameters.get(i).gradient(), sumOfSquares, threshold);
        }
    }

    /**
     * The global norm of the gradients before the last {@link #apply apply} by norm (one host read), as
     * {@code clip_grad_norm_} returns it.
     *
     * @return the norm, or NaN if nothing was clipped by norm yet
     */
    public double lastNorm() {
        if (sumOfSquares == null || sumOfSquares.isClosed()) {
            return Double.NaN;
        }
        return Math.sqrt(sumOfSquares.item());
    }

    /** A clipping with the same settings and no buffer, for one training run. @return the copy */
    GradientClipping fresh() {
        return new GradientClipping(byNorm, threshold);
    }

    /** Frees the one-element norm buffer; a later {@link #apply apply} allocates it again. */
    @Override
    public void close() {
        if (sumOfSquares != null) {
            sumOfSquares.close();
            sumOfSquares = null;
        }
    }

    @Override
    public String toString() {
        return byNorm ? "clip gradient norm at " + threshold : "clip gradient values at ±" + threshold;
    }
}
