package dev.nnj.api.optim;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSProp (Hinton, Coursera lecture 6e, 2012), as {@code torch.optim.RMSprop}. Its defaults are PyTorch's,
 * {@code η = 1e-2, α = 0.99, ε = 1e-8, λ = 0, μ = 0, centered = false}:
 * <pre>
 *   g ← ∇θ + λ θ
 *   s ← α s + (1 − α) g²                        running mean of squared gradients
 *   d ← √s + ε,  or √(s − ḡ²) + ε with ḡ ← α ḡ + (1 − α) g   when centered
 *   θ ← θ − η g / d,   or with momentum: b ← μ b + g / d;  θ ← θ − η b
 * </pre>
 * It fixes AdaGrad's ever-shrinking step by forgetting old gradients exponentially.
 * Math: {@code docs/math.md#5-gradient-descent-and-its-descendants}.
 */
public final class RmsProp extends AbstractOptimizer {
    /** Where each parameter's state tensors sit in {@code state}: s, ḡ (centered only), b (momentum only). */
    private static final int SQUARES = 0;
    private static final int MEAN_GRADIENT = 1;
    private static final int MOMENTUM_BUFFER = 2;
    private final float alpha;
    private final float epsilon;
    private final float weightDecay;
    private final float momentum;
    private final boolean centered;

    /** PyTorch's defaults: {@code lr = 1e-2}, {@code α = 0.99}. */
    public RmsProp() {
        this(1e-2f);
    }

    /**
     * RMSProp with learning rate {@code η} and PyTorch's other defaults.
     *
     * @param learningRate the rate {@code η}; the other hyperparameters are PyTorch's defaults
     */
    public RmsProp(float learningRate) {
        this(learningRate, 0.99f, 1e-8f, 0f, 0f, false);
    }

    /**
     * RMSProp with every hyperparameter given.
     *
     * @param learningRate the rate {@code η}
     * @param alpha the smoothing constant {@code α} of the squared-gradient average, in {@code [0, 1]}
     * @param epsilon the term {@code ε} added to the denominator
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included (the gradient
     *                    of {@code (λ/2)Σθ²}, a penalty the reported loss leaves out)
     * @param momentum the momentum factor, in {@code [0, 1]}
     * @param centered whether to divide by an estimate of the gradient's standard deviation,
     *        {@code √(s − ḡ²)}, instead of the root of the raw second moment, {@code √s}
     */
    public RmsProp(float learningRate, float alpha, float epsilon, float weightDecay, float momentum,
                   boolean centered) {
        super(learningRate);
        this.alpha = checkRange("alpha", alpha, 0f, 1f);
        this.epsilon = checkRange("epsilon", epsilon, 0f, Float.MAX_VALUE);
        this.weightDecay = checkRange("weight decay", weightDecay, 0f, Float.MAX_VALUE);
        this.momentum = checkRange("momentum", momentum, 0f, 1f);
        this.centered = centered;
    }

    @Override
    protected String sumOfSquaresSlot(int k) {
        return k == 0 ? "square average" : null;
    }

    @Override
    protected int stateTensorsPerParameter() {
        return 3;   // squares, mean gradient (centered), momentum buffer; unused ones stay zero
    }

    @Override
    protected void update(Parameter p, Tensor[] state, int t) {
        Tensor meanGradient = centered ? state[MEAN_GRADIENT] : null;
        Tensor momentumBuffer = momentum > 0f ? state[MOMENTUM_BUFFER] : null;
        p.value().backend().rmspropStep(p.value(), p.gradient(), state[SQUARES], meanGradient, momentumBuffer,
                learningRate(), alpha, epsilon, weightDecayOf(p, weightDecay), momentum);
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("alpha", Float.toString(alpha));
        h.put("eps", Float.toString(epsilon));
        h.put("momentum", Float.toString(momentum));
        h.put("centered", Boolean.toString(centered));
        h.put("weight_decay", Float.toString(weightDecay));
        return withDecayScope(h, weightDecay);
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + learningRate() + ", alpha=" + alpha + ", eps=" + epsilon
                + (momentum > 0 ? ", momentum=" + momentum : "") + (centered ? ", centered" : "")
                + (weightDecay > 0 ? ", weight_decay=" + weightDecay : "") + describeDecayScope(weightDecay) + ")";
    }
}
