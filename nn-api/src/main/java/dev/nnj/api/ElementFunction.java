package dev.nnj.api;

/**
 * A user-supplied function of one float, applied to every element of a tensor by
 * {@link Backend#mapElements}: the hook through which activations that are not in {@link Activation} run on
 * any backend (see {@code docs/extending.md}).
 *
 * <p>It must be pure (same input, same output, no state), because a backend may call it from several threads
 * and in any order. The CPU backend calls it once per element; the CUDA backend copies the tensor to the host,
 * calls it there and copies the result back (a documented round trip, slower than the fused built-ins).
 */
@FunctionalInterface
public interface ElementFunction {

    /**
     * The function's value.
     *
     * @param x one element of the input
     * @return {@code f(x)}
     */
    float apply(float x);
}
