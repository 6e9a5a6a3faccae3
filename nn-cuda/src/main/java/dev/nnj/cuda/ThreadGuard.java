package dev.nnj.cuda;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The backend's threading rule, enforced: any thread may call an op, one at a time.
 *
 * <ul>
 *   <li>A call from a thread other than the previous caller first makes the backend's CUDA context current on
 *       that thread ({@code cuCtxSetCurrent} is per thread), so handing a model from one thread to another —
 *       an executor, a test framework, a UI worker — just works.</li>
 *   <li>A call while another thread is inside an op is rejected with {@link IllegalStateException} naming both
 *       threads, instead of interleaving two streams of work on one cuBLAS handle and one set of buffers.</li>
 * </ul>
 * Re-entry from the same thread (an op built from other ops) is allowed. The cost is an uncontended lock per op.
 */
final class ThreadGuard {
    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable makeCurrent;
    private volatile Thread owner;
    private Thread lastThread;
    private volatile boolean closed;

    /** {@code makeCurrent} runs on a thread before its first op there (and again after another thread's). */
    ThreadGuard(Runnable makeCurrent) {
        this.makeCurrent = makeCurrent;
    }

    /**
     * Enters an op; pair with {@link #exit()} in a {@code finally}.
     *
     * @throws IllegalStateException if another thread is inside an op, or the backend is closed
     */
    void enter(String op) {
        Thread me = Thread.currentThread();
        if (!lock.tryLock()) {
            Thread other = owner;
            throw new IllegalStateException("cuda backend: '" + op + "' called on thread '" + me.getName()
                    + "' while thread '" + (other == null ? "?" : other.getName()) + "' is inside another op;"
                    + " a backend may be used from any thread, but from one at a time");
        }
        try {
            if (closed) {
                throw new IllegalStateException("cuda backend is closed ('" + op + "' called after close())");
            }
            if (lock.getHoldCount() == 1) {
                owner = me;
                if (lastThread != me) {
                    makeCurrent.run();
                    lastThread = me;
                }
            }
        } catch (RuntimeException | Error e) {
            if (lock.getHoldCount() == 1) {
                owner = null;
            }
            lock.unlock();
            throw e;
        }
    }

    void exit() {
        if (lock.getHoldCount() == 1) {
            owner = null;
        }
        lock.unlock();
    }

    /** Marks the guard closed; later {@link #enter} calls fail. Call while entered, from the closing thread. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
