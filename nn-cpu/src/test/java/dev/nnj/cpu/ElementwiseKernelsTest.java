package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.optim.Adam;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tuned elementwise, row-wise and optimizer kernels against the reference loops on rows long enough
 * for whole vectors plus a scalar tail (133 columns), on rows shorter than one vector (5 and 10 columns),
 * and on tensors large enough to be split between two threads.
 */
class ElementwiseKernelsTest {
    /** Adam's bias corrections at step 3 (lr 1e-3, betas 0.9 and 0.999), as the optimizer passes them. */
    private static final float STEP_SIZE_3 = Adam.stepSize(1e-3f, 0.9f, 3);
    private static final float SQRT_BC2_3 = Adam.sqrtBiasCorrection2(0.999f, 3);
    /** Whole vectors plus a tail; rows shorter than a vector; one element; large enough to be split. */
    private static final int[][] SHAPES = {{7, 133}, {9, 5}, {1, 1}, {301, 129}, {4001, 10}};

    private final WorkerPool pool = new WorkerPool(2, "test");
    private final Kernels tuned = Vectorization.create(pool);
    private final ReferenceKernels reference = new ReferenceKernels();
    private final Random rnd = new Random(7);

    @Test
    void activationsForwardAndBackward() {
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            float[] z = random(rows * cols, 6f);
            float[] bias = random(cols, 1f);
            float[] dA = random(rows * cols, 1f);
            for (Activation f : Activation.values()) {
                for (float[] b : new float[][] {bias, null}) {
                    float[] expected = new float[rows * cols];
                    float[] actual = new float[rows * cols];
                    reference.biasActivation(z, b, rows, cols, f, 0.3f, expected);
                    tuned.biasActivation(z, b, rows, cols, f, 0.3f, actual);
                    close(f + " forward" + (b == null ? "" : " with bias"), expected, actual);
                }
                float[] a = new float[rows * cols];
                reference.biasActivation(z, bias, rows, cols, f, 0.3f, a);
                float[] expected = new float[rows * cols];
                float[] actual = new float[rows * cols];
                reference.activationBackward(f, 0.3f, a, dA, expected, rows, cols);
                tuned.activationBackward(f, 0.3f, a, dA, actual, rows, cols);
                close(f + " backward", expected, actual);
            }
        }
    }

    @Test
    void sumsAndLosses() {
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            float[] x = random(rows * cols, 1f);
            float[] expected = random(cols, 1f);
            float[] actual = expected.clone();
            reference.columnSums(x, rows, cols, 0.5f, 2f, expected);
            tuned.columnSums(x, rows, cols, 0.5f, 2f, actual);
            close("columnSums", expected, actual);
            float[] p = new float[rows * cols];
            for (int i = 0; i < p.length; i++) {
                p[i] = i % 11 == 0 ? 0f : rnd.nextFloat();
            }
            float[] y = new float[rows * cols];
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextFloat() < 0.3f ? 1f : 0f;
            }
            for (LossKind kind : LossKind.values()) {
                double e = reference.lossSum(kind, p, y, rows, cols);
                double a = tuned.lossSum(kind, p, y, rows, cols);
                assertEquals(e, a, 1e-5 * (1 + Math.abs(e)), kind + " sum");
                float[] ge = new float[p.length];
                float[] ga = new float[p.length];
                reference.lossGradient(kind, p, y, ge, rows, cols);
                tuned.lossGradient(kind, p, y, ga, rows, cols);
                close(kind + " gradient", ge, ga);
            }
            float[] me = new float[p.length];
            float[] ma = new float[p.length];
            reference.multiply(p, x, me, p.length);
            tuned.multiply(p, x, ma, p.length);
            close("multiply", me, ma);
            reference.scaledDifference(0.25f, p, x, me, p.length);
            tuned.scaledDifference(0.25f, p, x, ma, p.length);
            close("scaledDifference", me, ma);
        }
    }

    /**
     * The categorical cross-entropy's value takes a logarithm only where the target is not zero, adding the
     * reference's terms in the reference's order: with one-hot targets (and rows whose targets are all zero) it is
     * the reference's sum bit for bit, on softmax-like predictions with zeros, subnormals and ones in them.
     */
    @Test
    void crossEntropyOnOneHotTargetsIsTheReferenceSumBitForBit() {
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            float[] p = new float[rows * cols];
            float[] y = new float[rows * cols];
            for (int i = 0; i < p.length; i++) {
                p[i] = i % 7 == 0 ? 0f : i % 13 == 0 ? Float.MIN_VALUE : i % 17 == 0 ? 1f : rnd.nextFloat();
            }
            for (int r = 0; r < rows; r++) {
                if (r % 5 != 4) {
                    y[r * cols + rnd.nextInt(cols)] = 1f;
                }
            }
            assertEquals(Double.doubleToRawLongBits(reference.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, p, y, rows,
                            cols)),
                    Double.doubleToRawLongBits(tuned.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, p, y, rows, cols)),
                    rows + " x " + cols);
        }
    }

    /**
     * Where the target is 0 the term is not computed, yet a prediction there that makes it NaN (NaN, negative,
     * +∞) still makes the sum NaN, as in the reference; 0, −0 and values above 1 add nothing.
     */
    @Test
    void crossEntropySkipsZeroTargetsButNotTheirNaNs() {
        float[] y = {0f, 1f, 0f};
        float[] harmless = {0f, -0f, 1.5f, Float.MIN_VALUE, 1f};
        float[] poisoning = {Float.NaN, -1e-30f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float[] values : new float[][] {harmless, poisoning}) {
            for (float v : values) {
                float[] p = {v, 0.25f, 0.5f};
                double expected = reference.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, p, y, 1, 3);
                double actual = tuned.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, p, y, 1, 3);
                assertEquals(values == poisoning, Double.isNaN(expected), "reference, p[0] = " + v);
                // Equal bits, any NaN counting as one value (the reference's is whichever NaN the hardware made).
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), "p[0] = " + v);
            }
        }
    }

    /**
     * Softmax in place and accuracy on short rows: whole blocks of L rows and a tail, from 2 to 15 columns,
     * split between threads; the predictions have ties (the first maximum wins) and NaNs, some targets are
     * all zero.
     */
    @Test
    void shortRowSoftmaxInPlaceAndAccuracy() {
        int[][] shapes = {{37, 10}, {40, 3}, {50, 2}, {33, 15}, {16, 8}, {4001, 10}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            float[] z = random(rows * cols, 6f);
            float[] bias = random(cols, 1f);
            for (float[] b : new float[][] {bias, null}) {
                float[] expected = new float[rows * cols];
                reference.biasActivation(z, b, rows, cols, Activation.SOFTMAX, 0f, expected);
                float[] actual = z.clone();
                tuned.biasActivation(actual, b, rows, cols, Activation.SOFTMAX, 0f, actual);
                close("softmax in place " + rows + "x" + cols + (b == null ? "" : " with bias"), expected, actual);
            }
            float[] p = random(rows * cols, 1f);
            float[] y = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                int r = i * cols;
                for (int j = 0; j < cols; j++) {
                    p[r + j] = Math.round(p[r + j] * 3f) / 3f;
                }
                if (i % 5 == 0) {
                    p[r + rnd.nextInt(cols)] = Float.NaN;
                }
                if (i % 7 != 0) {
                    y[r + rnd.nextInt(cols)] = 1f;
                }
            }
            assertEquals(reference.countCorrect(p, y, rows, cols), tuned.countCorrect(p, y, rows, cols),
                    tuned.label() + ": countCorrect " + rows + "x" + cols);
        }
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {7 * 133, 301 * 129})
    void optimizers(int n) {
        float[] p0 = random(n, 1f);
        float[] g = random(n, 1f);
        float[] s0 = random(n, 1f);
        for (int i = 0; i < n; i++) {
            s0[i] = Math.abs(s0[i]) + 0.5f;
        }
        for (int variant = 0; variant < 4; variant++) {
            boolean flag = (variant & 1) != 0;
            boolean first = (variant & 2) != 0;
            float[][] e = {p0.clone(), s0.clone(), s0.clone(), s0.clone()};
            float[][] a = {p0.clone(), s0.clone(), s0.clone(), s0.clone()};
            reference.sgdStep(e[0], g, e[1], n, 0.1f, 0.9f, 0.1f, 0.01f, flag, first);
            tuned.sgdStep(a[0], g, a[1], n, 0.1f, 0.9f, 0.1f, 0.01f, flag, first);
            close("sgd", e[0], a[0]);
            close("sgd velocity", e[1], a[1]);
            reference.sgdStep(e[0], g, null, n, 0.1f, 0f, 0f, 0.01f, false, first);
            tuned.sgdStep(a[0], g, null, n, 0.1f, 0f, 0f, 0.01f, false, first);
            close("plain sgd", e[0], a[0]);
            // first: AMSGrad too, e[3]/a[3] its largest second moment
            reference.adamStep(e[0], g, e[1], e[2], first ? e[3] : null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, flag,
                    STEP_SIZE_3, SQRT_BC2_3);
            tuned.adamStep(a[0], g, a[1], a[2], first ? a[3] : null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, flag,
                    STEP_SIZE_3, SQRT_BC2_3);
            close("adam", e[0], a[0]);
            close("adam m", e[1], a[1]);
            close("adam v", e[2], a[2]);
            close("adam vMax", e[3], a[3]);
            // A centered RMSProp needs sq ≥ gAvg²: positive squares, the average starting at zero.
            System.arraycopy(s0, 0, e[1], 0, n);
            System.arraycopy(s0, 0, a[1], 0, n);
            java.util.Arrays.fill(e[2], 0f);
            java.util.Arrays.fill(a[2], 0f);
            reference.rmspropStep(e[0], g, e[1], flag ? e[2] : null, first ? e[3] : null, n, 1e-2f, 0.99f, 1e-8f,
                    0.01f, first ? 0.9f : 0f);
            tuned.rmspropStep(a[0], g, a[1], flag ? a[2] : null, first ? a[3] : null, n, 1e-2f, 0.99f, 1e-8f,
                    0.01f, first ? 0.9f : 0f);
            close("rmsprop", e[0], a[0]);
            reference.adagradStep(e[0], g, e[1], n, 1e-2f, 1e-10f, 0.01f);
            tuned.adagradStep(a[0], g, a[1], n, 1e-2f, 1e-10f, 0.01f);
            close("adagrad", e[0], a[0]);
        }
    }

    /**
     * AdamW decays an infinite or NaN parameter as the reference does, leaving its gradient alone: the tuned kernel
     * once added {@code 0 · p} to the gradient, NaN for an infinite {@code p}, so that its moments turned NaN where
     * the reference's (and PyTorch's) stayed finite. With and without AMSGrad.
     */
    @Test
    void adamwLeavesTheGradientOfANonFiniteParameterAlone() {
        int n = 7 * 133;
        for (boolean amsgrad : new boolean[] {false, true}) {
            float[] p0 = random(n, 1f);
            p0[0] = Float.POSITIVE_INFINITY;
            p0[1] = Float.NaN;
            p0[n / 2] = Float.NEGATIVE_INFINITY;
            float[] g = random(n, 1f);
            float[][] e = {p0.clone(), new float[n], new float[n], new float[n]};
            float[][] a = {p0.clone(), new float[n], new float[n], new float[n]};
            reference.adamStep(e[0], g, e[1], e[2], amsgrad ? e[3] : null, n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, true,
                    STEP_SIZE_3, SQRT_BC2_3);
            tuned.adamStep(a[0], g, a[1], a[2], amsgrad ? a[3] : null, n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, true,
                    STEP_SIZE_3, SQRT_BC2_3);
            assertTrue(Float.isFinite(a[1][0]) && Float.isFinite(a[2][0]), "the moments of an infinite parameter");
            for (int s = 0; s < e.length; s++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(e[s][i]), Float.floatToIntBits(a[s][i]), "AdamW"
                            + (amsgrad ? " AMSGrad" : "") + ", array " + s + " at " + i + " (" + e[s][i] + " vs "
                            + a[s][i] + ")");
                }
            }
        }
    }

    /**
     * Every optimizer kernel rounds as its reference loop, operation for operation, so the two agree bit for bit,
     * also over many steps: docs/math.md promises that the reference kernels compute what the tuned ones do. The
     * hyperparameters are not the defaults and every update has weight decay, since a product rounded in another
     * order (the tuned kernels once had {@code (g·g)(1 − β2)} where the reference has {@code ((1 − β2) g) g})
     * shows only in some elements, after some steps (39 to 155 of 1110 over 30 steps).
     */
    @ParameterizedTest
    @ValueSource(ints = {7 * 133, 301 * 129})
    void optimizersAreTheReferenceBitForBitOverManySteps(int n) {
        float[] p0 = random(n, 1f);
        String[] names = {"sgd momentum", "sgd nesterov", "adam", "adamw", "rmsprop", "rmsprop centered",
            "rmsprop momentum", "rmsprop centered momentum", "adagrad", "adam amsgrad", "adamw amsgrad"};
        for (int opt = 0; opt < names.length; opt++) {
            // p, then up to three state arrays, all starting at zero as in the optimizers.
            float[][] e = {p0.clone(), new float[n], new float[n], new float[n]};
            float[][] a = {p0.clone(), new float[n], new float[n], new float[n]};
            for (int t = 1; t <= 30; t++) {
                float[] g = gradient(n);
                step(reference, opt, t, e, g, n);
                step(tuned, opt, t, a, g, n);
                for (int s = 0; s < e.length; s++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(e[s][i]), Float.floatToRawIntBits(a[s][i]),
                                tuned.label() + ": " + names[opt] + ", step " + t + ", array " + s + " at " + i
                                        + " (" + e[s][i] + " vs " + a[s][i] + ")");
                    }
                }
            }
        }
    }

    /** Step {@code t} of optimizer number {@code opt} of the test above, with non-default hyperparameters. */
    private static void step(Kernels k, int opt, int t, float[][] s, float[] g, int n) {
        switch (opt) {
            case 0, 1 -> k.sgdStep(s[0], g, s[1], n, 0.05f, 0.8f, 0.1f, 0.03f, opt == 1, t == 1);
            case 2, 9 -> k.adamStep(s[0], g, s[1], s[2], opt == 9 ? s[3] : null, n, 1e-2f, 0.8f, 0.95f, 1e-3f, 0.1f,
                    false, Adam.stepSize(1e-2f, 0.8f, t), Adam.sqrtBiasCorrection2(0.95f, t));
            case 3, 10 -> k.adamStep(s[0], g, s[1], s[2], opt == 10 ? s[3] : null, n, 1e-2f, 0.85f, 0.99f, 1e-4f,
                    0.2f, true, Adam.stepSize(1e-2f, 0.85f, t), Adam.sqrtBiasCorrection2(0.99f, t));
            case 4, 5, 6, 7 -> k.rmspropStep(s[0], g, s[1], opt == 5 || opt == 7 ? s[2] : null,
                    opt >= 6 ? s[3] : null, n, 1e-2f, 0.9f, 1e-3f, 0.05f, opt >= 6 ? 0.5f : 0f);
            case 8 -> k.adagradStep(s[0], g, s[1], n, 1e-2f / (1f + (t - 1) * 0.05f), 0.1f, 0.02f);
            default -> throw new IllegalArgumentException("no optimizer number " + opt);
        }
    }

    /** Gradients from 1e-4 to 10 in magnitude, either sign: products that round in many different ways. */
    private float[] gradient(int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (rnd.nextFloat() * 2f - 1f) * (float) Math.pow(10, rnd.nextInt(6) - 4);
        }
        return g;
    }

    private void close(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-5f + 1e-5f * Math.abs(expected[i]);
            assertEquals(expected[i], actual[i], tol, tuned.label() + ": " + what + " at " + i);
        }
    }

    private float[] random(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextFloat() * 2f - 1f) * scale;
        }
        return x;
    }
}
