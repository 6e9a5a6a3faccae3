package dev.nnj.api.train;

import java.util.ArrayList;
import java.util.List;

/** Picks the listeners that want {@link TrainingListener#onBatchEnd} calls, once per training run. */
final class BatchEvents {
    private static final TrainingListener[] NONE = new TrainingListener[0];

    private BatchEvents() {
    }

    /**
     * The listeners whose {@link TrainingListener#wantsBatchEvents()} is true, as an array the batch loop walks
     * by index (no iterator per batch).
     *
     * @param listeners all of the trainer's listeners
     * @return those that want batch events; an empty array for none
     */
    static TrainingListener[] listeners(List<TrainingListener> listeners) {
        List<TrainingListener> wanted = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (l.wantsBatchEvents()) {
                wanted.add(l);
            }
        }
        return wanted.isEmpty() ? NONE : wanted.toArray(NONE);
    }
}
