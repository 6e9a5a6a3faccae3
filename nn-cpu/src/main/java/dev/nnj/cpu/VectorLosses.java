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
 * ({@link LossKind#LOG_FLOOR}, {@link LossKind#GRAD_EPSILON}) in every lane and in the scalar tail.
 */
final class VectorLosses {
    /**
     * Elements summed in float lanes before the partial sum is moved into a double; their logarithms fit in
     * {@link VectorExp#scratch()}.
     */
    /**
     * A power of two whose logarithm is below {@link LossKind#LOG_FLOOR} (2^−146, ln = −101.2, for a floor of
     * −100), so that flooring a probability at it changes no clamped logarithm.
     */
    private static final FloatVector P_FLOOR = FloatVector.broadcast(S,
            Math.scalb(1f, (int) Math.floor(LossKind.LOG_FLOOR / Math.log(2)) - 1));
    private static final int SUM_BLOCK = VectorExp.SCRATCH;

    private VectorLosses() {
    }

    /**
     * Every loss here is a sum of per-element terms divided per row by a constant ({@code C} for MSE and
     * BCE, 1 for CCE), so the rows are summed as one flat array: float lanes over blocks of
     * {@value #SUM_BLOCK} elements, the blocks in double.
     */
    static double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        int n = rows * cols;
        double total = 0;
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int end = Math.min(n, start + SUM_BLOCK);
            int bound = start + S.loopBound(end - start);
            float lanes;
            switch (kind) {
                case MSE:
                    lanes = squaredErrors(p, y, start, bound);
                    break;
                case BINARY_CROSS_ENTROPY:
                    lanes = binaryCrossEntropies(p, y, start, bound);
                    break;
                default:
                    lanes = crossEntropies(p, y, start, bound);
                    break;
            }
            // Scalar tail: the reference terms, added to the block's lane sum.
            total += ReferenceKernels.addLossTerms(kind, p, y, bound, end, lanes);
        }
        return kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? total : total / cols;
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
    private static float binaryCrossEntropies(float[] p, float[] y, int from, int bound) {
        return -(weightedLogs(p, y, from, bound, false) + weightedLogs(p, y, from, bound, true));
    }

    /**
     * {@code Σ y log p}, or with {@code complement} {@code Σ (1 − y) log(1 − p)}, the lanes summed. The logarithms
     * are taken first, in the thread's scratch ({@link VectorExp#logInPlace}), so that no vector is held across
     * that call (one that is gets boxed); then clamped and weighted.
     */
    private static float weightedLogs(float[] p, float[] y, int from, int bound, boolean complement) {
        float[] logs = VectorExp.scratch();
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
     * {@code −Σ y log p} over whole vectors of {@code [from, bound)}, the lanes summed; the logarithms taken first
     * in the thread's scratch ({@link VectorExp#logInPlace}), then clamped at {@link LossKind#LOG_FLOOR}.
     */
    private static float crossEntropies(float[] p, float[] y, int from, int bound) {
        float[] logs = VectorExp.scratch();
        int n = bound - from;
        flooredProbabilities(p, from, n, false, logs);
        VectorExp.logInPlace(logs, 0, n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            FloatVector clamped = EXACT.cast(FloatVector.fromArray(S, logs, i)).max(LossKind.LOG_FLOOR);
            acc = EXACT.cast(acc).sub(EXACT.cast(FloatVector.fromArray(S, y, from + i)).mul(clamped));
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
