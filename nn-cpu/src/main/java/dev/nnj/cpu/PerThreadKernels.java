package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.util.function.Supplier;

/**
 * Gives every calling thread its own {@link Kernels}, so that several threads may run ops on one backend at
 * once.
 *
 * <p>Why: the tuned kernels keep the current call's arguments and their packing buffers in fields of
 * long-lived task objects, which is what makes an op allocate nothing, and also what makes one instance
 * usable by one thread at a time. One instance per thread keeps both properties: a thread's ops allocate
 * nothing after its first call with given shapes, and two threads never share a field or a buffer. The parts
 * of a large op still run on the backend's one {@link WorkerPool}, which takes one job at a time (callers
 * queue for it); ops too small to split never touch the pool and run fully in parallel.
 *
 * <p>The cost is one {@link ThreadLocal} lookup per op (a few nanoseconds, no allocation).
 */
final class PerThreadKernels implements Kernels {
    private final ThreadLocal<Kernels> perThread;
    private final String label;

    /**
     * @param factory creates one thread's kernels (called once per calling thread, on that thread)
     */
    PerThreadKernels(Supplier<Kernels> factory) {
        Kernels first = factory.get();
        this.label = first.label();
        this.perThread = ThreadLocal.withInitial(factory);
        perThread.set(first);
    }

    /** The calling thread's kernels. */
    private Kernels mine() {
        return perThread.get();
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        mine().gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        mine().columnSums(x, rows, cols, alpha, beta, out);
    }

    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        mine().biasActivation(z, bias, rows, cols, f, alpha, out);
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        mine().activationBackward(f, alpha, a, dA, dZ, rows, cols);
    }

    @Override
    public void multiply(float[] a, float[] b, float[] out, int n) {
        mine().multiply(a, b, out, n);
    }

    @Override
    public void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        mine().scaledDifference(scale, a, b, out, n);
    }

    @Override
    public void dropoutMask(float rate, long seed, float[] mask, int n) {
        mine().dropoutMask(rate, seed, mask, n);
    }

    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        return mine().lossSum(kind, p, y, rows, cols);
    }

    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        mine().lossGradient(kind, p, y, g, rows, cols);
    }

    @Override
    public int countCorrect(float[] p, float[] y, int rows, int cols) {
        return mine().countCorrect(p, y, rows, cols);
    }

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        mine().sgdStep(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize, float sqrtBc2) {
        mine().adamStep(p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize, sqrtBc2);
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        mine().rmspropStep(p, g, sq, gAvg, buf, n, lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        mine().adagradStep(p, g, sum, n, clr, eps, weightDecay);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return mine().sumOfSquares(x, n);
    }

    @Override
    public void scale(float[] x, int n, float factor) {
        mine().scale(x, n, factor);
    }

    @Override
    public void clamp(float[] x, int n, float limit) {
        mine().clamp(x, n, limit);
    }
}
