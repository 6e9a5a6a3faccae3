package dev.nnj.cpu;

import dev.nnj.api.Activation;

/** {@link VectorActivations#biasActivationRows} split by rows between threads when the tensor is large. */
final class BiasActivationTask extends RangeTask {
    private float[] z;
    private float[] bias;
    private float[] out;
    private int cols;
    private Activation f;
    private float alpha;

    BiasActivationTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
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
        VectorActivations.biasActivationRows(z, bias, cols, f, alpha, out, from, to);
    }
}
