package dev.nnj.api.layers;

import dev.nnj.api.ElementFunction;
import dev.nnj.api.Tensor;

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
 * predict and evaluate as any other.
 */
public final class CustomActivationLayer extends ElementwiseLayer {
    private final CustomActivation function;
    // The user's methods as the backend's function type, made once: forward and backward allocate nothing.
    private final ElementFunction value;
    private final ElementFunction derivative;

    /**
     * A layer applying {@code function}.
     *
     * @param function the activation and its derivative
     * @throws NullPointerException if {@code function} is null
     */
    public CustomActivationLayer(CustomActivation function) {
        if (function == null) {
            throw new NullPointerException("function");
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

    /** {@code dZ = dA ⊙ f'(z)}, from the kept input {@code z}. */
    @Override
    void computeInputGradient(Tensor input, Tensor outputGradient, Tensor dx) {
        backend().mapElements(derivative, input, dx);
        backend().multiply(dx, outputGradient, dx);
    }

    @Override
    public String describe() {
        return "custom";
    }
}
