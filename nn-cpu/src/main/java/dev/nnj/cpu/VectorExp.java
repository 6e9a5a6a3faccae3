package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for {@code x ≤ 0}, lane by lane, from additions, multiplications and fused multiply-adds only,
 * so that it gives the same bits in every JIT tier; and from it {@code e^x − 1} ({@link #expm1NonPositive}, for
 * ELU) and {@code tanh} ({@link #tanh}), for the same reason.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: C2 compiles that to a vendor intrinsic whose last bit can
 * differ from the Java fallback that runs before C2 has compiled it, so a training run's result depended on
 * when the JIT finished (a checkpoint resumed in a fresh JVM, a retried Spark task). Additions,
 * multiplications and FMA are exactly rounded in both tiers.
 *
 * <p>The method (Cephes' {@code expf}): {@code n = round(x · log2 e)}, {@code r = x − n · ln 2} in two
 * steps (a short {@code ln 2} and its remainder, so {@code r} is exact), {@code e^r} by a degree-7 polynomial
 * on {@code |r| ≤ ½ ln 2}, then times {@code 2^n} built in the exponent bits. Relative error about 2 ulp.
 * Softmax ({@code z − max ≤ 0}) and the sigmoid ({@code e^{−|z|}}) only need {@code x ≤ 0}: larger inputs are
 * clamped to 0; below {@code ln(FLT_MIN) ≈ −87.34} the result is 0; NaN stays NaN.
 */
final class VectorExp {
    /** Below this, {@code e^x} is under the smallest normal float: the result is 0. */
    static final float MIN_ARG = -87.33654f;
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
    /** {@code ln 2 / 2}: on {@code [−ln 2 / 2, 0]} {@code e^x − 1} comes from its Taylor series, not from {@code e^x}. */
    static final float HALF_LN2 = 0.34657359f;
    /** Taylor coefficients of {@code (e^r − 1 − r) / r²}: {@code 1/2!, 1/3!, …, 1/8!}. */
    static final float T2 = 1f / 2;
    static final float T3 = 1f / 6;
    static final float T4 = 1f / 24;
    static final float T5 = 1f / 120;
    static final float T6 = 1f / 720;
    static final float T7 = 1f / 5040;
    static final float T8 = 1f / 40320;
    /** Below this {@code |x|}, {@code tanh} comes from Cephes' odd polynomial rather than from {@code e^{−2|x|}}. */
    static final float TANH_SERIES_BOUND = 0.625f;
    /** Cephes {@code tanhf}: {@code tanh x ≈ x + x³ (TH0 + TH1 x² + TH2 x⁴ + TH3 x⁶ + TH4 x⁸)} on {@code |x| < 0.625}. */
    static final float TH0 = -3.33332819422e-1f;
    static final float TH1 = 1.33314422036e-1f;
    static final float TH2 = -5.37397155531e-2f;
    static final float TH3 = 2.06390887954e-2f;
    static final float TH4 = -5.70498872745e-3f;

    private VectorExp() {
    }

    /**
     * {@code e^x} lane by lane, for {@code x ≤ 0}.
     *
     * @param x the exponents; lanes above 0 are taken as 0
     * @return {@code e^x}
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = x.min(0f).max(MIN_ARG);                         // NaN stays NaN through both
        // x·log2 e rounded to the nearest integer n by adding 1.5·2²³: the sum's last mantissa bits are n.
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(n.broadcast(-C1), xc);                                  // x − n·C1, exact
        r = n.fma(n.broadcast(-C2), r);                                               // − n·C2
        FloatVector p = r.fma(P0, P1);                                   // Horner, one rounding per step
        p = p.fma(r, r.broadcast(P2));
        p = p.fma(r, r.broadcast(P3));
        p = p.fma(r, r.broadcast(P4));
        p = p.fma(r, r.broadcast(P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);                      // 1 + r + r²·p(r)
        // 2^n: n sits in t's low bits, so (t's bits << 23) + (127 << 23) is the float 2^n (n ≥ −126 here).
        IntVector bits = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(127 << 23);
        return y.mul(bits.reinterpretAsFloats()).blend(0f, x.compare(VectorOperators.LT, MIN_ARG));
    }

    /**
     * {@code e^x − 1} lane by lane, for {@code x ≤ 0}: ELU's negative side.
     * <pre>
     *   −ln 2 / 2 ≤ x ≤ 0:  x + x² · (1/2! + x/3! + … + x⁶/8!)     Taylor: no cancellation near 0, where
     *                                                              e^x − 1 would lose every digit
     *   x < −ln 2 / 2:      e^x − 1                                e^x ≤ 0.71: the subtraction loses nothing
     * </pre>
     * Within about 2 ulp of {@link Math#expm1}; {@code −∞} gives −1, NaN stays NaN, lanes above 0 are taken as
     * 0. Built only from exactly rounded operations, like {@link #expNonPositive}, instead of
     * {@code lanewise(EXPM1)}, whose vendor intrinsic and Java fallback differ in the last bit.
     *
     * @param x the exponents; lanes above 0 are taken as 0
     * @return {@code e^x − 1}
     */
    static FloatVector expm1NonPositive(FloatVector x) {
        FloatVector r = x.min(0f);
        FloatVector q = r.fma(T8, T7);
        q = q.fma(r, r.broadcast(T6));
        q = q.fma(r, r.broadcast(T5));
        q = q.fma(r, r.broadcast(T4));
        q = q.fma(r, r.broadcast(T3));
        q = q.fma(r, r.broadcast(T2));
        FloatVector nearZero = q.fma(r.mul(r), r);                       // r + r²·q(r), one rounding at the end
        FloatVector far = expNonPositive(r).sub(1f);
        return far.blend(nearZero, r.compare(VectorOperators.GE, -HALF_LN2));   // NaN fails GE: far is NaN
    }

    /**
     * {@code tanh x} lane by lane (Cephes' {@code tanhf}):
     * <pre>
     *   |x| &lt; 0.625:   x + x³ · p(x²)                                  p of degree 4: no cancellation near 0
     *   |x| ≥ 0.625:   tanh |x| = (1 − e) / (1 + e),  e = e^{−2|x|} ≤ 0.29,  with the sign of x
     * </pre>
     * Within about 3 ulp of {@link Math#tanh}; large {@code |x|} give ±1 exactly, ±0 keeps its sign, NaN stays
     * NaN. Exactly rounded operations only (a division among them), so every JIT tier gives the same bits,
     * which {@code lanewise(TANH)} does not.
     *
     * @param x any values
     * @return {@code tanh x}
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(TH4, TH3);
        p = p.fma(z, z.broadcast(TH2));
        p = p.fma(z, z.broadcast(TH1));
        p = p.fma(z, z.broadcast(TH0));
        FloatVector series = p.mul(z).fma(ax, ax);                       // |x| + |x|·z·p(z)
        FloatVector e = expNonPositive(ax.mul(-2f));
        FloatVector quotient = e.neg().add(1f).div(e.add(1f));           // (1 − e) / (1 + e)
        FloatVector magnitude = quotient.blend(series, ax.compare(VectorOperators.LT, TANH_SERIES_BOUND));
        return magnitude.lanewise(VectorOperators.NEG, x.test(VectorOperators.IS_NEGATIVE));   // NaN: quotient
    }
}
