package dev.nnj.api.layers;

import dev.nnj.api.Tensor;
import dev.nnj.api.internal.BatchBuffers;
import java.util.Random;

/**
 * The bookkeeping shared by the parameter-free layers of shape {@code (N, d) → (N, d)}: those that map each element
 * on its own, and {@link Softmax}, which maps each row (its backward is a row's Jacobian, not an element's
 * derivative; the name is the common case's):
 * an output buffer and an input-gradient buffer per batch size, and the one tensor that backward reads from the
 * last forward ({@code x} or {@code a = f(x)}, whichever the derivative is written in).
 * <pre>
 *   forward:   a = f(x)                 into a reused (N, d) buffer; keeps x or a for backward
 *   backward:  ∂L/∂x from the kept tensor and ∂L/∂a, into a reused (N, d) buffer
 * </pre>
 * Subclasses supply only the two computations, {@link #compute} and {@link #computeInputGradient}.
 */
abstract class ElementwiseLayer extends AbstractLayer {
    private BatchBuffers outputs;
    private BatchBuffers inputGradients;
    // What the last forward kept for backward; null before the first forward and after close.
    private final KeptTensor saved = new KeptTensor();
    private boolean savedIsInput;

    /** Creates an unbuilt layer. */
    ElementwiseLayer() {
    }

    @Override
    protected int createParameters(Random random) {
        outputs = new BatchBuffers(inputWidth());
        inputGradients = new BatchBuffers(inputWidth());
        return inputWidth();
    }

    // forward and backward are final: a subclass that changed them would leave infer, which predict runs,
    // computing the old function (its compute), and a model's predictions unlike its forward passes.
    @Override
    public final Tensor forward(Tensor input, boolean training) {
        checkInput("forward", input);
        Tensor out = outputs.get(backend(), input.rows());
        Tensor kept = compute(input, out);
        saved.keep(kept);
        savedIsInput = kept == input;
        return out;
    }

    /**
     * Writes {@code out = f(input)} on {@link #backend()}.
     *
     * @param input the batch {@code x}, {@code (N, d)}, already checked
     * @param out the output buffer {@code a}, {@code (N, d)}
     * @return the tensor {@link #computeInputGradient} will need: {@code input} or {@code out}
     */
    abstract Tensor compute(Tensor input, Tensor out);

    @Override
    public final Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (saved.peek() == null) {
            throw new IllegalStateException(name() + ".backward called before forward");
        }
        if (!needInputGradient) {
            return null;
        }
        Tensor dx = inputGradients.get(backend(), outputGradient.rows());
        computeInputGradient(saved.get(name(), savedIsInput ? "input" : "output"), outputGradient, dx);
        return dx;
    }

    /**
     * Writes {@code dx = ∂L/∂x} on {@link #backend()}.
     *
     * @param saved what the last {@link #compute} returned
     * @param outputGradient {@code ∂L/∂a}, {@code (N, d)}
     * @param dx the input-gradient buffer, {@code (N, d)}
     */
    abstract void computeInputGradient(Tensor saved, Tensor outputGradient, Tensor dx);

    @Override
    public void close() {
        if (outputs != null) {
            outputs.close();
            inputGradients.close();
        }
        saved.keep(null);
    }
}
