package dev.nnj.api.optim;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015), as {@code torch.optim.Adam}. Its defaults are PyTorch's,
 * {@code η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0}:
 * <pre>
 *   g ← ∇θ + λ θ                               (L2 penalty folded into the gradient)
 *   m ← β1 m + (1 − β1) g                      first moment
 *   v ← β2 v + (1 − β2) g²                     second moment
 *   θ ← θ − η / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * The last line is the paper's {@code θ ← θ − η m̂ / (√v̂ + ε)} with the bias-corrected moments
 * {@code m̂ = m / (1 − β1^t)} and {@code v̂ = v / (1 − β2^t)}, rearranged as PyTorch computes it:
 * {@code ε} stays outside the root of {@code v̂}, as in Kingma and Ba's Algorithm 1 (not Keras's {@code ε̂}
 * form).
 * With {@code amsgrad} (Reddi, Kale and Kumar 2018; PyTorch's {@code amsgrad=True}) the step divides by the largest
 * second moment so far, {@code v̄ ← max(v̄, v)} in place of {@code v} in the last line: the denominator never
 * shrinks when a parameter's gradients do (its step still grows as the bias corrections fade, as in PyTorch). A
 * third state tensor per parameter.
 * Adam combines momentum with RMSProp's per-parameter scaling, which itself refined AdaGrad.
 * See {@link AdamW} for decoupled weight decay.
 * Math: {@code docs/math.md#5-gradient-descent-and-its-descendants}.
 */
public class Adam extends AbstractOptimizer {
    /**
     * Where each parameter's state tensors sit in {@code state}: the first moment m, the second moment v and, with
     * AMSGrad, the largest second moment so far.
     */
    private static final int M = 0;
    private static final int V = 1;
    private static final int V_MAX = 2;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private final boolean amsgrad;

    /** PyTorch's defaults: {@code lr = 1e-3}. */
    public Adam() {
        this(1e-3f);
    }

    /**
     * Adam with learning rate {@code η} and PyTorch's other defaults.
     *
     * @param learningRate the rate {@code η}; the other hyperparameters are PyTorch's defaults
     */
    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    /**
     * Adam with every hyperparameter given.
     *
     * @param learningRate the rate {@code η}
     * @param beta1 the decay {@code β1} of the first moment, in {@code [0, 1)}
     * @param beta2 the decay {@code β2} of the second moment, in {@code [0, 1)}
     * @param epsilon the term {@code ε} added to the denominator
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included (the gradient
     *                    of {@code (λ/2)Σθ²}, a penalty the reported loss leaves out)
     */
    public Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        this(learningRate, beta1, beta2, epsilon, weightDecay, false);
    }

    /**
     * Adam with every hyperparameter given, in PyTorch's order ({@code torch.optim.Adam(lr, betas, eps, weight_decay,
     * amsgrad)}).
     *
     * @param learningRate the rate {@code η}
     * @param beta1 the decay {@code β1} of the first moment, in {@code [0, 1)}
     * @param beta2 the decay {@code β2} of the second moment, in {@code [0, 1)}
     * @param epsilon the term {@code ε} added to the denominator
     * @param weightDecay {@code λ}: {@code λθ} added to the gradient of every parameter, biases included
     * @param amsgrad whether to divide by the largest second moment so far (AMSGrad) instead of the current one
     */
    public Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, boolean amsgrad) {
        this(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, false);
    }

    Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, boolean amsgrad,
         boolean decoupled) {
        super(learningRate);
        this.beta1 = checkRange("beta1", beta1, 0f, 0.99999994f);
        this.beta2 = checkRange("beta2", beta2, 0f, 0.99999994f);
        this.epsilon = checkRange("epsilon", epsilon, 0f, Float.MAX_VALUE);
        this.weightDecay = checkRange("weight decay", weightDecay, 0f, Float.MAX_VALUE);
        this.decoupled = decoupled;
        this.amsgrad = amsgrad;
    }

    @Override
    protected String sumOfSquaresSlot(int k) {
        return k == V ? "second moment" : k == V_MAX ? "largest second moment" : null;
    }

    @Override
    protected int stateTensorsPerParameter() {
        return amsgrad ? 3 : 2;   // m, v and AMSGrad's largest v
    }

    @Override
    protected void update(Parameter p, Tensor[] state, int t) {
        float lr = learningRate();
        p.value().backend().adamStep(p.value(), p.gradient(), state[M], state[V], amsgrad ? state[V_MAX] : null, lr,
                beta1, beta2, epsilon, weightDecayOf(p, weightDecay), decoupled, stepSize(lr, beta1, t),
                sqrtBiasCorrection2(beta2, t));
    }

    /**
     * Adam's step size at step {@code t}, {@code lr / (1 - β1^t)}, computed in double and rounded once, as
     * PyTorch computes it with Python floats. {@code beta1} is the float32 the constructor took ({@code 0.9f} is
     * 0.89999998), so the result can differ from PyTorch's for {@code betas=(0.9, 0.999)} by an ulp; it is PyTorch's
     * for {@code betas=(np.float32(0.9), np.float32(0.999))}.
     *
     * @param lr the learning rate
     * @param beta1 the first-moment decay
     * @param t the step, at least 1
     * @return the bias-corrected step size
     */
    public static float stepSize(float lr, float beta1, int t) {
        return (float) (lr / (1.0 - Math.pow(beta1, t)));
    }

    /**
     * The square root of Adam's second bias correction at step {@code t}, {@code √(1 - β2^t)}, computed in
     * double and rounded once.
     *
     * @param beta2 the second-moment decay
     * @param t the step, at least 1
     * @return {@code √(1 - β2^t)}
     */
    public static float sqrtBiasCorrection2(float beta2, int t) {
        return (float) Math.sqrt(1.0 - Math.pow(beta2, t));
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("betas", "(" + beta1 + ", " + beta2 + ")");
        h.put("eps", Float.toString(epsilon));
        h.put("weight_decay", Float.toString(weightDecay));
        if (amsgrad) {   // only when set: checkpoints from before it existed still resume
            h.put("amsgrad", "true");
        }
        return withDecayScope(h, weightDecay);
    }

    @Override
    public String describe() {
        return (decoupled ? "AdamW" : "Adam") + "(lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2
                + "), eps=" + epsilon + (weightDecay > 0 ? ", weight_decay=" + weightDecay : "")
                + describeDecayScope(weightDecay) + (amsgrad ? ", amsgrad=true" : "") + ")";
    }
}
