package dev.nnj.api.train;

/**
 * The one-cycle policy (Smith and Topin 2017), as PyTorch's {@code OneCycleLR(max_lr, total_steps, pct_start,
 * anneal_strategy='cos', div_factor, final_div_factor, three_phase=False)} computes it: from
 * {@code η_start = maxLearningRate / divFactor} up to {@code maxLearningRate}, then down to
 * {@code η_min = η_start / finalDivFactor}, both halves along a cosine:
 * <pre>
 *   cos_anneal(a, b, p) = b + (a − b) · (1 + cos(π p)) / 2
 *   e₁ = pctStart · T − 1                 last step of the rise
 *   η_t = cos_anneal(η_start, max, t / e₁)                     t ≤ e₁
 *   η_t = cos_anneal(max, η_min, (t − e₁) / (T − 1 − e₁))      otherwise
 * </pre>
 * It sets the learning rate itself, whatever the optimizer's was. Only the learning rate is scheduled, so the PyTorch
 * equivalent is {@code OneCycleLR(..., cycle_momentum=False)}: the default {@code cycle_momentum=True} also cycles
 * momentum (or Adam's β1) between 0.95 and 0.85, which nnj's optimizers do not take as a schedule, and so turns
 * momentum on even for {@code SGD(momentum=0)} or {@code RMSprop(momentum=0)} (6 epochs of plain SGD: parameters 59 %
 * apart with the default, within 5e-8 without). Math: {@code docs/math.md#8-learning-rate-schedules}.
 *
 * @param maxLearningRate the peak learning rate (&gt; 0)
 * @param totalSteps      {@code T}, steps in the whole cycle (≥ 2)
 * @param pctStart        fraction of the steps spent rising, in (0, 1), with {@code pctStart · T ≠ 1}
 * @param divFactor       {@code maxLearningRate / η_start} (&gt; 0)
 * @param finalDivFactor  {@code η_start / η_min} (&gt; 0)
 * @param interval        per batch (PyTorch's use) or per epoch
 */
public record OneCycle(double maxLearningRate, int totalSteps, double pctStart, double divFactor,
                       double finalDivFactor, Interval interval) implements LearningRateSchedule {

    /**
     * Validates the arguments.
     *
     * @param maxLearningRate the peak learning rate (&gt; 0)
     * @param totalSteps      steps in the whole cycle (≥ 2)
     * @param pctStart        fraction of the steps spent rising, in (0, 1), with pctStart · totalSteps ≠ 1
     * @param divFactor       maxLearningRate / starting rate (&gt; 0)
     * @param finalDivFactor  starting rate / final rate (&gt; 0)
     * @param interval        per batch or per epoch
     */
    public OneCycle {
        if (!(maxLearningRate > 0) || Double.isInfinite(maxLearningRate)) {
            throw new IllegalArgumentException("maxLearningRate must be a positive finite number, got "
                    + maxLearningRate);
        }
        if (totalSteps < 2) {
            throw new IllegalArgumentException("totalSteps must be at least 2, got " + totalSteps);
        }
        if (!(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
        }
        // e₁ = 0 would make step 0 the rise's first and last step, t / e₁ = 0/0 (PyTorch: ZeroDivisionError). A
        // negative e₁ (pctStart · T < 1) is no rise at all, which PyTorch computes without complaint: allowed.
        if (pctStart * totalSteps - 1 == 0) {
            throw new IllegalArgumentException("pctStart " + pctStart + " of totalSteps " + totalSteps + " gives a "
                    + "rise of zero length (its last step, pctStart · totalSteps − 1, is step 0): choose a pctStart "
                    + "other than 1/" + totalSteps + ", or more steps");
        }
        if (!(divFactor > 0) || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException("divFactor and finalDivFactor must be positive, got " + divFactor
                    + " and " + finalDivFactor);
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
    public OneCycle per(Interval interval) {
        return new OneCycle(maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor, interval);
    }

    @Override
    public double learningRate(int step, double initialLearningRate) {
        Schedules.checkStep(step, totalSteps);
        double start = maxLearningRate / divFactor;
        double min = start / finalDivFactor;
        // PyTorch keeps the phase boundary as a float: pct_start * total_steps - 1.
        double riseEnd = pctStart * totalSteps - 1;
        if (step <= riseEnd) {
            return cosineAnneal(start, maxLearningRate, step / riseEnd);
        }
        return cosineAnneal(maxLearningRate, min, (step - riseEnd) / (totalSteps - 1 - riseEnd));
    }

    private static double cosineAnneal(double from, double to, double progress) {
        return to + (from - to) / 2.0 * (Math.cos(Math.PI * progress) + 1);
    }

    @Override
    public int steps() {
        return totalSteps;
    }
}
