package dev.nnj.spark;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.AbstractLayer;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.DropoutRng;
import java.util.Random;

/**
 * Dropout on an executor: the rows of the global batch's mask that this partition's rows hold.
 *
 * <p>On one machine, training step {@code s} of a {@link Dropout} layer draws one mask for the whole batch of
 * {@code N} rows and width {@code w}, element {@code (q, j)} from the counter {@code q·w + j}:
 * <pre>
 *   m_qj = [DropoutRng.uniform(Dropout.stepSeed(maskSeed, s), q·w + j) ≥ rate] / (1 − rate)
 * </pre>
 * A partition holds some of the batch's rows, at positions {@code q_0, q_1, …} of it. Its row {@code i} gets row
 * {@code q_i} of that same mask, so every row of the global batch is dropped exactly as on one machine, however the
 * rows are spread over partitions, and a synchronous run with dropout computes nnj's own gradients. (A plain
 * {@code Dropout} on each partition would draw the mask of rows {@code 0 … m-1} on every one: the same mask for
 * different rows.) The mask is computed on the host, {@code m × w} counters a step, and uploaded.
 *
 * <p>Before each training forward the worker tells the layer which step and rows it runs ({@link #prepare}); the
 * layer keeps no count of its own. At inference it is the identity, as {@code Dropout} is.
 */
final class BatchRowsDropout extends AbstractLayer {
    private final float rate;
    private long stepSeed;
    private int[] positions;
    /**
     * This step's mask on the host, its copy on the backend, the output and the input gradient: written again by
     * each training step of the same batch size, and allocated anew only when the size changes (a partition's last,
     * shorter batch), so that a step allocates nothing but on a change.
     */
    private float[] hostMask = new float[0];
    private Tensor mask;
    private Tensor output;
    private Tensor inputGradient;
    /** Whether the last forward was a training step that masked its input (what backward undoes). */
    private boolean masked;

    /**
     * @param rate the probability that an element is zeroed while training, in {@code [0, 1)}
     */
    BatchRowsDropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /**
     * Sets every {@code BatchRowsDropout} of {@code model} to draw the mask rows of training step {@code step} for
     * the given positions in the global batch.
     *
     * @param model     an executor's network, built by {@link NetworkSpec#buildForPartitions}
     * @param maskSeeds each dropout layer's mask seed on the driver, in layer order
     * @param step      the global step, from 0 ({@link BatchSchedule#step})
     * @param positions position in the global batch of each row the next forward gets
     */
    static void prepare(Sequential model, long[] maskSeeds, long step, int[] positions) {
        int d = 0;
        for (Layer layer : model.layers()) {
            if (layer instanceof BatchRowsDropout) {
                BatchRowsDropout dropout = (BatchRowsDropout) layer;
                dropout.stepSeed = Dropout.stepSeed(maskSeeds[d++], step);
                dropout.positions = positions;
            }
        }
        if (d != maskSeeds.length) {
            throw new IllegalStateException("the network has " + d + " dropout layers, " + maskSeeds.length
                    + " mask seeds given");
        }
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    protected int createParameters(Random random) {
        random.nextLong();   // as Dropout draws its seed: the layers after it get the same initial weights
        return inputWidth();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput("forward", input);
        masked = false;
        if (!training || rate == 0f) {
            return input;
        }
        int rows = input.rows();
        if (positions == null || positions.length != rows) {
            throw new IllegalStateException(name() + ": prepared for " + (positions == null ? "no" : positions.length)
                    + " rows, the batch has " + rows);
        }
        int w = inputWidth();
        if (mask == null || mask.rows() != rows) {
            closeStep();
            hostMask = new float[rows * w];
            mask = backend().zeros(rows, w);
            output = backend().zeros(rows, w);
            inputGradient = backend().zeros(rows, w);
        }
        float keep = 1f / (1f - rate);
        for (int i = 0; i < rows; i++) {
            long first = (long) positions[i] * w;
            for (int j = 0; j < w; j++) {
                hostMask[i * w + j] = DropoutRng.maskValue(stepSeed, first + j, rate, keep);
            }
        }
        mask.copyFrom(hostMask);
        backend().multiply(input, mask, output);   // sets every element: out = input ⊙ mask
        masked = true;
        return output;
    }

    /** The identity, as {@link Dropout#infer}: {@code out} is left untouched. */
    @Override
    public Tensor infer(Tensor input, Tensor out) {
        checkInput("infer", input);
        return input;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!needInputGradient || !masked) {
            return needInputGradient ? outputGradient : null;
        }
        backend().multiply(outputGradient, mask, inputGradient);   // sets: dX = dY ⊙ mask, the forward's mask
        return inputGradient;
    }

    @Override
    public String describe() {
        return "rate=" + rate + ", the global batch's mask rows";
    }

    @Override
    public void close() {
        closeStep();
    }

    private void closeStep() {
        for (Tensor t : new Tensor[] {mask, output, inputGradient}) {
            if (t != null) {
                t.close();
            }
        }
        mask = null;
        output = null;
        inputGradient = null;
        masked = false;
    }
}
