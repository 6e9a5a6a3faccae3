package dev.nnj.cpu;

/** {@link VectorOptimizers#adam} split between threads when the parameter is large. */
final class AdamTask extends RangeTask {
    private float[] p;
    private float[] g;
    private float[] m;
    private float[] v;
    private float[] vMax;
    private float lr;
    private float beta1;
    private float beta2;
    private float eps;
    private float weightDecay;
    private boolean decoupled;
    private float stepSize;
    private float sqrtBc2;

    AdamTask(WorkerPool pool) {
        super(pool, VectorGemm.L);
    }

    /**
     * One Adam / AdamW step over {@code n} parameters, as {@link Kernels#adamStep}, with the bias corrections
     * of step {@code t} already applied to the rate ({@code stepSize = lr / (1 - beta1^t)}) and given as
     * {@code sqrtBc2 = sqrt(1 - beta2^t)}; {@code vMax} null unless AMSGrad.
     */
    void step(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, float lr, float beta1, float beta2,
              float eps, float weightDecay, boolean decoupled, float stepSize, float sqrtBc2) {
        this.p = p;
        this.g = g;
        this.m = m;
        this.v = v;
        this.vMax = vMax;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.stepSize = stepSize;
        this.sqrtBc2 = sqrtBc2;
        dispatch(n, 1);
        this.p = null;
        this.g = null;
        this.m = null;
        this.v = null;
        this.vMax = null;
    }

    @Override
    void range(int part, int from, int to) {
        VectorOptimizers.adam(p, g, m, v, vMax, from, to, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize,
                sqrtBc2);
    }
}
