package dev.nnj.api.layers;

import dev.nnj.api.ElementFunction;
import dev.nnj.api.Tensor;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A layer applying a user-defined {@link CustomActivation} to each element:
 * <pre>
 *   input  z  (N, C)
 *   output a = f(z)  (N, C)                 forward:  Backend#mapElements(f, z, a)
 *   dZ = dA ⊙ f'(z)  (N, C)                 backward: Backend#mapElements(f', z, dZ), then Backend#multiply
 * </pre>
 * No parameters. The layer keeps a reference to its input until the next forward (the previous layer's output
 * buffer, which stays valid until then), because a custom derivative is written in terms of {@code z}.
 * Math: {@code docs/extending.md}.
 *
 * <p>Custom layers are not written to model files (their Java code cannot be); models holding one train,
 * predict and evaluate as any other, and their checkpoints restore into the network built in code
 * ({@link dev.nnj.api.io.Checkpoint#restoreInto}).
 */
public final class CustomActivationLayer extends ElementwiseLayer {
    private final CustomActivation function;
    // The user's methods as the backend's function type, made once: forward and backward allocate nothing.
    private final ElementFunction value;
    private final ElementFunction derivative;

    /** What {@link CustomActivation#name()} must look like: it becomes the layer type, and the name {@code swish_1}. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * A layer applying {@code function}.
     *
     * @param function the activation and its derivative
     * @throws NullPointerException if {@code function} is null
     * @throws IllegalArgumentException if {@code function.name()} is not a lower-case identifier ({@code
     *         [a-z][a-z0-9_]*}: {@code swish}, {@code gelu_tanh}): null, empty, with spaces or capitals it would make
     *         layer names such as {@code null_1}, {@code _1} or {@code My Act_1}
     */
    public CustomActivationLayer(CustomActivation function) {
        if (function == null) {
            throw new NullPointerException("function");
        }
        String name = function.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("CustomActivationLayer: the name() of " + function.getClass().getName()
                    + " must be a lower-case identifier ([a-z][a-z0-9_]*, such as swish or gelu_tanh), the layer type "
                    + "the model names the layer by (swish_1); got " + (name == null ? "null" : "\"" + name + "\""));
        }
        this.function = function;
        this.value = function::apply;
        this.derivative = function::derivative;
    }

    /**
     * The activation this layer applies.
     *
     * @return the function
     */
    public CustomActivation function() {
        return function;
    }

    @Override
    public String type() {
        return function.name();
    }

    /** {@code a = f(z)}; a custom derivative is written in terms of {@code z}, so the input is kept. */
    @Override
    Tensor compute(Tensor input, Tensor out) {
        backend().mapElements(value, input, out);
        return input;
    }

    /**
     * {@code out = f(x)} into the caller's buffer; touches no field of the layer, so a {@code predict} between a
     * forward pass and its backward leaves the kept input alone (the default would run forward, and replace it).
     */
    @Override
    public Tensor infer(Tensor input, Tensor out) {
        checkInput("infer", input);
        backend().mapElements(value, input, out);
        return out;
    }

    /** {@code dZ = dA ⊙ f'(z)}, from the kept input {@code z}. */
    @Override
    void computeInputGradient(Tensor input, Tensor outputGradient, Tensor dx) {
        backend().mapElements(derivative, input, dx);
        backend().multiply(dx, outputGradient, dx);
    }

    /**
     * Refused: a model file holds no code, so no model file can hold the function, whatever its settings.
     *
     * @throws UnsupportedOperationException always, naming the layer, its function and what to save instead
     */
    @Override
    public Map<String, Object> config() {
        throw new UnsupportedOperationException("layer " + (name() != null ? name() : type()) + " is a custom "
                + "activation (" + function.getClass().getName() + "): a model file holds no code, so a model "
                + "holding it cannot be saved to one; save model.stateDict() instead, rebuild the model in code and "
                + "call loadStateDict (a checkpoint restores into it with Checkpoint.restoreInto)");
    }

    /** {@code custom swish}: the summary tells custom activations apart by their names. */
    @Override
    public String describe() {
        return "custom " + function.name();
    }
}
