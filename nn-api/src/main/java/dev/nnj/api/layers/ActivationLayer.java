package dev.nnj.api.layers;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parameter-free layer applying one activation: {@code a = f(x)}, shape {@code (N, d) → (N, d)}.
 * Backward: {@code ∂L/∂x = ∂L/∂a ⊙ f'(x)}, written from the output {@code a} (see {@link Activation});
 * for softmax, {@code ∂L/∂x_j = a_j (∂L/∂a_j − Σ_k ∂L/∂a_k a_k)} per row.
 *
 * <p>Use the named subclasses ({@link Sigmoid}, {@link ReLU}, {@link Softmax}, …) or {@code Dense(units, f)}
 * which fuses the activation into the weighted sum. What the layer computes is final: forward, backward and the
 * inference that {@code predict} runs are one function's, {@link #function()}'s, which the ONNX export writes too. An
 * activation of one's own is a {@link CustomActivationLayer}.
 */
public class ActivationLayer extends ElementwiseLayer {
    private final Activation function;
    private final float alpha;

    /**
     * A layer applying {@code function} to each row.
     *
     * @param function the activation
     * @param alpha the LEAKY_RELU slope or ELU scale, {@code >= 0}; ignored by the others
     */
    public ActivationLayer(Activation function, float alpha) {
        if (function == null) {
            throw new NullPointerException("function");
        }
        if (!Activation.isValidAlpha(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
        }
        this.function = function;
        this.alpha = alpha;
    }

    /**
     * The layer of {@code function}: its named subclass ({@link Sigmoid}, {@link Tanh}, {@link ReLU}, {@link Softmax},
     * {@link LeakyReLU}, {@link ELU}) where it has one, else an {@code ActivationLayer}; what a model file or an ONNX
     * graph is rebuilt with.
     *
     * @param function the activation
     * @param alpha    the LEAKY_RELU slope or ELU scale, {@code >= 0}; ignored by the others
     * @return a new layer
     */
    public static ActivationLayer of(Activation function, float alpha) {
        if (function == null) {
            throw new NullPointerException("function");
        }
        switch (function) {
            case SIGMOID:
                return new Sigmoid();
            case TANH:
                return new Tanh();
            case RELU:
                return new ReLU();
            case SOFTMAX:
                return new Softmax();
            case LEAKY_RELU:
                return new LeakyReLU(alpha);
            case ELU:
                return new ELU(alpha);
            default:
                return new ActivationLayer(function, alpha);
        }
    }

    @Override
    public String type() {
        return function.label();
    }

    /** {@code a = f(x)}; backward is written from {@code a}, so {@code a} is kept. */
    @Override
    final Tensor compute(Tensor input, Tensor out) {
        backend().biasActivation(input, null, function, alpha, out);
        return out;
    }

    /** {@code out = f(x)} into the caller's buffer; touches no field of the layer. */
    @Override
    public final Tensor infer(Tensor input, Tensor out) {
        checkInput("infer", input);
        backend().biasActivation(input, null, function, alpha, out);
        return out;
    }

    /** {@code ∂L/∂x = ∂L/∂a ⊙ f'(x)}, from the kept output {@code a}. */
    @Override
    final void computeInputGradient(Tensor output, Tensor outputGradient, Tensor dx) {
        backend().activationBackward(function, alpha, output, outputGradient, dx);
    }

    @Override
    public final Activation outputActivation() {
        return function;
    }

    /** The loss already gave {@code ∂L/∂x} (the fused gradient), so it passes through unchanged. */
    @Override
    public final Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient) {
        return needInputGradient ? preActivationGradient : null;
    }

    /**
     * The function this layer applies.
     *
     * @return the activation
     */
    public Activation function() {
        return function;
    }

    /**
     * The slope of LEAKY_RELU for {@code x ≤ 0} or the scale of ELU (unused by other functions).
     *
     * @return α
     */
    public float alpha() {
        return alpha;
    }

    /** {@code alpha}; the function itself is the layer's {@link #type()}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("alpha", alpha);
        return c;
    }

    @Override
    public String describe() {
        return function == Activation.LEAKY_RELU || function == Activation.ELU ? "alpha=" + alpha : "";
    }
}
