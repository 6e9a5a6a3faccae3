package dev.nnj.cpu;

import static dev.nnj.cpu.LaneFormulas.C1;
import static dev.nnj.cpu.LaneFormulas.C2;
import static dev.nnj.cpu.LaneFormulas.LOG2E;
import static dev.nnj.cpu.LaneFormulas.MIN_ARG;
import static dev.nnj.cpu.LaneFormulas.P0;
import static dev.nnj.cpu.LaneFormulas.P1;
import static dev.nnj.cpu.LaneFormulas.P2;
import static dev.nnj.cpu.LaneFormulas.P3;
import static dev.nnj.cpu.LaneFormulas.P4;
import static dev.nnj.cpu.LaneFormulas.P5;
import static dev.nnj.cpu.LaneFormulas.ROUNDER;
import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.INT_EXACT;
import static dev.nnj.cpu.VectorGemm.INT_S;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.ONE;
import static dev.nnj.cpu.VectorGemm.S;
import static dev.nnj.cpu.VectorGemm.ZERO;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for {@code x ≤ 0} over a run of an array ({@link #expNonPositiveInPlace}: softmax, and the
 * sigmoid, tanh and ELU of {@link VectorActivationKernel}), from additions, multiplications and fused
 * multiply-adds only, so that it gives the same bits in every JIT tier, and the same formula in scalar Java
 * ({@link LaneFormulas#expNonPositive(float)}) for the last elements; and {@code ln x} ({@link #logInPlace}, for the loss
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
 * <p>Why the exponential has no int lanes: the usual way to build {@code 2^n} writes {@code n + 127} into the
 * exponent bits, which takes a reinterpretation to int lanes, a shift and one back. In the Vector API's
 * fallbacks a reinterpretation goes through a byte buffer, and int lanes bring their own set of operations:
 * about 0.15 s of C2 time before the first nnj kernel in a cold digits run, for a pass that needs none of it
 * once compiled. So {@code 2^n} is built from float arithmetic alone: a cubic for {@code 2^((n + 64) / 128)},
 * squared seven times (within 2 % of {@code 2^(n + 64)}) and rounded to its leading bit ({@link #SPLITTER}),
 * which gives the power of two exactly. The scalar formula may use the bits: the value is the same.
 * ({@link #logInPlace}, which the digits presets do not call, still reads the exponent from the bits.)
 *
 * <p>The method (Cephes' {@code expf}): {@code n = round(x · log2 e)}, {@code r = x − n · ln 2} in two
 * steps (a short {@code ln 2} and its remainder, so {@code r} is exact), {@code e^r} by a degree-7 polynomial
 * on {@code |r| ≤ ½ ln 2}, then times {@code 2^(n + 64)} and {@code 2^−64}: the first product is exact, the
 * second rounds once. Relative error about 2 ulp. Every caller needs only {@code x ≤ 0} (softmax's
 * {@code z − max}, the sigmoid's {@code −|z|}, tanh's {@code −2|z|}, ELU's {@code min(z, 0)}): larger inputs are
 * taken as 0. Results below the smallest normal float are subnormal, as {@link Math#exp}'s, down to 0 for
 * {@code x ≤ −104}; NaN stays NaN.
 */
final class VectorExp {
    /** The bits of {@link LaneFormulas#ROUNDER}: an int {@code k} added to them gives the float {@code 1.5 · 2²³ + k}. */
    static final int ROUNDER_BITS = 0x4b400000;
    /**
     * {@code 2^u ≈ Q0 + Q1 u + Q2 u² + Q3 u³} on {@code u ∈ [−86/128, 64/128]}, relative error below 1.6e−4
     * (a fit to the relative error; Taylor's cubic is off by 2e−3 at the left end). Raised to the 128th power by
     * seven squarings that is within 2 % of {@code 2^(128 u)}, which {@link #SPLITTER} then rounds to it exactly.
     */
    static final float Q0 = 0.9999070763587952f;
    static final float Q1 = 0.6938762068748474f;
    static final float Q2 = 0.24288181960582733f;
    static final float Q3 = 0.05184951797127724f;
    /**
     * {@code 2^23 + 1}, Veltkamp's splitting constant for keeping one bit of 24: with {@code c = q · SPLITTER},
     * {@code c − (c − q)} is {@code q} rounded to its leading bit, a power of two, and so exactly {@code 2^k} for
     * any {@code q} between 25 % below and 50 % above {@code 2^k}.
     */
    static final float SPLITTER = 8388609f;
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

    // The constants above as vectors: a constant costs C2 no operation, where a float operand is broadcast at
    // every use, and each operation counts against the size up to which C2 inlines at parse time.
    private static final FloatVector MIN_ARG_V = FloatVector.broadcast(S, MIN_ARG);
    private static final FloatVector LOG2E_V = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector ROUNDER_V = FloatVector.broadcast(S, ROUNDER);
    private static final FloatVector MINUS_C1_V = FloatVector.broadcast(S, -C1);
    private static final FloatVector MINUS_C2_V = FloatVector.broadcast(S, -C2);
    private static final FloatVector P0_V = FloatVector.broadcast(S, P0);
    private static final FloatVector P1_V = FloatVector.broadcast(S, P1);
    private static final FloatVector P2_V = FloatVector.broadcast(S, P2);
    private static final FloatVector P3_V = FloatVector.broadcast(S, P3);
    private static final FloatVector P4_V = FloatVector.broadcast(S, P4);
    private static final FloatVector P5_V = FloatVector.broadcast(S, P5);
    private static final FloatVector ONE_128TH_V = FloatVector.broadcast(S, 0x1p-7f);
    private static final FloatVector HALF_V = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector Q0_V = FloatVector.broadcast(S, Q0);
    private static final FloatVector Q1_V = FloatVector.broadcast(S, Q1);
    private static final FloatVector Q2_V = FloatVector.broadcast(S, Q2);
    private static final FloatVector Q3_V = FloatVector.broadcast(S, Q3);
    private static final FloatVector SPLITTER_V = FloatVector.broadcast(S, SPLITTER);
    private static final FloatVector TWO_TO_MINUS_64_V = FloatVector.broadcast(S, 0x1p-64f);
    private static final FloatVector C1_V = FloatVector.broadcast(S, C1);
    private static final FloatVector C2_V = FloatVector.broadcast(S, C2);
    private static final FloatVector MIN_VALUE_V = FloatVector.broadcast(S, Float.MIN_VALUE);
    private static final FloatVector TWO_TO_102_V = FloatVector.broadcast(S, 0x1p102f);
    private static final FloatVector TWO_TO_25_V = FloatVector.broadcast(S, TWO_TO_25);
    private static final FloatVector TWENTY_FIVE_V = FloatVector.broadcast(S, 25f);
    private static final FloatVector MINUS_HALF_V = FloatVector.broadcast(S, -0.5f);
    private static final IntVector SQRT_HALF_BITS_V = IntVector.broadcast(INT_S, SQRT_HALF_BITS);
    private static final IntVector ROUNDER_BITS_V = IntVector.broadcast(INT_S, ROUNDER_BITS);
    private static final FloatVector L0_V = FloatVector.broadcast(S, L0);
    private static final FloatVector L1_V = FloatVector.broadcast(S, L1);
    private static final FloatVector L2_V = FloatVector.broadcast(S, L2);
    private static final FloatVector L3_V = FloatVector.broadcast(S, L3);
    private static final FloatVector L4_V = FloatVector.broadcast(S, L4);
    private static final FloatVector L5_V = FloatVector.broadcast(S, L5);
    private static final FloatVector L6_V = FloatVector.broadcast(S, L6);
    private static final FloatVector L7_V = FloatVector.broadcast(S, L7);
    private static final FloatVector L8_V = FloatVector.broadcast(S, L8);

    private VectorExp() {
    }

    /**
     * {@code x[i] = e^{x[i]}} for {@code i} in {@code [from, to)}, each {@code x[i] ≤ 0} (larger values are taken
     * as 0): whole vectors, then the same formula in scalar Java ({@link LaneFormulas#expNonPositive(float)}), which gives the
     * same bits, so a result never depends on where a run of elements was cut.
     *
     * <p>The formula is written out in the loops rather than in a method taking a vector: a vector passed to or
     * returned from a method that C2 does not inline is boxed, an allocation per vector, and whether it inlines
     * depends on everything else compiled into the same caller (the activations sharing a dispatch, say).
     *
     * <p>Two passes, not one, and this method is compiled on its own, never inlined into its callers: C2 inlines
     * a hot callee only up to 325 bytes of bytecode ({@code FreqInlineSize}), which the two passes exceed. That
     * keeps every compile that holds this formula under the node count up to which C2 inlines the Vector API at
     * parse time (JDK 17's {@code NodeCountInliningCutoff}, about 45 vector operations): beyond it the vectors'
     * classes are known only from type profiles, which C2 drops after some histories, and the vectors are then
     * boxed (see {@link VectorGemm#EXACT}). Each pass has about 17 operations; an activation kernel that inlined
     * this method had 50-60. {@code KernelInliningTest} checks it in a warm JVM's compile log.
     *
     * <p>The powers of two between the passes go to the caller's {@code powers} ({@link ExpScratch#powers}, one
     * per thread at a time, lent with the kernels), not to a per-thread array: see {@link ExpScratch}.
     *
     * @param x the exponents, replaced by their exponentials
     * @param from first index
     * @param to end index, exclusive
     * @param powers at least {@link ExpScratch#SIZE} floats no other thread is using, overwritten
     */
    static void expNonPositiveInPlace(float[] x, int from, int to, float[] powers) {
        int bound = from + S.loopBound(to - from);
        if (bound > from) {
            for (int start = from; start < bound; start += ExpScratch.SIZE) {
                int end = Math.min(bound, start + ExpScratch.SIZE);
                // Pass 1: n = x·log2 e rounded to the nearest integer (in [−150, 0]) by adding 1.5·2²³ and taking
                // it away, kept in powers; e^r, r = x − n·ln 2, in place of x.
                for (int i = start; i < end; i += L) {
                    // x clamped to [MIN_ARG, 0]; NaN stays NaN through both.
                    FloatVector xc = EXACT.cast(FloatVector.fromArray(S, x, i)).min(ZERO).max(MIN_ARG_V);
                    FloatVector n = xc.fma(LOG2E_V, ROUNDER_V).sub(ROUNDER_V);
                    n.intoArray(powers, i - start);
                    FloatVector r = n.fma(MINUS_C1_V, xc);                                // x − n·C1, exact
                    r = n.fma(MINUS_C2_V, r);                                             // − n·C2
                    FloatVector p = r.fma(P0_V, P1_V);                       // Horner, one rounding per step
                    p = p.fma(r, P2_V);
                    p = p.fma(r, P3_V);
                    p = p.fma(r, P4_V);
                    p = p.fma(r, P5_V);
                    p.fma(r.mul(r), r).add(ONE).intoArray(x, i);             // 1 + r + r²·p(r)
                }
                // Pass 2: times 2^n, as 2^(n + 64) (a normal float for every n in [−150, 0]) and then 2^−64: the
                // first product is exact, the second rounds once, to a subnormal or 0 when n < −126. The power
                // is built by float arithmetic alone (see the class comment), so no lane is ever an int.
                for (int i = start; i < end; i += L) {
                    FloatVector n = EXACT.cast(FloatVector.fromArray(S, powers, i - start));
                    FloatVector u = n.fma(ONE_128TH_V, HALF_V);                             // (n + 64) / 128
                    FloatVector q = u.fma(Q3_V, Q2_V);
                    q = q.fma(u, Q1_V);
                    q = q.fma(u, Q0_V);                                                    // ≈ 2^u
                    q = q.mul(q);
                    q = q.mul(q);
                    q = q.mul(q);
                    q = q.mul(q);
                    q = q.mul(q);
                    q = q.mul(q);
                    q = q.mul(q);                                                          // ≈ 2^(n + 64)
                    FloatVector c = q.mul(SPLITTER_V);
                    FloatVector twoToNPlus64 = c.sub(c.sub(q));                            // exactly 2^(n + 64)
                    EXACT.cast(FloatVector.fromArray(S, x, i)).mul(twoToNPlus64).mul(TWO_TO_MINUS_64_V)
                            .intoArray(x, i);
                }
            }
        }
        for (int i = bound; i < to; i++) {
            x[i] = LaneFormulas.expNonPositive(x[i]);
        }
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
     * {@link #expNonPositiveInPlace} gives. The vector loop computes the formula for {@code x} in
     * {@code [Float.MIN_VALUE, 2^102]} only, in about 36 Vector API operations, which keeps it within C2's
     * parse-time inlining budget (see {@link #expNonPositiveInPlace}; the terms for the other lanes would take it
     * to about 57); a vector with any other element (0, a negative number, a very large one, an infinity, NaN) is
     * done in scalar Java, which gives the same bits on the other lanes. (The losses floor their probabilities
     * first, so a saturated one is no such element: see {@code VectorLosses}.)
     *
     * @param x the arguments, replaced by their logarithms
     * @param from first index
     * @param to end index, exclusive
     */
    static void logInPlace(float[] x, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += L) {
            FloatVector v = EXACT.cast(FloatVector.fromArray(S, x, i));
            // max(MIN_VALUE − x, 0) + max(x − 2^102, 0) is 0 exactly for x in [MIN_VALUE, 2^102], positive or NaN
            // for any other: a vector with such a lane is done in scalar Java.
            FloatVector others = MIN_VALUE_V.sub(v).max(ZERO).add(v.sub(TWO_TO_102_V).max(ZERO));
            if (others.reduceLanes(VectorOperators.ADD) != 0f) {          // also when NaN
                for (int j = i; j < i + L; j++) {
                    x[j] = log(x[j]);
                }
                continue;
            }
            // Every lane times 2^25, exactly (no lane overflows, subnormals become normal), and 25 taken from k
            // again: for a normal x the same m, k and bits as without, for a subnormal one what log(float) does.
            // Subtracting √½'s bits leaves k in the exponent field (shifted arithmetically: k may be negative),
            // with one borrowed from it exactly when the mantissa lies below √½'s; taking k out leaves m.
            // (Reinterpreted vectors are cast to their exact class: see VectorGemm.EXACT.)
            IntVector bits = INT_EXACT.cast(v.mul(TWO_TO_25_V).reinterpretAsInts());
            IntVector k = bits.sub(SQRT_HALF_BITS_V).lanewise(VectorOperators.ASHR, 23);
            FloatVector t = EXACT.cast(bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats())
                    .sub(ONE);                                                                     // exact
            FloatVector e = EXACT.cast(k.add(ROUNDER_BITS_V).reinterpretAsFloats()).sub(ROUNDER_V)
                    .sub(TWENTY_FIVE_V);                                                           // k, exact
            FloatVector z = t.mul(t);
            FloatVector p = t.fma(L8_V, L7_V);
            p = p.fma(t, L6_V);
            p = p.fma(t, L5_V);
            p = p.fma(t, L4_V);
            p = p.fma(t, L3_V);
            p = p.fma(t, L2_V);
            p = p.fma(t, L1_V);
            p = p.fma(t, L0_V);
            FloatVector y = p.mul(t).mul(z);                             // t³ · L(t)
            y = e.fma(C2_V, y);
            y = z.fma(MINUS_HALF_V, y);
            e.fma(C1_V, t.add(y)).intoArray(x, i);
        }
        for (int i = bound; i < to; i++) {
            x[i] = log(x[i]);
        }
    }

    /**
     * {@code ln x}: the vector loop's formula in scalar Java, which gives the same bits. (The vector loop scales
     * every lane by 2^25 and takes 25 from {@code k} again, where this scales subnormals only: for a normal
     * {@code x} that changes the exponent bits, not {@code t} or {@code k}.)
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
}
