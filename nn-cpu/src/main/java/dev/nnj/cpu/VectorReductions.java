package dev.nnj.cpu;

import static dev.nnj.cpu.ReferenceKernels.argMax;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Reductions down the rows on the Vector API: the column sums of a bias gradient and the count of correctly
 * classified rows.
 */
final class VectorReductions {
    private VectorReductions() {
    }

    /**
     * {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]}. Four column vectors at a time accumulate down all
     * rows, so each x element is read once.
     */
    static void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            // 4 accumulators in parallel: independent add chains.
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int i = 0, r = j; i < rows; i++, r += cols) {
                s0 = s0.add(FloatVector.fromArray(S, x, r));
                s1 = s1.add(FloatVector.fromArray(S, x, r + L));
                s2 = s2.add(FloatVector.fromArray(S, x, r + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, x, r + 3 * L));
            }
            storeScaled(s0, alpha, beta, out, j);
            storeScaled(s1, alpha, beta, out, j + L);
            storeScaled(s2, alpha, beta, out, j + 2 * L);
            storeScaled(s3, alpha, beta, out, j + 3 * L);
        }
        for (; j + L <= cols; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int i = 0, r = j; i < rows; i++, r += cols) {
                s = s.add(FloatVector.fromArray(S, x, r));
            }
            storeScaled(s, alpha, beta, out, j);
        }
        // Scalar tail: the last cols mod L columns.
        for (; j < cols; j++) {
            float sum = 0f;
            for (int i = 0, r = j; i < rows; i++, r += cols) {
                sum += x[r];
            }
            out[j] = beta == 0f ? alpha * sum : alpha * sum + beta * out[j];
        }
    }

    /** {@code out[j ..] = alpha · s + beta · out[j ..]}; {@code beta = 0} does not read {@code out}. */
    static void storeScaled(FloatVector s, float alpha, float beta, float[] out, int j) {
        if (beta == 0f) {
            s.mul(alpha).intoArray(out, j);
        } else {
            s.mul(alpha).add(FloatVector.fromArray(S, out, j).mul(beta)).intoArray(out, j);
        }
    }

    /**
     * Rows shorter than a vector go {@code L} at a time, one row per lane, as in
     * {@link VectorSoftmax#transposedSoftmaxRows}: for each column a gather, a strict {@code >} against the running
     * maximum and a blend of value and column index, so each lane keeps the first maximum of its row, as
     * {@link ReferenceKernels#argMax} does (a NaN never compares greater). The indices are small whole numbers
     * held in float lanes, which keeps to the one vector species. Requires {@code 2 ≤ cols < L}.
     */
    static int countCorrect(float[] p, float[] y, int rows, int cols) {
        int[] lanes = VectorSoftmax.strides(cols);
        int count = 0;
        int i = 0;
        for (; i + L <= rows; i += L) {
            int r = i * cols;
            FloatVector pMax = FloatVector.fromArray(S, p, r, lanes, 0);
            FloatVector yMax = FloatVector.fromArray(S, y, r, lanes, 0);
            FloatVector pArg = FloatVector.zero(S);
            FloatVector yArg = FloatVector.zero(S);
            for (int j = 1; j < cols; j++) {
                FloatVector column = FloatVector.broadcast(S, j);
                FloatVector pv = FloatVector.fromArray(S, p, r + j, lanes, 0);
                VectorMask<Float> pGreater = pv.compare(VectorOperators.GT, pMax);
                pMax = pMax.blend(pv, pGreater);
                pArg = pArg.blend(column, pGreater);
                FloatVector yv = FloatVector.fromArray(S, y, r + j, lanes, 0);
                VectorMask<Float> yGreater = yv.compare(VectorOperators.GT, yMax);
                yMax = yMax.blend(yv, yGreater);
                yArg = yArg.blend(column, yGreater);
            }
            count += pArg.compare(VectorOperators.EQ, yArg).trueCount();
        }
        // Scalar tail: the last rows mod L.
        for (; i < rows; i++) {
            if (argMax(p, i * cols, cols) == argMax(y, i * cols, cols)) {
                count++;
            }
        }
        return count;
    }
}
