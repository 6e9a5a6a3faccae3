package dev.nnj.api.train;

/**
 * A learning rate that changes with the step count, applied by {@link Trainer} before every epoch or every
 * batch as {@link #interval()} says: the lr of scheduler step {@code t} (0-based: {@code t} steps taken
 * before) is {@link #learningRate(int, double) learningRate(t, η₀)}, where {@code η₀} is the optimizer's
 * learning rate when training starts. That is PyTorch's convention: a scheduler constructed on an optimizer
 * whose lr is {@code η₀}, and {@code scheduler.step()} called after every epoch (or batch).
 *
 * <p>The built-in schedules equal PyTorch's schedulers' values step for step (a golden test compares them
 * with values PyTorch computed). Math: {@code docs/math.md#8-learning-rate-schedules}.
 * <pre>{@code
 * Trainer.builder().epochs(30).schedule(LearningRateSchedule.step(10, 0.1))          // epochs 1-10: η₀, …
 * Trainer.builder().epochs(20).schedule(LearningRateSchedule.oneCycle(0.01, 20 * batchesPerEpoch))
 * }</pre>
 */
public interface LearningRateSchedule {

    /** When the schedule advances: once per epoch, or once per batch (optimizer step). */
    enum Interval {
        /** {@code scheduler.step()} after every epoch. */
        EPOCH,
        /** {@code scheduler.step()} after every batch. */
        BATCH
    }

    /**
     * The learning rate for scheduler step {@code step}.
     *
     * <p>The rate must be positive and finite, also once rounded to float: the optimizers refuse a zero rate, so a
     * schedule that returns 0 or less, NaN or infinity is refused when that step comes, with an {@link
     * IllegalStateException} naming the step and the value. A warm-up in HuggingFace's style, {@code η₀ t / w},
     * is 0 at step 0: write it {@code η₀ (t + 1) / w}, or start from a fraction of {@code η₀} as {@link
     * #cosineWithWarmup} does, and decay to a small positive floor rather than to 0.
     *
     * @param step                0-based number of scheduler steps taken before, in {@code [0, steps())}
     * @param initialLearningRate the optimizer's learning rate when training started ({@code η₀})
     * @return the learning rate to use, positive and finite
     */
    double learningRate(int step, double initialLearningRate);

    /**
     * When the schedule advances.
     *
     * @return per epoch or per batch
     */
    Interval interval();

    /**
     * How many steps the schedule defines; a run that needs more is rejected before it starts.
     *
     * @return the step count, {@link Integer#MAX_VALUE} when unbounded
     */
    default int steps() {
        return Integer.MAX_VALUE;
    }

    /**
     * Checks that the schedule can run from the optimizer's learning rate, when a run starts: the trainer calls it
     * with {@code η₀} before the first epoch, so that arguments that only go wrong for some {@code η₀} are refused
     * with both values rather than training at a rate nobody meant. The built-in schedules are relative to
     * {@code η₀} except for {@link WarmupCosine}'s absolute floor, which refuses an {@code η₀} below it.
     *
     * @param initialLearningRate the optimizer's learning rate when training starts ({@code η₀})
     * @throws IllegalArgumentException if the schedule cannot run from {@code initialLearningRate}, naming both values
     */
    default void requireUsableFrom(double initialLearningRate) {
    }

    /**
     * PyTorch's {@code StepLR(step_size, gamma)}: {@code η₀ · γ^⌊t / stepSize⌋}, per epoch.
     *
     * @param stepSize steps between decays (≥ 1)
     * @param gamma    multiplicative factor (&gt; 0)
     * @return the schedule
     */
    static StepDecay step(int stepSize, double gamma) {
        return new StepDecay(stepSize, gamma, Interval.EPOCH);
    }

    /**
     * PyTorch's {@code ExponentialLR(gamma)}: {@code η₀ · γ^t}, per epoch.
     *
     * @param gamma multiplicative factor per step (&gt; 0)
     * @return the schedule
     */
    static ExponentialDecay exponential(double gamma) {
        return new ExponentialDecay(gamma, Interval.EPOCH);
    }

    /**
     * Linear warm-up then cosine annealing, per epoch: PyTorch's {@code SequentialLR([LinearLR(start_factor=
     * warmupStartFactor, end_factor=1, total_iters=warmupSteps), CosineAnnealingLR(T_max=totalSteps -
     * warmupSteps, eta_min=minLearningRate)], milestones=[warmupSteps])}.
     *
     * @param warmupSteps       steps of linear warm-up (≥ 0; 0 is plain cosine annealing)
     * @param totalSteps        steps of the whole schedule (&gt; warmupSteps)
     * @param warmupStartFactor fraction of {@code η₀} at step 0, in (0, 1]
     * @param minLearningRate   the floor the cosine approaches ({@code eta_min}, ≥ 0): an absolute rate, unlike the
     *                          relative {@code warmupStartFactor}, so at most the optimizer's {@code η₀} (a run from a
     *                          lower {@code η₀} is refused when it starts)
     * @return the schedule
     */
    static WarmupCosine cosineWithWarmup(int warmupSteps, int totalSteps, double warmupStartFactor,
                                         double minLearningRate) {
        return new WarmupCosine(warmupSteps, totalSteps, warmupStartFactor, minLearningRate, Interval.EPOCH);
    }

    /**
     * PyTorch's {@code OneCycleLR(max_lr, total_steps, cycle_momentum=False)} with its other defaults
     * ({@code pct_start=0.3}, {@code anneal_strategy='cos'}, {@code div_factor=25}, {@code final_div_factor=1e4},
     * {@code three_phase=False}), per batch; see {@link OneCycle} for why not {@code cycle_momentum=True}. It sets
     * the learning rate itself: {@code η₀} is ignored.
     *
     * @param maxLearningRate the peak learning rate
     * @param totalSteps      optimizer steps in the whole run: epochs × batches per epoch, the batches counted on the
     *                        rows {@code fit} trains on, after a {@code validationSplit} has held its rows out (a run
     *                        that takes fewer steps is warned of: it would stop before the schedule anneals)
     * @return the schedule
     */
    static OneCycle oneCycle(double maxLearningRate, int totalSteps) {
        return new OneCycle(maxLearningRate, totalSteps, 0.3, 25.0, 1e4, Interval.BATCH);
    }
}
