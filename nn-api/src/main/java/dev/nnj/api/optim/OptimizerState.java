package dev.nnj.api.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host copy of an optimizer's state, enough to continue training exactly where it stopped: the optimizer's
 * kind, the step count {@code t} (Adam's bias correction, SGD's first momentum step), the learning rate (which a
 * schedule may have changed), and each parameter's state tensors by parameter name — none for plain SGD, the
 * velocity {@code b} for SGD with momentum, {@code m} and {@code v} for Adam, {@code s} for AdaGrad, and
 * {@code s}, {@code ḡ}, {@code b} for RMSProp, each of the parameter's shape, row-major.
 *
 * @param kind         the optimizer's class name ({@code Adam}, {@code Sgd}, …); state only restores into the same kind
 * @param steps        steps taken so far
 * @param learningRate the learning rate at the time
 * @param slots        parameter name → its state tensors, in the optimizer's order (empty before the first step)
 */
public record OptimizerState(String kind, int steps, float learningRate, Map<String, List<float[]>> slots) {

    /**
     * Checks the values and copies the per-parameter state.
     *
     * @param kind         the optimizer's class name
     * @param steps        steps taken so far, {@code >= 0}
     * @param learningRate the learning rate
     * @param slots        per-parameter state, copied
     */
    public OptimizerState {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        Map<String, List<float[]>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<float[]>> e : slots.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        slots = Collections.unmodifiableMap(copy);
    }
}
