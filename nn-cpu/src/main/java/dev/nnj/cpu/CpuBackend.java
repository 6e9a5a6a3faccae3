package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.spi.AbstractBackend;
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
 * <p>Use one backend from one thread at a time, as {@link Backend} says; after the first call with given
 * shapes, ops allocate nothing.
 */
public final class CpuBackend extends AbstractBackend {

    /** System property selecting the number of worker threads; defaults to the available processors. */
    public static final String THREADS_PROPERTY = "nnj.cpu.threads";

    /**
     * System property selecting the kernels: {@code reference} for the naive loops of
     * {@link ReferenceKernels}; otherwise the tuned kernels.
     */
    public static final String KERNELS_PROPERTY = "nnj.cpu.kernels";

    /** System property: {@code false} forces the plain-Java kernels even when the Vector API is available. */
    public static final String VECTOR_PROPERTY = Vectorization.PROPERTY;

    private final int threads;
    private final WorkerPool pool;
    private final Kernels kernels;

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
        this.pool = threads > 1 ? new WorkerPool(threads, "nnj-cpu") : null;
        this.kernels = useReference() ? new ReferenceKernels() : Vectorization.create(pool);
    }

    /**
     * {@value #THREADS_PROPERTY} if set and positive, else {@link Runtime#availableProcessors()}.
     *
     * @return the thread count of a backend created by the provider
     */
    public static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the processor count
            }
            throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, got '" + value
                    + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static boolean useReference() {
        return "reference".equalsIgnoreCase(System.getProperty(KERNELS_PROPERTY, "").trim());
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
    protected void doAdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                              float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                              float sqrtBiasCorrection2) {
        kernels.adamStep(data(param), data(grad), data(m), data(v), param.size(), lr, beta1, beta2, eps,
                weightDecay, decoupledWeightDecay, stepSize, sqrtBiasCorrection2);
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

    @Override
    protected void doClose() {
        if (pool != null) {
            pool.close();
        }
    }
}
