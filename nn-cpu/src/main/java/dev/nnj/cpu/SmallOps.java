package dev.nnj.cpu;

import dev.nnj.api.Activation;
import java.util.Arrays;

/**
 * Forward ops on a few rows, such as a service's one-row prediction, in plain Java that gives the Vector API
 * kernels' bits: a row predicted alone gets the same answer, to the bit, as inside a batch.
 *
 * <p>Why: Vector API code runs the API's Java fallbacks, which allocate an object per vector operation, until C2
 * has compiled it. A training run calls its kernels thousands of times a second and gets there within about a
 * second; a service calling them once per request gets there after thousands of requests. With the vector kernels
 * a cold JVM's first 1,000 one-row predictions of the digits network (64-64-10) took 0.75 s and allocated 279 MB,
 * with 293 MiB of peak RSS, against 39 ms and under 1 MB on the plain-Java kernels, and warm they are about as fast
 * (4 µs a call). These ops are fast from the interpreter on, and C1 compiles them within a few calls.
 *
 * <p>How they give the same bits:
 * <ul>
 *   <li><b>Product.</b> {@link VectorGemm} computes every element of C as one chain
 *       {@code c = fma(a'_ip, b_pj, c)} over {@code p} in order, with {@code a' = alpha · a} rounded as packing
 *       rounds it, from +0 when {@code beta = 0} and else from C (a {@code beta} other than 0 and 1 scales C once up
 *       front), carried on through its blocks of {@link VectorGemm#KC} steps of depth. {@link #gemm} does exactly
 *       that, one element's chain at a time, and {@link Math#fma} is a lane's FMA.</li>
 *   <li><b>Elementwise activations.</b> {@link LaneFormulas#activate}, the formula of the vector loops' scalar
 *       tails (which already give the lanes' bits), the exponential by
 *       {@link LaneFormulas#expNonPositive(float)}.</li>
 *   <li><b>Softmax</b> of rows shorter than a vector (a 10-class output): {@link VectorSoftmax}'s own passes,
 *       the exponential by the scalar formula. Longer rows are left to the vector kernel, which sums a row lane
 *       by lane ({@link #isSmallActivation}).</li>
 * </ul>
 * {@code SmallOpsTest} checks each against the vector kernels over batches, special values included.
 *
 */
final class SmallOps {
    private SmallOps() {
    }

    /** Products and activations of at most this many rows come here: a request's row, or a few. */
    static final int MAX_ROWS = 3;
    /**
     * Products of at most this many multiply-adds ({@code m·n·k}) come here: a 64 x 128 layer's, one row. Plain Java
     * runs a multiply-add at a time where the vector kernels run sixteen, so beyond a small layer a warm call costs
     * clearly more. One-row predictions after 100,000 calls, the hidden layer's width (a 64-wide input): 64 units
     * 1.6-1.8 µs against 1.1-1.2 µs on the vector kernels; 128 units 3.0-4.7 against 2.5-2.7 µs (a busy machine);
     * 256 units 6.0 against 2.7-2.9 µs, which is why they stay on the vector kernels.
     */
    static final long MAX_PRODUCT = 1L << 13;
    /** Activations of at most this many elements come here (a few rows of a few hundred exponentials at most). */
    static final int MAX_ELEMENTS = 256;

    /** Whether {@link #gemm} takes a product of this shape. */
    static boolean isSmallProduct(int m, int n, int k) {
        return m <= MAX_ROWS && (long) m * n * k <= MAX_PRODUCT;
    }

    /** Whether {@link #biasActivation} takes an activation of this shape. */
    static boolean isSmallActivation(int rows, int cols, Activation f) {
        return rows <= MAX_ROWS && (long) rows * cols <= MAX_ELEMENTS && (f != Activation.SOFTMAX || cols < VectorGemm.L);
    }

    /**
     * {@code c = alpha · op(a) · op(b) + beta · c}, as {@link Kernels#gemm}, for {@link #isSmallProduct} shapes,
     * in {@link VectorGemm}'s order of operations with its fused multiply-adds (see the class comment), so that a
     * product gives the same bits whichever of the two computes it. Not the reference: that is
     * {@link ReferenceKernels#gemm}, one plain dot product per element, which rounds each product and sum apart.
     */
    static void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c) {
        if (beta != 0f && beta != 1f) {
            for (int i = 0; i < m * n; i++) {
                c[i] *= beta;
            }
        }
        for (int pc = 0; pc < k; pc += VectorGemm.KC) {
            int p1 = Math.min(k, pc + VectorGemm.KC);
            // The chains start from +0 in the first block when beta = 0; from C (beta · C, or the last block's) else.
            boolean accumulate = pc > 0 || beta != 0f;
            for (int i = 0; i < m; i++) {
                // op(a)[i, p] = a[ai + p * as]
                int ai = transposeA ? i : i * k;
                int as = transposeA ? m : 1;
                int ci = i * n;
                // op(b)[p, j] = b[p * bs + j * bt]
                int bs = transposeB ? 1 : n;
                int bt = transposeB ? k : 1;
                int j = 0;
                for (; j + 8 <= n; j += 8) {
                    eightChains(alpha, a, ai, as, b, j * bt, bs, bt, pc, p1, c, ci + j, accumulate);
                }
                for (; j < n; j++) {
                    float s = accumulate ? c[ci + j] : 0f;
                    for (int p = pc; p < p1; p++) {
                        s = Math.fma(alpha * a[ai + p * as], b[p * bs + j * bt], s);
                    }
                    c[ci + j] = s;
                }
            }
        }
    }

    /**
     * Eight elements of a row of C, {@code c[o ..  o + 7]}, as eight chains at once, so that the FMAs' latency
     * overlaps; each chain still runs over {@code p} in order. Column {@code q}'s value of B at step {@code p} is
     * {@code b[b0 + p · bs + q · bt]}.
     */
    private static void eightChains(float alpha, float[] a, int ai, int as, float[] b, int b0, int bs, int bt, int pc,
                                    int p1, float[] c, int o, boolean accumulate) {
        float s0 = start(c, o, accumulate), s1 = start(c, o + 1, accumulate), s2 = start(c, o + 2, accumulate);
        float s3 = start(c, o + 3, accumulate), s4 = start(c, o + 4, accumulate), s5 = start(c, o + 5, accumulate);
        float s6 = start(c, o + 6, accumulate), s7 = start(c, o + 7, accumulate);
        for (int p = pc; p < p1; p++) {
            float ap = alpha * a[ai + p * as];
            int bp = b0 + p * bs;
            s0 = Math.fma(ap, b[bp], s0);
            s1 = Math.fma(ap, b[bp + bt], s1);
            s2 = Math.fma(ap, b[bp + 2 * bt], s2);
            s3 = Math.fma(ap, b[bp + 3 * bt], s3);
            s4 = Math.fma(ap, b[bp + 4 * bt], s4);
            s5 = Math.fma(ap, b[bp + 5 * bt], s5);
            s6 = Math.fma(ap, b[bp + 6 * bt], s6);
            s7 = Math.fma(ap, b[bp + 7 * bt], s7);
        }
        c[o] = s0;
        c[o + 1] = s1;
        c[o + 2] = s2;
        c[o + 3] = s3;
        c[o + 4] = s4;
        c[o + 5] = s5;
        c[o + 6] = s6;
        c[o + 7] = s7;
    }

    /** Where a chain starts: C's value when accumulating, else +0. */
    private static float start(float[] c, int o, boolean accumulate) {
        return accumulate ? c[o] : 0f;
    }

    /**
     * {@code out[i, j] = f(z[i, j] + bias[j])}, as {@link Kernels#biasActivation}, for {@link #isSmallActivation}
     * shapes, with the vector kernels' bits (see the class comment). {@code out} may be {@code z}.
     */
    static void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha, float[] out) {
        if (f == Activation.SOFTMAX) {
            VectorSoftmax.subtractRowMaxima(z, bias, cols, out, 0, rows);
            for (int i = 0; i < rows * cols; i++) {
                out[i] = LaneFormulas.expNonPositive(out[i]);
            }
            VectorSoftmax.divideByRowSums(out, cols, 0, rows);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            for (int j = 0; j < cols; j++) {
                // z + bias rounds once, as in the lanes; without a bias the lanes add −0, which changes no value.
                out[r + j] = LaneFormulas.activate(f, bias == null ? z[r + j] : z[r + j] + bias[j], alpha);
            }
        }
    }
}
