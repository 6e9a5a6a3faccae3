package dev.nnj.api.internal;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.losses.Loss;

/**
 * A sum of per-batch sums (a batch's summed loss, or its count of correct predictions) that stays exact in double
 * precision however many batches it takes. Each batch adds on the device, with {@code beta = 1}, so that a step never
 * waits for a read; every {@value #BATCHES_PER_READ} batches, and at the end, the device part is read and added to a
 * {@code double} on the host:
 * <pre>
 *   total = Σ_blocks (float32 sum of at most 16 batch sums, read)        accumulated in double
 * </pre>
 * Why not the device alone: its accumulator is one float32, and every addition rounds the running total to 24
 * bits. Over a million batches (10⁷ rows at batch 32) that moved a mean loss of 0.3378 to 0.3386, and past
 * 2²⁴ = 16,777,216 correct rows a count stops growing by 1 (3·10⁷ rows evaluated at 0.89966 accuracy, not 0.9).
 * Sixteen batch sums in float32 round at most 16 times, about 10⁻⁶ relative; the double takes the rest. A run of
 * fewer batches (the article's one full batch per epoch) reads as often as before: once, at the end.
 *
 * <p>Use: {@link #addLoss} or {@link #addCorrect} per batch, then {@link #total()}. Not thread-safe: one training
 * run or inference call owns it.
 */
public final class RunningSum implements AutoCloseable {
    /** Batch sums added on the device between two reads. */
    public static final int BATCHES_PER_READ = 16;

    private final Tensor device;
    /** The blocks read so far. */
    private double host;
    /** Batch sums on the device since its last read: 0 means the next one sets it. */
    private int pending;

    /**
     * A sum of 0.
     *
     * @param backend where the one-element device accumulator lives
     */
    public RunningSum(Backend backend) {
        this.device = backend.zeros(1);
    }

    /** Starts again from 0 (the device part is set, not added to, by the next batch). */
    public void reset() {
        host = 0;
        pending = 0;
    }

    /**
     * Adds a batch's summed loss, {@code Σ_i ℓ(prediction_i, target_i)}.
     *
     * @param loss       the loss
     * @param backend    the tensors' backend
     * @param prediction the batch's outputs
     * @param target     its targets, the same shape
     */
    public void addLoss(Loss loss, Backend backend, Tensor prediction, Tensor target) {
        loss.sum(backend, prediction, target, beta(), device);
        added();
    }

    /**
     * Adds a batch's count of correctly classified rows ({@link Backend#countCorrect}).
     *
     * @param backend    the tensors' backend
     * @param prediction the batch's outputs
     * @param target     its targets, the same shape
     */
    public void addCorrect(Backend backend, Tensor prediction, Tensor target) {
        backend.countCorrect(prediction, target, beta(), device);
        added();
    }

    /** The {@code beta} the next batch's op takes: 0 (sets) after a read or a reset, 1 (adds) otherwise. */
    private float beta() {
        return pending == 0 ? 0f : 1f;
    }

    /** Counts a batch added with {@link #beta()}: reads the device part every {@value #BATCHES_PER_READ}. */
    private void added() {
        if (++pending == BATCHES_PER_READ) {
            read();
        }
    }

    /** {@return the sum of every batch since the last reset: reads the device part if a batch is on it} */
    public double total() {
        if (pending > 0) {
            read();
        }
        return host;
    }

    private void read() {
        host += device.item();
        pending = 0;
    }

    @Override
    public void close() {
        device.close();
    }
}
