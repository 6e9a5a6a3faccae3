package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;

/**
 * A {@link Device} in Java: device memory is float arrays, each kernel is a line-by-line port of
 * {@code kernels.cu} run over the launch grid the backend asked for (grid-stride loops, one warp per row, the
 * 32-lane shuffle trees, single-block reductions), and SGEMM is cuBLAS's column-major definition.
 *
 * <p>It checks what a GPU would only punish with a dead context or silently wrong numbers: each launch's
 * arguments against the kernel's parameter list, launch shapes within CUDA's limits, and that every element of
 * the output is covered by the grid. Fresh blocks are filled with NaN, as real device memory holds garbage, so
 * an op that reads an output it should only write shows up. NaN follows the hardware too: wherever the .cu
 * calls {@code fmax}/{@code fmaxf} this uses {@link #fmaxf} (the other operand when one is NaN), never
 * {@link Math#max}, so a kernel that loses a NaN the CPU keeps fails the conformance suite here. A NaN's bits
 * are not modelled: a GPU writes every NaN it computes as {@code 0x7fffffff}, where this port, like the CPU
 * backend, keeps an input NaN's {@code 0x7fc00000}, so tests compare NaN as NaN, never by its bits. It cannot
 * check CUDA itself — the real device is
 * checked by the same suites on a GPU ({@code scripts/gpu-check.sh}).
 *
 * <p>Two more of CUDA's rules are kept here because breaking them passes silently on a single device:
 * <ul>
 *   <li><b>The current context is per thread.</b> Each thread has one device current at a time, set by
 *       {@link #makeCurrent} (and by creating a device, as {@code JCudaDevice}'s constructor does); every call
 *       below fails unless this device is current on the calling thread, as a real one would fail
 *       ({@code CUDA_ERROR_INVALID_CONTEXT}) or, worse, run in another device's context.</li>
 *   <li><b>SGEMM rounds like a GPU, not better.</b> It accumulates in float, one fused multiply-add per term
 *       in order (a long chain: at least as much rounding as cuBLAS's blocked sums), and with TF32 it first cuts
 *       each input to TF32's 10-bit mantissa (truncation, the worse of the hardware's two conversions), so the
 *       tolerances the GPU will be held to are exercised here.</li>
 * </ul>
 */
class EmulatedDevice implements Device {
    /** The device current on each thread, as {@code cuCtxSetCurrent} keeps a context per thread. */
    private static final ThreadLocal<EmulatedDevice> CURRENT = new ThreadLocal<>();
    /** TF32 keeps 10 of float's 23 mantissa bits. */
    private static final int TF32_DROPPED_BITS_MASK = (1 << 13) - 1;

    private final Map<CUdeviceptr, float[]> blocks = new IdentityHashMap<>();
    private final long capacity;
    private final boolean tf32;
    private long used;
    int launches;
    int gemms;
    int contextSwitches;
    int uploads;
    int downloads;

    EmulatedDevice(long capacityBytes, boolean tf32) {
        this.capacity = capacityBytes;
        this.tf32 = tf32;
        CURRENT.set(this);   // as JCudaDevice's constructor leaves its context current on the creating thread
    }

    EmulatedDevice(long capacityBytes) {
        this(capacityBytes, false);
    }

    EmulatedDevice() {
        this(1L << 30);
    }

    /** A device whose SGEMM runs in TF32, as {@code cublasSetMathMode(CUBLAS_TF32_TENSOR_OP_MATH)} asks for. */
    static EmulatedDevice tf32() {
        return new EmulatedDevice(1L << 30, true);
    }

    private void requireCurrent(String call) {
        EmulatedDevice current = CURRENT.get();
        if (current != this) {
            throw new AssertionError(call + " on thread '" + Thread.currentThread().getName() + "', where "
                    + (current == null ? "no context" : "another device's context") + " is current: a GPU would "
                    + "fail with CUDA_ERROR_INVALID_CONTEXT or run it in the wrong context");
        }
    }

    float[] data(CUdeviceptr p) {
        float[] d = blocks.get(p);
        assertNotNull(d, "pointer does not name a live device block (use after free?)");
        return d;
    }

    private final CachingAllocator.Memory<CUdeviceptr> memory = new CachingAllocator.Memory<>() {
        @Override
        public CUdeviceptr allocate(long bytes) {
            requireCurrent("cuMemAlloc");
            if (used + bytes > capacity) {
                return null;
            }
            used += bytes;
            CUdeviceptr p = new CUdeviceptr();
            float[] d = new float[Math.toIntExact(bytes / Float.BYTES)];
            Arrays.fill(d, Float.NaN);
            blocks.put(p, d);
            return p;
        }

        @Override
        public void free(CUdeviceptr block) {
            requireCurrent("cuMemFree");
            float[] d = blocks.remove(block);
            assertNotNull(d, "double free");
            used -= (long) d.length * Float.BYTES;
        }

        @Override
        public long freeBytes() {
            requireCurrent("cuMemGetInfo");
            return capacity - used;
        }

        @Override
        public String describeDevice() {
            return "Emulated GPU (device 0), " + (capacity - used) + " B free";
        }
    };

    @Override
    public CachingAllocator.Memory<CUdeviceptr> memory() {
        return memory;
    }

    long bytesOnDevice() {
        return used;
    }

    @Override
    public void makeCurrent() {
        contextSwitches++;
        CURRENT.set(this);
    }

    @Override
    public void upload(float[] src, int offset, CUdeviceptr dst, int count) {
        requireCurrent("cuMemcpyHtoD");
        uploads++;
        System.arraycopy(src, offset, data(dst), 0, count);
    }

    @Override
    public void download(CUdeviceptr src, float[] dst, int offset, int count) {
        requireCurrent("cuMemcpyDtoH");
        downloads++;
        System.arraycopy(data(src), 0, dst, offset, count);
    }

    @Override
    public void copy(CUdeviceptr src, CUdeviceptr dst, int count) {
        requireCurrent("cuMemcpyDtoD");
        System.arraycopy(data(src), 0, data(dst), 0, count);
    }

    @Override
    public void zero(CUdeviceptr dst, int count) {
        requireCurrent("cuMemsetD32");
        Arrays.fill(data(dst), 0, count, 0f);
    }

    @Override
    public void sgemm(GemmPlan plan, float alpha, CUdeviceptr b, CUdeviceptr a, float beta, CUdeviceptr c) {
        requireCurrent("cublasSgemm");
        gemms++;
        columnMajorSgemm(plan, alpha, data(b), data(a), beta, data(c));
    }

    /**
     * cuBLAS's column-major definition ({@link GemmPlanTest#columnMajorSgemm} states it exactly, in double),
     * rounded as a GPU rounds: a float accumulator, one fused multiply-add per term, inputs cut to TF32 first
     * when this device runs in TF32.
     */
    private void columnMajorSgemm(GemmPlan p, float alpha, float[] first, float[] second, float beta, float[] c) {
        for (int col = 0; col < p.cublasN(); col++) {
            for (int row = 0; row < p.cublasM(); row++) {
                float dot = 0f;
                for (int q = 0; q < p.cublasK(); q++) {
                    float x = p.transposeFirst() ? first[q + row * p.ldFirst()] : first[row + q * p.ldFirst()];
                    float y = p.transposeSecond() ? second[col + q * p.ldSecond()] : second[q + col * p.ldSecond()];
                    dot = Math.fma(toTf32(x), toTf32(y), dot);
                }
                int at = row + col * p.ldc();
                c[at] = beta == 0f ? alpha * dot : Math.fma(beta, c[at], alpha * dot);
            }
        }
    }

    private float toTf32(float x) {
        if (!tf32 || !Float.isFinite(x)) {
            return x;
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & ~TF32_DROPPED_BITS_MASK);
    }

    @Override
    public void synchronize() {
        requireCurrent("cuCtxSynchronize");
    }

    @Override
    public int multiprocessors() {
        // Few SMs, so that grid-stride loops really loop on the test shapes.
        return 2;
    }

    @Override
    public String description() {
        return "Emulated GPU (Java port of kernels.cu)";
    }

    @Override
    public void close() {
    }

    // ---------------------------------------------------------------- kernels

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int blockY, KernelArgs args) {
        args.check(kernel);
        requireCurrent("cuLaunchKernel(" + kernel + ")");
        launches++;
        assertTrue(gridX >= 1 && blockX >= 1 && blockY >= 1, "empty launch of " + kernel);
        assertTrue(blockX * blockY <= 1024, kernel + ": more than 1024 threads per block");
        Launch g = new Launch(gridX, blockX, blockY);
        switch (kernel) {
            case FILL: {
                float[] x = data(args.pointer(0));
                int n = args.intValue(1);
                float v = args.floatValue(2);
                g.forEach(n, i -> x[(int) i] = v);
                break;
            }
            case BIAS_ACTIVATION: {
                float[] z = data(args.pointer(0));
                float[] bias = args.pointer(1) == null ? null : data(args.pointer(1));
                float[] out = data(args.pointer(2));
                int rows = args.intValue(3);
                int cols = args.intValue(4);
                int f = args.intValue(5);
                float alpha = args.floatValue(6);
                g.forEach((long) rows * cols, i -> {
                    int ii = (int) i;
                    float v = bias != null ? z[ii] + bias[ii % cols] : z[ii];
                    out[ii] = activate(f, alpha, v);
                });
                break;
            }
            case SOFTMAX_ROWS: {
                float[] z = data(args.pointer(0));
                float[] bias = args.pointer(1) == null ? null : data(args.pointer(1));
                float[] out = data(args.pointer(2));
                int rows = args.intValue(3);
                int cols = args.intValue(4);
                g.forEachRow(rows, r -> {
                    long base = r * cols;
                    float[] max = new float[32];
                    Arrays.fill(max, Float.NEGATIVE_INFINITY);
                    forEachColumn(cols, (lane, j) -> {
                        float v = bias != null ? z[(int) (base + j)] + bias[(int) j] : z[(int) (base + j)];
                        max[lane] = fmaxf(max[lane], v);
                    });
                    float m = warpMax(max);
                    float[] sum = new float[32];
                    forEachColumn(cols, (lane, j) -> {
                        float v = bias != null ? z[(int) (base + j)] + bias[(int) j] : z[(int) (base + j)];
                        float e = (float) Math.exp(v - m);
                        out[(int) (base + j)] = e;
                        sum[lane] += e;
                    });
                    float inv = 1f / warpSum(sum);
                    forEachColumn(cols, (lane, j) -> out[(int) (base + j)] *= inv);
                });
                break;
            }
            case ACTIVATION_BACKWARD: {
                int f = args.intValue(0);
                float alpha = args.floatValue(1);
                float[] a = data(args.pointer(2));
                float[] dA = data(args.pointer(3));
                float[] dZ = data(args.pointer(4));
                g.forEach(args.intValue(5), i -> dZ[(int) i] = dA[(int) i] * derivative(f, alpha, a[(int) i]));
                break;
            }
            case SOFTMAX_BACKWARD: {
                float[] a = data(args.pointer(0));
                float[] dA = data(args.pointer(1));
                float[] dZ = data(args.pointer(2));
                int rows = args.intValue(3);
                int cols = args.intValue(4);
                g.forEachRow(rows, r -> {
                    long base = r * cols;
                    float[] partial = new float[32];
                    forEachColumn(cols, (lane, j) -> partial[lane] += dA[(int) (base + j)] * a[(int) (base + j)]);
                    float dot = warpSum(partial);
                    forEachColumn(cols, (lane, j) -> dZ[(int) (base + j)] = a[(int) (base + j)]
                            * (dA[(int) (base + j)] - dot));
                });
                break;
            }
            case MULTIPLY: {
                float[] a = data(args.pointer(0));
                float[] b = data(args.pointer(1));
                float[] out = data(args.pointer(2));
                g.forEach(args.intValue(3), i -> out[(int) i] = a[(int) i] * b[(int) i]);
                break;
            }
            case SCALED_DIFFERENCE: {
                float scale = args.floatValue(0);
                float[] a = data(args.pointer(1));
                float[] b = data(args.pointer(2));
                float[] out = data(args.pointer(3));
                g.forEach(args.intValue(4), i -> out[(int) i] = flushSubnormal(scale * (a[(int) i] - b[(int) i])));
                break;
            }
            case DROPOUT_MASK: {
                float rate = args.floatValue(0);
                float keep = args.floatValue(1);
                long seed = args.longValue(2);
                float[] mask = data(args.pointer(3));
                g.forEach(args.intValue(4), i -> {
                    long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    z = z ^ (z >>> 31);
                    float u = (float) (z >>> 40) * 5.9604644775390625e-8f;
                    mask[(int) i] = u >= rate ? keep : 0f;
                });
                break;
            }
            case LOSS_SUM: {
                assertTrue(gridX == 1 && blockX % 32 == 0, "loss sum is one block of whole warps");
                int kind = args.intValue(0);
                float[] p = data(args.pointer(1));
                float[] y = data(args.pointer(2));
                int rows = args.intValue(3);
                int cols = args.intValue(4);
                float beta = args.floatValue(5);
                float[] out = data(args.pointer(6));
                int warps = blockX / 32;
                double total = 0;
                for (int w = 0; w < warps; w++) {
                    double acc = 0;
                    for (long r = w; r < rows; r += warps) {
                        long base = r * cols;
                        double[] partial = new double[32];
                        forEachColumn(cols, (lane, j) -> {
                            float pj = p[(int) (base + j)];
                            float yj = y[(int) (base + j)];
                            if (kind == 0) {
                                float d = pj - yj;
                                partial[lane] += (double) (d * d);
                            } else if (kind == 1) {
                                double lp = clampedLog(pj);
                                double lq = clampedLog(1f - pj);
                                partial[lane] -= yj * lp + (1f - yj) * lq;
                            } else {
                                partial[lane] -= yj * clampedLog(pj);
                            }
                        });
                        double row = warpSumD(partial);
                        acc += kind == 2 ? row : row / cols;
                    }
                    total += acc;
                }
                out[0] = beta == 0f ? (float) total : (float) (beta * (double) out[0] + total);
                break;
            }
            case LOSS_GRADIENT: {
                int kind = args.intValue(0);
                float[] p = data(args.pointer(1));
                float[] y = data(args.pointer(2));
                float[] gr = data(args.pointer(3));
                float nc = args.floatValue(5);
                float n = args.floatValue(6);
                g.forEach(args.intValue(4), l -> {
                    int i = (int) l;
                    if (kind == 0) {
                        gr[i] = 2f * (p[i] - y[i]) / nc;
                    } else if (kind == 1) {
                        gr[i] = (p[i] - y[i]) / floorKeepNaN(p[i] * (1f - p[i]), 1e-12f) / nc;
                    } else {
                        gr[i] = -y[i] / floorKeepNaN(p[i], 1e-12f) / n;
                    }
                });
                break;
            }
            case COUNT_CORRECT: {
                assertTrue(gridX == 1 && blockX % 32 == 0, "count correct is one block of whole warps");
                float[] p = data(args.pointer(0));
                float[] y = data(args.pointer(1));
                int rows = args.intValue(2);
                int cols = args.intValue(3);
                float beta = args.floatValue(4);
                float[] out = data(args.pointer(5));
                int warps = blockX / 32;
                int total = 0;
                for (int w = 0; w < warps; w++) {
                    for (long r = w; r < rows; r += warps) {
                        long base = r * cols;
                        boolean correct = cols == 1 ? (p[(int) base] > 0.5f) == (y[(int) base] > 0.5f)
                                : warpArgmax(p, base, cols) == warpArgmax(y, base, cols);
                        total += correct ? 1 : 0;
                    }
                }
                out[0] = beta == 0f ? (float) total : beta * out[0] + (float) total;
                break;
            }
            case COLUMN_SUMS: {
                assertTrue(blockX == 32 && blockY <= 32, "column sums: blockDim (32, <= 32)");
                float[] x = data(args.pointer(0));
                int rows = args.intValue(1);
                int cols = args.intValue(2);
                float alpha = args.floatValue(3);
                float beta = args.floatValue(4);
                float[] out = data(args.pointer(5));
                assertTrue((long) gridX * 32 >= cols, "column sums grid does not cover every column");
                // Block by block, as the .cu: each thread (tx, ty) sums its rows of column j into partial[ty][tx],
                // then thread row 0 adds the column's blockY partials in order.
                for (long bx = 0; bx < gridX; bx++) {
                    float[][] partial = new float[32][33];
                    for (int ty = 0; ty < blockY; ty++) {
                        for (int tx = 0; tx < 32; tx++) {
                            long j = bx * 32 + tx;
                            float s = 0f;
                            if (j < cols) {
                                for (long i = ty; i < rows; i += blockY) {
                                    s += x[(int) (i * cols + j)];
                                }
                            }
                            partial[ty][tx] = s;
                        }
                    }
                    for (int tx = 0; tx < 32; tx++) {
                        long j = bx * 32 + tx;
                        if (j < cols) {
                            float t = 0f;
                            for (int k = 0; k < blockY; k++) {
                                t += partial[k][tx];
                            }
                            out[(int) j] = beta == 0f ? alpha * t : alpha * t + beta * out[(int) j];
                        }
                    }
                }
                break;
            }
            case SGD_STEP: {
                float[] p = data(args.pointer(0));
                float[] gr = data(args.pointer(1));
                float[] buf = args.pointer(2) == null ? null : data(args.pointer(2));
                float lr = args.floatValue(4);
                float momentum = args.floatValue(5);
                float dampening = args.floatValue(6);
                float wd = args.floatValue(7);
                boolean nesterov = args.intValue(8) != 0;
                boolean first = args.intValue(9) != 0;
                g.forEach(args.intValue(3), l -> {
                    int i = (int) l;
                    float gi = gr[i] + wd * p[i];
                    if (momentum == 0f) {
                        p[i] = p[i] - lr * gi;
                    } else {
                        float b = first ? gi : momentum * buf[i] + (1f - dampening) * gi;
                        buf[i] = b;
                        p[i] = p[i] - lr * (nesterov ? gi + momentum * b : b);
                    }
                });
                break;
            }
            case ADAM_STEP: {
                float[] p = data(args.pointer(0));
                float[] gr = data(args.pointer(1));
                float[] m = data(args.pointer(2));
                float[] v = data(args.pointer(3));
                float[] vMax = args.pointer(4) == null ? null : data(args.pointer(4));
                float lr = args.floatValue(6);
                float beta1 = args.floatValue(7);
                float beta2 = args.floatValue(8);
                float eps = args.floatValue(9);
                float wd = args.floatValue(10);
                boolean decoupled = args.intValue(11) != 0;
                float stepSize = args.floatValue(12);
                float sqrtBc2 = args.floatValue(13);
                g.forEach(args.intValue(5), l -> {
                    int i = (int) l;
                    float gi = gr[i];
                    float pi = p[i];
                    if (decoupled) {
                        pi = pi * (1f - lr * wd);
                    } else {
                        gi = gi + wd * pi;
                    }
                    float mi = beta1 * m[i] + (1f - beta1) * gi;
                    float vi = beta2 * v[i] + (1f - beta2) * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    if (vMax != null) {
                        vi = Math.max(vMax[i], vi);   // nnj_max_keep_nan
                        vMax[i] = vi;
                    }
                    p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
                });
                break;
            }
            case RMSPROP_STEP: {
                float[] p = data(args.pointer(0));
                float[] gr = data(args.pointer(1));
                float[] sq = data(args.pointer(2));
                float[] gAvg = args.pointer(3) == null ? null : data(args.pointer(3));
                float[] buf = args.pointer(4) == null ? null : data(args.pointer(4));
                float lr = args.floatValue(6);
                float alpha = args.floatValue(7);
                float eps = args.floatValue(8);
                float wd = args.floatValue(9);
                float momentum = args.floatValue(10);
                g.forEach(args.intValue(5), l -> {
                    int i = (int) l;
                    float gi = gr[i] + wd * p[i];
                    float s = alpha * sq[i] + (1f - alpha) * gi * gi;
                    sq[i] = s;
                    float d;
                    if (gAvg != null) {
                        float a = alpha * gAvg[i] + (1f - alpha) * gi;
                        gAvg[i] = a;
                        d = (float) Math.sqrt(s - a * a) + eps;
                    } else {
                        d = (float) Math.sqrt(s) + eps;
                    }
                    if (momentum != 0f) {
                        float b = momentum * buf[i] + gi / d;
                        buf[i] = b;
                        p[i] = p[i] - lr * b;
                    } else {
                        p[i] = p[i] - lr * gi / d;
                    }
                });
                break;
            }
            case ADAGRAD_STEP: {
                float[] p = data(args.pointer(0));
                float[] gr = data(args.pointer(1));
                float[] sum = data(args.pointer(2));
                float clr = args.floatValue(4);
                float eps = args.floatValue(5);
                float wd = args.floatValue(6);
                g.forEach(args.intValue(3), l -> {
                    int i = (int) l;
                    float gi = gr[i] + wd * p[i];
                    float s = sum[i] + gi * gi;
                    sum[i] = s;
                    p[i] = p[i] - clr * gi / ((float) Math.sqrt(s) + eps);
                });
                break;
            }
            case SUM_OF_SQUARES: {
                assertTrue(gridX == 1 && blockX % 32 == 0, "sum of squares is one block of whole warps");
                float[] x = data(args.pointer(0));
                int n = args.intValue(1);
                float beta = args.floatValue(2);
                float[] out = data(args.pointer(3));
                int warps = blockX / 32;
                double total = 0;
                for (int w = 0; w < warps; w++) {
                    double[] lane = new double[32];
                    for (int l = 0; l < 32; l++) {
                        for (long i = w * 32L + l; i < n; i += blockX) {
                            double v = x[(int) i];
                            lane[l] += v * v;
                        }
                    }
                    total += warpSumD(lane);
                }
                out[0] = beta == 0f ? (float) total : (float) (beta * (double) out[0] + total);
                break;
            }
            case CLIP_BY_NORM: {
                float[] x = data(args.pointer(0));
                float[] s = data(args.pointer(1));
                float maxNorm = args.floatValue(3);
                float total = (float) Math.sqrt(s[0]);
                float factor = maxNorm / (total + 1e-6f);
                float f = factor > 1f ? 1f : factor;
                g.forEach(args.intValue(2), i -> x[(int) i] = x[(int) i] * f);
                break;
            }
            case CLIP_BY_VALUE: {
                float[] x = data(args.pointer(0));
                float limit = args.floatValue(2);
                g.forEach(args.intValue(1), l -> {
                    float v = x[(int) l];
                    x[(int) l] = v > limit ? limit : (v < -limit ? -limit : v);
                });
                break;
            }
            default:
                throw new AssertionError("no emulation for " + kernel);
        }
    }

    /** A launch grid: the loops of NNJ_FOR_EACH and NNJ_FOR_EACH_ROW, visiting every index exactly once. */
    private static final class Launch {
        final long threads;
        final long warps;

        Launch(int gridX, int blockX, int blockY) {
            this.threads = (long) gridX * blockX * blockY;
            this.warps = (long) gridX * (blockX / 32);
        }

        interface Body {
            void at(long i);
        }

        void forEach(long n, Body body) {
            boolean[] seen = new boolean[(int) n];
            for (long t = 0; t < threads; t++) {
                for (long i = t; i < n; i += threads) {
                    assertTrue(!seen[(int) i], "index visited twice");
                    seen[(int) i] = true;
                    body.at(i);
                }
            }
            for (boolean s : seen) {
                assertTrue(s, "grid does not cover every element");
            }
        }

        void forEachRow(long rows, Body body) {
            assertTrue(warps >= 1, "row kernels need whole warps");
            long covered = 0;
            for (long w = 0; w < warps; w++) {
                for (long r = w; r < rows; r += warps) {
                    body.at(r);
                    covered++;
                }
            }
            assertTrue(covered == rows, "row grid does not cover every row once");
        }
    }

    /** The body of a lane's column loop: column {@code j} of the row, seen by lane {@code lane}. */
    interface Column {
        void at(int lane, long j);
    }

    /**
     * NNJ_FOR_EACH_COLUMN in each lane of the warp, lane 0 first. Every lane keeps its own accumulators and
     * writes only its own columns, so walking the lanes one after the other computes what the warp computes.
     */
    static void forEachColumn(int cols, Column body) {
        for (int lane = 0; lane < 32; lane++) {
            forEachColumn(lane, cols, body);
        }
    }

    /**
     * NNJ_FOR_EACH_COLUMN in one lane: columns lane, lane + 32, ... below cols, ascending. The index is a long,
     * as the kernel's is a long long: its last step passes cols by up to 31, which an int could not hold for
     * cols above 2^31 - 32 (it would wrap negative and still pass j < cols).
     */
    static void forEachColumn(int lane, int cols, Column body) {
        for (long j = lane; j < cols; j += 32) {
            body.at(lane, j);
        }
    }

    private static float warpSum(float[] lane) {
        float[] v = lane.clone();
        for (int o = 16; o > 0; o >>= 1) {
            float[] next = new float[32];
            for (int l = 0; l < 32; l++) {
                next[l] = v[l] + v[l ^ o];
            }
            v = next;
        }
        return v[0];
    }

    private static double warpSumD(double[] lane) {
        double[] v = lane.clone();
        for (int o = 16; o > 0; o >>= 1) {
            double[] next = new double[32];
            for (int l = 0; l < 32; l++) {
                next[l] = v[l] + v[l ^ o];
            }
            v = next;
        }
        return v[0];
    }

    /** nnj_warp_max: the fmaxf butterfly, lane 0's result. */
    private static float warpMax(float[] lane) {
        float[] v = lane.clone();
        for (int o = 16; o > 0; o >>= 1) {
            float[] next = new float[32];
            for (int l = 0; l < 32; l++) {
                next[l] = fmaxf(v[l], v[l ^ o]);
            }
            v = next;
        }
        return v[0];
    }

    /**
     * PTX {@code max.f32} / {@code max.f64}, which CUDA's {@code fmaxf}/{@code fmax} compile to: when one operand
     * is NaN the other is returned (IEEE 754-2008 maxNum), unlike {@link Math#max}, which returns NaN. The
     * emulation must use this wherever kernels.cu uses fmax, or it would hide a CPU/GPU difference.
     */
    static float fmaxf(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        if (Float.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }

    /** {@link #fmaxf} in double: PTX {@code max.f64}. */
    static double fmax(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }

    /** nnj_clamped_log: max(log x, -100) that keeps the NaN of log NaN or log of a negative number. */
    static double clampedLog(float x) {
        double l = Math.log(x);
        return Double.isNaN(l) ? l : fmax(l, -100.0);
    }

    /** kernels.cu's flush in nnj_scaled_difference: {@code |v| ≤ 2^−126} becomes a zero of v's sign. */
    static float flushSubnormal(float v) {
        return Math.abs(v) <= 0x1p-126f ? Math.copySign(0f, v) : v;
    }

    /** nnj_floor_keep_nan: max(x, lo) that keeps a NaN x. */
    static float floorKeepNaN(float x, float lo) {
        return Float.isNaN(x) ? x : fmaxf(x, lo);
    }

    /** NNJ_NO_INDEX: a lane's arg-max before it has taken a column; no column index is negative. */
    static final int NO_INDEX = -1;

    /**
     * nnj_warp_argmax, lane by lane: x[0] = NaN answers 0; each lane keeps its first non-NaN maximum; then the
     * xor-butterfly ({@link #warpArgmaxTree}) keeps the larger value or, on a tie, the smaller index.
     */
    private static int warpArgmax(float[] x, long base, int cols) {
        if (Float.isNaN(x[(int) base])) {
            return 0;
        }
        float[] best = new float[32];
        int[] at = new int[32];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        Arrays.fill(at, NO_INDEX);
        forEachColumn(cols, (lane, j) -> {
            float v = x[(int) (base + j)];
            if (!Float.isNaN(v) && (at[lane] == NO_INDEX || v > best[lane])) {
                best[lane] = v;
                at[lane] = (int) j;  // j < cols <= 2^31 - 1
            }
        });
        return warpArgmaxTree(best, at);
    }

    /** nnj_warp_argmax's shuffle tree over the lanes' (best, at), lane 0's answer. */
    static int warpArgmaxTree(float[] laneBest, int[] laneAt) {
        float[] best = laneBest.clone();
        int[] at = laneAt.clone();
        for (int o = 16; o > 0; o >>= 1) {
            float[] nextBest = best.clone();
            int[] nextAt = at.clone();
            for (int l = 0; l < 32; l++) {
                float ov = best[l ^ o];
                int oi = at[l ^ o];
                if (oi != NO_INDEX && (at[l] == NO_INDEX || ov > best[l] || (ov == best[l] && oi < at[l]))) {
                    nextBest[l] = ov;
                    nextAt[l] = oi;
                }
            }
            best = nextBest;
            at = nextAt;
        }
        return at[0];
    }

    static float activate(int f, float alpha, float z) {
        switch (f) {
            case 1:
                if (z >= 0f) {
                    return 1f / (1f + (float) Math.exp(-z));
                }
                float e = (float) Math.exp(z);
                return e / (1f + e);
            case 2:
                return (float) Math.tanh(z);
            case 3:
                return z <= 0f ? 0f : z;
            case 4:
                return z <= 0f ? alpha * z : z;
            case 5:
                return z <= 0f ? alpha * (float) Math.expm1(z) : z;
            default:
                return z;
        }
    }

    static float derivative(int f, float alpha, float a) {
        switch (f) {
            case 1:
                return a * (1f - a);
            case 2:
                return 1f - a * a;
            case 3:
                return a <= 0f ? 0f : 1f;
            case 4:
                return a <= 0f ? alpha : 1f;
            case 5:
                return a <= 0f ? a + alpha : 1f;
            default:
                return 1f;
        }
    }
}
