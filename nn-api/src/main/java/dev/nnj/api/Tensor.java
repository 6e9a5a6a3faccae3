package dev.nnj.api;

/**
 * A dense float32 tensor, row-major and contiguous, owned by exactly one {@link Backend}.
 *
 * <p>nnj works with rank-1 and rank-2 tensors: a rank-2 tensor of shape {@code (rows, cols)} is a
 * matrix whose row {@code i} starts at element {@code i * cols}; a rank-1 tensor of shape {@code (n)}
 * is treated by the matrix ops as one row {@code (1, n)} (a bias vector, a column-sum result).
 *
 * <p>Tensors hold native or heap memory of their backend. Close them when done ({@code close()} twice
 * is a no-op); any other use of a closed tensor throws {@link IllegalStateException} naming its shape.
 * Layers and models own the tensors they create and close them in their own {@code close()}.
 */
public interface Tensor extends AutoCloseable {

    /** The backend that owns this tensor's memory. */
    Backend backend();

    /** The shape, a fresh copy: {@code [n]} or {@code [rows, cols]}. */
    int[] shape();

    /** Number of dimensions: 1 or 2. */
    int rank();

    /** Rows of the matrix view: {@code shape[0]} for rank 2, {@code 1} for rank 1. */
    int rows();

    /** Columns of the matrix view: the last dimension. */
    int cols();

    /** Number of elements, {@code rows() * cols()}. */
    int size();

    /** Copies all elements to a new host array (a device-to-host transfer on accelerators). */
    default float[] toArray() {
        float[] out = new float[size()];
        copyTo(out, 0);
        return out;
    }

    /** Copies all elements into {@code dst[offset .. offset + size())}. */
    void copyTo(float[] dst, int offset);

    /** Overwrites all elements with {@code src[offset .. offset + size())}. */
    void copyFrom(float[] src, int offset);

    /** Overwrites all elements with {@code src}, whose length must equal {@link #size()}. */
    default void copyFrom(float[] src) {
        if (src.length != size()) {
            throw new IllegalArgumentException("copyFrom: source has " + src.length + " elements, tensor "
                    + describe(shape()) + " has " + size());
        }
        copyFrom(src, 0);
    }

    /** The single element of a tensor of size 1 (a loss, a count). */
    default float item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a tensor of size 1, got " + describe(shape()));
        }
        float[] one = new float[1];
        copyTo(one, 0);
        return one[0];
    }

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Frees the memory; a second call does nothing. */
    @Override
    void close();

    /** {@code (2, 3)} or {@code (5)}, as every message in nnj writes a shape. */
    private static String describe(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }
}
