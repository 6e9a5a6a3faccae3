package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateFinder;
import dev.nnj.api.train.Trainer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learning-rate range test on the backend under test: the rates it sweeps, the losses and their smoothing as
 * its formulas say, a stop when the loss runs away, a suggestion that trains, and the model left exactly as it was:
 * a run trained after the test ends where it ends without it (bit for bit on the CPU backend).
 */
public abstract class LearningRateFinderConformance extends ModelTestSupport {
    private final Loss loss = Loss.categoricalCrossEntropy();

    /** 120 rows of 6 features in 3 classes, each class shifting one feature. */
    private static Dataset data() {
        Random r = random("lr finder");
        int n = 120;
        float[] x = uniform(r, n * 6, -1, 1);
        int[] labels = new int[n];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            y[i * 3 + labels[i]] = 1;
            x[i * 6 + labels[i]] += 1.2f;
        }
        return new Dataset(x, 6, y, 3, labels);
    }

    private Sequential model() {
        return model(6, 17).add(new Dense(16, Activation.RELU)).add(new Dropout(0.2f))
                .add(new Dense(3, Activation.SOFTMAX));
    }

    private static Trainer trainer() {
        return Trainer.builder().epochs(5).batchSize(16).shuffle(true).seed(3).build();
    }

    @Test
    void theTestSweepsItsRatesSmoothsItsLossesAndLeavesTheModelAsItWas() {
        Dataset data = data();
        Sequential m = model();
        Map<String, float[]> before = m.stateDict();
        Dropout dropout = (Dropout) m.layers().get(1);
        long masksBefore = dropout.masksDrawn();
        LearningRateFinder.Result r = LearningRateFinder.builder().range(1e-5, 10).steps(80).batchSize(16).seed(3)
                .build().run(m, loss, () -> new Adam(1e-3f), data);

        double[] rates = r.learningRates();
        double[] losses = r.losses();
        double[] smoothed = r.smoothedLosses();
        assertTrue(r.diverged() && r.steps() < 80, "Adam at rates up to 10 runs away before the 80th step: "
                + r.steps());
        assertEquals(1e-5, rates[0], 1e-20);
        double ratio = Math.pow(10 / 1e-5, 1 / 79.0);
        double average = 0;
        for (int t = 0; t < r.steps(); t++) {
            if (t > 0) {
                assertEquals(ratio, rates[t] / rates[t - 1], 1e-9, "geometric rates, step " + t);
            }
            average = 0.98 * average + 0.02 * losses[t];
            assertEquals(average / (1 - Math.pow(0.98, t + 1)), smoothed[t], 1e-12, "smoothed loss, step " + t);
        }
        int last = r.steps() - 1;
        double lowest = Double.POSITIVE_INFINITY;
        int lowestAt = -1;
        for (int t = 0; t < last; t++) {
            if (smoothed[t] < lowest) {
                lowest = smoothed[t];
                lowestAt = t;
            }
        }
        assertTrue(!Double.isFinite(losses[last]) || smoothed[last] > 4 * lowest, "stopped where the loss ran away");
        assertEquals(rates[lowestAt] / 10, r.minimumOverTen(), 0, "the lowest smoothed loss's rate over 10");
        assertTrue(r.suggestion() > rates[0] && r.suggestion() < rates[last], "a rate inside the sweep: "
                + r.suggestion());

        for (Parameter p : m.parameters()) {
            assertSameFloats(p.name() + " after the test", before.get(p.name()), p.read());
        }
        assertEquals(masksBefore, dropout.masksDrawn(), "dropout's mask stream is where it was");
        // Trained afterwards, the model ends where the same model trained without the test ends.
        Sequential untouched = model();
        trainer().fit(m, loss, track(new Adam(1e-3f)), data, null);
        trainer().fit(untouched, loss, track(new Adam(1e-3f)), data, null);
        boolean exact = backend().name().equals("cpu");
        for (Parameter p : untouched.parameters()) {
            if (exact) {
                assertSameFloats(p.name() + " (bit for bit)", p.read(), m.parameter(p.name()).read());
            } else {
                assertClose(p.name(), p.read().length, toDouble(p.read()), m.parameter(p.name()).read(), 1e-5, 1e-6);
            }
        }

        // The suggested rate trains: five epochs of Adam at it lower the loss well below where it starts.
        Sequential fresh = model();
        History h = trainer().fit(fresh, loss, track(new Adam((float) r.suggestion())), data, null);
        assertTrue(h.trainLoss()[4] < 0.6 * h.trainLoss()[0], "loss " + h.trainLoss()[0] + " -> "
                + h.trainLoss()[4] + " at " + r.suggestion());
    }

    /** A full batch's loss falls over the whole range without noise: its suggestion is the minimum's rate over 10. */
    @Test
    void aFullBatchSuggestsTheLowestLossRateOverTen() {
        for (int batch : new int[] {0, 100_000}) {
            LearningRateFinder.Result r = LearningRateFinder.builder().range(1e-6, 10).steps(60).batchSize(batch)
                    .build().run(model(), loss, () -> new Sgd(0.1f), data());
            assertEquals(r.minimumOverTen(), r.suggestion(), 0, "batch " + batch);
        }
    }

    @Test
    void aSweepThatNeverRunsAwayTakesEveryStep() {
        LearningRateFinder.Result r = LearningRateFinder.builder().range(1e-6, 1e-3).steps(30).batchSize(32).build()
                .run(model(), loss, () -> new Sgd(0.1f), data());
        assertEquals(30, r.steps());
        assertTrue(!r.diverged());
        assertEquals(1e-3, r.learningRates()[29], 1e-15);
    }

    @Test
    void dataThatDoNotFitAreRefusedBeforeAnyStep() {
        Sequential m = model();
        Map<String, float[]> before = m.stateDict();
        Dataset narrow = new Dataset(new float[] {1, 2, 3, 4}, 2, new float[] {1, 0, 0, 0, 1, 0}, 3, new int[] {0, 1});
        assertThrowsSaying(IllegalArgumentException.class, () -> LearningRateFinder.builder().build()
                .run(m, loss, () -> new Adam(1e-3f), narrow), "training set has 2 features, the model takes 6");
        for (Parameter p : m.parameters()) {
            assertSameFloats(p.name(), before.get(p.name()), p.read());
        }
    }
}
