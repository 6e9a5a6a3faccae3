package dev.nnj.api.train;

/**
 * Exponential decay, PyTorch's {@code ExponentialLR(gamma)}: {@code η_t = η₀ · γ^t}.
 * Math: {@code docs/math.md#8-learning-rate-schedules}.
 *
 * @param gamma    multiplicative factor per step (&gt; 0)
 * @param interval per epoch or per batch
 */
public record ExponentialDecay(double gamma, Interval interval) implements LearningRateSchedule {

    /**
     * Validates the arguments.
     *
     * @param gamma    multiplicative factor per step (&gt; 0)
     * @param interval per epoch or per batch
     */
    public ExponentialDecay {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a positive finite number, got " + gamma);
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
    public ExponentialDecay per(Interval interval) {
        return new ExponentialDecay(gamma, interval);
    }

    @Override
    public double learningRate(int step, double initialLearningRate) {
        Schedules.checkStep(step, steps());
        return initialLearningRate * Math.pow(gamma, step);
    }
}
