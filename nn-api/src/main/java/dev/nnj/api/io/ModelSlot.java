package dev.nnj.api.io;

import dev.nnj.api.spi.Checks;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a service predicts with, replaced while it serves: {@link #swap} publishes a new model at once, and the
 * old one is closed when the last call that started on it returns, so that no request fails or waits for a swap.
 *
 * <pre>{@code
 * ModelSlot slot = new ModelSlot(ModelFiles.load(path, backend));
 * // request threads, any number:
 * float[] probabilities = slot.predict(features, rows);
 * // a reload, on any thread (write the file under a new name and rename it over the old first):
 * slot.swap(ModelFiles.load(path, backend));
 * // at shutdown:
 * slot.close();
 * }</pre>
 *
 * <p>Why not an {@code AtomicReference<SavedModel>}: a request reads the reference, the swap publishes the new model
 * and closes the old one, and only then does the request call {@code predict}, on a closed model. Each call here
 * holds a lease on the model it started on: a count of the calls in flight plus one for the slot itself while the
 * model is current. A swap drops the slot's count; the call that brings it to 0 closes the model. A call takes its
 * lease with a compare-and-set that fails on a count of 0, so it never starts on a model being closed: it reads the
 * slot again and finds the new one.
 *
 * <p>The slot owns the models given to it: use them only through it ({@link #apply} for several calls on one model),
 * and do not close them yourself. Closing the slot closes the current model when its calls have returned; calls
 * after that throw {@link IllegalStateException}.
 */
public final class ModelSlot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

    /** A model and its leases: the calls in flight on it, plus one while it is the slot's current model. */
    private static final class Lease {
        final SavedModel model;
        final AtomicInteger holders = new AtomicInteger(1);

        Lease(SavedModel model) {
            this.model = model;
        }
    }

    private final AtomicReference<Lease> current;
    /**
     * The networks this slot has let go of, by identity (a new {@link SavedModel} record around one of them is the
     * same network), weakly held so that a closed one is collected: swapped in again while a call still holds them,
     * they would be closed under the slot when that call returns.
     */
    private final java.util.Set<dev.nnj.api.model.Sequential> retired = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>()));

    /**
     * A slot serving {@code first}.
     *
     * @param first the model to serve; the slot owns it from now on
     * @throws IllegalArgumentException if {@code first} is closed or on a closed backend
     * @throws NullPointerException if {@code first} is null
     */
    public ModelSlot(SavedModel first) {
        requireOpen(Checks.requireNonNull("ModelSlot", "first", first), "ModelSlot");
        current = new AtomicReference<>(new Lease(first));
    }

    private static void requireOpen(SavedModel model, String op) {
        if (model.model().isClosed()) {
            throw new IllegalArgumentException(op + ": the model is closed; give the slot an open one");
        }
        if (model.model().backend().isClosed()) {
            // Taken, it would fail every request until the next swap, and the swap would have closed a working model.
            throw new IllegalArgumentException(op + ": the model's backend is closed (" + model.model().backend()
                    + "); load the model on an open one");
        }
    }

    /**
     * {@link SavedModel#predict} on the current model.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1
     * @return the model's {@code (rows, outputWidth)} outputs, as {@link SavedModel#predict}
     * @throws IllegalStateException if the slot is closed
     */
    public float[] predict(float[] rawFeatures, int rows) {
        return apply(model -> model.predict(rawFeatures, rows));
    }

    /**
     * {@link SavedModel#predictClasses} on the current model.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1
     * @return each row's class index, as {@link SavedModel#predictClasses}
     * @throws IllegalStateException if the slot is closed
     */
    public int[] predictClasses(float[] rawFeatures, int rows) {
        return apply(model -> model.predictClasses(rawFeatures, rows));
    }

    /**
     * Runs {@code call} on the current model, which stays open until it returns even if a {@link #swap} replaces
     * it meanwhile: for several calls that must see one model (classes, then their names). {@code call} must not
     * keep the model beyond its return, nor close it.
     *
     * @param call what to do with the model
     * @param <T>  what it returns
     * @return what {@code call} returned
     * @throws IllegalStateException if the slot is closed
     */
    public <T> T apply(Function<SavedModel, T> call) {
        Checks.requireNonNull("ModelSlot.apply", "call", call);
        Lease lease = acquire();
        try {
            return call.apply(lease.model);
        } finally {
            release(lease);
        }
    }

    /**
     * Serves {@code next} from now on: calls that start after this returns use it. The model it replaces is closed
     * when the calls in flight on it have returned (at once, on this thread, when there are none).
     *
     * @param next the new model; the slot owns it from now on
     * @throws IllegalStateException if the slot is closed (then {@code next} is closed too, as the slot owned it)
     * @throws IllegalArgumentException if {@code next} is the slot's model already (swapping it out would close it),
     *         one the slot has let go of before (closed, or about to be, when its last call returns), closed, or on a
     *         closed backend
     * @throws NullPointerException if {@code next} is null
     */
    public synchronized void swap(SavedModel next) {   // swaps are rare: one at a time keeps the checks whole
        Checks.requireNonNull("ModelSlot.swap", "next", next);
        requireOpen(next, "swap");
        if (retired.contains(next.model())) {
            throw new IllegalArgumentException("swap: the slot has served that model before and let go of it, so it "
                    + "is closed or will be when its last call returns; load the file again for a new model");
        }
        Lease replacement = new Lease(next);
        Lease old;
        do {
            old = current.get();
            if (old == null) {
                IllegalStateException closed = new IllegalStateException("swap: the model slot is closed");
                try {
                    next.close();   // the slot owned it
                } catch (RuntimeException e) {
                    closed.addSuppressed(e);
                }
                throw closed;
            }
            if (old.model.model() == next.model()) {
                throw new IllegalArgumentException("swap: that model is the slot's already; swapping it out would "
                        + "close the model the slot goes on serving");
            }
        } while (!current.compareAndSet(old, replacement));
        retired.add(old.model.model());
        release(old);   // the slot's own lease: the last call on the old model closes it
    }

    /**
     * Closes the slot: later calls and swaps throw {@link IllegalStateException}. Returns at once; the current model
     * is closed when its calls in flight have returned, by the last of them, so close the backend only after those
     * (a call still running when its backend closes fails with "the cpu backend is closed"). Closing twice is a
     * no-op.
     */
    @Override
    public synchronized void close() {
        Lease old = current.getAndSet(null);
        if (old != null) {
            release(old);
        }
    }

    private Lease acquire() {
        while (true) {
            Lease lease = current.get();
            if (lease == null) {
                throw new IllegalStateException("the model slot is closed");
            }
            int holders = lease.holders.get();
            // 0: swapped out and closing, and the slot already holds its successor; read it again.
            if (holders > 0 && lease.holders.compareAndSet(holders, holders + 1)) {
                return lease;
            }
        }
    }

    private static void release(Lease lease) {
        if (lease.holders.decrementAndGet() == 0) {
            try {
                lease.model.close();
            } catch (RuntimeException e) {
                // The request that happened to be last has its answer; the model's close is not its failure.
                LOG.warn("closing a model its slot let go of (swapped out, or the slot closed) failed: {}",
                        e.toString());
            }
        }
    }
}
