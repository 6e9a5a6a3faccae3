package dev.nnj.cpu;

import dev.nnj.api.Activation;

/**
 * The vector lanes' formulas in scalar Java: the exponential of {@link VectorExp} and the sigmoid, tanh and ELU of
 * {@link VectorActivationKernel}, operation for operation, so that they give a lane's bits. The vector loops' scalar
 * tails and {@link SmallOps} compute with them.
 *
 * <p>A class of their own, with the formulas' constants, which the vector classes build their vector constants
 * from, so that calling them initialises none of the Vector API's classes or constants: {@link SmallOps} serves a
 * one-row call without touching the Vector API at all (a first call took 4-6 ms when it did, 1 ms without).
 */
final class LaneFormulas {
    private LaneFormulas() {
    }

    // The exponential (VectorExp).
    /** {@code e^−104} is less than half the smallest subnormal float: from here down the result is 0. */
    static final float MIN_ARG = -104f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUNDER = 12582912f;
    /** {@code ln 2 = C1 + C2}; {@code C1} has few bits, so {@code n · C1} is exact for the n that occur. */
    static final float C1 = 0.693359375f;
    static final float C2 = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    // tanh and ELU (VectorActivationKernel).
    /** The sign bit of a float. */
    static final int SIGN_BIT = 0x80000000;
    /** Below this, tanh takes Cephes' odd polynomial; from it on, {@code (1 − e) / (1 + e)}. */
    static final float TANH_SMALL = 0.625f;
    /** Cephes {@code tanhf}: {@code tanh x ≈ x + x³ · (T4 + T3 x² + … + T0 x⁸)} for {@code |x| < 0.625}. */
    static final float T0 = -5.70498872745e-3f;
    static final float T1 = 2.06390887954e-2f;
    static final float T2 = -5.37397155531e-2f;
    static final float T3 = 1.33314422036e-1f;
    static final float T4 = -3.33332819422e-1f;
    /**
     * Above this ({@code −ln 2}), {@code e^x − 1} takes its Taylor series; at or below, {@code e^x − 1} itself,
     * which no longer cancels ({@code e^x ≤ ½}).
     */
    static final float EXPM1_SMALL = -0.6931472f;
    /** {@code 1/k!}: {@code e^x − 1 ≈ x + x² (1/2 + x/3! + … + x⁸/10!)}, within 1e-9 relative on (−ln 2, 0]. */
    static final float E3 = 1f / 6;
    static final float E4 = 1f / 24;
    static final float E5 = 1f / 120;
    static final float E6 = 1f / 720;
    static final float E7 = 1f / 5040;
    static final float E8 = 1f / 40320;
    static final float E9 = 1f / 362880;
    static final float E10 = 1f / 3628800;

    /**
     * {@code f(v)} for one element of an elementwise activation, as a vector lane computes it.
     *
     * @param f     any activation but SOFTMAX
     * @param v     the input, {@code z + bias}
     * @param alpha the activation's parameter (leaky ReLU's slope, ELU's scale)
     * @return {@code f(v)}
     * @throws IllegalArgumentException for SOFTMAX, which is row-wise
     */
    static float activate(Activation f, float v, float alpha) {
        switch (f) {
            case IDENTITY:
                return v;
            case SIGMOID:
                return sigmoid(v, expNonPositive(-Math.abs(v)));
            case TANH:
                return tanh(v, expNonPositive(Math.abs(v) * -2f));
            case ELU:
                return elu(v, expNonPositive(Math.min(v, 0f)), alpha);
            case RELU:
            case LEAKY_RELU:
                return ReferenceKernels.activate(f, alpha, v);   // one compare and at most one product: the lanes' too
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
    }

    /**
     * {@code e^x} for {@code x ≤ 0}: the vector loop's formula operation for operation, in scalar Java, except
     * that {@code 2^(n + 64)} is written into the exponent bits (an exact power of two either way). Java's float
     * arithmetic, {@link Math#fma}, {@code min} and {@code max} are exactly specified, so this gives the same bits
     * as the vector lanes in the interpreter, C1 and C2.
     *
     * @param x the exponent; above 0 it is taken as 0
     * @return {@code e^x}
     */
    static float expNonPositive(float x) {
        float xc = Math.max(Math.min(x, 0f), MIN_ARG);
        float n = Math.fma(xc, LOG2E, ROUNDER) - ROUNDER;
        float r = Math.fma(n, -C1, xc);
        r = Math.fma(n, -C2, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * powerOfTwo(n + 64f) * 0x1p-64f;
    }

    /** {@code 2^k} for a whole number {@code k} in {@code [−126, 127]}, from its exponent bits. */
    private static float powerOfTwo(float k) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(k + ROUNDER) << 23) + (127 << 23));
    }

    /**
     * The logistic sigmoid from {@code v} and {@code e = e^{−|v|}} (≤ 1, so nothing overflows):
     * {@code 1 / (1 + e)} for {@code v ≥ 0}, {@code e / (1 + e)} below, as the vector lanes compute it. The
     * numerator is chosen by arithmetic: {@code step} is 0 for {@code v ≤ 0} and 1 for {@code v ≥ 2^−100}
     * (between, {@code e} rounds to 1 and so does either choice), and {@code e + step · (1 − e)}, rounded once,
     * is then exactly {@code e} or exactly 1 (checked for every float {@code e} in {@code [0, 1]}).
     *
     * <p>The vector lanes take {@code −|v|} as {@code min(v, −1 · v)} and {@code 1 − e} as a subtraction, the
     * same values as {@code abs}, {@code neg} and {@code −e + 1}: so the digits trainer's sigmoid network uses no
     * unary vector operation, whose Java fallbacks (and their own compiles) would run before C2 has compiled the
     * pass.
     */
    static float sigmoid(float v, float e) {
        float step = Math.min(Math.max(v * 0x1p100f, 0f), 1f);
        return Math.fma(step, -e + 1f, e) / (e + 1f);
    }

    /**
     * {@code tanh v} from {@code v} and {@code e = e^{−2|v|}}, as the vector lanes compute it (Cephes'
     * {@code tanhf}): for {@code |v| < 0.625} the odd polynomial, else {@code (1 − e) / (1 + e)}, which does not
     * cancel there ({@code e ≤ 0.29}); then the sign of {@code v}. Within 3 ulp of {@link Math#tanh}.
     */
    static float tanh(float v, float e) {
        float x = Math.abs(v);
        float large = (-e + 1f) / (e + 1f);
        float s = x * x;
        float p = Math.fma(s, T0, T1);
        p = Math.fma(p, s, T2);
        p = Math.fma(p, s, T3);
        p = Math.fma(p, s, T4);
        float small = Math.fma(p, s * x, x);
        float t = x < TANH_SMALL ? small : large;
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(v) & SIGN_BIT));
    }

    /**
     * ELU, {@code v} for {@code v > 0} and {@code alpha · (e^v − 1)} at or below, from {@code v} and
     * {@code e = e^{min(v, 0)}}, as the vector lanes compute it: {@code e^v − 1} by its Taylor series above
     * {@code −ln 2}, where subtracting 1 would cancel, and as {@code e − 1} from there down. Within 3 ulp of
     * {@link Math#expm1}.
     */
    static float elu(float v, float e, float alpha) {
        float x = Math.min(v, 0f);
        float p = Math.fma(x, E10, E9);
        p = Math.fma(p, x, E8);
        p = Math.fma(p, x, E7);
        p = Math.fma(p, x, E6);
        p = Math.fma(p, x, E5);
        p = Math.fma(p, x, E4);
        p = Math.fma(p, x, E3);
        p = Math.fma(p, x, 0.5f);
        float expm1 = x > EXPM1_SMALL ? Math.fma(p, x * x, x) : e - 1f;
        return v <= 0f ? expm1 * alpha : v;
    }
}
