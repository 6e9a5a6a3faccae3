package dev.nnj.api.internal;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;

/**
 * Reusable {@code (rows, cols)} tensors for one slot of a layer (its output, its input gradient, …), one per
 * batch size seen recently.
 *
 * <p>Training alternates between a few batch sizes (full batches, the short last batch of an epoch, the
 * evaluation batch), so keeping one tensor per size means a training step allocates nothing after the first
 * epoch. At most {@code CAPACITY} (6) sizes are kept; the least recently used is closed to make room.
 *
 * <p>Not part of nnj's API: shared by the layers, the model and the trainer of nn-api only, and free to
 * change between releases.
 */
public final class BatchBuffers implements AutoCloseable {
    /** How many distinct batch sizes stay allocated per slot. */
    private static final int CAPACITY = 6;

    private final int cols;
    private final Tensor[] tensors = new Tensor[CAPACITY];
    private final long[] lastUse = new long[CAPACITY];
    private long clock;

    /**
     * Buffers of {@code cols} columns.
     *
     * @param cols the width of every buffer, positive
     */
    public BatchBuffers(int cols) {
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be positive, got " + cols);
        }
        this.cols = cols;
    }

    /**
     * The buffer of shape {@code (rows, cols)} on {@code backend}, allocated (zeroed) on first use.
     *
     * @param backend the backend that owns the buffer
     * @param rows the batch size
     * @return the buffer, owned by this object (do not close it)
     */
    public Tensor get(Backend backend, int rows) {
        clock++;
        int free = -1;
        int oldest = 0;
        for (int i = 0; i < CAPACITY; i++) {
            Tensor t = tensors[i];
            if (t == null) {
                if (free < 0) {
                    free = i;
                }
            } else if (t.rows() == rows && t.backend() == backend) {
                lastUse[i] = clock;
                return t;
            } else if (lastUse[i] < lastUse[oldest]) {
                oldest = i;
            }
        }
        int slot = free >= 0 ? free : oldest;
        if (tensors[slot] != null) {
            tensors[slot].close();
        }
        tensors[slot] = backend.zeros(rows, cols);
        lastUse[slot] = clock;
        return tensors[slot];
    }

    /**
     * Bytes of the buffers held, at four per element.
     *
     * @return the sum over the held tensors of {@code 4 · rows · cols}
     */
    public long bytes() {
        long total = 0;
        for (Tensor t : tensors) {
            if (t != null) {
                total += (long) t.rows() * cols * Float.BYTES;
            }
        }
        return total;
    }

    /**
     * Bytes of the largest buffer held.
     *
     * @return {@code 4 · rows · cols} of the buffer with the most rows, 0 when none is held
     */
    public long largestBytes() {
        int slot = largest();
        return slot < 0 ? 0 : (long) tensors[slot].rows() * cols * Float.BYTES;
    }

    /** Closes the buffer with the most rows, if any is held; the next {@code get} of its size makes it again. */
    public void closeLargest() {
        int slot = largest();
        if (slot >= 0) {
            tensors[slot].close();
            tensors[slot] = null;
        }
    }

    private int largest() {
        int slot = -1;
        for (int i = 0; i < CAPACITY; i++) {
            if (tensors[i] != null && (slot < 0 || tensors[i].rows() > tensors[slot].rows())) {
                slot = i;
            }
        }
        return slot;
    }

    /** Closes every buffer held. */
    @Override
    public void close() {
        for (int i = 0; i < CAPACITY; i++) {
            if (tensors[i] != null) {
                tensors[i].close();
                tensors[i] = null;
            }
        }
    }
}
