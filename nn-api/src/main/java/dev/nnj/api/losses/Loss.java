package dev.nnj.api.losses;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;

/**
 * A loss function {@code L(prediction, target)}, the mean over the batch of the per-sample losses defined in
 * {@link LossKind}: mean squared error, binary cross-entropy (the article's log loss) and categorical
 * cross-entropy. Beside them, for a regression's outliers, {@link #huber} and {@link #meanAbsoluteError}, and any
 * elementwise loss of your own ({@link #custom}), which run through the backends' generic elementwise ops.
 *
 * <p>When the network's last activation is the one this loss fuses with (softmax for categorical
 * cross-entropy, sigmoid for binary cross-entropy), the model skips that activation's derivative and starts
 * backpropagation from the article's simplified gradient: {@code ∂L/∂z = (a − y) / N} for categorical
 * cross-entropy, {@code ∂L/∂z = (a − y) / (N·C)} for binary cross-entropy (whose mean also runs over the
 * {@code C} outputs). This is both cheaper and more
 * accurate than multiplying {@code −y/a} by the softmax Jacobian.
 *
 * <p><b>The cross-entropies take probabilities.</b> Categorical cross-entropy needs a softmax output (a
 * distribution per row) and binary cross-entropy a sigmoid output (each value in {@code (0, 1)}); on other
 * outputs their logarithms are NaN or meaningless. {@link dev.nnj.api.train.Trainer#fit} and
 * {@code Sequential.evaluate} refuse a model whose last layer does not end in the activation
 * {@link #requiredOutputActivation()} names, before anything runs. There is no from-logits variant. For
 * training none is needed: with the activation in the model, backpropagation already starts from the fused
 * {@code a − y} that a from-logits loss would compute. The reported value differs from a from-logits one
 * only where a probability is below {@code e^−100} (a softmax's logits more than about 100 apart) or rounds to 0 or
 * 1 in float32 (a sigmoid's input beyond about ±17): the clamped logarithm then counts {@code −100} for it where
 * the exact value would be lower, or counts a term as 0 where it is small but not 0.
 *
 * <p>A loss that {@link LossKind} does not list plugs in with {@link #custom(String, ElementwiseLoss)}: its
 * value and gradient run through the backend's generic ops {@link Backend#sumPairs} and
 * {@link Backend#mapPairs} on every backend (see {@code docs/extending.md}).
 * Math: {@code docs/math.md#2-losses}, {@code docs/math.md#3-the-fused-output-gradient}.
 */
public final class Loss {
    private final LossKind kind;
    /** The user's loss, or null for a built-in one. */
    private final ElementwiseLoss custom;
    private final String customName;
    // The user's methods as the backend's function types, made once so that a training step allocates nothing.
    private final PairFunction customValue;
    private final PairFunction customGradient;

    private Loss(LossKind kind) {
        this.kind = kind;
        this.custom = null;
        this.customName = null;
        this.customValue = null;
        this.customGradient = null;
    }

    private Loss(String name, ElementwiseLoss custom) {
        this.kind = null;
        this.custom = custom;
        this.customName = name;
        this.customValue = custom::value;
        this.customGradient = custom::gradient;
    }

    /**
     * The loss of a kind.
     *
     * @param kind the loss function
     * @return a loss of that kind (a new instance; losses of one kind behave the same)
     */
    public static Loss of(LossKind kind) {
        if (kind == null) {
            throw new NullPointerException("loss kind");
        }
        return new Loss(kind);
    }

    /**
     * A user-defined loss {@code L = (1 / N C) Σ ℓ(p, y)}, run through the backend's generic elementwise ops.
     * It fuses with no activation: the gradient {@code ∂ℓ/∂p / (N C)} flows back through the output
     * activation's derivative.
     *
     * @param name the loss's label in summaries and logs, non-blank
     * @param loss the loss term and its derivative
     * @return the loss
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws NullPointerException if an argument is null
     */
    public static Loss custom(String name, ElementwiseLoss loss) {
        if (name == null || loss == null) {
            throw new NullPointerException(name == null ? "name" : "loss");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a custom loss needs a non-blank name");
        }
        return new Loss(name, loss);
    }

    /**
     * Whether this loss runs as an {@link ElementwiseLoss} through the backends' generic ops: a user-defined loss
     * ({@link #custom}), or {@link #huber} and {@link #meanAbsoluteError}, which are built that way.
     *
     * @return true for such a loss; {@link #kind()} is then null
     */
    public boolean isCustom() {
        return custom != null;
    }

    /**
     * The built-in loss whose rules the targets must follow: {@link #kind()}, or {@link LossKind#MSE} (any
     * finite target) for a loss run through the generic ops ({@link #isCustom()}: one's own, Huber, MAE).
     *
     * @return the kind the data is checked against
     */
    public LossKind targetRules() {
        return kind == null ? LossKind.MSE : kind;
    }

    /**
     * Accumulates the sum over rows of the per-sample losses into the one element of {@code out} on the device,
     * {@code out = beta · out + Σ_i ℓ_i}, as {@link Backend#lossSum} does for the built-in kinds.
     *
     * @param backend the backend of the tensors
     * @param prediction predictions {@code (N, C)}
     * @param target targets, same shape
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    public void sum(Backend backend, Tensor prediction, Tensor target, float beta, Tensor out) {
        if (custom == null) {
            backend.lossSum(kind, prediction, target, beta, out);
        } else {
            // Σ_i ℓ_i = (1 / C) Σ_ij ℓ(p_ij, y_ij)
            backend.sumPairs(customValue, 1f / prediction.cols(), prediction, target, beta, out);
        }
    }

    /**
     * {@code L = (1 / N C) Σ (p − y)²}.
     *
     * @return the mean squared error loss
     */
    public static Loss meanSquaredError() {
        return new Loss(LossKind.MSE);
    }

    /**
     * The Huber loss, PyTorch's {@code HuberLoss(delta=δ)}: {@code L = (1 / N C) Σ ℓ(p − y)} with {@code ℓ(d) = ½ d²}
     * for {@code |d| ≤ δ} and {@code δ (|d| − ½ δ)} beyond, so that a regression's outliers pull on the weights with a
     * force of at most {@code δ} where the squared error's grows with them. Its gradient is
     * {@code clamp(p − y, −δ, δ) / (N C)}. Like a {@link #custom} loss it runs through the backends' generic
     * elementwise ops, on any target values, and fuses with no activation.
     *
     * @param delta where the loss turns from quadratic to linear, finite and {@code > 0} (PyTorch's default is 1)
     * @return the loss, labelled {@code huber}
     * @throws IllegalArgumentException if {@code delta} is not finite and positive
     */
    public static Loss huber(float delta) {
        return new Loss("huber", new RobustLosses.Huber(delta));
    }

    /**
     * The mean absolute error, PyTorch's {@code L1Loss()}: {@code L = (1 / N C) Σ |p − y|}, gradient
     * {@code sign(p − y) / (N C)} (0 where a prediction equals its target). It fits the median where the squared
     * error fits the mean. Runs as {@link #huber} does.
     *
     * @return the loss, labelled {@code mae}
     */
    public static Loss meanAbsoluteError() {
        return new Loss("mae", new RobustLosses.Absolute());
    }

    /**
     * Log loss {@code L = −(1 / N C) Σ [y log p + (1 − y) log(1 − p)]}, for targets in {@code [0, 1]} and
     * sigmoid outputs (the model must end in a sigmoid, see {@link #requiredOutputActivation()}).
     *
     * @return the binary cross-entropy loss
     */
    public static Loss binaryCrossEntropy() {
        return new Loss(LossKind.BINARY_CROSS_ENTROPY);
    }

    /**
     * {@code L = −(1 / N) Σ_i Σ_j y_ij log p_ij}, for targets whose rows are distributions
     * ({@code Σ_j y_ij = 1}: one-hot, or smoothed labels; {@link dev.nnj.api.data.Dataset} checks this) and
     * softmax outputs (the model must end
     * in a softmax, see {@link #requiredOutputActivation()}).
     *
     * @return the categorical cross-entropy loss
     */
    public static Loss categoricalCrossEntropy() {
        return new Loss(LossKind.CATEGORICAL_CROSS_ENTROPY);
    }

    /**
     * The built-in loss.
     *
     * @return its kind, or null for a {@link #custom} loss
     */
    public LossKind kind() {
        return kind;
    }

    /**
     * The activation a model trained or evaluated with this loss must end in: {@link Activation#SOFTMAX} for
     * categorical and {@link Activation#SIGMOID} for binary cross-entropy, whose logarithms are defined only on
     * probabilities; null for mean squared error and custom losses, which take any output. The model's last
     * layer provides it, as a {@code Dense} activation or as an activation layer of its own.
     *
     * @return the required output activation, or null for none
     */
    public Activation requiredOutputActivation() {
        return kind == null ? null : kind.fusedActivation();
    }

    /**
     * True when the gradient may start from {@code a − y} below an activation {@code f}.
     *
     * @param f the output activation of the model
     * @return whether the fused gradient applies
     */
    public boolean fusesWith(Activation f) {
        return f != null && kind != null && f == kind.fusedActivation();
    }

    /**
     * Writes {@code ∂L/∂output} into {@code gradient} (sets). If {@code fused}, the result is instead the
     * gradient with respect to the pre-activation of the final (fusing) activation: {@code (a − y) / divisor}.
     *
     * @param backend the backend of the tensors
     * @param prediction the {@code (N, C)} output
     * @param target the {@code (N, C)} expected output
     * @param fused whether to write the fused gradient {@code ∂L/∂z}
     * @param gradient the {@code (N, C)} result
     */
    public void gradient(Backend backend, Tensor prediction, Tensor target, boolean fused, Tensor gradient) {
        if (custom != null) {
            if (fused) {
                throw new IllegalArgumentException(label() + " has no fused gradient: it fuses with no activation");
            }
            // ∂L/∂p = ℓ'(p, y) / (N C), the same float divisor as the built-in MSE
            float scale = 1f / ((float) prediction.rows() * prediction.cols());
            backend.mapPairs(customGradient, scale, prediction, target, gradient);
        } else if (fused) {
            if (kind.fusedActivation() == null) {
                throw new IllegalArgumentException(label() + " has no fused gradient: it fuses with no activation");
            }
            float scale = 1f / kind.fusedGradientDivisor(prediction.rows(), prediction.cols());
            backend.scaledDifference(scale, prediction, target, gradient);
        } else {
            backend.lossGradient(kind, prediction, target, gradient);
        }
    }

    /**
     * The mean loss of one batch, read back to the host (a convenience; trainers accumulate on device).
     *
     * @param backend the backend of the tensors
     * @param prediction the {@code (N, C)} output
     * @param target the {@code (N, C)} expected output
     * @return the mean loss {@code L}
     * @throws IllegalArgumentException if the shapes differ, or a tensor is not the backend's (the message names
     *         the op underneath, {@code lossSum})
     * @throws IllegalStateException    if a tensor or the backend is closed
     */
    public float value(Backend backend, Tensor prediction, Tensor target) {
        try (Tensor sum = backend.zeros(1)) {
            sum(backend, prediction, target, 0f, sum);
            return sum.item() / prediction.rows();
        }
    }

    /**
     * A readable name, for summaries.
     *
     * @return for example {@code "categorical_crossentropy"}
     */
    public String label() {
        if (custom != null) {
            return customName;
        }
        switch (kind) {
            case MSE:
                return "mean_squared_error";
            case BINARY_CROSS_ENTROPY:
                return "binary_crossentropy";
            default:
                return "categorical_crossentropy";
        }
    }

    /** {@return the {@link #label()}, with Huber's δ: {@code huber(delta=0.5)}} */
    @Override
    public String toString() {
        return custom instanceof RobustLosses.Huber ? custom.toString() : label();
    }
}
