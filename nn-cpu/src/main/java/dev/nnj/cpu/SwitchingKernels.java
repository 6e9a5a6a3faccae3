package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.util.function.BooleanSupplier;

/**
 * The kernels a new backend uses while the Vector API kernels are being compiled: each op runs on the
 * plain-Java kernels ({@link ScalarKernels}, which HotSpot compiles in milliseconds) until
 * {@link KernelWarmup} reports the Vector API kernels compiled, and on those from then on. The check is one
 * volatile read per op, and after the switch one plain field.
 *
 * <p>Both are correct implementations of every op (the conformance suite runs on each); their results
 * differ in the last bits (fused multiply-adds, summation order, the vector exponential), so a training run
 * whose switch falls at a different op ends a few ulps apart. {@code -Dnnj.cpu.warmup=false} gives the
 * Vector API kernels from the first op for runs that must repeat bit for bit (as before, the very first
 * ops are then computed by interpreted code, which is exact but slow).
 */
final class SwitchingKernels implements Kernels {
    private final Kernels vector;
    private final BooleanSupplier ready;
    /** The kernels in use: {@code scalar} until the warm-up is done. */
    private Kernels current;
    private boolean switched;

    /**
     * @param scalar the kernels until the switch
     * @param vector the kernels after it
     * @param ready  true once {@code vector} should be used ({@link KernelWarmup#done}); asked before each op
     *               until it says so, never after
     */
    SwitchingKernels(Kernels scalar, Kernels vector, BooleanSupplier ready) {
        this.vector = vector;
        this.ready = ready;
        this.current = scalar;
    }

    /** The kernels for the next op: one volatile read until the switch, none after. */
    private Kernels k() {
        if (!switched && ready.getAsBoolean()) {
            switched = true;
            current = vector;
        }
        return current;
    }

    /** True once the ops run on the Vector API kernels. */
    boolean switched() {
        return switched;
    }

    @Override
    public String label() {
        return vector.label();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        k().gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        k().columnSums(x, rows, cols, alpha, beta, out);
    }

    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        k().biasActivation(z, bias, rows, cols, f, alpha, out);
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        k().activationBackward(f, alpha, a, dA, dZ, rows, cols);
    }

    @Override
    public void multiply(float[] a, float[] b, float[] out, int n) {
        k().multiply(a, b, out, n);
    }

    @Override
    public void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        k().scaledDifference(scale, a, b, out, n);
    }

    @Override
    public void dropoutMask(float rate, long seed, float[] mask, int n) {
        k().dropoutMask(rate, seed, mask, n);
    }

    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        return k().lossSum(kind, p, y, rows, cols);
    }

    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        k().lossGradient(kind, p, y, g, rows, cols);
    }

    @Override
    public int countCorrect(float[] p, float[] y, int rows, int cols) {
        return k().countCorrect(p, y, rows, cols);
    }

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        k().sgdStep(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize, float sqrtBc2) {
        k().adamStep(p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize, sqrtBc2);
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        k().rmspropStep(p, g, sq, gAvg, buf, n, lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        k().adagradStep(p, g, sum, n, clr, eps, weightDecay);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return k().sumOfSquares(x, n);
    }

    @Override
    public void scale(float[] x, int n, float factor) {
        k().scale(x, n, factor);
    }

    @Override
    public void clamp(float[] x, int n, float limit) {
        k().clamp(x, n, limit);
    }
}
