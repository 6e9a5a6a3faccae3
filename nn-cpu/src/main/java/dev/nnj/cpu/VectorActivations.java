package dev.nnj.cpu;

import static dev.nnj.cpu.ReferenceKernels.activate;
import static dev.nnj.cpu.ReferenceKernels.derivative;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import dev.nnj.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise kernels of {@link VectorKernels} on the Vector API: bias plus activation fused in one pass,
 * the activations' backward passes, and the plain products and differences the losses and layers need.
 * Softmax, the one row-wise activation, is delegated to {@link VectorSoftmax}.
 *
 * <p>Every loop has the same shape: whole vectors of {@code L} lanes up to {@code S.loopBound(n)}, then a
 * scalar tail with the reference formula ({@link ReferenceKernels#activate},
 * {@link ReferenceKernels#derivative}) for the last {@code n mod L} elements. The methods work on a range of
 * rows so that {@link RangeTask} can split a large tensor between threads.
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
        if (bias == null) {
            activateRow(f, alpha, z, null, i0 * cols, (i1 - i0) * cols, out);
            return;
        }
        if (cols < L) {
            for (int i = i0; i < i1; i++) {
                int r = i * cols;
                for (int j = 0; j < cols; j++) {
                    out[r + j] = z[r + j] + bias[j];
                }
            }
            activateRow(f, alpha, out, null, i0 * cols, (i1 - i0) * cols, out);
            return;
        }
        for (int i = i0; i < i1; i++) {
            activateRow(f, alpha, z, bias, i * cols, cols, out);
        }
    }

    /**
     * {@code out[r + j] = f(z[r + j] + bias[j])} for {@code j < cols} (no bias: {@code f(z[r + j])}); the
     * switch is outside the loops.
     */
    static void activateRow(Activation f, float alpha, float[] z, float[] bias, int r, int cols,
                                    float[] out) {
        int bound = S.loopBound(cols);
        int j = 0;
        switch (f) {
            case IDENTITY:
                for (; j < bound; j += L) {
                    load(z, bias, r, j).intoArray(out, r + j);
                }
                break;
            case RELU:
                for (; j < bound; j += L) {
                    load(z, bias, r, j).max(0f).intoArray(out, r + j);
                }
                break;
            case LEAKY_RELU:
                for (; j < bound; j += L) {
                    FloatVector v = load(z, bias, r, j);
                    v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f)).intoArray(out, r + j);
                }
                break;
            case SIGMOID:
                for (; j < bound; j += L) {
                    sigmoid(load(z, bias, r, j)).intoArray(out, r + j);
                }
                break;
            case TANH:
                for (; j < bound; j += L) {
                    load(z, bias, r, j).lanewise(VectorOperators.TANH).intoArray(out, r + j);
                }
                break;
            case ELU:
                for (; j < bound; j += L) {
                    FloatVector v = load(z, bias, r, j);
                    FloatVector neg = v.lanewise(VectorOperators.EXPM1).mul(alpha);
                    v.blend(neg, v.compare(VectorOperators.LE, 0f)).intoArray(out, r + j);
                }
                break;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
        // Scalar tail.
        for (; j < cols; j++) {
            float v = bias == null ? z[r + j] : z[r + j] + bias[j];
            out[r + j] = activate(f, alpha, v);
        }
    }

    static FloatVector load(float[] z, float[] bias, int r, int j) {
        FloatVector v = FloatVector.fromArray(S, z, r + j);
        return bias == null ? v : v.add(FloatVector.fromArray(S, bias, j));
    }

    /**
     * Stable for both signs with one exponential: {@code e = e^-|z| ≤ 1} never overflows;
     * {@code 1 / (1 + e)} for {@code z ≥ 0}, {@code e / (1 + e)} below.
     */
    static FloatVector sigmoid(FloatVector z) {
        FloatVector e = VectorExp.expNonPositive(z.abs().neg());
        FloatVector pos = FloatVector.broadcast(S, 1f).div(e.add(1f));
        return pos.blend(e.mul(pos), z.compare(VectorOperators.LT, 0f));
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
        int from = i0 * cols;
        int n = i1 * cols;
        int bound = from + S.loopBound(n - from);
        int i = from;
        switch (f) {
            case IDENTITY:
                System.arraycopy(dA, from, dZ, from, n - from);
                return;
            case SIGMOID:
                for (; i < bound; i += L) {
                    FloatVector va = FloatVector.fromArray(S, a, i);
                    FloatVector.fromArray(S, dA, i).mul(va.mul(va.neg().add(1f))).intoArray(dZ, i);
                }
                break;
            case TANH:
                for (; i < bound; i += L) {
                    FloatVector va = FloatVector.fromArray(S, a, i);
                    FloatVector.fromArray(S, dA, i).mul(va.mul(va).neg().add(1f)).intoArray(dZ, i);
                }
                break;
            case RELU:
                for (; i < bound; i += L) {
                    VectorMask<Float> off = FloatVector.fromArray(S, a, i).compare(VectorOperators.LE, 0f);
                    FloatVector.fromArray(S, dA, i).blend(0f, off).intoArray(dZ, i);
                }
                break;
            case LEAKY_RELU:
                for (; i < bound; i += L) {
                    VectorMask<Float> off = FloatVector.fromArray(S, a, i).compare(VectorOperators.LE, 0f);
                    FloatVector g = FloatVector.fromArray(S, dA, i);
                    g.blend(g.mul(alpha), off).intoArray(dZ, i);
                }
                break;
            case ELU:
                for (; i < bound; i += L) {
                    FloatVector va = FloatVector.fromArray(S, a, i);
                    FloatVector g = FloatVector.fromArray(S, dA, i);
                    g.blend(g.mul(va.add(alpha)), va.compare(VectorOperators.LE, 0f)).intoArray(dZ, i);
                }
                break;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
        // Scalar tail.
        for (; i < n; i++) {
            dZ[i] = dA[i] * derivative(f, alpha, a[i]);
        }
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
