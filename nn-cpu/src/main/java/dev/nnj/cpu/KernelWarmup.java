package dev.nnj.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code -Dnnj.cpu.warmup=true}: brings the Vector API kernels to compiled code on a background thread,
 * once per JVM, while the program trains on the plain-Java kernels ({@link SwitchingKernels}).
 *
 * <p>Why: until HotSpot's C2 has compiled a Vector API loop, the interpreter and C1 run it as calls that
 * allocate a vector object per operation, tens to hundreds of times slower than scalar code; and C2 only
 * compiles a method after thousands of calls. Run on real shapes, that phase cost a cold run of the digits
 * trainer seconds and hundreds of MiB of garbage. Here the same kernels run on a {@link KernelWorkout}
 * (shapes of tens of rows, so each interpreted call is cheap) until they are fast, and only then do the
 * backends switch to them.
 *
 * <p>When is it done? The workout repeats until at least {@link #MIN_ROUNDS} rounds have run (enough calls
 * for C2's thresholds), and no round of the last {@link #QUIET_ROUNDS} was clearly faster than the best
 * before it (C2-compiled Vector API code is tens of times faster than C1's, so a newly compiled kernel shows),
 * and the best round is at least {@link #SPEED_UP} times faster than the early ones; or, at the latest,
 * after {@link #MAX_NANOS} of the warm-up thread's CPU time. The switch then happens at the next op, on the
 * training thread.
 */
final class KernelWarmup implements Runnable {
    /**
     * System property: {@code -Dnnj.cpu.warmup=true} turns the warm-up and the scalar bridge on. Off by
     * default: measured side by side on a 2-core machine, whole runs of the digits trainer took more CPU time
     * with it than without (medians 10.1 s against 8.3 s): the workout's own interpreted phase and C2's
     * compiles cost more than the bridge saves; see docs/benchmarks.md.
     */
    static final String PROPERTY = "nnj.cpu.warmup";

    /** Rounds at least: every op of the workout called over 600 times, C2's minimum (Tier4MinInvocationThreshold). */
    static final int MIN_ROUNDS = 700;
    /** Rounds in a row with no clearly faster round before the kernels count as compiled. */
    static final int QUIET_ROUNDS = 100;
    /**
     * The most CPU time the warm-up thread spends (wall time where the JVM cannot measure it); the kernels
     * are switched on after it in any case.
     */
    static final long MAX_NANOS = 4_000_000_000L;
    /** Rounds {@code [EARLY_FROM, EARLY_TO)} give the early (interpreted or C1) time per round. */
    static final int EARLY_FROM = 10;
    static final int EARLY_TO = 30;
    /** How much faster than early on the best round must be: C2's Vector API code is tens of times faster. */
    static final int SPEED_UP = 8;

    private static final Logger LOG = LoggerFactory.getLogger(KernelWarmup.class);
    /** The JVM-wide state: compiled code is shared by every backend of the process. */
    private static volatile boolean done;
    private static boolean started;

    private final Kernels kernels;

    private KernelWarmup(Kernels kernels) {
        this.kernels = kernels;
    }

    /** True when {@value #PROPERTY} is {@code true}; otherwise the Vector API kernels run from the first op. */
    static boolean enabled() {
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    /** True once the warm-up has finished in this JVM (or was never needed). */
    static boolean done() {
        return done;
    }

    /**
     * Starts the warm-up on a daemon thread unless it has run or is running in this JVM.
     *
     * @param kernels a single-threaded instance of the kernels to warm, used by the warm-up thread alone
     */
    static synchronized void startOnce(Kernels kernels) {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(new KernelWarmup(kernels), "nnj-kernel-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        java.lang.management.ThreadMXBean clock = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuClock = clock.isCurrentThreadCpuTimeSupported();
        long cpuStart = cpuClock ? clock.getCurrentThreadCpuTime() : 0;
        try {
            KernelWorkout workout = new KernelWorkout(kernels, 42);
            long best = Long.MAX_VALUE;
            long early = Long.MAX_VALUE;
            int quiet = 0;
            boolean compiled = false;
            while (true) {
                long t0 = System.nanoTime();
                workout.step();
                long dt = System.nanoTime() - t0;
                if (workout.rounds() >= EARLY_FROM && workout.rounds() < EARLY_TO) {
                    early = Math.min(early, dt);
                }
                // A round clearly faster than the best so far (a method newly compiled) restarts the count.
                quiet = dt * 3 < best * 2 ? 0 : quiet + 1;
                best = Math.min(best, dt);
                if (workout.rounds() >= MIN_ROUNDS && quiet >= QUIET_ROUNDS && best * SPEED_UP < early) {
                    compiled = true;
                    break;
                }
                // The cap counts this thread's own CPU time: on a busy machine wall time says little.
                long spent = cpuClock ? clock.getCurrentThreadCpuTime() - cpuStart : System.nanoTime() - start;
                if (spent > MAX_NANOS) {
                    break;
                }
            }
            LOG.debug("cpu kernels: Vector API kernels {} after {} ms ({} rounds, {} us per round at the end"
                    + " against {} us early on); switching from the scalar kernels",
                    compiled ? "warmed up" : "still warming up", (System.nanoTime() - start) / 1_000_000,
                    workout.rounds(), best / 1000, early / 1000);
        } catch (RuntimeException | Error e) {
            LOG.debug("cpu kernels: warm-up stopped early ({}); switching to the Vector API kernels", e.toString());
        } finally {
            done = true;
        }
    }
}
