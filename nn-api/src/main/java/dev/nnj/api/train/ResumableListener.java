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
     * Names this listener's state in a checkpoint. Listeners of one trainer that share a key (two plateau rules)
     * are told apart by their order: the second one's state is kept as {@code key#2}, the third's as {@code key#3},
     * so a resumed run must add them in the same order.
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
     * @throws IllegalArgumentException if the state is malformed; the run then does not start (a listener whose
     *         settings changed since, so that the state no longer applies, had better start afresh with a warning, as
     *         {@link ReduceLROnPlateau} does for another metric)
     */
    void restoreState(Map<String, String> state);
}
