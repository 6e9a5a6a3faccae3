package dev.nnj.api.model;

import dev.nnj.api.spi.Checks;
import java.util.Objects;

/**
 * A tensor's values in host memory together with its shape, as a model file or another framework hands
 * them over: {@code (rows, cols)} or {@code (n)}, row-major. Loading by shape catches what a bare
 * {@code float[]} cannot, such as an {@code (8, 4)} array offered for a {@code (4, 8)} weight.
 *
 * @param shape  dimensions, 1 or 2 of them, each positive
 * @param values {@code shape[0] · shape[1]} values, row-major: the array given, not a copy (a model loading it
 *               copies it)
 */
public record HostTensor(int[] shape, float[] values) {

    /**
     * Checks the shape against the values.
     *
     * @param shape  dimensions, 1 or 2 of them, each positive
     * @param values row-major values, exactly as many as the shape holds
     */
    public HostTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        shape = Checks.validate(shape);
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (values.length != size) {
            throw new IllegalArgumentException("a tensor of shape " + Checks.toString(shape) + " holds " + size
                    + " values, got " + values.length);
        }
    }

    /**
     * {@return the tensor}
     *
     * @param values row-major values
     * @param shape  dimensions
     */
    public static HostTensor of(float[] values, int... shape) {
        return new HostTensor(shape, values);
    }

    /**
     * Equal to another host tensor of the same shape and values (compared value by value, as
     * {@link java.util.Arrays#equals(float[], float[])} does), as {@link dev.nnj.api.io.NamedTensor} is.
     *
     * @param o the other object
     * @return whether it is an equal host tensor
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor other && java.util.Arrays.equals(other.shape, shape)
                && java.util.Arrays.equals(other.values, values);
    }

    /** {@return a hash of the shape and values, consistent with {@link #equals}} */
    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(shape) + java.util.Arrays.hashCode(values);
    }

    /** {@return the shape (a copy)} */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return e.g. {@code HostTensor(4, 8)} */
    @Override
    public String toString() {
        return "HostTensor" + Checks.toString(shape);
    }
}
