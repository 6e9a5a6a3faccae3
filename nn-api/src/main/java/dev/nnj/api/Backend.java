package dev.nnj.api;

/**
 * The primitive operations every layer, loss and optimizer is written against. A backend (pure Java,
 * CUDA, …) owns the memory of its {@link Tensor}s and runs these ops on them; it never knows what a
 * layer is.
 *
 * <h2>Contract shared by all ops</h2>
 * <ul>
 *   <li>Wherever an op takes {@code beta}, {@code beta = 0} overwrites the output without reading it, so
 *       garbage (even NaN) in a fresh buffer never leaks into the result.</li>
 *   <li>Outputs are caller-provided, so a training step allocates nothing after its first batch. Each op
 *       says whether it sets ({@code =}) or accumulates ({@code +=}, via {@code beta}) into its output.</li>
 *   <li>Shapes are given as {@code (rows, cols)} of the matrix view; a rank-1 tensor {@code (n)} is a row
 *       {@code (1, n)}. Every op validates shapes and ownership first, once for every backend in
 *       {@link dev.nnj.api.spi.AbstractBackend}, and throws {@link IllegalArgumentException} naming the
 *       argument and both shapes.</li>
 *   <li>Elementwise ops allow {@code out} to be the same tensor as an input (in place); {@link #gemm}
 *       and the row-wise ops do not, unless stated.</li>
 *   <li>Ops may run asynchronously (on a GPU stream); {@link Tensor#copyTo} and {@link #synchronize()}
 *       wait for them.</li>
 * </ul>
 *
 * <h2>Bad numbers</h2>
 * A NaN or an infinity gives the same result on every backend (NaN where NaN, the same infinity): the IEEE
 * arithmetic of each op's formula, as Java evaluates it. A NaN passes through. Every clamp keeps it
 * ({@code max(NaN, c)} is NaN, as Java's {@link Math#max}, not {@code c}, as a GPU's {@code fmaxf}), so a clamped
 * logarithm of NaN stays NaN and a loss whose prediction holds a NaN is NaN
 * ({@link LossKind#BINARY_CROSS_ENTROPY} with {@code p = NaN}, say); an infinity is clamped only on the clamp's
 * side ({@code log 0 = -∞} becomes {@link LossKind#LOG_FLOOR}). ReLU, leaky ReLU and ELU test {@code z <= 0} for
 * their negative side forward and {@code a <= 0} backward, so NaN takes the other side: {@code relu(NaN) = NaN},
 * and a NaN output passes {@code dA} through ({@code dZ = dA}, as PyTorch's {@code threshold_backward} for ReLU; its
 * leaky ReLU gives {@code α·dA} there).
 * {@link #countCorrect}'s arg-max keeps the first maximum under {@code >}: a NaN first in its row wins, a NaN
 * elsewhere never does. The conformance suite checks these rules at the start, middle and end of rows, where
 * vector bodies, scalar tails and GPU lanes see them.
 *
 * <h2>Threads</h2>
 * A backend is safe for concurrent callers: ops from several threads on <em>their own</em> output tensors give
 * the same results as from one thread. That is what lets many threads run {@code Sequential.predict} on one
 * model, and two models share one backend. How concurrent ops proceed is the backend's choice, stated in its
 * documentation: the cpu backend runs them in parallel (each op borrows kernel scratch no other op is using; a large
 * op takes the shared worker pool when it is free, and runs on its caller's thread alone while another caller holds
 * it), the cuda backend serialises them on its one stream.
 * Two threads writing the same tensor at once is a race like any other and is not detected here; the model
 * ({@code Sequential}) enforces who may write its tensors. A backend's helper threads are daemon threads,
 * released by {@link #close()} (and, for the cpu backend, when it becomes unreachable).
 */
public interface Backend extends AutoCloseable {

    /**
     * Short name used for selection: {@code "cpu"}, {@code "cuda"}.
     *
     * @return the lower-case name matched by {@code -Dnnj.backend} and {@link Backends#get(String)}
     */
    String name();

    /**
     * One line for humans: device, kernels in use, threads.
     *
     * @return a human-readable summary, for logs and {@code --help} output
     */
    String description();

    // ---------------------------------------------------------------- memory

    /**
     * A new tensor of the given shape, filled with zeros.
     *
     * @param shape the dimensions, each {@code >= 1} (rank 1 or 2)
     * @return a tensor owned by this backend; the caller closes it
     */
    Tensor zeros(int... shape);

    /**
     * A new tensor of the given shape holding a copy of {@code data} (length must match).
     *
     * @param data the row-major values, {@code data.length} equal to the product of {@code shape}
     * @param shape the dimensions, each {@code >= 1}
     * @return a tensor owned by this backend; the caller closes it
     * @throws IllegalArgumentException if a dimension is below 1, or {@code data.length} is not their product
     * @throws IllegalStateException if the backend is closed
     * @throws NullPointerException if {@code data} or {@code shape} is null
     */
    default Tensor tensor(float[] data, int... shape) {
        java.util.Objects.requireNonNull(data, "tensor: data is null");
        java.util.Objects.requireNonNull(shape, "tensor: shape is null");
        long size = 1;
        for (int d : shape) {
            size *= d;   // a dimension below 1 is zeros' to refuse, named as such
        }
        if (shape.length > 0 && size > 0 && data.length != size) {
            throw new IllegalArgumentException("tensor: data has " + data.length + " values, the shape "
                    + java.util.Arrays.toString(shape) + " holds " + size);
        }
        Tensor t = zeros(shape);
        try {
            t.copyFrom(data);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * Bytes that new tensors may take on this backend now: the heap for a backend whose tensors live in
     * Java arrays, free device memory (plus what the backend has cached for reuse) for an accelerator.
     * Models and batches are checked against it before they allocate, so a request that cannot fit is
     * refused with its size (see {@link MemoryBudgetException}). The default, {@link Long#MAX_VALUE}, means
     * "unknown": only element limits are checked.
     *
     * @return the budget in bytes
     */
    default long memoryBudgetBytes() {
        return Long.MAX_VALUE;
    }

    /**
     * {@code dst = src}; same number of elements required.
     *
     * @param src the tensor read
     * @param dst the tensor written, with as many elements as {@code src}
     */
    void copy(Tensor src, Tensor dst);

    /**
     * {@code t[i] = value} for every element.
     *
     * @param t the tensor overwritten
     * @param value the value every element gets
     */
    void fill(Tensor t, float value);

    /** Waits until every op issued so far has finished (a no-op on synchronous backends). */
    default void synchronize() {
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * General matrix product {@code c = alpha · op(a) · op(b) + beta · c}, with {@code op(x) = xᵀ} when the
     * flag is set. {@code op(a)} is {@code (m, k)}, {@code op(b)} is {@code (k, n)}, {@code c} is
     * {@code (m, n)}. With {@code beta = 0} the old contents of {@code c} are ignored (sets, even if NaN);
     * otherwise the product accumulates. {@code c} must not alias {@code a} or {@code b}.
     * Dense uses {@code x·W} (forward), {@code dZ·Wᵀ} (input gradient) and {@code xᵀ·dZ} (weight gradient).
     * With {@code alpha = 0} the result is left to the backend where {@code a} or {@code b} holds a NaN or an
     * infinity: cuBLAS, as BLAS, does not read them then ({@code c = beta · c}), the CPU backend multiplies
     * ({@code 0 · NaN} is NaN); nnj's own layers never pass {@code alpha = 0}.
     *
     * @param transposeA whether {@code op(a) = aᵀ}
     * @param transposeB whether {@code op(b) = bᵀ}
     * @param alpha the scale of the product
     * @param a the left operand; {@code op(a)} is {@code (m, k)}
     * @param b the right operand; {@code op(b)} is {@code (k, n)}
     * @param beta the scale of the old {@code c}; {@code 0} overwrites
     * @param c the {@code (m, n)} result
     */
    void gemm(boolean transposeA, boolean transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * Column sums {@code out[j] = alpha · Σ_i x[i, j] + beta · out[j]}: {@code x} is {@code (rows, cols)},
     * {@code out} has {@code cols} elements. Dense uses it for the bias gradient {@code db = Σ_i dZ[i, :]}.
     *
     * @param x the {@code (rows, cols)} input
     * @param alpha the scale of the sums
     * @param beta the scale of the old {@code out}; {@code 0} overwrites
     * @param out the {@code cols} sums
     */
    void columnSums(Tensor x, float alpha, float beta, Tensor out);

    // ---------------------------------------------------------------- activations

    /**
     * Bias broadcast and activation in one pass, {@code out[i, j] = f(z[i, j] + bias[j])} (sets). {@code bias}
     * may be null (no bias) and otherwise has {@code cols} elements; {@code out} may be {@code z}. For
     * {@link Activation#SOFTMAX} the softmax is taken over each row of {@code z + bias}. {@code alpha} is the
     * slope of LEAKY_RELU and the scale of ELU, ignored by the others.
     *
     * @param z the {@code (rows, cols)} pre-activations
     * @param bias the {@code cols} biases added to every row, or null
     * @param f the activation function
     * @param alpha the LEAKY_RELU slope or ELU scale
     * @param out the {@code (rows, cols)} activations; may be {@code z}
     */
    void biasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out);

    /**
     * Backward of an activation, from its output: {@code dZ = dA ⊙ f'(z)} written with {@code a = f(z)} as
     * in {@link Activation} (sets). For SOFTMAX, {@code dZ[i, j] = a[i, j] · (dA[i, j] - Σ_k dA[i, k] a[i, k])}.
     * All three tensors share a shape; {@code dZ} may be {@code dA} for the elementwise functions.
     *
     * @param f the activation function of the forward pass
     * @param alpha the LEAKY_RELU slope or ELU scale used in the forward pass
     * @param a the forward output {@code f(z)}
     * @param dA the gradient of the loss with respect to {@code a}
     * @param dZ the gradient of the loss with respect to {@code z}, written
     */
    void activationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ);

    // ---------------------------------------------------------------- elementwise

    /**
     * {@code out = a ⊙ b} (sets); all the same shape; {@code out} may alias either input.
     *
     * @param a the first factor
     * @param b the second factor
     * @param out the elementwise product
     */
    void multiply(Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = scale · (a - b)} (sets); all the same shape. The fused loss gradient: {@code (a - y) / N}
     * after softmax with categorical cross-entropy, {@code (a - y) / (N C)} after sigmoid with binary
     * cross-entropy. A backend may write results of magnitude at most {@code 2^−126} (subnormal floats) as zeros:
     * the CPU backend does, because the backward pass's GEMMs read each element many times, and a processor
     * without flush-to-zero pays a slow path for every subnormal operand; the CUDA backend does too, so that both
     * give the same numbers.
     *
     * @param scale the factor applied to the difference
     * @param a the minuend (a prediction)
     * @param b the subtrahend (a target)
     * @param out the scaled difference
     */
    void scaledDifference(float scale, Tensor a, Tensor b, Tensor out);

    /**
     * Inverted-dropout mask (sets): {@code mask[i] = 1 / (1 - rate)} where
     * {@code dev.nnj.api.spi.DropoutRng.uniform(seed, i) >= rate}, else 0. {@code rate} in {@code [0, 1)}.
     *
     * @param rate the probability that an element is dropped, in {@code [0, 1)}
     * @param seed the seed of the counter-based generator, one per step
     * @param mask the mask written, {@code 0} or {@code 1 / (1 - rate)} per element
     */
    void dropoutMask(float rate, long seed, Tensor mask);

    // ---------------------------------------------------------------- losses and metrics

    /**
     * Sum over rows of the per-sample loss {@code ℓ_i} of {@link LossKind}, accumulated into the single
     * element of {@code out}: {@code out = beta · out + Σ_i ℓ_i}. Divide by the row count for the mean.
     * Keeping the sum on the device lets a trainer read the loss once per epoch.
     *
     * @param kind the loss function
     * @param prediction the {@code (rows, cols)} network output
     * @param target the {@code (rows, cols)} expected output
     * @param beta the scale of the old {@code out}; {@code 0} overwrites
     * @param out a one-element tensor that receives the sum
     */
    void lossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out);

    /**
     * Gradient of the <em>mean</em> loss with respect to the prediction, as in {@link LossKind} (sets).
     *
     * @param kind the loss function
     * @param prediction the {@code (rows, cols)} network output
     * @param target the {@code (rows, cols)} expected output
     * @param gradient the {@code (rows, cols)} gradient {@code ∂L/∂prediction} of the mean loss, written
     */
    void lossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient);

    /**
     * Number of correctly classified rows, accumulated: {@code out = beta · out + count}. With more than one
     * column a row is correct when the arg-max of prediction and target agree (first maximum wins); with one
     * column, when {@code prediction > 0.5} equals {@code target > 0.5} (0.5 itself is class 0, as scikit-learn's
     * and Keras' thresholds have it).
     *
     * @param prediction the {@code (rows, cols)} network output
     * @param target the {@code (rows, cols)} one-hot (or 0/1) labels
     * @param beta the scale of the old {@code out}; {@code 0} overwrites
     * @param out a one-element tensor that receives the count
     */
    void countCorrect(Tensor prediction, Tensor target, float beta, Tensor out);

    // ---------------------------------------------------------------- optimizer updates (in place)

    /**
     * SGD step, as {@code torch.optim.SGD}. With {@code g = grad + weightDecay · p}:
     * <pre>
     *   momentum = 0:   p ← p - lr · g
     *   otherwise:      buf ← g (first step) or momentum · buf + (1 - dampening) · g
     *                   p ← p - lr · (g + momentum · buf) if nesterov else p - lr · buf
     * </pre>
     * {@code velocity} may be null when {@code momentum == 0}.
     *
     * @param param the parameters {@code p}, updated in place
     * @param grad the gradient of the loss with respect to {@code p}
     * @param velocity the momentum buffer {@code buf}, same shape as {@code p}; null when {@code momentum == 0}
     * @param lr the learning rate
     * @param momentum the momentum factor, {@code 0} for plain SGD
     * @param dampening the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient
     * @param nesterov whether to use Nesterov momentum
     * @param firstStep whether this is the first step, which sets {@code buf = g}
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                 float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * Adam / AdamW step at step {@code t ≥ 1}, as {@code torch.optim.Adam} and {@code AdamW}, with the step's
     * bias corrections computed once by the caller ({@link dev.nnj.api.optim.Adam#stepSize} and
     * {@link dev.nnj.api.optim.Adam#sqrtBiasCorrection2}): {@code stepSize = lr / (1 - β1^t)} and
     * {@code sqrtBiasCorrection2 = √(1 - β2^t)}.
     * <pre>
     *   Adam:   g = grad + weightDecay · p              AdamW: g = grad; p ← p · (1 - lr · weightDecay)
     *   m ← β1 m + (1 - β1) g;   v ← β2 v + (1 - β2) g²
     *   AMSGrad (vMax given):    vMax ← max(vMax, v);   v̄ = vMax      otherwise v̄ = v
     *   p ← p - stepSize · m / (√v̄ / sqrtBiasCorrection2 + ε)
     * </pre>
     * {@code stepSize} must be finite and {@code ≥ 0}, {@code sqrtBiasCorrection2} in {@code (0, 1]}.
     *
     * @param param the parameters {@code p}, updated in place
     * @param grad the gradient of the loss with respect to {@code p}
     * @param m the first-moment estimate, same shape as {@code p}
     * @param v the second-moment estimate, same shape as {@code p}
     * @param vMax AMSGrad's largest second moment so far ({@code max_exp_avg_sq}), same shape as {@code p}; null
     *             for plain Adam
     * @param lr the learning rate (used here only for AdamW's decoupled decay)
     * @param beta1 the decay rate {@code β1} of {@code m}
     * @param beta2 the decay rate {@code β2} of {@code v}
     * @param eps the term {@code ε} added to the denominator
     * @param weightDecay the weight decay factor
     * @param decoupledWeightDecay true for AdamW, false for Adam's L2 penalty
     * @param stepSize {@code lr / (1 - β1^t)}
     * @param sqrtBiasCorrection2 {@code √(1 - β2^t)}
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr, float beta1, float beta2,
                  float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                  float sqrtBiasCorrection2);

    /**
     * RMSProp step, as {@code torch.optim.RMSprop}. With {@code g = grad + weightDecay · p}:
     * <pre>
     *   sq ← α sq + (1 - α) g²
     *   centered:   gAvg ← α gAvg + (1 - α) g;   d = √(sq - gAvg²) + ε      else d = √sq + ε
     *   momentum:   buf ← momentum · buf + g / d;  p ← p - lr · buf          else p ← p - lr · g / d
     * </pre>
     * {@code gAvg} is null unless centered; {@code buf} is null when {@code momentum == 0}.
     *
     * @param param the parameters {@code p}, updated in place
     * @param grad the gradient of the loss with respect to {@code p}
     * @param sq the running average of squared gradients, same shape as {@code p}
     * @param gAvg the running average of gradients when centered, else null
     * @param buf the momentum buffer, or null when {@code momentum == 0}
     * @param lr the learning rate
     * @param alpha the smoothing constant {@code α}
     * @param eps the term {@code ε} added to the denominator
     * @param weightDecay the L2 penalty added to the gradient
     * @param momentum the momentum factor
     */
    void rmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr, float alpha,
                     float eps, float weightDecay, float momentum);

    /**
     * AdaGrad step, as {@code torch.optim.Adagrad}, with the decayed rate {@code clr} computed by the caller
     * ({@code lr / (1 + (t - 1) · lrDecay)}) and {@code g = grad + weightDecay · p}:
     * <pre>
     *   sum ← sum + g²;   p ← p - clr · g / (√sum + ε)
     * </pre>
     *
     * @param param the parameters {@code p}, updated in place
     * @param grad the gradient of the loss with respect to {@code p}
     * @param sum the running sum of squared gradients, same shape as {@code p}
     * @param clr the decayed learning rate of this step
     * @param eps the term {@code ε} added to the denominator
     * @param weightDecay the L2 penalty added to the gradient
     */
    void adagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay);

    // ---------------------------------------------------------------- gradient clipping

    /**
     * Sum of squares, accumulated into the single element of {@code out}:
     * {@code out = beta · out + Σ_i x[i]²} ({@code beta = 0} sets). Called once per parameter gradient with
     * {@code beta = 0} for the first and {@code 1} for the rest, it leaves the squared global norm
     * {@code ‖g‖² = Σ_p Σ_i g_p[i]²} on the device, as {@code torch.nn.utils.clip_grad_norm_} needs.
     * Math: {@code docs/math.md#10-gradient-clipping}.
     *
     * @param x the tensor whose squares are summed
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    void sumOfSquares(Tensor x, float beta, Tensor out);

    /**
     * Scales {@code x} in place by the clipping factor of {@code torch.nn.utils.clip_grad_norm_}, computed on
     * the device from the squared norm in {@code sumOfSquares} (nothing is read back to the host):
     * <pre>
     *   total = √sumOfSquares[0];   x ← x · min(1, maxNorm / (total + 1e-6))
     * </pre>
     * A norm that is not finite goes through the same formula, as in PyTorch with {@code error_if_nonfinite=False}:
     * an infinite norm gives the factor 0, so finite elements become 0 (keeping their sign) and infinite or NaN
     * ones NaN ({@code ∞ · 0}); a NaN norm gives the factor NaN ({@code min} keeps NaN), so every element becomes
     * NaN. An infinite norm comes from an infinite gradient element or from finite squares whose sum overflows.
     *
     * @param x the tensor to scale (a parameter gradient), updated in place
     * @param sumOfSquares one element holding {@code total²} (from {@link #sumOfSquares})
     * @param maxNorm the largest norm allowed; finite and {@code ≥ 0}
     * @throws IllegalArgumentException if {@code maxNorm} is negative, NaN or infinite, or
     *         {@code sumOfSquares} does not have one element
     */
    void clipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm);

    /**
     * Clamps every element in place, as {@code torch.nn.utils.clip_grad_value_}:
     * {@code x[i] ← min(max(x[i], -limit), limit)}. NaN elements stay NaN.
     *
     * @param x the tensor to clamp, updated in place
     * @param limit the largest magnitude allowed; finite and {@code ≥ 0}
     * @throws IllegalArgumentException if {@code limit} is negative, NaN or infinite
     */
    void clipByValue(Tensor x, float limit);

    // ---------------------------------------------------------------- user-defined elementwise functions

    /**
     * {@code out[i] = f(x[i])} (sets) with a user function: the generic path of activations that
     * {@link Activation} does not list. {@code out} may be {@code x}. Built-in activations use the fused
     * {@link #biasActivation} instead, which is much faster.
     *
     * @param f the function, pure
     * @param x the input
     * @param out the output, same shape as {@code x}
     */
    void mapElements(ElementFunction f, Tensor x, Tensor out);

    /**
     * {@code out[i] = scale · f(a[i], b[i])} (sets) with a user function: the generic path of loss gradients
     * that {@link LossKind} does not list. {@code out} may alias {@code a} or {@code b}.
     *
     * @param f the function, pure
     * @param scale the factor applied to every value (a custom loss's {@code 1 / (N·C)}, the mean over every element)
     * @param a the first input (predictions)
     * @param b the second input (targets), same shape
     * @param out the output, same shape
     */
    void mapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out);

    /**
     * Sum of a user function over two tensors, accumulated into the single element of {@code out}:
     * {@code out = beta · out + scale · Σ_i f(a[i], b[i])} ({@code beta = 0} sets), summed in double on every
     * backend. The generic path of loss values that {@link LossKind} does not list.
     *
     * @param f the function, pure
     * @param scale the factor applied to the sum
     * @param a the first input (predictions)
     * @param b the second input (targets), same shape
     * @param beta scale of the old {@code out}; 0 ignores it
     * @param out one element
     */
    void sumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out);

    /**
     * Frees the backend's own resources: its worker threads, its device context and, on an accelerator, all
     * its device memory, that of tensors still open included. Close what uses the backend first: models,
     * optimizers and tensors, in that order (try-with-resources does, in reverse order of opening).
     *
     * <p>Closing the backend does not close them. A model, optimizer or tensor that still uses it fails at its
     * next op with {@link IllegalStateException} naming the op and the backend ({@code zeros: the cpu backend
     * is closed}); closing it afterwards is allowed and frees nothing more. Closing twice does nothing. Close it
     * once the calls on it are done: a call that another thread is running meanwhile finishes, or fails with that
     * exception, and no thread is left waiting, but which of the two is not said (closing is no way to cancel).
     */
    @Override
    void close();

    /**
     * Whether {@link #close()} has run, after which every op fails: for a holder of models (a
     * {@link dev.nnj.api.io.ModelSlot}) to refuse one it could not serve. {@link dev.nnj.api.spi.AbstractBackend}
     * answers it; a backend that does not extend it answers false unless it says otherwise.
     *
     * @return true once closed
     */
    default boolean isClosed() {
        return false;
    }
}
