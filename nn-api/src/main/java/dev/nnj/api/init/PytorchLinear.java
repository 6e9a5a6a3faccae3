package dev.nnj.api.init;

import java.util.Random;

/**
 * {@link Initializer#pytorchLinear()}: {@code U(-b, b)} with {@code b = 1 / √fanIn}, one instance, so that a caller
 * can tell it from the others and start the biases from it too, as PyTorch's {@code nn.Linear} does.
 */
final class PytorchLinear implements Initializer {
    static final PytorchLinear INSTANCE = new PytorchLinear();

    private PytorchLinear() {
    }

    @Override
    public void fill(float[] values, int fanIn, int fanOut, Random random) {
        double bound = 1 / Math.sqrt(fanIn);
        Initializer.uniform(-bound, bound).fill(values, fanIn, fanOut, random);
    }

    @Override
    public String toString() {
        return "pytorch_linear";
    }
}
