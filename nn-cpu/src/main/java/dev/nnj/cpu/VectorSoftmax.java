package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Softmax forward and backward on the Vector API, the reference's {@link ReferenceKernels#softmaxRow} (forward,
 * {@code a_j = e^{z_j − max z} / Σ_k e^{z_k − max z}}) and {@link ReferenceKernels#activationBackward} (backward,
 * {@code dz_j = a_j (da_j − Σ_k a_k da_k)}) vectorised, in two variants chosen by row length: rows of at least
 * {@code L} columns along the row ({@link #vectorSoftmaxRow}), and rows shorter than a vector (a 10-class
 * output) in three flat passes over the block ({@link #shortSoftmaxRows}), so that the exponentials fill whole
 * vectors. Both subtract the row's maximum before the exponential, so no row overflows.
 *
 * <p>Short rows once went sixteen at a time, one row per lane, by strided gathers (and the count of correct
 * rows likewise). The three flat passes are faster once compiled ((1437, 10), warm, minimum of 30 rounds, 8
 * JVMs each: 26-27 µs against 39-42 µs), and the gathers, scatters and masks were one more kind of Vector API
 * code for the JIT to compile at start-up: without them a cold run of the digits trainer takes about 0.27 s
 * less (2.76 s against 2.49 s, medians of 6 paired runs on 2 cores).
 */
final class VectorSoftmax {
    private VectorSoftmax() {
    }

    /**
     * Softmax of rows shorter than a vector (a 10-class output) in three passes: per row the maximum,
     * {@code v - max} written to {@code out}; then one vectorised pass of {@code e^x} over those rows; then
     * per row the sum and the scaling. Reads {@code z[r + j]} before writing {@code out[r + j]}, so
     * {@code out} may be {@code z}. {@code powers} is the exponential's ({@link ExpScratch#powers}).
     *
     * <p>Each pass is a method of its own, with one loop: written as one method with three loops, HotSpot
     * compiled it from whichever loop was running (on-stack replacement) and the result was bimodal, the same
     * (1437, 10) softmax taking 30-35 µs in most JVMs and 64-72 µs in a third of them.
     */
    static void shortSoftmaxRows(float[] z, float[] bias, int cols, float[] out, int i0, int i1, float[] powers) {
        subtractRowMaxima(z, bias, cols, out, i0, i1);
        VectorExp.expNonPositiveInPlace(out, i0 * cols, i1 * cols, powers);
        divideByRowSums(out, cols, i0, i1);
    }

    /** {@code out[r + j] = (z[r + j] + bias[j]) − max_j (z[r + j] + bias[j])} for rows {@code [i0, i1)}. */
    static void subtractRowMaxima(float[] z, float[] bias, int cols, float[] out, int i0, int i1) {
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
    }

    /** Each row of {@code out} divided by its sum (times {@code 1 / sum}, as the other softmax kernels do). */
    static void divideByRowSums(float[] out, int cols, int i0, int i1) {
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
     * Softmax of {@code z[r ..] + bias} over one row: the maximum, {@code v − max} written to {@code out}, its
     * exponential in place ({@link VectorExp#expNonPositiveInPlace}), then the sum and the scaling. {@code bias}
     * is never null (−0s for none, {@link VectorActivations#noBias}): see
     * {@link VectorActivationKernel#forwardRow}. {@code powers} is the exponential's ({@link ExpScratch#powers}).
     */
    static void vectorSoftmaxRow(float[] z, float[] bias, int r, int cols, float[] out, float[] powers) {
        int bound = S.loopBound(cols);
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < bound; j += L) {
                FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + j));
                vmax = v.add(FloatVector.fromArray(S, bias, j)).max(vmax);
            }
            max = EXACT.cast(vmax).reduceLanes(VectorOperators.MAX);
        }
        for (int j = bound; j < cols; j++) {
            max = Math.max(max, z[r + j] + bias[j]);
        }
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + j));
            v.add(FloatVector.fromArray(S, bias, j)).sub(max).intoArray(out, r + j);
        }
        for (; j < cols; j++) {
            out[r + j] = (z[r + j] + bias[j]) - max;
        }
        VectorExp.expNonPositiveInPlace(out, r, r + cols, powers);
        float sum = 0f;
        if (bound > 0) {
            FloatVector vsum = FloatVector.zero(S);
            for (j = 0; j < bound; j += L) {
                vsum = EXACT.cast(FloatVector.fromArray(S, out, r + j)).add(vsum);
            }
            sum = EXACT.cast(vsum).reduceLanes(VectorOperators.ADD);
        }
        for (j = bound; j < cols; j++) {
            sum += out[r + j];
        }
        float inv = 1f / sum;
        for (j = 0; j < bound; j += L) {
            EXACT.cast(FloatVector.fromArray(S, out, r + j)).mul(inv).intoArray(out, r + j);
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
                acc = EXACT.cast(FloatVector.fromArray(S, dA, r + j)).fma(FloatVector.fromArray(S, a, r + j), acc);
            }
            dot = EXACT.cast(acc).reduceLanes(VectorOperators.ADD);
        }
        for (int j = bound; j < cols; j++) {
            dot += dA[r + j] * a[r + j];
        }
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector va = EXACT.cast(FloatVector.fromArray(S, a, r + j));
            va.mul(EXACT.cast(FloatVector.fromArray(S, dA, r + j)).sub(dot)).intoArray(dZ, r + j);
        }
        for (; j < cols; j++) {
            dZ[r + j] = a[r + j] * (dA[r + j] - dot);
        }
    }
}
