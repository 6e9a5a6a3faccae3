package dev.nnj.api.conformance;

import java.util.Arrays;
import java.util.Random;

/**
 * The seeded inputs of the conformance classes and the float32/double conversions their references use,
 * shared by both families ({@link ConformanceBase} for ops, {@link ModelTestSupport} for models) so that a
 * case draws the same data whichever family runs it.
 */
abstract class TestData {
    /** Holds only static helpers; subclassed by the two conformance bases. */
    TestData() {
    }

    // ---------------------------------------------------------------- seeded data

    /** A generator seeded from the test's parameters, so every case is reproducible and cases differ. */
    static Random random(Object... key) {
        return new Random(Arrays.deepToString(key).hashCode() * 0x9E3779B97F4A7C15L);
    }

    /** {@code n} floats uniform in {@code [lo, hi)}. */
    static float[] uniform(Random r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return x;
    }

    /** {@code n} floats from {@code N(0, sd²)}. */
    static float[] normal(Random r, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sd * r.nextGaussian());
        }
        return x;
    }

    /** {@code n} floats of random sign whose magnitude is uniform in {@code [lo, hi)}: kept away from zero. */
    static float[] awayFromZero(Random r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double m = lo + (hi - lo) * r.nextDouble();
            x[i] = (float) (r.nextBoolean() ? m : -m);
        }
        return x;
    }

    /** Rows of one-hot targets with the hot column drawn uniformly. */
    static float[] oneHotRows(Random r, int rows, int cols) {
        float[] y = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            y[i * cols + r.nextInt(cols)] = 1;
        }
        return y;
    }

    /**
     * Rows of probabilities, a softmax of {@code N(0, logitSd²)} logits, each row summing to one; a larger
     * {@code logitSd} gives peakier rows.
     */
    static float[] probabilityRows(Random r, int rows, int cols, double logitSd) {
        float[] p = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            double[] e = new double[cols];
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                e[j] = Math.exp(logitSd * r.nextGaussian());
                sum += e[j];
            }
            for (int j = 0; j < cols; j++) {
                p[i * cols + j] = (float) (e[j] / sum);
            }
        }
        return p;
    }

    /** {@code 0} or {@code 1} targets drawn with probability one half. */
    static float[] binaryRows(Random r, int rows, int cols) {
        float[] y = new float[rows * cols];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
        return y;
    }

    // ---------------------------------------------------------------- conversions

    /** The exact double values of a float32 array, for references computed in double. */
    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** The float32 values of a double array (what a correct backend would hold). */
    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
