package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SmallOps} gives the vector kernels' bits: a few rows computed in plain Java equal the same rows computed by
 * {@link VectorGemm} and {@link VectorActivations}, and a row alone equals the same row inside a batch. That is what
 * lets a one-row prediction skip the Vector API, and its warm-up, and still answer exactly as a batch does.
 */
class SmallOpsTest {
    /**
     * Values where the formulas change branch or lose range: signed zeros, subnormals, the tanh and ELU series'
     * edges, the exponential's underflow, overflow, infinities and NaN.
     */
    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -1e-40f, Float.MIN_VALUE,
        0.625f, -0.625f, 0.62499994f, -0.62499994f, -0.6931472f, -0.69314724f, -0.6931471f, 88f, -88f, -103.9f,
        -104f, -105f, 200f, -200f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-3f, -1e-3f, 0x1p-100f, -0x1p-100f,
    };

    private final Random rnd = new Random(29);

    @BeforeEach
    void vectorKernels() {
        assumeTrue(Vectorization.enabled(), "the Vector API fast path is not enabled");
    }

    @Test
    void productsOfFewRowsAreTheVectorKernelsBits() {
        // Depths past one block (KC = 512) check that the chains carry on from C into the next block.
        int[][] columnsAndDepths = {{1, 1}, {10, 64}, {64, 64}, {17, 33}, {8, 1}, {9, 7}, {33, 600}, {3, 1100}};
        VectorGemm whole = new VectorGemm(null, () -> false);
        VectorGemm shortCalls = new VectorGemm(null, () -> true);
        for (int m = 1; m <= SmallOps.MAX_ROWS; m++) {
            for (int[] nk : columnsAndDepths) {
                GemmProblem problem = GemmProblem.gaussian(new int[] {m, nk[0], nk[1]}, rnd);
                // A NaN in the old C must not survive beta = 0; -0 products check the chains start from +0.
                problem.c0[0] = Float.NaN;
                problem.a[0] = -0f;
                for (GemmProblem.Call call : calls()) {
                    float[] expected = problem.c0.clone();
                    call.run(whole, problem, expected);
                    float[] actual = problem.c0.clone();
                    SmallOps.gemm(call.transposeA(), call.transposeB(), m, problem.n, problem.k, call.alpha(),
                            problem.a, problem.b, call.beta(), actual);
                    assertSameBits("gemm " + problem + " " + call, expected, actual);
                    float[] inShortCalls = problem.c0.clone();
                    call.run(shortCalls, problem, inShortCalls);
                    assertSameBits("gemm " + problem + " " + call + " in short kernel calls", inShortCalls, actual);
                }
            }
        }
    }

    /** GemmProblem's eight calls, and both transposes of A with {@code alpha = 1, beta = 1} (accumulating). */
    private static GemmProblem.Call[] calls() {
        GemmProblem.Call[] calls = new GemmProblem.Call[GemmProblem.Call.ALL.length + 4];
        System.arraycopy(GemmProblem.Call.ALL, 0, calls, 0, GemmProblem.Call.ALL.length);
        for (int t = 0; t < 4; t++) {
            calls[GemmProblem.Call.ALL.length + t] = new GemmProblem.Call((t & 1) != 0, (t & 2) != 0, 1f, 1f);
        }
        return calls;
    }

    @Test
    void aRowAloneGetsTheBitsItGetsInABatch() {
        Kernels kernels = Vectorization.create(null);
        int rows = 40;
        // Past one block of depth (KC = 512) too: (10, 600) on plain Java, (64, 784) on the vector kernels.
        for (int[] nk : new int[][] {{64, 64}, {10, 64}, {64, 10}, {20, 30}, {10, 600}, {64, 784}}) {
            int n = nk[0];
            int k = nk[1];
            float[] x = TestArrays.gaussian(rnd, rows * k);
            float[] w = TestArrays.gaussian(rnd, k * n);
            float[] bias = TestArrays.gaussian(rnd, n);
            for (boolean transposeB : new boolean[] {false, true}) {
                float[] batch = new float[rows * n];
                kernels.gemm(false, transposeB, rows, n, k, 1f, x, w, 0f, batch);
                for (Activation f : Activation.values()) {
                    float[] batchOut = new float[rows * n];
                    kernels.biasActivation(batch, bias, rows, n, f, 0.3f, batchOut);
                    for (int i = 0; i < rows; i++) {
                        float[] row = new float[k];
                        System.arraycopy(x, i * k, row, 0, k);
                        float[] z = new float[n];
                        kernels.gemm(false, transposeB, 1, n, k, 1f, row, w, 0f, z);
                        float[] out = new float[n];
                        kernels.biasActivation(z, bias, 1, n, f, 0.3f, out);
                        String what = "row " + i + " of (" + rows + ", " + k + ") x (" + k + ", " + n + ")"
                                + (transposeB ? "ᵀ" : "") + ", " + f;
                        assertSameBits(what + ", product", slice(batch, i * n, n), z);
                        assertSameBits(what, slice(batchOut, i * n, n), out);
                    }
                }
            }
        }
    }

    @Test
    void activationsOfFewRowsAreTheVectorKernelsBits() {
        ExpScratch scratch = new ExpScratch();
        for (int cols : new int[] {1, 7, 10, VectorGemm.L - 1, VectorGemm.L, 33, 64}) {
            for (int rows = 1; rows <= SmallOps.MAX_ROWS; rows++) {
                float[] z = TestArrays.gaussian(rnd, rows * cols);
                for (int i = 0; i < z.length; i++) {
                    if (i % 3 == 0) {
                        z[i] = SPECIAL[(i / 3 + cols) % SPECIAL.length];
                    } else if (i % 3 == 1) {
                        z[i] *= 40f;
                    }
                }
                float[] bias = TestArrays.gaussian(rnd, cols);
                for (Activation f : Activation.values()) {
                    if (f == Activation.SOFTMAX && cols >= VectorGemm.L) {
                        continue;   // left to the vector kernel (isSmallActivation)
                    }
                    for (float[] b : new float[][] {bias, null}) {
                        String what = f + " on (" + rows + ", " + cols + ")" + (b == null ? " without a bias" : "");
                        float[] expected = new float[rows * cols];
                        VectorActivations.biasActivationRows(z, b, cols, f, 0.3f, expected, 0, rows, scratch);
                        float[] actual = new float[rows * cols];
                        SmallOps.biasActivation(z, b, rows, cols, f, 0.3f, actual);
                        assertSameBits(what, expected, actual);
                        float[] inPlace = z.clone();
                        SmallOps.biasActivation(inPlace, b, rows, cols, f, 0.3f, inPlace);
                        assertSameBits(what + " in place", expected, inPlace);
                    }
                }
            }
        }
    }

    @Test
    void onlyFewRowsOfLittleWorkAreTaken() {
        assertTrue(SmallOps.isSmallProduct(1, 64, 64));
        assertTrue(SmallOps.isSmallProduct(1, 128, 64));
        assertTrue(SmallOps.isSmallProduct(SmallOps.MAX_ROWS, 32, 64));
        assertFalse(SmallOps.isSmallProduct(SmallOps.MAX_ROWS + 1, 8, 8), "a batch");
        assertFalse(SmallOps.isSmallProduct(1, 256, 64), "a product where the vector kernel is much faster warm");
        assertTrue(SmallOps.isSmallActivation(1, 64, Activation.SIGMOID));
        assertFalse(SmallOps.isSmallActivation(1, 512, Activation.SIGMOID));
        assertFalse(SmallOps.isSmallActivation(32, 8, Activation.RELU), "a training batch");
        assertTrue(SmallOps.isSmallActivation(1, VectorGemm.L - 1, Activation.SOFTMAX));
        assertFalse(SmallOps.isSmallActivation(1, VectorGemm.L, Activation.SOFTMAX), "a row summed lane by lane");
    }

    private static float[] slice(float[] x, int from, int length) {
        float[] s = new float[length];
        System.arraycopy(x, from, s, 0, length);
        return s;
    }

    /** Bit for bit, every NaN taken as one. */
    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        what + ": element " + i + " is " + actual[i] + ", the vector kernel's " + expected[i]);
            }
        }
    }
}
