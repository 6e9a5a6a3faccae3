package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.BatchLoader;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The learning-rate range test (L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", 2017; fast.ai's
 * {@code lr_find}): train for a few steps while the learning rate grows exponentially from a tiny value to a large
 * one, record each batch's loss, and read a good starting rate off the curve, where the loss falls fastest.
 *
 * <pre>
 *   η_t = η_min · (η_max / η_min)^(t / (T − 1))            t = 0 … T − 1, one batch each
 *   L_t        the batch's mean loss before its step
 *   a_t = β · a_{t−1} + (1 − β) · L_t,   a_{−1} = 0          exponential moving average, β = 0.98
 *   S_t = a_t / (1 − β^(t+1))                              bias-corrected: the smoothed loss plotted
 * </pre>
 * The test stops early once {@code S_t} is more than {@link Builder#divergenceFactor} times its lowest value so far,
 * or a loss is not finite: past that the rate is too large to train at all. The suggestion is fast.ai's "valley"
 * (its default since 2.5): the longest stretch over which the smoothed loss keeps falling (the longest decreasing
 * subsequence of {@code S}), and the rate half-way along it, where the loss is falling and still far from the rates
 * that blow it up. Reading the single steepest step instead picks the noise of the flat start, where the batch losses
 * differ more than the rates do. The rate of the lowest smoothed loss divided by 10 is the classic second opinion,
 * and the suggestion itself for full batches: their loss has no noise and falls over the whole range, so the valley is
 * only the range's midpoint (0.0013 on the article's network, which then trained to accuracy 0.17 in 1000 epochs,
 * against 0.96 at the minimum's 0.39).
 *
 * <p>The model is left as it was: its parameters and dropout's mask streams are saved before the test and put back
 * after it, and the optimizer the steps use comes from {@code newOptimizer} and is closed after, so that the model's
 * own optimizer is untouched. Batches are drawn as {@link Trainer} draws them, reshuffled each time the rows run
 * out.
 *
 * <pre>{@code
 * LearningRateFinder.Result r = LearningRateFinder.builder().batchSize(32).build()
 *         .run(model, Loss.categoricalCrossEntropy(), () -> new Adam(1e-3f), train);   // the model stays as it was
 * try (Adam adam = new Adam((float) r.suggestion())) {
 *     Trainer.builder().epochs(50).batchSize(32).build().fit(model, loss, adam, train, validation);
 * }
 * }</pre>
 * Math and its limits: {@code docs/math.md} section 8.
 */
public final class LearningRateFinder {
    /** The moving average's decay {@code β}, fast.ai's. */
    static final double SMOOTHING = 0.98;

    private final double minLearningRate;
    private final double maxLearningRate;
    private final int steps;
    private final int batchSize;
    private final long seed;
    private final double divergenceFactor;

    private LearningRateFinder(Builder b) {
        this.minLearningRate = b.minLearningRate;
        this.maxLearningRate = b.maxLearningRate;
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.divergenceFactor = b.divergenceFactor;
    }

    /**
     * A builder with fast.ai's defaults: rates from {@code 1e-7} to {@code 10} over 100 batches of 32, stopping when
     * the smoothed loss passes 4 times its minimum.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What the test recorded, one entry per step taken.
     *
     * @param learningRates  the rate of each step
     * @param losses         each step's batch mean loss, before its update
     * @param smoothedLosses the bias-corrected moving average {@code S_t}
     * @param diverged       whether the test stopped early because the loss ran away
     * @param suggestion     the rate half-way along the longest fall of the smoothed loss ("valley"); for full
     *                       batches {@code minimumOverTen}; NaN without steps
     * @param minimumOverTen the rate of the lowest smoothed loss divided by 10, or NaN when no step was taken
     */
    public record Result(double[] learningRates, double[] losses, double[] smoothedLosses, boolean diverged,
                         double suggestion, double minimumOverTen) {
        /**
         * Keeps copies of the arrays, which must have one entry per step.
         *
         * @param learningRates  the rates
         * @param losses         the losses
         * @param smoothedLosses the smoothed losses
         * @param diverged       whether the test stopped early
         * @param suggestion     the valley's rate
         * @param minimumOverTen the lowest smoothed loss's rate over 10
         */
        public Result {
            dev.nnj.api.spi.Checks.requireNonNull("Result", "learningRates", learningRates);
            dev.nnj.api.spi.Checks.requireNonNull("Result", "losses", losses);
            dev.nnj.api.spi.Checks.requireNonNull("Result", "smoothedLosses", smoothedLosses);
            if (learningRates.length != losses.length || losses.length != smoothedLosses.length) {
                throw new IllegalArgumentException("one rate, loss and smoothed loss per step: got "
                        + learningRates.length + ", " + losses.length + " and " + smoothedLosses.length);
            }
            learningRates = learningRates.clone();
            losses = losses.clone();
            smoothedLosses = smoothedLosses.clone();
        }

        /** Equal steps (by the arrays' values), verdict and suggestions: two runs of one seed are equal. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && java.util.Arrays.equals(learningRates, r.learningRates)
                    && java.util.Arrays.equals(losses, r.losses)
                    && java.util.Arrays.equals(smoothedLosses, r.smoothedLosses) && diverged == r.diverged
                    && Double.compare(suggestion, r.suggestion) == 0
                    && Double.compare(minimumOverTen, r.minimumOverTen) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(java.util.Arrays.hashCode(learningRates), java.util.Arrays.hashCode(losses),
                    java.util.Arrays.hashCode(smoothedLosses), diverged, suggestion, minimumOverTen);
        }

        /** {@return a copy of the rates, one per step} */
        @Override
        public double[] learningRates() {
            return learningRates.clone();
        }

        /** {@return a copy of the batch losses, one per step} */
        @Override
        public double[] losses() {
            return losses.clone();
        }

        /** {@return a copy of the smoothed losses, one per step} */
        @Override
        public double[] smoothedLosses() {
            return smoothedLosses.clone();
        }

        /** {@return the steps taken, fewer than asked when the test diverged} */
        public int steps() {
            return losses.length;
        }

        /** @return the steps, where it stopped and the suggestions, without the curve's arrays */
        @Override
        public String toString() {
            return "LearningRateFinder.Result[steps=" + steps() + (diverged ? " (stopped: the loss ran away)" : "")
                    + ", suggestion=" + suggestion + ", minimumOverTen=" + minimumOverTen + "]";
        }
    }

    /**
     * Runs the test on {@code model} and puts it back as it was.
     *
     * @param model        the network, built and on its backend
     * @param loss         what to minimise
     * @param newOptimizer makes the optimizer the steps use (its own learning rate is overridden at each step); it
     *                     is closed after the test
     * @param train        the training rows, with targets
     * @return the curve and the suggested rates
     * @throws IllegalArgumentException if the data or the batch do not fit the model, the loss or the backend's memory,
     *                                  as {@link Trainer#fit} checks them (a target out of range is an
     *                                  {@link dev.nnj.api.data.InvalidDataException}, naming its row)
     * @throws NullPointerException     if an argument, or the optimizer supplied, is null
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training or predicting with the model:
     *         the test is a training call from start to end, as {@link Trainer#fit} is, so no other thread sees its
     *         weights and the model is put back as it was
     */
    public Result run(Sequential model, Loss loss, Supplier<? extends Optimizer> newOptimizer, Dataset train) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(newOptimizer, "newOptimizer");
        Objects.requireNonNull(train, "train");
        // The whole test is one training call, as fit is: another thread's predict in it would see the test's
        // weights, and its weights put back in the finally could be refused, leaving the test's in the model.
        ConcurrencyGuard guard = ConcurrencyGuard.of(model);
        guard.enterTraining("LearningRateFinder.run");
        long forwardsBefore = guard.forwards();
        try {
            return runConfined(model, loss, newOptimizer, train);
        } finally {
            if (guard.forwards() != forwardsBefore) {
                guard.activationsDropped();   // no backward follows the test's last forward pass
            }
            guard.exitTraining();
        }
    }

    private Result runConfined(Sequential model, Loss loss, Supplier<? extends Optimizer> newOptimizer,
                               Dataset train) {
        // As fit checks them, before anything changes.
        Trainer.requireTrainable(model, loss, train, null,
                batchSize <= 0 ? train.size() : Math.min(batchSize, train.size()));
        Map<String, float[]> weights = model.stateDict();
        Map<Dropout, long[]> masks = new LinkedHashMap<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof Dropout d) {
                masks.put(d, new long[] {d.maskSeed(), d.masksDrawn()});
            }
        }
        Backend backend = model.backend();
        List<Parameter> parameters = model.parameters();
        double[] rates = new double[steps];
        double[] losses = new double[steps];
        double[] smoothed = new double[steps];
        int taken = 0;
        boolean diverged = false;
        boolean stepped = false;   // whether any weight may have moved, and needs putting back
        RuntimeException failure = null;
        try (Optimizer optimizer = Objects.requireNonNull(newOptimizer.get(), "the optimizer supplied");
             BatchLoader loader = new BatchLoader(backend, train, batchSize, true, seed);
             Tensor lossSum = backend.zeros(1)) {
            int batches = loader.batchesPerEpoch();
            double average = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t < steps; t++) {
                int b = t % batches;
                if (b == 0) {
                    loader.startEpoch();
                }
                loader.load(b);
                double rate = minLearningRate * Math.pow(maxLearningRate / minLearningRate, t / (steps - 1.0));
                Tensor out = model.forward(loader.features(), true);
                loss.sum(backend, out, loader.targets(), 0f, lossSum);
                double batchLoss = lossSum.item() / out.rows();
                rates[t] = rate;
                losses[t] = batchLoss;
                average = SMOOTHING * average + (1 - SMOOTHING) * batchLoss;
                smoothed[t] = average / (1 - Math.pow(SMOOTHING, t + 1));
                taken = t + 1;
                if (!Double.isFinite(batchLoss) || smoothed[t] > divergenceFactor * best) {
                    diverged = true;
                    break;
                }
                best = Math.min(best, smoothed[t]);
                model.backward(loss, loader);
                optimizer.setLearningRate((float) rate);
                stepped = true;
                optimizer.step(parameters);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            masks.forEach((d, seedAndDrawn) -> d.resumeMasks(seedAndDrawn[0], seedAndDrawn[1]));
            if (stepped) {
                try {
                    model.loadStateDict(weights);
                } catch (RuntimeException e) {
                    // The test's own failure is the one to see; a restore that failed too rides along with it.
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
        double[] r = Arrays.copyOf(rates, taken);
        double[] s = Arrays.copyOf(smoothed, taken);
        double overTen = minimumOverTen(r, s);
        boolean fullBatch = batchSize <= 0 || batchSize >= train.size();
        return new Result(r, Arrays.copyOf(losses, taken), s, diverged, fullBatch ? overTen : suggest(r, s, steps),
                overTen);
    }

    /**
     * The valley of the curve as fast.ai reads it: without the first tenth of the steps asked for, where the average
     * has not yet damped the batches' noise, and the last five taken, where a diverging run shoots up; the whole
     * curve when too little would be left.
     */
    static double suggest(double[] rates, double[] smoothed, int stepsAsked) {
        int from = stepsAsked / 10;
        int to = rates.length - 5;
        if (to - from < 3) {
            return valley(rates, smoothed);
        }
        return valley(Arrays.copyOfRange(rates, from, to), Arrays.copyOfRange(smoothed, from, to));
    }

    /**
     * fast.ai's "valley": {@code lds[i]}, the length of the longest strictly decreasing subsequence of {@code S} that
     * ends at step {@code i}, found by dynamic programming ({@code O(T²)}, T at most a few hundred); the longest one
     * runs from {@code start = end − lds[end]} to {@code end}, and the suggestion is the rate a third plus a sixth of
     * the way along it ({@code start + ⌊L/3⌋ + ⌊L/6⌋}, {@code L = end − start}), as fast.ai computes it. NaN without
     * steps.
     */
    static double valley(double[] rates, double[] smoothed) {
        int n = rates.length;
        if (n == 0) {
            return Double.NaN;
        }
        int[] lds = new int[n];
        Arrays.fill(lds, 1);
        int end = 0;
        int start = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (smoothed[i] < smoothed[j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[end] < lds[i]) {
                    end = i;
                    start = end - lds[end];
                }
            }
        }
        double sections = (end - start) / 3.0;
        int at = start + (int) sections + (int) (sections / 2);
        return rates[Math.max(0, Math.min(n - 1, at))];
    }

    /** The rate of the lowest smoothed loss, over 10; NaN without steps. */
    static double minimumOverTen(double[] rates, double[] smoothed) {
        int best = -1;
        for (int t = 0; t < rates.length; t++) {
            if (Double.isFinite(smoothed[t]) && (best < 0 || smoothed[t] < smoothed[best])) {
                best = t;
            }
        }
        return best < 0 ? Double.NaN : rates[best] / 10;
    }

    /** Settings of a {@link LearningRateFinder}. */
    public static final class Builder {
        private double minLearningRate = 1e-7;
        private double maxLearningRate = 10;
        private int steps = 100;
        private int batchSize = 32;
        private long seed;
        private double divergenceFactor = 4;

        private Builder() {
        }

        /**
         * The rates to sweep, from {@code min} to {@code max} (fast.ai's {@code start_lr}, {@code end_lr}).
         *
         * @param min the first rate, {@code > 0}
         * @param max the last rate, {@code > min}, at most float32's largest
         * @return this builder
         * @throws IllegalArgumentException if the range is empty, not positive or not finite
         */
        public Builder range(double min, double max) {
            if (!(min > 0) || !(max > min) || max > Float.MAX_VALUE || (float) min == 0f) {
                throw new IllegalArgumentException("the learning-rate range must satisfy 0 < min < max <= "
                        + Float.MAX_VALUE + " (min a float32 above 0), got [" + min + ", " + max + "]");
            }
            minLearningRate = min;
            maxLearningRate = max;
            return this;
        }

        /**
         * Steps, one batch each (fast.ai's {@code num_it}).
         *
         * @param steps at least 2
         * @return this builder
         * @throws IllegalArgumentException if {@code steps < 2}
         */
        public Builder steps(int steps) {
            if (steps < 2) {
                throw new IllegalArgumentException("steps must be at least 2, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /**
         * Rows per batch, as the training will use.
         *
         * @param batchSize rows per step; {@code <= 0} or the rows' count for full batches
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Seeds the batches' shuffle, as {@link Trainer.Builder#seed} does.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Stop once the smoothed loss passes this many times its lowest so far (fast.ai: 4).
         *
         * @param factor above 1
         * @return this builder
         * @throws IllegalArgumentException if {@code factor <= 1} or not finite
         */
        public Builder divergenceFactor(double factor) {
            if (!(factor > 1) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("divergence factor must be a finite number above 1, got " + factor);
            }
            this.divergenceFactor = factor;
            return this;
        }

        /** {@return the finder} */
        public LearningRateFinder build() {
            return new LearningRateFinder(this);
        }
    }
}
