package dev.nnj.cpu;

/** {@link VectorOptimizers#sgd} split between threads when the parameter is large. */
final class SgdTask extends RangeTask {
    private float[] p;
    private float[] g;
    private float[] buf;
    private float lr;
    private float momentum;
    private float dampening;
    private float weightDecay;
    private boolean nesterov;
    private boolean firstStep;

    SgdTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
    }

    /** One SGD step over {@code n} parameters, as {@link Kernels#sgdStep}. */
    void step(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
              float weightDecay, boolean nesterov, boolean firstStep) {
        this.p = p;
        this.g = g;
        this.buf = buf;
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.firstStep = firstStep;
        dispatch(n, 1);
        this.p = null;
        this.g = null;
        this.buf = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorOptimizers.sgd(p, g, buf, from, to, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }
}
