package dev.nnj.cpu;

/** {@link VectorOptimizers#rmsprop} split between threads when the parameter is large. */
final class RmspropTask extends RangeTask {
    private float[] p;
    private float[] g;
    private float[] sq;
    private float[] gAvg;
    private float[] buf;
    private float lr;
    private float alpha;
    private float eps;
    private float weightDecay;
    private float momentum;

    RmspropTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
    }

    /** One RMSProp step over {@code n} parameters, as {@link Kernels#rmspropStep}. */
    void step(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr, float alpha, float eps,
              float weightDecay, float momentum) {
        this.p = p;
        this.g = g;
        this.sq = sq;
        this.gAvg = gAvg;
        this.buf = buf;
        this.lr = lr;
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        dispatch(n, 1);
        this.p = null;
        this.g = null;
        this.sq = null;
        this.gAvg = null;
        this.buf = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorOptimizers.rmsprop(p, g, sq, gAvg, buf, from, to, lr, alpha, eps, weightDecay, momentum);
    }
}
