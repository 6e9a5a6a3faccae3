package dev.nnj.api.train;

/**
 * Receives progress from a {@link Trainer}; the digits trainer prints it, the library itself only logs.
 * All calls come on the training thread, in the order {@code onTrainingStart}, {@code onEpochEnd} once per
 * epoch, then exactly one last call:
 * <ul>
 *   <li>{@link #onTrainingEnd} when the run completes (every epoch run, or stopped early), with its finished
 *       {@link History};</li>
 *   <li>{@link #onTrainingFailed} when {@code fit} is about to throw (a {@link DivergenceException}, a bad batch, a
 *       listener's own exception, one from another listener's {@code onTrainingEnd}), before the exception reaches
 *       the caller. A listener that allocated something in {@code onTrainingStart} (device tensors, a progress
 *       bar, an open file) frees it in both.</li>
 * </ul>
 * A listener gets the last call only if its {@code onTrainingStart} returned: a run refused before it starts
 * (bad arguments, a {@link ModelCheckpoint} that cannot save the model) calls no listener at all, and the
 * listeners after one whose {@code onTrainingStart} threw are never started.
 *
 * <p>A listener that acts on the run (stops it, changes the learning rate, as {@link ReduceLROnPlateau}
 * does) keeps the {@link TrainingControl} it is given at the start:
 * <pre>{@code
 * TrainingListener stopAt99 = new TrainingListener() {
 *     private TrainingControl control;
 *     public void onTrainingStart(TrainingControl control) { this.control = control; }
 *     public void onEpochEnd(EpochStats s) {
 *         if (s.validationAccuracy() >= 0.99) control.requestStop("validation accuracy reached 0.99");
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {

    /**
     * Called once before the first epoch.
     *
     * @param control lets the listener stop the run or change the learning rate
     */
    default void onTrainingStart(TrainingControl control) {
    }

    /**
     * Called after every epoch.
     *
     * @param stats what the epoch measured
     */
    void onEpochEnd(EpochStats stats);

    /**
     * Called once when training completes (all epochs run, or stopped early); not when {@code fit} throws, see
     * {@link #onTrainingFailed}.
     *
     * @param history the whole run
     */
    default void onTrainingEnd(History history) {
    }

    /**
     * Called once, instead of {@link #onTrainingEnd}, when the run fails after this listener started: {@code fit}
     * throws {@code failure} as soon as every started listener has had this call. Free here what {@code
     * onTrainingEnd} would have freed; the model and the optimizer may be left mid-step, so read nothing from them.
     * An exception thrown here is added to {@code failure} as suppressed, and the other listeners still get their
     * call. Does nothing by default.
     *
     * @param failure what {@code fit} is about to throw
     */
    default void onTrainingFailed(Throwable failure) {
    }

    /**
     * Whether this listener wants {@link #onBatchEnd} calls. Asked once when training starts; the trainer calls
     * {@code onBatchEnd} only on the listeners that say yes, so the batch loop costs nothing for the others.
     *
     * @return true to receive {@link #onBatchEnd}; false by default
     */
    default boolean wantsBatchEvents() {
        return false;
    }

    /**
     * Called after each training batch's optimizer step, from the training thread, if
     * {@link #wantsBatchEvents()} said so. It runs inside the hot loop: keep it cheap and allocation-free (a
     * counter or a progress bar's position, not a log line), and read nothing from the device.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch just finished, from 1 to {@code batches}
     * @param batches batches per epoch
     */
    default void onBatchEnd(int epoch, int batch, int batches) {
    }
}
