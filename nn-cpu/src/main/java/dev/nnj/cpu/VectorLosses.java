package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.ONE;
import static dev.nnj.cpu.VectorGemm.S;
import static dev.nnj.cpu.VectorGemm.ZERO;

import dev.nnj.api.LossKind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The losses of {@link LossKind} on the Vector API: their value summed over the rows, and their gradient
 * with respect to the prediction, with the clamped logarithms and denominators of the reference
 * ({@link LossKind#LOG_FLOOR}, {@link LossKind#GRAD_EPSILON}) in every lane and in the scalar tail. The one
 * exception is the categorical cross-entropy's value, a scalar pass over the non-zero targets.
 */
final class VectorLosses {
    /**
     * A power of two whose logarithm is below {@link LossKind#LOG_FLOOR} (2^−146, ln = −101.2, for a floor of
     * −100), so that flooring a probability at it changes no clamped logarithm.
     */
    private static final FloatVector P_FLOOR = FloatVector.broadcast(S,
            Math.scalb(1f, (int) Math.floor(LossKind.LOG_FLOOR / Math.log(2)) - 1));
    /**
     * Elements summed in float lanes before the partial sum is moved into a double; their logarithms fit in
     * {@link ExpScratch#values}.
     */
    private static final int SUM_BLOCK = ExpScratch.SIZE;

    private VectorLosses() {
    }

    /**
     * MSE and BCE are sums of per-element terms divided per row by a constant ({@code C}), so their rows are
     * summed as one flat array: float lanes over blocks of {@value #SUM_BLOCK} elements, the blocks in double.
     * The categorical cross-entropy is summed over its non-zero targets only ({@link #crossEntropyOverTargets}).
     * BCE takes its logarithms in {@code logs} ({@link ExpScratch#values}), which no other thread may use meanwhile.
     */
    static double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols, float[] logs) {
        int n = rows * cols;
        if (kind == LossKind.CATEGORICAL_CROSS_ENTROPY) {
            return crossEntropyOverTargets(p, y, n);
        }
        double total = 0;
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int end = Math.min(n, start + SUM_BLOCK);
            int bound = start + S.loopBound(end - start);
            float lanes = kind == LossKind.MSE ? squaredErrors(p, y, start, bound)
                    : binaryCrossEntropies(p, y, start, bound, logs);
            // Scalar tail: the reference terms, added to the block's lane sum.
            total += ReferenceKernels.addLossTerms(kind, p, y, bound, end, lanes);
        }
        return total / cols;
    }

    /**
     * {@code −Σ y log p} over the {@code n} elements, as the reference adds it
     * ({@link ReferenceKernels#addLossTerms}: in double, in element order), taking a logarithm only where the
     * target is not zero: with one-hot targets one per row instead of {@code C}, as PyTorch's {@code nll_loss}
     * does with class indices. For one-hot targets the sum is the reference's, bit for bit.
     *
     * <p>An element whose target is 0 adds {@code −0 · max(ln p, −100)}: nothing, unless {@code p} is NaN,
     * negative or {@code +∞}, where the term, and so the sum, is NaN; that is checked instead of computed, so a
     * diverged prediction is never summed into a finite loss.
     *
     * <p>Why scalar: the loss is a small pass (a 1437 × 10 prediction per epoch) called once or twice per epoch,
     * so HotSpot compiles it late, and a Vector API pass runs interpreted until then, allocating every vector; in
     * a fresh JVM the vector version took a fifth of the digits trainer's first two seconds. Once compiled, this
     * pass takes about 17 µs for a (1437, 10) prediction, the vector one took 15 µs.
     */
    static double crossEntropyOverTargets(float[] p, float[] y, int n) {
        double sum = 0;
        int invalid = 0;
        for (int i = 0; i < n; i++) {
            float target = y[i];
            if (target != 0f) {
                sum -= target * ReferenceKernels.clampedLog(p[i]);
            } else {
                invalid |= invalidPrediction(p[i]);
            }
        }
        return invalid != 0 ? Double.NaN : sum;
    }

    /**
     * 1 when {@code q} is NaN, negative or {@code +∞} (where {@code 0 · max(ln q, −100)} is NaN), else 0. As unsigned
     * integers, the bits of +0 up to the largest finite float are exactly those below the bits of {@code +∞}
     * ({@code 0x7f800000}); negative numbers, −∞ and every NaN lie above. −0 is fine ({@code ln −0 = −∞}, clamped
     * to −100). Cheaper than two float comparisons in a loop over every element.
     */
    private static int invalidPrediction(float q) {
        int bits = Float.floatToRawIntBits(q);
        if (bits == Integer.MIN_VALUE) {   // −0
            return 0;
        }
        return Integer.compareUnsigned(bits, 0x7f800000) >= 0 ? 1 : 0;
    }

    // One method per loss, each returning a plain float: whether or not C2 inlines it into lossSum, no vector
    // crosses a call boundary (a vector that does is boxed, an allocation per block).

    /** {@code Σ (p − y)²} over whole vectors of {@code [from, bound)}, the lanes summed. */
    private static float squaredErrors(float[] p, float[] y, int from, int bound) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = from; i < bound; i += L) {
            FloatVector d = EXACT.cast(FloatVector.fromArray(S, p, i)).sub(FloatVector.fromArray(S, y, i));
            acc = d.fma(d, acc);
        }
        return EXACT.cast(acc).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@code −Σ [y log p + (1 − y) log(1 − p)]} over whole vectors of {@code [from, bound)}, the lanes summed: the
     * two logarithms in two passes.
     */
    private static float binaryCrossEntropies(float[] p, float[] y, int from, int bound, float[] logs) {
        return -(weightedLogs(p, y, from, bound, false, logs) + weightedLogs(p, y, from, bound, true, logs));
    }

    /**
     * {@code Σ y log p}, or with {@code complement} {@code Σ (1 − y) log(1 − p)}, the lanes summed. The logarithms
     * are taken first, in {@code logs} ({@link VectorExp#logInPlace}), so that no vector is held across that call
     * (one that is gets boxed); then clamped and weighted.
     */
    private static float weightedLogs(float[] p, float[] y, int from, int bound, boolean complement, float[] logs) {
        int n = bound - from;
        flooredProbabilities(p, from, n, complement, logs);
        VectorExp.logInPlace(logs, 0, n);
        FloatVector acc = FloatVector.zero(S);
        if (complement) {
            for (int i = 0; i < n; i += L) {
                FloatVector clamped = EXACT.cast(FloatVector.fromArray(S, logs, i)).max(LossKind.LOG_FLOOR);
                acc = EXACT.cast(FloatVector.fromArray(S, y, from + i)).neg().add(1f).fma(clamped, acc);
            }
        } else {
            for (int i = 0; i < n; i += L) {
                FloatVector clamped = EXACT.cast(FloatVector.fromArray(S, logs, i)).max(LossKind.LOG_FLOOR);
                acc = EXACT.cast(FloatVector.fromArray(S, y, from + i)).fma(clamped, acc);
            }
        }
        return EXACT.cast(acc).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@code logs[i] = max(q, P_FLOOR)} for {@code q = p[from + i]}, or {@code 1 − p[from + i]} with
     * {@code complement}, over whole vectors; NaN where {@code q} is negative or NaN ({@code √q} is NaN there and
     * ≥ 0 elsewhere). Below {@link #P_FLOOR} every logarithm is under {@link LossKind#LOG_FLOOR}, where the losses
     * clamp it anyway, so the floor changes no loss value; it keeps a saturated probability (0, or a subnormal
     * far below 1e-38) on {@link VectorExp#logInPlace}'s vector path, where a 0 would take its whole vector to
     * scalar Java.
     */
    private static void flooredProbabilities(float[] p, int from, int n, boolean complement, float[] logs) {
        for (int i = 0; i < n; i += L) {
            FloatVector q = EXACT.cast(FloatVector.fromArray(S, p, from + i));
            if (complement) {
                q = ONE.sub(q);
            }
            q = EXACT.cast(q);   // a branch's vector: see VectorGemm.EXACT
            q.max(P_FLOOR).add(q.sqrt().min(ZERO)).intoArray(logs, i);
        }
    }

    /** Gradient of the mean loss with respect to {@code p}: sets {@code g}. */
    static void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        int n = rows * cols;
        float nc = (float) rows * cols;
        float rowsF = rows;
        int bound = S.loopBound(n);
        int i = 0;
        switch (kind) {
            case MSE:
                for (; i < bound; i += L) {
                    FloatVector d = EXACT.cast(FloatVector.fromArray(S, p, i)).sub(FloatVector.fromArray(S, y, i));
                    d.mul(2f).div(nc).intoArray(g, i);
                }
                break;
            case BINARY_CROSS_ENTROPY:
                for (; i < bound; i += L) {
                    FloatVector vp = EXACT.cast(FloatVector.fromArray(S, p, i));
                    FloatVector d = vp.sub(FloatVector.fromArray(S, y, i));
                    FloatVector den = vp.mul(vp.neg().add(1f)).max(LossKind.GRAD_EPSILON);
                    d.div(den).div(nc).intoArray(g, i);
                }
                break;
            default:
                for (; i < bound; i += L) {
                    FloatVector den = EXACT.cast(FloatVector.fromArray(S, p, i)).max(LossKind.GRAD_EPSILON);
                    EXACT.cast(FloatVector.fromArray(S, y, i)).neg().div(den).div(rowsF).intoArray(g, i);
                }
                break;
        }
        // Scalar tail: the reference formulas.
        ReferenceKernels.lossGradientRange(kind, p, y, g, i, n, rows, cols);
    }
}
