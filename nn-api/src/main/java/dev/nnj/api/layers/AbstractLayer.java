package dev.nnj.api.layers;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.spi.Checks;
import java.util.List;
import java.util.Random;

/** The bookkeeping every layer shares: backend, name, widths, and the check that it was built. */
public abstract class AbstractLayer implements Layer {
    private Backend backend;
    private String name;
    private int inputWidth;
    private int outputWidth;

    /** Creates an unbuilt layer; {@link #build} gives it a backend, a name and its widths. */
    protected AbstractLayer() {
    }

    /**
     * The backend this layer was built on.
     *
     * @return the backend, or null before {@link #build}
     */
    protected final Backend backend() {
        return backend;
    }

    /**
     * The width of this layer's input, set by {@link #build}.
     *
     * @return the input width, 0 before {@link #build}
     */
    protected final int inputWidth() {
        return inputWidth;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int build(Backend backend, String name, int inputWidth, Random random) {
        if (this.backend != null) {
            throw new IllegalStateException("layer " + this.name + " is already built; a layer belongs to one model");
        }
        if (inputWidth <= 0) {
            throw new IllegalArgumentException(type() + ": input width must be positive, got " + inputWidth);
        }
        this.backend = backend;
        this.name = name;
        this.inputWidth = inputWidth;
        this.outputWidth = createParameters(random);
        return outputWidth;
    }

    /**
     * Allocates parameters for {@link #inputWidth()} on {@link #backend()}.
     *
     * @param random the model's seeded random source, for initialisers
     * @return the output width
     */
    protected abstract int createParameters(Random random);

    @Override
    public final int outputWidth() {
        return outputWidth;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Throws unless the layer was built and {@code input} is {@code (N, inputWidth)}.
     *
     * @param op the operation named in the message, {@code "forward"}
     * @param input the batch to check
     */
    protected final void checkInput(String op, Tensor input) {
        if (backend == null) {
            throw new IllegalStateException(type() + " layer is not built: add it to a model first");
        }
        if (input.cols() != inputWidth) {
            throw new IllegalArgumentException(name + "." + op + ": input must be (N, " + inputWidth + "), got "
                    + Checks.toString(input.shape()));
        }
    }

    @Override
    public String toString() {
        return (name == null ? type() : name) + "(" + describe() + ")";
    }
}
