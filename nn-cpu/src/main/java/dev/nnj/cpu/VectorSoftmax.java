package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Softmax forward and backward on the Vector API, in three variants chosen by row length: rows of at least
 * {@code L} columns along the row ({@link #vectorSoftmaxRow}); rows shorter than a vector (a 10-class output)
 * {@code L} rows at a time, one row per lane, by strided gathers ({@link #transposedSoftmaxRows}); and the last
 * {@code rows mod L} short rows in three flat passes ({@link #shortSoftmaxRows}). All subtract the row's
 * maximum before the exponential, so no row overflows.
 */
final class VectorSoftmax {
    /** {@code STRIDES[c][lane] = lane · c}: gather indices of one column of {@code L} rows of {@code c} floats. */
    private static final int[][] STRIDES = strides();

    private VectorSoftmax() {
    }

    static int[][] strides() {
        int[][] strides = new int[L][L];
        for (int c = 0; c < L; c++) {
            for (int lane = 0; lane < L; lane++) {
                strides[c][lane] = lane * c;
            }
        }
        return strides;
    }

    /**
     * Gather indices of column 0 of {@code L} consecutive rows of {@code cols < L} floats: {@code lane · cols}.
     */
    static int[] strides(int cols) {
        return STRIDES[cols];
    }

    /**
     * Softmax of rows shorter than a vector (a 10-class output): {@code L} rows at a time by
     * {@link #transposedSoftmaxRows}, and the last {@code rows mod L} in three passes: per row the maximum,
     * {@code v - max} written to {@code out}; then one vectorised pass of {@code e^x} over those rows; then
     * per row the sum and the scaling. Reads {@code z[r + j]} before writing {@code out[r + j]}, so
     * {@code out} may be {@code z}.
     */
    static void shortSoftmaxRows(float[] z, float[] bias, int cols, float[] out, int i0, int i1) {
        i0 = transposedSoftmaxRows(z, bias, cols, out, i0, i1);
        for (int i = i0; i < i1; i++) {
            int r = i * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, bias == null ? z[r + j] : z[r + j] + bias[j]);
            }
            for (int j = 0; j < cols; j++) {
                out[r + j] = (bias == null ? z[r + j] : z[r + j] + bias[j]) - max;
            }
        }
        int from = i0 * cols;
        int to = i1 * cols;
        int bound = from + S.loopBound(to - from);
        int e = from;
        for (; e < bound; e += L) {
            VectorExp.expNonPositive(FloatVector.fromArray(S, out, e)).intoArray(out, e);
        }
        // Scalar tail.
        for (; e < to; e++) {
            out[e] = (float) Math.exp(out[e]);
        }
        for (int i = i0; i < i1; i++) {
            int r = i * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += out[r + j];
            }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) {
                out[r + j] *= inv;
            }
        }
    }

    /**
     * Softmax of short rows ({@code cols < L}) from row {@code i0} on, {@code L} rows at a time with one row
     * per lane: a gather with stride {@code cols} loads column {@code j} of the {@code L} rows, so the
     * maximum and the sum are lanewise ops across the columns rather than reductions across lanes, and every
     * lane of the exponentials is used. Max, sum and exponentials are those of the three-pass loops, in the
     * same order. Returns the first row left to the caller (fewer than {@code L} remain). Reads every row
     * before writing it, so {@code out} may be {@code z}.
     */
    static int transposedSoftmaxRows(float[] z, float[] bias, int cols, float[] out, int i0, int i1) {
        int[] lanes = strides(cols);
        int i = i0;
        for (; i + L <= i1; i += L) {
            int r = i * cols;
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < cols; j++) {
                max = max.max(gatherColumn(z, bias, r, j, lanes));
            }
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < cols; j++) {
                FloatVector e = VectorExp.expNonPositive(gatherColumn(z, bias, r, j, lanes).sub(max));
                e.intoArray(out, r + j, lanes, 0);
                sum = sum.add(e);
            }
            FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
            for (int j = 0; j < cols; j++) {
                FloatVector.fromArray(S, out, r + j, lanes, 0).mul(inv).intoArray(out, r + j, lanes, 0);
            }
        }
        return i;
    }

    /** Column {@code j} of the rows from offset {@code r}, plus {@code bias[j]} when there is a bias. */
    static FloatVector gatherColumn(float[] z, float[] bias, int r, int j, int[] lanes) {
        FloatVector v = FloatVector.fromArray(S, z, r + j, lanes, 0);
        return bias == null ? v : v.add(bias[j]);
    }

    /** Softmax of {@code z[r ..] + bias} over one row: max, then {@code e^(v - max)} and its sum, then scale. */
    static void vectorSoftmaxRow(float[] z, float[] bias, int r, int cols, float[] out) {
        int bound = S.loopBound(cols);
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < bound; j += L) {
                vmax = vmax.max(VectorActivations.load(z, bias, r, j));
            }
            max = vmax.reduceLanes(VectorOperators.MAX);
        }
        for (int j = bound; j < cols; j++) {
            max = Math.max(max, bias == null ? z[r + j] : z[r + j] + bias[j]);
        }
        float sum = 0f;
        if (bound > 0) {
            FloatVector vsum = FloatVector.zero(S);
            for (int j = 0; j < bound; j += L) {
                FloatVector e = VectorExp.expNonPositive(VectorActivations.load(z, bias, r, j).sub(max));
                e.intoArray(out, r + j);
                vsum = vsum.add(e);
            }
            sum = vsum.reduceLanes(VectorOperators.ADD);
        }
        for (int j = bound; j < cols; j++) {
            float e = (float) Math.exp((bias == null ? z[r + j] : z[r + j] + bias[j]) - max);
            out[r + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, out, r + j).mul(inv).intoArray(out, r + j);
        }
        for (; j < cols; j++) {
            out[r + j] *= inv;
        }
    }

    /** {@code dZ_j = a_j (dA_j - Σ_k dA_k a_k)}: one pass for the dot product, one for the result. */
    static void softmaxBackwardRow(float[] a, float[] dA, float[] dZ, int r, int cols) {
        int bound = S.loopBound(cols);
        float dot = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < bound; j += L) {
                acc = FloatVector.fromArray(S, dA, r + j).fma(FloatVector.fromArray(S, a, r + j), acc);
            }
            dot = acc.reduceLanes(VectorOperators.ADD);
        }
        for (int j = bound; j < cols; j++) {
            dot += dA[r + j] * a[r + j];
        }
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector va = FloatVector.fromArray(S, a, r + j);
            va.mul(FloatVector.fromArray(S, dA, r + j).sub(dot)).intoArray(dZ, r + j);
        }
        for (; j < cols; j++) {
            dZ[r + j] = a[r + j] * (dA[r + j] - dot);
        }
    }
}
