package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;

/**
 * The CPU backend's ops on raw row-major arrays, after {@link CpuBackend} has validated shapes and
 * ownership. Each method has exactly the semantics of the {@link dev.nnj.api.Backend} op of the same name;
 * a matrix is passed as its array plus {@code (rows, cols)}.
 *
 * <p>Implementations: {@link ReferenceKernels} (naive loops, the documented reference: each loop is an op's
 * equation, written as its Javadoc states it; the other two extend it, so its loops also run where they add nothing
 * faster), {@link ScalarKernels}
 * (blocked multithreaded GEMM in plain Java, reference loops for the rest) and {@code VectorKernels}
 * (packed GEMM and fused vectorised kernels on the incubating Vector API, split between threads when
 * large; loaded by name only when {@code jdk.incubator.vector} is present, see {@link Vectorization}).
 * Implementations must not allocate per call: a training step reuses everything after its first batch.
 */
interface Kernels {

    /** For {@link CpuBackend#description()}: "reference kernels", "scalar kernels", "Vector API fast path (512-bit)". */
    String label();

    /** {@code c = alpha · op(a) · op(b) + beta · c}; {@code op(a)} is {@code (m, k)}, {@code op(b)} {@code (k, n)}. */
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
              float beta, float[] c);

    /** {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]} ({@code beta = 0} sets). */
    void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out);

    /** {@code out[i, j] = f(z[i, j] + bias[j])}; {@code bias} may be null; {@code out} may be {@code z}. */
    void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha, float[] out);

    /** {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)}; SOFTMAX row-wise. */
    void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows, int cols);

    /** {@code out = a ⊙ b} over {@code n} elements. */
    void multiply(float[] a, float[] b, float[] out, int n);

    /**
     * {@code out = scale · (a - b)} over {@code n} elements, a subnormal result flushed to 0 (as the Backend op
     * allows: see {@link ReferenceKernels#scaledDifference}).
     */
    void scaledDifference(float scale, float[] a, float[] b, float[] out, int n);

    /** {@code mask[i] = 1 / (1 - rate)} where {@code DropoutRng.uniform(seed, i) >= rate}, else 0. */
    void dropoutMask(float rate, long seed, float[] mask, int n);

    /** {@code Σ_i ℓ_i} of {@link LossKind} over the rows, returned (the caller applies {@code beta}). */
    double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols);

    /** Gradient of the mean loss with respect to {@code p} (sets {@code g}). */
    void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols);

    /** Number of correctly classified rows. */
    int countCorrect(float[] p, float[] y, int rows, int cols);

    /** SGD with momentum, dampening, weight decay and Nesterov, as {@code torch.optim.SGD}. */
    void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                 float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * Adam / AdamW, as {@code torch.optim.Adam} / {@code AdamW}, with the step's bias corrections from the
     * optimizer: {@code stepSize = lr / (1 - β1^t)}, {@code sqrtBc2 = √(1 - β2^t)}; {@code vMax} null unless AMSGrad.
     */
    void adamStep(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, float lr, float beta1, float beta2,
                  float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize, float sqrtBc2);

    /** RMSProp, as {@code torch.optim.RMSprop}; {@code gAvg} null unless centered, {@code buf} null without momentum. */
    void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr, float alpha,
                     float eps, float weightDecay, float momentum);

    /** AdaGrad with the caller's decayed rate {@code clr}, as {@code torch.optim.Adagrad}. */
    void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay);

    /**
     * {@code Σ x[i]²} over {@code [0, n)}, accumulated in double (the vector kernels in float blocks).
     *
     * @param x the elements
     * @param n how many
     * @return the sum of squares
     */
    double sumOfSquares(float[] x, int n);

    /**
     * {@code x[i] ← factor · x[i]} over {@code [0, n)}: the scaling step of norm clipping.
     *
     * @param x the elements, scaled in place
     * @param n how many
     * @param factor the factor
     */
    void scale(float[] x, int n, float factor);

    /**
     * {@code x[i] ← min(max(x[i], -limit), limit)} over {@code [0, n)}; NaN stays NaN.
     *
     * @param x the elements, clamped in place
     * @param n how many
     * @param limit the largest magnitude
     */
    void clamp(float[] x, int n, float limit);
}
