package dev.nnj.api;

/**
 * A dense float32 tensor, row-major and contiguous, owned by exactly one {@link Backend}.
 *
 * <p>nnj works with rank-1 and rank-2 tensors: a rank-2 tensor of shape {@code (rows, cols)} is a
 * matrix whose row {@code i} starts at element {@code i * cols}; a rank-1 tensor of shape {@code (n)}
 * is treated by the matrix ops as one row {@code (1, n)} (a bias vector, a column-sum result).
 *
 * <p>A backend makes them: {@link Backend#tensor(float[], int...) backend.tensor(data, rows, cols)} copies an array
 * in, {@link Backend#zeros(int...) backend.zeros(rows, cols)} starts from zeros, and {@link #toArray()} copies the
 * values out. A model's {@code fit} and {@code predict} take plain arrays ({@link dev.nnj.api.data.Dataset}), so a
 * program that only trains and predicts never makes one.
 *
 * <p>Tensors hold native or heap memory of their backend. Close them when done ({@code close()} twice
 * is a no-op); any other use of a closed tensor throws {@link IllegalStateException} naming its shape.
 * Layers and models own the tensors they create and close them in their own {@code close()}.
 */
public interface Tensor extends AutoCloseable {

    /**
     * The backend that owns this tensor's memory.
     *
     * @return the backend whose ops accept this tensor
     */
    Backend backend();

    /**
     * The shape, a fresh copy: {@code [n]} or {@code [rows, cols]}.
     *
     * @return the dimensions; changing the array does not change the tensor
     */
    int[] shape();

    /**
     * Number of dimensions: 1 or 2.
     *
     * @return 1 for a vector, 2 for a matrix
     */
    int rank();

    /**
     * Rows of the matrix view: {@code shape[0]} for rank 2, {@code 1} for rank 1.
     *
     * @return the row count, at least 1
     */
    int rows();

    /**
     * Columns of the matrix view: the last dimension.
     *
     * @return the column count, at least 1
     */
    int cols();

    /**
     * Number of elements, {@code rows() * cols()}.
     *
     * @return the element count
     */
    int size();

    /**
     * Copies all elements to a new host array (a device-to-host transfer on accelerators).
     *
     * @return a new row-major array of {@link #size()} elements
     */
    default float[] toArray() {
        float[] out = new float[size()];
        copyTo(out, 0);
        return out;
    }

    /**
     * Copies all elements into {@code dst[offset .. offset + size())}.
     *
     * @param dst the host array written
     * @param offset the index in {@code dst} of the first element
     */
    void copyTo(float[] dst, int offset);

    /**
     * Overwrites all elements with {@code src[offset .. offset + size())}.
     *
     * @param src the host array read, row-major
     * @param offset the index in {@code src} of the first element
     */
    void copyFrom(float[] src, int offset);

    /**
     * Overwrites all elements with {@code src}, whose length must equal {@link #size()}.
     *
     * @param src the row-major values
     * @throws IllegalArgumentException if {@code src.length != size()}
     */
    default void copyFrom(float[] src) {
        dev.nnj.api.spi.Checks.requireNonNull("copyFrom", "src", src);
        if (src.length != size()) {
            throw new IllegalArgumentException("copyFrom: source has " + src.length + " elements, tensor "
                    + describe(shape()) + " has " + size());
        }
        copyFrom(src, 0);
    }

    /**
     * The single element of a tensor of size 1 (a loss, a count).
     *
     * @return the value of the only element
     * @throws IllegalStateException if the tensor has more than one element
     */
    default float item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a tensor of size 1, got " + describe(shape()));
        }
        float[] one = new float[1];
        copyTo(one, 0);
        return one[0];
    }

    /**
     * True once {@link #close()} has run.
     *
     * @return whether the memory has been freed
     */
    boolean isClosed();

    /** Frees the memory; a second call does nothing. */
    @Override
    void close();

    /**
     * {@code (2, 3)} or {@code (5)}, as every message in nnj writes a shape. A copy of
     * {@code spi.Checks.toString}: this package must not depend on {@code spi}, which depends on it.
     */
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
