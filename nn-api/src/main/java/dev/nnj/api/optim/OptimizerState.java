package dev.nnj.api.optim;

import java.util.Arrays;
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
 * @param slots        parameter name → its state tensors, in the optimizer's order (empty before the first step);
 *                     the map and lists are copies, the arrays in them the caller's (a large model's state is not
 *                     held twice): change them and the state changes
 */
public record OptimizerState(String kind, int steps, float learningRate, Map<String, List<float[]>> slots) {

    /**
     * Checks the values and copies the map of per-parameter state and its lists (not the arrays).
     *
     * @param kind         the optimizer's class name
     * @param steps        steps taken so far, {@code >= 0}
     * @param learningRate the learning rate, finite and {@code >= 0}
     * @param slots        per-parameter state
     */
    public OptimizerState {
        dev.nnj.api.spi.Checks.requireNonNull("OptimizerState", "kind", kind);
        dev.nnj.api.spi.Checks.requireNonNull("OptimizerState", "slots", slots);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("OptimizerState: the learning rate must be finite and >= 0, got "
                    + learningRate);
        }
        Map<String, List<float[]>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<float[]>> e : slots.entrySet()) {
            dev.nnj.api.spi.Checks.requireNonNull("OptimizerState", "slots of " + e.getKey(), e.getValue());
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        slots = Collections.unmodifiableMap(copy);
    }

    /**
     * Equal to another state of the same kind, steps, learning rate and slots, their tensors compared value by value
     * (two exports of one optimizer between steps are equal).
     *
     * @param o the other object
     * @return whether it is an equal state
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState other) || !other.kind.equals(kind) || other.steps != steps
                || Float.compare(other.learningRate, learningRate) != 0 || !other.slots.keySet().equals(slots.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<float[]>> e : slots.entrySet()) {
            List<float[]> mine = e.getValue();
            List<float[]> theirs = other.slots.get(e.getKey());
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (int k = 0; k < mine.size(); k++) {
                if (!Arrays.equals(mine.get(k), theirs.get(k))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@return a hash of the kind, steps, learning rate and parameter names, consistent with {@link #equals}} */
    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + steps) * 31 + Float.hashCode(learningRate)) * 31 + slots.keySet().hashCode();
    }

    /** {@return e.g. {@code OptimizerState[Adam, 120 steps, learning rate 0.001, state of 4 parameters]}} */
    @Override
    public String toString() {
        return "OptimizerState[" + kind + ", " + steps + " steps, learning rate " + learningRate + ", state of "
                + slots.size() + " parameter" + (slots.size() == 1 ? "" : "s") + "]";
    }
}
