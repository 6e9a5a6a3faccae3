package dev.nnj.examples;

import dev.nnj.api.losses.Loss;
import java.util.Locale;

/**
 * The losses a regression trains with ({@code --loss}), on the target standardized with the training rows' mean and
 * standard deviation ({@link RegressionTargets}), so that a residual of 1 is one standard deviation of the target.
 */
public enum RegressionLoss {
    /** The mean squared error, {@code (1/N) Σ (p − y)²}: PyTorch's {@code MSELoss}, fits the conditional mean. */
    MSE,
    /** The mean absolute error, {@code (1/N) Σ |p − y|}: PyTorch's {@code L1Loss}, fits the conditional median. */
    MAE,
    /**
     * The Huber loss with {@code δ = 1} (PyTorch's {@code HuberLoss()} default): squared within one standard
     * deviation of the target, linear beyond, so that outliers pull no harder than that.
     */
    HUBER;

    /** {@return a fresh loss of this kind} */
    Loss create() {
        switch (this) {
            case MSE:
                return Loss.meanSquaredError();
            case MAE:
                return Loss.meanAbsoluteError();
            default:
                return Loss.huber(1f);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
