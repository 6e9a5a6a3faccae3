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
            boolean min = "min".equals(Json.string(c, "mode"));
            ReduceLROnPlateau rule = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS)
                    .mode(min ? ReduceLROnPlateau.Mode.MIN : ReduceLROnPlateau.Mode.MAX)
                    .factor(Json.number(c, "factor"))
                    .patience(integer(c, "patience"))
                    .threshold(Json.number(c, "threshold"), "rel".equals(Json.string(c, "threshold_mode"))
                            ? ReduceLROnPlateau.ThresholdMode.REL : ReduceLROnPlateau.ThresholdMode.ABS)
                    .cooldown(integer(c, "cooldown"))
                    .minLearningRate(Json.number(c, "min_lr"))
                    .eps(Json.number(c, "eps"));
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
}
