package dev.nnj.cpu;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of daemon worker threads that run the parts of a {@link ParallelTask} beside the calling
 * thread, with no allocation and no locks per dispatch.
 *
 * <p>Each worker waits for a new job: it spins for {@link #SPIN_NANOS} after its last one (the ops of a
 * training step come back to back, and waking a parked thread costs microseconds), then parks until
 * {@link #run} unparks it. Parts are claimed, not assigned: the caller runs part 0, and then, for a
 * {@code stealable} job, claims and runs every part no worker has started yet, so a worker that is slow to
 * wake (parked, or descheduled on a busy machine) costs nothing beyond the single-threaded time. A job whose
 * parts wait for each other at {@link #barrier()} (a GEMM packs a shared panel, then all parts compute from
 * it) is not stealable: each part must run on its own thread.
 *
 * <p><b>A busy machine.</b> When other processes hold the cores, a worker is often not running when a job is
 * posted, and every part waits for the scheduler to give it a core back: with the load average at 4 on 2 cores, the
 * digits trainer took 3.5-3.8 s on two threads against 2.5-2.7 s on one. So the pool watches for late parts: a
 * worker that claims its part more than {@link #LATE_NANOS} after the job was posted, or a job whose caller had to
 * run a part no worker had claimed by the end of its own, when its own took that long. After such a job,
 * {@link #threadsNow()} offers one thread for {@link #FIRST_BACKOFF_NANOS}, doubling while the next try is late
 * too (up to {@link #MAX_BACKOFF_NANOS}), and back to the first after a try that is not. How an op is split never
 * changes its result, so this changes only the time.
 *
 * <p><b>Waking is not always waiting.</b> After a one-thread spell every worker has parked, so the next try
 * measures how long the operating system takes to wake a thread. That is tens of microseconds on bare metal, but in
 * a virtual machine whose idle vCPUs halt it passes {@link #LATE_NANOS} often (a median of 297 µs on a 2-vCPU
 * machine; over it in 80 of 300 tries for 15 workers of a 16-vCPU one). Judged like a spinning worker, each try after
 * a spell was late again, and the 16-vCPU machine's pool stayed on one thread for good: GEMM n = 512 at 137 GFLOP/s
 * against 949 on its 16 threads. On a machine whose cores other processes hold, though, a slow wake-up is the
 * waiting itself. So a part counts as:
 * <ul>
 *   <li><b>late</b>: claimed by a spinning worker after {@link #LATE_NANOS}, by a woken worker after
 *       {@link #WAKE_LATE_NANOS}, or run by the caller itself after a long own part;</li>
 *   <li><b>slow to wake</b>: claimed by a woken worker between the two.</li>
 * </ul>
 * A job is late when at least a quarter of its workers' parts were late ({@link #many}): on two cores that is the
 * one worker, but among fifteen one straggler (a vCPU the host took for a moment) does not make a busy machine, and
 * dropping those fifteen threads for a spell costs far more than it can save. A late job opens a window of
 * {@link #STRICT_NANOS} in which slow wake-ups count as late parts too. On a busy machine late jobs keep coming and
 * the pool behaves as it did before this distinction; on an idle virtual machine the tries after a spell are judged
 * by the wake-up threshold once the window has passed, and the pool splits again.
 *
 * <p>One job at a time: {@link #run} from several threads at once is safe, the later callers wait for the
 * pool (a lock, uncontended in single-threaded use); a part must not call {@link #run} itself. They rarely need to:
 * while a job runs, {@link #threadsNow()} offers other callers one thread, so their ops run at once on their own
 * threads (the same bits: how an op is split never changes its result) rather than queue for the pool. Several
 * threads predicting at once then use the cores in parallel instead of taking turns at the pool; measured on 2 cores,
 * eight threads predicting 64 rows through a 64-64-10 network made 111,000 calls a second instead of 66,000-86,000,
 * with a 99th percentile of 21-26 µs instead of 0.2-3.8 ms, and a virtual thread per request (64 in flight) a 99th
 * percentile of 47-53 µs instead of 1.8-3.6 ms (docs/benchmark-log.md). An owner that
 * is dropped without {@link #close()} still ends the workers: register it with {@link #releaseWhenUnreachable}.
 */
final class WorkerPool implements AutoCloseable {

    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000L;
    /**
     * A part claimed this long after its job was posted was waiting for a core: far longer than a spinning worker
     * takes to see a job (well under a microsecond) or a parked one to wake (tens of microseconds), and shorter
     * than the scheduler's time slices, which are milliseconds.
     */
    static final long LATE_NANOS = 200_000L;
    /**
     * A part claimed this long after its job was posted by a worker that had parked was waiting for a core, not
     * only for the wake-up: above what waking a thread takes in a virtual machine, and about a scheduler time slice.
     */
    static final long WAKE_LATE_NANOS = 2_000_000L;
    /** How long after a late job a woken worker's slow wake-up counts as late too: the longest spell. */
    static final long STRICT_NANOS = 1_000_000_000L;
    /** How long ops run on one thread after the first late job. */
    static final long FIRST_BACKOFF_NANOS = 20_000_000L;
    /** The longest wait between tries of more threads, while every try is late. */
    static final long MAX_BACKOFF_NANOS = 1_000_000_000L;

    private final Worker[] workers;
    private volatile boolean closed;
    /** Set by close() before it waits for the job lock, so that a caller's next job does not go ahead of it. */
    private volatile boolean closing;
    /** Held for the whole of a multi-part job: the job fields below belong to one caller at a time. */
    private final ReentrantLock jobLock = new ReentrantLock();

    // The job being run: written by the caller before the claims word is published (a volatile write).
    private ParallelTask task;
    private int parts;
    private int generation;
    private volatile Throwable failure;
    /** Job generation (bits 32-63), its number of parts (bits 16-31) and the next unclaimed part (bits 0-15). */
    private final AtomicLong claims = new AtomicLong();
    /** Parts of the current job that have finished. */
    private final AtomicInteger finished = new AtomicInteger();

    // Sense-reversing barrier: the last part to arrive resets the count and flips the sense.
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile boolean sense;

    /** Whether the JIT compilers are busy now ({@link JitActivity#busy()} in a backend's pool). */
    private final BooleanSupplier compilersBusy;

    // Late parts (see the class comment). postedAt is written by the caller before the claims word is published.
    private long postedAt;
    /** When a part of a spinning worker counts as late: {@link #LATE_NANOS}. */
    private final long lateNanos;
    /** When a part of a worker that had parked counts as late: {@link #WAKE_LATE_NANOS}. */
    private final long wakeLateNanos;
    /** Parts of the current job claimed late (see the class comment). */
    private final AtomicInteger lateClaims = new AtomicInteger();
    /** Parts of the current job claimed by a woken worker after lateNanos but within wakeLateNanos. */
    private final AtomicInteger slowWakeClaims = new AtomicInteger();
    /** Until this System.nanoTime(), a slow wake-up counts as late; written under the job lock. */
    private long strictUntil = System.nanoTime();
    /**
     * Until this System.nanoTime(), ops get one thread; the pool's creation time until the first late job (nanoTime's
     * values may be negative, so 0 would not do). Read by any thread calling threadsNow().
     */
    private volatile long oneThreadUntil = System.nanoTime();
    /** The next wait after a late job; written under the job lock. */
    private long backoff = FIRST_BACKOFF_NANOS;
    /** Late jobs so far, for tests and descriptions. */
    private final AtomicLong lateJobs = new AtomicLong();

    /** A pool that runs jobs on the caller plus {@code threads - 1} workers, whatever the JIT is doing. */
    WorkerPool(int threads, String name) {
        this(threads, name, () -> false);
    }

    /**
     * A pool that runs jobs on the caller plus {@code threads - 1} workers, and offers one thread fewer to
     * ops ({@link #threadsNow()}) while {@code compilersBusy} says the JIT compilers are busy.
     */
    WorkerPool(int threads, String name, BooleanSupplier compilersBusy) {
        this(threads, name, compilersBusy, LATE_NANOS, WAKE_LATE_NANOS);
    }

    /**
     * As {@link #WorkerPool(int, String, BooleanSupplier)}, a part counting as late after {@code lateNanos}, or
     * {@code wakeLateNanos} when its worker had parked ({@link #LATE_NANOS} and {@link #WAKE_LATE_NANOS} in use;
     * tests give 0 to see the fallback happen).
     */
    WorkerPool(int threads, String name, BooleanSupplier compilersBusy, long lateNanos, long wakeLateNanos) {
        this.compilersBusy = compilersBusy;
        this.lateNanos = lateNanos;
        this.wakeLateNanos = wakeLateNanos;
        if (threads > 1 << 15) {
            throw new IllegalArgumentException("at most 32768 threads, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
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
     * Threads an op should split between now: {@link #threads()}, or one fewer while the JIT compilers are busy
     * (see {@link JitActivity}), so that a cold process leaves a core to the compilers instead of splitting
     * not-yet-compiled code between threads that contend with them; one while another caller's job holds the pool
     * (see the class comment), or for a spell after a late job.
     *
     * @return the parts an op may use now, at least 1
     */
    int threadsNow() {
        int all = threads();
        if (all == 1 || jobLock.isLocked() || System.nanoTime() - oneThreadUntil < 0) {
            return 1;
        }
        return compilersBusy.getAsBoolean() ? all - 1 : all;
    }

    /** Jobs so far whose parts waited for a core (see the class comment). */
    long lateJobs() {
        return lateJobs.get();
    }

    /** How long the next late job makes ops run on one thread. */
    long backoffNanos() {
        return backoff;
    }

    /**
     * Runs {@code task} split in {@code parts} ({@code 1 ≤ parts ≤ threads()}) and returns when all parts are
     * done, rethrowing the first failure of any part. With {@code stealable} the caller may run several
     * parts itself; without, every part runs on a different thread (required by {@link #barrier()}).
     */
    void run(ParallelTask task, int parts, boolean stealable) {
        if (parts <= 1) {
            task.run(0, 1);
            return;
        }
        if (closing) {
            throw closedPool();
        }
        jobLock.lock();
        try {
            runLocked(task, parts, stealable);
        } finally {
            jobLock.unlock();
        }
    }

    private void runLocked(ParallelTask task, int parts, boolean stealable) {
        if (closed) {
            throw closedPool();
        }
        this.task = task;
        this.parts = parts;
        this.failure = null;
        arrived.set(0);
        finished.set(0);
        lateClaims.set(0);
        slowWakeClaims.set(0);
        int gen = ++generation;
        long posted = System.nanoTime();
        postedAt = posted;
        // Part 0 is the caller's; the workers claim from part 1.
        claims.set((long) gen << 32 | (long) parts << 16 | 1);
        boolean woke = false;
        for (int w = 0; w < parts - 1; w++) {
            woke |= workers[w].post(gen);
        }
        runPart(0);
        int stolenLate = 0;
        int stolenSlowWake = 0;
        if (stealable) {
            long ownPart = System.nanoTime() - posted;
            // A part no worker claimed during a long own part: late, or only slow to wake when workers had parked.
            for (int p = claim(gen); p >= 0; p = claim(gen)) {
                if (ownPart > (woke ? wakeLateNanos : lateNanos)) {
                    stolenLate++;
                } else if (ownPart > lateNanos) {
                    stolenSlowWake++;
                }
                runPart(p);
            }
        }
        int spins = 0;
        while (finished.get() < parts) {
            spins = pause(spins);
        }
        this.task = null;
        int late = stolenLate + lateClaims.get();
        adaptTo(many(late, parts - 1), many(late + stolenSlowWake + slowWakeClaims.get(), parts - 1));
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

    /** Whether {@code late} of a job's {@code workerParts} parts are enough to call the job late: a quarter. */
    static boolean many(int late, int workerParts) {
        return late > 0 && 4 * late >= workerParts;
    }

    /**
     * After a job: one thread for a while if its parts waited for a core, the wait doubling while tries are late;
     * the first wait again after a try that was not. A late job opens the strict window; slow wake-ups count as
     * late only inside it.
     *
     * @param late     enough parts were late
     * @param slowWake enough parts were late or slow to wake
     */
    void adaptTo(boolean late, boolean slowWake) {
        long now = System.nanoTime();
        if (late) {
            strictUntil = now + STRICT_NANOS;
        }
        adaptTo(late || slowWake && now - strictUntil < 0);
    }

    /** As {@link #adaptTo(boolean, boolean)} for a job that was late ({@code late}) or on time. */
    void adaptTo(boolean late) {
        if (late) {
            lateJobs.incrementAndGet();
            oneThreadUntil = System.nanoTime() + backoff;
            backoff = Math.min(2 * backoff, MAX_BACKOFF_NANOS);
        } else {
            backoff = FIRST_BACKOFF_NANOS;
        }
    }

    private static IllegalStateException closedPool() {
        return new IllegalStateException("the cpu backend is closed (its worker pool has stopped)");
    }

    /** Claims the next unstarted part of job {@code gen}, or returns -1 when there is none (or the job is over). */
    private int claim(int gen) {
        while (true) {
            long c = claims.get();
            int next = (int) (c & 0xFFFF);
            if ((int) (c >>> 32) != gen || next >= (int) ((c >>> 16) & 0xFFFF)) {
                return -1;
            }
            if (claims.compareAndSet(c, c + 1)) {
                return next;
            }
        }
    }

    private void runPart(int part) {
        try {
            task.run(part, parts);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
        finished.incrementAndGet();
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
            spins = pause(spins);
        }
    }

    /** Spins briefly (the others run on other cores), then yields in case the machine is oversubscribed. */
    private static int pause(int spins) {
        if (spins < 10_000) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }

    /**
     * Closes this pool when {@code owner} becomes unreachable, so that a backend dropped without
     * {@code close()} does not keep its threads for the life of the JVM. Released so, it says once a JVM that the
     * owner should have been closed: until the collector found them, 300 backends dropped in a search kept 104
     * idle threads, without a word.
     *
     * @param owner the object whose reachability keeps the workers alive (it must not be reachable from the
     *              pool, or it never becomes unreachable)
     * @param what  the owner in the warning, such as {@code cpu backend}
     * @return the registration; {@link Cleaner.Cleanable#clean()} closes the pool now, once, without the warning
     */
    Cleaner.Cleanable releaseWhenUnreachable(Object owner, String what) {
        AtomicBoolean closedByOwner = new AtomicBoolean();
        int threads = workers.length;   // its own, not the caller that joins each job
        Cleaner.Cleanable registration = Releaser.CLEANER.register(owner, () -> {
            close();   // first: the warning below may fail, and the threads must end whatever it does
            if (!closedByOwner.get()) {
                try {
                    Releaser.unclosed(what, threads);
                } catch (RuntimeException | LinkageError e) {
                    // The logger's classes could not load: the class loader that loaded nnj is closed (an application
                    // undeployed without closing its backend). Nothing can be said; the threads have ended.
                }
            }
        });
        return () -> {
            closedByOwner.set(true);
            registration.clean();
        };
    }

    /** Holds the cleaner, whose daemon thread starts only once a pool is registered. */
    static final class Releaser {
        /**
         * On the JDK's own cleaner thread ("Cleaner-N"), not one of ours: a thread made here keeps the context
         * class loader and, before JDK 24, the access-control context of the code that first registered, and with
         * them the class loader that loaded nnj. A redeployed application's loader then stayed for the life of the
         * JVM, with a thread of its own; the JDK's thread keeps neither, and ends once the loader is gone.
         */
        static final Cleaner CLEANER = Cleaner.create();
        private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
        /** Whether an unclosed owner was named at WARN yet: once a JVM, the rest at DEBUG. */
        private static final AtomicBoolean WARNED = new AtomicBoolean();

        private static void unclosed(String what, int threads) {
            String message = "a " + what + " was not closed: the garbage collector released its " + threads
                    + " worker threads; close each backend when done (try-with-resources), or share one";
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("{} (later ones are logged at DEBUG)", message);
            } else {
                LOG.debug(message);
            }
        }
    }

    /**
     * Ends the workers; later jobs of more than one part are refused. A job in flight on another thread finishes
     * first: close() waits for it (the job lock), as its parts may be waiting for each other at
     * {@link #barrier()}, and without the lock a job checked as open could still post parts to workers that had
     * already quit. New jobs are refused from the moment close() is called. Closing twice is harmless.
     */
    @Override
    public void close() {
        closing = true;   // refuses new jobs now: the lock is not fair, and a busy caller would keep taking it
        jobLock.lock();
        try {
            closed = true;
        } finally {
            jobLock.unlock();
        }
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /** One worker thread: waits for a posted job, claims one part of it if any is left, runs it. */
    private final class Worker implements Runnable {
        private Thread thread;
        private volatile int posted;
        private volatile boolean parked;

        /** Posts job {@code gen}; true when the worker had parked and had to be woken. */
        boolean post(int gen) {
            posted = gen;
            // Dekker pairing with the worker's "parked = true; re-check posted": one of us sees the other.
            if (parked) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            int seen = 0;
            while (!closed) {
                long idleSince = System.nanoTime();
                boolean hadParked = false;
                while (posted == seen && !closed) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        hadParked = true;
                        if (posted == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (closed && posted == seen) {
                    return;
                }
                // A part posted before the pool closed still runs: its job may be waiting for it at a barrier
                // (close() from inside that job's own part is the one way for this to happen).
                seen = posted;
                // One part at most: parts of a job with barriers must run on different threads.
                int part = claim(seen);
                if (part >= 0) {
                    long waited = System.nanoTime() - postedAt;
                    if (waited > (hadParked ? wakeLateNanos : lateNanos)) {
                        lateClaims.incrementAndGet();
                    } else if (waited > lateNanos) {
                        slowWakeClaims.incrementAndGet();
                    }
                    runPart(part);
                }
            }
        }
    }
}
