package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import jdk.incubator.vector.FloatVector;

/**
 * The fast path on the incubating Vector API ({@code jdk.incubator.vector}): this class only dispatches each
 * op of {@link Kernels} to where it is written, by concern. Loaded only by name from {@link Vectorization},
 * so that nothing touches the Vector API when the module is absent.
 *
 * <ul>
 *   <li>{@link VectorGemm} (with {@link VectorMicroKernels}, {@link VectorTranspose}): packed GEMM;</li>
 *   <li>{@link VectorActivations}: bias + activation fused, activation backward (each activation's loops in
 *       {@link VectorActivationKernel});</li>
 *   <li>{@link VectorSoftmax}: softmax forward and backward, its two variants by row length;</li>
 *   <li>{@link VectorLosses}: loss values and gradients;</li>
 *   <li>{@link VectorReductions}: column sums (the accuracy count is the reference loop);</li>
 *   <li>{@link VectorOptimizers}: the optimizer updates;</li>
 *   <li>{@link VectorClipping}: sum of squares, scaling and clamping for gradient clipping;</li>
 *   <li>{@link SmallOps}: products and activations of one to three rows (a one-row prediction) in plain Java,
 *       with these kernels' bits, as the Vector API's code is slow and allocates until C2 has compiled it;</li>
 *   <li>{@link RangeTask} and its subclasses ({@link BiasActivationTask}, {@link ActivationBackwardTask},
 *       {@link SgdTask}, {@link AdamTask}, {@link RmspropTask}, {@link AdagradTask}): large passes split
 *       between the pool's threads, without allocating.</li>
 * </ul>
 *
 * <p>Every loop has the same shape: whole vectors of {@code L} lanes up to {@code S.loopBound(n)}, then a
 * scalar tail for the last {@code n mod L} elements, with the same formula as the lanes. {@code e^x} (sigmoid,
 * tanh, ELU, softmax) and the loss values' {@code ln x} come from {@link VectorExp} (exactly rounded operations
 * only, within a few ulp of {@link Math}), so that every kernel gives the same bits in every JIT tier. Per-row
 * work (bias, softmax) runs along the row; rows shorter than {@code L} (a 10-class output) are run as one flat
 * block, so that they still fill whole vectors.
 *
 * <p>Two ops keep the reference's plain loops: the elementwise product and the scaled difference (the softmax and
 * cross-entropy gradient {@code (p − y) / N}). HotSpot's C2 vectorizes such a loop by itself, as fast as the
 * Vector API once compiled (1.32 against 1.38 µs for 14,370 elements), and the same bits, as each element is
 * one product or one difference and one product. Before C2 has compiled it, a plain loop runs at scalar speed,
 * where Vector API code runs far slower and allocates every vector; these passes run once or twice per step, so
 * that phase lasts hundreds of steps.
 */
final class VectorKernels extends ScalarKernels {
    private final VectorGemm gemm;
    /**
     * The exponential's and logarithm's scratch ({@link ExpScratch}), one per part of a split op, each made when
     * its part first needs it. Part 0 runs on the thread that borrowed this instance, and its scratch also serves
     * the ops run whole (the losses). Owned by this instance rather than by each thread, so that a thread per
     * request finds them made; made lazily, so that an instance built for a product while every pooled one was
     * lent ({@link PooledKernels}) holds none.
     */
    private final ExpScratch[] scratchByPart;
    private final BiasActivationTask biasActivationTask;
    private final ActivationBackwardTask activationBackwardTask;
    private final SgdTask sgdTask;
    private final AdamTask adamTask;
    private final RmspropTask rmspropTask;
    private final AdagradTask adagradTask;

    VectorKernels(WorkerPool pool) {
        super(pool);
        this.gemm = new VectorGemm(pool, JitActivity::recentlyBusy);
        this.scratchByPart = new ExpScratch[pool == null ? 1 : pool.threads()];
        this.biasActivationTask = new BiasActivationTask(pool, scratchByPart);
        this.activationBackwardTask = new ActivationBackwardTask(pool);
        this.sgdTask = new SgdTask(pool);
        this.adamTask = new AdamTask(pool);
        this.rmspropTask = new RmspropTask(pool);
        this.adagradTask = new AdagradTask(pool);
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
        if (SmallOps.isSmallProduct(m, n, k)) {
            SmallOps.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
            return;
        }
        if (m > SmallOps.MAX_ROWS) {
            // A batch: the kernels' warm-up starts, and the JIT should compile them as they need (JitDirectives). A
            // row at a time, as a service predicts, never gets here, even through layers too wide for SmallOps.
            JitDirectives.installInBackground();
        }
        gemm.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        VectorReductions.columnSums(x, rows, cols, alpha, beta, out);
    }

    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        if (SmallOps.isSmallActivation(rows, cols, f)) {
            SmallOps.biasActivation(z, bias, rows, cols, f, alpha, out);
            return;
        }
        biasActivationTask.apply(z, bias, rows, cols, f, alpha, out);
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        activationBackwardTask.apply(f, alpha, a, dA, dZ, rows, cols);
    }

    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        return VectorLosses.lossSum(kind, p, y, rows, cols, ExpScratch.ofPart(scratchByPart, 0).values);
    }

    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        VectorLosses.lossGradient(kind, p, y, g, rows, cols);
    }

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        sgdTask.step(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, float lr, float beta1,
                         float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                         float sqrtBc2) {
        adamTask.step(p, g, m, v, vMax, n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize,
                sqrtBc2);
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        rmspropTask.step(p, g, sq, gAvg, buf, n, lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        adagradTask.step(p, g, sum, n, clr, eps, weightDecay);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return VectorClipping.sumOfSquares(x, n);
    }

    @Override
    public void scale(float[] x, int n, float factor) {
        VectorClipping.scale(x, n, factor);
    }

    @Override
    public void clamp(float[] x, int n, float limit) {
        VectorClipping.clamp(x, n, limit);
    }
}
