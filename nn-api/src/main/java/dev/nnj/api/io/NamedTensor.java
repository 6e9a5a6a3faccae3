package dev.nnj.api.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A host float32 tensor under a name, as stored in a safetensors file: row-major {@code values} of the given
 * {@code shape} (an empty shape is a scalar holding one value).
 *
 * @param name   the tensor's name, e.g. {@code dense_1.weight}
 * @param shape  its dimensions, each {@code >= 0}; copied, in and out, so that the tensor keeps the shape it was
 *               checked against
 * @param values row-major data, {@code product(shape)} of them; not copied (a model's weights are large): the array
 *               given is the one {@link #values()} returns, and a write reads it as it is then
 */
public record NamedTensor(String name, int[] shape, float[] values) {

    /**
     * Checks that the values fill the shape.
     *
     * @param name   the tensor's name
     * @param shape  its dimensions
     * @param values row-major data
     */
    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        shape = shape.clone();   // a caller's later change would break the size checked here
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in "
                        + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + count + " values, got " + values.length);
        }
    }

    /**
     * The dimensions.
     *
     * @return a copy of them
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements.
     *
     * @return {@code product(shape)}
     */
    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor && ((NamedTensor) o).name.equals(name)
                && Arrays.equals(((NamedTensor) o).shape, shape) && Arrays.equals(((NamedTensor) o).values, values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
