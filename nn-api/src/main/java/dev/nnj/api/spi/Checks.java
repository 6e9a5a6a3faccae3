package dev.nnj.api.spi;

import dev.nnj.api.Backend;
import dev.nnj.api.BackendInstances;
import dev.nnj.api.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Argument checks shared by every backend, so that a bad call fails in Java with the argument's name
 * and both shapes in the message, before any kernel runs (an out-of-bounds write on a GPU would kill
 * the whole context).
 */
public final class Checks {
    private Checks() {
    }

    /**
     * {@code (2, 3)} or {@code (5)}.
     *
     * @param shape the dimensions
     * @return the shape as nnj's messages write it
     */
    public static String toString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Checks that a requested shape is rank 1 or 2 with positive dimensions, and returns a copy.
     *
     * @param shape the dimensions
     * @return a copy of {@code shape}
     * @throws IllegalArgumentException naming the shape if it is invalid
     */
    public static int[] validate(int... shape) {
        if (shape == null || shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("shape must have 1 or 2 dimensions, got "
                    + (shape == null ? "null" : Arrays.toString(shape)));
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape dimensions must be positive, got " + toString(shape));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) {
            // The message of every other check of this limit: 2^31 - 9 is not 2^31 (2147483640 elements was refused
            // as "more than 2^31").
            throw new IllegalArgumentException("shape " + toString(shape) + " has " + size + " elements, more than one "
                    + "tensor can hold (" + (Integer.MAX_VALUE - 8) + ")");
        }
        return shape.clone();
    }

    /**
     * Checks that an argument is not null, so that the exception names the call and the argument, as
     * {@link #requireOn} does for tensors, rather than a field deep inside the library. The model and trainer
     * entry points use it too.
     *
     * @param op the call's name, first word of the message
     * @param arg the argument's name as the call's signature spells it
     * @param value the argument
     * @param <T> the argument's type
     * @return {@code value}
     * @throws NullPointerException {@code op: argument 'arg' is null}
     */
    public static <T> T requireNonNull(String op, String arg, T value) {
        if (value == null) {
            throw new NullPointerException(op + ": argument '" + arg + "' is null");
        }
        return value;
    }

    /**
     * Checks that {@code t} is not null, was created by this very {@code backend} instance (not merely one of
     * the same kind) and is open.
     *
     * @param backend the backend running the op
     * @param op the op's name, first word of the message
     * @param arg the argument's name as the op's signature spells it
     * @param t the tensor to check
     * @throws NullPointerException if {@code t} is null
     * @throws IllegalArgumentException if another backend (or another instance) owns {@code t}
     * @throws IllegalStateException if {@code t} is closed
     */
    public static void requireOn(Backend backend, String op, String arg, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": argument '" + arg + "' is null");
        }
        if (t.backend() != backend) {
            throw new IllegalArgumentException(op + ": tensor '" + arg + "' " + toString(t.shape())
                    + foreignOwner(t.backend(), backend));
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": tensor '" + arg + "' " + toString(t.shape()) + " is closed");
        }
    }

    /**
     * Where a tensor of another backend comes from, for error messages: {@code " lives on cuda, op runs on
     * cpu"}, or, for two instances of one kind of backend, {@code " belongs to another cpu backend instance
     * (#2), op runs on #1"}.
     */
    private static String foreignOwner(Backend owner, Backend op) {
        if (owner.name().equals(op.name())) {
            return " belongs to another " + op.name() + " backend instance (#" + BackendInstances.number(owner)
                    + "), op runs on #" + BackendInstances.number(op);
        }
        return " lives on " + owner.name() + ", op runs on " + op.name();
    }

    /**
     * Checks that {@code t} has exactly {@code rows x cols} as its matrix view.
     *
     * @param op the operation named in the message
     * @param arg the argument name
     * @param t the tensor to check
     * @param rows the expected rows
     * @param cols the expected columns
     */
    public static void requireMatrix(String op, String arg, Tensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(op + ": '" + arg + "' must be (" + rows + ", " + cols + "), got "
                    + toString(t.shape()));
        }
    }

    /**
     * Checks that two tensors have the same number of rows and columns.
     *
     * @param op the operation named in the message
     * @param argA the first argument's name
     * @param a the first tensor
     * @param argB the second argument's name
     * @param b the second tensor
     */
    public static void requireSameShape(String op, String argA, Tensor a, String argB, Tensor b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": '" + argA + "' " + toString(a.shape()) + " and '" + argB
                    + "' " + toString(b.shape()) + " must have the same shape");
        }
    }

    /**
     * Checks that {@code t} has {@code size} elements (a vector of that length, or a matrix of that size).
     *
     * @param op the operation named in the message
     * @param arg the argument name
     * @param t the tensor to check
     * @param size the expected element count
     */
    public static void requireSize(String op, String arg, Tensor t, int size) {
        if (t.size() != size) {
            throw new IllegalArgumentException(op + ": '" + arg + "' must have " + size + " elements, got "
                    + toString(t.shape()));
        }
    }

    /**
     * Refuses weights that are not all finite before a model file is written from them: every reader of nnj's model
     * files refuses such a file (its parameters must be finite), so writing it would replace a good file with one
     * that cannot be loaded. Weights become NaN or infinite when training diverges; {@code Trainer.fit} stops with a
     * {@code DivergenceException} then, a training loop of one's own does not. The writers of model files, checkpoints
     * and ONNX files call it on the weights they read.
     *
     * @param op the call that would write them, first word of the message ({@code save}, {@code toOnnx})
     * @param weights each parameter's values by name, in the model's order
     * @throws IllegalStateException naming the first parameter and index whose value is not finite, and the value
     */
    public static void requireFiniteWeights(String op, Map<String, float[]> weights) {
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            float[] values = e.getValue();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalStateException(op + ": parameter '" + e.getKey() + "' holds " + values[i]
                            + " at index " + i + ": the model's training diverged (a learning rate too large, or "
                            + "inputs or targets far from unit scale), and a file of weights that are not finite "
                            + "could not be loaded back; nothing is written");
                }
            }
        }
    }
}
