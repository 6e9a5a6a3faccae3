package dev.nnj.api.optim;

import dev.nnj.api.layers.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients: the "gradient descent" half of training.
 *
 * <p>Call {@link #step(List)} once per batch, after the backward pass has set every parameter's gradient.
 * State (momentum buffers, moment estimates) is allocated on the parameters' backend at the first step and
 * kept there for the rest of training; {@link #close()} frees it and resets the optimizer.
 * A step is a training call of the parameters' model: confined to one thread at a time (see
 * {@link dev.nnj.api.model.Sequential}).
 *
 * <h2>One optimizer per model</h2>
 * The first {@link #step} (or {@link #importState}) binds the optimizer to the parameters it is given: its
 * state tensors take their shapes and live on their backend. From then on it steps only those parameters; a
 * step on another list, such as a second model's, throws {@link IllegalArgumentException}
 * naming both lists ({@code ... use one optimizer per model ...}). Give each model its own optimizer, or
 * {@link #close()} this one first: that unbinds it, and its next step starts afresh on whatever parameters it gets.
 * Training a subset of a model's parameters (layers frozen: {@code step(model.parameters().subList(2, 4))}) binds
 * it to that subset; to go on with another (layers unfrozen), close it or use a second optimizer.
 *
 * <h2>Who closes it</h2>
 * Whoever creates the optimizer closes it when training is done, on the thread that steps it, with
 * try-with-resources as in {@code Trainer}'s example. {@link #close()} frees the state tensors (none for
 * plain SGD; one per parameter for momentum, two for Adam) and resets the step count; the learning rate and
 * hyperparameters stay, and nothing else is held. On the cpu backend the state is heap arrays, which the
 * garbage collector would reclaim anyway; on cuda it is device memory, which an optimizer left unclosed keeps
 * until it is unreachable and the garbage collector, which sees only its small Java objects, gets to it.
 * Neither the model nor the {@code Trainer} closes an optimizer, and closing the model does not close it. An
 * optimizer that outlives its backend needs no close: closing the backend frees every tensor on it, and a
 * later close does nothing harmful.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * Applies one update to every parameter.
     *
     * @param parameters the parameters, their gradients filled by the last backward pass
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training or predicting with the model
     *         the parameters belong to (a step writes its weights: a training call, confined to one thread), naming
     *         both threads; the built-in optimizers check, through {@link AbstractOptimizer}
     * @throws IllegalStateException if the parameters' backend is closed
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
     * Remembers the state as it is now (step count, learning rate, every state tensor), so that
     * {@link #rewindState()} can go back to it. The copies stay where the state lives: device copies into tensors
     * allocated at the first mark, no transfer to the host, and nothing allocated by later marks. They are kept until
     * {@link #close()}: once marked, an optimizer holds its state twice.
     *
     * <p>{@code Trainer} marks the start of every epoch, and after a divergence rewinds the optimizer with the
     * weights, so that a caller who catches the {@link dev.nnj.api.train.DivergenceException} and trains on, at
     * a lower learning rate, does not start from the NaN momenta the diverged epoch left; the replay that names
     * the batch runs from the same state as the epoch did.
     *
     * @return whether this optimizer can rewind; false by default, for an optimizer of one's own that does not
     *         implement these two methods: after a divergence the trainer then {@link #close() closes} it, which
     *         resets it to a fresh state
     */
    default boolean markState() {
        return false;
    }

    /**
     * Goes back to the state of the last {@link #markState()}: the step count, the learning rate and every state
     * tensor as they were then (an optimizer marked before its first step comes back unbound, as new). The mark
     * stays, so it can be rewound to again.
     *
     * @throws IllegalStateException         if nothing has been marked since the optimizer was made or closed
     * @throws UnsupportedOperationException if this optimizer cannot rewind ({@link #markState()} returns false)
     */
    default void rewindState() {
        throw new UnsupportedOperationException(describe() + " cannot rewind its state");
    }

    /**
     * The hyperparameters other than the learning rate, under PyTorch's names ({@code momentum},
     * {@code betas}, {@code eps}, {@code weight_decay}, …), each value as {@link Float#toString(float)} or
     * {@link Boolean#toString(boolean)} writes it. A {@link dev.nnj.api.io.Checkpoint} records them, and
     * restoring it into an optimizer whose hyperparameters differ is refused: the resumed run would not continue
     * the saved one. (The learning rate is saved as state, since schedules change it.)
     *
     * @return name to value, in a fixed order; empty by default, for an optimizer that has none to check
     */
    default Map<String, String> hyperparameters() {
        return Map.of();
    }

    /**
     * Name and hyperparameters, for logs and summaries.
     *
     * @return for example {@code "adam(lr=0.001)"}
     */
    String describe();

    /**
     * Frees the optimizer state and resets the step count to 0: a later {@link #step} starts over as a new
     * optimizer would (fresh zero state, first step {@code t = 1}), on the same or other parameters. The
     * learning rate is kept; a {@link #markState() mark} is dropped with the state. Closing twice does nothing
     * more. See the class comment for who closes it.
     */
    @Override
    void close();
}
