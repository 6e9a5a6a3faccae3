package dev.nnj.api.train;

import dev.nnj.api.internal.WarnOnce;
import dev.nnj.api.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link LearningRateSchedule} to the optimizer during one run: before epoch {@code e} (1-based) a
 * per-epoch schedule's step is {@code e − 1}; before batch {@code b} of epoch {@code e} a per-batch schedule's
 * step is {@code (e − 1) · batchesPerEpoch + b}; between epochs and after the run the optimizer holds
 * {@code η₀} again ({@link #restoreInitial}). Without a schedule it does nothing.
 */
final class LearningRates {
    private static final Logger LOG = LoggerFactory.getLogger(LearningRates.class);
    private final LearningRateSchedule schedule;
    private final Optimizer optimizer;
    private final int batchesPerEpoch;
    private final double initial;
    /** The rate {@link #current()} last worked out, and its decimal. */
    private float shownRate = Float.NaN;
    private double shownDecimal;

    LearningRates(LearningRateSchedule schedule, Optimizer optimizer, int batchesPerEpoch, int epochs) {
        this.schedule = schedule;
        this.optimizer = optimizer;
        this.batchesPerEpoch = batchesPerEpoch;
        this.initial = decimalOf(optimizer.learningRate());
        if (schedule != null) {
            schedule.requireUsableFrom(initial);
            long needed = schedule.interval() == LearningRateSchedule.Interval.EPOCH ? epochs
                    : (long) epochs * batchesPerEpoch;
            if (needed > schedule.steps()) {
                throw new IllegalArgumentException("the learning-rate schedule " + describe(schedule) + " defines "
                        + schedule.steps() + " steps, but " + epochs + " epochs"
                        + (schedule.interval() == LearningRateSchedule.Interval.BATCH
                                ? " x " + batchesPerEpoch + " batches" : "")
                        + " need " + needed);
            }
            if (needed < schedule.steps() && schedule.steps() != Integer.MAX_VALUE) {
                // Not an error (a run may mean to stop part-way), but a one-cycle or cosine schedule sized on the rows
                // before validationSplit held some out ends part-way without a word, and never anneals. Said once
                // per process for figures of the same size (WarnOnce): a search that fits the same schedule hundreds
                // of times needs it once.
                long last = needed - 1;
                boolean perBatch = schedule.interval() == LearningRateSchedule.Interval.BATCH;
                WarnOnce.warn(LOG, "the learning-rate schedule " + describe(schedule) + " defines " + schedule.steps()
                        + " steps, but this run takes " + needed + " (" + epochs + " epochs"
                        + (perBatch ? " x " + batchesPerEpoch + " batches" : "") + "): it stops at step " + last
                        + "'s rate, " + (float) schedule.learningRate((int) last, initial)
                        + ", short of the schedule's end" + (perBatch ? "; batches are counted on the rows fit trains on, after a "
                        + "validationSplit has held its rows out" : ""));
            }
        }
    }

    /**
     * The optimizer's rate now, as {@link EpochStats} records it: its float's decimal ({@link #decimalOf}), worked
     * out again only when the rate changed (an epoch's bookkeeping, kept cheap while the JIT is still cold).
     *
     * @return the rate's shortest decimal
     */
    double current() {
        float rate = optimizer.learningRate();
        if (rate != shownRate) {   // NaN at first: never equal
            shownRate = rate;
            shownDecimal = decimalOf(rate);
        }
        return shownDecimal;
    }

    /** Sets the learning rate for batch {@code b} (0-based) of epoch {@code epoch} (1-based). */
    void beforeBatch(int epoch, int b) {
        if (schedule == null) {
            return;
        }
        if (schedule.interval() == LearningRateSchedule.Interval.BATCH) {
            set((epoch - 1) * batchesPerEpoch + b);
        } else if (b == 0) {
            set(epoch - 1);
        }
    }

    /**
     * Puts the optimizer's rate back to the schedule's {@code η₀} (nothing without a schedule): between epochs,
     * where listeners may save a checkpoint, and when the run ends. The optimizer then always holds the rate a run
     * starts from, so a checkpoint or a second {@code fit} continues the schedule from {@code η₀} rather than
     * decaying an already decayed rate again. The next batch sets its scheduled rate as before.
     */
    void restoreInitial() {
        if (schedule != null) {
            optimizer.setLearningRate((float) initial);
        }
    }

    /**
     * The schedule for messages: its {@code toString()} where its class writes one ({@code cosine(epochs=30)}), else
     * its class, as {@code Object}'s {@code com.example.Main$1@77caeb3e} tells nothing more and changes every run.
     */
    static String describe(LearningRateSchedule schedule) {
        try {
            if (schedule.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return schedule.toString();
            }
        } catch (NoSuchMethodException impossible) {
            // Every class has toString.
        }
        Class<?> type = schedule.getClass();
        return "of class " + (type.isAnonymousClass() ? type.getName() + " (anonymous)" : type.getName());
    }

    private void set(int step) {
        double lr = schedule.learningRate(step, initial);
        if (!(lr > 0) || Double.isInfinite(lr) || !((float) lr > 0f)) {
            throw new IllegalStateException("the learning-rate schedule " + describe(schedule) + " gives " + lr
                    + " at step " + step + "; the optimizer needs a positive finite float");
        }
        optimizer.setLearningRate((float) lr);
    }

    /**
     * The decimal a float learning rate stands for: its shortest representation, {@code 0.001} for {@code 1e-3f}.
     * A schedule multiplies this, as PyTorch multiplies the double its user wrote, and not the float widened
     * ({@code 0.0010000000474974513}): {@code 0.8 η₀} then rounds to the float nearest {@code 8e-4}, not to the one
     * above it ({@code 8.0000004E-4}). The float it rounds back to is the optimizer's own.
     *
     * @param rate the optimizer's learning rate
     * @return the shortest decimal that rounds to {@code rate}, as a double
     */
    static double decimalOf(float rate) {
        return Double.parseDouble(Float.toString(rate));
    }
}
