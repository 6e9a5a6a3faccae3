package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path on the incubating Vector API ({@code jdk.incubator.vector}): packed GEMM
 * ({@link VectorGemm}) and vectorised single-pass elementwise kernels. Loaded only by name from
 * {@link Vectorization}, so that nothing touches this class when the module is absent.
 *
 * <p>Every loop here has the same shape: whole vectors of {@code L} lanes up to {@code S.loopBound(n)},
 * then a scalar tail with the reference formula for the last {@code n mod L} elements. Exponentials and
 * logarithms use the Vector API's lanewise {@code EXP}, {@code EXPM1}, {@code TANH} and {@code LOG}
 * (within an ulp or two of {@link Math}). Per-row work (bias, softmax) runs along the row, so very short
 * rows (under {@code L} columns) are handled by the scalar tail.
 */
final class VectorKernels extends ScalarKernels {
    private static final VectorSpecies<Float> S = VectorGemm.S;
    private static final int L = S.length();
    /** Elements summed in float lanes before the partial sum is moved into a double. */
    private static final int SUM_BLOCK = 4096;

    private final VectorGemm gemm;

    VectorKernels(WorkerPool pool) {
        super(pool);
        this.gemm = new VectorGemm(pool);
    }

    /** Bits of the CPU's preferred vectors; the probe {@link Vectorization} calls by reflection. */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Override
    public String label() {
        return "Vector API fast path (" + VectorGemm.vectorBits() + "-bit)";
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        gemm.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }

    // ---------------------------------------------------------------- column sums

    /** Four column vectors at a time accumulate down all rows, so each x element is read once. */
    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
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
    private static void storeScaled(FloatVector s, float alpha, float beta, float[] out, int j) {
        if (beta == 0f) {
            s.mul(alpha).intoArray(out, j);
        } else {
            s.mul(alpha).add(FloatVector.fromArray(S, out, j).mul(beta)).intoArray(out, j);
        }
    }

    // ---------------------------------------------------------------- bias + activation, fused

    /**
     * One pass: load {@code z}, add the bias, apply {@code f}, store. Without a bias the tensor is one flat
     * row, so that short rows still fill whole vectors.
     */
    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        if (f == Activation.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                vectorSoftmaxRow(z, bias, i * cols, cols, out);
            }
            return;
        }
        if (bias == null) {
            activateRow(f, alpha, z, null, 0, rows * cols, out);
            return;
        }
        for (int i = 0; i < rows; i++) {
            activateRow(f, alpha, z, bias, i * cols, cols, out);
        }
    }

    /** {@code out[r + j] = f(z[r + j] + bias[j])} for {@code j < cols}; the switch is outside the loops. */
    private static void activateRow(Activation f, float alpha, float[] z, float[] bias, int r, int cols,
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

    private static FloatVector load(float[] z, float[] bias, int r, int j) {
        FloatVector v = FloatVector.fromArray(S, z, r + j);
        return bias == null ? v : v.add(FloatVector.fromArray(S, bias, j));
    }

    /**
     * Stable for both signs with one exponential: {@code e = e^-|z| ≤ 1} never overflows;
     * {@code 1 / (1 + e)} for {@code z ≥ 0}, {@code e / (1 + e)} below.
     */
    private static FloatVector sigmoid(FloatVector z) {
        FloatVector e = z.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector pos = FloatVector.broadcast(S, 1f).div(e.add(1f));
        return pos.blend(e.mul(pos), z.compare(VectorOperators.LT, 0f));
    }

    /** Softmax of {@code z[r ..] + bias} over one row: max, then {@code e^(v - max)} and its sum, then scale. */
    private static void vectorSoftmaxRow(float[] z, float[] bias, int r, int cols, float[] out) {
        int bound = S.loopBound(cols);
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < bound; j += L) {
                vmax = vmax.max(load(z, bias, r, j));
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
                FloatVector e = load(z, bias, r, j).sub(max).lanewise(VectorOperators.EXP);
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

    // ---------------------------------------------------------------- activation backward

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        if (f == Activation.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                softmaxBackwardRow(a, dA, dZ, i * cols, cols);
            }
            return;
        }
        int n = rows * cols;
        int bound = S.loopBound(n);
        int i = 0;
        switch (f) {
            case IDENTITY:
                System.arraycopy(dA, 0, dZ, 0, n);
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

    /** {@code dZ_j = a_j (dA_j - Σ_k dA_k a_k)}: one pass for the dot product, one for the result. */
    private static void softmaxBackwardRow(float[] a, float[] dA, float[] dZ, int r, int cols) {
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

    // ---------------------------------------------------------------- elementwise

    @Override
    public void multiply(float[] a, float[] b, float[] out, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i)).mul(scale).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = scale * (a[i] - b[i]);
        }
    }

    // ---------------------------------------------------------------- losses

    /**
     * Every loss here is a sum of per-element terms divided per row by a constant ({@code C} for MSE and
     * BCE, 1 for CCE), so the rows are summed as one flat array: float lanes over blocks of
     * {@value #SUM_BLOCK} elements, the blocks in double.
     */
    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
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
            double block = acc.reduceLanes(VectorOperators.ADD);
            // Scalar tail.
            for (; i < end; i++) {
                switch (kind) {
                    case MSE: {
                        float d = p[i] - y[i];
                        block += d * d;
                        break;
                    }
                    case BINARY_CROSS_ENTROPY:
                        block -= y[i] * clampedLog(p[i]) + (1f - y[i]) * clampedLog(1f - p[i]);
                        break;
                    default:
                        block -= y[i] * clampedLog(p[i]);
                        break;
                }
            }
            total += block;
        }
        return kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? total : total / cols;
    }

    /** {@code max(log x, LOG_FLOOR)} lane by lane ({@code log 0 = -∞} becomes the floor). */
    private static FloatVector clampedLog(FloatVector x) {
        return x.lanewise(VectorOperators.LOG).max(LossKind.LOG_FLOOR);
    }

    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
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
        // Scalar tail, the reference formulas.
        for (; i < n; i++) {
            switch (kind) {
                case MSE:
                    g[i] = 2f * (p[i] - y[i]) / nc;
                    break;
                case BINARY_CROSS_ENTROPY:
                    g[i] = (p[i] - y[i]) / Math.max(p[i] * (1f - p[i]), LossKind.GRAD_EPSILON) / nc;
                    break;
                default:
                    g[i] = -y[i] / Math.max(p[i], LossKind.GRAD_EPSILON) / rows;
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        int bound = S.loopBound(n);
        int i = 0;
        if (momentum == 0f) {
            for (; i < bound; i += L) {
                FloatVector vp = FloatVector.fromArray(S, p, i);
                FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
                vp.sub(gi.mul(lr)).intoArray(p, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector vp = FloatVector.fromArray(S, p, i);
                FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
                FloatVector b = firstStep ? gi
                        : FloatVector.fromArray(S, buf, i).mul(momentum).add(gi.mul(1f - dampening));
                b.intoArray(buf, i);
                FloatVector step = nesterov ? gi.add(b.mul(momentum)) : b;
                vp.sub(step.mul(lr)).intoArray(p, i);
            }
        }
        // Scalar tail.
        for (; i < n; i++) {
            float gi = g[i] + weightDecay * p[i];
            if (momentum == 0f) {
                p[i] -= lr * gi;
                continue;
            }
            buf[i] = firstStep ? gi : momentum * buf[i] + (1f - dampening) * gi;
            p[i] -= lr * (nesterov ? gi + momentum * buf[i] : buf[i]);
        }
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupledWeightDecay, int t) {
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, t)));
        float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, t));
        float decay = 1f - lr * weightDecay;
        float wd = decoupledWeightDecay ? 0f : weightDecay;
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            if (decoupledWeightDecay) {
                vp = vp.mul(decay);
            }
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(wd));
            FloatVector vm = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(gi).mul(1f - beta2));
            vm.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector den = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
            vp.sub(vm.mul(stepSize).div(den)).intoArray(p, i);
        }
        // Scalar tail.
        for (; i < n; i++) {
            float gi = g[i];
            if (decoupledWeightDecay) {
                p[i] *= decay;
            } else {
                gi += weightDecay * p[i];
            }
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
        }
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
            FloatVector vs = FloatVector.fromArray(S, sq, i).mul(alpha).add(gi.mul(gi).mul(1f - alpha));
            vs.intoArray(sq, i);
            FloatVector d;
            if (gAvg != null) {
                FloatVector va = FloatVector.fromArray(S, gAvg, i).mul(alpha).add(gi.mul(1f - alpha));
                va.intoArray(gAvg, i);
                d = vs.sub(va.mul(va)).lanewise(VectorOperators.SQRT).add(eps);
            } else {
                d = vs.lanewise(VectorOperators.SQRT).add(eps);
            }
            if (momentum != 0f) {
                FloatVector vb = FloatVector.fromArray(S, buf, i).mul(momentum).add(gi.div(d));
                vb.intoArray(buf, i);
                vp.sub(vb.mul(lr)).intoArray(p, i);
            } else {
                vp.sub(gi.mul(lr).div(d)).intoArray(p, i);
            }
        }
        // Scalar tail.
        for (; i < n; i++) {
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
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
            FloatVector vs = FloatVector.fromArray(S, sum, i).add(gi.mul(gi));
            vs.intoArray(sum, i);
            vp.sub(gi.mul(clr).div(vs.lanewise(VectorOperators.SQRT).add(eps))).intoArray(p, i);
        }
        // Scalar tail.
        for (; i < n; i++) {
            float gi = g[i] + weightDecay * p[i];
            sum[i] += gi * gi;
            p[i] -= clr * gi / ((float) Math.sqrt(sum[i]) + eps);
        }
    }
}
