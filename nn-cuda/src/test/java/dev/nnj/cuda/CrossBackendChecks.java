package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same seeded data through the same ops on the CPU backend and a CUDA backend, compared element by
 * element. Subclasses choose the CUDA backend (the GPU, FP32 or TF32; or the emulated device) and the GEMM
 * tolerance.
 *
 * <p>Tolerances, and why:
 * <ul>
 *   <li>GEMM: {@code |cuda − cpu| ≤ tol · Σ_p |a_ip| |b_pj|} per element, the scale of rounding error in a
 *       dot product whatever the summation order. FP32 {@value #GEMM_FP32}; TF32 rounds inputs to 10
 *       mantissa bits ({@code 2^-11 ≈ 4.9e-4} each), so {@value #GEMM_TF32}.</li>
 *   <li>Elementwise ops and optimizer updates: {@value #ELEMENTWISE} relative (plus the same absolute). The
 *       kernels are built with {@code -fmad=false} and IEEE division and square root, so these match the CPU
 *       to the last bit except where a transcendental ({@code expf}, {@code tanhf}) differs by an ulp.</li>
 *   <li>Reductions (column sums, loss sums, softmax): {@value #REDUCTION} relative to the sum of magnitudes —
 *       the GPU adds in a tree, the CPU in a line.</li>
 *   <li>Dropout masks and correct counts: exactly equal.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CrossBackendChecks {
    static final double GEMM_FP32 = 2e-5;
    static final double GEMM_TF32 = 5e-3;
    static final double ELEMENTWISE = 2e-6;
    static final double REDUCTION = 2e-5;

    private Backend cpu;
    private Backend cuda;
    private String skipReason;
    private final List<Tensor> tensors = new ArrayList<>();

    /** The CUDA provider under test. */
    abstract BackendProvider cudaProvider();

    /** Relative GEMM tolerance for this CUDA backend. */
    double gemmTolerance() {
        return GEMM_FP32;
    }

    @BeforeAll
    void open() {
        BackendProvider p = cudaProvider();
        if (!p.availability().available()) {
            skipReason = "cuda backend not available here: " + p.availability().reason();
            return;
        }
        cpu = Backends.get("cpu");
        cuda = p.create();
    }

    @BeforeEach
    void requireBoth() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    @AfterEach
    void closeTensors() {
        for (Tensor t : tensors) {
            t.close();
        }
        tensors.clear();
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    Backend cuda() {
        return cuda;
    }

    private Tensor on(Backend b, float[] data, int... shape) {
        Tensor t = b.tensor(data, shape);
        tensors.add(t);
        return t;
    }

    private Tensor zeros(Backend b, int... shape) {
        Tensor t = b.zeros(shape);
        tensors.add(t);
        return t;
    }

    static float[] gaussian(Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    static float[] probabilities(Random r, int rows, int cols) {
        float[] p = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                p[i * cols + j] = (float) (r.nextDouble() + 1e-3);
                sum += p[i * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                p[i * cols + j] /= (float) sum;
            }
        }
        return p;
    }

    static float[] oneHot(Random r, int rows, int cols) {
        float[] y = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            y[i * cols + r.nextInt(cols)] = 1f;
        }
        return y;
    }

    static void close(String what, float[] expected, float[] actual, double rel) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(1.0, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + " at " + i + ": cpu " + expected[i] + ", cuda " + actual[i] + " (tolerance " + tol + ")");
        }
    }

    @Test
    void gemmAllTransposesOnOddShapes() {
        Random r = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {64, 65, 257}, {257, 33, 129}};
        for (int[] s : shapes) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = gaussian(r, m * k, 1);
                float[] b = gaussian(r, k * n, 1);
                float[] c0 = gaussian(r, m * n, 1);
                int[] aShape = ta ? new int[] {k, m} : new int[] {m, k};
                int[] bShape = tb ? new int[] {n, k} : new int[] {k, n};
                for (float beta : new float[] {0f, 0.5f}) {
                    float[] expected = gemm(cpu, ta, tb, 0.7f, a, aShape, b, bShape, beta, c0, m, n);
                    float[] actual = gemm(cuda, ta, tb, 0.7f, a, aShape, b, bShape, beta, c0, m, n);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double scale = Math.abs(beta * c0[i * n + j]);
                            for (int p = 0; p < k; p++) {
                                double aip = ta ? a[p * m + i] : a[i * k + p];
                                double bpj = tb ? b[j * k + p] : b[p * n + j];
                                scale += 0.7 * Math.abs(aip * bpj);
                            }
                            double diff = Math.abs(expected[i * n + j] - actual[i * n + j]);
                            assertTrue(diff <= gemmTolerance() * scale + 1e-30, "gemm " + m + "x" + n + "x" + k
                                    + " ta=" + ta + " tb=" + tb + " beta=" + beta + " at (" + i + ", " + j + "): cpu "
                                    + expected[i * n + j] + ", cuda " + actual[i * n + j]);
                        }
                    }
                }
            }
        }
    }

    private float[] gemm(Backend bk, boolean ta, boolean tb, float alpha, float[] a, int[] aShape, float[] b,
                         int[] bShape, float beta, float[] c0, int m, int n) {
        Tensor c = on(bk, c0, m, n);
        bk.gemm(ta, tb, alpha, on(bk, a, aShape), on(bk, b, bShape), beta, c);
        return c.toArray();
    }

    @Test
    void activationsForwardAndBackward() {
        Random r = new Random(11);
        int rows = 65;
        int cols = 33;
        float[] z = gaussian(r, rows * cols, 3);
        float[] bias = gaussian(r, cols, 1);
        float[] dA = gaussian(r, rows * cols, 1);
        for (Activation f : Activation.values()) {
            float[][] results = new float[2][];
            float[][] grads = new float[2][];
            Backend[] both = {cpu, cuda};
            for (int b = 0; b < 2; b++) {
                Tensor out = zeros(both[b], rows, cols);
                both[b].biasActivation(on(both[b], z, rows, cols), on(both[b], bias, cols), f, 0.1f, out);
                results[b] = out.toArray();
                Tensor dZ = zeros(both[b], rows, cols);
                both[b].activationBackward(f, 0.1f, out, on(both[b], dA, rows, cols), dZ);
                grads[b] = dZ.toArray();
            }
            double tol = f == Activation.SOFTMAX ? REDUCTION : ELEMENTWISE;
            close("biasActivation " + f, results[0], results[1], tol);
            close("activationBackward " + f, grads[0], grads[1], tol);
        }
    }

    @Test
    void lossesGradientsCountsColumnSumsAndMasks() {
        Random r = new Random(13);
        int rows = 257;
        for (int cols : new int[] {1, 10, 33}) {
            float[] p = cols == 1 ? sigmoid(gaussian(r, rows, 2)) : probabilities(r, rows, cols);
            float[] y = cols == 1 ? coin(r, rows) : oneHot(r, rows, cols);
            for (LossKind kind : LossKind.values()) {
                if (kind == LossKind.CATEGORICAL_CROSS_ENTROPY && cols == 1) {
                    continue;
                }
                float[][] sums = new float[2][];
                float[][] grads = new float[2][];
                Backend[] both = {cpu, cuda};
                for (int b = 0; b < 2; b++) {
                    Tensor out = on(both[b], new float[] {0.25f}, 1);
                    Tensor pt = on(both[b], p, rows, cols);
                    Tensor yt = on(both[b], y, rows, cols);
                    both[b].lossSum(kind, pt, yt, 1f, out);
                    sums[b] = out.toArray();
                    Tensor g = zeros(both[b], rows, cols);
                    both[b].lossGradient(kind, pt, yt, g);
                    grads[b] = g.toArray();
                }
                close("lossSum " + kind + " cols=" + cols, sums[0], sums[1], REDUCTION);
                close("lossGradient " + kind + " cols=" + cols, grads[0], grads[1], ELEMENTWISE);
            }
            float[][] counts = new float[2][];
            float[][] colSums = new float[2][];
            float[][] masks = new float[2][];
            Backend[] both = {cpu, cuda};
            for (int b = 0; b < 2; b++) {
                Tensor count = on(both[b], new float[] {3f}, 1);
                both[b].countCorrect(on(both[b], p, rows, cols), on(both[b], y, rows, cols), 1f, count);
                counts[b] = count.toArray();
                Tensor sums = on(both[b], gaussian(new Random(5), cols, 1), cols);
                both[b].columnSums(on(both[b], p, rows, cols), 0.5f, 2f, sums);
                colSums[b] = sums.toArray();
                Tensor mask = zeros(both[b], rows, cols);
                both[b].dropoutMask(0.3f, 0x5EEDL + cols, mask);
                masks[b] = mask.toArray();
            }
            assertArrayEquals(counts[0], counts[1], "countCorrect cols=" + cols);
            close("columnSums cols=" + cols, colSums[0], colSums[1], REDUCTION);
            assertArrayEquals(masks[0], masks[1], "dropout masks are drawn by the same counter RNG");
        }
    }

    /**
     * The fused output gradient writes a magnitude of at most {@code 2^−126} as a zero of its sign on both backends
     * (nn-cpu's {@code Subnormals}, {@code 2^−126} itself included), and every other value bit for bit alike: the
     * infinities, the next float above the threshold. A NaN stays a NaN, compared as one and not by its bits: a GPU
     * writes every NaN it computes as {@code 0x7fffffff} (the CUDA C Programming Guide, "Floating-Point Standard"),
     * where Java keeps the input's {@code 0x7fc00000}.
     */
    @Test
    void theFusedGradientFlushesSubnormalsAsTheCpuDoes() {
        float scale = 1f / 32;
        float[] a = {1e-37f, -1e-37f, 0.25f, 1f, 32 * Float.MIN_NORMAL, Math.nextUp(32 * Float.MIN_NORMAL), -0f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 3f};
        float[] b = {0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 3f - 1e-36f};
        float[][] out = new float[2][];
        Backend[] both = {cpu, cuda};
        for (int k = 0; k < 2; k++) {
            Tensor g = on(both[k], new float[a.length], a.length);
            both[k].scaledDifference(scale, on(both[k], a, a.length), on(both[k], b, b.length), g);
            out[k] = g.toArray();
        }
        for (int i = 0; i < a.length; i++) {
            String where = "scaledDifference at " + i + ": cpu " + out[0][i] + ", cuda " + out[1][i];
            if (Float.isNaN(out[0][i])) {
                assertTrue(Float.isNaN(out[1][i]), where);
            } else {
                assertEquals(Float.floatToRawIntBits(out[0][i]), Float.floatToRawIntBits(out[1][i]), where);
            }
        }
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[1][1]), "-1e-37 / 32 is -0");
        assertEquals(0f, out[1][4], "2^-126 itself is flushed");
        assertTrue(out[1][5] > 0, "the next float up is kept");
    }

    /**
     * A loss sum accumulated into {@code out} ({@code beta = 1}) is added in double and rounded once, as the CPU
     * does: {@code 1 + (2^−24 + 2^−48)} rounds up to {@code 1 + 2^−23}, where rounding the sum to float first
     * ({@code 2^−24}, a tie) and adding in float would give 1.
     */
    @Test
    void anAccumulatedLossSumIsRoundedOnceAsOnTheCpu() {
        float[] p = {0x1p-12f, 0x1p-24f};   // squared: 2^-24 and 2^-48, exactly
        float[][] sums = new float[2][];
        Backend[] both = {cpu, cuda};
        for (int k = 0; k < 2; k++) {
            Tensor out = on(both[k], new float[] {1f}, 1);
            both[k].lossSum(LossKind.MSE, on(both[k], p, 2, 1), on(both[k], new float[2], 2, 1), 1f, out);
            sums[k] = out.toArray();
        }
        assertEquals(1f + 0x1p-23f, sums[0][0], "cpu");
        assertEquals(1f + 0x1p-23f, sums[1][0], "cuda");
    }

    private static float[] sigmoid(float[] z) {
        float[] a = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            a[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        return a;
    }

    private static float[] coin(Random r, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
        return y;
    }

    /** One optimizer, five steps, on both backends; parameters and every state tensor compared. */
    private interface Stepper {
        void step(Backend b, Tensor p, Tensor g, Tensor[] state, int t);
    }

    private void compareSteps(String name, int stateCount, boolean[] stateNull, Stepper stepper) {
        Random r = new Random(name.hashCode());
        int n = 1000;
        float[] p0 = gaussian(r, n, 1);
        float[][] gs = new float[5][];
        for (int s = 0; s < 5; s++) {
            gs[s] = gaussian(r, n, 0.1);
        }
        float[][][] results = new float[2][][];
        Backend[] both = {cpu, cuda};
        for (int b = 0; b < 2; b++) {
            Tensor p = on(both[b], p0, n);
            Tensor[] state = new Tensor[stateCount];
            for (int i = 0; i < stateCount; i++) {
                state[i] = stateNull[i] ? null : zeros(both[b], n);
            }
            for (int t = 1; t <= 5; t++) {
                stepper.step(both[b], p, on(both[b], gs[t - 1], n), state, t);
            }
            results[b] = new float[stateCount + 1][];
            results[b][0] = p.toArray();
            for (int i = 0; i < stateCount; i++) {
                results[b][i + 1] = state[i] == null ? new float[0] : state[i].toArray();
            }
        }
        for (int i = 0; i <= stateCount; i++) {
            close(name + (i == 0 ? " param" : " state " + i), results[0][i], results[1][i], ELEMENTWISE);
        }
    }

    @Test
    void optimizersAgreeOverFiveSteps() {
        compareSteps("sgd", 1, new boolean[] {true},
                (b, p, g, s, t) -> b.sgdStep(p, g, null, 0.1f, 0f, 0f, 0.01f, false, t == 1));
        compareSteps("sgd-momentum", 1, new boolean[] {false},
                (b, p, g, s, t) -> b.sgdStep(p, g, s[0], 0.1f, 0.9f, 0.1f, 0.01f, false, t == 1));
        compareSteps("sgd-nesterov", 1, new boolean[] {false},
                (b, p, g, s, t) -> b.sgdStep(p, g, s[0], 0.1f, 0.9f, 0f, 0f, true, t == 1));
        compareSteps("adam", 2, new boolean[] {false, false},
                (b, p, g, s, t) -> b.adamStep(p, g, s[0], s[1], null, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false,
                        Adam.stepSize(1e-3f, 0.9f, t), Adam.sqrtBiasCorrection2(0.999f, t)));
        compareSteps("adamw", 2, new boolean[] {false, false},
                (b, p, g, s, t) -> b.adamStep(p, g, s[0], s[1], null, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true,
                        Adam.stepSize(1e-3f, 0.9f, t), Adam.sqrtBiasCorrection2(0.999f, t)));
        // β2 = 0.5 forgets within the five steps, so that v falls below its largest value
        compareSteps("adam-amsgrad", 3, new boolean[] {false, false, false},
                (b, p, g, s, t) -> b.adamStep(p, g, s[0], s[1], s[2], 1e-3f, 0.9f, 0.5f, 1e-8f, 0.01f, false,
                        Adam.stepSize(1e-3f, 0.9f, t), Adam.sqrtBiasCorrection2(0.5f, t)));
        compareSteps("rmsprop", 3, new boolean[] {false, true, true},
                (b, p, g, s, t) -> b.rmspropStep(p, g, s[0], null, null, 1e-2f, 0.99f, 1e-8f, 0f, 0f));
        compareSteps("rmsprop-centered-momentum", 3, new boolean[] {false, false, false},
                (b, p, g, s, t) -> b.rmspropStep(p, g, s[0], s[1], s[2], 1e-2f, 0.99f, 1e-8f, 0.01f, 0.9f));
        compareSteps("adagrad", 1, new boolean[] {false},
                (b, p, g, s, t) -> b.adagradStep(p, g, s[0], 0.1f / (1 + (t - 1) * 0.01f), 1e-10f, 0.01f));
    }
}
