package dev.nnj.api.optim;

/**
 * AdamW (Loshchilov and Hutter 2019), as {@code torch.optim.AdamW}. Its defaults are PyTorch's,
 * {@code η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 1e-2}: Adam whose weight decay shrinks the weights
 * directly instead of entering the moment estimates:
 * <pre>
 *   θ ← θ (1 − η λ)
 *   m ← β1 m + (1 − β1) ∇θ;   v ← β2 v + (1 − β2) ∇θ²
 *   θ ← θ − η / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Math: {@code docs/math.md#5-gradient-descent-and-its-descendants}.
 */
public final class AdamW extends Adam {
    /** PyTorch's defaults: {@code lr = 1e-3}, weight decay {@code 1e-2}. */
    public AdamW() {
        this(1e-3f);
    }

    /**
     * AdamW with learning rate {@code η} and PyTorch's other defaults.
     *
     * @param learningRate the rate {@code η}; the other hyperparameters are PyTorch's defaults
     */
    public AdamW(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f, 1e-2f);
    }

    /**
     * AdamW with every hyperparameter given.
     *
     * @param learningRate the rate {@code η}
     * @param beta1 the decay {@code β1} of the first moment, in {@code [0, 1)}
     * @param beta2 the decay {@code β2} of the second moment, in {@code [0, 1)}
     * @param epsilon the term {@code ε} added to the denominator
     * @param weightDecay the decoupled decay: {@code p ← p (1 - η λ)} each step
     */
    public AdamW(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        this(learningRate, beta1, beta2, epsilon, weightDecay, false);
    }

    /**
     * AdamW with every hyperparameter given, in PyTorch's order ({@code torch.optim.AdamW(lr, betas, eps,
     * weight_decay, amsgrad)}).
     *
     * @param learningRate the rate {@code η}
     * @param beta1 the decay {@code β1} of the first moment, in {@code [0, 1)}
     * @param beta2 the decay {@code β2} of the second moment, in {@code [0, 1)}
     * @param epsilon the term {@code ε} added to the denominator
     * @param weightDecay the decoupled decay: {@code p ← p (1 - η λ)} each step
     * @param amsgrad whether to divide by the largest second moment so far (see {@link Adam})
     */
    public AdamW(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, boolean amsgrad) {
        super(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, true);
    }
}
