package dev.nnj.api.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the learning rate when a metric stops improving: PyTorch's {@code ReduceLROnPlateau(mode, factor,
 * patience, threshold, threshold_mode, cooldown, min_lr, eps)}, stepped once per epoch with the monitored
 * value. Add it to a trainer with {@link Trainer.Builder#listener(TrainingListener)}:
 * <pre>{@code
 * Trainer.builder().listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS).factor(0.5).patience(3))
 * }</pre>
 *
 * <p>Each epoch, with {@code best} the best value so far ({@code +∞} in min mode, {@code −∞} in max mode at
 * the start):
 * <pre>
 *   better  = value &lt; best·(1 − threshold)   (min, rel)     value &lt; best − threshold   (min, abs)
 *             value &gt; best·(1 + threshold)   (max, rel)     value &gt; best + threshold   (max, abs)
 *   if better: best = value, bad = 0  else bad += 1
 *   if in cooldown: cooldown −= 1, bad = 0
 *   if bad &gt; patience: lr = max(lr · factor, minLr) unless that changes lr by no more than eps;
 *                      cooldown = cooldownEpochs, bad = 0
 * </pre>
 * The learning rate is tracked in double precision, as PyTorch does, and handed to the optimizer as a
 * float. Do not combine it with a {@link LearningRateSchedule}, which would overwrite its changes.
 * Watching {@link EarlyStopping.Monitor#VALIDATION_ACCURACY} needs a validation set of class targets; on any
 * other the first epoch's end throws an {@link IllegalStateException} saying so.
 * Math: {@code docs/math.md#8-learning-rate-schedules}.
 *
 * <p>It is a {@link ResumableListener}: a {@link ModelCheckpoint} keeps its best value, count of bad epochs,
 * cooldown and learning rate (in double precision), and a run resumed with {@link Trainer.Builder#resumeFrom}
 * continues them, reducing the rate at the epochs the uninterrupted run would have.
 */
public final class ReduceLROnPlateau implements ResumableListener {
    /** The key of its state in a checkpoint. */
    public static final String STATE_KEY = "ReduceLROnPlateau";
    private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

    /** Whether lower or higher values of the monitored metric are better. */
    public enum Mode {
        /** Lower is better (losses). */
        MIN,
        /** Higher is better (accuracies). */
        MAX
    }

    /** How {@code threshold} compares a value with the best so far. */
    public enum ThresholdMode {
        /** A relative margin: {@code best · (1 ∓ threshold)}. */
        REL,
        /** An absolute margin: {@code best ∓ threshold}. */
        ABS
    }

    private final EarlyStopping.Monitor monitor;
    private Mode mode;
    private double factor = 0.1;
    private int patience = 10;
    private double threshold = 1e-4;
    private ThresholdMode thresholdMode = ThresholdMode.REL;
    private int cooldownEpochs;
    private double minLearningRate;
    private double eps = 1e-8;

    private TrainingControl control;
    private double learningRate = Double.NaN;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    private ReduceLROnPlateau(EarlyStopping.Monitor monitor) {
        if (monitor == null) {
            throw new NullPointerException("monitor");
        }
        this.monitor = monitor;
        this.mode = monitor.lowerIsBetter() ? Mode.MIN : Mode.MAX;
        reset();
    }

    /**
     * A plateau rule on {@code monitor} with PyTorch's defaults: factor 0.1, patience 10, threshold 1e-4
     * relative, no cooldown, no minimum, eps 1e-8; min mode for losses, max mode for accuracies.
     *
     * @param monitor the metric to watch
     * @return the rule, to refine with the setters below
     */
    public static ReduceLROnPlateau on(EarlyStopping.Monitor monitor) {
        return new ReduceLROnPlateau(monitor);
    }

    /** The metric watched, for the trainer's checks before the first epoch. */
    EarlyStopping.Monitor monitor() {
        return monitor;
    }

    /**
     * Overrides the mode derived from the monitor.
     *
     * @param mode min or max
     * @return this rule
     */
    public ReduceLROnPlateau mode(Mode mode) {
        if (mode == null) {
            throw new NullPointerException("mode");
        }
        this.mode = mode;
        reset();
        return this;
    }

    /**
     * The factor the learning rate is multiplied by ({@code factor}).
     *
     * @param factor in (0, 1)
     * @return this rule
     */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        }
        this.factor = factor;
        return this;
    }

    /**
     * Epochs without improvement that are tolerated; the rate drops on the next one ({@code patience}).
     *
     * @param patience ≥ 0
     * @return this rule
     */
    public ReduceLROnPlateau patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    /**
     * The margin a value must beat the best by to count as an improvement ({@code threshold},
     * {@code threshold_mode}).
     *
     * @param threshold     ≥ 0
     * @param thresholdMode relative or absolute
     * @return this rule
     */
    public ReduceLROnPlateau threshold(double threshold, ThresholdMode thresholdMode) {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number >= 0, got " + threshold);
        }
        if (thresholdMode == null) {
            throw new NullPointerException("thresholdMode");
        }
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        return this;
    }

    /**
     * Epochs to wait after a reduction before counting bad epochs again ({@code cooldown}).
     *
     * @param cooldown ≥ 0
     * @return this rule
     */
    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("cooldown must be >= 0, got " + cooldown);
        }
        this.cooldownEpochs = cooldown;
        return this;
    }

    /**
     * The lowest learning rate it sets ({@code min_lr}).
     *
     * @param minLearningRate ≥ 0
     * @return this rule
     */
    public ReduceLROnPlateau minLearningRate(double minLearningRate) {
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("minLearningRate must be a finite number >= 0, got "
                    + minLearningRate);
        }
        this.minLearningRate = minLearningRate;
        return this;
    }

    /**
     * Changes smaller than this are skipped ({@code eps}).
     *
     * @param eps ≥ 0
     * @return this rule
     */
    public ReduceLROnPlateau eps(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
        this.eps = eps;
        return this;
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        badEpochs = 0;
        cooldownLeft = 0;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        this.control = control;
        this.learningRate = LearningRates.decimalOf(control.optimizer().learningRate());
        reset();
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (control == null) {
            throw new IllegalStateException("ReduceLROnPlateau must be added to a Trainer as a listener");
        }
        if (monitor.needsValidation() && !stats.hasValidation()) {
            throw new IllegalStateException("ReduceLROnPlateau monitors " + monitor
                    + " but the trainer was given no validation set");
        }
        double before = learningRate;
        step(monitor.read(stats, "ReduceLROnPlateau"));
        if (learningRate != before) {
            control.optimizer().setLearningRate((float) learningRate);
            if (LOG.isInfoEnabled()) {
                // As PyTorch prints it (1.0000e-04): the float the optimizer holds, 1.00000005E-4, is noise to a reader.
                LOG.info("epoch {}: {} has not improved for {} epochs; learning rate {} -> {}", stats.epoch(),
                        monitor, patience + 1, String.format(Locale.ROOT, "%.4e", (float) before),
                        String.format(Locale.ROOT, "%.4e", (float) learningRate));
            }
        }
    }

    /**
     * One scheduler step with the epoch's metric, PyTorch's {@code scheduler.step(value)}.
     *
     * @param value the monitored metric of the epoch
     */
    void step(double value) {
        if (isBetter(value)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double reduced = Math.max(learningRate * factor, minLearningRate);
            if (learningRate - reduced > eps) {
                learningRate = reduced;
            }
            cooldownLeft = cooldownEpochs;
            badEpochs = 0;
        }
    }

    /**
     * {@value #STATE_KEY}.
     *
     * @return the key of this listener's state in a checkpoint
     */
    @Override
    public String stateKey() {
        return STATE_KEY;
    }

    /**
     * The monitored metric and mode, the best value, the bad epochs counted, the cooldown left and the learning
     * rate, each as {@link Double#toString} or {@link Integer#toString} writes it.
     *
     * @return the state after the last epoch
     */
    @Override
    public Map<String, String> saveState() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("monitor", monitor.name());
        state.put("mode", mode.name());
        state.put("best", Double.toString(best));
        state.put("bad_epochs", Integer.toString(badEpochs));
        state.put("cooldown_left", Integer.toString(cooldownLeft));
        state.put("learning_rate", Double.toString(learningRate));
        return state;
    }

    /**
     * Continues a saved state. The learning rate continues in double precision when the optimizer's (restored
     * from the same checkpoint) is that rate as a float; when it is not, the optimizer's was set since, and it wins.
     *
     * @param state what {@link #saveState()} returned
     * A state saved by a rule on another metric or mode is not continued (its best value would not compare with
     * this rule's): the rule starts afresh, with a warning, as early stopping does.
     *
     * @throws IllegalArgumentException if an entry is missing or malformed
     */
    @Override
    public void restoreState(Map<String, String> state) {
        String savedMonitor = entry(state, "monitor");
        String savedMode = entry(state, "mode");
        if (!savedMonitor.equals(monitor.name()) || !savedMode.equals(mode.name())) {
            LOG.warn("ReduceLROnPlateau starts afresh: the checkpoint's rule watched {} ({}), this one watches {} ({})",
                    savedMonitor, savedMode, monitor, mode);
            return;
        }
        double savedBest;
        double savedRate;
        int savedBad;
        int savedCooldown;
        try {
            savedBest = Double.parseDouble(entry(state, "best"));
            savedRate = Double.parseDouble(entry(state, "learning_rate"));
            savedBad = Integer.parseInt(entry(state, "bad_epochs"));
            savedCooldown = Integer.parseInt(entry(state, "cooldown_left"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the checkpoint's ReduceLROnPlateau state is malformed: " + state, e);
        }
        if (Double.isNaN(savedBest) || !(savedRate >= 0) || savedBad < 0 || savedCooldown < 0) {
            throw new IllegalArgumentException("the checkpoint's ReduceLROnPlateau state is out of range: " + state);
        }
        best = savedBest;
        badEpochs = savedBad;
        cooldownLeft = savedCooldown;
        if ((float) savedRate == (float) learningRate) {
            learningRate = savedRate;
        } else {
            LOG.info("ReduceLROnPlateau continues from the optimizer's learning rate {}, not the checkpoint's {}",
                    (float) learningRate, (float) savedRate);
        }
    }

    private static String entry(Map<String, String> state, String key) {
        String value = state.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the checkpoint's ReduceLROnPlateau state has no '" + key + "': "
                    + state);
        }
        return value;
    }

    /** Starts a run at learning rate {@code lr} without a trainer (tests step it by hand). */
    void start(double lr) {
        learningRate = lr;
        reset();
    }

    /** The learning rate after the last step, in double precision. */
    double learningRate() {
        return learningRate;
    }

    private boolean isBetter(double value) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? value < best * (1 - threshold) : value < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? value > best * (threshold + 1) : value > best + threshold;
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(" + monitor + ", " + mode + ", factor " + factor + ", patience " + patience
                + ", threshold " + threshold + " " + thresholdMode + ", cooldown " + cooldownEpochs + ", min_lr "
                + minLearningRate + ")";
    }
}
