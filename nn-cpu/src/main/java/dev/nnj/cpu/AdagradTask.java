package dev.nnj.cpu;

/** {@link VectorOptimizers#adagrad} split between threads when the parameter is large. */
final class AdagradTask extends RangeTask {
    private float[] p;
    private float[] g;
    private float[] sum;
    private float clr;
    private float eps;
    private float weightDecay;

    AdagradTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
    }

    /** One AdaGrad step over {@code n} parameters with the decayed rate {@code clr}, as {@link Kernels#adagradStep}. */
    void step(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        this.p = p;
        this.g = g;
        this.sum = sum;
        this.clr = clr;
        this.eps = eps;
        this.weightDecay = weightDecay;
        dispatch(n, 1);
        this.p = null;
        this.g = null;
        this.sum = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorOptimizers.adagrad(p, g, sum, from, to, clr, eps, weightDecay);
    }
}
