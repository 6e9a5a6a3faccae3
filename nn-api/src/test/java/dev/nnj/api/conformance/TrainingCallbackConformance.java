package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.CsvLogger;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.OneCycle;
import dev.nnj.api.train.ReduceLROnPlateau;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingControl;
import dev.nnj.api.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the {@link Trainer} does with listeners, schedules and metrics on the backend under test: a listener
 * stops a run, a schedule sets the optimizer's learning rate before every epoch or every step to exactly the
 * schedule's value, an over-long run is refused before it starts, {@link ReduceLROnPlateau} lowers the rate on a
 * plateau, {@link CsvLogger} writes every epoch, and {@link Predictions} agrees with
 * {@link Sequential#evaluate}.
 */
public abstract class TrainingCallbackConformance extends ModelTestSupport {

    /** 40 rows, 3 features, 4 classes (labels from the sign pattern of the first two features). */
    private static Dataset data(long seed) {
        return signQuadrants(random("callbacks", seed), 40);
    }

    private Sequential classifier(long seed) {
        return model(3, seed).add(new Dense(8, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
    }

    /** Delegates to SGD and records the learning rate in force at every step. */
    private static final class RecordingSgd extends ForwardingSgd {
        final List<Float> rates = new ArrayList<>();

        RecordingSgd(float lr) {
            super(lr, "recording");
        }

        @Override
        public void step(List<Parameter> parameters) {
            rates.add(sgd.learningRate());
            sgd.step(parameters);
        }
    }

    @Test
    void aListenerStopsTrainingAfterTheEpochItAsks() {
        Sequential m = classifier(1);
        List<Integer> seen = new ArrayList<>();
        History[] ended = new History[1];
        TrainingListener stopAtThree = new TrainingListener() {
            private TrainingControl control;

            @Override
            public void onTrainingStart(TrainingControl control) {
                this.control = control;
                assertEquals(10, control.epochs(), "control.epochs()");
            }

            @Override
            public void onEpochEnd(EpochStats stats) {
                seen.add(stats.epoch());
                if (stats.epoch() == 3) {
                    control.requestStop("enough");
                }
            }

            @Override
            public void onTrainingEnd(History history) {
                ended[0] = history;
            }
        };
        History h = Trainer.builder().epochs(10).batchSize(8).seed(2).listener(stopAtThree).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(1), null);
        assertEquals(List.of(1, 2, 3), seen, "epochs seen by the listener");
        assertEquals(3, h.epochs(), "epochs run");
        assertTrue(h.stoppedEarly(), "stoppedEarly()");
        assertEquals("enough", h.stopReason(), "stopReason()");
        assertTrue(ended[0] == h, "onTrainingEnd receives the returned history");
    }

    /** Records its calls as {@code start}, {@code epoch k}, {@code end} and {@code failed: <message>}. */
    private static final class Recording implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        private final RuntimeException throwAtEpochTwo;
        private final RuntimeException throwWhenFailed;

        Recording(RuntimeException throwAtEpochTwo, RuntimeException throwWhenFailed) {
            this.throwAtEpochTwo = throwAtEpochTwo;
            this.throwWhenFailed = throwWhenFailed;
        }

        @Override
        public void onTrainingStart(TrainingControl control) {
            calls.add("start");
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            calls.add("epoch " + stats.epoch());
            if (stats.epoch() == 2 && throwAtEpochTwo != null) {
                throw throwAtEpochTwo;
            }
        }

        @Override
        public void onTrainingEnd(History history) {
            calls.add("end");
        }

        @Override
        public void onTrainingFailed(Throwable failure) {
            calls.add("failed: " + failure.getMessage());
            if (throwWhenFailed != null) {
                throw throwWhenFailed;
            }
        }
    }

    /**
     * A failed run gives every started listener its last call, onTrainingFailed, before fit throws: a listener
     * holding device tensors frees them then. The run's own exception reaches the caller, a failing hook's is
     * kept as suppressed, and a run refused before it starts calls no listener.
     */
    /**
     * The epochs' elapsed times start once the listeners have: a training log that waited for its pipe's reader in
     * its start had that wait counted as training (10 s of a 0.6 s run).
     */
    @Test
    void aListenersSlowStartIsNoTrainingTime() {
        Sequential m = classifier(1);
        long[] firstElapsed = {-1};
        TrainingListener slowStart = new TrainingListener() {
            @Override
            public void onTrainingStart(TrainingControl control) {
                try {
                    Thread.sleep(1500);   // as a log waiting for its pipe's reader
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onEpochEnd(EpochStats stats) {
                if (firstElapsed[0] < 0) {
                    firstElapsed[0] = stats.elapsedMillis();
                }
            }
        };
        Trainer.builder().epochs(1).batchSize(8).seed(2).listener(slowStart).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(1), null);
        assertTrue(firstElapsed[0] >= 0 && firstElapsed[0] < 1500, "the first epoch's elapsed time, "
                + firstElapsed[0] + " ms, holds none of the listener's 1500 ms start");
    }

    @Test
    void aFailedRunCallsOnTrainingFailedOnEveryStartedListenerBeforeItThrows() {
        Sequential m = classifier(1);
        IllegalStateException bug = new IllegalStateException("listener bug");
        IllegalStateException hookBug = new IllegalStateException("hook bug");
        Recording before = new Recording(null, hookBug);
        Recording thrower = new Recording(bug, null);
        Recording after = new Recording(null, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.builder().epochs(4)
                .batchSize(8).listener(before).listener(thrower).listener(after).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(1), null));
        assertTrue(e == bug, "the run's own exception reaches the caller: " + e);
        assertEquals(List.of(hookBug), List.of(e.getSuppressed()), "a failing hook's exception is kept with it");
        assertEquals(List.of("start", "epoch 1", "epoch 2", "failed: listener bug"), before.calls);
        assertEquals(List.of("start", "epoch 1", "epoch 2", "failed: listener bug"), thrower.calls);
        assertEquals(List.of("start", "epoch 1", "failed: listener bug"), after.calls,
                "a listener after the thrower never saw epoch 2, and still gets its last call");

        Recording refused = new Recording(null, null);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().epochs(2).listener(refused).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), new Dataset(new float[10], 5, new float[8], 4), null));
        assertEquals(List.of(), refused.calls, "refused before the start: no call at all");
    }

    @Test
    void aPerEpochScheduleSetsTheRateBeforeEveryEpoch() {
        RecordingSgd sgd = track(new RecordingSgd(0.2f));
        LearningRateSchedule schedule = LearningRateSchedule.step(2, 0.5);
        History h = Trainer.builder().epochs(5).batchSize(16).seed(3).schedule(schedule).build()
                .fit(classifier(2), Loss.categoricalCrossEntropy(), sgd, data(2), null);
        int batches = 3;   // 40 rows in batches of 16
        assertEquals(5 * batches, sgd.rates.size(), "optimizer steps");
        for (int e = 0; e < 5; e++) {
            float expected = (float) schedule.learningRate(e, 0.2f);
            assertEquals(expected, (float) h.learningRate()[e], "history's learning rate of epoch " + (e + 1));
            for (int b = 0; b < batches; b++) {
                assertEquals(expected, sgd.rates.get(e * batches + b), "rate at epoch " + (e + 1) + " batch " + b);
            }
        }
    }

    @Test
    void aPerBatchScheduleSetsTheRateBeforeEveryStep() {
        RecordingSgd sgd = track(new RecordingSgd(0.5f));
        int epochs = 4;
        int batches = 5;   // 40 rows in batches of 8
        OneCycle schedule = LearningRateSchedule.oneCycle(0.05, epochs * batches);
        Trainer.builder().epochs(epochs).batchSize(8).seed(4).schedule(schedule).build()
                .fit(classifier(3), Loss.categoricalCrossEntropy(), sgd, data(3), null);
        assertEquals(epochs * batches, sgd.rates.size(), "optimizer steps");
        for (int t = 0; t < sgd.rates.size(); t++) {
            assertEquals((float) schedule.learningRate(t, 0.5), sgd.rates.get(t), "rate at step " + t);
        }
    }

    @Test
    void aRunLongerThanItsScheduleIsRefusedBeforeItStarts() {
        Sequential m = classifier(4);
        Map<String, float[]> before = m.stateDict();
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(3).batchSize(8)
                        .schedule(LearningRateSchedule.oneCycle(0.1, 10)).build()
                        .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(4), null),
                "10 steps", "3 epochs x 5 batches", "15");
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            assertSameFloats(e.getKey() + " untouched", e.getValue(), m.parameter(e.getKey()).read());
        }
    }

    @Test
    void reduceOnPlateauLowersTheRateWhenTheMetricStalls() {
        // A learning rate so small that the validation accuracy cannot change: every epoch after the first is
        // a plateau, so with patience 1 the rate drops after epoch 3 and again after epoch 5.
        Sgd sgd = track(new Sgd(1e-6f));
        Dataset d = data(5);
        ReduceLROnPlateau plateau = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_ACCURACY)
                .patience(1).factor(0.5).threshold(0.01, ReduceLROnPlateau.ThresholdMode.ABS);
        History h = Trainer.builder().epochs(6).batchSize(0).listener(plateau).build()
                .fit(classifier(5), Loss.categoricalCrossEntropy(), sgd, d, d);
        float[] acc = h.validationAccuracy();
        for (float a : acc) {
            assertEquals(acc[0], a, "the test needs a constant validation accuracy");
        }
        double[] lr = h.learningRate();
        double[] expected = {1e-6f, 1e-6f, 1e-6f, (float) (1e-6f * 0.5), (float) (1e-6f * 0.5),
            (float) (1e-6f * 0.25)};
        for (int e = 0; e < expected.length; e++) {
            assertEquals((float) expected[e], (float) lr[e], "learning rate of epoch " + (e + 1));
        }
        assertEquals((float) (1e-6f * 0.25), sgd.learningRate(), "after epoch 6 (one bad epoch since the drop)");
    }

    /**
     * One Trainer's fits on two threads share its listeners: a listener that keeps a run's state is refused to the
     * second fit while the first runs (ReduceLROnPlateau cut the other run's rate from this run's metric), and serves
     * it once the first has ended.
     */
    @Test
    void aListenerKeepingARunsStateServesOneFitAtATime() throws Exception {
        java.util.concurrent.CountDownLatch inFirstEpoch = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondTried = new java.util.concurrent.CountDownLatch(1);
        ReduceLROnPlateau plateau = ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS);
        TrainingListener holdFirst = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                if (Thread.currentThread().getName().equals("first-fit") && stats.epoch() == 1) {
                    inFirstEpoch.countDown();
                    try {
                        secondTried.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        Trainer trainer = Trainer.builder().epochs(2).batchSize(8).listener(plateau).listener(holdFirst).build();
        Sequential first = classifier(6);
        Sequential second = classifier(7);
        Sgd firstSgd = track(new Sgd(0.1f));
        Sgd secondSgd = track(new Sgd(0.1f));
        java.util.concurrent.FutureTask<History> running = new java.util.concurrent.FutureTask<>(
                () -> trainer.fit(first, Loss.categoricalCrossEntropy(), firstSgd, data(6), null));
        Thread thread = new Thread(running, "first-fit");
        thread.start();
        inFirstEpoch.await();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> trainer.fit(second, Loss.categoricalCrossEntropy(), secondSgd, data(7), null));
            assertTrue(e.getMessage().startsWith("the listener ReduceLROnPlateau is serving another fit, running on "
                    + "thread 'first-fit'") && e.getMessage().contains("build a Trainer, with listeners of its own"),
                    e.getMessage());
        } finally {
            secondTried.countDown();
        }
        assertEquals(2, running.get().epochs(), "the first fit ran to its end");
        assertEquals(2, trainer.fit(second, Loss.categoricalCrossEntropy(), secondSgd, data(7), null).epochs(),
                "the second, after it");
    }

    @Test
    void reduceOnPlateauWithoutItsValidationSetFailsClearly() {
        ReduceLROnPlateau plateau = ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS);
        assertThrowsSaying(IllegalStateException.class, () -> Trainer.builder().epochs(2).listener(plateau).build()
                .fit(classifier(6), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(6), null),
                "VALIDATION_LOSS", "no validation set");
    }

    @Test
    void csvLoggerWritesEveryEpochAtomically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.csv");
        Dataset d = data(7);
        History h = Trainer.builder().epochs(3).batchSize(10).seed(7).listener(new CsvLogger(file)).build()
                .fit(classifier(7), Loss.categoricalCrossEntropy(), track(new Sgd(0.3f)), d, d);
        List<String> lines = Files.readAllLines(file);
        assertEquals(CsvLogger.HEADER, lines.get(0), "header");
        assertEquals(4, lines.size(), "header and one row per epoch: " + lines);
        for (int e = 0; e < 3; e++) {
            String[] cells = lines.get(e + 1).split(",", -1);
            assertEquals(7, cells.length, lines.get(e + 1));
            assertEquals(Integer.toString(e + 1), cells[0], "epoch");
            assertEquals(h.trainLoss()[e], (float) Double.parseDouble(cells[1]), "train_loss of epoch " + (e + 1));
            assertEquals(h.trainAccuracy()[e], (float) Double.parseDouble(cells[2]), "train_accuracy");
            assertEquals(h.validationLoss()[e], (float) Double.parseDouble(cells[3]), "val_loss");
            assertEquals(h.validationAccuracy()[e], (float) Double.parseDouble(cells[4]), "val_accuracy");
            assertEquals(0.3f, (float) Double.parseDouble(cells[5]), "learning_rate");
        }
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary files left behind");
        }
    }

    @Test
    void csvLoggerLeavesValidationCellsEmptyWithoutAValidationSet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("h.csv");
        Trainer.builder().epochs(1).batchSize(0).listener(new CsvLogger(file)).build()
                .fit(classifier(8), Loss.categoricalCrossEntropy(), track(new Sgd(0.3f)), data(8), null);
        String[] cells = Files.readAllLines(file).get(1).split(",", -1);
        assertEquals("", cells[3], "val_loss");
        assertEquals("", cells[4], "val_accuracy");
        assertFalse(cells[1].isEmpty(), "train_loss");
    }

    @Test
    void predictionsAgreeWithEvaluate() {
        Sequential m = classifier(9);
        Dataset d = data(9);
        Trainer.builder().epochs(30).batchSize(8).seed(9).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.5f)), d, null);
        Evaluation e = m.evaluate(d, Loss.categoricalCrossEntropy(), 16);
        Predictions p = Predictions.of(m, d, 7);   // a batch size that leaves a short last batch
        ClassificationReport r = p.report();
        assertEquals(e.accuracy(), r.accuracy(), 1e-12, "report accuracy equals evaluate's accuracy");
        assertArrayEquals(d.labels(), p.trueLabels(), "true labels from the data set");
        assertEquals(4, r.classes(), "classes");
        float[] out = m.predict(d.features(), d.size());
        int[] predicted = p.predictedLabels();
        for (int i = 0; i < d.size(); i++) {
            int best = 0;
            for (int j = 1; j < 4; j++) {
                best = out[i * 4 + j] > out[i * 4 + best] ? j : best;
            }
            assertEquals(best, predicted[i], "arg-max of row " + i);
        }
        assertEquals(1.0, p.topKAccuracy(4), 0, "top-4 of 4 classes");
        assertEquals(r.accuracy(), p.topKAccuracy(1), 1e-12, "top-1 is accuracy when no scores tie");
    }

    @Test
    void batchEventsReachOnlyTheListenersThatAskForThem() {
        Dataset d = data(10);
        int batchSize = 7;
        int batches = (d.size() + batchSize - 1) / batchSize;
        List<int[]> events = new ArrayList<>();
        int[] quietCalls = new int[1];
        TrainingListener counting = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                assertEquals(stats.epoch() * batches, events.size(), "every batch of the epoch reported before its end");
            }

            @Override
            public boolean wantsBatchEvents() {
                return true;
            }

            @Override
            public void onBatchEnd(int epoch, int batch, int batchesPerEpoch) {
                events.add(new int[] {epoch, batch, batchesPerEpoch});
            }
        };
        TrainingListener quiet = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
            }

            @Override
            public void onBatchEnd(int epoch, int batch, int batchesPerEpoch) {
                quietCalls[0]++;
            }
        };
        Trainer.builder().epochs(3).batchSize(batchSize).seed(10).listener(counting).listener(quiet).build()
                .fit(classifier(10), Loss.categoricalCrossEntropy(), track(new Sgd(0.3f)), d, null);
        assertEquals(3 * batches, events.size(), "one event per batch");
        for (int k = 0; k < events.size(); k++) {
            assertArrayEquals(new int[] {k / batches + 1, k % batches + 1, batches}, events.get(k), "event " + k);
        }
        assertEquals(0, quietCalls[0], "a listener that does not want batch events gets none");
    }
}
