package dev.nnj.api.optim;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdaGrad (Duchi, Hazan and Singer 2011), as {@code torch.optim.Adagrad}. Its defaults are PyTorch's,
 * {@code η = 1e-2, lr_decay = 0, λ = 0, s₀ = 0, ε = 1e-10}:
 * <pre>
 *   s ← s₀ before the first step                initial_accumulator_value (Keras's Adagrad: 0.1)
 *   g ← ∇θ + λ θ
 *   η_t = η / (1 + (t − 1) · lr_decay)
 *   s ← s + g²                                  sum of all squared gradients so far
 *   θ ← θ − η_t g / (√s + ε)
 * </pre>
 * Parameters with large past gradients get smaller steps; the step only ever shrinks. A positive {@code s₀} keeps
 * the first steps from being as large as {@code η_t · sign(g)}, which {@code s₀ = 0} makes them.
 * Math: {@code docs/math.md#5-gradient-descent-and-its-descendants}.
 */
public final class AdaGrad extends AbstractOptimizer {
    private final float learningRateDecay;
    private final float epsilon;
    private final float weightDecay;
    private final float initialAccumulatorValue;

    /** PyTorch's defaults: {@code lr = 1e-2}. */
    public AdaGrad() {
        this(1e-2f);
    }

    /**
     * AdaGrad with learning rate {@code η} and PyTorch's other defaults.
     *
     * @param learningRate the initial rate {@code η}
     */
    public AdaGrad(float learningRate) {
        this(learningRate, 0f, 0f, 1e-10f);
    }

    /**
     * AdaGrad with every hyperparameter given, in PyTorch's order ({@code torch.optim.Adagrad(lr, lr_decay,
     * weight_decay, eps)}): the weight decay comes before epsilon here, after it in {@link Adam} and {@link RmsProp}.
     *
     * @param learningRate the initial rate {@code η}
     * @param learningRateDecay the decay {@code d} of the rate, {@code η / (1 + (t - 1) d)}
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included (the gradient
     *                    of {@code (λ/2)Σθ²}, a penalty the reported loss leaves out)
     * @param epsilon the term added to the denominator
     */
    public AdaGrad(float learningRate, float learningRateDecay, float weightDecay, float epsilon) {
        this(learningRate, learningRateDecay, weightDecay, 0f, epsilon);
    }

    /**
     * AdaGrad with every hyperparameter given, in PyTorch's order ({@code torch.optim.Adagrad(lr, lr_decay,
     * weight_decay, initial_accumulator_value, eps)}). Keras's {@code Adagrad(learning_rate=0.001,
     * initial_accumulator_value=0.1, epsilon=1e-7)} is {@code new AdaGrad(1e-3f, 0f, 0f, 0.1f, 1e-7f)} (Keras 2 puts ε
     * where nnj does; Keras 3 adds it to {@code s} under the root).
     *
     * @param learningRate the initial rate {@code η}
     * @param learningRateDecay the decay {@code d} of the rate, {@code η / (1 + (t - 1) d)}
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included
     * @param initialAccumulatorValue {@code s₀}, the value every element of the sum of squares starts from, at least 0
     * @param epsilon the term added to the denominator
     */
    public AdaGrad(float learningRate, float learningRateDecay, float weightDecay, float initialAccumulatorValue,
                   float epsilon) {
        super(learningRate);
        this.learningRateDecay = checkRange("learning rate decay", learningRateDecay, 0f, Float.MAX_VALUE);
        this.weightDecay = checkRange("weight decay", weightDecay, 0f, Float.MAX_VALUE);
        this.initialAccumulatorValue = checkRange("initial accumulator value", initialAccumulatorValue, 0f,
                Float.MAX_VALUE);
        this.epsilon = checkRange("epsilon", epsilon, 0f, Float.MAX_VALUE);
    }

    @Override
    protected float initialState(int k) {
        return initialAccumulatorValue;
    }

    @Override
    protected String sumOfSquaresSlot(int k) {
        return k == 0 ? "sum of squared gradients" : null;
    }

    @Override
    protected int stateTensorsPerParameter() {
        return 1;
    }

    @Override
    protected void update(Parameter p, Tensor[] state, int t) {
        float clr = learningRate() / (1f + (t - 1) * learningRateDecay);
        p.value().backend().adagradStep(p.value(), p.gradient(), state[0], clr, epsilon,
                weightDecayOf(p, weightDecay));
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("lr_decay", Float.toString(learningRateDecay));
        h.put("eps", Float.toString(epsilon));
        h.put("weight_decay", Float.toString(weightDecay));
        if (initialAccumulatorValue != 0f) {   // only when set: checkpoints from before it existed still resume
            h.put("initial_accumulator_value", Float.toString(initialAccumulatorValue));
        }
        return withDecayScope(h, weightDecay);
    }

    @Override
    public String describe() {
        return "Adagrad(lr=" + learningRate() + (learningRateDecay > 0 ? ", lr_decay=" + learningRateDecay : "")
                + ", eps=" + epsilon + (weightDecay > 0 ? ", weight_decay=" + weightDecay : "")
                + describeDecayScope(weightDecay)
                + (initialAccumulatorValue > 0 ? ", initial_accumulator_value=" + initialAccumulatorValue : "") + ")";
    }
}
