package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for {@code x ≤ 0} over a run of an array ({@link #expNonPositiveInPlace}: softmax, and the
 * sigmoid, tanh and ELU of {@link VectorActivationKernel}), from additions, multiplications and fused
 * multiply-adds only, so that it gives the same bits in every JIT tier, and the same formula in scalar Java
 * ({@link #expNonPositive(float)}) for the last elements; and {@code ln x} ({@link #logInPlace}, for the loss
 * values), for the same reason.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: C2 compiles that to a vendor intrinsic whose last bit can
 * differ from the Java fallback that runs before C2 has compiled it, so a training run's result depended on
 * when the JIT finished (a checkpoint resumed in a fresh JVM, a retried Spark task). Additions,
 * multiplications and FMA are exactly rounded in both tiers.
 *
 * <p>Why no {@code compare} and {@code blend}: the edge cases (underflow, {@code ln 0 = −∞}, NaN for negative
 * arguments) are handled by arithmetic that is exact on the other lanes, such as adding
 * {@code max(x − MAX_VALUE, 0)}, which is {@code +∞} for {@code x = +∞} and exactly 0 for every finite
 * {@code x}. Until C2 has compiled a kernel, every vector operation in it runs the Vector API's Java fallback,
 * and those fallbacks are compiled first; masks bring a family of their own (compare, blend, the mask classes),
 * which cost a cold start of the digits trainer about 0.15 s of C2 time and 0.1-0.3 s of wall time.
 *
 * <p>The method (Cephes' {@code expf}): {@code n = round(x · log2 e)}, {@code r = x − n · ln 2} in two
 * steps (a short {@code ln 2} and its remainder, so {@code r} is exact), {@code e^r} by a degree-7 polynomial
 * on {@code |r| ≤ ½ ln 2}, then times {@code 2^n} built in the exponent bits. Relative error about 2 ulp.
 * Every caller needs only {@code x ≤ 0} (softmax's {@code z − max}, the sigmoid's {@code −|z|}, tanh's
 * {@code −2|z|}, ELU's {@code min(z, 0)}): larger inputs are taken as 0. Results below the smallest normal float are subnormal, as {@link Math#exp}'s, down to 0 for
 * {@code x ≤ −104}; NaN stays NaN.
 */
final class VectorExp {
    /** {@code e^−104} is less than half the smallest subnormal float: from here down the result is 0. */
    static final float MIN_ARG = -104f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUNDER = 12582912f;
    /** The bits of {@link #ROUNDER}: an int {@code k} added to them gives the float {@code 1.5 · 2²³ + k}. */
    static final int ROUNDER_BITS = 0x4b400000;
    /** {@code ln 2 = C1 + C2}; {@code C1} has few bits, so {@code n · C1} is exact for the n that occur. */
    static final float C1 = 0.693359375f;
    static final float C2 = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    /** {@link #logInPlace} scales arguments below {@link Float#MIN_NORMAL} (subnormals) by this first. */
    static final float TWO_TO_25 = 33554432f;
    /**
     * The bits of {@code √½}: {@link #logInPlace} splits {@code x = m · 2^k} with the mantissa {@code m} in
     * {@code [√½, √2)}, so that the polynomial's argument {@code m − 1} lies in [√½ − 1, √2 − 1).
     */
    static final int SQRT_HALF_BITS = 0x3f3504f3;
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

    /**
     * Floats in each thread's {@link #scratch()}: room for a kernel's run of exponentials or logarithms beside its
     * inputs (an activation whose {@code out} may be its {@code z}, a loss that must not change its predictions).
     */
    static final int SCRATCH = 4096;
    /** Each thread's scratch (the ops of one backend run on several threads). */
    private static final ThreadLocal<float[]> SCRATCHES = ThreadLocal.withInitial(() -> new float[SCRATCH]);

    private VectorExp() {
    }

    /**
     * {@code x[i] = e^{x[i]}} for {@code i} in {@code [from, to)}, each {@code x[i] ≤ 0} (larger values are taken
     * as 0): whole vectors, then the same formula in scalar Java ({@link #expNonPositive(float)}), which gives the
     * same bits, so a result never depends on where a run of elements was cut.
     *
     * <p>The formula is written out in the loop rather than in a method taking a vector: a vector passed to or
     * returned from a method that C2 does not inline is boxed, an allocation per vector, and whether it inlines
     * depends on everything else compiled into the same caller (the activations sharing a dispatch, say).
     *
     * @param x the exponents, replaced by their exponentials
     * @param from first index
     * @param to end index, exclusive
     */
    static void expNonPositiveInPlace(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector xc = FloatVector.fromArray(S, x, i).min(0f).max(MIN_ARG);   // NaN stays NaN through both
            // x·log2 e rounded to the nearest integer n (in [−150, 0]) by adding 1.5·2²³ and taking it away.
            FloatVector n = xc.fma(LOG2E, ROUNDER).sub(ROUNDER);
            FloatVector r = n.fma(n.broadcast(-C1), xc);                              // x − n·C1, exact
            r = n.fma(n.broadcast(-C2), r);                                           // − n·C2
            FloatVector p = r.fma(P0, P1);                               // Horner, one rounding per step
            p = p.fma(r, r.broadcast(P2));
            p = p.fma(r, r.broadcast(P3));
            p = p.fma(r, r.broadcast(P4));
            p = p.fma(r, r.broadcast(P5));
            FloatVector y = p.fma(r.mul(r), r).add(1f);                  // 1 + r + r²·p(r)
            // times 2^n as 2^n1 · 2^(n − n1) with n1 = max(n, −126), both factors normal floats: the first
            // product is exact, the second rounds once, to a subnormal or 0 when n < −126 (else it is · 1).
            // Each 2^k is k + 127 in the exponent field: k + 1.5·2²³ holds k in its low mantissa bits, and
            // shifting them into the exponent field drops the rest.
            FloatVector n1 = n.max(-126f);
            FloatVector twoToN1 = n1.add(ROUNDER).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)
                    .add(127 << 23).reinterpretAsFloats();
            FloatVector twoToN2 = n.sub(n1).add(ROUNDER).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)
                    .add(127 << 23).reinterpretAsFloats();
            y.mul(twoToN1).mul(twoToN2).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = expNonPositive(x[i]);
        }
    }

    /**
     * {@code e^x} for {@code x ≤ 0}: the vector loop's formula operation for operation, in scalar Java. Java's
     * float arithmetic, {@link Math#fma}, {@code min} and {@code max} are exactly specified, so this gives the
     * same bits as the vector lanes in the interpreter, C1 and C2.
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
        float n1 = Math.max(n, -126f);
        return y * powerOfTwo(n1) * powerOfTwo(n - n1);
    }

    /** {@code 2^k} for a whole number {@code k} in {@code [−126, 127]}, as the vector loop builds it. */
    private static float powerOfTwo(float k) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(k + ROUNDER) << 23) + (127 << 23));
    }

    /**
     * {@code x[i] = ln x[i]} for {@code i} in {@code [from, to)} (Cephes' {@code logf}): with
     * {@code x = m · 2^k}, {@code m} in {@code [√½, √2)},
     * <pre>
     *   ln x = k · ln 2 + ln(1 + t),   t = m − 1 (exact),
     *   ln(1 + t) ≈ t − t²/2 + t³ · L(t),   k · ln 2 added as k · C1 + k · C2 (C1 short: k · C1 is exact)
     * </pre>
     * Subnormal arguments are scaled by {@code 2^25} first. Within about 2 ulp of {@link Math#log}; ±0 gives
     * −∞, +∞ gives +∞, negative arguments and NaN give NaN. Whole vectors, then the same formula in scalar Java
     * ({@link #log(float)}). Exactly rounded operations and bit manipulation only, so every JIT tier gives the
     * same bits, which {@code lanewise(LOG)} does not; written out in the loop for the reason
     * {@link #expNonPositiveInPlace} gives.
     *
     * @param x the arguments, replaced by their logarithms
     * @param from first index
     * @param to end index, exclusive
     */
    static void logInPlace(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector ax = v.abs();
            // tiny: 1 for subnormals and 0, else 0. (MIN_NORMAL − |x|) is a multiple of 2^−149, so at least 2^−149
            // where positive: times 2^149 and clamped to [0, 1] it is exactly 1 there.
            FloatVector tiny = ax.neg().add(Float.MIN_NORMAL).mul(0x1p127f).mul(0x1p22f).max(0f).min(1f);
            FloatVector scaled = ax.mul(tiny.mul(TWO_TO_25).max(1f));      // × 2^25 for those, × 1 for the rest
            // Subtracting √½'s bits leaves k in the exponent field (shifted arithmetically: k may be negative),
            // with one borrowed from it exactly when the mantissa lies below √½'s; taking k out leaves m.
            IntVector bits = scaled.reinterpretAsInts();
            IntVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
            FloatVector t = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);  // exact
            FloatVector e = k.add(ROUNDER_BITS).reinterpretAsFloats().sub(ROUNDER).sub(tiny.mul(25f));    // k, exact
            FloatVector z = t.mul(t);
            FloatVector p = t.fma(L8, L7);
            p = p.fma(t, t.broadcast(L6));
            p = p.fma(t, t.broadcast(L5));
            p = p.fma(t, t.broadcast(L4));
            p = p.fma(t, t.broadcast(L3));
            p = p.fma(t, t.broadcast(L2));
            p = p.fma(t, t.broadcast(L1));
            p = p.fma(t, t.broadcast(L0));
            FloatVector y = p.mul(t).mul(z);                             // t³ · L(t)
            y = e.fma(e.broadcast(C2), y);
            y = z.fma(z.broadcast(-0.5f), y);
            FloatVector r = e.fma(e.broadcast(C1), t.add(y));  // right for every positive finite x, finite otherwise
            // The other lanes, put right by terms that are exactly 0 on these:
            r = r.add(v.sub(Float.MAX_VALUE).max(0f));                   // +∞ gives +∞
            r = r.add(v.sqrt().min(0f));                                 // x < 0 and NaN give NaN (√x ≥ 0 else)
            r.sub(ax.broadcast(1f).div(ax.mul(0x1p100f))                 // ±0 gives −∞: 1/(|x|·2^100) ≤ 2^49
                    .sub(0x1p60f).max(0f)).intoArray(x, i);              // for every other x
        }
        for (; i < to; i++) {
            x[i] = log(x[i]);
        }
    }

    /**
     * {@code ln x}: the vector loop's formula operation for operation, in scalar Java, which gives the same bits.
     *
     * @param x the argument
     * @return {@code ln x}, within about 2 ulp
     */
    static float log(float x) {
        float ax = Math.abs(x);
        float tiny = Math.min(Math.max((Float.MIN_NORMAL - ax) * 0x1p127f * 0x1p22f, 0f), 1f);
        float scaled = ax * Math.max(tiny * TWO_TO_25, 1f);
        int bits = Float.floatToRawIntBits(scaled);
        int k = (bits - SQRT_HALF_BITS) >> 23;
        float t = Float.intBitsToFloat(bits - (k << 23)) - 1f;
        float e = Float.intBitsToFloat(k + ROUNDER_BITS) - ROUNDER - tiny * 25f;
        float z = t * t;
        float p = Math.fma(t, L8, L7);
        p = Math.fma(p, t, L6);
        p = Math.fma(p, t, L5);
        p = Math.fma(p, t, L4);
        p = Math.fma(p, t, L3);
        p = Math.fma(p, t, L2);
        p = Math.fma(p, t, L1);
        p = Math.fma(p, t, L0);
        float y = p * t * z;
        y = Math.fma(e, C2, y);
        y = Math.fma(z, -0.5f, y);
        float r = Math.fma(e, C1, t + y);
        r = r + Math.max(x - Float.MAX_VALUE, 0f);
        r = r + Math.min((float) Math.sqrt(x), 0f);
        return r - Math.max(1f / (ax * 0x1p100f) - 0x1p60f, 0f);
    }

    /**
     * The calling thread's scratch of {@link #SCRATCH} floats: looked up once per pass over a range, not per row.
     *
     * @return {@link #SCRATCH} floats owned by this thread
     */
    static float[] scratch() {
        return SCRATCHES.get();
    }
}
