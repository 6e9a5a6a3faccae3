package dev.nnj.spark;

import dev.nnj.api.layers.Parameter;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves an nnj optimizer's state (moment estimates, momentum buffers, the step count {@code t}) to and from
 * the plain arrays that averaging every K local steps ships between machines and averages, through
 * {@link Optimizer#exportState()} and {@link Optimizer#importState(List, OptimizerState)}.
 */
final class OptimizerStateBridge {

    private OptimizerStateBridge() {
    }

    /**
     * Host copies of the optimizer's state.
     *
     * @param optimizer  an nnj optimizer that can export its state
     * @param parameters the parameters it updates, in order
     * @return {@code state[i][k]}: the k-th state tensor of parameter i, row-major; zeros before the first step
     */
    static float[][][] read(Optimizer optimizer, List<Parameter> parameters) {
        OptimizerState state = optimizer.exportState();
        if (state.slots().isEmpty() && !parameters.isEmpty()) {
            // Not stepped yet: importing the fresh state binds the optimizer, so its zeroed tensors exist.
            optimizer.importState(parameters, state);
            state = optimizer.exportState();
        }
        float[][][] copy = new float[parameters.size()][][];
        for (int i = 0; i < copy.length; i++) {
            List<float[]> tensors = state.slots().get(parameters.get(i).name());
            if (tensors == null) {
                throw new IllegalStateException(optimizer.describe() + " keeps no state for parameter "
                        + parameters.get(i).name() + " (it has state for " + state.slots().keySet() + ")");
            }
            copy[i] = tensors.toArray(new float[0][]);
        }
        return copy;
    }

    /**
     * Overwrites the optimizer's state and step count; the learning rate stays as it is.
     *
     * @param optimizer  an nnj optimizer that can import a state
     * @param parameters the parameters it updates, in order
     * @param values     {@code values[i][k]} as returned by {@link #read}
     * @param steps      the step count {@code t} the next step continues from
     */
    static void write(Optimizer optimizer, List<Parameter> parameters, float[][][] values, int steps) {
        if (values.length != parameters.size()) {
            throw new IllegalArgumentException("optimizer state for " + values.length + " parameters, the model has "
                    + parameters.size());
        }
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            slots.put(parameters.get(i).name(), List.of(values[i]));
        }
        OptimizerState current = optimizer.exportState();
        optimizer.importState(parameters, new OptimizerState(current.kind(), steps, current.learningRate(), slots));
    }

    /**
     * Sets the step count {@code t}; the next {@code step} uses {@code t + 1} (Adam's bias correction). Costs
     * a copy of the state only when the count actually changes.
     *
     * @param optimizer  an nnj optimizer that can export and import its state
     * @param parameters the parameters it updates, in order
     * @param steps      the count, at least 0
     */
    static void setSteps(Optimizer optimizer, List<Parameter> parameters, int steps) {
        if (optimizer.steps() == steps) {
            return;
        }
        OptimizerState current = optimizer.exportState();
        optimizer.importState(parameters, new OptimizerState(current.kind(), steps, current.learningRate(),
                current.slots()));
    }
}
