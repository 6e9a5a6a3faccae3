package dev.nnj.api.train;

import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;

/**
 * What a {@link TrainingListener} may do to the run it watches: ask it to stop, read or change the optimizer's
 * learning rate, and see which model and optimizer it trains. {@link Trainer#fit} hands one to every listener's
 * {@link TrainingListener#onTrainingStart(TrainingControl)}; it is valid until training ends.
 */
public interface TrainingControl {

    /**
     * Asks training to stop after the current epoch (Keras' {@code model.stop_training = True}). Early
     * stopping's rules and best-weight restoring still apply; {@link History#stoppedEarly()} is then true and
     * {@link History#stopReason()} is {@code reason}.
     *
     * @param reason why, for the history and the log
     */
    void requestStop(String reason);

    /**
     * Whether a stop has been requested.
     *
     * @return true after {@link #requestStop(String)}
     */
    boolean stopRequested();

    /**
     * The optimizer being trained with, for reading or changing its learning rate between epochs.
     *
     * @return the optimizer passed to {@link Trainer#fit}
     */
    Optimizer optimizer();

    /**
     * The model being trained, for listeners that save or inspect it.
     *
     * @return the model passed to {@link Trainer#fit}; null by default, for controls other than the trainer's own
     */
    default Sequential model() {
        return null;
    }

    /**
     * The epochs already run before this {@code fit}: 0 for a fresh run, the checkpoint's epoch for a resumed one
     * ({@link Trainer.Builder#initialEpoch}).
     *
     * @return the epoch the run continues after; 0 by default
     */
    default int initialEpoch() {
        return 0;
    }

    /**
     * Epochs requested for the run.
     *
     * @return the trainer's epoch count
     */
    int epochs();

    /**
     * What a checkpoint saved now needs, beside the model and the optimizer, to resume this run exactly: early
     * stopping's best epoch and patience (and the best epoch's weights, read from the device, when they are to be
     * restored and are not the current ones) and every {@link ResumableListener}'s state. Call it from
     * {@link TrainingListener#onEpochEnd}: {@link ModelCheckpoint} does, and the trainer calls it after the epoch's
     * other listeners, so that what it saves is what the next epoch starts from. After {@code fit} has returned,
     * early stopping's part is gone (its buffers are freed with the run). The trainer's also has the listeners that
     * have seen the epoch and hold back what they write ({@link java.io.Flushable}, as {@link CsvLogger} is) write it
     * out first, so that their files cover the epoch the checkpoint records.
     *
     * <p>The default, for controls other than the trainer's own, is {@link TrainerProgress#NONE}.
     *
     * @return the progress after the current epoch
     * @throws java.io.UncheckedIOException if a listener that holds back what it writes cannot write it out
     */
    default TrainerProgress progress() {
        return TrainerProgress.NONE;
    }
}
