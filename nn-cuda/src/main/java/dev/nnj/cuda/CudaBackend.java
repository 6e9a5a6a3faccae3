package dev.nnj.cuda;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Shapes;
import dev.nnj.api.Tensor;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;

/**
 * The CUDA backend: tensors live in device memory, matrix products run in cuBLAS SGEMM, everything else in
 * nnj's own kernels ({@code src/main/cuda/kernels.cu}, shipped as PTX).
 *
 * <h2>What stays on the GPU</h2>
 * Parameters, gradients, activations and optimizer state are {@link CudaTensor}s and every op reads and writes
 * them in place. A training step copies in only the batch ({@code copyFrom}) and copies out only what the
 * caller asks for ({@code copyTo}, {@code item()}); {@link #lossSum} and {@link #countCorrect} accumulate into
 * one-element device tensors so a trainer reads them once per epoch.
 *
 * <h2>Ordering and errors</h2>
 * All work goes, in call order, to one stream; host copies wait for it. A CUDA error becomes a
 * {@link CudaOperationException} naming the op, its tensors' shapes and the driver's text. Kernel faults are
 * reported asynchronously, by the next op that waits; {@code -Dnnj.cuda.sync=true} synchronises after every op
 * so the failing op is the one named. Shapes and ownership are checked in Java first: an out-of-bounds
 * kernel would kill the CUDA context for the rest of the process.
 *
 * <h2>Threads</h2>
 * Safe for concurrent callers, serialised: any thread may call ops; a new thread gets the context made current
 * for it, and a call while another thread is inside an op waits for it ({@link ThreadGuard}). Concurrent
 * {@code predict}/{@code evaluate} on one model, or two threads each with its own model, are therefore
 * correct on this backend but run one op at a time. Training one model is still confined to one thread
 * (the model enforces that, see {@code Sequential}).
 *
 * <h2>Precision</h2>
 * FP32 throughout. {@code -Dnnj.cuda.tf32=true} (or {@code create(true)}) lets cuBLAS use TF32 tensor cores
 * for SGEMM: inputs rounded to a 10-bit mantissa, roughly 1e-3 relative error, several times the throughput on
 * Ampere and newer.
 */
public final class CudaBackend implements Backend {
    /** System property: {@code true} lets SGEMM use TF32 tensor cores. */
    public static final String TF32_PROPERTY = "nnj.cuda.tf32";
    /** System property: {@code true} synchronises after every op so asynchronous errors name their op. */
    public static final String SYNC_PROPERTY = "nnj.cuda.sync";

    static final int ELEMENTWISE_BLOCK = 256;
    /** Row-wise kernels run one warp per row: 8 rows per 256-thread block. */
    static final int ROW_BLOCK = 256;
    static final int ROWS_PER_BLOCK = ROW_BLOCK / 32;
    /** Single-block reductions (loss sum, correct count): 16 warps walk the rows. */
    static final int REDUCE_BLOCK = 512;

    private final Device device;
    private final CachingAllocator<CUdeviceptr> allocator;
    private final ThreadGuard guard;
    private final boolean syncEachOp;
    private final int maxGrid;

    /** Creates a backend on the probed device; FP32 unless {@code tf32}. */
    public static CudaBackend create(boolean tf32) {
        CudaProbe.Result probe = CudaBackendProvider.probe();
        if (!probe.availability().available()) {
            throw new IllegalStateException("cuda backend is not available: " + probe.availability().reason());
        }
        return new CudaBackend(new JCudaDevice(probe.device(), tf32));
    }

    /** Whether {@value #TF32_PROPERTY} asks for TF32. */
    static boolean tf32Requested() {
        return Boolean.getBoolean(TF32_PROPERTY);
    }

    CudaBackend(Device device) {
        this.device = device;
        this.allocator = new CachingAllocator<>(device.memory());
        this.guard = new ThreadGuard(device::makeCurrent);
        this.syncEachOp = Boolean.getBoolean(SYNC_PROPERTY);
        // Enough blocks to fill every SM several times; grid-stride loops cover the rest.
        this.maxGrid = Math.max(1, device.multiprocessors()) * 32;
    }

    CachingAllocator<CUdeviceptr> allocator() {
        return allocator;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "cuda: " + device.description();
    }

    // ---------------------------------------------------------------- memory accounting

    /** Device memory as the allocator sees it, in bytes. */
    public record MemoryStats(long bytesInUse, long bytesCached, long bytesReserved, int liveTensors) {
    }

    /**
     * Bytes held by open tensors ({@code bytesInUse}), bytes freed into the cache for reuse, and their sum
     * reserved from the device. {@code bytesInUse} returns to its earlier value once everything created since
     * is closed, which is what leak tests check.
     */
    public MemoryStats memoryStats() {
        CachingAllocator.Stats s = allocator.stats();
        return new MemoryStats(s.inUse(), s.cached(), s.reserved(), s.liveBlocks());
    }

    /** Gives cached (freed) blocks back to the device. */
    public void emptyCache() {
        enter("emptyCache");
        try {
            allocator.emptyCache();
        } finally {
            guard.exit();
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Tensor zeros(int... shape) {
        int[] s = Shapes.validate(shape);
        long size = (long) (s.length == 2 ? s[0] : 1) * s[s.length - 1];
        enter("zeros");
        try {
            CachingAllocator.Block<CUdeviceptr> block = allocator.allocate(size * Float.BYTES);
            CudaTensor t = new CudaTensor(this, block, s);
            try {
                device.zero(block.handle(), (int) size);
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
            return t;
        } catch (CudaException e) {
            throw new CudaOperationException("cuda zeros " + Shapes.toString(s) + ": " + CudaErrors.describe(e), e);
        } finally {
            exit();
        }
    }

    void upload(float[] src, int offset, CudaTensor dst) {
        Shapes.requireOn(this, "copyFrom", "tensor", dst);
        run("copyFrom", () -> device.upload(src, offset, dst.pointer(), dst.size()), "tensor", dst);
    }

    void download(CudaTensor src, float[] dst, int offset) {
        Shapes.requireOn(this, "copyTo", "tensor", src);
        run("copyTo", () -> device.download(src.pointer(), dst, offset, src.size()), "tensor", src);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        String op = "copy";
        CudaTensor s = on(op, "src", src);
        CudaTensor d = on(op, "dst", dst);
        Shapes.requireSize(op, "dst", dst, src.size());
        if (s == d) {
            return;
        }
        run(op, () -> device.copy(s.pointer(), d.pointer(), s.size()), "src", src, "dst", dst);
    }

    @Override
    public void fill(Tensor t, float value) {
        String op = "fill";
        CudaTensor x = on(op, "t", t);
        run(op, () -> launch1d(Kernel.FILL, x.size(), new KernelArgs().ptr(x.pointer()).i(x.size()).f(value)),
                "t", t);
    }

    @Override
    public void synchronize() {
        run("synchronize", device::synchronize);
    }

    // ---------------------------------------------------------------- linear algebra

    /** cuBLAS SGEMM on the row-major operands, through the operand swap of {@link GemmPlan}. */
    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "gemm";
        CudaTensor ta = on(op, "a", a);
        CudaTensor tb = on(op, "b", b);
        CudaTensor tc = on(op, "c", c);
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: op(a) of 'a' " + Shapes.toString(a.shape())
                    + (transposeA ? "ᵀ" : "") + " is (" + m + ", " + k + "), op(b) of 'b' " + Shapes.toString(b.shape())
                    + (transposeB ? "ᵀ" : "") + " is (" + kb + ", " + n + ")");
        }
        Shapes.requireMatrix(op, "c", c, m, n);
        if (tc == ta || tc == tb) {
            throw new IllegalArgumentException(op + ": 'c' must not be the same tensor as 'a' or 'b'");
        }
        GemmPlan plan = GemmPlan.rowMajor(transposeA, transposeB, m, n, k);
        run(op, () -> device.sgemm(plan, alpha, tb.pointer(), ta.pointer(), beta, tc.pointer()),
                "a", a, "b", b, "c", c);
    }

    @Override
    public void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        String op = "columnSums";
        CudaTensor tx = on(op, "x", x);
        CudaTensor to = on(op, "out", out);
        Shapes.requireSize(op, "out", out, x.cols());
        int rows = x.rows();
        int cols = x.cols();
        // blockDim.y rows are summed in parallel per column; at most 32 (the kernel's shared array).
        int ry = Math.min(32, rows);
        run(op, () -> device.launch(Kernel.COLUMN_SUMS, ceilDiv(cols, 32), 32, ry,
                new KernelArgs().ptr(tx.pointer()).i(rows).i(cols).f(alpha).f(beta).ptr(to.pointer())),
                "x", x, "out", out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void biasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        String op = "biasActivation(" + f.label() + ")";
        CudaTensor tz = on(op, "z", z);
        CudaTensor tb = bias == null ? null : on(op, "bias", bias);
        CudaTensor to = on(op, "out", out);
        Shapes.requireSameShape(op, "z", z, "out", out);
        if (bias != null) {
            Shapes.requireSize(op, "bias", bias, z.cols());
        }
        int rows = z.rows();
        int cols = z.cols();
        run(op, () -> {
            CUdeviceptr biasPtr = tb == null ? null : tb.pointer();
            if (f == Activation.SOFTMAX) {
                launchRows(Kernel.SOFTMAX_ROWS, rows,
                        new KernelArgs().ptr(tz.pointer()).ptr(biasPtr).ptr(to.pointer()).i(rows).i(cols));
            } else {
                launch1d(Kernel.BIAS_ACTIVATION, z.size(), new KernelArgs().ptr(tz.pointer()).ptr(biasPtr)
                        .ptr(to.pointer()).i(rows).i(cols).i(KernelCodes.activation(f)).f(alpha));
            }
        }, "z", z, "bias", bias, "out", out);
    }

    @Override
    public void activationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        String op = "activationBackward(" + f.label() + ")";
        CudaTensor ta = on(op, "a", a);
        CudaTensor tdA = on(op, "dA", dA);
        CudaTensor tdZ = on(op, "dZ", dZ);
        Shapes.requireSameShape(op, "a", a, "dA", dA);
        Shapes.requireSameShape(op, "a", a, "dZ", dZ);
        int rows = a.rows();
        int cols = a.cols();
        run(op, () -> {
            if (f == Activation.SOFTMAX) {
                launchRows(Kernel.SOFTMAX_BACKWARD, rows,
                        new KernelArgs().ptr(ta.pointer()).ptr(tdA.pointer()).ptr(tdZ.pointer()).i(rows).i(cols));
            } else {
                launch1d(Kernel.ACTIVATION_BACKWARD, a.size(), new KernelArgs().i(KernelCodes.activation(f)).f(alpha)
                        .ptr(ta.pointer()).ptr(tdA.pointer()).ptr(tdZ.pointer()).i(a.size()));
            }
        }, "a", a, "dA", dA, "dZ", dZ);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        CudaTensor ta = on(op, "a", a);
        CudaTensor tb = on(op, "b", b);
        CudaTensor to = on(op, "out", out);
        Shapes.requireSameShape(op, "a", a, "b", b);
        Shapes.requireSameShape(op, "a", a, "out", out);
        run(op, () -> launch1d(Kernel.MULTIPLY, a.size(),
                new KernelArgs().ptr(ta.pointer()).ptr(tb.pointer()).ptr(to.pointer()).i(a.size())),
                "a", a, "b", b, "out", out);
    }

    @Override
    public void scaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        String op = "scaledDifference";
        CudaTensor ta = on(op, "a", a);
        CudaTensor tb = on(op, "b", b);
        CudaTensor to = on(op, "out", out);
        Shapes.requireSameShape(op, "a", a, "b", b);
        Shapes.requireSameShape(op, "a", a, "out", out);
        run(op, () -> launch1d(Kernel.SCALED_DIFFERENCE, a.size(),
                new KernelArgs().f(scale).ptr(ta.pointer()).ptr(tb.pointer()).ptr(to.pointer()).i(a.size())),
                "a", a, "b", b, "out", out);
    }

    /** Same masks as every other backend: the kernel runs {@link dev.nnj.api.DropoutRng} per element. */
    @Override
    public void dropoutMask(float rate, long seed, Tensor mask) {
        String op = "dropoutMask";
        CudaTensor tm = on(op, "mask", mask);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": rate must be in [0, 1), got " + rate);
        }
        float keep = 1f / (1f - rate);
        run(op, () -> launch1d(Kernel.DROPOUT_MASK, mask.size(),
                new KernelArgs().f(rate).f(keep).l(seed).ptr(tm.pointer()).i(mask.size())), "mask", mask);
    }

    // ---------------------------------------------------------------- losses and metrics

    @Override
    public void lossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        String op = "lossSum(" + kind + ")";
        CudaTensor p = on(op, "prediction", prediction);
        CudaTensor y = on(op, "target", target);
        CudaTensor o = on(op, "out", out);
        Shapes.requireSameShape(op, "prediction", prediction, "target", target);
        Shapes.requireSize(op, "out", out, 1);
        int rows = prediction.rows();
        int cols = prediction.cols();
        run(op, () -> device.launch(Kernel.LOSS_SUM, 1, REDUCE_BLOCK, 1, new KernelArgs().i(KernelCodes.loss(kind))
                .ptr(p.pointer()).ptr(y.pointer()).i(rows).i(cols).f(beta).ptr(o.pointer())),
                "prediction", prediction, "target", target, "out", out);
    }

    @Override
    public void lossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        String op = "lossGradient(" + kind + ")";
        CudaTensor p = on(op, "prediction", prediction);
        CudaTensor y = on(op, "target", target);
        CudaTensor g = on(op, "gradient", gradient);
        Shapes.requireSameShape(op, "prediction", prediction, "target", target);
        Shapes.requireSameShape(op, "prediction", prediction, "gradient", gradient);
        int rows = prediction.rows();
        int size = prediction.size();
        // The same float divisors as the CPU: (float) rows * cols and rows.
        float nc = (float) rows * prediction.cols();
        float n = rows;
        run(op, () -> launch1d(Kernel.LOSS_GRADIENT, size, new KernelArgs().i(KernelCodes.loss(kind))
                .ptr(p.pointer()).ptr(y.pointer()).ptr(g.pointer()).i(size).f(nc).f(n)),
                "prediction", prediction, "target", target, "gradient", gradient);
    }

    @Override
    public void countCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        String op = "countCorrect";
        CudaTensor p = on(op, "prediction", prediction);
        CudaTensor y = on(op, "target", target);
        CudaTensor o = on(op, "out", out);
        Shapes.requireSameShape(op, "prediction", prediction, "target", target);
        Shapes.requireSize(op, "out", out, 1);
        int rows = prediction.rows();
        int cols = prediction.cols();
        run(op, () -> device.launch(Kernel.COUNT_CORRECT, 1, REDUCE_BLOCK, 1,
                new KernelArgs().ptr(p.pointer()).ptr(y.pointer()).i(rows).i(cols).f(beta).ptr(o.pointer())),
                "prediction", prediction, "target", target, "out", out);
    }

    // ---------------------------------------------------------------- optimizer updates (in place)

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        String op = "sgdStep";
        CudaTensor p = on(op, "param", param);
        CudaTensor g = on(op, "grad", grad);
        Shapes.requireSameShape(op, "param", param, "grad", grad);
        CudaTensor v = optionalState(op, "velocity", velocity, param, momentum != 0f, "momentum != 0");
        int n = param.size();
        run(op, () -> launch1d(Kernel.SGD_STEP, n, new KernelArgs().ptr(p.pointer()).ptr(g.pointer())
                .ptr(v == null ? null : v.pointer()).i(n).f(lr).f(momentum).f(dampening).f(weightDecay)
                .i(nesterov ? 1 : 0).i(firstStep ? 1 : 0)), "param", param, "grad", grad, "velocity", velocity);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float weightDecay, boolean decoupledWeightDecay, int t) {
        String op = decoupledWeightDecay ? "adamStep(AdamW)" : "adamStep";
        CudaTensor p = on(op, "param", param);
        CudaTensor g = on(op, "grad", grad);
        CudaTensor tm = on(op, "m", m);
        CudaTensor tv = on(op, "v", v);
        Shapes.requireSameShape(op, "param", param, "grad", grad);
        Shapes.requireSameShape(op, "param", param, "m", m);
        Shapes.requireSameShape(op, "param", param, "v", v);
        if (t < 1) {
            throw new IllegalArgumentException(op + ": step t must be at least 1, got " + t);
        }
        // Bias corrections in double, rounded once, exactly as the CPU backend (and PyTorch) compute them.
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, t)));
        float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, t));
        int n = param.size();
        run(op, () -> launch1d(Kernel.ADAM_STEP, n, new KernelArgs().ptr(p.pointer()).ptr(g.pointer())
                .ptr(tm.pointer()).ptr(tv.pointer()).i(n).f(lr).f(beta1).f(beta2).f(eps).f(weightDecay)
                .i(decoupledWeightDecay ? 1 : 0).f(stepSize).f(sqrtBc2)), "param", param, "grad", grad, "m", m, "v", v);
    }

    @Override
    public void rmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr, float alpha,
                            float eps, float weightDecay, float momentum) {
        String op = "rmspropStep";
        CudaTensor p = on(op, "param", param);
        CudaTensor g = on(op, "grad", grad);
        CudaTensor s = on(op, "sq", sq);
        Shapes.requireSameShape(op, "param", param, "grad", grad);
        Shapes.requireSameShape(op, "param", param, "sq", sq);
        CudaTensor avg = gAvg == null ? null : on(op, "gAvg", gAvg);
        if (avg != null) {
            Shapes.requireSameShape(op, "param", param, "gAvg", gAvg);
        }
        CudaTensor b = optionalState(op, "buf", buf, param, momentum != 0f, "momentum != 0");
        int n = param.size();
        run(op, () -> launch1d(Kernel.RMSPROP_STEP, n, new KernelArgs().ptr(p.pointer()).ptr(g.pointer())
                .ptr(s.pointer()).ptr(avg == null ? null : avg.pointer()).ptr(b == null ? null : b.pointer()).i(n)
                .f(lr).f(alpha).f(eps).f(weightDecay).f(momentum)),
                "param", param, "grad", grad, "sq", sq, "gAvg", gAvg, "buf", buf);
    }

    @Override
    public void adagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        String op = "adagradStep";
        CudaTensor p = on(op, "param", param);
        CudaTensor g = on(op, "grad", grad);
        CudaTensor s = on(op, "sum", sum);
        Shapes.requireSameShape(op, "param", param, "grad", grad);
        Shapes.requireSameShape(op, "param", param, "sum", sum);
        int n = param.size();
        run(op, () -> launch1d(Kernel.ADAGRAD_STEP, n, new KernelArgs().ptr(p.pointer()).ptr(g.pointer())
                .ptr(s.pointer()).i(n).f(clr).f(eps).f(weightDecay)), "param", param, "grad", grad, "sum", sum);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Frees all device memory of this backend (open tensors become unusable), the kernels and the handle. */
    @Override
    public void close() {
        if (guard.isClosed()) {
            return;
        }
        guard.enter("close");
        try {
            guard.close();
            try {
                allocator.close();
            } finally {
                device.close();
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public String toString() {
        return description();
    }

    // ---------------------------------------------------------------- helpers

    private CudaTensor on(String op, String arg, Tensor t) {
        Shapes.requireOn(this, op, arg, t);
        return (CudaTensor) t;
    }

    /** A state tensor that must be present (same shape as {@code param}) exactly when {@code required}. */
    private CudaTensor optionalState(String op, String arg, Tensor t, Tensor param, boolean required, String when) {
        if (t == null) {
            if (required) {
                throw new IllegalArgumentException(op + ": '" + arg + "' is required when " + when);
            }
            return null;
        }
        CudaTensor c = on(op, arg, t);
        Shapes.requireSameShape(op, "param", param, arg, t);
        return c;
    }

    /** Elementwise launch: 256 threads per block, as many blocks as needed up to {@code 32 × SMs}. */
    private void launch1d(Kernel kernel, long n, KernelArgs args) {
        device.launch(kernel, gridFor(n, ELEMENTWISE_BLOCK), ELEMENTWISE_BLOCK, 1, args);
    }

    /** One warp per row, 8 rows per block. */
    private void launchRows(Kernel kernel, int rows, KernelArgs args) {
        device.launch(kernel, gridFor(rows, ROWS_PER_BLOCK), ROW_BLOCK, 1, args);
    }

    int gridFor(long items, int perBlock) {
        return (int) Math.max(1, Math.min(maxGrid, (items + perBlock - 1) / perBlock));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void enter(String op) {
        guard.enter(op);
    }

    private void exit() {
        try {
            if (syncEachOp && !guard.isClosed()) {
                device.synchronize();
            }
        } finally {
            guard.exit();
        }
    }

    /** Runs {@code body} inside the thread guard, turning CUDA errors into messages with the op and shapes. */
    private void run(String op, Runnable body, Object... namedTensors) {
        enter(op);
        try {
            body.run();
            if (syncEachOp) {
                device.synchronize();
            }
        } catch (CudaException e) {
            String[] names = new String[namedTensors.length / 2];
            Tensor[] tensors = new Tensor[names.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = (String) namedTensors[2 * i];
                tensors[i] = (Tensor) namedTensors[2 * i + 1];
            }
            throw CudaErrors.wrap(op, names, tensors, e);
        } finally {
            guard.exit();
        }
    }
}
