package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tuned kernels give the same bits however an op is split between threads. The backend relies on it: how
 * many threads an op uses depends on the moment ({@link WorkerPool#threadsNow()} offers one fewer while the JIT
 * compilers are busy), and a training run must not depend on when the compilers finished.
 */
class SplitInvarianceTest {
    /** Shapes that stay on one thread, that split by rows, and that split by columns (few rows). */
    private static final int[][] GEMM_SHAPES = {
        {1437, 64, 64}, {1437, 10, 64}, {64, 10, 1437}, {1437, 64, 10}, {64, 64, 1437}, {360, 64, 64},
        {32, 64, 64}, {97, 130, 257}, {7, 260, 600}, {600, 4100, 3}, {590, 70, 1030}, {64, 64, 64},
    };

    @Test
    void gemmGivesTheSameBitsOnOneTwoAndThreeThreads() {
        Random rnd = new Random(11);
        try (WorkerPool two = new WorkerPool(2, "test"); WorkerPool three = new WorkerPool(3, "test")) {
            Kernels[] kernels = {Vectorization.create(null), Vectorization.create(two), Vectorization.create(three)};
            for (int[] s : GEMM_SHAPES) {
                GemmProblem problem = GemmProblem.gaussian(s, rnd);
                for (GemmProblem.Call call : GemmProblem.Call.ALL) {
                    float[] one = problem.c0.clone();
                    call.run(kernels[0], problem, one);
                    for (int t = 1; t < kernels.length; t++) {
                        float[] split = problem.c0.clone();
                        call.run(kernels[t], problem, split);
                        assertSameBits("gemm " + problem + " " + call + " on " + (t + 1) + " threads", one, split);
                    }
                }
            }
        }
    }

    @Test
    void rowAndElementPassesGiveTheSameBitsOnOneAndTwoThreads() {
        Random rnd = new Random(12);
        int rows = 1437;
        int cols = 64;
        try (WorkerPool two = new WorkerPool(2, "test")) {
            Kernels one = Vectorization.create(null);
            Kernels split = Vectorization.create(two);
            float[] z = TestArrays.gaussian(rnd, rows * cols);
            float[] bias = TestArrays.gaussian(rnd, cols);
            float[] dA = TestArrays.gaussian(rnd, rows * cols);
            for (Activation f : Activation.values()) {
                float[] a1 = new float[rows * cols];
                float[] a2 = new float[rows * cols];
                one.biasActivation(z, bias, rows, cols, f, 0.3f, a1);
                split.biasActivation(z, bias, rows, cols, f, 0.3f, a2);
                assertSameBits(f + " forward", a1, a2);
                float[] d1 = new float[rows * cols];
                float[] d2 = new float[rows * cols];
                one.activationBackward(f, 0.3f, a1, dA, d1, rows, cols);
                split.activationBackward(f, 0.3f, a1, dA, d2, rows, cols);
                assertSameBits(f + " backward", d1, d2);
            }
            int n = rows * cols + 5;
            float[] p0 = TestArrays.gaussian(rnd, n);
            float[] g = TestArrays.gaussian(rnd, n);
            float[] p1 = p0.clone();
            float[] p2 = p0.clone();
            float[] m1 = new float[n];
            float[] m2 = new float[n];
            float[] v1 = new float[n];
            float[] v2 = new float[n];
            one.adamStep(p1, g, m1, v1, null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 0.01f, 0.0447f);
            split.adamStep(p2, g, m2, v2, null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 0.01f, 0.0447f);
            assertSameBits("adam parameters", p1, p2);
            assertSameBits("adam second moments", v1, v2);
            float[] max1 = TestArrays.gaussian(rnd, n);
            float[] max2 = max1.clone();
            one.adamStep(p1, g, m1, v1, max1, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 0.01f, 0.0447f);
            split.adamStep(p2, g, m2, v2, max2, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 0.01f, 0.0447f);
            assertSameBits("amsgrad parameters", p1, p2);
            assertSameBits("amsgrad largest second moments", max1, max2);
            float[] buf1 = new float[n];
            float[] buf2 = new float[n];
            one.sgdStep(p1, g, buf1, n, 0.1f, 0.9f, 0f, 1e-4f, true, true);
            split.sgdStep(p2, g, buf2, n, 0.1f, 0.9f, 0f, 1e-4f, true, true);
            assertSameBits("sgd parameters", p1, p2);
        }
    }

    /**
     * Rows shorter than a vector (a 10-class output) are activated as one flat run per part, so a part's
     * boundary falls inside a vector; 4003 rows cut into 2 or 3 parts at rows whose flat offsets are not
     * multiples of the vector length, with and without a bias, for every activation (each gives the same bits
     * in every JIT tier, so two parts of one op may even run in different tiers).
     */
    @Test
    void shortRowsGiveTheSameBitsWhereverTheRowsAreCut() {
        Random rnd = new Random(13);
        int rows = 4003;
        int cols = 10;
        try (WorkerPool two = new WorkerPool(2, "test"); WorkerPool three = new WorkerPool(3, "test")) {
            Kernels[] kernels = {Vectorization.create(null), Vectorization.create(two), Vectorization.create(three)};
            float[] z = TestArrays.gaussian(rnd, rows * cols);
            for (int i = 0; i < z.length; i += 7) {
                z[i] *= 30f;   // some large inputs: exponentials near under- and overflow
            }
            float[] bias = TestArrays.gaussian(rnd, cols);
            for (Activation f : Activation.values()) {
                for (float[] b : new float[][] {bias, null}) {
                    float[] expected = new float[rows * cols];
                    kernels[0].biasActivation(z, b, rows, cols, f, 0.3f, expected);
                    float[] expectedBack = new float[rows * cols];
                    kernels[0].activationBackward(f, 0.3f, expected, z, expectedBack, rows, cols);
                    for (int t = 1; t < kernels.length; t++) {
                        String what = f + (b == null ? " without" : " with") + " bias on " + (t + 1) + " threads";
                        float[] actual = new float[rows * cols];
                        kernels[t].biasActivation(z, b, rows, cols, f, 0.3f, actual);
                        assertSameBits(what, expected, actual);
                        float[] actualBack = new float[rows * cols];
                        kernels[t].activationBackward(f, 0.3f, expected, z, actualBack, rows, cols);
                        assertSameBits(what + ", backward", expectedBack, actualBack);
                    }
                }
            }
        }
    }

    /**
     * While the JIT compilers are busy a product runs its micro-kernels in calls of {@link VectorGemm#COLD_KSTEP}
     * steps, each continuing from the tile the last stored: the same bits as whole calls, for depths under and
     * over a block ({@link VectorGemm#KC}), edge tiles, both layouts of A and B read in place or packed, and
     * tall products of depth 33 to 64 (more than {@link VectorGemm#COLD_TALL_ROWS} rows), which are cut too.
     */
    @Test
    void gemmGivesTheSameBitsInShortKernelCallsAsInWholeOnes() {
        Random rnd = new Random(14);
        int[][] shapes = {{1437, 64, 1}, {5, 3, 31}, {13, 40, 33}, {25, 17, 600}, {12, 32, 1100}, {600, 40, 50}};
        try (WorkerPool two = new WorkerPool(2, "test")) {
            VectorGemm whole = new VectorGemm(null, () -> false);
            VectorGemm[] cold = {new VectorGemm(null, () -> true), new VectorGemm(two, () -> true)};
            for (int[][] set : new int[][][] {GEMM_SHAPES, shapes}) {
                for (int[] s : set) {
                    GemmProblem p = GemmProblem.gaussian(s, rnd);
                    for (GemmProblem.Call call : GemmProblem.Call.ALL) {
                        float[] expected = p.c0.clone();
                        call.run(whole, p, expected);
                        for (VectorGemm g : cold) {
                            float[] actual = p.c0.clone();
                            call.run(g, p, actual);
                            assertSameBits("gemm " + p + " " + call + " in short calls", expected, actual);
                        }
                    }
                }
            }
        }
    }

    /**
     * A narrow weight gradient, {@code aᵀ · b} with C at most one vector wide, is computed as its transpose
     * ({@link VectorGemm#asTranspose}): the same bits as the product computed as asked, on one and two threads,
     * over depths under and over a block ({@link VectorGemm#KC}) and widths from one column to a whole vector,
     * whole tiles of the transpose over more than one block included.
     */
    @Test
    void narrowWeightGradientsGiveTheSameBitsAsComputedDirectly() {
        Random rnd = new Random(15);
        int l = VectorGemm.L;
        int mr = VectorGemm.MR;
        // All over the flop threshold at 256 and 512 bits, transposed where C is at most a vector wide (not the
        // first at 256 bits); the last has whole transposed tiles over two blocks.
        int[][] shapes = {{64, 10, 1437}, {64, 1, 9000}, {100, l, 512}, {VectorGemm.NR, 3, 20000},
            {1437, mr - 1, 3000}, {1437, mr + 1, 512}, {100, mr, 1000}};
        try (WorkerPool two = new WorkerPool(2, "test")) {
            VectorGemm[] gemms = {new VectorGemm(null, () -> false), new VectorGemm(two, () -> false)};
            for (VectorGemm g : gemms) {
                for (int[] s : shapes) {
                    GemmProblem p = GemmProblem.gaussian(s, rnd);
                    assertTrue(VectorGemm.asTranspose(true, false, p.m, p.n, p.k, 1f, 0f) == (p.n <= l),
                            p + " as its transpose");
                    float[] direct = p.c0.clone();
                    g.product(true, false, p.m, p.n, p.k, 1f, p.a, p.b, 0f, direct, true);
                    float[] transposed = p.c0.clone();
                    g.gemm(true, false, p.m, p.n, p.k, 1f, p.a, p.b, 0f, transposed);
                    assertSameBits("gemm " + p + " as its transpose", direct, transposed);
                }
            }
        }
    }

    /**
     * The activations built on the exponential take a few rows at a time, biased first
     * ({@link VectorActivations#biasActivationRows}): the same bits as each row through its kernel alone, for rows
     * that fill whole vectors and rows that leave a scalar tail, a last group cut short, a range starting inside a
     * group, inputs large enough to underflow the exponential, and {@code out} the same array as {@code z}.
     */
    @Test
    void rowsActivatedTogetherGiveTheSameBitsAsRowByRow() {
        Random rnd = new Random(16);
        ExpScratch scratch = new ExpScratch();
        int rows = 37;
        for (int cols : new int[] {VectorGemm.L, 17, 20, 33, 64, 100, 128, 129}) {
            float[] z = TestArrays.gaussian(rnd, rows * cols);
            for (int i = 0; i < z.length; i += 7) {
                z[i] *= 60f;
            }
            float[] bias = TestArrays.gaussian(rnd, cols);
            for (Activation f : Activation.values()) {
                if (f == Activation.SOFTMAX) {
                    continue;
                }
                VectorActivationKernel kernel = VectorActivationKernel.of(f);
                float[] expected = new float[rows * cols];
                for (int i = 0; i < rows; i++) {
                    kernel.forwardRow(z, bias, i * cols, cols, 0.3f, expected, scratch);
                }
                float[] actual = new float[rows * cols];
                VectorActivations.biasActivationRows(z, bias, cols, f, 0.3f, actual, 0, 5, scratch);
                VectorActivations.biasActivationRows(z, bias, cols, f, 0.3f, actual, 5, rows, scratch);
                assertSameBits(f + " on rows of " + cols, expected, actual);
                float[] inPlace = z.clone();
                VectorActivations.biasActivationRows(inPlace, bias, cols, f, 0.3f, inPlace, 0, rows, scratch);
                assertSameBits(f + " on rows of " + cols + " in place", expected, inPlace);
            }
        }
    }

    /**
     * A row's products get the same bits wherever it falls in a batch, in a whole tile or one cut by the edge of C,
     * alone or among others, past one block of depth and with an old C to add to: every element is one chain of
     * FMAs from 0 or from C. Before, a tile cut by the edge summed each block from 0 and added the sum to C, so that
     * with inputs wider than 512 (MNIST's 784) all 40 rows of a batch differed from the same rows alone.
     */
    @Test
    void aRowGetsTheSameBitsWhereverItFallsInABatch() {
        Random rnd = new Random(17);
        Kernels kernels = Vectorization.create(null);
        int rows = 41;   // whole tiles of 12 (or 6) rows, then an edge tile
        for (int k : new int[] {64, 600, 1100}) {
            for (int n : new int[] {10, 64, 70}) {
                float[] a = TestArrays.gaussian(rnd, rows * k);
                float[] b = TestArrays.gaussian(rnd, k * n);
                float[] c0 = TestArrays.gaussian(rnd, rows * n);
                for (float[] ab : new float[][] {{1f, 0f}, {-1.5f, 0.5f}}) {
                    float[] batch = c0.clone();
                    kernels.gemm(false, false, rows, n, k, ab[0], a, b, ab[1], batch);
                    for (int first : new int[] {0, 5, 12, 36, 40}) {
                        for (int count : new int[] {1, 4, 5}) {
                            int m = Math.min(count, rows - first);
                            float[] part = new float[m * k];
                            System.arraycopy(a, first * k, part, 0, m * k);
                            float[] c = new float[m * n];
                            System.arraycopy(c0, first * n, c, 0, m * n);
                            kernels.gemm(false, false, m, n, k, ab[0], part, b, ab[1], c);
                            float[] expected = new float[m * n];
                            System.arraycopy(batch, first * n, expected, 0, m * n);
                            assertSameBits("rows " + first + ".." + (first + m - 1) + " of (" + rows + ", " + k
                                    + ") x (" + k + ", " + n + "), alpha " + ab[0] + ", beta " + ab[1], expected, c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowsAreCutWhereTheirElementsFillWholeVectors() {
        assertEquals(16, RangeTask.rowGrain(1, 16));
        assertEquals(8, RangeTask.rowGrain(10, 16));
        assertEquals(4, RangeTask.rowGrain(100, 16));
        assertEquals(1, RangeTask.rowGrain(64, 16));
        assertEquals(1, RangeTask.rowGrain(24, 8));
        assertEquals(8, RangeTask.rowGrain(7, 8));
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], 0f, what + ": element " + i + " differs");
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        what + ": element " + i + " differs in its bits");
            }
        }
    }

}
