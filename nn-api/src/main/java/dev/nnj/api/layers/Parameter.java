package dev.nnj.api.layers;

import dev.nnj.api.Tensor;
import dev.nnj.api.spi.Checks;

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
    private ModelGuard guard;

    /**
     * A parameter and its gradient buffer.
     *
     * @param name the qualified name {@code <layer>.<role>}
     * @param value the trained values
     * @param gradient the gradient of the loss, same shape as {@code value}
     */
    public Parameter(String name, Tensor value, Tensor gradient) {
        if (value.rows() != gradient.rows() || value.cols() != gradient.cols()) {
            throw new IllegalArgumentException("parameter " + name + ": value " + Checks.toString(value.shape())
                    + " and gradient " + Checks.toString(gradient.shape()) + " must have the same shape");
        }
        this.name = name;
        this.value = value;
        this.gradient = gradient;
    }

    /**
     * Internal, not API: ties this parameter to its model's guard; called once by the model that adds the
     * parameter's layer ({@code Sequential.add}). A parameter belongs to one model.
     *
     * @param owner the owning model's guard
     * @throws IllegalStateException if the parameter already belongs to another model
     */
    public void attach(ModelGuard owner) {
        if (guard != null && guard != owner) {
            throw new IllegalStateException("parameter " + name + " already belongs to another model");
        }
        this.guard = owner;
    }

    /**
     * Internal, not API: the owning model's guard, which optimizer steps enter.
     *
     * @return the guard, or null for a parameter outside a model
     */
    public ModelGuard guard() {
        return guard;
    }

    /**
     * Qualified name: {@code <layer>.<role>}, e.g. {@code dense_1.bias}.
     *
     * @return the name, unique in a model ({@code Sequential.add} refuses a layer bringing a name it has)
     */
    public String name() {
        return name;
    }

    /**
     * The trained values, on the model's backend. Writing the tensor itself ({@code value().copyFrom}, a backend op)
     * bypasses the model's thread check, which {@link #write} and {@link dev.nnj.api.model.Sequential#loadStateDict}
     * make: a thread predicting meanwhile may see some of the new weights and some of the old. Use those, or swap
     * whole models ({@link dev.nnj.api.io.ModelSlot}), where other threads use the model.
     *
     * @return the value tensor
     */
    public Tensor value() {
        return value;
    }

    /**
     * {@code ∂L/∂value} from the last backward pass.
     *
     * @return the gradient tensor, same shape as {@link #value()}
     */
    public Tensor gradient() {
        return gradient;
    }

    /**
     * The shape of the value.
     *
     * @return a copy of the dimensions
     */
    public int[] shape() {
        return value.shape();
    }

    /**
     * The number of scalars.
     *
     * @return the element count of the value
     */
    public int size() {
        return value.size();
    }

    /**
     * A host copy of the value, row-major. An inference call of the owning model: many threads may read at once,
     * but not while another thread trains it.
     *
     * @return a new array of {@link #size()} values
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is training the model
     */
    public float[] read() {
        return hostCopy(value, "read");
    }

    /**
     * Overwrites the value from a host array of exactly {@link #size()} finite elements, as
     * {@code Sequential.loadStateDict} does for every parameter at once. A training call of the owning model: it
     * excludes every call from other threads.
     *
     * @param values the new values, row-major
     * @throws IllegalArgumentException if {@code values} has another length or holds a NaN or an infinity (the
     *         message names the parameter and the index); nothing is written
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is using the model
     * @throws NullPointerException if {@code values} is null
     */
    public void write(float[] values) {
        Checks.requireNonNull("write", "values", values);
        if (values.length != value.size()) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + Checks.toString(value.shape())
                    + " (" + value.size() + " values), got " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                // A NaN written here would surface steps later as a diverged loss or an overflow far from its cause.
                throw new IllegalArgumentException("parameter " + name + ": value " + i + " is " + values[i]
                        + "; a weight must be finite");
            }
        }
        if (guard == null) {
            value.copyFrom(values, 0);
            return;
        }
        guard.enterWeightsChange("write " + name);
        try {
            value.copyFrom(values, 0);
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * A host copy of the last gradient. An inference call of the owning model, as {@link #read()}.
     *
     * @return a new array of {@link #size()} gradient values
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is training the model
     */
    public float[] readGradient() {
        return hostCopy(gradient, "readGradient");
    }

    /** A host copy of {@code t} as an inference call of the owning model, if there is one. */
    private float[] hostCopy(Tensor t, String call) {
        if (guard == null) {
            return t.toArray();
        }
        guard.enterInference(call + " " + name);
        try {
            return t.toArray();
        } finally {
            guard.exitInference();
        }
    }

    @Override
    public void close() {
        value.close();
        gradient.close();
    }

    @Override
    public String toString() {
        return name + " " + Checks.toString(value.shape());
    }
}
