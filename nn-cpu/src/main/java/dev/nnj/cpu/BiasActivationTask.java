package dev.nnj.cpu;

import dev.nnj.api.Activation;

/** {@link VectorActivations#biasActivationRows} split by rows between threads when the tensor is large. */
final class BiasActivationTask extends RangeTask {
    /** The exponential's scratch of each part, its kernels instance's ({@link ExpScratch#ofPart}). */
    private final ExpScratch[] scratchByPart;
    private float[] z;
    private float[] bias;
    private float[] out;
    private int cols;
    private Activation f;
    private float alpha;

    /**
     * @param pool          the threads to split between; null runs everything on the caller
     * @param scratchByPart one slot per thread of the pool (one without), shared with the other ops of the same
     *                      kernels instance, which never run at the same time
     */
    BiasActivationTask(WorkerPool pool, ExpScratch[] scratchByPart) {
        super(pool, VectorGemm.L);
        this.scratchByPart = scratchByPart;
    }

    /** {@code out[i, j] = f(z[i, j] + bias[j])}, as {@link Kernels#biasActivation}. */
    void apply(float[] z, float[] bias, int rows, int cols, Activation f, float alpha, float[] out) {
        this.z = z;
        this.bias = bias;
        this.cols = cols;
        this.f = f;
        this.alpha = alpha;
        this.out = out;
        dispatch(rows, cols);
        this.z = null;
        this.bias = null;
        this.out = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorActivations.biasActivationRows(z, bias, cols, f, alpha, out, from, to,
                ExpScratch.ofPart(scratchByPart, part));
    }
}
