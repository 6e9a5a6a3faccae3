package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorExp} against {@link Math#exp} in double: on a dense sweep of {@code [−90, 0]} (where softmax
 * and the sigmoid use it), and at the edges a kernel must get right (0, the underflow bound, −∞, NaN).
 */
class VectorExpTest {

    private static float[] exp(float... x) {
        return apply(VectorExp::expNonPositive, x);
    }

    private static float[] apply(java.util.function.UnaryOperator<FloatVector> f, float... x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += VectorGemm.L) {
            float[] lane = new float[VectorGemm.L];
            int n = Math.min(VectorGemm.L, x.length - i);
            System.arraycopy(x, i, lane, 0, n);
            float[] y = new float[VectorGemm.L];
            f.apply(FloatVector.fromArray(VectorGemm.S, lane, 0)).intoArray(y, 0);
            System.arraycopy(y, 0, out, i, n);
        }
        return out;
    }

    @Test
    void withinThreeUlpOfTheTrueExponentialOnTheWholeRange() {
        int count = 200_001;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (-87.0 * i / (count - 1));
        }
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 3, "worst error " + worst + " ulp");
    }

    @Test
    void edges() {
        float[] y = exp(0f, -0f, -87.5f, -1000f, Float.NEGATIVE_INFINITY, Float.NaN, 5f);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0f, y[2], "below the smallest normal float");
        assertEquals(0f, y[3]);
        assertEquals(0f, y[4]);
        assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
        assertEquals(1f, y[6], "inputs above 0 are taken as 0");
    }

    /** Worst distance in ulp of the result from {@code exact} over a sweep. */
    private static double worstUlp(float[] x, float[] y, java.util.function.DoubleUnaryOperator exact) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = exact.applyAsDouble(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - e) / Math.ulp((float) e));
        }
        return worst;
    }

    private static float[] sweep(double from, double to, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (from + (to - from) * i / (count - 1));
        }
        return x;
    }

    @Test
    void expm1WithinTwoUlpNearZeroAndFarFromIt() {
        for (float[] x : new float[][] {sweep(-1e-6, 0, 10_001), sweep(-0.35, 0, 100_001), sweep(-90, 0, 200_001)}) {
            double worst = worstUlp(x, apply(VectorExp::expm1NonPositive, x), Math::expm1);
            assertTrue(worst <= 2, "worst error " + worst + " ulp on [" + x[0] + ", 0]");
        }
        float[] y = apply(VectorExp::expm1NonPositive, 0f, -0f, -1e-30f, -200f, Float.NEGATIVE_INFINITY, Float.NaN, 3f);
        assertEquals(0f, y[0]);
        assertEquals(0f, y[1], 0f);
        assertEquals(-1e-30f, y[2], "tiny arguments keep their precision");
        assertEquals(-1f, y[3]);
        assertEquals(-1f, y[4]);
        assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
        assertEquals(0f, y[6], "inputs above 0 are taken as 0");
    }

    @Test
    void tanhWithinThreeUlpOnBothSides() {
        for (float[] x : new float[][] {sweep(-1e-5, 1e-5, 20_001), sweep(-1, 1, 200_001), sweep(-12, 12, 200_001)}) {
            double worst = worstUlp(x, apply(VectorExp::tanh, x), Math::tanh);
            assertTrue(worst <= 3, "worst error " + worst + " ulp on [" + x[0] + ", " + x[x.length - 1] + "]");
        }
        float[] y = apply(VectorExp::tanh, 0f, -0f, 20f, -20f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, 1e-30f);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(y[0]), "+0 stays +0");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[1]), "-0 stays -0");
        assertEquals(1f, y[2]);
        assertEquals(-1f, y[3]);
        assertEquals(1f, y[4]);
        assertEquals(-1f, y[5]);
        assertTrue(Float.isNaN(y[6]), "NaN stays NaN");
        assertEquals(1e-30f, y[7]);
    }

    // The same formulas in scalar Java, operation for operation. Java's float arithmetic (and Math.fma, min,
    // max, abs) is exactly specified, so these give the same bits in the interpreter, C1 and C2: a vector
    // result equal to them bit for bit is tier-independent too.

    private static float expScalar(float x) {
        float xc = Math.max(Math.min(x, 0f), VectorExp.MIN_ARG);
        float t = Math.fma(xc, VectorExp.LOG2E, VectorExp.ROUNDER);
        float n = t - VectorExp.ROUNDER;
        float r = Math.fma(n, -VectorExp.C1, xc);
        r = Math.fma(n, -VectorExp.C2, r);
        float p = Math.fma(r, VectorExp.P0, VectorExp.P1);
        p = Math.fma(p, r, VectorExp.P2);
        p = Math.fma(p, r, VectorExp.P3);
        p = Math.fma(p, r, VectorExp.P4);
        p = Math.fma(p, r, VectorExp.P5);
        float y = Math.fma(p, r * r, r) + 1f;
        float twoToN = Float.intBitsToFloat((Float.floatToRawIntBits(t) << 23) + (127 << 23));
        return x < VectorExp.MIN_ARG ? 0f : y * twoToN;
    }

    private static float expm1Scalar(float x) {
        float r = Math.min(x, 0f);
        float q = Math.fma(r, VectorExp.T8, VectorExp.T7);
        q = Math.fma(q, r, VectorExp.T6);
        q = Math.fma(q, r, VectorExp.T5);
        q = Math.fma(q, r, VectorExp.T4);
        q = Math.fma(q, r, VectorExp.T3);
        q = Math.fma(q, r, VectorExp.T2);
        return r >= -VectorExp.HALF_LN2 ? Math.fma(q, r * r, r) : expScalar(r) - 1f;
    }

    private static float tanhScalar(float x) {
        float ax = Math.abs(x);
        float z = x * x;
        float p = Math.fma(z, VectorExp.TH4, VectorExp.TH3);
        p = Math.fma(p, z, VectorExp.TH2);
        p = Math.fma(p, z, VectorExp.TH1);
        p = Math.fma(p, z, VectorExp.TH0);
        float e = expScalar(ax * -2f);
        float magnitude = ax < VectorExp.TANH_SERIES_BOUND ? Math.fma(p * z, ax, ax) : (-e + 1f) / (e + 1f);
        return Float.floatToIntBits(x) < 0 ? -magnitude : magnitude;   // IS_NEGATIVE: the sign bit, not for NaN
    }

    @Test
    void vectorResultsEqualTheScalarFormulasBitForBit() {
        java.util.Random rnd = new java.util.Random(5);
        int count = 1 << 16;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            switch (i % 4) {
                case 0 -> x[i] = (float) (rnd.nextGaussian() * 3);
                case 1 -> x[i] = (float) (-rnd.nextDouble() * 100);
                case 2 -> x[i] = (float) (rnd.nextGaussian() * 1e-3);
                default -> x[i] = Float.intBitsToFloat(rnd.nextInt());   // any bits: huge, tiny, NaN, ±0, ±∞
            }
        }
        float[] exp = apply(VectorExp::expNonPositive, x);
        float[] expm1 = apply(VectorExp::expm1NonPositive, x);
        float[] tanh = apply(VectorExp::tanh, x);
        for (int i = 0; i < count; i++) {
            assertSameBits(expScalar(x[i]), exp[i], "exp", x[i]);
            assertSameBits(expm1Scalar(x[i]), expm1[i], "expm1", x[i]);
            assertSameBits(tanhScalar(x[i]), tanh[i], "tanh", x[i]);
        }
    }

    /** The same bits, or NaN on both sides (a NaN's payload carries no value). */
    private static void assertSameBits(float expected, float actual, String what, float x) {
        if (!(Float.isNaN(expected) && Float.isNaN(actual))) {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what + "(" + x + ")");
        }
    }
}
