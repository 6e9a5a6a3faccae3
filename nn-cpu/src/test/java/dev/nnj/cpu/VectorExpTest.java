package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorExp}: {@code e^x} against {@link Math#exp} in double on a dense sweep of {@code [−87, 0]}, through
 * gradual underflow, and at the edges a kernel must get right (0, the underflow bound, −∞, NaN); {@code ln x}
 * against {@link Math#log} from subnormals to large values, and against Cephes' branchy reduction bit for bit;
 * the sigmoid, tanh and ELU built on the exponential against the double-precision functions; and all of them bit
 * for bit against their formulas in scalar Java, which is what makes them give the same bits in every JIT tier.
 */
class VectorExpTest {

    /** {@link VectorExp#expNonPositiveInPlace} on a copy: whole vectors, then the scalar tail. */
    private static float[] exp(float... x) {
        float[] y = x.clone();
        VectorExp.expNonPositiveInPlace(y, 0, y.length, new float[ExpScratch.SIZE]);
        return y;
    }

    /** One activation's forward pass over {@code z} as one row without a bias (a bias of −0s). */
    private static float[] activate(VectorActivationKernel f, float alpha, float... z) {
        float[] out = new float[z.length];
        f.forwardRow(z, VectorActivations.noBias(z.length), 0, z.length, alpha, out, new ExpScratch());
        return out;
    }

    /** {@link VectorExp#logInPlace} on a copy: whole vectors, then the scalar tail. */
    private static float[] log(float... x) {
        float[] y = x.clone();
        VectorExp.logInPlace(y, 0, y.length);
        return y;
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
        float[] y = exp(0f, -0f, -87.5f, -1000f, Float.NEGATIVE_INFINITY, Float.NaN, 5f, -104f, -103.9f);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals((float) Math.exp(-87.5), y[2], Float.MIN_VALUE, "below the smallest normal float: subnormal");
        assertEquals(0f, y[3]);
        assertEquals(0f, y[4]);
        assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
        assertEquals(1f, y[6], "inputs above 0 are taken as 0");
        assertEquals(0f, y[7], "e^-104 is below half the smallest subnormal");
        assertEquals(Float.MIN_VALUE, y[8], "e^-103.9 rounds up to the smallest subnormal");
    }

    @Test
    void gradualUnderflowWithinOneSubnormalStep() {
        float[] x = sweep(-104, -87.3, 100_001);
        float[] y = exp(x);
        for (int i = 0; i < x.length; i++) {
            double exact = Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - exact) <= Math.max(Float.MIN_VALUE, 3 * Math.ulp((float) exact)),
                    "e^" + x[i] + " = " + y[i] + ", exactly " + exact);
        }
    }

    private static final float[] ACTIVATION_EDGES = {0f, -0f, 1e-40f, -1e-40f, 0x1p-100f, 0x1p-26f, -0x1p-26f, 0.5f,
        -0.5f, 0.62f, 0.625f, -0.63f, 0.69f, -0.6931472f, -0.7f, 3f, -3f, 9f, 20f, -20f, 88f, -88f, 120f, -120f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    /** The edges, then a sweep of {@code [−12, 12]} and Gaussian values: a length with a scalar tail. */
    private static float[] activationInputs() {
        java.util.Random rnd = new java.util.Random(11);
        float[] z = java.util.Arrays.copyOf(ACTIVATION_EDGES, 50_003);
        for (int i = ACTIVATION_EDGES.length; i < z.length; i++) {
            z[i] = i % 2 == 0 ? (float) (-12 + 24.0 * i / z.length) : (float) (rnd.nextGaussian() * 2);
        }
        return z;
    }

    @Test
    void sigmoidIsTheStableFormulaOnTheSameExponential() {
        float[] z = activationInputs();
        float[] sigmoid = activate(VectorActivationKernel.SIGMOID, 0f, z);
        for (int i = 0; i < z.length; i++) {
            float e = LaneFormulas.expNonPositive(-Math.abs(z[i]));
            float expected = z[i] >= 0f ? 1f / (1f + e) : e / (1f + e);
            assertSameBits(expected, sigmoid[i], "sigmoid", z[i]);
            assertSameBits(LaneFormulas.sigmoid(z[i], e), sigmoid[i], "scalar sigmoid", z[i]);
            if (!Float.isNaN(z[i])) {
                assertEquals(ReferenceKernels.sigmoid(z[i]), sigmoid[i], 2 * Math.ulp(sigmoid[i]),
                        "sigmoid(" + z[i] + ")");
            }
        }
    }

    @Test
    void tanhWithinThreeUlpAndTheSameBitsAsItsScalarFormula() {
        float[] z = activationInputs();
        float[] tanh = activate(VectorActivationKernel.TANH, 0f, z);
        for (int i = 0; i < z.length; i++) {
            float e = LaneFormulas.expNonPositive(-2f * Math.abs(z[i]));
            assertSameBits(LaneFormulas.tanh(z[i], e), tanh[i], "tanh", z[i]);
            if (Float.isNaN(z[i])) {
                assertTrue(Float.isNaN(tanh[i]), "NaN stays NaN");
            } else {
                double exact = Math.tanh(z[i]);
                assertTrue(Math.abs(tanh[i] - exact) <= 3 * Math.ulp((float) exact) || tanh[i] == (float) exact,
                        "tanh(" + z[i] + ") = " + tanh[i] + ", exactly " + exact);
            }
        }
        assertSameBits(-0f, tanh[1], "tanh", -0f);
        assertEquals(1f, tanh[indexOf(ACTIVATION_EDGES, Float.POSITIVE_INFINITY)]);
    }

    @Test
    void eluWithinThreeUlpAndTheSameBitsAsItsScalarFormula() {
        float alpha = 1.5f;
        float[] z = activationInputs();
        float[] elu = activate(VectorActivationKernel.ELU, alpha, z);
        for (int i = 0; i < z.length; i++) {
            float e = LaneFormulas.expNonPositive(Math.min(z[i], 0f));
            assertSameBits(LaneFormulas.elu(z[i], e, alpha), elu[i], "elu", z[i]);
            if (Float.isNaN(z[i])) {
                assertTrue(Float.isNaN(elu[i]), "NaN stays NaN");
            } else {
                double exact = z[i] > 0 ? z[i] : alpha * Math.expm1(z[i]);
                assertTrue(Math.abs(elu[i] - exact) <= 3 * Math.ulp((float) exact) || elu[i] == (float) exact,
                        "elu(" + z[i] + ") = " + elu[i] + ", exactly " + exact);
            }
        }
    }

    @Test
    void reluBackwardPassesDaWhereTheOutputIsAboveZeroOrNanAndPlusZeroElsewhere() {
        float[] outputs = {0f, -0f, -1f, -Float.MIN_VALUE, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, Float.MIN_VALUE,
            1e-30f, 2f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc00000),
            Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001)};
        float[] gradients = {3f, -2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        int n = outputs.length * gradients.length;
        int total = n + 16 - n % 16;   // whole vectors only: every case in a vector lane
        float[] a = new float[total];
        float[] dA = new float[total];
        for (int i = 0; i < n; i++) {
            a[i] = outputs[i % outputs.length];
            dA[i] = gradients[i / outputs.length];
        }
        float[] dZ = new float[total];
        VectorActivationKernel.RELU.backward(0f, a, dA, dZ, 0, total);
        float[] inPlace = dA.clone();   // dZ = dA, as the Backend contract allows
        VectorActivationKernel.RELU.backward(0f, a, inPlace, inPlace, 0, total);
        float[] onOutput = a.clone();   // dZ = a
        VectorActivationKernel.RELU.backward(0f, onOutput, dA, onOutput, 0, total);
        for (int i = 0; i < n; i++) {
            boolean keep = a[i] > 0f || Float.isNaN(a[i]);
            int expected = keep ? Float.floatToRawIntBits(dA[i]) : 0;
            String what = "relu backward, a = " + a[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(a[i]))
                    + "), dA = " + dA[i];
            assertEquals(expected, Float.floatToRawIntBits(dZ[i]), what);
            assertEquals(expected, Float.floatToRawIntBits(inPlace[i]), what + ", in place on dA");
            assertEquals(expected, Float.floatToRawIntBits(onOutput[i]), what + ", in place on a");
        }
    }

    /** Where {@code x} first stands in {@code xs}; the activation inputs begin with the edges. */
    private static int indexOf(float[] xs, float x) {
        for (int i = 0; i < xs.length; i++) {
            if (Float.compare(xs[i], x) == 0) {
                return i;
            }
        }
        throw new AssertionError(x + " is not among the values");
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

    // The same formulas in scalar Java, operation for operation. Java's float arithmetic (and Math.fma, min,
    // max, abs) is exactly specified, so these give the same bits in the interpreter, C1 and C2: a vector
    // result equal to them bit for bit is tier-independent too.


    @Test
    void logWithinTwoUlpFromSubnormalsToLargeValues() {
        for (float[] x : new float[][] {sweep(1e-44, 1.2e-38, 100_001), sweep(1e-38, 1e-3, 100_001),
                sweep(1e-3, 0.7, 100_001), sweep(0.7, 1.4, 200_001), sweep(1.4, 1e30, 100_001)}) {
            double worst = worstUlp(x, log(x), Math::log);
            assertTrue(worst <= 2, "worst error " + worst + " ulp on [" + x[0] + ", " + x[x.length - 1] + "]");
        }
        float[] y = log(1f, 0f, -0f, -1f, Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE, 2f);
        assertEquals(0f, y[0]);
        assertEquals(Float.NEGATIVE_INFINITY, y[1]);
        assertEquals(Float.NEGATIVE_INFINITY, y[2]);
        assertTrue(Float.isNaN(y[3]), "log of a negative number");
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
        assertEquals((float) Math.log(Float.MIN_VALUE), y[6], 1e-5f);
        assertEquals((float) Math.log(2), y[7]);
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
        float[] exp = exp(x);
        float[] log = log(x);
        for (int i = 0; i < count; i++) {
            assertSameBits(VectorExp.log(x[i]), log[i], "log", x[i]);
            assertSameBits(LaneFormulas.expNonPositive(x[i]), exp[i], "exp", x[i]);
        }
        // Nearly all of the vectors above have a lane the logarithm's vector path leaves to scalar Java (a
        // negative number, say). Positive floats up to 2^102, subnormals included, stay on it: its scaling of
        // every lane by 2^25 must give the bits of the scalar formula, which scales subnormals only.
        float[] positive = new float[count];
        for (int i = 0; i < count; i++) {
            positive[i] = Math.min(Float.intBitsToFloat(rnd.nextInt() & 0x7fffffff), 0x1p102f);
        }
        float[] logPositive = log(positive);
        for (int i = 0; i < count; i++) {
            assertSameBits(VectorExp.log(positive[i]), logPositive[i], "log", positive[i]);
        }
    }

    /**
     * Cephes' {@code logf} as written with branches (frexp, then doubling mantissas below √½): the branch-free
     * reduction of {@link VectorExp#log} gives its bits for every positive finite argument.
     */
    private static float cephesLog(float x) {
        boolean tiny = x < Float.MIN_NORMAL;
        float scaled = tiny ? x * VectorExp.TWO_TO_25 : x;
        int bits = Float.floatToRawIntBits(scaled);
        float e = ((bits >>> 23) & 0xff) - 126f - (tiny ? 25f : 0f);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);     // in [½, 1)
        if (m < 0.707106781186547524f) {
            e = e - 1f;
            m = m + m;
        }
        float t = m - 1f;
        float z = t * t;
        float p = Math.fma(t, VectorExp.L8, VectorExp.L7);
        p = Math.fma(p, t, VectorExp.L6);
        p = Math.fma(p, t, VectorExp.L5);
        p = Math.fma(p, t, VectorExp.L4);
        p = Math.fma(p, t, VectorExp.L3);
        p = Math.fma(p, t, VectorExp.L2);
        p = Math.fma(p, t, VectorExp.L1);
        p = Math.fma(p, t, VectorExp.L0);
        float y = p * t * z;
        y = Math.fma(e, LaneFormulas.C2, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(e, LaneFormulas.C1, t + y);
    }

    @Test
    void branchFreeLogGivesCephesBitsForEveryPositiveFiniteFloat() {
        // Every 97th float from the smallest subnormal to the largest finite one, and both ends.
        int last = Float.floatToRawIntBits(Float.MAX_VALUE);
        for (long b = 1; b <= last; b += b + 97 > last && b < last ? last - b : 97) {
            float x = Float.intBitsToFloat((int) b);
            assertSameBits(cephesLog(x), VectorExp.log(x), "log", x);
        }
        float[] x = sweep(1e-44, 3.4e38, 4096);
        float[] y = log(x);
        for (int i = 0; i < x.length; i++) {
            assertSameBits(cephesLog(x[i]), y[i], "log", x[i]);
        }
    }

    /** The same bits, or NaN on both sides (a NaN's payload carries no value). */
    private static void assertSameBits(float expected, float actual, String what, float x) {
        if (!(Float.isNaN(expected) && Float.isNaN(actual))) {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what + "(" + x + ")");
        }
    }
}
