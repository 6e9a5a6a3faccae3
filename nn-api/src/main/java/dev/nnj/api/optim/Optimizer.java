package dev.nnj.api.optim;

import dev.nnj.api.layers.Parameter;
import java.util.List;

/**
 * Updates parameters in place from their gradients: the "gradient descent" half of training.
 *
 * <p>Call {@link #step(List)} once per batch, after the backward pass has set every parameter's gradient.
 * State (momentum buffers, moment estimates) is allocated on the parameters' backend at the first step and
 * kept there for the rest of training; {@link #close()} frees it.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update to every parameter. */
    void step(List<Parameter> parameters);

    /** Current learning rate. */
    float learningRate();

    /** Changes the learning rate from the next step on (for schedules). */
    void setLearningRate(float learningRate);

    /** Steps taken so far. */
    int steps();

    /** Name and hyperparameters, for logs and summaries. */
    String describe();

    /** Frees the optimizer state. */
    @Override
    void close();
}
