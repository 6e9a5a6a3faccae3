package dev.nnj.api.optim;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent, as {@code torch.optim.SGD}. With optional momentum (Polyak 1964), Nesterov
 * momentum (Sutskever et al. 2013) and L2 weight decay, exactly as PyTorch computes them:
 * <pre>
 *   g ← ∇θ + λ θ
 *   b ← g                         at the first step (momentum μ > 0)
 *   b ← μ b + (1 − τ) g           afterwards            (τ: dampening)
 *   g ← g + μ b  if nesterov, else g ← b
 *   θ ← θ − η g
 * </pre>
 * With {@code μ = 0} this is the article's plain gradient descent {@code θ ← θ − η ∇θ}.
 * Math: {@code docs/math.md#5-gradient-descent-and-its-descendants}.
 */
public final class Sgd extends AbstractOptimizer {
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;

    /**
     * Plain gradient descent with learning rate {@code η}.
     *
     * @param learningRate the rate {@code η}
     */
    public Sgd(float learningRate) {
        this(learningRate, 0f, 0f, 0f, false);
    }

    /**
     * Momentum {@code μ} (classical, or Nesterov when {@code nesterov}).
     *
     * @param learningRate the rate {@code η}
     * @param momentum the factor {@code μ}, in {@code [0, 1]}
     * @param nesterov whether to use Nesterov momentum
     */
    public Sgd(float learningRate, float momentum, boolean nesterov) {
        this(learningRate, momentum, 0f, 0f, nesterov);
    }

    /**
     * SGD with every setting given.
     *
     * @param learningRate the rate {@code η}
     * @param momentum the factor {@code μ}, in {@code [0, 1]}
     * @param dampening the dampening {@code τ} of new gradients in the momentum buffer
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included (the gradient
     *                    of {@code (λ/2)Σθ²}, a penalty the reported loss leaves out)
     * @param nesterov whether to use Nesterov momentum
     */
    public Sgd(float learningRate, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(learningRate);
        this.momentum = checkRange("momentum", momentum, 0f, 1f);
        this.dampening = checkRange("dampening", dampening, 0f, 1f);
        this.weightDecay = checkRange("weight decay", weightDecay, 0f, Float.MAX_VALUE);
        if (nesterov && (momentum <= 0f || dampening != 0f)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and zero dampening");
        }
        this.nesterov = nesterov;
    }

    @Override
    protected int stateTensorsPerParameter() {
        return momentum > 0f ? 1 : 0;
    }

    @Override
    protected void update(Parameter p, Tensor[] state, int t) {
        Tensor velocity = momentum > 0f ? state[0] : null;
        p.value().backend().sgdStep(p.value(), p.gradient(), velocity, learningRate(), momentum, dampening,
                weightDecayOf(p, weightDecay), nesterov, t == 1);
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("momentum", Float.toString(momentum));
        h.put("dampening", Float.toString(dampening));
        h.put("nesterov", Boolean.toString(nesterov));
        h.put("weight_decay", Float.toString(weightDecay));
        return withDecayScope(h, weightDecay);
    }

    @Override
    public String describe() {
        return "SGD(lr=" + learningRate() + (momentum > 0 ? ", momentum=" + momentum : "")
                + (dampening > 0 ? ", dampening=" + dampening : "") + (nesterov ? ", nesterov" : "")
                + (weightDecay > 0 ? ", weight_decay=" + weightDecay : "") + describeDecayScope(weightDecay) + ")";
    }
}
