package dev.nnj.spark;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.model.Sequential;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An executor's reusable nnj workspace: a backend and a network, lent to one task at a time.
 *
 * <p>A slot is used by one task at a time, so that concurrent tasks on one executor never share a network (whose
 * parameters each task overwrites) or a backend's worker pool; building a backend per task would repeat its start-up
 * cost on every step, so each executor keeps a small pool of slots. A slot
 * carries no training state from one task to the next that matters: every task overwrites the parameters
 * before it computes, which is what makes a retried task compute exactly what the first attempt did.
 * Rounds of many local steps build their own network on the slot's backend instead (see
 * {@link PartitionWorker#localSteps}).
 */
final class WorkerSlot implements AutoCloseable {
    /** More idle slots than task threads are never needed; extras are closed. */
    private static final int MAX_IDLE = 64;
    private static final ConcurrentLinkedQueue<WorkerSlot> IDLE = new ConcurrentLinkedQueue<>();

    private final String backendName;
    private final Backend backend;
    private NetworkSpec spec;
    private Sequential model;

    private WorkerSlot(String backendName) {
        this.backendName = backendName;
        this.backend = open(backendName);
    }

    /**
     * The backend the {@code backend} param names, or nnj's best when it is empty. A model saved where the name
     * was there (a GPU machine's {@code cuda}) and loaded where it is not is told how to run anyway.
     *
     * @param backendName the param's value
     * @return a new backend; close it
     * @throws IllegalStateException when no such backend can be had, naming the param and the way out
     */
    static Backend open(String backendName) {
        if (backendName.isEmpty()) {
            return Backends.best();
        }
        try {
            return Backends.get(backendName);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (the backend param; setBackend(\"\") runs on the "
                    + "best backend available here)", e);
        }
    }

    /**
     * Borrows a slot whose backend is {@code backendName} and whose network is {@code spec}.
     *
     * @param backendName backend to use, empty for nnj's best available one
     * @param spec        the network
     * @return a slot owned by the caller until {@link #close()}
     */
    static WorkerSlot borrow(String backendName, NetworkSpec spec) {
        WorkerSlot slot = null;
        for (WorkerSlot s; (s = IDLE.poll()) != null; ) {
            if (s.backendName.equals(backendName)) {
                slot = s;
                break;
            }
            s.dispose();
        }
        if (slot == null) {
            slot = new WorkerSlot(backendName);
        }
        slot.prepare(spec);
        return slot;
    }

    private void prepare(NetworkSpec newSpec) {
        if (model != null && newSpec.equals(spec)) {
            return;
        }
        closeModel();
        // No seed: every task overwrites the parameters before use, and tells the dropout layers their masks.
        model = newSpec.buildForPartitions(backend);
        spec = newSpec;
    }

    /** @return the network, parameters to be overwritten by the task */
    Sequential model() {
        return model;
    }

    /** @return the backend */
    Backend backend() {
        return backend;
    }

    /** Returns the slot to the pool. */
    @Override
    public void close() {
        if (IDLE.size() < MAX_IDLE) {
            IDLE.offer(this);
        } else {
            dispose();
        }
    }

    private void closeModel() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    private void dispose() {
        closeModel();
        backend.close();
    }
}
