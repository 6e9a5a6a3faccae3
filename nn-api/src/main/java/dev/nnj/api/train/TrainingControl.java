package dev.nnj.api.train;

import dev.nnj.api.optim.Optimizer;

/**
 * What a {@link TrainingListener} may do to the run it watches: ask it to stop, and read or change the
 * optimizer's learning rate. {@link Trainer#fit} hands one to every listener's
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
     * Epochs requested for the run.
     *
     * @return the trainer's epoch count
     */
    int epochs();
}
