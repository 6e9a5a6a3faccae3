package dev.nnj.api.layers;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One stage of a feed-forward network. A layer is written once against {@link Backend}'s primitive ops and
 * never knows which backend it runs on.
 *
 * <h2>Lifecycle of one training step</h2>
 * <ol>
 *   <li>{@link #forward(Tensor, boolean)} with a batch {@code (N, in)}; the layer keeps what its backward pass
 *       needs (its input, its output) until the next forward.</li>
 *   <li>The loss computes {@code ∂L/∂output} of the last layer.</li>
 *   <li>{@link #backward(Tensor, boolean)} in reverse layer order: each layer <em>sets</em> its parameter
 *       gradients and returns {@code ∂L/∂input} for the layer before it.</li>
 *   <li>The optimizer updates the parameters from their gradients.</li>
 * </ol>
 * Tensors returned by {@code forward} and {@code backward} are owned by the layer and stay valid until its
 * next call with the same batch size; callers must not close them. The layer allocates them once per batch
 * size and reuses them, so steady-state training allocates nothing.
 */
public interface Layer extends AutoCloseable {

    /**
     * Kind of layer, used for default names ({@code dense} → {@code dense_1}).
     *
     * @return a lower-case kind, for example {@code "dense"}: a letter, then letters, digits or {@code _}
     *         ({@code [a-z][a-z0-9_]*}; {@link dev.nnj.api.model.Sequential#add} refuses another)
     */
    String type();

    /**
     * Name given by the model ({@code dense_1}); parameters are named {@code <name>.<role>}.
     *
     * @return the name, null before {@link #build}
     */
    String name();

    /**
     * Binds the layer to a backend and an input width, creates its parameters (initialised from
     * {@code random}) and names it. Called once, by the model.
     *
     * @return the output width
     * @param backend the backend that owns the parameters and buffers
     * @param name the unique name given by the model
     * @param inputWidth the width of an input row
     * @param random the seeded source of the initial values
     */
    int build(Backend backend, String name, int inputWidth, Random random);

    /**
     * Output width, valid after {@link #build}.
     *
     * @return the width of an output row
     */
    int outputWidth();

    /**
     * Forward pass of a batch {@code (N, in)} to {@code (N, out)}; {@code training} enables dropout.
     *
     * @param input the {@code (N, in)} batch
     * @param training whether this is a training step
     * @return the {@code (N, out)} output, a buffer owned by the layer
     */
    Tensor forward(Tensor input, boolean training);

    /**
     * Inference, safe from many threads at once: {@code layer(input)} with training off, written into
     * {@code out} {@code (N, out)} that the caller provides, reading the parameters and changing nothing in the
     * layer (not the buffers {@link #forward} keeps for backward).
     *
     * <p>The default, for layers that do not override it, runs {@link #forward forward(input, false)} under the
     * layer's lock and copies the result: correct from many threads, but one at a time, and it replaces what the last
     * forward pass kept for {@link #backward}. A model holding such a layer therefore refuses {@code predict} and
     * {@code evaluate} between a training forward pass and its backward ({@code IllegalStateException}, naming the
     * layer). A layer that keeps anything for backward should override this method.
     *
     * @param input a batch {@code (N, in)}
     * @param out   where to write the result, {@code (N, out)}, owned by the caller
     * @return the tensor holding the result: {@code out}, or {@code input} itself for a layer that is the
     *         identity at inference (dropout)
     */
    default Tensor infer(Tensor input, Tensor out) {
        synchronized (this) {
            Tensor result = forward(input, false);
            out.backend().copy(result, out);
        }
        return out;
    }

    /**
     * Backward pass: given {@code ∂L/∂output} {@code (N, out)} of the last forward, sets the parameter
     * gradients and returns {@code ∂L/∂input} {@code (N, in)}, or null when {@code needInputGradient} is false
     * (the first layer saves that product).
     *
     * @param outputGradient {@code ∂L/∂output}, {@code (N, out)}
     * @param needInputGradient false for the first layer, which may skip computing it
     * @return {@code ∂L/∂input} {@code (N, in)}, a buffer owned by the layer, or null when not needed
     */
    Tensor backward(Tensor outputGradient, boolean needInputGradient);

    /**
     * The function applied last in {@link #forward}, if the layer ends in an activation, else null. A loss
     * whose gradient fuses with it (softmax + categorical cross-entropy, sigmoid + binary cross-entropy)
     * then skips that activation's derivative and calls {@link #backwardFromPreActivation}.
     *
     * @return the final activation, or null
     */
    default Activation outputActivation() {
        return null;
    }

    /**
     * Backward pass starting from {@code ∂L/∂z}, the gradient with respect to the input of the final
     * activation (see {@link #outputActivation()}).
     *
     * @param preActivationGradient {@code ∂L/∂z}, {@code (N, out)}
     * @param needInputGradient false for the first layer, which may skip computing it
     * @return {@code ∂L/∂input} {@code (N, in)}, or null when not needed
     */
    default Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient) {
        throw new UnsupportedOperationException(type() + " does not end in an activation");
    }

    /**
     * Trainable parameters, in a stable order (empty for parameter-free layers).
     *
     * @return the parameters, weight before bias
     */
    List<Parameter> parameters();

    /**
     * The configuration that rebuilds this layer, as JSON-ready values keyed by name ({@code units},
     * {@code activation}, {@code alpha}, {@code rate}, …; not the type, which is {@link #type()}), without
     * parameter values. Saved models store it as their architecture ({@link dev.nnj.api.io.ModelFiles}).
     *
     * <p>Only nnj's own layers can be saved: a model file holds no code, and saving refuses a layer that loading
     * would not rebuild as the same class ({@link dev.nnj.api.io.LayerSpec#of}), whatever it returns here. Save a
     * model holding layers of your own with {@link dev.nnj.api.model.Sequential#stateDict()}, or checkpoint it and
     * restore it into the model built in code ({@link dev.nnj.api.io.Checkpoint#restoreInto}).
     *
     * @return the configuration, in a stable key order
     * @throws UnsupportedOperationException if the layer cannot be described (it then cannot be saved)
     */
    default Map<String, Object> config() {
        // Named as the model names it (swish_1), as the summary and the ONNX exporter do; the type before a build.
        throw new UnsupportedOperationException("layer " + (name() != null ? name() : type()) + " ("
                + getClass().getName() + ") does not describe its configuration, so a model holding it cannot be "
                + "saved to a model file; save model.stateDict() instead, rebuild the model in code and call "
                + "loadStateDict (a checkpoint restores into it with Checkpoint.restoreInto)");
    }

    /**
     * Short description of the configuration for summaries: {@code units=64, activation=sigmoid}.
     *
     * @return a one-line configuration
     */
    String describe();

    /** Frees parameters and buffers. */
    @Override
    void close();
}
