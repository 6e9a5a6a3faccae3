package dev.nnj.api.losses;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;

/**
 * A loss function {@code L(prediction, target)}, the mean over the batch of the per-sample losses defined in
 * {@link LossKind}: mean squared error, binary cross-entropy (the article's log loss) and categorical
 * cross-entropy.
 *
 * <p>When the network's last activation is the one this loss fuses with (softmax for categorical
 * cross-entropy, sigmoid for binary cross-entropy), the model skips that activation's derivative and starts
 * backpropagation from the article's simplified gradient {@code ∂L/∂z = (a − y) / N} (divided by {@code N·C}
 * for binary cross-entropy, whose mean also runs over the {@code C} outputs). This is both cheaper and more
 * accurate than multiplying {@code −y/a} by the softmax Jacobian.
 * Math: {@code docs/math.md#2-losses}, {@code docs/math.md#3-the-fused-output-gradient}.
 */
public final class Loss {
    private final LossKind kind;

    private Loss(LossKind kind) {
        this.kind = kind;
    }

    /**
     * The loss of a kind.
     *
     * @param kind the loss function
     * @return the shared instance for {@code kind}
     */
    public static Loss of(LossKind kind) {
        return new Loss(kind);
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
     * Log loss {@code L = −(1 / N C) Σ [y log p + (1 − y) log(1 − p)]}.
     *
     * @return the binary cross-entropy loss
     */
    public static Loss binaryCrossEntropy() {
        return new Loss(LossKind.BINARY_CROSS_ENTROPY);
    }

    /**
     * {@code L = −(1 / N) Σ_i Σ_j y_ij log p_ij}, for one-hot targets and softmax outputs.
     *
     * @return the categorical cross-entropy loss
     */
    public static Loss categoricalCrossEntropy() {
        return new Loss(LossKind.CATEGORICAL_CROSS_ENTROPY);
    }

    /**
     * The function the backends compute.
     *
     * @return the loss kind
     */
    public LossKind kind() {
        return kind;
    }

    /**
     * True when the gradient may start from {@code a − y} below an activation {@code f}.
     *
     * @param f the output activation of the model
     * @return whether the fused gradient applies
     */
    public boolean fusesWith(Activation f) {
        return f != null && f == kind.fusedActivation();
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
        if (fused) {
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
     */
    public float value(Backend backend, Tensor prediction, Tensor target) {
        try (Tensor sum = backend.zeros(1)) {
            backend.lossSum(kind, prediction, target, 0f, sum);
            return sum.item() / prediction.rows();
        }
    }

    /**
     * A readable name, for summaries.
     *
     * @return for example {@code "categorical_cross_entropy"}
     */
    public String label() {
        switch (kind) {
            case MSE:
                return "mean_squared_error";
            case BINARY_CROSS_ENTROPY:
                return "binary_crossentropy";
            default:
                return "categorical_crossentropy";
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
