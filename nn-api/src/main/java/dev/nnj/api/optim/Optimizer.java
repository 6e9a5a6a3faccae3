package dev.nnj.api.optim;

import dev.nnj.api.layers.Parameter;
import java.util.List;

/**
 * Updates parameters in place from their gradients: the "gradient descent" half of training.
 *
 * <p>Call {@link #step(List)} once per batch, after the backward pass has set every parameter's gradient.
 * State (momentum buffers, moment estimates) is allocated on the parameters' backend at the first step and
 * kept there for the rest of training; {@link #close()} frees it and resets the optimizer.
 * A step is a training call of the parameters' model: confined to one thread at a time (see
 * {@link dev.nnj.api.model.Sequential}).
 */
public interface Optimizer extends AutoCloseable {

    /**
     * Applies one update to every parameter.
     *
     * @param parameters the parameters, their gradients filled by the last backward pass
     */
    void step(List<Parameter> parameters);

    /**
     * Current learning rate.
     *
     * @return the rate the next step uses
     */
    float learningRate();

    /**
     * Changes the learning rate from the next step on (for schedules).
     *
     * @param learningRate the new rate, positive and finite
     */
    void setLearningRate(float learningRate);

    /**
     * Steps taken so far.
     *
     * @return the number of calls to {@link #step}
     */
    int steps();

    /**
     * A host copy of the state (step count, learning rate, per-parameter moments), for checkpoints.
     *
     * @return the state
     * @throws UnsupportedOperationException if this optimizer cannot export its state
     */
    default OptimizerState exportState() {
        throw new UnsupportedOperationException(describe() + " cannot export its state");
    }

    /**
     * Continues from a saved state: binds the optimizer to {@code parameters} (as its first step would) and
     * copies the step count, the learning rate and every parameter's state tensors into it, so the next
     * {@link #step} is the one the saved optimizer would have taken.
     *
     * @param parameters the model's parameters, the ones the state was saved for
     * @param state      what {@link #exportState()} returned
     * @throws IllegalArgumentException if the state is of another kind of optimizer, or names or shapes differ
     */
    default void importState(List<Parameter> parameters, OptimizerState state) {
        throw new UnsupportedOperationException(describe() + " cannot import a state");
    }

    /**
     * Name and hyperparameters, for logs and summaries.
     *
     * @return for example {@code "adam(lr=0.001)"}
     */
    String describe();

    /**
     * Frees the optimizer state and resets the step count to 0: a later {@link #step} starts over as a new
     * optimizer would (fresh zero state, first step {@code t = 1}).
     */
    @Override
    void close();
}
