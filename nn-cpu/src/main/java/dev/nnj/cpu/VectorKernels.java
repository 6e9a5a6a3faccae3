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
 * rows (under {@code L} columns) are handled by the scalar tail, except for softmax and accuracy, which
 * take {@code L} short rows at a time, one per lane, by strided gathers.
 */
final class VectorKernels extends ScalarKernels {
    private static final VectorSpecies<Float> S = VectorGemm.S;
    private static final int L = S.length();
    /** Elements summed in float lanes before the partial sum is moved into a double. */
    private static final int SUM_BLOCK = 4096;

    /**
     * Elementwise work is split between threads from this many elements (rows x cols for the row-wise
     * ops): below it, waking a worker costs more than the pass itself.
     */
    static final int PARALLEL_ELEMENTS = 1 << 15;

    /** {@code STRIDES[c][lane] = lane · c}: gather indices of one column of {@code L} rows of {@code c} floats. */
    private static final int[][] STRIDES = strides();

    private final VectorGemm gemm;
    private final WorkerPool pool;
    private final BiasActivationTask biasActivationTask = new BiasActivationTask();
    private final ActivationBackwardTask activationBackwardTask = new ActivationBackwardTask();
    private final SgdTask sgdTask = new SgdTask();
    private final AdamTask adamTask = new AdamTask();
    private final RmspropTask rmspropTask = new RmspropTask();
    private final AdagradTask adagradTask = new AdagradTask();

    VectorKernels(WorkerPool pool) {
        super(pool);
        this.gemm = new VectorGemm(pool);
        this.pool = pool;
    }

    private static int[][] strides() {
        int[][] strides = new int[L][L];
        for (int c = 0; c < L; c++) {
            for (int lane = 0; lane < L; lane++) {
                strides[c][lane] = lane * c;
            }
        }
        return strides;
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
     * row, so that short rows still fill whole vectors; with a bias and rows shorter than a vector (a
     * 10-class output), the bias is added row by row and {@code f} applied to the block as one flat row, so
     * that the exponentials stay vectorised. Large tensors are split by rows between threads.
     */
    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        BiasActivationTask t = biasActivationTask;
        t.z = z;
        t.bias = bias;
        t.cols = cols;
        t.f = f;
        t.alpha = alpha;
        t.out = out;
        t.dispatch(rows, cols);
        t.z = null;
        t.bias = null;
        t.out = null;
    }

    /** {@link #biasActivation} on rows {@code [i0, i1)}. */
    static void biasActivationRows(float[] z, float[] bias, int cols, Activation f, float alpha, float[] out, int i0,
                                   int i1) {
        if (f == Activation.SOFTMAX) {
            if (cols < L) {
                shortSoftmaxRows(z, bias, cols, out, i0, i1);
            } else {
                for (int i = i0; i < i1; i++) {
                    vectorSoftmaxRow(z, bias, i * cols, cols, out);
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

    /**
     * Softmax of rows shorter than a vector (a 10-class output): {@code L} rows at a time by
     * {@link #transposedSoftmaxRows}, and the last {@code rows mod L} in three passes: per row the maximum,
     * {@code v - max} written to {@code out}; then one vectorised pass of {@code e^x} over those rows; then
     * per row the sum and the scaling. Reads {@code z[r + j]} before writing {@code out[r + j]}, so
     * {@code out} may be {@code z}.
     */
    private static void shortSoftmaxRows(float[] z, float[] bias, int cols, float[] out, int i0, int i1) {
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
            FloatVector.fromArray(S, out, e).lanewise(VectorOperators.EXP).intoArray(out, e);
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
    private static int transposedSoftmaxRows(float[] z, float[] bias, int cols, float[] out, int i0, int i1) {
        int[] lanes = STRIDES[cols];
        int i = i0;
        for (; i + L <= i1; i += L) {
            int r = i * cols;
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < cols; j++) {
                max = max.max(gatherColumn(z, bias, r, j, lanes));
            }
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < cols; j++) {
                FloatVector e = gatherColumn(z, bias, r, j, lanes).sub(max).lanewise(VectorOperators.EXP);
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
    private static FloatVector gatherColumn(float[] z, float[] bias, int r, int j, int[] lanes) {
        FloatVector v = FloatVector.fromArray(S, z, r + j, lanes, 0);
        return bias == null ? v : v.add(bias[j]);
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

    /** Elementwise in one pass; SOFTMAX row by row. Large tensors are split by rows between threads. */
    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        ActivationBackwardTask t = activationBackwardTask;
        t.f = f;
        t.alpha = alpha;
        t.a = a;
        t.dA = dA;
        t.dZ = dZ;
        t.cols = cols;
        t.dispatch(rows, cols);
        t.a = null;
        t.dA = null;
        t.dZ = null;
    }

    /** {@link #activationBackward} on rows {@code [i0, i1)}. */
    static void activationBackwardRows(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int cols,
                                       int i0, int i1) {
        if (f == Activation.SOFTMAX) {
            for (int r = i0; r < i1; r++) {
                softmaxBackwardRow(a, dA, dZ, r * cols, cols);
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

    // ---------------------------------------------------------------- accuracy

    /**
     * Rows shorter than a vector go {@code L} at a time, one row per lane, as in
     * {@link #transposedSoftmaxRows}: for each column a gather, a strict {@code >} against the running
     * maximum and a blend of value and column index, so each lane keeps the first maximum of its row, as
     * {@link ReferenceKernels#argMax} does (a NaN never compares greater). The indices are small whole numbers
     * held in float lanes, which keeps to the one vector species.
     */
    @Override
    public int countCorrect(float[] p, float[] y, int rows, int cols) {
        if (cols < 2 || cols >= L) {
            return super.countCorrect(p, y, rows, cols);
        }
        int[] lanes = STRIDES[cols];
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

    // ---------------------------------------------------------------- optimizers, split between threads

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        SgdTask t = sgdTask;
        t.p = p;
        t.g = g;
        t.buf = buf;
        t.lr = lr;
        t.momentum = momentum;
        t.dampening = dampening;
        t.weightDecay = weightDecay;
        t.nesterov = nesterov;
        t.firstStep = firstStep;
        t.dispatch(n, 1);
        t.p = null;
        t.g = null;
        t.buf = null;
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize, float sqrtBc2) {
        AdamTask a = adamTask;
        a.p = p;
        a.g = g;
        a.m = m;
        a.v = v;
        a.lr = lr;
        a.beta1 = beta1;
        a.beta2 = beta2;
        a.eps = eps;
        a.weightDecay = weightDecay;
        a.decoupled = decoupledWeightDecay;
        a.stepSize = stepSize;
        a.sqrtBc2 = sqrtBc2;
        a.dispatch(n, 1);
        a.p = null;
        a.g = null;
        a.m = null;
        a.v = null;
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        RmspropTask t = rmspropTask;
        t.p = p;
        t.g = g;
        t.sq = sq;
        t.gAvg = gAvg;
        t.buf = buf;
        t.lr = lr;
        t.alpha = alpha;
        t.eps = eps;
        t.weightDecay = weightDecay;
        t.momentum = momentum;
        t.dispatch(n, 1);
        t.p = null;
        t.g = null;
        t.sq = null;
        t.gAvg = null;
        t.buf = null;
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        AdagradTask t = adagradTask;
        t.p = p;
        t.g = g;
        t.sum = sum;
        t.clr = clr;
        t.eps = eps;
        t.weightDecay = weightDecay;
        t.dispatch(n, 1);
        t.p = null;
        t.g = null;
        t.sum = null;
    }

    // ---------------------------------------------------------------- splitting work between threads

    /**
     * A pass over {@code count} items (rows, or elements with {@code width = 1}), run on the calling thread
     * or, from {@link #PARALLEL_ELEMENTS} elements, split in contiguous ranges between the pool's threads.
     * Element ranges are cut at multiples of {@code L} so that only the last part has a scalar tail. The
     * subclasses are created once per backend and carry the op's arguments in fields: dispatching
     * allocates nothing.
     */
    private abstract class RangeTask implements ParallelTask {
        private int count;
        private int width;

        final void dispatch(int count, int width) {
            this.count = count;
            this.width = width;
            long elements = (long) count * width;
            int parts = pool == null || elements < PARALLEL_ELEMENTS ? 1 : Math.min(pool.threads(), count);
            if (parts == 1) {
                range(0, count);
            } else {
                pool.run(this, parts, true);
            }
        }

        @Override
        public final void run(int part, int parts) {
            int grain = width == 1 ? L : 1;
            int units = (count + grain - 1) / grain;
            int from = Math.min(count, units * part / parts * grain);
            int to = Math.min(count, units * (part + 1) / parts * grain);
            if (from < to) {
                range(from, to);
            }
        }

        /** The op on items {@code [from, to)}. */
        abstract void range(int from, int to);
    }

    private final class BiasActivationTask extends RangeTask {
        float[] z;
        float[] bias;
        float[] out;
        int cols;
        Activation f;
        float alpha;

        @Override
        void range(int from, int to) {
            biasActivationRows(z, bias, cols, f, alpha, out, from, to);
        }
    }

    private final class ActivationBackwardTask extends RangeTask {
        float[] a;
        float[] dA;
        float[] dZ;
        int cols;
        Activation f;
        float alpha;

        @Override
        void range(int from, int to) {
            activationBackwardRows(f, alpha, a, dA, dZ, cols, from, to);
        }
    }

    private final class SgdTask extends RangeTask {
        float[] p;
        float[] g;
        float[] buf;
        float lr;
        float momentum;
        float dampening;
        float weightDecay;
        boolean nesterov;
        boolean firstStep;

        @Override
        void range(int from, int to) {
            VectorOptimizers.sgd(p, g, buf, from, to, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    private final class AdamTask extends RangeTask {
        float[] p;
        float[] g;
        float[] m;
        float[] v;
        float lr;
        float beta1;
        float beta2;
        float eps;
        float weightDecay;
        boolean decoupled;
        float stepSize;
        float sqrtBc2;

        @Override
        void range(int from, int to) {
            VectorOptimizers.adam(p, g, m, v, from, to, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize,
                    sqrtBc2);
        }
    }

    private final class RmspropTask extends RangeTask {
        float[] p;
        float[] g;
        float[] sq;
        float[] gAvg;
        float[] buf;
        float lr;
        float alpha;
        float eps;
        float weightDecay;
        float momentum;

        @Override
        void range(int from, int to) {
            VectorOptimizers.rmsprop(p, g, sq, gAvg, buf, from, to, lr, alpha, eps, weightDecay, momentum);
        }
    }

    private final class AdagradTask extends RangeTask {
        float[] p;
        float[] g;
        float[] sum;
        float clr;
        float eps;
        float weightDecay;

        @Override
        void range(int from, int to) {
            VectorOptimizers.adagrad(p, g, sum, from, to, clr, eps, weightDecay);
        }
    }
}
