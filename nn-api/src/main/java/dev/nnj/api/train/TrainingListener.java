package dev.nnj.api.train;

/** Receives progress from a {@link Trainer}; the digits trainer prints it, the library itself only logs. */
@FunctionalInterface
public interface TrainingListener {

    /** Called after every epoch, on the training thread. */
    void onEpochEnd(EpochStats stats);

    /** Called once when training stops (all epochs run, or stopped early). */
    default void onTrainingEnd(History history) {
    }
}
