package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exponential-based activations allocate nothing once warm even after the JIT histories that used to make C2
 * box their vectors, each in a fresh JVM (this class's {@link #main}):
 * <ul>
 *   <li>{@code products}: a few matrix products first (those of {@code SplitInvarianceTest}'s (64, 10, 1437)
 *       shape, all eight transpose and beta variants, half a second), then {@link ActivationAllocationTest}'s
 *       warm-up;</li>
 *   <li>{@code both}: every activation warmed up with a bias and without one, interleaved.</li>
 * </ul>
 * Until the kernels were written for it, C2 compiled the sigmoid, tanh, ELU and softmax forward passes after
 * {@code products} with Vector API calls left as calls, which boxed every vector: 3.4-6.2 MB per (1437, 64)
 * forward pass, about ten times slower, on JDK 17 in 6 of 6 fresh JVMs (Temurin 25: 1 of 6), and after
 * {@code both} in 1 of 6; the test suite's own order hit it in about 1 of 8 full runs. The cause, from the
 * compile logs ({@code -XX:+LogCompilation}): each forward pass with the exponential inlined into it was past
 * C2's parse-time inlining budget, so its last operations were inlined late, bound by type profiles; the
 * products had left type-check traps in the Vector API's shared methods (C2 compiles them on their own while
 * nnj's kernels still run in C1), more than 100 of them summed over one compile, and C2 then drops every type
 * profile in that compile. See {@link VectorGemm#EXACT} for how the kernels avoid depending on a profile, and
 * {@code KernelInliningTest}, which checks it directly in a compile log, whatever the history.
 */
class ActivationJitHistoryAllocationTest {
    /** Fresh JVMs per history (whether C2's compile went wrong varied from one JVM to the next). */
    private static final int JVMS = 1;
    private static final int ROWS = 1437;
    private static final int COLS = 64;
    private static final int WARM_UP = 1500;

    @Test
    void exponentialActivationsAllocateNothingOnceWarmAfterEitherHistory() throws Exception {
        assumeTrue(Vectorization.create(null) instanceof VectorKernels, "the Vector API fast path is not in use");
        List<String> allocating = new ArrayList<>();
        for (String history : new String[] {"products", "both"}) {
            for (int jvm = 0; jvm < JVMS; jvm++) {
                for (String line : ChildJvm.run(ActivationJitHistoryAllocationTest.class, history).split("\n")) {
                    if (line.startsWith("ALLOCATES ")) {
                        allocating.add(history + ", JVM " + (jvm + 1) + ": " + line.substring(10));
                    }
                }
            }
        }
        assertTrue(allocating.isEmpty(), "activations that allocate once warm: " + allocating);
    }

    /**
     * One history, then a count of each activation's allocation; prints
     * {@code ALLOCATES <activation>...} for each that still allocates.
     *
     * @param args {@code products} or {@code both}
     */
    public static void main(String[] args) {
        Kernels kernels = Vectorization.create(null);
        boolean products = args[0].equals("products");
        if (products) {
            GemmProblem problem = GemmProblem.gaussian(new int[] {64, 10, 1437}, new Random(11));
            for (GemmProblem.Call call : GemmProblem.Call.ALL) {
                call.run(kernels, problem, problem.c0.clone());
            }
        }
        for (String line : ActivationAllocationTest.allocatingOnceWarm(kernels, Activation.values(), ROWS, COLS,
                WARM_UP, 3, !products)) {
            System.out.println("ALLOCATES " + line);
        }
    }
}
