package dev.nnj.cpu;

import java.util.Random;

/**
 * A GEMM test problem: a shape {@code (m, n, k)} with random operands {@code a (m·k)}, {@code b (k·n)} and a
 * starting {@code c0 (m·n)}, drawn in that order, and the eight calls the tests make on it.
 */
final class GemmProblem {
    /**
     * One call: both transposes of A and of B, each with {@code beta = 0} (alpha 1, the old C ignored) and
     * {@code beta = 0.5} (alpha -1.5, the old C scaled and added).
     */
    record Call(boolean transposeA, boolean transposeB, float alpha, float beta) {
        /** All eight, in the order the tests have always used: ta fastest, then tb, then beta. */
        static final Call[] ALL = all();

        private static Call[] all() {
            Call[] calls = new Call[8];
            for (int combo = 0; combo < calls.length; combo++) {
                float beta = (combo & 4) != 0 ? 0.5f : 0f;
                calls[combo] = new Call((combo & 1) != 0, (combo & 2) != 0, beta == 0f ? 1f : -1.5f, beta);
            }
            return calls;
        }

        /** {@code c = alpha · op(a) · op(b) + beta · c} on the problem's operands with these kernels. */
        void run(Kernels kernels, GemmProblem problem, float[] c) {
            kernels.gemm(transposeA, transposeB, problem.m, problem.n, problem.k, alpha, problem.a, problem.b,
                    beta, c);
        }

        /** The same call on one {@link VectorGemm} directly, for tests that choose its JIT signal. */
        void run(VectorGemm gemm, GemmProblem problem, float[] c) {
            gemm.gemm(transposeA, transposeB, problem.m, problem.n, problem.k, alpha, problem.a, problem.b, beta, c);
        }

        @Override
        public String toString() {
            return "ta=" + transposeA + " tb=" + transposeB + " beta=" + beta;
        }
    }

    final int m;
    final int n;
    final int k;
    final float[] a;
    final float[] b;
    final float[] c0;

    private GemmProblem(int[] shape, Random rnd, boolean gaussian) {
        m = shape[0];
        n = shape[1];
        k = shape[2];
        a = random(rnd, m * k, gaussian);
        b = random(rnd, k * n, gaussian);
        c0 = random(rnd, m * n, gaussian);
    }

    /** Operands uniform in {@code [-1, 1)}. */
    static GemmProblem uniform(int[] shape, Random rnd) {
        return new GemmProblem(shape, rnd, false);
    }

    /** Operands standard normal. */
    static GemmProblem gaussian(int[] shape, Random rnd) {
        return new GemmProblem(shape, rnd, true);
    }

    private static float[] random(Random rnd, int size, boolean gaussian) {
        return gaussian ? TestArrays.gaussian(rnd, size) : TestArrays.uniform(rnd, size);
    }

    @Override
    public String toString() {
        return "(" + m + ", " + n + ", " + k + ")";
    }
}
