package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.api.Tensor;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Comparisons that say where and by how much: a failure names the worst element (row and column for a
 * matrix), the expected and actual values, the difference and the tolerance, and how many elements failed.
 *
 * <p>Tolerances. The backend computes in float32 (unit roundoff {@code u = 2^-24 ≈ 6e-8}), the reference in
 * float64 from the same float32 inputs, so what is compared is the backend's rounding alone. A handful of
 * float32 operations per element stays within a few {@code u} relative, so the default check
 * {@code |x - r| ≤ 1e-5 + 1e-4 · |r|} leaves two orders of magnitude for differently ordered but correct
 * arithmetic (FMA, {@code exp} approximations, another summation order) while any formula error shows.
 * The absolute term covers results near zero, whose rounding scales with the inputs, not with the result.
 * Reductions ({@code gemm}, column sums) need more: see {@link #reductionTolerance}.
 */
final class Checks {
    static final double ABS = 1e-5;
    static final double REL = 1e-4;

    private Checks() {
    }

    /** The default tolerance {@code ABS + REL · |r|} for each expected value. */
    static double[] tolerance(double[] expected) {
        double[] tol = new double[expected.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = ABS + REL * Math.abs(expected[i]);
        }
        return tol;
    }

    /**
     * Tolerance of a sum of {@code k} products (a gemm element or a column sum) whose absolute terms add up to
     * {@code magnitude[i]}. With cancellation the result can be tiny while its float32 rounding error is not,
     * so the error is bounded relative to {@code Σ|terms|}: the classic worst case is {@code k · u · Σ|terms|}
     * and summation errors usually grow like {@code √k · u}. {@code 1e-5 · √k · Σ|terms|} stays above the worst
     * case up to {@code k ≈ 27 000} (far beyond the tests' shapes) yet is below what a lower-precision mode
     * such as TF32 (about {@code 5e-4} relative per product) would produce on a small {@code k}.
     */
    static double[] reductionTolerance(double[] expected, double[] magnitude, int k) {
        double[] tol = tolerance(expected);
        double perTerm = 1e-5 * Math.sqrt(k);
        for (int i = 0; i < tol.length; i++) {
            tol[i] += perTerm * magnitude[i];
        }
        return tol;
    }

    /** {@link #assertClose(String, int, double[], float[], double[])} with the default tolerance. */
    static void assertClose(String what, int cols, double[] expected, float[] actual) {
        assertClose(what, cols, expected, actual, tolerance(expected));
    }

    /** Reads {@code actual} back and compares it with the default tolerance, naming positions by its columns. */
    static void assertClose(String what, double[] expected, Tensor actual) {
        assertClose(what, actual.cols(), expected, actual.toArray());
    }

    /**
     * Fails unless {@code |actual[i] - expected[i]| ≤ tol[i]} for every {@code i}; NaN or infinity in
     * {@code actual} never passes. {@code cols} only formats positions as {@code [row, col]}.
     */
    static void assertClose(String what, int cols, double[] expected, float[] actual, double[] tol) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        int bad = 0;
        int worst = -1;
        double worstRatio = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol[i])) { // written so that a NaN error fails
                bad++;
                double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol[i];
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = i;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT,
                    "%s: %d of %d elements out of tolerance; worst at %s: expected %.9g, actual %.9g,"
                            + " |difference| %.3g > tolerance %.3g",
                    what, bad, expected.length, position(worst, cols, expected.length), expected[worst],
                    actual[worst], Math.abs(actual[worst] - expected[worst]), tol[worst]));
        }
    }

    /** Bit-for-bit equality (for copies, fills and masks), reporting the first difference. */
    static void assertExact(String what, int cols, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d elements differ; first at %s: expected %s, actual %s",
                    what, bad, expected.length, position(first, cols, expected.length), expected[first],
                    actual[first]));
        }
    }

    /** Fails on the first NaN or infinity. */
    static void assertFinite(String what, int cols, float[] actual) {
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) {
                fail(what + ": element " + position(i, cols, actual.length) + " is " + actual[i]);
            }
        }
    }

    /** {@code [row, col]} for a matrix, {@code [i]} for a vector. */
    static String position(int i, int cols, int size) {
        if (cols <= 0 || cols >= size) {
            return "[" + i + "]";
        }
        return "[" + i / cols + ", " + i % cols + "]";
    }

    // ---------------------------------------------------------------- error messages

    /**
     * The message of a shape error must name the offending argument ({@code 'b'}, {@code "b"}, {@code `b`} or
     * {@code b:} / {@code b=} / {@code b (…)}) — one of {@code argNames} — and contain every string in
     * {@code shapes} (as {@link dev.nnj.api.spi.Checks#toString(int[])} writes them, {@code (3, 4)}).
     */
    static void assertMessageNames(RuntimeException e, String[] argNames, String... shapes) {
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "exception without a message: " + e);
        boolean named = false;
        for (String arg : argNames) {
            Pattern p = Pattern.compile("['\"`]" + Pattern.quote(arg) + "['\"`]|\\b" + Pattern.quote(arg)
                    + "\\s*[=:(]");
            named |= p.matcher(message).find();
        }
        assertTrue(named, "message should name the argument (one of " + String.join(", ", argNames) + "): "
                + message);
        for (String s : shapes) {
            assertTrue(message.contains(s), "message should contain the shape " + s + ": " + message);
        }
    }
}
