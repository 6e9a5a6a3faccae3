package dev.nnj.api.spi;

import dev.nnj.api.Tensor;

/**
 * Shape bookkeeping and the closed-state contract shared by every backend's tensor class; a backend adds
 * its storage and implements {@link #release()} and the host copies.
 */
public abstract class AbstractTensor implements Tensor {
    private final int[] shape;
    private final int rows;
    private final int cols;
    private boolean closed;
    private long writes;

    /**
     * A tensor of the given shape.
     *
     * @param shape the dimensions, validated and copied
     */
    protected AbstractTensor(int... shape) {
        this.shape = Checks.validate(shape);
        this.rows = shape.length == 2 ? shape[0] : 1;
        this.cols = shape[shape.length - 1];
    }

    @Override
    public final int[] shape() {
        return shape.clone();
    }

    @Override
    public final int rank() {
        return shape.length;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final int size() {
        return rows * cols;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    /** Throws {@link IllegalStateException} naming the shape if this tensor was closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor " + Checks.toString(shape) + " on " + backend().name()
                    + " is closed");
        }
    }

    /**
     * Checks a host copy before it touches memory, in this order: this tensor is open (as {@link #checkOpen()}),
     * {@code host} holds {@code size()} elements from {@code offset} ({@link IllegalArgumentException}), and,
     * when {@link #backend()} extends {@link AbstractBackend}, the backend is open
     * ({@link IllegalStateException} "{@code op: the cpu backend is closed}", as its ops say). Call it first
     * in {@code copyTo}; {@code copyFrom} calls {@link #checkHostWrite}.
     *
     * @param op the operation named in the message: {@code "copyTo"} or {@code "copyFrom"}
     * @param host the host array
     * @param offset the first index used; {@code offset + size()} must fit in {@code host}
     */
    protected final void checkHostRange(String op, float[] host, int offset) {
        Checks.requireNonNull(op, op.equals("copyFrom") ? "src" : "dst", host);
        checkOpen();
        if (offset < 0 || (long) offset + size() > host.length) {
            throw new IllegalArgumentException(op + ": host array of length " + host.length + " at offset " + offset
                    + " cannot hold tensor " + Checks.toString(shape) + " (" + size() + " elements)");
        }
        if (backend() instanceof AbstractBackend b) {
            // A tensor still open on a closed backend: its memory may be gone with the backend (a device's).
            b.requireOpen(op);
        }
    }

    /**
     * {@link #checkHostRange} for {@code copyFrom}, counting the write ({@link #writes}). Call it first in
     * {@code copyFrom}.
     *
     * @param host the host array read
     * @param offset the first index read
     */
    protected final void checkHostWrite(float[] host, int offset) {
        checkHostRange("copyFrom", host, offset);
        writes++;
    }

    /**
     * How many times this tensor has been written: by {@code copyFrom}, or as the output of an op of an
     * {@link AbstractBackend} ({@code gemm}'s {@code c}, {@code copy}'s {@code dst}, ...). A layer that keeps a tensor
     * for its backward pass (a Dense layer its input {@code x}, for {@code ∂L/∂W = xᵀ·∂L/∂z}) reads the count at
     * forward and again at backward: a batch refilled in between, or an output another model's forward pass wrote
     * again, would otherwise give a gradient that mixes two batches, without a word.
     *
     * @return the writes so far, from 0
     */
    public final long writes() {
        return writes;
    }

    /**
     * {@link #writes} of any tensor: 0 for one of a class that does not extend this one (it counts nothing).
     *
     * @param t a tensor
     * @return its writes so far
     */
    public static long writesOf(Tensor t) {
        return t instanceof AbstractTensor a ? a.writes : 0;
    }

    /** Counts a write by an op of {@link AbstractBackend}, which calls it after the op. */
    final void markWritten() {
        writes++;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees the storage; called once, by the first {@link #close()}. */
    protected abstract void release();

    @Override
    public String toString() {
        return backend().name() + " tensor " + Checks.toString(shape) + (closed ? " (closed)" : "");
    }
}
