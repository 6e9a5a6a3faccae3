package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import dev.nnj.api.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * Elementwise kernels of {@link VectorKernels} on the Vector API: bias plus activation fused in one pass,
 * the activations' backward passes, and the plain products and differences the losses and layers need.
 * Softmax, the one row-wise activation, is delegated to {@link VectorSoftmax}.
 *
 * <p>Every loop has the same shape: whole vectors of {@code L} lanes up to {@code S.loopBound(n)}, then a
 * scalar tail with the same formula as the lanes for the last {@code n mod L} elements. Each elementwise activation's
 * loops are in {@link VectorActivationKernel}, which says why. The methods work on a range of rows so that
 * {@link RangeTask} can split a large tensor between threads.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    /**
     * One pass: load {@code z}, add the bias, apply {@code f}, store. Without a bias the tensor is one flat
     * row, so that short rows still fill whole vectors; with a bias and rows shorter than a vector (a
     * 10-class output), the bias is added row by row and {@code f} applied to the block as one flat row, so
     * that the exponentials stay vectorised. Runs on rows {@code [i0, i1)}.
     */
    static void biasActivationRows(float[] z, float[] bias, int cols, Activation f, float alpha, float[] out, int i0,
                                   int i1) {
        if (f == Activation.SOFTMAX) {
            if (cols < L) {
                VectorSoftmax.shortSoftmaxRows(z, bias, cols, out, i0, i1);
            } else {
                for (int i = i0; i < i1; i++) {
                    VectorSoftmax.vectorSoftmaxRow(z, bias, i * cols, cols, out);
                }
            }
            return;
        }
        VectorActivationKernel kernel = VectorActivationKernel.of(f);
        float[] scratch = VectorExp.scratch();
        if (bias == null) {
            kernel.forwardRow(z, null, i0 * cols, (i1 - i0) * cols, alpha, out, scratch);
            return;
        }
        if (cols < L) {
            for (int i = i0; i < i1; i++) {
                int r = i * cols;
                for (int j = 0; j < cols; j++) {
                    out[r + j] = z[r + j] + bias[j];
                }
            }
            kernel.forwardRow(out, null, i0 * cols, (i1 - i0) * cols, alpha, out, scratch);
            return;
        }
        for (int i = i0; i < i1; i++) {
            kernel.forwardRow(z, bias, i * cols, cols, alpha, out, scratch);
        }
    }

    /**
     * {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)} on rows {@code [i0, i1)}: elementwise in one pass, SOFTMAX
     * row by row.
     */
    static void activationBackwardRows(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int cols,
                                       int i0, int i1) {
        if (f == Activation.SOFTMAX) {
            for (int r = i0; r < i1; r++) {
                VectorSoftmax.softmaxBackwardRow(a, dA, dZ, r * cols, cols);
            }
            return;
        }
        VectorActivationKernel.of(f).backward(alpha, a, dA, dZ, i0 * cols, i1 * cols);
    }

    /** {@code out = a ⊙ b} over {@code n} elements. */
    static void multiply(float[] a, float[] b, float[] out, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    /** {@code out = scale · (a - b)} over {@code n} elements. */
    static void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i)).mul(scale).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = scale * (a[i] - b[i]);
        }
    }
}
