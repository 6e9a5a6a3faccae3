package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
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
    /** Rounds of every activation, interleaved, before any is counted. */
    private static final int WARM_UP = 1500;

    @Test
    void everyActivationAllocatesNothingOnceWarmInAJvmThatRanThemAll() {
        Kernels kernels = Vectorization.create(null);
        assumeTrue(kernels instanceof VectorKernels, "the Vector API fast path is not in use");
        List<String> allocating = allocatingOnceWarm(kernels, Activation.values(), ROWS, COLS, WARM_UP, 3, false);
        assertTrue(allocating.isEmpty(), "activations that allocate once warm: " + allocating);
    }

    /**
     * Runs forward and backward passes of every activation in {@code set}, interleaved, {@code warmUp} rounds on
     * random {@code (rows, cols)} arrays, then counts each one's allocation alone.
     *
     * @param alsoWithoutBias also run (and count) every pass without a bias, right after the one with it
     * @return {@code "<activation>: <bytes> bytes per forward and backward"} for each that still allocates
     *         ({@code "<activation> with a bias: ..."} and {@code "... without a bias: ..."} if
     *         {@code alsoWithoutBias})
     */
    static List<String> allocatingOnceWarm(Kernels kernels, Activation[] set, int rows, int cols, int warmUp,
                                           long seed, boolean alsoWithoutBias) {
        Random rnd = new Random(seed);
        float[] z = TestArrays.gaussian(rnd, rows * cols);
        float[] bias = TestArrays.gaussian(rnd, cols);
        float[] dA = TestArrays.gaussian(rnd, rows * cols);
        float[] a = new float[rows * cols];
        float[] dZ = new float[rows * cols];
        float[][] biases = alsoWithoutBias ? new float[][] {bias, null} : new float[][] {bias};
        for (int i = 0; i < warmUp; i++) {
            for (Activation f : set) {
                for (float[] b : biases) {
                    round(kernels, f, z, b, dA, a, dZ, rows, cols);
                }
            }
        }
        List<String> allocating = new ArrayList<>();
        for (Activation f : set) {
            for (float[] b : biases) {
                long bytes = AllocationFreeTest.fewestBytesAllocatedByAWindow(
                        step -> round(kernels, f, z, b, dA, a, dZ, rows, cols));
                if (bytes > 0) {
                    String which = !alsoWithoutBias ? "" : b == null ? " without a bias" : " with a bias";
                    allocating.add(f + which + ": " + bytes / AllocationFreeTest.WINDOW
                            + " bytes per forward and backward");
                }
            }
        }
        return allocating;
    }

    /** One forward ({@code a = f(z + bias)}) and backward pass of {@code f} on {@code (rows, cols)} arrays. */
    static void round(Kernels k, Activation f, float[] z, float[] bias, float[] dA, float[] a, float[] dZ, int rows,
                      int cols) {
        k.biasActivation(z, bias, rows, cols, f, 0.3f, a);
        k.activationBackward(f, 0.3f, a, dA, dZ, rows, cols);
    }
}
