package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.spi.DropoutRng;

/**
 * The documented reference: every op as the plainest loop that computes it, in float arithmetic, in the
 * order the formula reads. The tuned kernels are tested against these (and these against the shared
 * double-precision conformance suite); select them for a whole backend with
 * {@code -Dnnj.cpu.kernels=reference} ({@link CpuBackend#KERNELS_PROPERTY}). The equations, and which layer calls
 * which op, are in {@code docs/math.md}.
 *
 * <p>Numerics every implementation must share:
 * <ul>
 *   <li>sigmoid never overflows: {@code 1 / (1 + e^-z)} for {@code z ≥ 0}, {@code e^z / (1 + e^z)} below;</li>
 *   <li>softmax subtracts the row maximum before exponentiating;</li>
 *   <li>loss logarithms are clamped below at {@link LossKind#LOG_FLOOR}; cross-entropy gradient
 *       denominators are floored at {@link LossKind#GRAD_EPSILON}.</li>
 * </ul>
 */
class ReferenceKernels implements Kernels {

    @Override
    public String label() {
        return "reference kernels";
    }

    // ---------------------------------------------------------------- scalar math shared by all kernels

    /** Logistic sigmoid, stable for both signs: {@code e^-z} is only taken for {@code z ≥ 0}. */
    static float sigmoid(float z) {
        if (z >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }

    /** {@code f(z)} for the elementwise activations; {@code alpha} is LEAKY_RELU's slope and ELU's scale. */
    static float activate(Activation f, float alpha, float z) {
        switch (f) {
            case IDENTITY:
                return z;
            case SIGMOID:
                return sigmoid(z);
            case TANH:
                return (float) Math.tanh(z);
            // "z <= 0 ? negative side : z", not "z > 0 ? z : ...": a NaN takes the positive side and stays NaN,
            // as in the vector kernels and kernels.cu.
            case RELU:
                return z <= 0f ? 0f : z;
            case LEAKY_RELU:
                return z <= 0f ? alpha * z : z;
            case ELU:
                // expm1 keeps precision for small |z|, where e^z - 1 would cancel.
                return z <= 0f ? alpha * (float) Math.expm1(z) : z;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
    }

    /** {@code f'(z)} written with the output {@code a = f(z)}, as in {@link Activation}. */
    static float derivative(Activation f, float alpha, float a) {
        switch (f) {
            case IDENTITY:
                return 1f;
            case SIGMOID:
                return a * (1f - a);
            case TANH:
                return 1f - a * a;
            // A NaN output takes the positive side (passes dA through), as in the vector kernels and kernels.cu.
            case RELU:
                return a <= 0f ? 0f : 1f;
            case LEAKY_RELU:
                return a <= 0f ? alpha : 1f;
            case ELU:
                return a <= 0f ? a + alpha : 1f;
            default:
                throw new IllegalArgumentException(f + " is not elementwise");
        }
    }

    /** {@code max(log x, LOG_FLOOR)}: a saturated probability gives a large finite loss, never NaN or ∞. */
    static double clampedLog(float x) {
        return Math.max(Math.log(x), LossKind.LOG_FLOOR);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * {@code c[i, j] = alpha · Σ_p op(a)[i, p] · op(b)[p, j] + beta · c[i, j]}, one dot product per element.
     * {@code op(a)[i, p]} is {@code a[i * k + p]}, or {@code a[p * m + i]} when transposed ({@code a} is
     * then {@code (k, m)}); likewise {@code op(b)[p, j]} is {@code b[p * n + j]} or {@code b[j * k + p]}.
     * With {@code beta = 0} the old {@code c} is not read, so NaN there does not survive.
     */
    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float dot = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transposeA ? a[p * m + i] : a[i * k + p];
                    float bpj = transposeB ? b[j * k + p] : b[p * n + j];
                    dot += aip * bpj;
                }
                int ij = i * n + j;
                c[ij] = beta == 0f ? alpha * dot : alpha * dot + beta * c[ij];
            }
        }
    }

    /**
     * {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]}: with {@code x} a layer's {@code (N, units)}
     * {@code ∂L/∂z}, the bias gradient {@code ∂L/∂b_j = Σ_i ∂L/∂z[i, j]} (a bias is added to every row, so its
     * gradient sums theirs). {@code beta = 0} sets.
     */
    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        for (int j = 0; j < cols; j++) {
            float sum = 0f;
            for (int i = 0; i < rows; i++) {
                sum += x[i * cols + j];
            }
            out[j] = beta == 0f ? alpha * sum : alpha * sum + beta * out[j];
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        if (f == Activation.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                softmaxRow(z, bias, i * cols, cols, out);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int ij = i * cols + j;
                float v = bias == null ? z[ij] : z[ij] + bias[j];
                out[ij] = activate(f, alpha, v);
            }
        }
    }

    /**
     * {@code out[r + j] = e^{v_j - max} / Σ_k e^{v_k - max}} with {@code v = z[r ..] + bias}; subtracting the
     * row maximum keeps every exponent ≤ 0. Reads {@code z[r + j]} before writing {@code out[r + j]}, so
     * {@code out} may be {@code z}.
     */
    static void softmaxRow(float[] z, float[] bias, int r, int cols, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            float v = bias == null ? z[r + j] : z[r + j] + bias[j];
            max = Math.max(max, v);
        }
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            float v = bias == null ? z[r + j] : z[r + j] + bias[j];
            float e = (float) Math.exp(v - max);
            out[r + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < cols; j++) {
            out[r + j] *= inv;
        }
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        if (f == Activation.SOFTMAX) {
            // dZ_j = a_j (dA_j - Σ_k dA_k a_k): the Jacobian a_j ([j = k] - a_k) applied to dA.
            for (int i = 0; i < rows; i++) {
                int r = i * cols;
                float dot = 0f;
                for (int j = 0; j < cols; j++) {
                    dot += dA[r + j] * a[r + j];
                }
                for (int j = 0; j < cols; j++) {
                    dZ[r + j] = a[r + j] * (dA[r + j] - dot);
                }
            }
            return;
        }
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            dZ[i] = dA[i] * derivative(f, alpha, a[i]);
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void multiply(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    /**
     * The fused output gradient of docs/math.md section 3: with {@code scale = 1/N} (softmax + categorical
     * cross-entropy) or {@code 1/(N C)} (sigmoid + binary cross-entropy), {@code out = (a - y) · scale}, with
     * subnormal results flushed to zero ({@link Subnormals}: once a model is sure, the GEMMs of the backward pass
     * would read them about a hundred times each).
     */
    @Override
    public void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Subnormals.flush(scale * (a[i] - b[i]));
        }
    }

    @Override
    public void dropoutMask(float rate, long seed, float[] mask, int n) {
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++) {
            mask[i] = DropoutRng.maskValue(seed, i, rate, keep);
        }
    }

    // ---------------------------------------------------------------- losses and metrics

    /** Per-row losses of {@link LossKind}, summed in double so that a large batch loses no precision. */
    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
            double row = addLossTerms(kind, p, y, i * cols, (i + 1) * cols, 0);
            total += kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? row : row / cols;
        }
        return total;
    }

    /**
     * {@code sum} plus the loss terms of the elements {@code [from, to)}: {@code (p - y)²} for MSE,
     * {@code -(y log p + (1 - y) log(1 - p))} for BCE, {@code -y log p} for CCE, each added (or subtracted)
     * in turn in double. The reference's per-row sum, and the vector kernel's scalar tail.
     */
    static double addLossTerms(LossKind kind, float[] p, float[] y, int from, int to, double sum) {
        for (int i = from; i < to; i++) {
            switch (kind) {
                case MSE: {
                    float d = p[i] - y[i];
                    sum += d * d;
                    break;
                }
                case BINARY_CROSS_ENTROPY:
                    sum -= y[i] * clampedLog(p[i]) + (1f - y[i]) * clampedLog(1f - p[i]);
                    break;
                default:   // CATEGORICAL_CROSS_ENTROPY
                    sum -= y[i] * clampedLog(p[i]);
                    break;
            }
        }
        return sum;
    }

    /**
     * <pre>
     *   MSE   2 (p - y) / (N C)      BCE   (p - y) / max(p (1 - p), ε) / (N C)      CCE   -y / max(p, ε) / N
     * </pre>
     */
    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        lossGradientRange(kind, p, y, g, 0, rows * cols, rows, cols);
    }

    /**
     * {@link #lossGradient} on the elements {@code [from, to)} of a {@code (rows, cols)} batch; also the
     * vector kernel's scalar tail.
     */
    static void lossGradientRange(LossKind kind, float[] p, float[] y, float[] g, int from, int to, int rows,
                                  int cols) {
        float nc = (float) rows * cols;
        for (int i = from; i < to; i++) {
            switch (kind) {
                case MSE:
                    g[i] = 2f * (p[i] - y[i]) / nc;
                    break;
                case BINARY_CROSS_ENTROPY:
                    g[i] = (p[i] - y[i]) / Math.max(p[i] * (1f - p[i]), LossKind.GRAD_EPSILON) / nc;
                    break;
                default:   // CATEGORICAL_CROSS_ENTROPY: its mean runs over rows only
                    g[i] = -y[i] / Math.max(p[i], LossKind.GRAD_EPSILON) / rows;
                    break;
            }
        }
    }

    @Override
    public int countCorrect(float[] p, float[] y, int rows, int cols) {
        int count = 0;
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            if (cols == 1) {
                if ((p[r] > 0.5f) == (y[r] > 0.5f)) {
                    count++;
                }
            } else if (argMax(p, r, cols) == argMax(y, r, cols)) {
                count++;
            }
        }
        return count;
    }

    /** Index of the first maximum of {@code x[r .. r + cols)}. */
    static int argMax(float[] x, int r, int cols) {
        int best = 0;
        // The running maximum stays in a local: comparing with x[r + best] would reload it every step.
        float max = x[r];
        for (int j = 1; j < cols; j++) {
            float v = x[r + j];
            if (v > max) {
                max = v;
                best = j;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        sgdRange(p, g, buf, 0, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    /**
     * {@link #sgdStep} on the elements {@code [from, to)}; also the vector kernel's scalar tail. With
     * {@code g ← g + λθ} (weight decay), then {@code θ ← θ − η g} without momentum, else
     * <pre>
     *   b ← g at the first step, μ b + (1 − τ) g after       θ ← θ − η (g + μ b) with Nesterov, θ − η b without
     * </pre>
     * ({@code μ} momentum, {@code τ} dampening; {@code dev.nnj.api.optim.Sgd}, docs/math.md section 5).
     */
    static void sgdRange(float[] p, float[] g, float[] buf, int from, int to, float lr, float momentum,
                         float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            if (momentum == 0f) {
                p[i] -= lr * gi;
                continue;
            }
            // PyTorch starts the buffer at the first gradient itself, without the dampening factor.
            buf[i] = firstStep ? gi : momentum * buf[i] + (1f - dampening) * gi;
            p[i] -= lr * (nesterov ? gi + momentum * buf[i] : buf[i]);
        }
    }

    /** The bias corrections come from the optimizer ({@code dev.nnj.api.optim.Adam#stepSize}). */
    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, float lr, float beta1,
                         float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                         float sqrtBc2) {
        adamRange(p, g, m, v, vMax, 0, n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize,
                sqrtBc2);
    }

    /**
     * {@link #adamStep} on the elements {@code [from, to)}; also the vector kernel's scalar tail. Weight decay either
     * decoupled ({@code θ ← θ (1 − ηλ)}, AdamW) or added to the gradient ({@code g ← g + λθ}, Adam), then
     * <pre>
     *   m ← β1 m + (1 − β1) g      v ← β2 v + (1 − β2) g²      θ ← θ − stepSize · m / (√v̄ / sqrtBc2 + ε)
     * </pre>
     * with {@code v̄ = v}, or for AMSGrad ({@code vMax} given) {@code v̄ = vMax ← max(vMax, v)},
     * where {@code stepSize = η / (1 − β1^t)} and {@code sqrtBc2 = √(1 − β2^t)} fold the bias corrections
     * {@code m̂ = m / (1 − β1^t)}, {@code v̂ = v / (1 − β2^t)} into {@code θ ← θ − η m̂ / (√v̂ + ε)}, as PyTorch
     * computes it ({@code dev.nnj.api.optim.Adam}).
     */
    static void adamRange(float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to, float lr,
                          float beta1, float beta2, float eps, float weightDecay, boolean decoupledWeightDecay,
                          float stepSize, float sqrtBc2) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            if (decoupledWeightDecay) {
                p[i] *= 1f - lr * weightDecay;
            } else {
                gi += weightDecay * p[i];
            }
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            float vBar = v[i];
            if (vMax != null) {
                vBar = Math.max(vMax[i], vBar);
                vMax[i] = vBar;
            }
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(vBar) / sqrtBc2 + eps);
        }
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        rmspropRange(p, g, sq, gAvg, buf, 0, n, lr, alpha, eps, weightDecay, momentum);
    }

    /**
     * {@link #rmspropStep} on the elements {@code [from, to)}; also the vector kernel's scalar tail. With
     * {@code g ← g + λθ}:
     * <pre>
     *   s ← α s + (1 − α) g²        d = √s + ε, or √(s − ḡ²) + ε centered, where ḡ ← α ḡ + (1 − α) g
     *   θ ← θ − η g / d,  or with momentum μ:  b ← μ b + g / d,  θ ← θ − η b
     * </pre>
     * ({@code dev.nnj.api.optim.RmsProp}).
     */
    static void rmspropRange(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int from, int to,
                             float lr, float alpha, float eps, float weightDecay, float momentum) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            sq[i] = alpha * sq[i] + (1f - alpha) * gi * gi;
            float d;
            if (gAvg != null) {
                gAvg[i] = alpha * gAvg[i] + (1f - alpha) * gi;
                d = (float) Math.sqrt(sq[i] - gAvg[i] * gAvg[i]) + eps;
            } else {
                d = (float) Math.sqrt(sq[i]) + eps;
            }
            if (momentum != 0f) {
                buf[i] = momentum * buf[i] + gi / d;
                p[i] -= lr * buf[i];
            } else {
                p[i] -= lr * gi / d;
            }
        }
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        adagradRange(p, g, sum, 0, n, clr, eps, weightDecay);
    }

    /**
     * {@link #adagradStep} on the elements {@code [from, to)}; also the vector kernel's scalar tail. With
     * {@code g ← g + λθ}: {@code Σ ← Σ + g²}, {@code θ ← θ − η_t g / (√Σ + ε)}, where the caller's
     * {@code clr = η_t = η / (1 + (t − 1) · lr_decay)} ({@code dev.nnj.api.optim.AdaGrad}).
     */
    static void adagradRange(float[] p, float[] g, float[] sum, int from, int to, float clr, float eps,
                             float weightDecay) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            sum[i] += gi * gi;
            p[i] -= clr * gi / ((float) Math.sqrt(sum[i]) + eps);
        }
    }

    // ---------------------------------------------------------------- gradient clipping

    @Override
    public double sumOfSquares(float[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[i] * x[i];
        }
        return sum;
    }

    @Override
    public void scale(float[] x, int n, float factor) {
        for (int i = 0; i < n; i++) {
            x[i] *= factor;
        }
    }

    @Override
    public void clamp(float[] x, int n, float limit) {
        for (int i = 0; i < n; i++) {
            x[i] = clamp(x[i], limit);
        }
    }

    /** {@code min(max(v, -limit), limit)} that keeps NaN (both comparisons are false for it). */
    static float clamp(float v, float limit) {
        return v > limit ? limit : v < -limit ? -limit : v;
    }
}
