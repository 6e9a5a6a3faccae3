package dev.nnj.api.conformance;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of dense layers written out in double precision, straight from the chain rule: the reference the
 * model-level tests compare a backend's float32 {@code Sequential} with. Weights are {@code (in, out)} row-major as
 * in nnj ({@code z = x·W + b}); every array is row-major.
 *
 * <p>Deliberately plain: loops, no shared code with the library, derivatives written from the pre-activation
 * {@code z} (the library writes them from the output {@code a}), so a shared mistake is unlikely.
 */
final class ReferenceMlp {

    /** One dense layer {@code a = f(x·W + b)}. */
    static final class Layer {
        final int in;
        final int out;
        final Activation f;
        final double alpha;
        final double[] w;
        final double[] b;

        Layer(int in, int out, Activation f, double alpha, float[] w, float[] b) {
            this.in = in;
            this.out = out;
            this.f = f;
            this.alpha = alpha;
            this.w = TestData.toDouble(w);
            this.b = TestData.toDouble(b);
        }
    }

    /** Results of one forward and backward pass: per layer, its pre-activation, output and gradients. */
    static final class Pass {
        final List<double[]> z = new ArrayList<>();
        final List<double[]> a = new ArrayList<>();   // a.get(0) is the input
        final List<double[]> dw = new ArrayList<>();
        final List<double[]> db = new ArrayList<>();
        double loss;
        double[] inputGradient;

        double[] output() {
            return a.get(a.size() - 1);
        }
    }

    private final List<Layer> layers = new ArrayList<>();

    ReferenceMlp add(Layer layer) {
        layers.add(layer);
        return this;
    }

    List<Layer> layers() {
        return layers;
    }

    /** Forward pass of {@code n} rows. */
    Pass forward(float[] x, int n) {
        Pass p = new Pass();
        double[] a = TestData.toDouble(x);
        p.a.add(a);
        for (Layer l : layers) {
            double[] z = new double[n * l.out];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < l.out; k++) {
                    double s = l.b[k];
                    for (int j = 0; j < l.in; j++) {
                        s += a[i * l.in + j] * l.w[j * l.out + k];
                    }
                    z[i * l.out + k] = s;
                }
            }
            a = activate(l.f, l.alpha, z, n, l.out);
            p.z.add(z);
            p.a.add(a);
        }
        return p;
    }

    /**
     * Forward and backward of the mean loss over {@code n} rows. When the last activation fuses with the loss
     * (softmax + categorical cross-entropy, sigmoid + binary cross-entropy) the pre-activation gradient is taken as
     * {@code (a − y) / divisor}, which equals the chain rule exactly and stays exact where the output saturates.
     */
    Pass backward(float[] x, float[] y, int n, LossKind kind) {
        Pass p = forward(x, n);
        int last = layers.size() - 1;
        Layer top = layers.get(last);
        double[] out = p.output();
        p.loss = meanLoss(kind, out, TestData.toDouble(y), n, top.out);
        double[] dz;
        if (top.f == kind.fusedActivation()) {
            double divisor = kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? n : (double) n * top.out;
            dz = new double[out.length];
            for (int i = 0; i < out.length; i++) {
                dz[i] = (out[i] - y[i]) / divisor;
            }
        } else {
            dz = activationBackward(top, p.z.get(last), out, lossGradient(kind, out, y, n, top.out), n);
        }
        for (int l = last; l >= 0; l--) {
            Layer layer = layers.get(l);
            double[] in = p.a.get(l);
            double[] dw = new double[layer.in * layer.out];
            double[] db = new double[layer.out];
            double[] dx = new double[n * layer.in];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < layer.out; k++) {
                    double g = dz[i * layer.out + k];
                    db[k] += g;
                    for (int j = 0; j < layer.in; j++) {
                        dw[j * layer.out + k] += in[i * layer.in + j] * g;
                        dx[i * layer.in + j] += g * layer.w[j * layer.out + k];
                    }
                }
            }
            p.dw.add(0, dw);
            p.db.add(0, db);
            if (l == 0) {
                p.inputGradient = dx;
            } else {
                Layer below = layers.get(l - 1);
                dz = activationBackward(below, p.z.get(l - 1), p.a.get(l), dx, n);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- activations

    /** {@code a = f(z)} row by row (SOFTMAX over each row), with the scalar functions of {@link Reference}. */
    static double[] activate(Activation f, double alpha, double[] z, int rows, int cols) {
        double[] a = z.clone();
        for (int i = 0; i < rows; i++) {
            if (f == Activation.SOFTMAX) {
                Reference.softmaxRow(a, i * cols, cols);
                continue;
            }
            for (int j = 0; j < cols; j++) {
                a[i * cols + j] = Reference.activate(f, alpha, a[i * cols + j]);
            }
        }
        return a;
    }

    /** {@code f'(z)} from the pre-activation (0 at the kink of ReLU, as PyTorch). */
    static double derivative(Activation f, double alpha, double z) {
        switch (f) {
            case IDENTITY:
                return 1;
            case SIGMOID: {
                double s = 1 / (1 + Math.exp(-z));
                return s * (1 - s);
            }
            case TANH: {
                double t = Math.tanh(z);
                return 1 - t * t;
            }
            case RELU:
                return z > 0 ? 1 : 0;
            case LEAKY_RELU:
                return z > 0 ? 1 : alpha;
            case ELU:
                return z > 0 ? 1 : alpha * Math.exp(z);
            default:
                throw new IllegalArgumentException(f.toString());
        }
    }

    /** {@code ∂L/∂z} from {@code ∂L/∂a}: elementwise, or the softmax Jacobian row by row. */
    static double[] activationBackward(Layer l, double[] z, double[] a, double[] da, int n) {
        double[] dz = new double[da.length];
        for (int i = 0; i < n; i++) {
            int off = i * l.out;
            if (l.f == Activation.SOFTMAX) {
                for (int j = 0; j < l.out; j++) {
                    double s = 0;
                    for (int k = 0; k < l.out; k++) {
                        double jac = a[off + j] * ((j == k ? 1 : 0) - a[off + k]);   // ∂a_j/∂z_k, symmetric
                        s += da[off + k] * jac;
                    }
                    dz[off + j] = s;
                }
            } else {
                for (int j = 0; j < l.out; j++) {
                    dz[off + j] = da[off + j] * derivative(l.f, l.alpha, z[off + j]);
                }
            }
        }
        return dz;
    }

    // ---------------------------------------------------------------- losses (LossKind, in double)

    /** The mean over {@code n} rows of the per-sample losses of {@link LossKind}. */
    static double meanLoss(LossKind kind, double[] p, double[] y, int n, int c) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                double pij = p[i * c + j];
                double yij = y[i * c + j];
                switch (kind) {
                    case MSE:
                        s += (pij - yij) * (pij - yij) / c;
                        break;
                    case BINARY_CROSS_ENTROPY:
                        s -= (yij * Reference.clampedLog(pij) + (1 - yij) * Reference.clampedLog(1 - pij)) / c;
                        break;
                    default:
                        s -= yij * Reference.clampedLog(pij);
                }
            }
            total += s;
        }
        return total / n;
    }

    /** {@code ∂L/∂p} of the mean loss as tabulated in {@link LossKind}. */
    static double[] lossGradient(LossKind kind, double[] p, float[] y, int n, int c) {
        double[] g = new double[p.length];
        double eps = LossKind.GRAD_EPSILON;
        for (int i = 0; i < p.length; i++) {
            switch (kind) {
                case MSE:
                    g[i] = 2 * (p[i] - y[i]) / ((double) n * c);
                    break;
                case BINARY_CROSS_ENTROPY:
                    g[i] = (p[i] - y[i]) / Math.max(p[i] * (1 - p[i]), eps) / ((double) n * c);
                    break;
                default:
                    g[i] = -y[i] / Math.max(p[i], eps) / n;
            }
        }
        return g;
    }
}
