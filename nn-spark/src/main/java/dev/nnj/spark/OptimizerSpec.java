package dev.nnj.spark;

import dev.nnj.api.optim.AbstractOptimizer;
import dev.nnj.api.optim.AdaGrad;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.AdamW;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.RmsProp;
import dev.nnj.api.optim.Sgd;
import java.io.Serializable;
import java.util.Locale;

/**
 * An optimizer by name and settings, serializable so that each executor can build its own instance (an
 * nnj optimizer holds state on one backend and is never shared).
 *
 * <p>Names: {@code sgd} (momentum {@code μ} when {@code momentum > 0}), {@code nesterov}, {@code adam},
 * {@code adamw}, {@code rmsprop} ({@code alpha = beta2}), {@code adagrad}. The update rules are those of the
 * nnj optimizers themselves (see their Javadoc).
 */
public final class OptimizerSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Lower-case optimizer name: sgd, nesterov, adam, adamw, rmsprop or adagrad. */
    private final String name;
    /** Step size {@code η > 0}. */
    private final float learningRate;
    /** Momentum {@code μ} in [0, 1] of sgd, nesterov and rmsprop; 0 turns it off. */
    private final float momentum;
    /** Adam's and AdamW's first-moment decay rate. */
    private final float beta1;
    /** Adam's and AdamW's second-moment decay rate; RMSProp's {@code α}. */
    private final float beta2;
    /** Denominator floor of adam, adamw, rmsprop and adagrad, guarding against division by zero. */
    private final float epsilon;
    /** L2 penalty coefficient (decoupled from the gradient for adamw); 0 turns it off. */
    private final float weightDecay;
    /** Whether the weight decay reaches the biases too, or only the weights. */
    private final boolean decayBiases;
    /** Adam's and AdamW's AMSGrad. */
    private final boolean amsgrad;
    /** AdaGrad's starting sum of squared gradients. */
    private final float initialAccumulatorValue;

    /**
     * An optimizer's settings, kept to make it on each executor.
     *
     * @param name         one of sgd, nesterov, adam, adamw, rmsprop, adagrad (case-insensitive)
     * @param learningRate step size {@code η > 0}
     * @param momentum     SGD/Nesterov/RMSProp momentum {@code μ} in [0, 1]
     * @param beta1        Adam's first-moment decay
     * @param beta2        Adam's second-moment decay, RMSProp's {@code α}
     * @param epsilon      denominator floor of Adam, RMSProp, AdaGrad
     * @param weightDecay  L2 penalty (decoupled for adamw)
     */
    public OptimizerSpec(String name, float learningRate, float momentum, float beta1, float beta2, float epsilon,
                         float weightDecay) {
        this(name, learningRate, momentum, beta1, beta2, epsilon, weightDecay, true, false, 0f);
    }

    /**
     * An optimizer's settings with the weight decay's scope, AMSGrad and AdaGrad's initial accumulator.
     *
     * @param name                    one of sgd, nesterov, adam, adamw, rmsprop, adagrad (case-insensitive)
     * @param learningRate            step size {@code η > 0}
     * @param momentum                SGD/Nesterov/RMSProp momentum {@code μ} in [0, 1]
     * @param beta1                   Adam's first-moment decay
     * @param beta2                   Adam's second-moment decay, RMSProp's {@code α}
     * @param epsilon                 denominator floor of Adam, RMSProp, AdaGrad
     * @param weightDecay             L2 penalty (decoupled for adamw)
     * @param decayBiases             whether the weight decay reaches the biases too (false: the weights only)
     * @param amsgrad                 Adam's and AdamW's AMSGrad
     * @param initialAccumulatorValue AdaGrad's starting sum of squared gradients, at least 0
     */
    public OptimizerSpec(String name, float learningRate, float momentum, float beta1, float beta2, float epsilon,
                         float weightDecay, boolean decayBiases, boolean amsgrad, float initialAccumulatorValue) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decayBiases = decayBiases;
        this.amsgrad = amsgrad;
        this.initialAccumulatorValue = initialAccumulatorValue;
        create().close();   // validates every setting here, on the driver, with the optimizer's own messages
    }

    /**
     * Checks an optimizer's name.
     *
     * @param name the name, any case
     * @throws IllegalArgumentException naming the accepted ones, for any other
     */
    static void requireName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd":
            case "nesterov":
            case "adam":
            case "adamw":
            case "rmsprop":
            case "adagrad":
                return;
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name
                        + "'; use sgd, nesterov, adam, adamw, rmsprop or adagrad");
        }
    }

    /**
     * The params of {@code momentum}, {@code beta1}, {@code beta2}, {@code epsilon}, {@code amsgrad} and
     * {@code initialAccumulatorValue} that an optimizer does not read (as {@link #create} builds it): set, they change
     * nothing, which {@code fit} says.
     *
     * @param optimizer the optimizer's name
     * @return the names it ignores, in that order
     */
    static java.util.List<String> ignoredBy(String optimizer) {
        switch (optimizer) {
            case "sgd":
            case "nesterov":
                return java.util.List.of("beta1", "beta2", "epsilon", "amsgrad", "initialAccumulatorValue");
            case "adam":
            case "adamw":
                return java.util.List.of("momentum", "initialAccumulatorValue");
            case "rmsprop":   // beta2 is its smoothing constant α
                return java.util.List.of("beta1", "amsgrad", "initialAccumulatorValue");
            case "adagrad":
                return java.util.List.of("momentum", "beta1", "beta2", "amsgrad");
            default:
                return java.util.List.of();
        }
    }

    /**
     * A fresh optimizer with zero state.
     *
     * @return the optimizer; the caller closes it
     */
    public Optimizer create() {
        AbstractOptimizer o;
        switch (name) {
            case "sgd":
                o = new Sgd(learningRate, momentum, 0f, weightDecay, false);
                break;
            case "nesterov":
                o = new Sgd(learningRate, momentum, 0f, weightDecay, true);
                break;
            case "adam":
                o = new Adam(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
                break;
            case "adamw":
                o = new AdamW(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
                break;
            case "rmsprop":
                o = new RmsProp(learningRate, beta2, epsilon, weightDecay, momentum, false);
                break;
            case "adagrad":
                o = new AdaGrad(learningRate, 0f, weightDecay, initialAccumulatorValue, epsilon);
                break;
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name
                        + "'; use sgd, nesterov, adam, adamw, rmsprop or adagrad");
        }
        o.setDecayBiases(decayBiases);
        return o;
    }

    /** {@return the optimizer's name, lower case} */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerSpec)) {
            return false;
        }
        OptimizerSpec s = (OptimizerSpec) o;
        return name.equals(s.name) && learningRate == s.learningRate && momentum == s.momentum
                && beta1 == s.beta1 && beta2 == s.beta2 && epsilon == s.epsilon && weightDecay == s.weightDecay
                && decayBiases == s.decayBiases && amsgrad == s.amsgrad
                && initialAccumulatorValue == s.initialAccumulatorValue;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Float.hashCode(learningRate);
    }

    @Override
    public String toString() {
        try (Optimizer o = create()) {
            return o.describe();
        }
    }

    /** {@return the step size {@code η}, the schedule's {@code η₀}} */
    float learningRate() {
        return learningRate;
    }
}
