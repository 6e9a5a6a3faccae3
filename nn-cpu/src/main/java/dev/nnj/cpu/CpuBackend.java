package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.BackendInstances;
import dev.nnj.api.ElementFunction;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;
import dev.nnj.api.spi.AbstractBackend;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * The pure-Java backend: tensors are heap {@code float[]} arrays ({@link CpuTensor}) and every op runs
 * synchronously in the calling thread, with a pool of daemon worker threads ({@link WorkerPool}) helping
 * inside the large ones.
 *
 * <p>{@link AbstractBackend} validates every op's arguments; this class only hands the raw arrays to a
 * {@link Kernels} implementation:
 * <ul>
 *   <li>the Vector API fast path ({@code VectorKernels}: packed GEMM, fused vectorised kernels) when the
 *       JVM runs with {@code --add-modules jdk.incubator.vector} and the CPU has 256-bit vectors or wider;</li>
 *   <li>otherwise the plain-Java kernels ({@link ScalarKernels}), after one warning saying how to enable
 *       the fast path;</li>
 *   <li>with {@code -Dnnj.cpu.kernels=reference}, the naive documented loops ({@link ReferenceKernels}).</li>
 * </ul>
 * System properties: {@value #THREADS_PROPERTY} (threads, default the available processors),
 * {@value #KERNELS_PROPERTY}, {@value #VECTOR_PROPERTY} ({@code false} forces the plain-Java kernels) and
 * {@code nnj.cpu.vector.bits=256} (the 256-bit kernels on a 512-bit machine, for tests).
 *
 * <p>Safe for concurrent callers (see {@link Backend}): every op borrows kernels and their scratch that no other op
 * is using ({@link PooledKernels}), so small ops from many threads run fully in parallel; the parts of a
 * large op run on the shared {@link WorkerPool}, which takes one job at a time (other callers wait for it).
 * Once the kernels have run given shapes, ops allocate nothing, from whichever thread they come. While the JIT compilers are busy (the
 * first seconds of a process) ops split over one thread fewer, leaving that core to the compilers, and after a
 * split op whose worker started late (other processes held the cores) they run on one thread for a while
 * ({@link WorkerPool#threadsNow()}); how an op is split never changes its result. The workers are daemon threads,
 * ended by {@link #close()} or, for a backend dropped without it, once the backend is unreachable (a
 * {@link java.lang.ref.Cleaner}). A tensor of another cpu backend instance is refused naming both instances.
 * Invalid property values are errors naming the property and the accepted values.
 */
public final class CpuBackend extends AbstractBackend {

    /** System property selecting the number of worker threads; defaults to the available processors. */
    public static final String THREADS_PROPERTY = "nnj.cpu.threads";

    /**
     * System property selecting the kernels: {@code reference} for the naive loops of
     * {@link ReferenceKernels}, {@code tuned} (the default) for the tuned kernels; any other value is an error.
     */
    public static final String KERNELS_PROPERTY = "nnj.cpu.kernels";

    /** System property: {@code false} forces the plain-Java kernels even when the Vector API is available. */
    public static final String VECTOR_PROPERTY = Vectorization.PROPERTY;

    private final int threads;
    private final Kernels kernels;
    /** Ends the workers when this backend is closed or dropped unclosed (the pool never refers back to it). */
    private final Cleaner.Cleanable poolRelease;

    /** A backend with {@value #THREADS_PROPERTY} threads, or one per available processor. */
    public CpuBackend() {
        this(defaultThreads());
    }

    /**
     * A backend whose ops use at most {@code threads} threads (1 = the calling thread only).
     *
     * @param threads the size of the worker pool, at least 1
     */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        BackendInstances.number(this);   // number instances in creation order, for error messages
        boolean reference = useReference();
        CpuSettings.requireVectorSettings();
        WorkerPool workers = threads > 1 ? new WorkerPool(threads, "nnj-cpu", JitActivity::busy) : null;
        this.poolRelease = workers == null ? null : workers.releaseWhenUnreachable(this, "cpu backend");
        // Each op borrows kernels no other op is using (their scratch lives in fields); as many are kept as threads
        // are likely to call at once, several per core, since platform threads beyond the cores still overlap. The
        // factory must not capture this backend, or the cleaner above would never run.
        this.kernels = new PooledKernels(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()),
                () -> reference ? new ReferenceKernels() : Vectorization.create(workers));
    }

    /**
     * {@value #THREADS_PROPERTY} if set, else {@link Runtime#availableProcessors()}.
     *
     * @return the default number of threads
     * @throws dev.nnj.api.InvalidSettingException if the property is not a whole number from 1 to 32768
     */
    public static int defaultThreads() {
        return CpuSettings.threads();
    }

    private static boolean useReference() {
        return CpuSettings.referenceKernels();
    }

    /** What the kernels in use are, for availability probes and logs. */
    static String kernelsSummary() {
        return useReference() ? "reference kernels" : Vectorization.summary();
    }

    /**
     * True when new backends use the Vector API fast path: {@code jdk.incubator.vector} is in the boot
     * layer, {@code -Dnnj.cpu.vector=false} is not set and the reference kernels are not selected.
     *
     * @return whether the Vector API kernels are in use
     */
    public static boolean vectorized() {
        return !useReference() && Vectorization.enabled();
    }

    /**
     * Number of threads the ops may use.
     *
     * @return the thread count given to the constructor
     */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu: pure Java, " + threads + (threads == 1 ? " thread, " : " threads, ") + kernels.label();
    }

    /** Tensors here are Java arrays: the budget is the heap a new allocation may take now. */
    @Override
    public long memoryBudgetBytes() {
        return dev.nnj.api.HostMemory.availableBytes();
    }

    /** The heap array of a tensor the base class has already checked to be an open tensor of this backend. */
    private static float[] data(Tensor t) {
        return ((CpuTensor) t).data();
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected Tensor doZeros(int[] shape) {
        return new CpuTensor(this, shape);
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    @Override
    protected void doFill(Tensor t, float value) {
        Arrays.fill(data(t), value);
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void doGemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, Tensor a,
                          Tensor b, float beta, Tensor c) {
        kernels.gemm(transposeA, transposeB, m, n, k, alpha, data(a), data(b), beta, data(c));
    }

    @Override
    protected void doColumnSums(Tensor x, float alpha, float beta, Tensor out) {
        kernels.columnSums(data(x), x.rows(), x.cols(), alpha, beta, data(out));
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doBiasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        kernels.biasActivation(data(z), bias == null ? null : data(bias), z.rows(), z.cols(), f, alpha, data(out));
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        kernels.activationBackward(f, alpha, data(a), data(dA), data(dZ), a.rows(), a.cols());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doMultiply(Tensor a, Tensor b, Tensor out) {
        kernels.multiply(data(a), data(b), data(out), a.size());
    }

    @Override
    protected void doScaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        kernels.scaledDifference(scale, data(a), data(b), data(out), a.size());
    }

    @Override
    protected void doDropoutMask(float rate, long seed, Tensor mask) {
        kernels.dropoutMask(rate, seed, data(mask), mask.size());
    }

    // ---------------------------------------------------------------- losses and metrics

    @Override
    protected void doLossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        float[] ho = data(out);
        double sum = kernels.lossSum(kind, data(prediction), data(target), prediction.rows(), prediction.cols());
        // beta = 0 sets, so that a NaN left in out does not survive.
        ho[0] = beta == 0f ? (float) sum : (float) (beta * (double) ho[0] + sum);
    }

    @Override
    protected void doLossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        kernels.lossGradient(kind, data(prediction), data(target), data(gradient), prediction.rows(),
                prediction.cols());
    }

    @Override
    protected void doCountCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        float[] ho = data(out);
        int count = kernels.countCorrect(data(prediction), data(target), prediction.rows(), prediction.cols());
        ho[0] = beta == 0f ? count : beta * ho[0] + count;
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    protected void doSgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                             float weightDecay, boolean nesterov, boolean firstStep) {
        kernels.sgdStep(data(param), data(grad), velocity == null ? null : data(velocity), param.size(), lr,
                momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    protected void doAdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr, float beta1,
                              float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                              float sqrtBiasCorrection2) {
        kernels.adamStep(data(param), data(grad), data(m), data(v), vMax == null ? null : data(vMax), param.size(), lr,
                beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize, sqrtBiasCorrection2);
    }

    @Override
    protected void doRmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr,
                                 float alpha, float eps, float weightDecay, float momentum) {
        kernels.rmspropStep(data(param), data(grad), data(sq), gAvg == null ? null : data(gAvg),
                buf == null ? null : data(buf), param.size(), lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    protected void doAdagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        kernels.adagradStep(data(param), data(grad), data(sum), param.size(), clr, eps, weightDecay);
    }

    // ---------------------------------------------------------------- gradient clipping

    @Override
    protected void doSumOfSquares(Tensor x, float beta, Tensor out) {
        float[] ho = data(out);
        double sum = kernels.sumOfSquares(data(x), x.size());
        ho[0] = beta == 0f ? (float) sum : (float) (beta * (double) ho[0] + sum);
    }

    /** The factor is computed in float as PyTorch does: {@code maxNorm / (total + 1e-6)}, capped at 1. */
    @Override
    protected void doClipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm) {
        float total = (float) Math.sqrt(data(sumOfSquares)[0]);
        float factor = maxNorm / (total + 1e-6f);
        kernels.scale(data(x), x.size(), factor > 1f ? 1f : factor);   // NaN passes through, as in PyTorch
    }

    @Override
    protected void doClipByValue(Tensor x, float limit) {
        kernels.clamp(data(x), x.size(), limit);
    }

    // ---------------------------------------------------------------- user-defined elementwise functions

    @Override
    protected void doMapElements(ElementFunction f, Tensor x, Tensor out) {
        UserFunctions.map(f, data(x), data(out), x.size());
    }

    @Override
    protected void doMapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out) {
        UserFunctions.map(f, scale, data(a), data(b), data(out), a.size());
    }

    @Override
    protected void doSumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out) {
        float[] ho = data(out);
        double sum = scale * UserFunctions.sum(f, data(a), data(b), a.size());
        ho[0] = beta == 0f ? (float) sum : (float) (beta * (double) ho[0] + sum);
    }

    @Override
    protected void doClose() {
        if (poolRelease != null) {
            poolRelease.clean();
        }
    }
}
