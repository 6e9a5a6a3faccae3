package dev.nnj.api.train;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, and optionally
 * restores the parameters of the best epoch (Keras' {@code EarlyStopping(restore_best_weights=True)}).
 * An epoch improves on the best so far when the loss drops by more than {@code minDelta} (or the accuracy
 * rises by more than {@code minDelta}). Math: {@code docs/math.md#6-training}. Besides the loss and accuracy it
 * may watch a validation metric of the caller's ({@link Monitor#validationMetric}), an AUC say.
 *
 * <p>Two of Keras's settings, both off by default ({@link #withBaseline}, {@link #startingFromEpoch}):
 * <ul>
 *   <li>{@code baseline}: patience starts over only at an epoch that improves on the best so far <em>and</em> beats
 *       the baseline (by more than {@code minDelta}); a run that never beats it stops at its first epoch without
 *       improvement once {@code patience} epochs have been watched, its best epoch still the best one seen (restored
 *       as usual);</li>
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

    /**
     * The figure early stopping (and {@link ModelCheckpoint}, {@link ReduceLROnPlateau}) watches: one of the three
     * every run measures, or a validation metric of the caller's ({@link #validationMetric}).
     */
    public static final class Monitor {
        /** Mean loss on the validation set, lower is better. */
        public static final Monitor VALIDATION_LOSS = new Monitor("VALIDATION_LOSS", true, null);
        /** Accuracy on the validation set, higher is better; only for a validation set of class targets. */
        public static final Monitor VALIDATION_ACCURACY = new Monitor("VALIDATION_ACCURACY", false, null);
        /** Mean training loss of the epoch, lower is better. */
        public static final Monitor TRAINING_LOSS = new Monitor("TRAINING_LOSS", true, null);
        /** A metric's name: a letter, then letters, digits or underscores (a CSV column's and a log line's word). */
        private static final java.util.regex.Pattern METRIC_NAME = java.util.regex.Pattern.compile(
                "[A-Za-z][A-Za-z0-9_]*");

        private final String name;
        private final boolean lowerIsBetter;
        /** The validation metric's name, or null for the three built-in figures. */
        private final String metric;

        private Monitor(String name, boolean lowerIsBetter, String metric) {
            this.name = name;
            this.lowerIsBetter = lowerIsBetter;
            this.metric = metric;
        }

        /**
         * A validation metric the trainer computes after each epoch, by the name it was added under
         * ({@link Trainer.Builder#validationMetric}): Keras's {@code monitor='val_prc'} with its {@code mode}.
         *
         * @param metric         the metric's name, a letter then letters, digits or underscores
         * @param higherIsBetter true for a score (an AUC, an F1), false for an error (a mean absolute error)
         * @return the monitor, named {@code "val_" + metric}
         * @throws IllegalArgumentException for a name that is not such a word
         */
        public static Monitor validationMetric(String metric, boolean higherIsBetter) {
            requireMetricName(metric);
            return new Monitor("val_" + metric, !higherIsBetter, metric);
        }

        /**
         * The three built-in monitors, as an enum's {@code values()} gives them (this was an enum before validation
         * metrics, and code that lists or parses monitors keeps working).
         *
         * @return {@link #VALIDATION_LOSS}, {@link #VALIDATION_ACCURACY}, {@link #TRAINING_LOSS}
         */
        public static Monitor[] values() {
            return new Monitor[] {VALIDATION_LOSS, VALIDATION_ACCURACY, TRAINING_LOSS};
        }

        /**
         * The monitor of a name, as an enum's {@code valueOf}: a built-in one by its {@link #name()}, or
         * {@code val_NAME} for a validation metric where higher is better ({@link #validationMetric}).
         *
         * @param name {@code VALIDATION_LOSS}, {@code VALIDATION_ACCURACY}, {@code TRAINING_LOSS} or {@code val_NAME}
         * @return the monitor
         * @throws IllegalArgumentException for any other name
         */
        public static Monitor valueOf(String name) {
            for (Monitor m : values()) {
                if (m.name.equals(name)) {
                    return m;
                }
            }
            if (name != null && name.startsWith("val_") && METRIC_NAME.matcher(name.substring(4)).matches()) {
                return validationMetric(name.substring(4), true);
            }
            throw new IllegalArgumentException("no monitor named " + (name == null ? "null" : "'" + name + "'")
                    + "; the monitors are VALIDATION_LOSS, VALIDATION_ACCURACY, TRAINING_LOSS and val_NAME for a "
                    + "validation metric");
        }

        /**
         * Throws unless {@code metric} is a valid metric name; shared with {@link Trainer.Builder}. The built-in
         * figures' names are taken: {@code val_loss}, {@code val_acc} and {@code val_accuracy} are already columns
         * and labels of the log and the epoch line.
         */
        static void requireMetricName(String metric) {
            if (metric == null || !METRIC_NAME.matcher(metric).matches()) {
                throw new IllegalArgumentException("a validation metric's name must be a letter followed by letters, "
                        + "digits or underscores (it names a CSV column and a log line's figure), got "
                        + (metric == null ? "null" : "'" + metric + "'"));
            }
            if (metric.equals("loss") || metric.equals("acc") || metric.equals("accuracy")) {
                throw new IllegalArgumentException("'" + metric + "' names a figure every run measures (val_loss, "
                        + "val_accuracy): name the validation metric otherwise, or monitor " + VALIDATION_LOSS
                        + " or " + VALIDATION_ACCURACY);
            }
            if (metric.startsWith("val_")) {
                throw new IllegalArgumentException("'" + metric + "': name the metric without val_, which the log "
                        + "and the monitor put before it" + (metric.length() > 4 ? " ('" + metric.substring(4)
                        + "' is logged and monitored as " + metric + ")" : ""));
            }
        }

        /**
         * The monitor's name: {@code VALIDATION_LOSS}, {@code VALIDATION_ACCURACY}, {@code TRAINING_LOSS}, or
         * {@code val_} and a validation metric's name.
         *
         * @return the name, as messages and checkpoints give it
         */
        public String name() {
            return name;
        }

        /**
         * The name a checkpoint records for this monitor: {@link #name()}, with {@code " (max)"} or
         * {@code " (min)"} after a validation metric's, whose name alone does not say which way is better (the
         * built-in figures' names do). A resumed run whose rule watches the same metric the other way then starts
         * afresh, as for another metric, rather than continuing from the opposite best.
         *
         * @return for example {@code VALIDATION_LOSS} or {@code val_prc (max)}
         */
        String savedName() {
            return metric == null ? name : name + (lowerIsBetter ? " (min)" : " (max)");
        }

        /**
         * The validation metric watched, or null for the built-in figures.
         *
         * @return the metric's name, as it was added to the trainer
         */
        public String metric() {
            return metric;
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
         * {@code s} has validation figures but not this one: a watcher fed NaN would never see an improvement
         * and would silently decide on nothing.
         *
         * @param who names the watcher in the message, e.g. {@code "ReduceLROnPlateau"}
         * @throws IllegalStateException when this is validation accuracy and the validation targets are not
         *                               classes, or a validation metric the run does not compute
         */
        double read(EpochStats s, String who) {
            if (this == VALIDATION_ACCURACY && s.hasValidation() && !s.hasValidationAccuracy()) {
                throw new IllegalStateException(who + " monitors " + this + ", but the validation set's targets "
                        + "are not classes (one-hot rows, 0/1 values, or labelled rows), so it has no accuracy; "
                        + "monitor " + VALIDATION_LOSS + " instead");
            }
            if (metric != null) {
                if (s.hasValidation() && !s.validationMetrics().containsKey(metric)) {
                    throw new IllegalStateException(notComputed(who, s.validationMetrics().keySet()));
                }
                return s.validationMetric(metric);
            }
            if (this == VALIDATION_LOSS) {
                return s.validationLoss();
            }
            return this == VALIDATION_ACCURACY ? s.validationAccuracy() : s.trainLoss();
        }

        /**
         * Why {@code who} cannot watch this validation metric: the trainer computes only {@code computed}. For the
         * trainer's check before the first epoch and this monitor's own at an epoch's end.
         */
        String notComputed(String who, java.util.Collection<String> computed) {
            return who + " monitors " + this + ", but the trainer computes " + (computed.isEmpty()
                    ? "no validation metrics" : "only " + String.join(", ", computed)) + "; add it with "
                    + "Trainer.builder().validationMetric(\"" + metric + "\", ...)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Monitor m && name.equals(m.name) && lowerIsBetter == m.lowerIsBetter;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Boolean.hashCode(lowerIsBetter);
        }

        /** {@return the monitor's {@link #name()}} */
        @Override
        public String toString() {
            return name;
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

    /**
     * True when {@code value} is better than {@code best} by more than {@code minDelta}, computed as Keras's
     * {@code _is_improvement} computes it ({@code value + minDelta < best}, {@code value - minDelta > best}: at a tie
     * of decimals the two roundings of the same inequality can differ). From no best (NaN), as from Keras's starting
     * {@code ±inf}, any number but NaN and the worst infinity improves.
     */
    boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value) && value != (monitor.lowerIsBetter() ? Double.POSITIVE_INFINITY
                    : Double.NEGATIVE_INFINITY);
        }
        return monitor.lowerIsBetter() ? value + minDelta < best : value - minDelta > best;
    }
}
