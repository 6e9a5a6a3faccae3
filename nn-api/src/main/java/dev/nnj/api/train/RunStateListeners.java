package dev.nnj.api.train;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners that keep one run's state, claimed by the fit they serve while it runs, so that a second fit at the
 * same time is refused rather than mixed in.
 *
 * <p>A search that builds one {@link Trainer} and calls {@code fit} from several threads (each with its own model
 * and optimizer) hands every fit the same listener objects. {@link ReduceLROnPlateau} then cut the learning rate of
 * whichever run started last, from the other run's metric (a run's accuracy fell from 0.9861 to 0.9056, differently
 * every time), and two {@link CsvLogger}s' rows interleaved in one file, some torn. Such listeners are
 * {@link ResumableListener}s (their state is a run's, which a checkpoint saves), {@link CsvLogger} and
 * {@link ModelCheckpoint}; a listener of one's own that keeps nothing may serve several fits at once, as before.
 */
final class RunStateListeners {
    /** Each claimed listener, with the thread whose fit holds it. */
    private static final Map<TrainingListener, Thread> RUNNING = new IdentityHashMap<>();

    private RunStateListeners() {
    }

    /**
     * Claims the listeners of {@code listeners} that keep a run's state, for the calling thread's fit.
     *
     * @return the claimed ones, for {@link #release}
     * @throws IllegalStateException naming the first listener another running fit holds, and that fit's thread
     */
    static synchronized List<TrainingListener> claim(List<TrainingListener> listeners) {
        List<TrainingListener> claimed = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (!(l instanceof ResumableListener || l instanceof CsvLogger || l instanceof ModelCheckpoint)
                    || claimed.contains(l)) {
                continue;
            }
            Thread holder = RUNNING.get(l);
            if (holder != null) {
                claimed.forEach(RUNNING::remove);
                throw new IllegalStateException("the listener " + l.getClass().getSimpleName() + " is serving "
                        + "another fit, running on thread '" + holder.getName() + "': a listener that keeps a run's "
                        + "state (ReduceLROnPlateau, CsvLogger, ModelCheckpoint) serves one fit at a time, and "
                        + "shared it would mix the two runs; build a Trainer, with listeners of its own, for each "
                        + "fit that runs at the same time");
            }
            RUNNING.put(l, Thread.currentThread());
            claimed.add(l);
        }
        return claimed;
    }

    /** Releases what {@link #claim} claimed, when its fit ends, however it ends. */
    static synchronized void release(List<TrainingListener> claimed) {
        claimed.forEach(RUNNING::remove);
    }
}
