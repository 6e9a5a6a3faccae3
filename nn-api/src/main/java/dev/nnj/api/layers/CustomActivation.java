package dev.nnj.api.layers;

/**
 * A user-defined elementwise activation {@code a = f(z)} with its derivative {@code f'(z)}, plugged into a
 * model with {@link CustomActivationLayer}. Built-in functions ({@link dev.nnj.api.Activation}) run as fused
 * kernels; a custom one runs through the backend's generic {@link dev.nnj.api.Backend#mapElements} on every
 * backend (see {@code docs/extending.md}).
 *
 * <p>All three methods must be pure (no state; a backend may call them in any order). Check {@link #derivative}
 * against {@link #apply} with the conformance suite's {@code FiniteDifferences.checkActivation}. Example,
 * swish {@code f(z) = z σ(z)}:
 * <pre>{@code
 * CustomActivation swish = new CustomActivation() {
 *     public String name() { return "swish"; }
 *     public float apply(float z) { return z / (1f + (float) Math.exp(-z)); }
 *     public float derivative(float z) {
 *         float s = 1f / (1f + (float) Math.exp(-z));
 *         return s + z * s * (1f - s);
 *     }
 * };
 * model.add(new Dense(64)).add(new CustomActivationLayer(swish));
 * }</pre>
 *
 * <p>A checkpoint records the function's name, and its class when that is a named one (a top-level or nested
 * class): {@link dev.nnj.api.io.Checkpoint#restoreInto} then refuses another class of the same name. It records no
 * settings: the same class built with others (a {@code beta} for swish) restores without a word, and so does an
 * anonymous function, as above, into any of its name. A function with settings can put them in its name.
 */
public interface CustomActivation {

    /**
     * The function's name, used as the layer type ({@code swish} → {@code swish_1}); {@link CustomActivationLayer}
     * refuses any other than a lower-case identifier ({@code [a-z][a-z0-9_]*}). It must not change.
     *
     * @return a short lower-case name, such as {@code swish}
     */
    String name();

    /**
     * The activation.
     *
     * @param z the pre-activation
     * @return {@code f(z)}
     */
    float apply(float z);

    /**
     * The derivative, from the pre-activation (unlike the built-ins, which use the output).
     *
     * @param z the pre-activation
     * @return {@code f'(z)}
     */
    float derivative(float z);
}
