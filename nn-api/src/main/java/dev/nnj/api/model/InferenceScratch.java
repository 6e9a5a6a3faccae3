package dev.nnj.api.model;

import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.internal.RunningSum;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The buffers one inference call needs, so that concurrent calls never share one: an output per layer, the
 * staged input and target batch, the loss and correct-count accumulators. One call holds one set at a time
 * (see {@link ScratchPool}); each slot keeps a tensor per recent batch size, so a warm call allocates no
 * tensor, and an idle set keeps at most {@link #IDLE_BYTES} of them ({@link #trim}).
 */
final class InferenceScratch implements AutoCloseable {
    /**
     * Bytes of buffers an idle set keeps: a batch of up to about 880 rows of a 784-256-128-10 network (1,188
     * floats a row with its targets), 7,000 of the digits' 64-64-10. Larger calls make their buffers again each
     * time, a small cost beside their work.
     */
    static final long IDLE_BYTES = 4L << 20;

    private final Backend backend;
    private final BatchBuffers[] outputs;
    private final BatchBuffers inputs;
    private final BatchBuffers targets;
    /** The outputs, the inputs and the targets: every slot, for {@link #trim}. */
    private final BatchBuffers[] all;
    private final RunningSum lossSum;
    private final RunningSum correctCount;

    /**
     * @param backend    where the buffers live
     * @param inputWidth the model's input width
     * @param layerWidths the output width of every layer, in order (the last is the model's output width)
     */
    InferenceScratch(Backend backend, int inputWidth, List<Integer> layerWidths) {
        this.backend = backend;
        this.outputs = new BatchBuffers[layerWidths.size()];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = new BatchBuffers(layerWidths.get(i));
        }
        this.inputs = new BatchBuffers(inputWidth);
        this.targets = new BatchBuffers(layerWidths.get(layerWidths.size() - 1));
        this.all = Arrays.copyOf(outputs, outputs.length + 2);
        all[outputs.length] = inputs;
        all[outputs.length + 1] = targets;
        this.lossSum = new RunningSum(backend);
        this.correctCount = new RunningSum(backend);
    }

    /** Output buffer {@code (rows, width of layer i)} of layer {@code i}. */
    Tensor output(int layer, int rows) {
        return outputs[layer].get(backend, rows);
    }

    /** Input staging buffer {@code (rows, inputWidth)}. */
    Tensor input(int rows) {
        return inputs.get(backend, rows);
    }

    /** Target staging buffer {@code (rows, outputWidth)}. */
    Tensor target(int rows) {
        return targets.get(backend, rows);
    }

    /** The loss sum of a call's batches. */
    RunningSum lossSum() {
        return lossSum;
    }

    /** The correct-prediction count of a call's batches. */
    RunningSum correctCount() {
        return correctCount;
    }

    /**
     * Closes the largest buffers until those left take at most {@code maxBytes}: a set waiting for its next
     * call keeps the buffers of the small batches a service sends again and again, not those of one large call
     * (a 100,000-row {@code evaluate} or {@code predict(Tensor)}), which would otherwise stay until the model
     * is closed, in every idle set.
     *
     * @param maxBytes what the set may keep
     */
    void trim(long maxBytes) {
        while (bytes() > maxBytes) {
            BatchBuffers largest = inputs;
            for (BatchBuffers b : all) {
                if (b.largestBytes() > largest.largestBytes()) {
                    largest = b;
                }
            }
            largest.closeLargest();
        }
    }

    /** The bytes of every buffer this set holds. */
    long bytes() {
        long total = 0;
        for (BatchBuffers b : all) {
            total += b.bytes();
        }
        return total;
    }

    @Override
    public void close() {
        for (BatchBuffers b : outputs) {
            b.close();
        }
        inputs.close();
        targets.close();
        lossSum.close();
        correctCount.close();
    }
}
