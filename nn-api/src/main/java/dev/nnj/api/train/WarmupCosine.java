package dev.nnj.api.train;

/**
 * Linear warm-up followed by cosine annealing, as PyTorch computes
 * {@code SequentialLR([LinearLR(start_factor=s, end_factor=1, total_iters=W), CosineAnnealingLR(T_max=T − W,
 * eta_min=η_min)], milestones=[W])}:
 * <pre>
 *   η_t = η₀ · (s + (1 − s) · t / W)                                   t &lt; W      (warm-up)
 *   η_t = η_min + (η₀ − η_min) · (1 + cos(π (t − W) / (T − W))) / 2       W ≤ t &lt; T  (cosine)
 * </pre>
 * {@code η_min} is an absolute rate while {@code s} is a fraction of {@code η₀}: a floor above {@code η₀} would make
 * the "annealing" raise the rate, so a run whose optimizer starts below the floor is refused when it starts
 * ({@link #requireUsableFrom}).
 * Math: {@code docs/math.md#8-learning-rate-schedules}.
 *
 * @param warmupSteps       {@code W}, steps of linear warm-up (≥ 0)
 * @param totalSteps        {@code T}, steps of the whole schedule (&gt; W)
 * @param warmupStartFactor {@code s}, fraction of {@code η₀} at step 0, in (0, 1]
 * @param minLearningRate   {@code η_min}, the floor the cosine approaches (≥ 0)
 * @param interval          per epoch or per batch
 */
public record WarmupCosine(int warmupSteps, int totalSteps, double warmupStartFactor, double minLearningRate,
                           Interval interval) implements LearningRateSchedule {

    /**
     * Validates the arguments.
     *
     * @param warmupSteps       steps of linear warm-up (≥ 0)
     * @param totalSteps        steps of the whole schedule (&gt; warmupSteps)
     * @param warmupStartFactor fraction of η₀ at step 0, in (0, 1]
     * @param minLearningRate   the floor the cosine approaches (≥ 0)
     * @param interval          per epoch or per batch
     */
    public WarmupCosine {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps must exceed warmupSteps " + warmupSteps + ", got "
                    + totalSteps);
        }
        if (!(warmupStartFactor > 0 && warmupStartFactor <= 1)) {
            throw new IllegalArgumentException("warmupStartFactor must be in (0, 1], got " + warmupStartFactor);
        }
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("minLearningRate must be a finite number >= 0, got "
                    + minLearningRate);
        }
        if (interval == null) {
            throw new NullPointerException("interval");
        }
    }

    /**
     * The same schedule advancing at another interval.
     *
     * @param interval per epoch or per batch
     * @return a copy with that interval
     */
    public WarmupCosine per(Interval interval) {
        return new WarmupCosine(warmupSteps, totalSteps, warmupStartFactor, minLearningRate, interval);
    }

    @Override
    public double learningRate(int step, double initialLearningRate) {
        Schedules.checkStep(step, totalSteps);
        if (step < warmupSteps) {
            return initialLearningRate * (warmupStartFactor + (1 - warmupStartFactor) * step / warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLearningRate + (initialLearningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    /**
     * Refuses an {@code η₀} below the floor {@code η_min}: the cosine would climb from {@code η₀} to the floor, and
     * the warm-up would start below a rate the schedule then exceeds, the opposite of annealing. Equal at float
     * precision (the optimizer holds a float) is allowed: a constant rate after the warm-up.
     *
     * @param initialLearningRate the optimizer's learning rate when training starts ({@code η₀})
     * @throws IllegalArgumentException if {@code minLearningRate > initialLearningRate}, naming both
     */
    @Override
    public void requireUsableFrom(double initialLearningRate) {
        if (minLearningRate > initialLearningRate && (float) minLearningRate != (float) initialLearningRate) {
            throw new IllegalArgumentException("cosineWithWarmup: minLearningRate " + minLearningRate + " is above the "
                    + "optimizer's learning rate " + (float) initialLearningRate + " (η₀), so the schedule would raise "
                    + "the rate toward it; the floor is an absolute rate, not a fraction of η₀ like warmupStartFactor "
                    + warmupStartFactor + ": give a minLearningRate of at most " + (float) initialLearningRate
                    + " (for example " + (float) (initialLearningRate * 0.01) + ", 1 % of η₀)");
        }
    }

    @Override
    public int steps() {
        return totalSteps;
    }
}
