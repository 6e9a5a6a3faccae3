package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import dev.nnj.api.LossKind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The losses of {@link LossKind} on the Vector API: their value summed over the rows, and their gradient
 * with respect to the prediction, with the clamped logarithms and denominators of the reference
 * ({@link LossKind#LOG_FLOOR}, {@link LossKind#GRAD_EPSILON}) in every lane and in the scalar tail.
 */
final class VectorLosses {
    /** Elements summed in float lanes before the partial sum is moved into a double. */
    private static final int SUM_BLOCK = 4096;

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
            FloatVector acc = FloatVector.zero(S);
            int i = start;
            switch (kind) {
                case MSE:
                    for (; i < bound; i += L) {
                        FloatVector d = FloatVector.fromArray(S, p, i).sub(FloatVector.fromArray(S, y, i));
                        acc = d.fma(d, acc);
                    }
                    break;
                case BINARY_CROSS_ENTROPY:
                    for (; i < bound; i += L) {
                        FloatVector vp = FloatVector.fromArray(S, p, i);
                        FloatVector vy = FloatVector.fromArray(S, y, i);
                        FloatVector term = vy.mul(clampedLog(vp))
                                .add(vy.neg().add(1f).mul(clampedLog(vp.neg().add(1f))));
                        acc = acc.sub(term);
                    }
                    break;
                default:
                    for (; i < bound; i += L) {
                        FloatVector vp = FloatVector.fromArray(S, p, i);
                        acc = acc.sub(FloatVector.fromArray(S, y, i).mul(clampedLog(vp)));
                    }
                    break;
            }
            // Scalar tail: the reference terms, added to the block's lane sum.
            total += ReferenceKernels.addLossTerms(kind, p, y, i, end, acc.reduceLanes(VectorOperators.ADD));
        }
        return kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? total : total / cols;
    }

    /** {@code max(log x, LOG_FLOOR)} lane by lane ({@code log 0 = -∞} becomes the floor). */
    static FloatVector clampedLog(FloatVector x) {
        return x.lanewise(VectorOperators.LOG).max(LossKind.LOG_FLOOR);
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
                    FloatVector d = FloatVector.fromArray(S, p, i).sub(FloatVector.fromArray(S, y, i));
                    d.mul(2f).div(nc).intoArray(g, i);
                }
                break;
            case BINARY_CROSS_ENTROPY:
                for (; i < bound; i += L) {
                    FloatVector vp = FloatVector.fromArray(S, p, i);
                    FloatVector d = vp.sub(FloatVector.fromArray(S, y, i));
                    FloatVector den = vp.mul(vp.neg().add(1f)).max(LossKind.GRAD_EPSILON);
                    d.div(den).div(nc).intoArray(g, i);
                }
                break;
            default:
                for (; i < bound; i += L) {
                    FloatVector den = FloatVector.fromArray(S, p, i).max(LossKind.GRAD_EPSILON);
                    FloatVector.fromArray(S, y, i).neg().div(den).div(rowsF).intoArray(g, i);
                }
                break;
        }
        // Scalar tail: the reference formulas.
        ReferenceKernels.lossGradientRange(kind, p, y, g, i, n, rows, cols);
    }
}
