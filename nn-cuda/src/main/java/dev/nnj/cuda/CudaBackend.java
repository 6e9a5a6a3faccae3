package dev.nnj.cuda;

import dev.nnj.api.Activation;
import dev.nnj.api.ElementFunction;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;
import dev.nnj.api.spi.AbstractBackend;
import dev.nnj.api.spi.Checks;
import java.lang.ref.Cleaner;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * so the failing op is the one named. Shapes and ownership are checked in Java first, by
 * {@link AbstractBackend}: an out-of-bounds kernel would kill the CUDA context for the rest of the process.
 *
 * <h2>Threads</h2>
 * Safe for concurrent callers, serialised: any thread may call ops; every op first makes the context current
 * on its thread, and a call while another thread is inside an op waits for it ({@link ThreadGuard}). Concurrent
 * {@code predict}/{@code evaluate} on one model, or two threads each with its own model, are therefore
 * correct on this backend but run one op at a time. Training one model is still confined to one thread
 * (the model enforces that, see {@code Sequential}).
 *
 * <h2>Precision</h2>
 * FP32 throughout. {@code -Dnnj.cuda.tf32=true} (or {@code create(true)}) lets cuBLAS use TF32 tensor cores
 * for SGEMM: inputs rounded to a 10-bit mantissa, roughly 1e-3 relative error, several times the throughput on
 * Ampere and newer.
 */
public final class CudaBackend extends AbstractBackend {
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

    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);
    private final Device device;
    private final CachingAllocator<CUdeviceptr> allocator;
    private final ThreadGuard guard;
    private final boolean syncEachOp;
    private final int maxGrid;
    private final HostRoundTrip hostRoundTrip;
    /** Frees the device's resources once: at {@link #close()}, or when the backend becomes unreachable unclosed. */
    private final Release release;
    private final Cleaner.Cleanable releaseOnce;

    /**
     * Creates a backend on the probed device; FP32 unless {@code tf32}.
     *
     * @param tf32 whether cuBLAS may use TF32 tensor cores for matrix products (faster, 10-bit mantissa)
     * @return a new backend; the caller closes it
     */
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
        this.hostRoundTrip = new HostRoundTrip(device);
        this.release = new Release(device, allocator, guard);
        this.releaseOnce = CudaCleaner.CLEANER.register(this, release);
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

    /**
     * Device memory as the allocator sees it, in bytes.
     *
     * @param bytesInUse    held by open tensors
     * @param bytesCached   freed into the cache for reuse
     * @param bytesReserved reserved from the device: in use plus cached
     * @param liveTensors   the allocator's blocks in use, one per open tensor
     */
    public record MemoryStats(long bytesInUse, long bytesCached, long bytesReserved, int liveTensors) {
    }

    /**
     * Bytes held by open tensors ({@code bytesInUse}), bytes freed into the cache for reuse, and their sum
     * reserved from the device. {@code bytesInUse} returns to its earlier value once everything created since
     * is closed, which is what leak tests check.
     *
     * @return a snapshot of this backend's device memory accounting
     */
    public MemoryStats memoryStats() {
        CachingAllocator.Stats s = allocator.stats();
        return new MemoryStats(s.inUse(), s.cached(), s.reserved(), s.liveBlocks());
    }

    /**
     * Free device memory as the driver reports it ({@code cuMemGetInfo}), plus the blocks this backend has
     * cached for reuse, which new tensors take first.
     */
    @Override
    public long memoryBudgetBytes() {
        enter("memoryBudgetBytes");
        try {
            long free = device.memory().freeBytes();
            return free == Long.MAX_VALUE ? free : free + allocator.stats().cached();
        } finally {
            guard.exit();
        }
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
    protected Tensor doZeros(int[] shape) {
        long size = (long) (shape.length == 2 ? shape[0] : 1) * shape[shape.length - 1];
        enter("zeros");
        try {
            CachingAllocator.Block<CUdeviceptr> block = allocator.allocate(size * Float.BYTES);
            CudaTensor t = new CudaTensor(this, block, shape);
            try {
                device.zero(block.handle(), (int) size);
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
            return t;
        } catch (CudaException e) {
            throw new CudaOperationException("cuda zeros " + Checks.toString(shape) + ": " + CudaErrors.describe(e), e);
        } finally {
            exit();
        }
    }

    /** For {@code CudaTensor.copyFrom}, whose {@code checkHostRange} has checked the tensor, range and backend. */
    void upload(float[] src, int offset, CudaTensor dst) {
        run("copyFrom", () -> device.upload(src, offset, dst.pointer(), dst.size()), "tensor", dst);
    }

    /** For {@code CudaTensor.copyTo}, whose {@code checkHostRange} has checked the tensor, range and backend. */
    void download(CudaTensor src, float[] dst, int offset) {
        run("copyTo", () -> device.download(src.pointer(), dst, offset, src.size()), "tensor", src);
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        CUdeviceptr s = ptr(src);
        CUdeviceptr d = ptr(dst);
        run("copy", () -> device.copy(s, d, src.size()), "src", src, "dst", dst);
    }

    @Override
    protected void doFill(Tensor t, float value) {
        CUdeviceptr x = ptr(t);
        int n = t.size();
        run("fill", () -> launch1d(Kernel.FILL, n, new KernelArgs().ptr(x).i(n).f(value)), "t", t);
    }

    @Override
    public void synchronize() {
        run("synchronize", device::synchronize);
    }

    // ---------------------------------------------------------------- linear algebra

    /** cuBLAS SGEMM on the row-major operands, through the operand swap of {@link GemmPlan}. */
    @Override
    protected void doGemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, Tensor a,
                          Tensor b, float beta, Tensor c) {
        GemmPlan plan = GemmPlan.rowMajor(transposeA, transposeB, m, n, k);
        CUdeviceptr pa = ptr(a);
        CUdeviceptr pb = ptr(b);
        CUdeviceptr pc = ptr(c);
        run("gemm", () -> device.sgemm(plan, alpha, pb, pa, beta, pc), "a", a, "b", b, "c", c);
    }

    @Override
    protected void doColumnSums(Tensor x, float alpha, float beta, Tensor out) {
        int rows = x.rows();
        int cols = x.cols();
        // blockDim.y rows are summed in parallel per column; at most 32 (the kernel's shared array).
        int ry = Math.min(32, rows);
        CUdeviceptr px = ptr(x);
        CUdeviceptr po = ptr(out);
        run("columnSums", () -> device.launch(Kernel.COLUMN_SUMS, columnBlocks(cols), 32, ry,
                new KernelArgs().ptr(px).i(rows).i(cols).f(alpha).f(beta).ptr(po)), "x", x, "out", out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doBiasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        String op = "biasActivation(" + f.label() + ")";
        int rows = z.rows();
        int cols = z.cols();
        CUdeviceptr pz = ptr(z);
        CUdeviceptr pb = bias == null ? null : ptr(bias);
        CUdeviceptr po = ptr(out);
        run(op, () -> {
            if (f == Activation.SOFTMAX) {
                launchRows(Kernel.SOFTMAX_ROWS, rows, new KernelArgs().ptr(pz).ptr(pb).ptr(po).i(rows).i(cols));
            } else {
                launch1d(Kernel.BIAS_ACTIVATION, z.size(), new KernelArgs().ptr(pz).ptr(pb).ptr(po).i(rows).i(cols)
                        .i(KernelCodes.activation(f)).f(alpha));
            }
        }, "z", z, "bias", bias, "out", out);
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        String op = "activationBackward(" + f.label() + ")";
        int rows = a.rows();
        int cols = a.cols();
        CUdeviceptr pa = ptr(a);
        CUdeviceptr pdA = ptr(dA);
        CUdeviceptr pdZ = ptr(dZ);
        run(op, () -> {
            if (f == Activation.SOFTMAX) {
                launchRows(Kernel.SOFTMAX_BACKWARD, rows, new KernelArgs().ptr(pa).ptr(pdA).ptr(pdZ).i(rows).i(cols));
            } else {
                launch1d(Kernel.ACTIVATION_BACKWARD, a.size(), new KernelArgs().i(KernelCodes.activation(f)).f(alpha)
                        .ptr(pa).ptr(pdA).ptr(pdZ).i(a.size()));
            }
        }, "a", a, "dA", dA, "dZ", dZ);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doMultiply(Tensor a, Tensor b, Tensor out) {
        int n = a.size();
        CUdeviceptr pa = ptr(a);
        CUdeviceptr pb = ptr(b);
        CUdeviceptr po = ptr(out);
        run("multiply", () -> launch1d(Kernel.MULTIPLY, n, new KernelArgs().ptr(pa).ptr(pb).ptr(po).i(n)),
                "a", a, "b", b, "out", out);
    }

    @Override
    protected void doScaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        int n = a.size();
        CUdeviceptr pa = ptr(a);
        CUdeviceptr pb = ptr(b);
        CUdeviceptr po = ptr(out);
        run("scaledDifference", () -> launch1d(Kernel.SCALED_DIFFERENCE, n,
                new KernelArgs().f(scale).ptr(pa).ptr(pb).ptr(po).i(n)), "a", a, "b", b, "out", out);
    }

    /** Same masks as every other backend: the kernel runs {@link dev.nnj.api.spi.DropoutRng} per element. */
    @Override
    protected void doDropoutMask(float rate, long seed, Tensor mask) {
        float keep = 1f / (1f - rate);
        int n = mask.size();
        CUdeviceptr pm = ptr(mask);
        run("dropoutMask", () -> launch1d(Kernel.DROPOUT_MASK, n, new KernelArgs().f(rate).f(keep).l(seed).ptr(pm)
                .i(n)), "mask", mask);
    }

    // ---------------------------------------------------------------- losses and metrics

    @Override
    protected void doLossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        int rows = prediction.rows();
        int cols = prediction.cols();
        CUdeviceptr p = ptr(prediction);
        CUdeviceptr y = ptr(target);
        CUdeviceptr o = ptr(out);
        run("lossSum(" + kind + ")", () -> device.launch(Kernel.LOSS_SUM, 1, REDUCE_BLOCK, 1,
                new KernelArgs().i(KernelCodes.loss(kind)).ptr(p).ptr(y).i(rows).i(cols).f(beta).ptr(o)),
                "prediction", prediction, "target", target, "out", out);
    }

    @Override
    protected void doLossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        int rows = prediction.rows();
        int size = prediction.size();
        // The same float divisors as the CPU: (float) rows * cols and rows.
        float nc = (float) rows * prediction.cols();
        float n = rows;
        CUdeviceptr p = ptr(prediction);
        CUdeviceptr y = ptr(target);
        CUdeviceptr g = ptr(gradient);
        run("lossGradient(" + kind + ")", () -> launch1d(Kernel.LOSS_GRADIENT, size,
                new KernelArgs().i(KernelCodes.loss(kind)).ptr(p).ptr(y).ptr(g).i(size).f(nc).f(n)),
                "prediction", prediction, "target", target, "gradient", gradient);
    }

    @Override
    protected void doCountCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        int rows = prediction.rows();
        int cols = prediction.cols();
        CUdeviceptr p = ptr(prediction);
        CUdeviceptr y = ptr(target);
        CUdeviceptr o = ptr(out);
        run("countCorrect", () -> device.launch(Kernel.COUNT_CORRECT, 1, REDUCE_BLOCK, 1,
                new KernelArgs().ptr(p).ptr(y).i(rows).i(cols).f(beta).ptr(o)),
                "prediction", prediction, "target", target, "out", out);
    }

    // ---------------------------------------------------------------- optimizer updates (in place)

    @Override
    protected void doSgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                             float weightDecay, boolean nesterov, boolean firstStep) {
        int n = param.size();
        CUdeviceptr p = ptr(param);
        CUdeviceptr g = ptr(grad);
        CUdeviceptr v = velocity == null ? null : ptr(velocity);
        run("sgdStep", () -> launch1d(Kernel.SGD_STEP, n, new KernelArgs().ptr(p).ptr(g).ptr(v).i(n).f(lr)
                .f(momentum).f(dampening).f(weightDecay).i(nesterov ? 1 : 0).i(firstStep ? 1 : 0)),
                "param", param, "grad", grad, "velocity", velocity);
    }

    @Override
    protected void doAdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr, float beta1,
                              float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                              float sqrtBc2) {
        String op = decoupledWeightDecay ? "adamStep(AdamW)" : "adamStep";
        int n = param.size();
        CUdeviceptr p = ptr(param);
        CUdeviceptr g = ptr(grad);
        CUdeviceptr pm = ptr(m);
        CUdeviceptr pv = ptr(v);
        CUdeviceptr pMax = vMax == null ? null : ptr(vMax);
        run(op, () -> launch1d(Kernel.ADAM_STEP, n, new KernelArgs().ptr(p).ptr(g).ptr(pm).ptr(pv).ptr(pMax).i(n)
                .f(lr).f(beta1).f(beta2).f(eps).f(weightDecay).i(decoupledWeightDecay ? 1 : 0).f(stepSize)
                .f(sqrtBc2)), "param", param, "grad", grad, "m", m, "v", v, "vMax", vMax);
    }

    @Override
    protected void doRmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr,
                                 float alpha, float eps, float weightDecay, float momentum) {
        int n = param.size();
        CUdeviceptr p = ptr(param);
        CUdeviceptr g = ptr(grad);
        CUdeviceptr s = ptr(sq);
        CUdeviceptr avg = gAvg == null ? null : ptr(gAvg);
        CUdeviceptr b = buf == null ? null : ptr(buf);
        run("rmspropStep", () -> launch1d(Kernel.RMSPROP_STEP, n, new KernelArgs().ptr(p).ptr(g).ptr(s).ptr(avg)
                .ptr(b).i(n).f(lr).f(alpha).f(eps).f(weightDecay).f(momentum)),
                "param", param, "grad", grad, "sq", sq, "gAvg", gAvg, "buf", buf);
    }

    @Override
    protected void doAdagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        int n = param.size();
        CUdeviceptr p = ptr(param);
        CUdeviceptr g = ptr(grad);
        CUdeviceptr s = ptr(sum);
        run("adagradStep", () -> launch1d(Kernel.ADAGRAD_STEP, n, new KernelArgs().ptr(p).ptr(g).ptr(s).i(n)
                .f(clr).f(eps).f(weightDecay)), "param", param, "grad", grad, "sum", sum);
    }

    // ---------------------------------------------------------------- gradient clipping

    @Override
    protected void doSumOfSquares(Tensor x, float beta, Tensor out) {
        int n = x.size();
        CUdeviceptr px = ptr(x);
        CUdeviceptr po = ptr(out);
        run("sumOfSquares", () -> device.launch(Kernel.SUM_OF_SQUARES, 1, REDUCE_BLOCK, 1,
                new KernelArgs().ptr(px).i(n).f(beta).ptr(po)), "x", x, "out", out);
    }

    /** The factor is computed by every thread from the squared norm on the device: no host round trip. */
    @Override
    protected void doClipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm) {
        int n = x.size();
        CUdeviceptr px = ptr(x);
        CUdeviceptr ps = ptr(sumOfSquares);
        run("clipByNorm", () -> launch1d(Kernel.CLIP_BY_NORM, n, new KernelArgs().ptr(px).ptr(ps).i(n).f(maxNorm)),
                "x", x, "sumOfSquares", sumOfSquares);
    }

    @Override
    protected void doClipByValue(Tensor x, float limit) {
        int n = x.size();
        CUdeviceptr px = ptr(x);
        run("clipByValue", () -> launch1d(Kernel.CLIP_BY_VALUE, n, new KernelArgs().ptr(px).i(n).f(limit)), "x", x);
    }

    // ---------------------------------------------------------------- user-defined elementwise functions
    // A Java function cannot run in a kernel, so these copy to the host, apply it there and copy back
    // (HostRoundTrip). Built-in activations and losses never take this path.

    @Override
    protected void doMapElements(ElementFunction f, Tensor x, Tensor out) {
        run("mapElements", () -> hostRoundTrip.map(f, ptr(x), ptr(out), x.size()), "x", x, "out", out);
    }

    @Override
    protected void doMapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out) {
        run("mapPairs", () -> hostRoundTrip.map(f, scale, ptr(a), ptr(b), ptr(out), a.size()),
                "a", a, "b", b, "out", out);
    }

    @Override
    protected void doSumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out) {
        run("sumPairs", () -> hostRoundTrip.sum(f, scale, ptr(a), ptr(b), beta, ptr(out), a.size()),
                "a", a, "b", b, "out", out);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Frees all device memory of this backend (open tensors become unusable), the kernels and the handle. */
    @Override
    protected void doClose() {
        release.byClose = true;
        releaseOnce.clean();   // runs the release here, once; a fault it reports is thrown to the caller
    }

    /**
     * The release of a backend's device memory, kernels, cuBLAS handle and context, as a cleaning action: it holds
     * the parts, never the backend, so that an unclosed backend still becomes unreachable. A backend nobody closed
     * would otherwise keep its context retained and its memory allocated for the life of the JVM, and a fault in
     * it would stay with the device's shared primary context; so the cleaner's thread releases it, with a warning
     * that it should have been closed.
     */
    private static final class Release implements Runnable {
        private final Device device;
        private final CachingAllocator<CUdeviceptr> allocator;
        private final ThreadGuard guard;
        volatile boolean byClose;

        Release(Device device, CachingAllocator<CUdeviceptr> allocator, ThreadGuard guard) {
            this.device = device;
            this.allocator = allocator;
            this.guard = guard;
        }

        @Override
        public void run() {
            if (byClose) {
                release();
                return;
            }
            // Released first, said after: the warning may fail (the class loader that loaded nnj closed, an
            // application undeployed without closing its backend), and the device's memory must go back regardless.
            String where = device.description();
            String reserved = CachingAllocator.bytes(allocator.stats().reserved());
            Throwable failed = null;
            try {
                release();
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            try {
                LOG.warn("A cuda backend on {} was never closed; its device memory ({}), kernels and cuBLAS handle are"
                        + " released now that it is unreachable. Close each backend (try-with-resources) to release"
                        + " them at once", where, reserved);
                if (failed != null) {
                    LOG.warn("Releasing an unclosed cuda backend failed: {}", failed.toString());
                }
            } catch (RuntimeException | LinkageError e) {
                // The logger's classes could not load: nothing can be said.
            }
        }

        private void release() {
            if (guard.isClosed()) {
                return;
            }
            guard.enter("close");   // on the cleaner's thread too: the context must be current there
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
    }

    // ---------------------------------------------------------------- helpers

    /** The device pointer of a tensor the base class has already checked to be an open tensor of this backend. */
    private static CUdeviceptr ptr(Tensor t) {
        return ((CudaTensor) t).pointer();
    }

    /** Elementwise launch: 256 threads per block, as many blocks as needed up to {@code 32 × SMs}. */
    private void launch1d(Kernel kernel, long n, KernelArgs args) {
        device.launch(kernel, gridFor(n, ELEMENTWISE_BLOCK), ELEMENTWISE_BLOCK, 1, args);
    }

    /** One warp per row, 8 rows per block. */
    private void launchRows(Kernel kernel, int rows, KernelArgs args) {
        device.launch(kernel, gridFor(rows, ROWS_PER_BLOCK), ROW_BLOCK, 1, args);
    }

    /** Grid-stride launches: {@code ceil(items / perBlock)} blocks, at least 1, at most {@code 32 × SMs}. */
    int gridFor(long items, int perBlock) {
        return (int) Math.max(1, Math.min(maxGrid, (items + perBlock - 1) / perBlock));
    }

    /**
     * Blocks of the column-sums launch: one per 32 columns, {@code ceil(cols / 32)}, for {@code 1 <= cols <=
     * Integer.MAX_VALUE}. The sum is taken in long: in int, {@code cols + 31} wraps negative for cols above
     * {@code 2^31 - 32}. The result is at most {@code 2^26}, well within gridDim.x's limit of {@code 2^31 - 1}.
     */
    static int columnBlocks(int cols) {
        return (int) ((cols + 31L) / 32);
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
