package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A known failure, kept runnable: the exponential-based activations boxing their vectors after some JIT histories.
 *
 * <p>{@link ActivationAllocationTest} warms every activation up with a bias, in whatever JVM the suite gives it,
 * and nearly always passes (it failed in 1 of 5 full runs of the suite on one day, and once, tanh only, when
 * run alone in a fresh JVM). Two other histories make it far likelier, each in fresh JVMs (this class's
 * {@link #main}):
 * <ul>
 *   <li>{@code products}: a few matrix products first (those of {@code SplitInvarianceTest}'s (64, 10, 1437)
 *       shape, all eight transpose and beta variants, half a second), then the same warm-up;</li>
 *   <li>{@code both}: every activation warmed up with a bias and without one, interleaved.</li>
 * </ul>
 * After either, HotSpot's C2 sometimes compiles the sigmoid, tanh, ELU and softmax forward passes with some
 * Vector API calls left as calls, and every vector is boxed: 3-5 MB per (1437, 64) forward pass, about ten times
 * slower. Measured on a 2-core AVX-512 machine, in fresh JVMs: {@code products} on JDK 17 in 6 of 6, on
 * Temurin 25 in 0 of 2, and in 1 of 4 when the {@code both} warm-up followed the products (softmax only,
 * 2.4 MB); {@code both} on JDK 17 in 1 of 6, on Temurin 25 in 0 of 2. What the compile logs show
 * ({@code -XX:+LogCompilation}, {@code -XX:+PrintIntrinsics}): a bad compile of the sigmoid's forward pass has 19
 * virtual calls inside the Vector API ({@code FloatVector.lanewise} 10, {@code broadcast} 5, {@code vspecies} 2,
 * {@code Vector.length} 2) where a good one has none, and uses type-check traps fewer times (30-47 against 83);
 * behind such a call C2 no longer knows the vector's species ("missing constant"), cannot intrinsify the
 * operations that follow, and boxes. The likely cause: HotSpot compiles a type-checked call as virtual where a
 * type check at that bytecode has failed before, in any compile, and those bytecodes are in the Vector API's
 * own methods, shared by every kernel. After the products, the traps at those bytecodes (four each, in
 * {@code FloatVector.lanewiseTemplate}, {@code VectorOperators.opKind}, {@code VectorSupport.binaryOp},
 * {@code load}, {@code store}, {@code blend}, {@code broadcastCoerced}) all come from C2 compiling those Vector
 * API methods on their own, which it does when code still running in C1 calls them out of line. No kernel
 * takes or returns a vector, and since this test was written no kernel chooses a vector by a branch either (a
 * layer without a bias adds −0s). Taking the exponential out of line (a method C2 never inlines) made the
 * boxing smaller (0.3-1.5 MB, in the exponential alone) but not rarer, and cost tanh and ELU 10-40 %: not kept.
 * Not solved, so off by default (CI would fail): run it with
 * {@code mvn -pl nn-cpu test -Dtest=ActivationJitHistoryAllocationTest -Dnnj.test.knownFailures=true}.
 */
class ActivationJitHistoryAllocationTest {
    /** Fresh JVMs per history: whether C2's compile goes wrong varies from one to the next. */
    private static final int JVMS = 2;
    private static final int ROWS = 1437;
    private static final int COLS = 64;
    private static final int WARM_UP = 1500;

    @Test
    @EnabledIfSystemProperty(named = "nnj.test.knownFailures", matches = "true")
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
