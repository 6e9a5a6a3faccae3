package dev.nnj.api.train;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, and optionally
 * restores the parameters of the best epoch (Keras' {@code EarlyStopping(restore_best_weights=True)}).
 * An epoch improves on the best so far when the loss drops by more than {@code minDelta} (or the accuracy
 * rises by more than {@code minDelta}). Math: {@code docs/math.md#6-training}.
 *
 * @param monitor             what to watch
 * @param patience            epochs without improvement before stopping (≥ 1)
 * @param minDelta            smallest change that counts as an improvement (≥ 0)
 * @param restoreBestWeights  put back the parameters of the best epoch when training ends
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {

    /** The metric early stopping watches. */
    public enum Monitor {
        /** Mean loss on the validation set, lower is better. */
        VALIDATION_LOSS(true),
        /** Accuracy on the validation set, higher is better. */
        VALIDATION_ACCURACY(false),
        /** Mean training loss of the epoch, lower is better. */
        TRAINING_LOSS(true);

        private final boolean lowerIsBetter;

        Monitor(boolean lowerIsBetter) {
            this.lowerIsBetter = lowerIsBetter;
        }

        /**
         * Whether a lower value is an improvement.
         *
         * @return true for losses
         */
        public boolean lowerIsBetter() {
            return lowerIsBetter;
        }

        /**
         * Whether the metric is measured on a validation set.
         *
         * @return true unless it is the training loss
         */
        public boolean needsValidation() {
            return this != TRAINING_LOSS;
        }

        /** The metric's value in {@code s}. */
        double read(EpochStats s) {
            switch (this) {
                case VALIDATION_LOSS:
                    return s.validationLoss();
                case VALIDATION_ACCURACY:
                    return s.validationAccuracy();
                default:
                    return s.trainLoss();
            }
        }
    }

    /**
     * Validates the arguments.
     *
     * @param monitor            what to watch
     * @param patience           epochs without improvement before stopping (≥ 1)
     * @param minDelta           smallest change that counts as an improvement (≥ 0)
     * @param restoreBestWeights put back the parameters of the best epoch when training ends
     */
    public EarlyStopping {
        if (monitor == null) {
            throw new NullPointerException("monitor");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
    }

    /**
     * Watches validation loss, any decrease counts.
     *
     * @param patience           epochs without improvement before stopping (≥ 1)
     * @param restoreBestWeights put back the parameters of the best epoch when training ends
     * @return the rule
     */
    public static EarlyStopping onValidationLoss(int patience, boolean restoreBestWeights) {
        return new EarlyStopping(Monitor.VALIDATION_LOSS, patience, 0.0, restoreBestWeights);
    }

    /** True when {@code value} is better than {@code best} by more than {@code minDelta}. */
    boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return monitor.lowerIsBetter() ? value < best - minDelta : value > best + minDelta;
    }
}
