package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every activation's forward and backward pass allocates nothing once warm, in a JVM that has run all of them.
 *
 * <p>The fast path's activations share dispatch code; once one JVM has used several, HotSpot compiles that code
 * with all of their branches hot, and if the result grows past what C2 inlines, the vectors passed to the calls
 * it leaves out are boxed: an allocation per vector, a few MB per (1437, 64) call. A network uses one or two
 * activations, but a JVM (a test suite, a server training several models) may run them all, so the test warms
 * every activation up in turn, interleaved, and only then counts.
 */
class ActivationAllocationTest {
    private static final int ROWS = 1437;
    private static final int COLS = 64;
    /** Rounds of every activation before counting: enough for C2 to compile the kernels. */
    private static final int WARM_UP = 1500;
    /** Rounds counted per window; the test takes the best of a few windows. */
    private static final int WINDOW = 50;
    private static final int WINDOWS = 10;

    @Test
    void everyActivationAllocatesNothingOnceWarmInAJvmThatRanThemAll() {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        Kernels kernels = Vectorization.create(null);
        assumeTrue(kernels instanceof VectorKernels, "the Vector API fast path is not in use");
        Random rnd = new Random(3);
        float[] z = random(rnd, ROWS * COLS);
        float[] bias = random(rnd, COLS);
        float[] dA = random(rnd, ROWS * COLS);
        float[] a = new float[ROWS * COLS];
        float[] dZ = new float[ROWS * COLS];
        Activation[] all = Activation.values();
        for (int i = 0; i < WARM_UP; i++) {
            for (Activation f : all) {
                round(kernels, f, z, bias, dA, a, dZ);
            }
        }
        List<String> allocating = new ArrayList<>();
        long self = Thread.currentThread().getId();
        for (Activation f : all) {
            long best = Long.MAX_VALUE;
            for (int w = 0; w < WINDOWS && best != 0; w++) {
                long before = threads.getThreadAllocatedBytes(self);
                for (int i = 0; i < WINDOW; i++) {
                    round(kernels, f, z, bias, dA, a, dZ);
                }
                best = Math.min(best, threads.getThreadAllocatedBytes(self) - before);
            }
            if (best > 0) {
                allocating.add(f + ": " + best / WINDOW + " bytes per forward and backward");
            }
        }
        assertTrue(allocating.isEmpty(), "activations that allocate once warm: " + allocating);
    }

    private static void round(Kernels k, Activation f, float[] z, float[] bias, float[] dA, float[] a, float[] dZ) {
        k.biasActivation(z, bias, ROWS, COLS, f, 0.3f, a);
        k.activationBackward(f, 0.3f, a, dA, dZ, ROWS, COLS);
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
