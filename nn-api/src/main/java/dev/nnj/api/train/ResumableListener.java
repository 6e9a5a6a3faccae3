package dev.nnj.api.train;

import java.util.Map;

/**
 * A {@link TrainingListener} whose state a checkpoint keeps, so that a run resumed from it continues the listener
 * where it was (PyTorch Lightning's callback {@code state_dict}). {@link ModelCheckpoint} saves
 * {@link #saveState()} after every epoch; a trainer built with {@link Trainer.Builder#resumeFrom} hands the saved
 * state to {@link #restoreState} after {@link #onTrainingStart} and before the first resumed epoch.
 * {@link ReduceLROnPlateau} is one.
 *
 * <p>The state is a flat map of strings, written into the checkpoint's JSON as they are: write numbers with
 * {@link Double#toString} or {@link Integer#toString}, which read back to the same value.
 */
public interface ResumableListener extends TrainingListener {

    /**
     * Names this listener's state in a checkpoint; two listeners of one trainer must not share a key.
     *
     * @return the key, for example {@code "ReduceLROnPlateau"}
     */
    String stateKey();

    /**
     * The state after the last epoch this listener has seen.
     *
     * @return its entries
     */
    Map<String, String> saveState();

    /**
     * Puts back what {@link #saveState()} returned in the run that saved the checkpoint. Called once, after
     * {@link #onTrainingStart}; not called when the checkpoint holds no state under {@link #stateKey()} (one saved
     * without this listener), which then starts afresh.
     *
     * @param state the saved entries
     * @throws IllegalArgumentException if the state is malformed or cannot be continued by this listener (for
     *         example one saved with another metric); the run then does not start
     */
    void restoreState(Map<String, String> state);
}
