package dev.nnj.api.layers;

import dev.nnj.api.Tensor;
import dev.nnj.api.internal.BatchBuffers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Inverted dropout (Srivastava et al. 2014): while training, each element is kept with probability
 * {@code 1 − rate} and scaled by {@code 1 / (1 − rate)}, so the expected activation is unchanged and
 * inference needs no rescaling.
 * <pre>
 *   training:   m_ij = [u_ij ≥ rate] / (1 − rate),   a = x ⊙ m,   ∂L/∂x = ∂L/∂a ⊙ m
 *   inference:  a = x                                (identity, the input tensor is returned as is)
 * </pre>
 * Masks come from the counter-based {@link dev.nnj.api.spi.DropoutRng}, seeded from the model's seed and advanced
 * every training forward, so runs are reproducible and every backend draws the same masks.
 * Math: {@code docs/math.md#7-regularisation-dropout}.
 */
public final class Dropout extends AbstractLayer {
    private final float rate;
    private long seed;
    private long calls;
    private BatchBuffers masks;
    private BatchBuffers outputs;
    private BatchBuffers inputGradients;
    private Tensor lastMask;

    /**
     * A dropout layer; it is the identity at inference.
     *
     * @param rate the probability that an element is zeroed during training, in {@code [0, 1)}
     */
    public Dropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    protected int createParameters(Random random) {
        seed = random.nextLong();
        masks = new BatchBuffers(inputWidth());
        outputs = new BatchBuffers(inputWidth());
        inputGradients = new BatchBuffers(inputWidth());
        return inputWidth();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput("forward", input);
        if (!training || rate == 0f) {
            lastMask = null;
            return input;
        }
        Tensor mask = masks.get(backend(), input.rows());
        backend().dropoutMask(rate, stepSeed(seed, calls++), mask);   // a fresh mask per step
        Tensor out = outputs.get(backend(), input.rows());
        backend().multiply(input, mask, out);
        lastMask = mask;
        return out;
    }

    /**
     * The identity at inference: returns {@code input} and leaves {@code out} untouched; {@code out} may be null
     * (a model's own inference passes none, so that no buffer is made for this layer).
     */
    @Override
    public Tensor infer(Tensor input, Tensor out) {
        checkInput("infer", input);
        return input;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!needInputGradient) {
            return null;
        }
        if (lastMask == null) {
            return outputGradient;   // the forward was the identity
        }
        Tensor dx = inputGradients.get(backend(), outputGradient.rows());
        backend().multiply(outputGradient, lastMask, dx);
        return dx;
    }

    /**
     * The seed of the mask that training forward number {@code step} (from 0) draws from the stream {@code maskSeed}:
     * element {@code i} of that mask keeps its unit when
     * {@code DropoutRng.uniform(stepSeed(maskSeed, step), i) >= rate}.
     * A data-parallel trainer that splits a batch between machines uses it to draw, for the rows it holds, the rows of
     * the mask one machine would draw for the whole batch.
     *
     * @param maskSeed the stream's seed ({@link #maskSeed()})
     * @param step     the training forward's number, from 0 ({@link #masksDrawn()} before it)
     * @return the seed given to {@link dev.nnj.api.Backend#dropoutMask} for that step
     */
    public static long stepSeed(long maskSeed, long step) {
        return maskSeed + step * 0x632BE59BD9B4E019L;   // an odd constant: every step's seed differs
    }

    /**
     * The drop probability.
     *
     * @return the rate given to the constructor
     */
    public float rate() {
        return rate;
    }

    /**
     * The seed of this layer's masks, drawn from the model's seed when the layer was built.
     *
     * @return the seed
     */
    public long maskSeed() {
        return seed;
    }

    /**
     * How many masks training has drawn so far; the next training forward draws mask number
     * {@code masksDrawn()} from the stream {@code maskSeed()}.
     *
     * @return the count of training forwards so far
     */
    public long masksDrawn() {
        return calls;
    }

    /**
     * Continues a mask stream where a saved model or checkpoint left it, so that resumed training draws the
     * same masks as a run that never stopped.
     *
     * @param maskSeed   the stream's seed ({@link #maskSeed()} of the saved layer)
     * @param masksDrawn masks already drawn ({@link #masksDrawn()} of the saved layer), {@code >= 0}
     */
    public void resumeMasks(long maskSeed, long masksDrawn) {
        if (masksDrawn < 0) {
            throw new IllegalArgumentException(name() + ": masks drawn must be >= 0, got " + masksDrawn);
        }
        this.seed = maskSeed;
        this.calls = masksDrawn;
    }

    /** {@code rate} and the mask {@code seed} (as Keras' {@code Dropout(rate, seed)}). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", rate);
        c.put("seed", seed);
        return c;
    }

    @Override
    public String describe() {
        return "rate=" + rate;
    }

    @Override
    public void close() {
        if (masks != null) {
            masks.close();
            outputs.close();
            inputGradients.close();
        }
        lastMask = null;
    }
}
