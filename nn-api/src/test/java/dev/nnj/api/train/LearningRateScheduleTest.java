package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.conformance.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in learning-rate schedules and {@link ReduceLROnPlateau} against the values PyTorch's schedulers
 * gave for the same settings (golden/lr_schedule_golden.json, made by scripts/golden/make_schedule_golden.py),
 * step by step. PyTorch applies most schedulers recursively ({@code lr ← lr · γ}) where nnj evaluates the
 * closed form, so the two may differ in the last bits: the tolerance is 1e-12 relative.
 */
class LearningRateScheduleTest {
    private static final double REL = 1e-12;

    private static List<Map<String, Object>> cases(String kind) {
        Map<String, Object> golden = Json.object(Json.resource("/golden/lr_schedule_golden.json"));
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Object c : Json.array(golden.get("cases"))) {
            Map<String, Object> m = Json.object(c);
            if (kind.equals(m.get("kind"))) {
                matching.add(m);
            }
        }
        assertTrue(matching.size() >= 2, "the golden file has at least two " + kind + " cases");
        return matching;
    }

    private static int integer(Map<String, Object> c, String key) {
        return (int) Json.number(c, key);
    }

    private static void assertSchedule(Map<String, Object> c, LearningRateSchedule schedule) {
        double[] expected = Json.doubles(c.get("lr"));
        double base = Json.number(c, "base_lr");
        for (int t = 0; t < expected.length; t++) {
            double actual = schedule.learningRate(t, base);
            assertEquals(expected[t], actual, REL * expected[t], schedule + " at step " + t);
        }
    }

    @Test
    void stepDecayEqualsStepLR() {
        for (Map<String, Object> c : cases("step")) {
            assertSchedule(c, LearningRateSchedule.step(integer(c, "step_size"), Json.number(c, "gamma")));
        }
    }

    @Test
    void exponentialDecayEqualsExponentialLR() {
        for (Map<String, Object> c : cases("exponential")) {
            assertSchedule(c, LearningRateSchedule.exponential(Json.number(c, "gamma")));
        }
    }

    @Test
    void warmupCosineEqualsLinearThenCosineAnnealingInSequentialLR() {
        for (Map<String, Object> c : cases("warmup_cosine")) {
            WarmupCosine s = LearningRateSchedule.cosineWithWarmup(integer(c, "warmup"), integer(c, "total"),
                    Json.number(c, "start_factor"), Json.number(c, "eta_min"));
            assertEquals(integer(c, "total"), s.steps(), "steps()");
            assertSchedule(c, s);
        }
    }

    @Test
    void oneCycleEqualsOneCycleLRWithItsDefaults() {
        for (Map<String, Object> c : cases("one_cycle")) {
            OneCycle s = LearningRateSchedule.oneCycle(Json.number(c, "max_lr"), integer(c, "total"));
            assertEquals(LearningRateSchedule.Interval.BATCH, s.interval(), "one-cycle runs per batch");
            assertSchedule(c, s);
        }
    }

    @Test
    void reduceOnPlateauEqualsReduceLROnPlateau() {
        for (Map<String, Object> c : cases("plateau")) {
            ReduceLROnPlateau rule = plateau(c);
            rule.start(Json.number(c, "base_lr"));
            double[] values = Json.doubles(c.get("values"));
            double[] expected = Json.doubles(c.get("lr"));
            for (int e = 0; e < values.length; e++) {
                rule.step(values[e]);
                assertEquals(expected[e], rule.learningRate(), REL * expected[e], rule + " after epoch " + (e + 1)
                        + " (value " + values[e] + ")");
            }
        }
    }

    /**
     * Stopped after any epoch and continued from its saved state (the rate the optimizer then holds is a float), the
     * rule sets the uninterrupted rule's rates exactly: the state keeps the rate in double precision.
     */
    @Test
    void aPlateauRuleContinuedFromItsSavedStateSetsTheSameRates() {
        for (Map<String, Object> c : cases("plateau")) {
            double[] values = Json.doubles(c.get("values"));
            for (int stop = 1; stop < values.length; stop++) {
                ReduceLROnPlateau straight = plateau(c);
                ReduceLROnPlateau first = plateau(c);
                straight.start(Json.number(c, "base_lr"));
                first.start(Json.number(c, "base_lr"));
                for (int e = 0; e < stop; e++) {
                    straight.step(values[e]);
                    first.step(values[e]);
                }
                ReduceLROnPlateau resumed = plateau(c);
                resumed.start((float) first.learningRate());   // what the restored optimizer holds
                resumed.restoreState(first.saveState());
                for (int e = stop; e < values.length; e++) {
                    straight.step(values[e]);
                    resumed.step(values[e]);
                    assertEquals(straight.learningRate(), resumed.learningRate(), "epoch " + (e + 1)
                            + " after a stop at " + stop + ": " + straight);
                }
            }
        }
        ReduceLROnPlateau rule = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS);
        rule.start(0.1);
        Map<String, String> state = new java.util.HashMap<>(rule.saveState());
        state.remove("bad_epochs");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> rule.restoreState(state));
        assertTrue(missing.getMessage().contains("no 'bad_epochs'"), missing.getMessage());
        state.put("bad_epochs", "two");
        assertThrows(IllegalArgumentException.class, () -> rule.restoreState(state));
        state.put("bad_epochs", "-1");
        assertThrows(IllegalArgumentException.class, () -> rule.restoreState(state));
        // A rule on another metric does not continue the saved count: it starts afresh (with a warning).
        ReduceLROnPlateau stepped = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS).patience(0);
        stepped.start(0.1);
        stepped.step(1.0);
        stepped.step(2.0);   // a bad epoch past patience 0: the rate drops to 0.01
        ReduceLROnPlateau accuracy = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_ACCURACY).patience(0);
        accuracy.start(0.01);
        accuracy.restoreState(stepped.saveState());
        accuracy.step(0.5);
        assertEquals(0.01, accuracy.learningRate(), "a fresh max-mode rule: 0.5 is its first best, no reduction");
        // A rate set on the optimizer since the checkpoint wins over the saved one.
        ReduceLROnPlateau changed = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS);
        changed.start(0.05);
        changed.restoreState(rule.saveState());
        assertEquals(0.05, changed.learningRate());
    }

    private static ReduceLROnPlateau plateau(Map<String, Object> c) {
        boolean min = "min".equals(Json.string(c, "mode"));
        return ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS)
                .mode(min ? ReduceLROnPlateau.Mode.MIN : ReduceLROnPlateau.Mode.MAX)
                .factor(Json.number(c, "factor"))
                .patience(integer(c, "patience"))
                .threshold(Json.number(c, "threshold"), "rel".equals(Json.string(c, "threshold_mode"))
                        ? ReduceLROnPlateau.ThresholdMode.REL : ReduceLROnPlateau.ThresholdMode.ABS)
                .cooldown(integer(c, "cooldown"))
                .minLearningRate(Json.number(c, "min_lr"))
                .eps(Json.number(c, "eps"));
    }

    @Test
    void stepsOutsideTheScheduleAreRejected() {
        OneCycle s = LearningRateSchedule.oneCycle(0.1, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.learningRate(10, 0.1));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("[0, 10)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(-1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineWithWarmup(5, 5, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS)
                .factor(1.0));
    }

    /**
     * A rise that ends at step 0 (pctStart · T − 1 = 0) would make step 0's rate 0/0: refused when the schedule is
     * made, naming pctStart and the step count, not when fit meets a NaN rate. A rise shorter than that (e₁ &lt; 0)
     * is no rise, as in PyTorch, and stays allowed.
     */
    @Test
    void aRiseOfZeroLengthIsRefusedNamingPctStartAndTheSteps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OneCycle(0.1, 2, 0.5, 25, 1e4, LearningRateSchedule.Interval.BATCH));
        assertTrue(e.getMessage().startsWith("pctStart 0.5 of totalSteps 2 gives a rise of zero length"),
                e.getMessage());
        assertTrue(e.getMessage().contains("other than 1/2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new OneCycle(0.1, 10, 0.1, 25, 1e4, LearningRateSchedule.Interval.BATCH));
        OneCycle noRise = new OneCycle(0.1, 3, 0.3, 25, 1e4, LearningRateSchedule.Interval.BATCH);
        for (int t = 0; t < 3; t++) {
            double rate = noRise.learningRate(t, 0.1);
            assertTrue(rate > 0 && rate < 0.1, "step " + t + ": " + rate);
        }
    }

    /**
     * The cosine's floor is absolute and its start factor relative: a floor above the optimizer's rate would raise
     * the rate all run long, so the run is refused when it starts, naming both; a floor equal to it is a constant
     * rate after the warm-up, allowed.
     */
    @Test
    void aCosineFloorAboveTheOptimizersRateIsRefusedWhenTheRunStarts() {
        WarmupCosine s = LearningRateSchedule.cosineWithWarmup(2, 20, 0.1, 1e-2);
        try (dev.nnj.api.optim.Adam adam = new dev.nnj.api.optim.Adam(1e-3f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LearningRates(s, adam, 10, 20));
            assertTrue(e.getMessage().startsWith("cosineWithWarmup: minLearningRate 0.01 is above the optimizer's "
                    + "learning rate 0.001 (η₀)"), e.getMessage());
            assertTrue(e.getMessage().contains("at most 0.001"), e.getMessage());
        }
        try (dev.nnj.api.optim.Adam adam = new dev.nnj.api.optim.Adam(1e-2f)) {
            new LearningRates(s, adam, 10, 20);   // the floor equals η₀ (as a float): allowed
            new LearningRates(LearningRateSchedule.cosineWithWarmup(2, 20, 0.1, 1e-4), adam, 10, 20);
        }
    }

    @Test
    void perChangesOnlyTheInterval() {
        StepDecay s = LearningRateSchedule.step(2, 0.5).per(LearningRateSchedule.Interval.BATCH);
        assertEquals(LearningRateSchedule.Interval.BATCH, s.interval());
        assertEquals(0.25, s.learningRate(4, 1.0), 0.0);
    }

    @Test
    void reduceOnPlateauOutsideATrainerSaysHowToUseIt() {
        ReduceLROnPlateau rule = ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rule.onEpochEnd(new EpochStats(1, 1, 1, 1, Double.NaN, Double.NaN, 0)));
        assertTrue(e.getMessage().contains("listener"), e.getMessage());
    }

    /** A schedule of one's own without a toString is named by its class in messages, not by Object's hash. */
    @Test
    void aScheduleWithoutToStringIsNamedByItsClass() {
        LearningRateSchedule own = new LearningRateSchedule() {
            @Override
            public double learningRate(int step, double initialLearningRate) {
                return initialLearningRate;
            }

            @Override
            public Interval interval() {
                return Interval.EPOCH;
            }
        };
        assertEquals("of class " + own.getClass().getName() + " (anonymous)", LearningRates.describe(own));
        LearningRateSchedule step = LearningRateSchedule.step(3, 0.5);
        assertEquals(step.toString(), LearningRates.describe(step));
        assertTrue(step.toString().startsWith("StepDecay["), step.toString());
    }

    /**
     * A schedule multiplies the decimal the user wrote, as PyTorch does: from {@code 1e-3f}, {@code 0.8 η₀} is the
     * float nearest {@code 8e-4}, where multiplying the float widened ({@code 0.0010000000474974513}) gave the one
     * above it, {@code 8.0000004E-4}. The same for the plateau rule's reduced rate.
     */
    @Test
    void schedulesMultiplyTheDecimalOfTheOptimizersRate() {
        RateOnly optimizer = new RateOnly(1e-3f);
        LearningRates rates = new LearningRates(LearningRateSchedule.exponential(0.8), optimizer, 1, 3);
        rates.beforeBatch(2, 0);
        assertEquals(8e-4f, optimizer.learningRate(), "the float nearest 8e-4, not " + Math.nextUp(8e-4f));
        rates.beforeBatch(3, 0);
        assertEquals((float) (1e-3 * 0.8 * 0.8), optimizer.learningRate());
        rates.restoreInitial();
        assertEquals(1e-3f, optimizer.learningRate(), "η₀ itself comes back bit for bit");
        assertEquals(0.001, LearningRates.decimalOf(1e-3f));
        assertEquals(8.0E-4, LearningRates.decimalOf(8e-4f));

        ReduceLROnPlateau plateau = ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS).factor(0.8).patience(0);
        plateau.onTrainingStart(new StubControl(optimizer, 3, 0));
        plateau.onEpochEnd(new EpochStats(1, 3, 1.0, Double.NaN, Double.NaN, Double.NaN, 0));
        plateau.onEpochEnd(new EpochStats(2, 3, 2.0, Double.NaN, Double.NaN, Double.NaN, 0));
        assertEquals(8e-4f, optimizer.learningRate(), plateau.toString());
    }

    /**
     * A schedule sized for more steps than the run takes (one-cycle counted on the rows before a validation split)
     * is warned of, naming both counts and the rate the run stops at, at WARN once per process (a search fits the
     * same schedule hundreds of times) and at DEBUG after that; one sized to the run is not.
     */
    @Test
    void aScheduleLongerThanTheRunIsWarnedOf() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LearningRates.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            new LearningRates(LearningRateSchedule.oneCycle(0.01, 150), new RateOnly(0.01f), 12, 10);
            assertEquals(1, appender.list.size(), appender.list.toString());
            String warning = appender.list.get(0).getFormattedMessage();
            assertTrue(warning.contains("defines 150 steps, but this run takes 120 (10 epochs x 12 batches): it stops "
                    + "at step 119's rate, "), warning);
            assertTrue(warning.contains("after a validationSplit has held its rows out"), warning);
            appender.list.clear();
            new LearningRates(LearningRateSchedule.oneCycle(0.01, 150), new RateOnly(0.01f), 12, 10);
            assertEquals(1, appender.list.size(), appender.list.toString());
            assertEquals(ch.qos.logback.classic.Level.DEBUG, appender.list.get(0).getLevel(), "said before: DEBUG");
            assertTrue(appender.list.get(0).getFormattedMessage().contains("said before"),
                    appender.list.get(0).getFormattedMessage());
            appender.list.clear();
            new LearningRates(LearningRateSchedule.oneCycle(0.01, 120), new RateOnly(0.01f), 12, 10);
            new LearningRates(LearningRateSchedule.step(3, 0.5), new RateOnly(0.01f), 12, 10);
            assertEquals(List.of(), appender.list, "sized to the run, or unbounded: no warning");
        } finally {
            logger.setLevel(level);
            logger.detachAppender(appender);
        }
    }

    /** An optimizer that only holds a rate: what {@link LearningRates} and the plateau rule read and set. */
    private static final class RateOnly implements dev.nnj.api.optim.Optimizer {
        private float rate;

        RateOnly(float rate) {
            this.rate = rate;
        }

        @Override
        public void step(List<dev.nnj.api.layers.Parameter> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float learningRate() {
            return rate;
        }

        @Override
        public void setLearningRate(float learningRate) {
            rate = learningRate;
        }

        @Override
        public int steps() {
            return 0;
        }

        @Override
        public String describe() {
            return "rate only";
        }

        @Override
        public void close() {
        }
    }
}
