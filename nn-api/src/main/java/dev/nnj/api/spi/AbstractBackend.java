package dev.nnj.api.spi;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.ElementFunction;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;

/**
 * The base of every backend: each public op of {@link Backend} validates its arguments here, once, and then
 * calls a protected {@code do…} hook that the backend implements with its own kernels. Because the checks
 * live in one place, a bad call fails with the same exception and the same message on every backend, before
 * any kernel runs (an out-of-bounds write on a GPU would kill its context for the rest of the process).
 *
 * <h2>What is checked before a hook runs</h2>
 * <ul>
 *   <li>the backend is open ({@link IllegalStateException} otherwise);</li>
 *   <li>every tensor argument is non-null (unless the op documents it as optional), was created by
 *       <em>this</em> backend instance, and is open ({@link Checks#requireOn});</li>
 *   <li>shapes agree as the op's Javadoc in {@link Backend} says, with the argument names and both shapes in
 *       the message ({@link IllegalArgumentException});</li>
 *   <li>aliasing: {@code gemm}'s {@code c} is neither {@code a} nor {@code b};</li>
 *   <li>scalar bounds: dropout {@code rate} in {@code [0, 1)}, Adam's bias corrections; enum arguments
 *       non-null;</li>
 *   <li>optional optimizer state is present exactly when the hyper-parameters need it, and then has
 *       {@code param}'s shape.</li>
 * </ul>
 *
 * <h2>What a hook may assume</h2>
 * Every tensor it receives is open and owned by this backend, so it may cast it to its own tensor class;
 * shapes are consistent; optional state it is not meant to use is passed as {@code null}. Hooks only
 * dispatch: they neither validate again nor allocate on the training path.
 *
 * <p>{@link #copy} with {@code src == dst} returns after the checks without calling {@link #doCopy}.
 */
public abstract class AbstractBackend implements Backend {
    /** Volatile: {@link #isClosed()} is asked from other threads (a health check polling it saw no close). */
    private volatile boolean closed;

    /** Creates an open backend. */
    protected AbstractBackend() {
    }

    // ---------------------------------------------------------------- checks

    /**
     * Throws {@link IllegalStateException} if {@link #close()} has run.
     *
     * @param op the op's name, for the message
     */
    protected final void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the " + name() + " backend is closed");
        }
    }

    /**
     * Checks that this backend is open and that {@code t} is a non-null, open tensor of this backend instance.
     * Backends call it for their own entry points outside {@link Backend} that take a tensor; host copies need
     * not: {@link AbstractTensor#checkHostRange} checks the tensor and this backend.
     *
     * @param op the op's name, for the message
     * @param arg the argument's name, for the message
     * @param t the tensor to check
     */
    protected final void requireOwned(String op, String arg, Tensor t) {
        requireOpen(op);
        Checks.requireOn(this, op, arg, t);
    }

    /**
     * True once {@link #close()} has completed.
     *
     * @return whether this backend is closed
     */
    @Override
    public final boolean isClosed() {
        return closed;
    }

    private static void requireNonNull(Object value, String op, String what) {
        if (value == null) {
            throw new NullPointerException(op + ": " + what + " is null");
        }
    }

    /** Both tensors owned (in argument order), then {@code t2} of {@code t1}'s shape. */
    private void requireOwnedSameShape(String op, String name1, Tensor t1, String name2, Tensor t2) {
        requireOwned(op, name1, t1);
        requireOwned(op, name2, t2);
        Checks.requireSameShape(op, name1, t1, name2, t2);
    }

    /** All three tensors owned (in argument order), then {@code t2} and {@code t3} of {@code t1}'s shape. */
    private void requireOwnedSameShape(String op, String name1, Tensor t1, String name2, Tensor t2,
                                       String name3, Tensor t3) {
        requireOwned(op, name1, t1);
        requireOwned(op, name2, t2);
        requireOwned(op, name3, t3);
        Checks.requireSameShape(op, name1, t1, name2, t2);
        Checks.requireSameShape(op, name1, t1, name3, t3);
    }

    /** A reduction over a pair: all three owned, {@code t2} of {@code t1}'s shape, {@code out} one element. */
    private void requireOwnedPairAndScalarOut(String op, String name1, Tensor t1, String name2, Tensor t2,
                                              Tensor out) {
        requireOwned(op, name1, t1);
        requireOwned(op, name2, t2);
        requireOwned(op, "out", out);
        Checks.requireSameShape(op, name1, t1, name2, t2);
        Checks.requireSize(op, "out", out, 1);
    }

    /** Optional state: must be given when {@code required}; when given, owned and of {@code param}'s shape. */
    private Tensor optionalState(String op, String arg, Tensor t, Tensor param, boolean required, String when) {
        if (t == null) {
            if (required) {
                throw new IllegalArgumentException(op + ": '" + arg + "' is required when " + when);
            }
            return null;
        }
        requireOwned(op, arg, t);
        Checks.requireSameShape(op, "param", param, arg, t);
        return required ? t : null;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public final Tensor zeros(int... shape) {
        requireOpen("zeros");
        Tensor t = doZeros(Checks.validate(shape));
        if (t.backend() != this) {
            // Caught here, where it happens: each op would otherwise blame its caller for a tensor of another backend.
            IllegalStateException wrong = new IllegalStateException(getClass().getName() + ".doZeros returned a "
                    + "tensor whose backend() is " + (t.backend() == null ? "null" : "'" + t.backend().name() + "'")
                    + ", not this '" + name() + "' backend; a backend's tensors must return it from backend()");
            try {
                t.close();   // not kept: its memory goes back, wherever it lives
            } catch (RuntimeException closing) {
                wrong.addSuppressed(closing);
            }
            throw wrong;
        }
        return t;
    }

    /**
     * Counts a write of a tensor an op wrote ({@link AbstractTensor#writes}), so that a layer that kept it for its
     * backward pass sees it changed; null (an optimizer's unused state) is skipped. One tensor a call: no array.
     */
    private static void written(Tensor output) {
        if (output instanceof AbstractTensor a) {
            a.markWritten();
        }
    }

    @Override
    public final void copy(Tensor src, Tensor dst) {
        String op = "copy";
        requireOwned(op, "src", src);
        requireOwned(op, "dst", dst);
        Checks.requireSize(op, "dst", dst, src.size());
        if (src != dst) {
            doCopy(src, dst);
            written(dst);
        }
    }

    @Override
    public final void fill(Tensor t, float value) {
        requireOwned("fill", "t", t);
        doFill(t, value);
        written(t);
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public final void gemm(boolean transposeA, boolean transposeB, float alpha, Tensor a, Tensor b, float beta,
                           Tensor c) {
        String op = "gemm";
        requireOwned(op, "a", a);
        requireOwned(op, "b", b);
        requireOwned(op, "c", c);
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: op(a) is (" + m + ", " + k
                    + ") from 'a' " + Checks.toString(a.shape()) + (transposeA ? " transposed" : "")
                    + ", op(b) is (" + kb + ", " + n + ") from 'b' " + Checks.toString(b.shape())
                    + (transposeB ? " transposed" : ""));
        }
        Checks.requireMatrix(op, "c", c, m, n);
        if (c == a || c == b) {
            throw new IllegalArgumentException(op + ": 'c' " + Checks.toString(c.shape())
                    + " must not be the same tensor as " + (c == a ? "'a'" : "'b'"));
        }
        doGemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        written(c);
    }

    @Override
    public final void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        String op = "columnSums";
        requireOwned(op, "x", x);
        requireOwned(op, "out", out);
        Checks.requireSize(op, "out", out, x.cols());
        doColumnSums(x, alpha, beta, out);
        written(out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public final void biasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        String op = "biasActivation";
        requireNonNull(f, op, "activation");
        requireOwned(op, "z", z);
        if (bias != null) {
            requireOwned(op, "bias", bias);
            Checks.requireSize(op, "bias", bias, z.cols());
        }
        requireOwned(op, "out", out);
        Checks.requireSameShape(op, "z", z, "out", out);
        doBiasActivation(z, bias, f, alpha, out);
        written(out);
    }

    @Override
    public final void activationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        String op = "activationBackward";
        requireNonNull(f, op, "activation");
        requireOwnedSameShape(op, "a", a, "dA", dA, "dZ", dZ);
        doActivationBackward(f, alpha, a, dA, dZ);
        written(dZ);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public final void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        requireOwnedSameShape(op, "a", a, "b", b, "out", out);
        doMultiply(a, b, out);
        written(out);
    }

    @Override
    public final void scaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        String op = "scaledDifference";
        requireOwnedSameShape(op, "a", a, "b", b, "out", out);
        doScaledDifference(scale, a, b, out);
        written(out);
    }

    @Override
    public final void dropoutMask(float rate, long seed, Tensor mask) {
        String op = "dropoutMask";
        requireOwned(op, "mask", mask);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": rate must be in [0, 1), got " + rate);
        }
        doDropoutMask(rate, seed, mask);
        written(mask);
    }

    // ---------------------------------------------------------------- losses and metrics

    @Override
    public final void lossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        String op = "lossSum";
        requireNonNull(kind, op, "loss kind");
        requireOwnedPairAndScalarOut(op, "prediction", prediction, "target", target, out);
        doLossSum(kind, prediction, target, beta, out);
        written(out);
    }

    @Override
    public final void lossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        String op = "lossGradient";
        requireNonNull(kind, op, "loss kind");
        requireOwnedSameShape(op, "prediction", prediction, "target", target, "gradient", gradient);
        doLossGradient(kind, prediction, target, gradient);
        written(gradient);
    }

    @Override
    public final void countCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        String op = "countCorrect";
        requireOwnedPairAndScalarOut(op, "prediction", prediction, "target", target, out);
        doCountCorrect(prediction, target, beta, out);
        written(out);
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public final void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                              float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        String op = "sgdStep";
        requireOwnedSameShape(op, "param", param, "grad", grad);
        Tensor v = optionalState(op, "velocity", velocity, param, momentum != 0f, "momentum = " + momentum);
        doSgdStep(param, grad, v, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        written(param);
        written(v);
    }

    @Override
    public final void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr, float beta1,
                               float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                               float sqrtBiasCorrection2) {
        String op = "adamStep";
        requireOwned(op, "param", param);
        requireOwned(op, "grad", grad);
        requireOwned(op, "m", m);
        requireOwned(op, "v", v);
        Checks.requireSameShape(op, "param", param, "grad", grad);
        Checks.requireSameShape(op, "param", param, "m", m);
        Checks.requireSameShape(op, "param", param, "v", v);
        Tensor max = optionalState(op, "vMax", vMax, param, vMax != null, "AMSGrad");
        if (!(stepSize >= 0f && stepSize <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(op + ": stepSize must be finite and >= 0, got " + stepSize);
        }
        if (!(sqrtBiasCorrection2 > 0f && sqrtBiasCorrection2 <= 1f)) {
            throw new IllegalArgumentException(op + ": sqrtBiasCorrection2 must be in (0, 1], got "
                    + sqrtBiasCorrection2);
        }
        doAdamStep(param, grad, m, v, max, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize,
                sqrtBiasCorrection2);
        written(param);
        written(m);
        written(v);
        written(max);
    }

    @Override
    public final void rmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr,
                                  float alpha, float eps, float weightDecay, float momentum) {
        String op = "rmspropStep";
        requireOwnedSameShape(op, "param", param, "grad", grad, "sq", sq);
        Tensor avg = optionalState(op, "gAvg", gAvg, param, gAvg != null, "centered");
        Tensor b = optionalState(op, "buf", buf, param, momentum != 0f, "momentum = " + momentum);
        doRmspropStep(param, grad, sq, avg, b, lr, alpha, eps, weightDecay, momentum);
        written(param);
        written(sq);
        written(avg);
        written(b);
    }

    @Override
    public final void adagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        String op = "adagradStep";
        requireOwnedSameShape(op, "param", param, "grad", grad, "sum", sum);
        doAdagradStep(param, grad, sum, clr, eps, weightDecay);
        written(param);
        written(sum);
    }

    // ---------------------------------------------------------------- gradient clipping

    @Override
    public final void sumOfSquares(Tensor x, float beta, Tensor out) {
        String op = "sumOfSquares";
        requireOwned(op, "x", x);
        requireOwned(op, "out", out);
        Checks.requireSize(op, "out", out, 1);
        doSumOfSquares(x, beta, out);
        written(out);
    }

    @Override
    public final void clipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm) {
        String op = "clipByNorm";
        requireOwned(op, "x", x);
        requireOwned(op, "sumOfSquares", sumOfSquares);
        Checks.requireSize(op, "sumOfSquares", sumOfSquares, 1);
        if (!(maxNorm >= 0f && maxNorm <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(op + ": maxNorm must be finite and >= 0, got " + maxNorm);
        }
        if (sumOfSquares == x) {
            throw new IllegalArgumentException(op + ": 'sumOfSquares' must not be the same tensor as 'x'");
        }
        doClipByNorm(x, sumOfSquares, maxNorm);
        written(x);
    }

    @Override
    public final void clipByValue(Tensor x, float limit) {
        String op = "clipByValue";
        requireOwned(op, "x", x);
        if (!(limit >= 0f && limit <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(op + ": limit must be finite and >= 0, got " + limit);
        }
        doClipByValue(x, limit);
        written(x);
    }

    // ---------------------------------------------------------------- user-defined elementwise functions

    @Override
    public final void mapElements(ElementFunction f, Tensor x, Tensor out) {
        String op = "mapElements";
        requireNonNull(f, op, "function");
        requireOwnedSameShape(op, "x", x, "out", out);
        doMapElements(f, x, out);
        written(out);
    }

    @Override
    public final void mapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out) {
        String op = "mapPairs";
        requireNonNull(f, op, "function");
        requireOwnedSameShape(op, "a", a, "b", b, "out", out);
        doMapPairs(f, scale, a, b, out);
        written(out);
    }

    @Override
    public final void sumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out) {
        String op = "sumPairs";
        requireNonNull(f, op, "function");
        requireOwnedPairAndScalarOut(op, "a", a, "b", b, out);
        doSumPairs(f, scale, a, b, beta, out);
        written(out);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Frees the backend's resources through {@link #doClose()} once, also when two threads close it at once; later
     * calls do nothing, and every op after it throws {@link IllegalStateException}. If {@code doClose} throws, the
     * backend stays open.
     */
    @Override
    public final synchronized void close() {
        if (!closed) {
            doClose();
            closed = true;
        }
    }

    /**
     * The backend in words, for logs and messages: its {@link #description()}, prefixed with
     * {@code name() + ": "} unless the description already starts with that name and a colon, and ending in
     * {@code (closed)} once {@link #close()} has run. For example {@code cpu: pure Java, 16 threads, Vector API
     * kernels}, or {@code plain: plain Java loops} for the description {@code plain Java loops}.
     *
     * @return the name and description
     */
    @Override
    public String toString() {
        String description = description();
        String text = description.startsWith(name() + ":") ? description : name() + ": " + description;
        return closed ? text + " (closed)" : text;
    }

    // ---------------------------------------------------------------- hooks (arguments already checked)

    /**
     * Allocates a zero-filled tensor.
     *
     * @param shape a validated shape (rank 1 or 2, positive dimensions), owned by the callee
     * @return the new tensor, owned by this backend
     */
    protected abstract Tensor doZeros(int[] shape);

    /**
     * {@code dst = src}; both have the same size and are distinct.
     *
     * @param src the source
     * @param dst the destination
     */
    protected abstract void doCopy(Tensor src, Tensor dst);

    /**
     * {@code t[i] = value}.
     *
     * @param t the tensor to fill
     * @param value the value
     */
    protected abstract void doFill(Tensor t, float value);

    /**
     * {@code c = alpha · op(a) · op(b) + beta · c} with the dimensions already derived; {@code c} aliases
     * neither input.
     *
     * @param transposeA whether {@code op(a) = aᵀ}
     * @param transposeB whether {@code op(b) = bᵀ}
     * @param m rows of {@code op(a)} and {@code c}
     * @param n columns of {@code op(b)} and {@code c}
     * @param k columns of {@code op(a)}, rows of {@code op(b)}
     * @param alpha scale of the product
     * @param a left operand
     * @param b right operand
     * @param beta scale of the old {@code c}; 0 ignores it
     * @param c output {@code (m, n)}
     */
    protected abstract void doGemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                                   Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]}.
     *
     * @param x input {@code (rows, cols)}
     * @param alpha scale of the sums
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out output with {@code cols} elements
     */
    protected abstract void doColumnSums(Tensor x, float alpha, float beta, Tensor out);

    /**
     * {@code out = f(z + bias)}, see {@link Backend#biasActivation}.
     *
     * @param z pre-activation
     * @param bias {@code cols} elements, or null
     * @param f the activation, non-null
     * @param alpha slope or scale of LEAKY_RELU / ELU
     * @param out output, same shape as {@code z} (may be {@code z})
     */
    protected abstract void doBiasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out);

    /**
     * {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)}, see {@link Backend#activationBackward}.
     *
     * @param f the activation, non-null
     * @param alpha slope or scale of LEAKY_RELU / ELU
     * @param a the activation's output
     * @param dA gradient with respect to {@code a}
     * @param dZ output, same shape
     */
    protected abstract void doActivationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ);

    /**
     * {@code out = a ⊙ b}.
     *
     * @param a first factor
     * @param b second factor, same shape
     * @param out output, same shape (may alias an input)
     */
    protected abstract void doMultiply(Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = scale · (a - b)}.
     *
     * @param scale the factor
     * @param a minuend
     * @param b subtrahend, same shape
     * @param out output, same shape
     */
    protected abstract void doScaledDifference(float scale, Tensor a, Tensor b, Tensor out);

    /**
     * Inverted-dropout mask from {@link DropoutRng}, see {@link Backend#dropoutMask}.
     *
     * @param rate drop probability in {@code [0, 1)}
     * @param seed the mask's seed
     * @param mask output
     */
    protected abstract void doDropoutMask(float rate, long seed, Tensor mask);

    /**
     * {@code out = beta · out + Σ_i ℓ_i}, see {@link Backend#lossSum}.
     *
     * @param kind the loss, non-null
     * @param prediction predictions {@code (rows, cols)}
     * @param target targets, same shape
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    protected abstract void doLossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out);

    /**
     * Gradient of the mean loss, see {@link Backend#lossGradient}.
     *
     * @param kind the loss, non-null
     * @param prediction predictions
     * @param target targets, same shape
     * @param gradient output, same shape
     */
    protected abstract void doLossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient);

    /**
     * {@code out = beta · out + correct rows}, see {@link Backend#countCorrect}.
     *
     * @param prediction predictions
     * @param target targets, same shape
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    protected abstract void doCountCorrect(Tensor prediction, Tensor target, float beta, Tensor out);

    /**
     * SGD step, see {@link Backend#sgdStep}.
     *
     * @param param parameters, updated in place
     * @param grad gradients, same shape
     * @param velocity momentum buffer, non-null exactly when {@code momentum != 0}
     * @param lr learning rate
     * @param momentum momentum factor
     * @param dampening dampening of the momentum
     * @param weightDecay L2 penalty
     * @param nesterov Nesterov momentum
     * @param firstStep whether the buffer is initialised from the gradient
     */
    protected abstract void doSgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                                      float dampening, float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * Adam / AdamW step, see {@link Backend#adamStep}.
     *
     * @param param parameters, updated in place
     * @param grad gradients
     * @param m first moment
     * @param v second moment
     * @param vMax AMSGrad's largest second moment so far, or null for plain Adam
     * @param lr learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps denominator term
     * @param weightDecay L2 penalty (Adam) or decoupled decay (AdamW)
     * @param decoupledWeightDecay AdamW when true
     * @param stepSize {@code lr / (1 - β1^t)}
     * @param sqrtBiasCorrection2 {@code √(1 - β2^t)}
     */
    protected abstract void doAdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr,
                                       float beta1, float beta2, float eps, float weightDecay,
                                       boolean decoupledWeightDecay, float stepSize, float sqrtBiasCorrection2);

    /**
     * RMSProp step, see {@link Backend#rmspropStep}.
     *
     * @param param parameters, updated in place
     * @param grad gradients
     * @param sq running mean of squared gradients
     * @param gAvg running mean of gradients, non-null exactly when centered
     * @param buf momentum buffer, non-null exactly when {@code momentum != 0}
     * @param lr learning rate
     * @param alpha smoothing constant
     * @param eps denominator term
     * @param weightDecay L2 penalty
     * @param momentum momentum factor
     */
    protected abstract void doRmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr,
                                          float alpha, float eps, float weightDecay, float momentum);

    /**
     * AdaGrad step, see {@link Backend#adagradStep}.
     *
     * @param param parameters, updated in place
     * @param grad gradients
     * @param sum running sum of squared gradients
     * @param clr the decayed learning rate
     * @param eps denominator term
     * @param weightDecay L2 penalty
     */
    protected abstract void doAdagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps,
                                          float weightDecay);

    /**
     * {@code out = beta · out + Σ x²}, see {@link Backend#sumOfSquares}.
     *
     * @param x the tensor
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    protected abstract void doSumOfSquares(Tensor x, float beta, Tensor out);

    /**
     * {@code x ← x · min(1, maxNorm / (√s + 1e-6))} with {@code s = sumOfSquares[0]}, see
     * {@link Backend#clipByNorm}.
     *
     * @param x the tensor, scaled in place
     * @param sumOfSquares one element, distinct from {@code x}
     * @param maxNorm finite, {@code ≥ 0}
     */
    protected abstract void doClipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm);

    /**
     * {@code x ← clamp(x, -limit, limit)}, see {@link Backend#clipByValue}.
     *
     * @param x the tensor, clamped in place
     * @param limit finite, {@code ≥ 0}
     */
    protected abstract void doClipByValue(Tensor x, float limit);

    /**
     * {@code out[i] = f(x[i])}, see {@link Backend#mapElements}.
     *
     * @param f the function, non-null
     * @param x the input
     * @param out the output, same shape (may be {@code x})
     */
    protected abstract void doMapElements(ElementFunction f, Tensor x, Tensor out);

    /**
     * {@code out[i] = scale · f(a[i], b[i])}, see {@link Backend#mapPairs}.
     *
     * @param f the function, non-null
     * @param scale the factor
     * @param a the first input
     * @param b the second input, same shape
     * @param out the output, same shape (may alias an input)
     */
    protected abstract void doMapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = beta · out + scale · Σ f(a[i], b[i])}, see {@link Backend#sumPairs}.
     *
     * @param f the function, non-null
     * @param scale the factor of the sum
     * @param a the first input
     * @param b the second input, same shape
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    protected abstract void doSumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out);

    /** Frees the backend's own resources (thread pools, device contexts); called once by {@link #close()}. */
    protected abstract void doClose();
}
