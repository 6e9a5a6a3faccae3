package dev.nnj.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon worker threads that run the parts of a {@link ParallelTask} beside the calling
 * thread, with no allocation and no locks per dispatch.
 *
 * <p>Each worker waits for a new generation number: it spins for {@link #SPIN_NANOS} after its last job
 * (ops of a training step come back to back, and waking a parked thread costs tens of microseconds), then
 * parks until {@link #run} unparks it. The caller runs part 0 itself and spins until every worker has
 * published the generation it finished. {@link #barrier()} lets the parts of one job wait for each other
 * (a GEMM packs a shared panel, then all parts compute from it).
 *
 * <p>Not reentrant: one {@link #run} at a time, from the backend's single calling thread.
 */
final class WorkerPool implements AutoCloseable {

    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000L;

    private final Worker[] workers;
    private volatile boolean closed;

    // The job being run: written by the caller before the generation is published (a volatile write).
    private ParallelTask task;
    private int parts;
    private volatile Throwable failure;

    // Sense-reversing barrier: the last part to arrive resets the count and flips the sense.
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile boolean sense;

    /** A pool that runs jobs on the caller plus {@code threads - 1} workers. */
    WorkerPool(int threads, String name) {
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            Thread t = new Thread(workers[i], name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** Threads that run a job's parts, the caller included. */
    int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} split in {@code parts} ({@code 1 ≤ parts ≤ threads()}) and returns when all parts are
     * done, rethrowing the first failure of any part.
     */
    void run(ParallelTask task, int parts) {
        if (parts <= 1) {
            task.run(0, 1);
            return;
        }
        if (closed) {
            throw new IllegalStateException("the cpu backend's worker pool is closed");
        }
        this.task = task;
        this.parts = parts;
        this.failure = null;
        arrived.set(0);
        for (int w = 0; w < parts - 1; w++) {
            workers[w].post();
        }
        try {
            task.run(0, parts);
        } catch (Throwable t) {
            fail(t);
        }
        for (int w = 0; w < parts - 1; w++) {
            workers[w].awaitDone();
        }
        this.task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new IllegalStateException("cpu kernel failed", f);
        }
    }

    /** Waits until every part of the current job has reached this call. */
    void barrier() {
        int n = parts;
        if (n <= 1) {
            return;
        }
        boolean mySense = !sense;
        if (arrived.incrementAndGet() == n) {
            arrived.set(0);
            sense = mySense;
            return;
        }
        int spins = 0;
        while (sense != mySense) {
            if (failure != null) {
                throw new IllegalStateException("another part of the job failed", failure);
            }
            // Spin briefly (the other parts are running on other cores), yield if the machine is oversubscribed.
            if (++spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /** One worker thread; {@code index} is the part it runs. */
    private final class Worker implements Runnable {
        private final int index;
        private Thread thread;
        private volatile long posted;
        private volatile long done;
        private volatile boolean parked;

        Worker(int index) {
            this.index = index;
        }

        void post() {
            posted = posted + 1;
            // Dekker pairing with the worker's "parked = true; re-check posted": one of us sees the other.
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        void awaitDone() {
            long target = posted;
            int spins = 0;
            while (done != target) {
                if (++spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                long idleSince = System.nanoTime();
                while (posted == seen && !closed) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (posted == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (closed) {
                    return;
                }
                seen = posted;
                try {
                    task.run(index, parts);
                } catch (Throwable t) {
                    fail(t);
                }
                done = seen;
            }
        }
    }
}
