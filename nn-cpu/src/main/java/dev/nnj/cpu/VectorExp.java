package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for {@code x ≤ 0}, lane by lane, from additions, multiplications and fused multiply-adds only,
 * so that it gives the same bits in every JIT tier.
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
    private static final float MIN_ARG = -87.33654f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    /** {@code ln 2 = C1 + C2}; {@code C1} has few bits, so {@code n · C1} is exact for the n that occur. */
    private static final float C1 = 0.693359375f;
    private static final float C2 = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

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
}
