package dev.nnj.api.train;

/**
 * Step decay, PyTorch's {@code StepLR(step_size, gamma)}: {@code η_t = η₀ · γ^⌊t / stepSize⌋}.
 * Math: {@code docs/math.md#8-learning-rate-schedules}.
 *
 * @param stepSize steps between decays (≥ 1)
 * @param gamma    multiplicative factor (&gt; 0)
 * @param interval per epoch or per batch
 */
public record StepDecay(int stepSize, double gamma, Interval interval) implements LearningRateSchedule {

    /**
     * Validates the arguments.
     *
     * @param stepSize steps between decays (≥ 1)
     * @param gamma    multiplicative factor (&gt; 0)
     * @param interval per epoch or per batch
     */
    public StepDecay {
        if (stepSize < 1) {
            throw new IllegalArgumentException("stepSize must be at least 1, got " + stepSize);
        }
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
    public StepDecay per(Interval interval) {
        return new StepDecay(stepSize, gamma, interval);
    }

    @Override
    public double learningRate(int step, double initialLearningRate) {
        Schedules.checkStep(step, steps());
        return initialLearningRate * Math.pow(gamma, step / stepSize);
    }
}
