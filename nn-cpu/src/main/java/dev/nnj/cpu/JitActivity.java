package dev.nnj.cpu;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JVM's JIT compilers are busy now: the share of the recent wall time they spent compiling, from
 * {@link CompilationMXBean#getTotalCompilationTime()}.
 *
 * <p>Why the cpu backend asks: for the first seconds of a process HotSpot compiles the Vector API kernels,
 * and until C2 has compiled them they run a hundred times slower than afterwards. On a machine with few cores
 * a worker thread splitting an op then competes with the compiler threads for the same cores, which delays the
 * compiled code for every op that follows; {@link WorkerPool#threadsNow()} leaves one core to the compilers
 * while they are busy. On the digits trainer (2 cores) this takes about half a second off a cold run, and
 * nothing off a warm one: once compiled code has taken over, the compilers are idle and the ops split again.
 *
 * <p>The compilation time advances in steps, when each compile ends (a large C2 compile takes 50-150 ms), so it
 * is read over a window of {@value #WINDOW_MILLIS} ms: the compilers count as busy while they spent more than
 * {@value #BUSY_PERCENT} % of the last completed window compiling. Sampling costs one native call every
 * {@value #WINDOW_MILLIS} ms at most and allocates nothing. Without the monitoring (another JVM, or a runtime
 * without {@code java.management}) the compilers count as idle: the pool then splits ops as it always did.
 *
 * <p>{@link #recentlyBusy()} is the steadier signal, for choices that should not flip with each window: while
 * C2 works through a queue of compiles, single windows without a finished compile still come every so often.
 */
final class JitActivity {
    /** Length of the sampling window. */
    static final long WINDOW_MILLIS = 50;
    /** Compiling for more than this share of a window counts as busy. */
    static final long BUSY_PERCENT = 25;
    /** Idle windows after the last busy one for {@link #recentlyBusy()} to turn false. */
    static final int QUIET_WINDOWS = 4;

    private static final CompilationMXBean BEAN = compilationBean();

    // A heuristic read by all threads: a racy update only moves the window edge, never breaks anything.
    private static volatile long windowStartNanos = System.nanoTime();
    private static volatile long windowStartCompileMillis = compileMillis();
    /** Starts true: a JVM that has just started is compiling. */
    private static volatile boolean busy = BEAN != null;
    /** Idle windows since the last busy one. */
    private static volatile int idleWindows = BEAN != null ? 0 : QUIET_WINDOWS;

    private JitActivity() {
    }

    /**
     * True while the JIT compilers spent more than {@value #BUSY_PERCENT} % of the last window compiling.
     *
     * @return whether the compilers are busy
     */
    static boolean busy() {
        if (BEAN == null) {
            return false;
        }
        long now = System.nanoTime();
        long elapsedMillis = (now - windowStartNanos) / 1_000_000L;
        if (elapsedMillis >= WINDOW_MILLIS) {
            long compile = compileMillis();
            busy = (compile - windowStartCompileMillis) * 100 > BUSY_PERCENT * elapsedMillis;
            idleWindows = busy ? 0 : Math.min(idleWindows + 1, QUIET_WINDOWS);
            windowStartNanos = now;
            windowStartCompileMillis = compile;
        }
        return busy;
    }

    /**
     * True while any of the last {@value #QUIET_WINDOWS} windows was busy ({@link #busy()}): the compilers have
     * been idle for at most {@value #QUIET_WINDOWS} x {@value #WINDOW_MILLIS} ms.
     *
     * @return whether the compilers were busy recently
     */
    static boolean recentlyBusy() {
        busy();
        return idleWindows < QUIET_WINDOWS;
    }

    private static long compileMillis() {
        return BEAN == null ? 0 : BEAN.getTotalCompilationTime();
    }

    private static CompilationMXBean compilationBean() {
        try {
            CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
            return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
        } catch (RuntimeException | LinkageError e) {
            return null;   // no java.management module, or no JIT (-Xint): the pool splits ops as before
        }
    }
}
