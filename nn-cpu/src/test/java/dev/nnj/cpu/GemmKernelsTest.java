package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tuned GEMMs against the reference on shapes that cross every blocking boundary (register tile,
 * KC, MC, NC) and every thread split, for all four transpose combinations with and without beta. The
 * conformance suite checks the backend's ops on small odd shapes; these shapes are the ones only a
 * blocked kernel can get wrong.
 */
class GemmKernelsTest {

    /**
     * (m, n, k) triples: tails of every tile size, several KC blocks, rows beyond MC and beyond the in-place
     * B limit, columns beyond NC, narrow C (transposed A read in place, with a partial last tile).
     */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {3, 5, 7}, {4, 33, 2}, {13, 31, 17}, {25, 65, 300},
        {64, 64, 64}, {97, 130, 257}, {200, 70, 513}, {151, 4200, 3}, {300, 33, 40}, {7, 260, 600},
        {37, 20, 1100}, {100, 64, 530}, {700, 40, 20}, {600, 4100, 3}, {590, 70, 1030},
    };

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void matchesReference(int threads) {
        WorkerPool pool = threads > 1 ? new WorkerPool(threads, "test") : null;
        try {
            Kernels tuned = Vectorization.create(pool);
            Kernels scalar = new ScalarKernels(pool);
            ReferenceKernels reference = new ReferenceKernels();
            Random rnd = new Random(threads);
            for (int[] s : SHAPES) {
                GemmProblem problem = GemmProblem.uniform(s, rnd);
                for (GemmProblem.Call call : GemmProblem.Call.ALL) {
                    float[] expected = problem.c0.clone();
                    call.run(reference, problem, expected);
                    String what = tuned.label() + " " + problem + " " + call;
                    check(what, expected, run(tuned, call, problem), problem.k);
                    check("scalar " + what, expected, run(scalar, call, problem), problem.k);
                }
            }
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /**
     * Few rows of C split its columns between the threads. Each part packs its own slivers of B; when the
     * parts shared one packed buffer, a part that ran ahead into the next, shallower KC block or the next,
     * differently split NC block overwrote slivers the other was still reading, so these shapes (several
     * KC blocks, more columns than NC) failed at random. Repeated, because a race shows only sometimes.
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void columnSplitPartsDoNotShareTheirPackedB(int threads) {
        WorkerPool pool = new WorkerPool(threads, "test");
        try {
            Kernels tuned = Vectorization.create(pool);
            ReferenceKernels reference = new ReferenceKernels();
            Random rnd = new Random(42);
            int[][] shapes = {{3, 5000, 700}, {12, 4300, 1100}, {7, 260, 600}};
            GemmProblem.Call call = new GemmProblem.Call(false, true, 1f, 0f);
            for (int[] s : shapes) {
                GemmProblem problem = GemmProblem.uniform(s, rnd);
                float[] expected = new float[problem.m * problem.n];
                call.run(reference, problem, expected);
                for (int repeat = 0; repeat < 15; repeat++) {
                    check(tuned.label() + " " + problem + " " + call + ", repeat " + repeat, expected,
                            run(tuned, call, problem), problem.k);
                }
            }
        } finally {
            pool.close();
        }
    }

    private static float[] run(Kernels kernels, GemmProblem.Call call, GemmProblem problem) {
        float[] c = problem.c0.clone();
        if (call.beta() == 0f) {
            // beta = 0 must ignore the old contents, NaN included.
            java.util.Arrays.fill(c, Float.NaN);
        }
        call.run(kernels, problem, c);
        return c;
    }

    private static void check(String what, float[] expected, float[] actual, int k) {
        // Summation order differs between the kernels: allow a few ulps per term of the dot product.
        float tolerance = 1e-5f * k + 1e-5f;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * (1f + Math.abs(expected[i])), what + " at " + i);
        }
    }
}
