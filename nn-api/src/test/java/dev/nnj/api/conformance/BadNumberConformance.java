package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same answer on every backend for bad numbers: NaN, ±∞ and predictions outside [0, 1] (p < 0, p > 1,
 * exactly 0 and 1) fed to lossSum, lossGradient, countCorrect, biasActivation and activationBackward must give
 * what the double-precision {@link Reference} gives — NaN where it is NaN, the same infinity, the same finite
 * value — so that a bad prediction gives the same loss, gradient and divergence verdict on every backend.
 *
 * <p>Why this needs its own tests: GPU {@code max} instructions return the other operand when one is NaN, where
 * Java's {@link Math#max} returns NaN, so a clamp such as {@code max(log p, -100)} turns a NaN prediction into
 * a finite loss on one backend and NaN on another. Bad values are placed at the start, the middle and the end of
 * rows 17 wide, so vector bodies, scalar tails and GPU lanes all see them.
 */
public abstract class BadNumberConformance extends ModelTestSupport {
    /** The values a diverging network or a bad input produces. */
    static final float[] BAD = {Float.NaN, -0.5f, 1.5f, 0f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        -0f, 1e-30f, 0.3f};
    private static final int COLS = 17;
    private static final int[] POSITIONS = {0, 8, 16};

    /** NaN where expected is NaN, the same infinity, else within {@code rel} of it (absolute near 0). */
    static void assertSameBadNumber(String what, double expected, double actual, double rel) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
        } else if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what + ": expected " + expected);
        } else {
            assertTrue(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)),
                    what + ": expected " + expected + ", got " + actual);
        }
    }

    /** One 1 × 17 row: 1/17 everywhere, {@code bad} at {@code at}; the target is one-hot at {@code hot}. */
    private static float[][] row(float bad, int at, int hot, boolean binaryTarget) {
        float[] p = new float[COLS];
        float[] y = new float[COLS];
        for (int j = 0; j < COLS; j++) {
            p[j] = 1f / COLS;
            y[j] = binaryTarget ? (j % 2) : 0f;
        }
        p[at] = bad;
        if (!binaryTarget) {
            y[hot] = 1f;
        }
        return new float[][] {p, y};
    }

    @Test
    void lossSumOfBadPredictionsMatchesTheReference() {
        Backend b = backend();
        Tensor out = zeros(1);
        for (LossKind kind : LossKind.values()) {
            for (float bad : BAD) {
                for (int at : POSITIONS) {
                    for (int hot : new int[] {at, (at + 1) % COLS}) {
                        float[][] py = row(bad, at, hot, kind == LossKind.BINARY_CROSS_ENTROPY);
                        b.lossSum(kind, tensor(py[0], 1, COLS), tensor(py[1], 1, COLS), 0f, out);
                        double expected = Reference.lossSum(kind, py[0], py[1], 1, COLS, 0, 0);
                        assertSameBadNumber(kind + " loss of p = " + bad + " at column " + at + ", target at "
                                + hot, expected, out.item(), 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void lossGradientOfBadPredictionsMatchesTheReference() {
        Backend b = backend();
        int rows = BAD.length * POSITIONS.length;
        for (LossKind kind : LossKind.values()) {
            float[] p = new float[rows * COLS];
            float[] y = new float[rows * COLS];
            int r = 0;
            for (float bad : BAD) {
                for (int at : POSITIONS) {
                    float[][] py = row(bad, at, (at + r) % COLS, kind == LossKind.BINARY_CROSS_ENTROPY);
                    System.arraycopy(py[0], 0, p, r * COLS, COLS);
                    System.arraycopy(py[1], 0, y, r * COLS, COLS);
                    r++;
                }
            }
            Tensor g = zeros(rows, COLS);
            b.lossGradient(kind, tensor(p, rows, COLS), tensor(y, rows, COLS), g);
            double[] expected = Reference.lossGradient(kind, p, y, rows, COLS);
            float[] actual = g.toArray();
            for (int i = 0; i < actual.length; i++) {
                assertSameBadNumber(kind + " gradient at row " + i / COLS + ", column " + i % COLS + " (p = "
                        + p[i] + ", y = " + y[i] + ")", expected[i], actual[i], 1e-5);
            }
        }
    }

    @Test
    void countCorrectTreatsNaNAndInfinityAsTheReferenceDoes() {
        // Widths around a warp (32) and a vector; a NaN first in a row wins the arg-max (nothing compares
        // greater), a NaN elsewhere never does, also when it is the first element a GPU lane sees (j = 32 + k).
        Backend b = backend();
        Random random = random("bad-count-correct");
        for (int cols : new int[] {1, 2, 3, 10, 17, 40, 70}) {
            int rows = 96;
            float[] p = uniform(random, rows * cols, -1, 1);
            float[] y = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                int off = i * cols;
                int bad = random.nextInt(cols);
                p[off + bad] = BAD[i % BAD.length];
                if (cols > 4 && i % 3 == 0) {
                    p[off + random.nextInt(Math.min(cols, 32))] = Float.NaN;   // a NaN first in its lane
                }
                if (i % 7 == 0) {
                    p[off] = Float.NaN;
                }
                // Half the targets agree with the reference arg-max, so a backend that treats NaN differently
                // counts differently.
                int hot = i % 2 == 0 ? Reference.argmax(p, off, cols) : random.nextInt(cols);
                if (cols == 1) {
                    y[off] = i % 2;
                } else {
                    y[off + hot] = 1f;
                }
            }
            Tensor out = zeros(1);
            b.countCorrect(tensor(p, rows, cols), tensor(y, rows, cols), 0f, out);
            assertEquals(Reference.countCorrect(p, y, rows, cols), (int) out.item(), "correct rows, " + cols
                    + " columns");
        }
    }

    @Test
    void activationsOfBadInputsMatchTheReference() {
        Backend b = backend();
        int rows = 4;
        float[] z = new float[rows * COLS];
        for (int i = 0; i < z.length; i++) {
            z[i] = BAD[i % BAD.length];
        }
        for (Activation f : Activation.values()) {
            Tensor out = zeros(rows, COLS);
            b.biasActivation(tensor(z, rows, COLS), null, f, 0.1f, out);
            double[] expected = Reference.biasActivation(z, null, rows, COLS, f, 0.1);
            float[] actual = out.toArray();
            for (int i = 0; i < actual.length; i++) {
                assertSameBadNumber(f + " of " + z[i] + " (element " + i + ")", expected[i], actual[i], 1e-5);
            }
        }
    }

    @Test
    void activationBackwardOfBadOutputsMatchesTheReference() {
        Backend b = backend();
        int rows = 4;
        float[] a = new float[rows * COLS];
        float[] dA = new float[rows * COLS];
        for (int i = 0; i < a.length; i++) {
            a[i] = BAD[i % BAD.length];
            dA[i] = 0.25f + i % 5;
        }
        for (Activation f : Activation.values()) {
            Tensor dZ = zeros(rows, COLS);
            b.activationBackward(f, 0.1f, tensor(a, rows, COLS), tensor(dA, rows, COLS), dZ);
            double[] expected = Reference.activationBackward(f, 0.1, a, dA, rows, COLS);
            float[] actual = dZ.toArray();
            for (int i = 0; i < actual.length; i++) {
                assertSameBadNumber(f + " backward at a = " + a[i] + " (element " + i + ")", expected[i],
                        actual[i], 1e-5);
            }
        }
    }
}
