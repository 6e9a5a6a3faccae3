package dev.nnj.api.train;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, and optionally
 * restores the parameters of the best epoch (Keras' {@code EarlyStopping(restore_best_weights=True)}).
 * An epoch improves on the best so far when the loss drops by more than {@code minDelta} (or the accuracy
 * rises by more than {@code minDelta}). Math: {@code docs/math.md#6-training}.
 *
 * <p>Two of Keras's settings, both off by default ({@link #withBaseline}, {@link #startingFromEpoch}):
 * <ul>
 *   <li>{@code baseline}: patience starts over only at an epoch that improves on the best so far <em>and</em> beats
 *       the baseline (by more than {@code minDelta}); a run that never beats it stops after {@code patience} epochs
 *       without improving, its best epoch still the best one seen (restored as usual);</li>
 *   <li>{@code startFromEpoch}: epochs {@code 1 … startFromEpoch} are a warm-up the rule does not watch: neither
 *       best nor patience counts them, and none of them is restored.</li>
 * </ul>
 *
 * <p>Validation accuracy exists only for a validation set whose targets are classes
 * ({@link dev.nnj.api.data.Dataset#hasClassTargets}); {@link Trainer#fit} refuses to watch it on any other
 * set, before the first epoch.
 *
 * @param monitor             what to watch
 * @param patience            epochs without improvement before stopping (≥ 1)
 * @param minDelta            smallest change that counts as an improvement (≥ 0)
 * @param restoreBestWeights  put back the parameters of the best epoch when training ends
 * @param baseline            a value to beat before patience starts over, NaN for none (Keras's {@code baseline})
 * @param startFromEpoch      epochs at the start not watched, ≥ 0 (Keras's {@code start_from_epoch})
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights,
                            double baseline, int startFromEpoch) {

    /** The metric early stopping watches. */
    public enum Monitor {
        /** Mean loss on the validation set, lower is better. */
        VALIDATION_LOSS(true),
        /** Accuracy on the validation set, higher is better; only for a validation set of class targets. */
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

        /**
         * The metric's value in {@code s}, NaN for a validation metric without a validation set. Throws where
         * {@code s} has validation figures but no accuracy: a watcher fed NaN would never see an improvement
         * and would silently decide on nothing.
         *
         * @param who names the watcher in the message, e.g. {@code "ReduceLROnPlateau"}
         * @throws IllegalStateException when this is validation accuracy and the validation targets are not
         *                               classes
         */
        double read(EpochStats s, String who) {
            if (this == VALIDATION_ACCURACY && s.hasValidation() && !s.hasValidationAccuracy()) {
                throw new IllegalStateException(who + " monitors " + this + ", but the validation set's targets "
                        + "are not classes (one-hot rows, 0/1 values, or labelled rows), so it has no accuracy; "
                        + "monitor " + VALIDATION_LOSS + " instead");
            }
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
     * @param baseline           a value to beat before patience starts over, NaN for none
     * @param startFromEpoch     epochs at the start not watched, ≥ 0
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
        if (Double.isInfinite(baseline)) {
            throw new IllegalArgumentException("baseline must be finite, or NaN for none, got " + baseline);
        }
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("startFromEpoch must be >= 0, got " + startFromEpoch);
        }
    }

    /**
     * A rule without a baseline, watching from the first epoch.
     *
     * @param monitor            what to watch
     * @param patience           epochs without improvement before stopping (≥ 1)
     * @param minDelta           smallest change that counts as an improvement (≥ 0)
     * @param restoreBestWeights put back the parameters of the best epoch when training ends
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this(monitor, patience, minDelta, restoreBestWeights, Double.NaN, 0);
    }

    /**
     * This rule with a baseline: patience starts over only at an epoch that improves on the best so far and beats
     * {@code baseline} by more than {@code minDelta} (Keras's {@code EarlyStopping(baseline=…)}).
     *
     * @param baseline the value to beat, finite; NaN for none
     * @return the rule with the baseline
     */
    public EarlyStopping withBaseline(double baseline) {
        return new EarlyStopping(monitor, patience, minDelta, restoreBestWeights, baseline, startFromEpoch);
    }

    /**
     * This rule, not watching the first {@code epochs} epochs (Keras's {@code start_from_epoch}): a warm-up whose
     * figures count neither as the best nor against patience. Epochs are numbered as the run numbers them, a resumed
     * run's continuing the saved one's.
     *
     * @param epochs epochs not watched, ≥ 0
     * @return the rule starting at epoch {@code epochs + 1}
     */
    public EarlyStopping startingFromEpoch(int epochs) {
        return new EarlyStopping(monitor, patience, minDelta, restoreBestWeights, baseline, epochs);
    }

    /** True for an epoch the rule watches: past {@code startFromEpoch}. */
    boolean watches(int epoch) {
        return epoch > startFromEpoch;
    }

    /** True when {@code value} beats the baseline by more than {@code minDelta}, or there is no baseline. */
    boolean beatsBaseline(double value) {
        return Double.isNaN(baseline) || improves(value, baseline);
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

    /**
     * Throws unless the monitored metric is measured in a run validated on {@code validation}: validation
     * accuracy needs class targets. (A missing validation set is the trainer's own check.)
     *
     * @param validation the run's validation set, or null
     * @throws IllegalArgumentException naming the first validation row that is not a class
     */
    void requireMeasuredOn(Dataset validation) {
        requireMeasuredOn(validation, "the validation set's targets");
    }

    /**
     * As {@link #requireMeasuredOn(Dataset)}, on the rows {@code whose} names: the training set a validation split
     * holds its rows out of, so that the row named is the caller's.
     */
    void requireMeasuredOn(Dataset data, String whose) {
        if (monitor != Monitor.VALIDATION_ACCURACY || data == null || data.hasClassTargets()) {
            return;
        }
        int row = DataChecks.firstNonClassRow(data.targets(), data.targetCount());
        throw new IllegalArgumentException("early stopping monitors " + monitor + ", but " + whose
                + " are not classes (row " + row + " is "
                + DataChecks.describeRow(data.targets(), row, data.targetCount())
                + ", and only one-hot rows, 0/1 values or labelled rows are), so it has no accuracy; monitor "
                + Monitor.VALIDATION_LOSS + " instead");
    }

    /** True when {@code value} is better than {@code best} by more than {@code minDelta}. */
    boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return monitor.lowerIsBetter() ? value < best - minDelta : value > best + minDelta;
    }
}
