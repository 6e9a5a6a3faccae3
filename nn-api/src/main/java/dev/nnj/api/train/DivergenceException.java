package dev.nnj.api.train;

/**
 * Training diverged: the loss, a gradient or a weight stopped being finite, or the loss sits at the
 * clamped-log floor for most samples (see {@link Trainer}). Thrown by {@link Trainer#fit}; the model has been
 * put back to the weights it had at the start of the diverged epoch, the last state that passed the check, and
 * the optimizer to its state then (step count, learning rate, momenta; see
 * {@link dev.nnj.api.optim.Optimizer#markState()}), so that {@code fit} can be called again with the same model
 * and optimizer, say at a lower learning rate. An optimizer of one's own that cannot rewind is closed instead,
 * which resets it, and the message says {@code optimizer reset}.
 *
 * <p>The message is one line meant for a terminal, e.g.
 * {@code training diverged at epoch 3, batch 7 of 12: the loss is NaN; first non-finite parameter
 * dense_1.weight; weights and optimizer state restored to the start of epoch 3 (lower the learning rate?)}.
 * When the loss or a gradient is already not finite at the first batch of the run, before any update, the hint
 * in parentheses says instead that the learning rate is not the cause and to look at the scale of the features
 * and weights, the loss's domain, or a custom loss's gradient or activation's derivative.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 1-based epoch in which training diverged. */
    private final int epoch;
    /** 1-based batch of that epoch where it first showed, or 0 when no single batch is to blame. */
    private final int batch;
    /** The first parameter holding a non-finite value, or null. */
    private final String parameter;
    /** The epoch's mean training loss when the check failed. */
    private final double trainLoss;

    /**
     * A divergence report.
     *
     * @param message   the one-line description
     * @param epoch     1-based epoch in which training diverged
     * @param batch     1-based batch of that epoch where it first showed, or 0 when no single batch is to blame
     * @param parameter name of the first parameter whose value was not finite, or null when all were finite
     * @param trainLoss the epoch's mean training loss as measured (NaN, ±∞, or a value at the floor)
     */
    public DivergenceException(String message, int epoch, int batch, String parameter, double trainLoss) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.parameter = parameter;
        this.trainLoss = trainLoss;
    }

    /**
     * The epoch in which training diverged.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The batch of {@link #epoch()} where the divergence first showed when the epoch was replayed from its
     * starting weights with a check after every batch.
     *
     * @return the 1-based batch, or 0 when no single batch was to blame (a loss at the floor, or a replay that
     *         stayed finite)
     */
    public int batch() {
        return batch;
    }

    /**
     * The parameter where a non-finite value first appeared: the one the replay of the epoch caught after a
     * batch (its gradient or its updated value), else the first in model order that was not finite at the end
     * of the epoch.
     *
     * @return its name such as {@code dense_1.weight}, or null when every weight stayed finite
     */
    public String parameter() {
        return parameter;
    }

    /**
     * The diverged epoch's mean training loss.
     *
     * @return NaN, ±∞, or a finite value at the clamped-log floor
     */
    public double trainLoss() {
        return trainLoss;
    }
}
