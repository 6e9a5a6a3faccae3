package dev.nnj.api.layers;

import dev.nnj.api.Tensor;
import dev.nnj.api.spi.AbstractTensor;
import dev.nnj.api.spi.Checks;

/**
 * A tensor a layer keeps from its forward pass for its backward pass (a Dense layer's input {@code x}, for
 * {@code ∂L/∂W = xᵀ·∂L/∂z}; its output {@code a}, for {@code f'}), with the number of times it had been written
 * then ({@link AbstractTensor#writes}: {@code copyFrom}, or a backend op's output). A hand-written loop that refills
 * its batch tensor before calling backward, or another model's forward pass writing again the output this layer took
 * as its input, would otherwise give a gradient mixing two batches, without a word; it is refused instead, as
 * PyTorch refuses a tensor changed in place that backward needs. The check costs a comparison: it reads a count, not
 * the values.
 */
final class KeptTensor {
    private Tensor tensor;
    private long writes;

    /** Keeps {@code t} (null to let go) and its write count now. */
    void keep(Tensor t) {
        tensor = t;
        writes = AbstractTensor.writesOf(t);
    }

    /**
     * The kept tensor, unwritten since it was kept.
     *
     * @param layer the layer's name, for the message
     * @param what  what the tensor is to the layer: "input", "output"
     * @return the tensor, or null when none is kept
     * @throws IllegalStateException when it was overwritten since the forward pass
     */
    Tensor get(String layer, String what) {
        if (tensor != null && AbstractTensor.writesOf(tensor) != writes) {
            throw new IllegalStateException(layer + ".backward: its " + what + " " + Checks.toString(tensor.shape())
                    + " was written again (copyFrom, or an op's output) after the forward pass, which backward reads "
                    + "it from: the gradient would mix two batches. Call backward before refilling the tensor, or "
                    + "forward again on the new values");
        }
        return tensor;
    }

    /** The kept tensor without the check, for shapes and the before-forward test. */
    Tensor peek() {
        return tensor;
    }
}
