package dev.nnj.examples;

import dev.nnj.api.optim.AdaGrad;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.AdamW;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.RmsProp;
import dev.nnj.api.optim.Sgd;
import java.util.Locale;

/** The optimizers on the command line, each with the learning rate used when none is given. */
public enum OptimizerName {
    /** Plain stochastic gradient descent. */
    SGD(0.1f, 0),
    /** SGD with classical momentum 0.9. */
    MOMENTUM(0.05f, 1),
    /** SGD with Nesterov momentum 0.9. */
    NESTEROV(0.05f, 1),
    /** Adam, {@code β = (0.9, 0.999)} and Keras' {@code ε = 1e-7}. */
    ADAM(1e-3f, 2),
    /** Adam with decoupled weight decay 0.01, PyTorch's defaults. */
    ADAMW(1e-3f, 2),
    /**
     * RMSProp with PyTorch's {@code α = 0.99} and {@code ε = 1e-8}, at Keras' learning rate 1e-3 (PyTorch's default
     * is 1e-2).
     */
    RMSPROP(1e-3f, 3),
    /** AdaGrad with PyTorch's defaults. */
    ADAGRAD(0.01f, 1);

    final float defaultLearningRate;
    /** State tensors the optimizer keeps per parameter, for the memory check before a run. */
    final int stateSlots;

    OptimizerName(float defaultLearningRate, int stateSlots) {
        this.defaultLearningRate = defaultLearningRate;
        this.stateSlots = stateSlots;
    }

    /** A fresh optimizer (optimizers keep per-parameter state, so one per training run). */
    Optimizer create(float lr) {
        return create(lr, defaultWeightDecay());
    }

    /**
     * A fresh optimizer with weight decay {@code λ}: PyTorch's {@code weight_decay}, {@code λθ} added to every
     * parameter's gradient, or for adamw the decoupled decay {@code θ ← θ (1 − η λ)}.
     */
    Optimizer create(float lr, float weightDecay) {
        return create(lr, weightDecay, false);
    }

    /**
     * A fresh optimizer with weight decay {@code λ}, and for adam and adamw AMSGrad's running maximum of the second
     * moment when {@code amsgrad} is set (PyTorch's {@code amsgrad=True}).
     *
     * @throws IllegalArgumentException for {@code amsgrad} on another optimizer
     */
    Optimizer create(float lr, float weightDecay, boolean amsgrad) {
        if (amsgrad && this != ADAM && this != ADAMW) {
            throw new IllegalArgumentException("amsgrad is adam's and adamw's, not " + this + "'s");
        }
        switch (this) {
            case SGD:
                return new Sgd(lr, 0f, 0f, weightDecay, false);
            case MOMENTUM:
                return new Sgd(lr, 0.9f, 0f, weightDecay, false);
            case NESTEROV:
                return new Sgd(lr, 0.9f, 0f, weightDecay, true);
            case ADAM:
                return new Adam(lr, 0.9f, 0.999f, 1e-7f, weightDecay, amsgrad);   // Keras' epsilon
            case ADAMW:
                return new AdamW(lr, 0.9f, 0.999f, 1e-8f, weightDecay, amsgrad);
            case RMSPROP:
                return new RmsProp(lr, 0.99f, 1e-8f, weightDecay, 0f, false);
            default:
                return new AdaGrad(lr, 0f, weightDecay, 1e-10f);
        }
    }

    /** The weight decay without {@code --weight-decay}: PyTorch's default, 0.01 for adamw and 0 for the others. */
    float defaultWeightDecay() {
        return this == ADAMW ? 1e-2f : 0f;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
