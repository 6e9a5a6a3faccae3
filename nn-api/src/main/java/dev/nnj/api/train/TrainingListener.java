package dev.nnj.api.train;

/**
 * Receives progress from a {@link Trainer}; the digits trainer prints it, the library itself only logs.
 * All calls come on the training thread, in the order {@code onTrainingStart}, {@code onEpochEnd} once per
 * epoch, {@code onTrainingEnd}.
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
     * Called once when training stops (all epochs run, or stopped early).
     *
     * @param history the whole run
     */
    default void onTrainingEnd(History history) {
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
