package dev.nnj.api.model;

import dev.nnj.api.Shapes;
import dev.nnj.api.Tensor;

/**
 * A trainable tensor and its gradient, under a stable name such as {@code dense_1.weight}.
 *
 * <p>The value and the gradient have the same shape and live on the same backend. Layers set the gradient
 * in their backward pass (it is overwritten, not accumulated, each step); optimizers read it and update
 * the value in place. {@link #read()} and {@link #write(float[])} copy through host {@code float[]} arrays,
 * which is what saving, loading, tests and interop build on.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    /** The owning model's guard, set when the parameter joins a model; optimizer steps enter it. */
    private ConcurrencyGuard guard;

    public Parameter(String name, Tensor value, Tensor gradient) {
        if (value.rows() != gradient.rows() || value.cols() != gradient.cols()) {
            throw new IllegalArgumentException("parameter " + name + ": value " + Shapes.toString(value.shape())
                    + " and gradient " + Shapes.toString(gradient.shape()) + " must have the same shape");
        }
        this.name = name;
        this.value = value;
        this.gradient = gradient;
    }

    /** Ties this parameter to its model's guard (once, by {@link Sequential#add}). */
    void attach(ConcurrencyGuard owner) {
        this.guard = owner;
    }

    /** The owning model's guard, or null outside a model. */
    ConcurrencyGuard guard() {
        return guard;
    }

    /** Qualified name: {@code <layer>.<role>}, e.g. {@code dense_1.bias}. */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor gradient() {
        return gradient;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    /** A host copy of the value, row-major. */
    public float[] read() {
        return value.toArray();
    }

    /** Overwrites the value from a host array of exactly {@link #size()} elements. */
    public void write(float[] values) {
        if (values.length != value.size()) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + Shapes.toString(value.shape())
                    + " (" + value.size() + " values), got " + values.length + " values");
        }
        value.copyFrom(values, 0);
    }

    /** A host copy of the last gradient. */
    public float[] readGradient() {
        return gradient.toArray();
    }

    @Override
    public void close() {
        value.close();
        gradient.close();
    }

    @Override
    public String toString() {
        return name + " " + Shapes.toString(value.shape());
    }
}
