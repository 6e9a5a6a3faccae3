package dev.nnj.cpu;

import dev.nnj.api.Activation;

/** {@link VectorActivations#activationBackwardRows} split by rows between threads when the tensor is large. */
final class ActivationBackwardTask extends RangeTask {
    private float[] a;
    private float[] dA;
    private float[] dZ;
    private int cols;
    private Activation f;
    private float alpha;

    ActivationBackwardTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
    }

    /** {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)}, as {@link Kernels#activationBackward}. */
    void apply(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows, int cols) {
        this.f = f;
        this.alpha = alpha;
        this.a = a;
        this.dA = dA;
        this.dZ = dZ;
        this.cols = cols;
        dispatch(rows, cols);
        this.a = null;
        this.dA = null;
        this.dZ = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorActivations.activationBackwardRows(f, alpha, a, dA, dZ, cols, from, to);
    }
}
