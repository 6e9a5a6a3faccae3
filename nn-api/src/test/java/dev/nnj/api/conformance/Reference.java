package dev.nnj.api.conformance;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;

/**
 * The primitive ops of {@link dev.nnj.api.Backend} written out as plain double-precision loops, straight from
 * the formulas in the SPI's Javadoc. Inputs are the float32 arrays handed to the backend (so both sides start
 * from identical numbers); results are doubles, so the only difference left is the backend's float32
 * rounding. Matrices are row-major; {@code (rows, cols)} is the matrix view of a tensor.
 *
 * <p>Deliberately naive: no blocking, no fused tricks, nothing that could share a bug with a tuned kernel.
 */
final class Reference {
    private Reference() {
    }

    // ---------------------------------------------------------------- linear algebra

    /** {@code alpha · op(a) · op(b) + beta · c}; with {@code beta = 0} the old {@code c} is not read (it may be NaN). */
    static double[] gemm(boolean transposeA, boolean transposeB, double alpha, float[] a, int aRows, int aCols,
                         float[] b, int bRows, int bCols, double beta, float[] c) {
        return gemm(transposeA, transposeB, alpha, a, aRows, aCols, b, bRows, bCols, beta, c, false);
    }

    /**
     * The magnitude the rounding error of a gemm element scales with: {@code |alpha| Σ_l |op(a)_il| |op(b)_lj|
     * + |beta| |c_ij|}. A float32 dot product with cancellation can be far from its exact value relative to
     * the result itself, but never relative to this sum.
     */
    static double[] gemmMagnitude(boolean transposeA, boolean transposeB, double alpha, float[] a, int aRows,
                                  int aCols, float[] b, int bRows, int bCols, double beta, float[] c) {
        return gemm(transposeA, transposeB, alpha, a, aRows, aCols, b, bRows, bCols, beta, c, true);
    }

    private static double[] gemm(boolean transposeA, boolean transposeB, double alpha, float[] a, int aRows,
                                 int aCols, float[] b, int bRows, int bCols, double beta, float[] c,
                                 boolean magnitude) {
        int m = transposeA ? aCols : aRows;
        int k = transposeA ? aRows : aCols;
        int n = transposeB ? bRows : bCols;
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    double x = transposeA ? a[l * aCols + i] : a[i * aCols + l];
                    double y = transposeB ? b[j * bCols + l] : b[l * bCols + j];
                    sum += magnitude ? Math.abs(x * y) : x * y;
                }
                double old = beta == 0 ? 0 : beta * c[i * n + j];
                out[i * n + j] = magnitude ? Math.abs(alpha) * sum + Math.abs(old) : alpha * sum + old;
            }
        }
        return out;
    }

    /** {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]}. */
    static double[] columnSums(float[] x, int rows, int cols, double alpha, double beta, float[] out) {
        double[] r = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += x[i * cols + j];
            }
            r[j] = alpha * sum + (beta == 0 ? 0 : beta * out[j]);
        }
        return r;
    }

    /** {@code |alpha| · Σ_i |x[i, j]| + |beta · out[j]|}, the scale of the rounding error of a column sum. */
    static double[] columnSumsMagnitude(float[] x, int rows, int cols, double alpha, double beta, float[] out) {
        double[] r = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += Math.abs(x[i * cols + j]);
            }
            r[j] = Math.abs(alpha) * sum + (beta == 0 ? 0 : Math.abs(beta * out[j]));
        }
        return r;
    }

    // ---------------------------------------------------------------- activations

    /** One elementwise activation, as tabulated in {@link Activation}. */
    static double activate(Activation f, double alpha, double z) {
        switch (f) {
            case IDENTITY:
                return z;
            case SIGMOID:
                return 1 / (1 + Math.exp(-z));
            case TANH:
                return Math.tanh(z);
            // Written "z <= 0 ? negative side : z" so that a NaN stays NaN (PyTorch: relu(nan) = nan).
            case RELU:
                return z <= 0 ? 0 : z;
            case LEAKY_RELU:
                return z <= 0 ? alpha * z : z;
            case ELU:
                return z <= 0 ? alpha * Math.expm1(z) : z;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
    }

    /** {@code f(z + bias)} with the bias broadcast over rows (bias may be null); SOFTMAX row by row. */
    static double[] biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, double alpha) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (double) z[i * cols + j] + (bias == null ? 0 : bias[j]);
            }
            if (f == Activation.SOFTMAX) {
                softmaxRow(out, i * cols, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] = activate(f, alpha, out[i * cols + j]);
                }
            }
        }
        return out;
    }

    /** Softmax of {@code x[off .. off + n)} in place, shifted by the row maximum so no exponential overflows. */
    static void softmaxRow(double[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            x[off + j] = Math.exp(x[off + j] - max);
            sum += x[off + j];
        }
        for (int j = 0; j < n; j++) {
            x[off + j] /= sum;
        }
    }

    /** {@code f'} written with the output {@code a}, as tabulated in {@link Activation}. */
    static double derivativeFromOutput(Activation f, double alpha, double a) {
        switch (f) {
            case IDENTITY:
                return 1;
            case SIGMOID:
                return a * (1 - a);
            case TANH:
                return 1 - a * a;
            // A NaN output takes the positive side and passes dA through (PyTorch's threshold_backward).
            case RELU:
                return a <= 0 ? 0 : 1;
            case LEAKY_RELU:
                return a <= 0 ? alpha : 1;
            case ELU:
                return a <= 0 ? a + alpha : 1;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
    }

    /**
     * {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)}; for SOFTMAX, per row,
     * {@code dZ_j = a_j (dA_j - Σ_k dA_k a_k)}.
     */
    static double[] activationBackward(Activation f, double alpha, float[] a, float[] dA, int rows, int cols) {
        double[] dZ = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            if (f == Activation.SOFTMAX) {
                double dot = 0;
                for (int k = 0; k < cols; k++) {
                    dot += (double) dA[off + k] * a[off + k];
                }
                for (int j = 0; j < cols; j++) {
                    dZ[off + j] = a[off + j] * (dA[off + j] - dot);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    dZ[off + j] = dA[off + j] * derivativeFromOutput(f, alpha, a[off + j]);
                }
            }
        }
        return dZ;
    }

    // ---------------------------------------------------------------- losses and metrics

    /** {@code max(log p, LOG_FLOOR)}: the clamped logarithm every loss value uses. */
    static double clampedLog(double p) {
        return Math.max(Math.log(p), LossKind.LOG_FLOOR);
    }

    /** The per-sample losses {@code ℓ_i} of {@link LossKind}, one per row. */
    static double[] perSampleLoss(LossKind kind, float[] p, float[] y, int rows, int cols) {
        double[] loss = new double[rows];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double pij = p[i * cols + j];
                double yij = y[i * cols + j];
                switch (kind) {
                    case MSE:
                        sum += (pij - yij) * (pij - yij);
                        break;
                    case BINARY_CROSS_ENTROPY:
                        sum -= yij * clampedLog(pij) + (1 - yij) * clampedLog(1 - pij);
                        break;
                    case CATEGORICAL_CROSS_ENTROPY:
                        sum -= yij * clampedLog(pij);
                        break;
                    default:
                        throw new IllegalArgumentException(kind.toString());
                }
            }
            loss[i] = kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? sum : sum / cols;
        }
        return loss;
    }

    /** {@code beta · out + Σ_i ℓ_i}. */
    static double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols, double beta, double out) {
        double sum = 0;
        for (double l : perSampleLoss(kind, p, y, rows, cols)) {
            sum += l;
        }
        return (beta == 0 ? 0 : beta * out) + sum;
    }

    /** Gradient of the mean loss with respect to the prediction, as tabulated in {@link LossKind}. */
    static double[] lossGradient(LossKind kind, float[] p, float[] y, int rows, int cols) {
        double eps = LossKind.GRAD_EPSILON;
        double n = rows;
        double c = cols;
        double[] g = new double[rows * cols];
        for (int i = 0; i < g.length; i++) {
            double pi = p[i];
            double yi = y[i];
            switch (kind) {
                case MSE:
                    g[i] = 2 * (pi - yi) / (n * c);
                    break;
                case BINARY_CROSS_ENTROPY:
                    g[i] = (pi - yi) / Math.max(pi * (1 - pi), eps) / (n * c);
                    break;
                case CATEGORICAL_CROSS_ENTROPY:
                    g[i] = -yi / Math.max(pi, eps) / n;
                    break;
                default:
                    throw new IllegalArgumentException(kind.toString());
            }
        }
        return g;
    }

    /** Index of the first maximum of {@code x[off .. off + n)}. */
    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[off + j] > x[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Rows whose arg-max agree (several columns), or whose {@code > 0.5} decisions agree (one column). */
    static int countCorrect(float[] p, float[] y, int rows, int cols) {
        int count = 0;
        for (int i = 0; i < rows; i++) {
            boolean correct = cols == 1
                    ? (p[i] > 0.5f) == (y[i] > 0.5f)
                    : argmax(p, i * cols, cols) == argmax(y, i * cols, cols);
            if (correct) {
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- optimizers (state updated in place)

    /** {@code torch.optim.SGD}, as in {@link dev.nnj.api.Backend#sgdStep}; {@code buf} unused when momentum is 0. */
    static void sgdStep(double[] p, float[] grad, double[] buf, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean firstStep) {
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] + weightDecay * p[i];
            if (momentum == 0) {
                p[i] -= lr * g;
                continue;
            }
            buf[i] = firstStep ? g : momentum * buf[i] + (1 - dampening) * g;
            p[i] -= lr * (nesterov ? g + momentum * buf[i] : buf[i]);
        }
    }

    /**
     * {@code torch.optim.Adam} / {@code AdamW} at step {@code t ≥ 1}, as in {@link dev.nnj.api.Backend#adamStep};
     * {@code vMax} null unless AMSGrad.
     */
    static void adamStep(double[] p, float[] grad, double[] m, double[] v, double[] vMax, double lr, double beta1,
                         double beta2, double eps, double weightDecay, boolean decoupled, int t) {
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (decoupled) {
                p[i] *= 1 - lr * weightDecay;
            } else {
                g += weightDecay * p[i];
            }
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double vBar = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                vBar = vMax[i];
            }
            p[i] -= (lr / bias1) * m[i] / (Math.sqrt(vBar) / Math.sqrt(bias2) + eps);
        }
    }

    /**
     * {@code torch.optim.RMSprop}, as in {@link dev.nnj.api.Backend#rmspropStep}; {@code gAvg} is null unless
     * centered, {@code buf} null when momentum is 0.
     */
    static void rmspropStep(double[] p, float[] grad, double[] sq, double[] gAvg, double[] buf, double lr,
                            double alpha, double eps, double weightDecay, double momentum) {
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] + weightDecay * p[i];
            sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
            double d;
            if (gAvg != null) {
                gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g;
                d = Math.sqrt(sq[i] - gAvg[i] * gAvg[i]) + eps;
            } else {
                d = Math.sqrt(sq[i]) + eps;
            }
            if (buf != null) {
                buf[i] = momentum * buf[i] + g / d;
                p[i] -= lr * buf[i];
            } else {
                p[i] -= lr * g / d;
            }
        }
    }

    /** {@code torch.optim.Adagrad} with the caller's decayed rate {@code clr}. */
    static void adagradStep(double[] p, float[] grad, double[] sum, double clr, double eps, double weightDecay) {
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] + weightDecay * p[i];
            sum[i] += g * g;
            p[i] -= clr * g / (Math.sqrt(sum[i]) + eps);
        }
    }
}
