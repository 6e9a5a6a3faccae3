package dev.nnj.api;

/**
 * A user-supplied function of two floats, applied element by element to two tensors of one shape by
 * {@link Backend#mapPairs} and summed by {@link Backend#sumPairs}: the hook through which losses that are not
 * in {@link LossKind} run on any backend (see {@code docs/extending.md}).
 *
 * <p>It must be pure (same inputs, same output, no state), because a backend may call it from several threads
 * and in any order. The CPU backend calls it once per element; the CUDA backend copies both tensors to the
 * host, calls it there and copies the result back.
 */
@FunctionalInterface
public interface PairFunction {

    /**
     * The function's value.
     *
     * @param a one element of the first tensor (a prediction, for a loss)
     * @param b the element at the same index of the second tensor (the target, for a loss)
     * @return {@code f(a, b)}
     */
    float apply(float a, float b);
}
