package dev.nnj.api.model;

import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import java.util.List;

/**
 * The buffers one inference call needs, so that concurrent calls never share one: an output per layer, the
 * staged input and target batch, the loss and correct-count accumulators and a host staging array. One
 * call holds one set at a time (see {@link ScratchPool}); each slot keeps a tensor per recent batch size, so
 * a warm call allocates no tensor.
 */
final class InferenceScratch implements AutoCloseable {
    private final Backend backend;
    private final BatchBuffers[] outputs;
    private final BatchBuffers inputs;
    private final BatchBuffers targets;
    private final Tensor lossSum;
    private final Tensor correctCount;
    private float[] host = new float[0];

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
        this.lossSum = backend.zeros(1);
        this.correctCount = backend.zeros(1);
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

    /** One-element loss-sum accumulator. */
    Tensor lossSum() {
        return lossSum;
    }

    /** One-element correct-count accumulator. */
    Tensor correctCount() {
        return correctCount;
    }

    /** A host array of at least {@code length} floats, reused across calls. */
    float[] host(int length) {
        if (host.length < length) {
            host = new float[length];
        }
        return host;
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
