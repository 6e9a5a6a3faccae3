package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.BackendInstances;
import dev.nnj.api.LossKind;
import dev.nnj.api.Shapes;
import dev.nnj.api.Tensor;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * The pure-Java backend: tensors are heap {@code float[]} arrays ({@link CpuTensor}) and every op runs
 * synchronously in the calling thread, with a pool of daemon worker threads ({@link WorkerPool}) helping
 * inside the large ones.
 *
 * <p>This class only validates arguments (with {@link Shapes}, so a bad call names the argument and both
 * shapes) and hands raw arrays to a {@link Kernels} implementation:
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
 * <p>Safe for concurrent callers (see {@link Backend}): every calling thread gets its own kernels and their
 * scratch ({@link PerThreadKernels}), so small ops from many threads run fully in parallel; the parts of a
 * large op run on the shared {@link WorkerPool}, which takes one job at a time (other callers wait for it).
 * After a thread's first call with given shapes, its ops allocate nothing. The workers are daemon threads,
 * ended by {@link #close()} or, for a backend dropped without it, once the backend is unreachable (a
 * {@link java.lang.ref.Cleaner}). A tensor of another cpu backend instance is refused naming both instances.
 * Invalid property values are errors naming the property and the accepted values.
 */
public final class CpuBackend implements Backend {

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
    private volatile boolean closed;

    /** A backend with {@value #THREADS_PROPERTY} threads, or one per available processor. */
    public CpuBackend() {
        this(defaultThreads());
    }

    /** A backend whose ops use at most {@code threads} threads (1 = the calling thread only). */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        BackendInstances.number(this);   // number instances in creation order, for error messages
        WorkerPool workers = threads > 1 ? new WorkerPool(threads, "nnj-cpu") : null;
        this.poolRelease = workers == null ? null : workers.releaseWhenUnreachable(this);
        boolean reference = useReference();
        // Each calling thread gets its own kernels (their scratch lives in fields); the factory must not
        // capture this backend, or the cleaner above would never run.
        this.kernels = new PerThreadKernels(() -> reference ? new ReferenceKernels() : Vectorization.create(workers));
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
     */
    public static boolean vectorized() {
        return !useReference() && Vectorization.enabled();
    }

    /** Number of threads the ops may use. */
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

    // ---------------------------------------------------------------- validation helpers

    /** Checks ownership and open state, then returns the storage. */
    private float[] data(String op, String arg, Tensor t) {
        if (closed) {
            throw new IllegalStateException(op + ": the cpu backend is closed");
        }
        Shapes.requireOn(this, op, arg, t);
        return ((CpuTensor) t).data();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Tensor zeros(int... shape) {
        if (closed) {
            throw new IllegalStateException("zeros: the cpu backend is closed");
        }
        return new CpuTensor(this, shape);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        float[] s = data("copy", "src", src);
        float[] d = data("copy", "dst", dst);
        Shapes.requireSize("copy", "dst", dst, src.size());
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override
    public void fill(Tensor t, float value) {
        Arrays.fill(data("fill", "t", t), value);
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Tensor a, Tensor b, float beta,
                     Tensor c) {
        float[] ha = data("gemm", "a", a);
        float[] hb = data("gemm", "b", b);
        float[] hc = data("gemm", "c", c);
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(a) is (" + m + ", " + k
                    + ") from 'a' " + Shapes.toString(a.shape()) + (transposeA ? " transposed" : "")
                    + ", op(b) is (" + kb + ", " + n + ") from 'b' " + Shapes.toString(b.shape())
                    + (transposeB ? " transposed" : ""));
        }
        Shapes.requireMatrix("gemm", "c", c, m, n);
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: 'c' " + Shapes.toString(c.shape())
                    + " must not be the same tensor as " + (c == a ? "'a'" : "'b'"));
        }
        kernels.gemm(transposeA, transposeB, m, n, k, alpha, ha, hb, beta, hc);
    }

    @Override
    public void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        float[] hx = data("columnSums", "x", x);
        float[] ho = data("columnSums", "out", out);
        Shapes.requireSize("columnSums", "out", out, x.cols());
        kernels.columnSums(hx, x.rows(), x.cols(), alpha, beta, ho);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void biasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        if (f == null) {
            throw new NullPointerException("biasActivation: activation is null");
        }
        float[] hz = data("biasActivation", "z", z);
        float[] hb = null;
        if (bias != null) {
            hb = data("biasActivation", "bias", bias);
            Shapes.requireSize("biasActivation", "bias", bias, z.cols());
        }
        float[] ho = data("biasActivation", "out", out);
        Shapes.requireSameShape("biasActivation", "z", z, "out", out);
        kernels.biasActivation(hz, hb, z.rows(), z.cols(), f, alpha, ho);
    }

    @Override
    public void activationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        if (f == null) {
            throw new NullPointerException("activationBackward: activation is null");
        }
        float[] ha = data("activationBackward", "a", a);
        float[] hdA = data("activationBackward", "dA", dA);
        float[] hdZ = data("activationBackward", "dZ", dZ);
        Shapes.requireSameShape("activationBackward", "a", a, "dA", dA);
        Shapes.requireSameShape("activationBackward", "a", a, "dZ", dZ);
        kernels.activationBackward(f, alpha, ha, hdA, hdZ, a.rows(), a.cols());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        float[] ha = data("multiply", "a", a);
        float[] hb = data("multiply", "b", b);
        float[] ho = data("multiply", "out", out);
        Shapes.requireSameShape("multiply", "a", a, "b", b);
        Shapes.requireSameShape("multiply", "a", a, "out", out);
        kernels.multiply(ha, hb, ho, a.size());
    }

    @Override
    public void scaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        float[] ha = data("scaledDifference", "a", a);
        float[] hb = data("scaledDifference", "b", b);
        float[] ho = data("scaledDifference", "out", out);
        Shapes.requireSameShape("scaledDifference", "a", a, "b", b);
        Shapes.requireSameShape("scaledDifference", "a", a, "out", out);
        kernels.scaledDifference(scale, ha, hb, ho, a.size());
    }

    @Override
    public void dropoutMask(float rate, long seed, Tensor mask) {
        float[] hm = data("dropoutMask", "mask", mask);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropoutMask: rate must be in [0, 1), got " + rate);
        }
        kernels.dropoutMask(rate, seed, hm, mask.size());
    }

    // ---------------------------------------------------------------- losses and metrics

    @Override
    public void lossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        if (kind == null) {
            throw new NullPointerException("lossSum: loss kind is null");
        }
        float[] hp = data("lossSum", "prediction", prediction);
        float[] hy = data("lossSum", "target", target);
        float[] ho = data("lossSum", "out", out);
        Shapes.requireSameShape("lossSum", "prediction", prediction, "target", target);
        Shapes.requireSize("lossSum", "out", out, 1);
        double sum = kernels.lossSum(kind, hp, hy, prediction.rows(), prediction.cols());
        // beta = 0 sets, so that a NaN left in out does not survive.
        ho[0] = beta == 0f ? (float) sum : (float) (beta * (double) ho[0] + sum);
    }

    @Override
    public void lossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        if (kind == null) {
            throw new NullPointerException("lossGradient: loss kind is null");
        }
        float[] hp = data("lossGradient", "prediction", prediction);
        float[] hy = data("lossGradient", "target", target);
        float[] hg = data("lossGradient", "gradient", gradient);
        Shapes.requireSameShape("lossGradient", "prediction", prediction, "target", target);
        Shapes.requireSameShape("lossGradient", "prediction", prediction, "gradient", gradient);
        kernels.lossGradient(kind, hp, hy, hg, prediction.rows(), prediction.cols());
    }

    @Override
    public void countCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        float[] hp = data("countCorrect", "prediction", prediction);
        float[] hy = data("countCorrect", "target", target);
        float[] ho = data("countCorrect", "out", out);
        Shapes.requireSameShape("countCorrect", "prediction", prediction, "target", target);
        Shapes.requireSize("countCorrect", "out", out, 1);
        int count = kernels.countCorrect(hp, hy, prediction.rows(), prediction.cols());
        ho[0] = beta == 0f ? count : beta * ho[0] + count;
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        float[] hp = data("sgdStep", "param", param);
        float[] hg = data("sgdStep", "grad", grad);
        Shapes.requireSameShape("sgdStep", "param", param, "grad", grad);
        float[] hv = null;
        if (momentum != 0f) {
            if (velocity == null) {
                throw new IllegalArgumentException("sgdStep: 'velocity' is required when momentum = " + momentum);
            }
            hv = data("sgdStep", "velocity", velocity);
            Shapes.requireSameShape("sgdStep", "param", param, "velocity", velocity);
        }
        kernels.sgdStep(hp, hg, hv, param.size(), lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupledWeightDecay, int t) {
        float[] hp = data("adamStep", "param", param);
        float[] hg = data("adamStep", "grad", grad);
        float[] hm = data("adamStep", "m", m);
        float[] hv = data("adamStep", "v", v);
        Shapes.requireSameShape("adamStep", "param", param, "grad", grad);
        Shapes.requireSameShape("adamStep", "param", param, "m", m);
        Shapes.requireSameShape("adamStep", "param", param, "v", v);
        if (t < 1) {
            throw new IllegalArgumentException("adamStep: step t must be at least 1, got " + t);
        }
        kernels.adamStep(hp, hg, hm, hv, param.size(), lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay,
                t);
    }

    @Override
    public void rmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr, float alpha,
                            float eps, float weightDecay, float momentum) {
        float[] hp = data("rmspropStep", "param", param);
        float[] hg = data("rmspropStep", "grad", grad);
        float[] hs = data("rmspropStep", "sq", sq);
        Shapes.requireSameShape("rmspropStep", "param", param, "grad", grad);
        Shapes.requireSameShape("rmspropStep", "param", param, "sq", sq);
        float[] ha = null;
        if (gAvg != null) {
            ha = data("rmspropStep", "gAvg", gAvg);
            Shapes.requireSameShape("rmspropStep", "param", param, "gAvg", gAvg);
        }
        float[] hb = null;
        if (momentum != 0f) {
            if (buf == null) {
                throw new IllegalArgumentException("rmspropStep: 'buf' is required when momentum = " + momentum);
            }
            hb = data("rmspropStep", "buf", buf);
            Shapes.requireSameShape("rmspropStep", "param", param, "buf", buf);
        }
        kernels.rmspropStep(hp, hg, hs, ha, hb, param.size(), lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    public void adagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        float[] hp = data("adagradStep", "param", param);
        float[] hg = data("adagradStep", "grad", grad);
        float[] hs = data("adagradStep", "sum", sum);
        Shapes.requireSameShape("adagradStep", "param", param, "grad", grad);
        Shapes.requireSameShape("adagradStep", "param", param, "sum", sum);
        kernels.adagradStep(hp, hg, hs, param.size(), clr, eps, weightDecay);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (poolRelease != null) {
                poolRelease.clean();
            }
        }
    }
}
