package dev.nnj.cuda;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The backend's threading rule, enforced: any thread may call an op; calls from several threads take turns.
 *
 * <ul>
 *   <li>Every outermost op first makes the backend's CUDA context current on the calling thread
 *       ({@code cuCtxSetCurrent} is per thread), so handing a model from one thread to another — an executor, a
 *       test framework, a UI worker — just works, and so does one thread using two backends on two devices, or
 *       other CUDA code that changed the thread's context between two ops. Setting it on every op, not only
 *       when the thread changes, costs one driver call that is cheap beside the op it precedes; skipping it
 *       when the same thread comes back would run the op in whatever context that thread last had.</li>
 *   <li>A call while another thread is inside an op waits for it (a fair lock), so ops never interleave on one
 *       cuBLAS handle and one stream. Every op is issued in full before the next starts, and all go to one
 *       stream in that order, so two threads working on their own tensors (two models, or concurrent
 *       {@code predict} calls with per-call buffers) each see their own ops in their own order: serialised,
 *       correct, no faster than one thread.</li>
 * </ul>
 * Re-entry from the same thread (an op built from other ops) is allowed. The cost is an uncontended lock per op.
 */
final class ThreadGuard {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Runnable makeCurrent;
    private volatile boolean closed;

    /** {@code makeCurrent} runs on the calling thread before each outermost op. */
    ThreadGuard(Runnable makeCurrent) {
        this.makeCurrent = makeCurrent;
    }

    /**
     * Enters an op, waiting while another thread is inside one; pair with {@link #exit()} in a {@code finally}.
     *
     * @param op the op's name, for the message when the backend is closed
     * @throws IllegalStateException if the backend is closed
     */
    void enter(String op) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("cuda backend is closed ('" + op + "' called after close())");
            }
            if (lock.getHoldCount() == 1) {   // an op built from other ops sets it once
                makeCurrent.run();
            }
        } catch (RuntimeException | Error e) {
            lock.unlock();
            throw e;
        }
    }

    /** Leaves the op entered last by this thread. */
    void exit() {
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
