package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The folds' algebra, on random maps and layers, in double: a Dense with a map folded into its input computes
 * {@code (a ⊙ x + b)·W + β}, one with a map folded into its output {@code a ⊙ (x·W + β) + b}, to float rounding.
 */
class AffineMapTest {
    private static final String[] OPS = {"Add", "Sub", "Mul", "Div"};

    /** Three to five random operations, each by one value per column or one for all (never a division by ~0). */
    private static AffineMap randomMap(Random r, int width) {
        AffineMap map = new AffineMap();
        int steps = 3 + r.nextInt(3);
        for (int s = 0; s < steps; s++) {
            double[] c = new double[r.nextBoolean() ? width : 1];
            for (int i = 0; i < c.length; i++) {
                c[i] = (0.5 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
            }
            map.add(OPS[r.nextInt(OPS.length)], c, "step " + s);
        }
        return map;
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** {@code x·W + β} in double, {@code W} {@code (in, out)} row-major. */
    private static double[] dense(double[] x, float[] w, float[] beta, int in, int out) {
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double s = beta == null ? 0 : beta[j];
            for (int i = 0; i < in; i++) {
                s += x[i] * w[i * out + j];
            }
            y[j] = s;
        }
        return y;
    }

    private static double[] apply(AffineMap map, double[] x) {
        double[][] ab = map.coefficients(x.length);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = ab[0][i] * x[i] + ab[1][i];
        }
        return y;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void aMapFoldedIntoADenseComputesWhatItDidBeforeOrAfterIt() {
        Random r = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            int in = 1 + r.nextInt(12);
            int out = 1 + r.nextInt(12);
            float[] w = random(r, in * out);
            float[] beta = r.nextBoolean() ? random(r, out) : null;
            double[] x = toDouble(random(r, in));

            AffineMap before = randomMap(r, in);
            float[][] folded = before.foldIntoInput(w, beta, in);
            double[] expected = dense(apply(before, x), w, beta, in, out);
            assertClose(expected, dense(x, folded[0], folded[1], in, out), "input fold, trial " + trial);

            AffineMap after = randomMap(r, out);
            folded = after.foldIntoOutput(w, beta, in);
            expected = apply(after, dense(x, w, beta, in, out));
            assertClose(expected, dense(x, folded[0], folded[1], in, out), "output fold, trial " + trial);
        }
    }

    /** Within a few float roundings of each term: the folds round each weight and bias once. */
    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            double scale = Math.max(1, Math.abs(expected[j]));
            assertTrue(Math.abs(expected[j] - actual[j]) <= 1e-4 * scale * 12,
                    what + ", output " + j + ": " + expected[j] + " against " + actual[j]);
        }
    }

    @Test
    void theOperationsComposeInGraphOrder() {
        // ((x + 1) · 2 - 4) / 2 = x - 1
        AffineMap map = new AffineMap().add("Add", new double[] {1}, "a").add("Mul", new double[] {2}, "m")
                .add("Sub", new double[] {4}, "s").add("Div", new double[] {2}, "d");
        double[][] ab = map.coefficients(3);
        assertArrayEquals(new double[] {1, 1, 1}, ab[0]);
        assertArrayEquals(new double[] {-1, -1, -1}, ab[1]);
        assertNull(map.difference(new AffineMap().add("Sub", new double[] {1}, "x"), 3));
        assertTrue(map.difference(new AffineMap().add("Sub", new double[] {1, 1, 2}, "x"), 3)
                .startsWith("column 2: 1.0·x + -1.0 against 1.0·x + -2.0"));
        assertEquals(5, map.coefficients(5)[0].length, "one value for all: any width");
        AffineMap perColumn = new AffineMap().add("Mul", new double[] {1, 2}, "node 3 (Mul 'x')");
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> perColumn.coefficients(3));
        assertEquals("node 3 (Mul 'x'): its constant has 2 values; on the 3 columns there nnj folds one value, or one "
                + "per column", e.getMessage());
    }
}
