package dev.nnj.api.layers;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.spi.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fully connected layer with an optional activation, the article's weighted sum {@code z = x·W + b}
 * followed by {@code a = f(z)}.
 *
 * <pre>
 *   input   x   (N, in)       the previous layer's output a⁽ˡ⁻¹⁾ (or the data X)
 *   weight  W   (in, out)     named {@code <name>.weight}
 *   bias    b   (out)         named {@code <name>.bias}
 *   output  a   (N, out)      a = f(x·W + b)
 * </pre>
 *
 * Backward, by the chain rule, from {@code δ = ∂L/∂a}:
 * <pre>
 *   ∂L/∂z = δ ⊙ f'(z)          elementwise activations
 *   ∂L/∂z_j = a_j (δ_j − Σ_k δ_k a_k)   per row, for SOFTMAX (its Jacobian is not diagonal)
 *                              (both skipped when the loss supplies ∂L/∂z directly,
 *                              see {@link #backwardFromPreActivation})
 *   ∂L/∂W = xᵀ · ∂L/∂z         (in, out)   no 1/N here: ∂L/∂z already carries the batch mean's 1/N,
 *   ∂L/∂b = Σ_rows ∂L/∂z       (out)       put there by the loss (the article's dW = (1/m) aᵀ dz)
 *   ∂L/∂x = ∂L/∂z · Wᵀ         (N, in)
 * </pre>
 * The bias add and the activation run as one fused op; only {@code x} and {@code a} are kept for backward,
 * since every activation's derivative can be written from its output (see {@link Activation}).
 * Math: {@code docs/math.md#1-the-weighted-sum-and-the-activation-forward-pass},
 * {@code docs/math.md#4-backpropagation-the-chain-rule-layer-by-layer}.
 */
public final class Dense extends AbstractLayer {
    private final int units;
    private final Activation activation;
    private final float alpha;
    private final Initializer weightInit;
    private final Initializer biasInit;

    private Parameter weight;
    private Parameter bias;
    private BatchBuffers outputs;
    private BatchBuffers preActivationGradients;
    private BatchBuffers inputGradients;
    // x and a = f(x·W + b) of the last forward, which backward reads: ∂L/∂W from x, f' from a.
    private final KeptTensor lastInput = new KeptTensor();
    private final KeptTensor lastOutput = new KeptTensor();

    /**
     * A linear layer ({@code f} = identity) with Glorot-uniform weights and zero bias.
     *
     * @param units the number of outputs, at least 1
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units) {
        this(units, Activation.IDENTITY);
    }

    /**
     * Glorot-uniform weights and zero bias, Keras' defaults for {@code Dense}.
     *
     * @param units the number of outputs, at least 1
     * @param activation the function applied to {@code x·W + b}
     * @throws IllegalArgumentException if {@code units < 1}
     * @throws NullPointerException if {@code activation} is null
     */
    public Dense(int units, Activation activation) {
        this(units, activation, Initializer.glorotUniform(), Initializer.zeros());
    }

    /**
     * A layer with the given initializers; {@code α} of LEAKY_RELU and ELU is 0.01 and 1.
     *
     * @param units the number of outputs, at least 1
     * @param activation the function applied to {@code x·W + b}
     * @param weightInit the initializer of the {@code (in, units)} weights
     * @param biasInit the initializer of the {@code units} biases
     * @throws IllegalArgumentException if {@code units < 1}
     * @throws NullPointerException if the activation or an initializer is null
     */
    public Dense(int units, Activation activation, Initializer weightInit, Initializer biasInit) {
        this(units, activation, defaultAlpha(activation), weightInit, biasInit);
    }

    /**
     * A dense layer whose leaky ReLU or ELU has the given {@code α}.
     *
     * @param units the number of outputs, at least 1
     * @param activation the function applied to {@code x·W + b}
     * @param alpha slope of LEAKY_RELU for {@code z ≤ 0} or scale of ELU, finite and at least 0
     *        ({@link Activation#isValidAlpha}); ignored by other activations
     * @param weightInit the initializer of the {@code (in, units)} weights
     * @param biasInit the initializer of the {@code units} biases
     * @throws IllegalArgumentException if {@code units < 1}, or {@code alpha} is negative or not finite (whatever
     *         the activation)
     * @throws NullPointerException if the activation or an initializer is null
     */
    public Dense(int units, Activation activation, float alpha, Initializer weightInit, Initializer biasInit) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        Checks.requireNonNull("Dense", "activation", activation);
        Checks.requireNonNull("Dense", "weightInit", weightInit);
        Checks.requireNonNull("Dense", "biasInit", biasInit);
        if (!Activation.isValidAlpha(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and >= 0 (derivatives are taken from the "
                    + "output), got " + alpha);
        }
        this.units = units;
        this.activation = activation;
        this.alpha = alpha;
        this.weightInit = weightInit;
        this.biasInit = biasInit;
    }

    private static float defaultAlpha(Activation activation) {
        return activation == Activation.LEAKY_RELU ? 0.01f : 1.0f;
    }

    @Override
    public String type() {
        return "dense";
    }

    @Override
    protected int createParameters(Random random) {
        MemoryPlan.requireDenseParameters(backend(), name(), inputWidth(), units);   // before any allocation
        float[] w = new float[inputWidth() * units];
        weightInit.fill(w, inputWidth(), units, random);
        float[] b = new float[units];
        biasInit.fill(b, inputWidth(), units, random);
        weight = new Parameter(name() + ".weight", backend().tensor(w, inputWidth(), units),
                backend().zeros(inputWidth(), units));
        bias = new Parameter(name() + ".bias", backend().tensor(b, units), backend().zeros(units));
        outputs = new BatchBuffers(units);
        preActivationGradients = new BatchBuffers(units);
        inputGradients = new BatchBuffers(inputWidth());
        return units;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput("forward", input);
        Tensor out = outputs.get(backend(), input.rows());
        backend().gemm(false, false, 1f, input, weight.value(), 0f, out);          // out = x·W (set, beta 0)
        // a = f(x·W + b) = f(z), in place: z itself is never kept, backward needs only a
        backend().biasActivation(out, bias.value(), activation, alpha, out);
        lastInput.keep(input);
        lastOutput.keep(out);
        return out;
    }

    /** {@code out = f(x·W + b)} into the caller's buffer; touches no field of the layer. */
    @Override
    public Tensor infer(Tensor input, Tensor out) {
        checkInput("infer", input);
        backend().gemm(false, false, 1f, input, weight.value(), 0f, out);          // out = x·W (set, beta 0)
        backend().biasActivation(out, bias.value(), activation, alpha, out);       // a = f(x·W + b), in place
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        checkGradient(outputGradient);
        Tensor dz = outputGradient;
        if (activation != Activation.IDENTITY) {
            dz = preActivationGradients.get(backend(), outputGradient.rows());
            // ∂L/∂z = δ ⊙ f'(z), f' read from a (softmax: its row Jacobian times δ)
            backend().activationBackward(activation, alpha, lastOutput.get(name(), "output"), outputGradient, dz);
        }
        return backwardFromPreActivation(dz, needInputGradient);
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    @Override
    public Tensor backwardFromPreActivation(Tensor dz, boolean needInputGradient) {
        checkGradient(dz);
        // Each op sets (beta 0) its gradient, so nothing carries over from the previous step.
        Tensor x = lastInput.get(name(), "input");
        backend().gemm(/* xᵀ */ true, false, 1f, x, dz, 0f, weight.gradient());         // ∂L/∂W = xᵀ·∂L/∂z
        backend().columnSums(dz, 1f, 0f, bias.gradient());                             // ∂L/∂b = Σ_rows ∂L/∂z
        if (!needInputGradient) {
            return null;
        }
        Tensor dx = inputGradients.get(backend(), dz.rows());
        backend().gemm(false, /* Wᵀ */ true, 1f, dz, weight.value(), 0f, dx);         // ∂L/∂x = ∂L/∂z·Wᵀ
        return dx;
    }

    private void checkGradient(Tensor g) {
        Tensor x = lastInput.peek();
        if (x == null) {
            throw new IllegalStateException(name() + ".backward called before forward");
        }
        if (g.rows() != x.rows() || g.cols() != units) {
            throw new IllegalArgumentException(name() + ".backward: gradient must be (" + x.rows() + ", "
                    + units + ") to match the last forward, got " + Checks.toString(g.shape()));
        }
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    /**
     * The output width.
     *
     * @return the number of units
     */
    public int units() {
        return units;
    }

    /**
     * The function applied after the affine map.
     *
     * @return the activation
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The slope of LEAKY_RELU for {@code z ≤ 0} or the scale of ELU (unused by other activations).
     *
     * @return α
     */
    public float alpha() {
        return alpha;
    }

    /** {@code units}, {@code activation} (its label) and {@code alpha}; initializers are not kept. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("units", units);
        c.put("activation", activation.label());
        c.put("alpha", alpha);
        return c;
    }

    @Override
    public String describe() {
        String f = activation.label();
        if (activation == Activation.LEAKY_RELU || activation == Activation.ELU) {
            f += "(" + alpha + ")";
        }
        return "units=" + units + ", activation=" + f + ", weights=" + weightInit;
    }

    @Override
    public void close() {
        if (weight != null) {
            weight.close();
            bias.close();
            outputs.close();
            preActivationGradients.close();
            inputGradients.close();
        }
        lastInput.keep(null);
        lastOutput.keep(null);
    }
}
