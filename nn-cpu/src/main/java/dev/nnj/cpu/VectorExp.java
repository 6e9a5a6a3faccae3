package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for {@code x ≤ 0}, lane by lane, from additions, multiplications and fused multiply-adds only,
 * so that it gives the same bits in every JIT tier; and {@code ln x} ({@link #log}, for the loss values), for
 * the same reason.
 *
 * <p>{@code tanh} and ELU's {@code e^x − 1} still use the Vector API's {@code TANH} and {@code EXPM1}: written
 * the same way they were exact across tiers, but a kernel using two activations then grew past what C2
 * inlines into one method, and the vectors passed to the calls it did not inline were boxed, an allocation
 * per vector in a training step. Each activation's loops now live apart ({@link VectorActivationKernel}), yet a
 * network with two activations still gets both inlined into the one caller, and tanh beside sigmoid or ELU
 * boxed again (1.1 MB per call).
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
    /** {@link #log} scales arguments below {@link Float#MIN_NORMAL} (subnormals) by this first. */
    static final float TWO_TO_25 = 33554432f;
    /**
     * {@code √½}: mantissas below it are doubled, so that the polynomial's argument lies in
     * {@code [√½ − 1, √2 − 1)}.
     */
    static final float SQRT_HALF = 0.707106781186547524f;
    /** Cephes {@code logf}: {@code ln(1 + t) ≈ t − t²/2 + t³ · (L0 + L1 t + … + L8 t⁸)}. */
    static final float L0 = 3.3333331174e-1f;
    static final float L1 = -2.4999993993e-1f;
    static final float L2 = 2.0000714765e-1f;
    static final float L3 = -1.6668057665e-1f;
    static final float L4 = 1.4249322787e-1f;
    static final float L5 = -1.2420140846e-1f;
    static final float L6 = 1.1676998740e-1f;
    static final float L7 = -1.1514610310e-1f;
    static final float L8 = 7.0376836292e-2f;

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
     * {@code ln x} lane by lane (Cephes' {@code logf}): with {@code x = m · 2^e}, {@code m} in {@code [√½, √2)},
     * <pre>
     *   ln x = e · ln 2 + ln(1 + t),   t = m − 1 (exact),
     *   ln(1 + t) ≈ t − t²/2 + t³ · L(t),   e · ln 2 added as e · C1 + e · C2 (C1 short: e · C1 is exact)
     * </pre>
     * Subnormal arguments are scaled by {@code 2^25} first. Within about 2 ulp of {@link Math#log}; 0 gives
     * −∞, +∞ gives +∞, negative arguments and NaN give NaN. Exactly rounded operations and bit manipulation
     * only, so every JIT tier gives the same bits, which {@code lanewise(LOG)} does not.
     *
     * @param x the arguments
     * @return {@code ln x}
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector scaled = x.blend(x.mul(TWO_TO_25), tiny);
        FloatVector e = exponentOf(scaled);
        FloatVector r = logOfMantissa(scaled, e.blend(e.sub(25f), tiny));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        return r.blend(Float.NaN, x.compare(VectorOperators.NE, x));     // NaN: the one value unequal to itself
    }

    // log is split in three so that each part is small enough for C2 to inline into a kernel's loop: a vector
    // passed to a method that is not inlined is boxed, which would allocate on every call.

    /**
     * {@code b − 126} for the biased exponent {@code b} of each (normal) lane, as a float: the bits of
     * {@code 2^23 + b} minus {@code 2^23}, exact, which C2 compiles without a conversion instruction.
     */
    private static FloatVector exponentOf(FloatVector scaled) {
        IntVector biased = scaled.reinterpretAsInts().lanewise(VectorOperators.LSHR, 23).and(0xff);
        return biased.or(0x4b000000).reinterpretAsFloats().sub(8388608f + 126f);
    }

    /**
     * {@code ln(m · 2^e)} for {@code scaled = m · 2^e}, {@code m} its mantissa in {@code [½, 1)}: the mantissa
     * moved to {@code [√½, √2)}, then {@code e · ln 2 + ln(1 + t)}.
     */
    private static FloatVector logOfMantissa(FloatVector scaled, FloatVector e) {
        FloatVector m = scaled.reinterpretAsInts().and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.blend(e.sub(1f), low);
        FloatVector t = m.blend(m.add(m), low).sub(1f);                  // exact: Sterbenz
        FloatVector z = t.mul(t);
        FloatVector p = t.fma(L8, L7);
        p = p.fma(t, t.broadcast(L6));
        p = p.fma(t, t.broadcast(L5));
        p = p.fma(t, t.broadcast(L4));
        p = p.fma(t, t.broadcast(L3));
        p = p.fma(t, t.broadcast(L2));
        p = p.fma(t, t.broadcast(L1));
        p = p.fma(t, t.broadcast(L0));
        FloatVector y = p.mul(t).mul(z);                                 // t³ · L(t)
        y = e.fma(e.broadcast(C2), y);
        y = z.fma(z.broadcast(-0.5f), y);
        return e.fma(e.broadcast(C1), t.add(y));
    }
}
