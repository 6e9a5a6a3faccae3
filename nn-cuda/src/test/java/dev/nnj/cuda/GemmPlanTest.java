package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The row-major → column-major mapping, checked against a plain column-major SGEMM that follows cuBLAS's
 * definition (the "reference BLAS" loop), for every pair of transpose flags and odd sizes. The three products
 * of CUDA-NOTES.md are checked argument by argument.
 */
class GemmPlanTest {

    @Test
    void denseProductsMatchTheMeasuredCalls() {
        int b = 5;
        int in = 3;
        int out = 7;
        // Y = X·W: cublasSgemm(N, N, out, b, in, 1, W, out, X, in, 0, Y, out)
        assertEquals(new GemmPlan(false, false, out, b, in, out, in, out), GemmPlan.rowMajor(false, false, b, out, in));
        // dX = dY·Wᵀ: cublasSgemm(T, N, in, b, out, 1, W, out, dY, out, 0, dX, in)
        assertEquals(new GemmPlan(true, false, in, b, out, out, out, in), GemmPlan.rowMajor(false, true, b, in, out));
        // dW = Xᵀ·dY: cublasSgemm(N, T, out, in, b, 1, dY, out, X, in, 0, dW, out)
        assertEquals(new GemmPlan(false, true, out, in, b, out, in, out), GemmPlan.rowMajor(true, false, in, out, b));
    }

    @Test
    void everyTransposeCombinationOnOddShapes() {
        Random rnd = new Random(42);
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {17, 3, 65}, {65, 1, 3}, {2, 33, 1}};
        for (int[] s : shapes) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, k * n);
                float[] c = random(rnd, m * n);
                float[] expected = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int p = 0; p < k; p++) {
                            double aip = ta ? a[p * m + i] : a[i * k + p];
                            double bpj = tb ? b[j * k + p] : b[p * n + j];
                            dot += aip * bpj;
                        }
                        expected[i * n + j] = (float) (0.5 * dot + 2.0 * c[i * n + j]);
                    }
                }
                float[] got = c.clone();
                columnMajorSgemm(GemmPlan.rowMajor(ta, tb, m, n, k), 0.5f, b, a, 2f, got);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 1e-4f * (1 + Math.abs(expected[i])),
                            "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " at " + i);
                }
            }
        }
    }

    /**
     * cuBLAS's definition: C(M×N) = α op(A)(M×K) op(B)(K×N) + β C, column-major, element (r, c) of a matrix
     * with leading dimension ld at {@code r + c·ld}. Here "A" is the plan's first operand (our b).
     */
    static void columnMajorSgemm(GemmPlan p, float alpha, float[] first, float[] second, float beta, float[] c) {
        for (int col = 0; col < p.cublasN(); col++) {
            for (int row = 0; row < p.cublasM(); row++) {
                double dot = 0;
                for (int q = 0; q < p.cublasK(); q++) {
                    double x = p.transposeFirst() ? first[q + row * p.ldFirst()] : first[row + q * p.ldFirst()];
                    double y = p.transposeSecond() ? second[col + q * p.ldSecond()] : second[q + col * p.ldSecond()];
                    dot += x * y;
                }
                int at = row + col * p.ldc();
                c[at] = beta == 0f ? (float) (alpha * dot) : (float) (alpha * dot + beta * c[at]);
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
