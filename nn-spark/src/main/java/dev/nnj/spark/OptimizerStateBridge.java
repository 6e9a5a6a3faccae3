package dev.nnj.spark;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.optim.AbstractOptimizer;
import dev.nnj.api.optim.Optimizer;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Reads and writes an nnj optimizer's state (moment estimates, momentum buffers, the step count {@code t}),
 * which averaging every K local steps has to move between machines.
 *
 * <p>nnj's {@link Optimizer} interface keeps its state private; until it offers a state API of its own,
 * this one class reaches {@link AbstractOptimizer}'s fields by reflection, and nothing else in this module
 * does. Replace the bodies of {@link #read} and {@link #write} by calls to that API when it exists.
 */
final class OptimizerStateBridge {
    private static final Field STEPS;
    private static final Field STATE;
    private static final Method BIND;

    static {
        try {
            STEPS = AbstractOptimizer.class.getDeclaredField("steps");
            STATE = AbstractOptimizer.class.getDeclaredField("state");
            BIND = AbstractOptimizer.class.getDeclaredMethod("bind", List.class);
            STEPS.setAccessible(true);
            STATE.setAccessible(true);
            BIND.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this nnj version's AbstractOptimizer has no steps/state/bind: "
                    + e);
        }
    }

    private OptimizerStateBridge() {
    }

    /**
     * Host copies of the optimizer's state.
     *
     * @param optimizer  an nnj optimizer derived from {@link AbstractOptimizer}
     * @param parameters the parameters it updates, in order
     * @return {@code state[i][k]}: the k-th state tensor of parameter i, row-major; empty arrays before the
     *         first step
     */
    static float[][][] read(Optimizer optimizer, List<Parameter> parameters) {
        Tensor[][] state = bound(optimizer, parameters);
        float[][][] copy = new float[state.length][][];
        for (int i = 0; i < state.length; i++) {
            copy[i] = new float[state[i].length][];
            for (int k = 0; k < state[i].length; k++) {
                copy[i][k] = state[i][k].toArray();
            }
        }
        return copy;
    }

    /**
     * Overwrites the optimizer's state and step count.
     *
     * @param optimizer  an nnj optimizer derived from {@link AbstractOptimizer}
     * @param parameters the parameters it updates, in order
     * @param values     {@code values[i][k]} as returned by {@link #read}
     * @param steps      the step count {@code t} the next step continues from
     */
    static void write(Optimizer optimizer, List<Parameter> parameters, float[][][] values, int steps) {
        Tensor[][] state = bound(optimizer, parameters);
        if (values.length != state.length) {
            throw new IllegalArgumentException("optimizer state for " + values.length + " parameters, the model has "
                    + state.length);
        }
        for (int i = 0; i < state.length; i++) {
            if (values[i].length != state[i].length) {
                throw new IllegalArgumentException("parameter " + parameters.get(i).name() + ": "
                        + values[i].length + " state tensors given, " + optimizer.describe() + " keeps "
                        + state[i].length);
            }
            for (int k = 0; k < state[i].length; k++) {
                state[i][k].copyFrom(values[i][k], 0);
            }
        }
        setSteps(optimizer, steps);
    }

    /**
     * Sets the step count {@code t}; the next {@code step} uses {@code t + 1} (Adam's bias correction).
     *
     * @param optimizer an nnj optimizer derived from {@link AbstractOptimizer}
     * @param steps     the count, at least 0
     */
    static void setSteps(Optimizer optimizer, int steps) {
        try {
            STEPS.setInt(checked(optimizer), steps);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The optimizer's state tensors, allocating them (zeroed) when it has not stepped yet. */
    private static Tensor[][] bound(Optimizer optimizer, List<Parameter> parameters) {
        AbstractOptimizer o = checked(optimizer);
        try {
            Tensor[][] state = (Tensor[][]) STATE.get(o);
            if (state == null) {
                BIND.invoke(o, parameters);
                state = (Tensor[][]) STATE.get(o);
            }
            return state;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        }
    }

    private static AbstractOptimizer checked(Optimizer optimizer) {
        if (!(optimizer instanceof AbstractOptimizer)) {
            throw new IllegalArgumentException("averaging optimizer state needs an nnj AbstractOptimizer, got "
                    + optimizer.getClass().getName());
        }
        return (AbstractOptimizer) optimizer;
    }
}
