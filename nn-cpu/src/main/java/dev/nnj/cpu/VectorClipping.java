package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The gradient-clipping passes of {@link VectorKernels}: the sum of squares behind the global norm, the scaling
 * by the clipping factor and the clamp by value. Each is one memory-bound pass; whole vectors, then a scalar
 * tail with the formula of {@link ReferenceKernels}.
 */
final class VectorClipping {
    /**
     * Elements summed in float lanes before the partial sum moves to a double: bounds the float rounding
     * error of a long gradient to that of a 4096-element sum.
     */
    private static final int BLOCK = 4096;

    private VectorClipping() {
    }

    /** {@code Σ x[i]²} over {@code [0, n)}: float lanes per block of {@value #BLOCK}, blocks added in double. */
    static double sumOfSquares(float[] x, int n) {
        double total = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            int bound = from + S.loopBound(to - from);
            FloatVector acc = FloatVector.zero(S);
            int i = from;
            for (; i < bound; i += L) {
                FloatVector a = EXACT.cast(FloatVector.fromArray(S, x, i));
                acc = a.fma(a, acc);
            }
            double block = EXACT.cast(acc).reduceLanes(VectorOperators.ADD);
            // Scalar tail.
            for (; i < to; i++) {
                block += (double) x[i] * x[i];
            }
            total += block;
        }
        return total;
    }

    /** {@code x[i] ← factor · x[i]} over {@code [0, n)}. */
    static void scale(float[] x, int n, float factor) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            EXACT.cast(FloatVector.fromArray(S, x, i)).mul(factor).intoArray(x, i);
        }
        // Scalar tail.
        for (; i < n; i++) {
            x[i] *= factor;
        }
    }

    /** {@code x[i] ← clamp(x[i], -limit, limit)} over {@code [0, n)}, NaN kept as in the reference. */
    static void clamp(float[] x, int n, float limit) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = EXACT.cast(FloatVector.fromArray(S, x, i));
            // Blend by comparison rather than min/max, so that NaN lanes (both compares false) stay NaN.
            v = v.blend(limit, v.compare(VectorOperators.GT, limit));
            v = v.blend(-limit, v.compare(VectorOperators.LT, -limit));
            v.intoArray(x, i);
        }
        // Scalar tail.
        for (; i < n; i++) {
            x[i] = ReferenceKernels.clamp(x[i], limit);
        }
    }
}
