package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFileException;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.layers.CustomActivation;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.layers.Tanh;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.AdaGrad;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.OptimizerState;
import dev.nnj.api.optim.RmsProp;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.ModelCheckpoint;
import dev.nnj.api.train.SteppedClockLogs;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints on the backend under test: 10 epochs straight and 5 epochs, a checkpoint, and 5 resumed epochs
 * end with the same parameters and record the same losses — bit for bit on the CPU backend (same ops in the same
 * order: weights, optimizer moments and step count, dropout masks and the shuffle order all continue), within
 * {@code 1e-5} relative on a backend whose reductions may use atomics. The checkpoint listener keeps the last
 * epoch and the best one by the monitored metric.
 */
public abstract class CheckpointConformance extends ModelTestSupport {
    private Path dir;

    @BeforeEach
    void createDirectory() throws IOException {
        dir = Files.createTempDirectory("nnj-checkpoints");
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        if (dir == null) {
            return;   // the backend is unavailable: the test was skipped before the directory was made
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
        dir = null;
    }

    /** 60 rows of 5 features in 3 classes. */
    private static Dataset data() {
        Random r = random("checkpoint data");
        int n = 60;
        float[] x = uniform(r, n * 5, -1, 1);
        int[] labels = new int[n];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            y[i * 3 + labels[i]] = 1;
            x[i * 5 + labels[i]] += 1.5f;
        }
        return new Dataset(x, 5, y, 3, labels);
    }

    private Sequential model() {
        return model(5, 21).add(new Dense(8, Activation.RELU)).add(new Dropout(0.3f))
                .add(new Dense(3, Activation.SOFTMAX));
    }

    private static Optimizer optimizer(String name) {
        switch (name) {
            case "adam":
                return new Adam(0.01f);
            case "momentum":
                return new Sgd(0.05f, 0.9f, true);
            case "rmsprop":
                return new RmsProp(0.01f, 0.9f, 1e-8f, 0f, 0.5f, true);
            case "sgd":   // no state tensors: the step count and the rate are its whole state
                return new Sgd(0.1f);
            default:
                return new AdaGrad(0.05f);
        }
    }

    private static Trainer.Builder trainer(int epochs) {
        return Trainer.builder().epochs(epochs).batchSize(8).shuffle(true).seed(7);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"adam", "momentum", "rmsprop", "adagrad", "sgd"})
    void tenEpochsEqualFivePlusFiveResumedFromACheckpoint(String optimizerName) throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();

        Sequential straight = model();
        Optimizer straightOptimizer = track(optimizer(optimizerName));
        History all = trainer(10).build().fit(straight, loss, straightOptimizer, data, data);

        Sequential first = model();
        Optimizer firstOptimizer = track(optimizer(optimizerName));
        ModelCheckpoint checkpoints = new ModelCheckpoint(dir, first, firstOptimizer,
                EarlyStopping.Monitor.VALIDATION_LOSS);
        trainer(5).listener(checkpoints).build().fit(first, loss, firstOptimizer, data, data);

        Optimizer resumedOptimizer = track(optimizer(optimizerName));
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(),
                resumedOptimizer));
        assertEquals(5, restored.epoch(), "epoch of the last checkpoint");
        History rest = trainer(10).initialEpoch(5).build().fit(restored.model(), loss, resumedOptimizer, data, data);

        assertEquals(5, rest.epochs(), "resumed epochs");
        assertEquals(straightOptimizer.steps(), resumedOptimizer.steps(), "optimizer steps");
        boolean exact = backend().name().equals("cpu");
        float[] expectedLoss = java.util.Arrays.copyOfRange(all.trainLoss(), 5, 10);
        compare("training losses of epochs 6..10", expectedLoss, rest.trainLoss(), exact);
        for (Parameter p : straight.parameters()) {
            compare(p.name(), p.read(), restored.model().parameter(p.name()).read(), exact);
        }
    }

    /**
     * A learning-rate schedule takes its {@code η₀} from the optimizer: a checkpoint saved between epochs must hold
     * {@code η₀}, not the epoch's decayed rate, or the resumed run decays the decayed rate again (0.2 · 0.7⁹ for
     * epoch 6 instead of 0.2 · 0.7⁵).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exponential per epoch", "warm-up and cosine per batch"})
    void aScheduledRunResumedFromACheckpointContinuesItsSchedule(String scheduleName) throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        LearningRateSchedule schedule = scheduleName.startsWith("exponential")
                ? LearningRateSchedule.exponential(0.7)
                : LearningRateSchedule.cosineWithWarmup(8, 80, 0.1, 1e-3).per(LearningRateSchedule.Interval.BATCH);

        Sequential straight = model();
        Optimizer straightOptimizer = track(optimizer("momentum"));
        History all = trainer(10).schedule(schedule).build().fit(straight, loss, straightOptimizer, data, data);
        assertEquals(0.05f, straightOptimizer.learningRate(), "after fit the optimizer holds η₀ again");

        Sequential first = model();
        Optimizer firstOptimizer = track(optimizer("momentum"));
        ModelCheckpoint checkpoints = new ModelCheckpoint(dir, first, firstOptimizer,
                EarlyStopping.Monitor.VALIDATION_LOSS);
        trainer(5).schedule(schedule).listener(checkpoints).build().fit(first, loss, firstOptimizer, data, data);
        assertEquals(0.05f, Checkpoint.inspect(dir.resolve(ModelCheckpoint.LAST)).learningRate(),
                "the checkpoint's rate is η₀, the one the schedule starts from");

        Optimizer resumedOptimizer = track(optimizer("momentum"));
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(),
                resumedOptimizer));
        History rest = trainer(10).schedule(schedule).initialEpoch(5).build()
                .fit(restored.model(), loss, resumedOptimizer, data, data);

        boolean exact = backend().name().equals("cpu");
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(all.learningRate(), 5, 10),
                rest.learningRate(), "learning rates of epochs 6..10");
        compare("training losses of epochs 6..10", java.util.Arrays.copyOfRange(all.trainLoss(), 5, 10),
                rest.trainLoss(), exact);
        for (Parameter p : straight.parameters()) {
            compare(p.name(), p.read(), restored.model().parameter(p.name()).read(), exact);
        }
    }

    @Test
    void checkpointsThatCouldNotBeReadBackOrWouldSayNothingAreRefused() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer sgd = track(optimizer("momentum"));
        // Watching a validation metric without a validation set wrote last.safetensors with a NaN value and never a
        // best one, without a word.
        ModelCheckpoint blind = new ModelCheckpoint(dir, m, sgd, EarlyStopping.Monitor.VALIDATION_LOSS);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> trainer(2).listener(blind).build().fit(m, Loss.categoricalCrossEntropy(), sgd, data, null));
        assertTrue(e.getMessage().contains("monitors VALIDATION_LOSS but the trainer was given no validation set"),
                e.getMessage());
        assertTrue(!Files.exists(dir.resolve(ModelCheckpoint.LAST)), "nothing written");
        // Entries the listener writes itself would silently replace the caller's.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> blind.metadata(Map.of("checkpoint.value", "1")));
        // An epoch that restoring refuses is refused when saving.
        Path negative = dir.resolve("negative.safetensors");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(negative, m, sgd, -1, dev.nnj.api.io.Preprocessing.none(), Map.of()));
        assertTrue(!Files.exists(negative), "nothing written");
    }

    private static void compare(String what, float[] expected, float[] actual, boolean exact) {
        if (exact) {
            assertSameFloats(what + " (bit for bit)", expected, actual);
        } else {
            assertClose(what, expected.length, toDouble(expected), actual, 1e-5, 1e-6);
        }
    }

    /**
     * A {@code CsvLogger} rewrites its file only every few fast epochs, but before every checkpoint: the trainer's
     * progress, which the checkpoint records, asks it to. Otherwise a run killed after a checkpoint could leave a log
     * that ends before the checkpoint's epoch, which its resumed run refuses to continue.
     */
    @Test
    void aLogThatHoldsBackRowsIsWrittenBeforeEachCheckpoint() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        Path log = dir.resolve("history.csv");
        int[] rowsSeen = new int[11];
        // Added first, so it sees the file as the epoch before left it; the checkpoints come last whatever the order.
        TrainingListener probe = stats -> {
            try {
                rowsSeen[stats.epoch()] = Files.exists(log) ? Files.readAllLines(log).size() - 1 : 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        trainer(10).listener(probe).listener(SteppedClockLogs.logger(log))
                .listener(new ModelCheckpoint(dir.resolve("checkpoints"), m, adam,
                        EarlyStopping.Monitor.TRAINING_LOSS).every(3))
                .build().fit(m, Loss.categoricalCrossEntropy(), adam, data, null);
        // Epoch 1 wrote the file; then only the checkpoints of epochs 3, 6 and 9 did, and the end.
        assertArrayEquals(new int[] {0, 1, 1, 3, 3, 3, 6, 6, 6, 9}, Arrays.copyOfRange(rowsSeen, 1, 11),
                "rows the file held when epochs 1 to 10 ended, before the log had seen them");
        assertEquals(11, Files.readAllLines(log).size(), "every epoch at the end");
    }

    @Test
    void theListenerKeepsTheLastAndTheBestEpoch() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        ModelCheckpoint checkpoints = new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.VALIDATION_ACCURACY)
                .metadata(Map.of("seed", "7"));
        History h = trainer(6).listener(checkpoints).build().fit(m, Loss.categoricalCrossEntropy(), adam, data, data);

        float[] accuracy = h.validationAccuracy();
        int bestEpoch = 1;
        for (int e = 2; e <= accuracy.length; e++) {
            if (accuracy[e - 1] > accuracy[bestEpoch - 1]) {
                bestEpoch = e;
            }
        }
        assertEquals(bestEpoch, checkpoints.bestEpoch(), "best epoch (first maximum of validation accuracy)");
        Map<String, String> best = SafeTensors.open(dir.resolve(ModelCheckpoint.BEST)).metadata();
        assertTrue(best.get(Checkpoint.CHECKPOINT_KEY).contains("\"epoch\":" + bestEpoch), best.toString());
        assertEquals("VALIDATION_ACCURACY", best.get(ModelCheckpoint.MONITOR_KEY));
        assertEquals("7", best.get("seed"), "extra metadata");
        Map<String, String> last = SafeTensors.open(dir.resolve(ModelCheckpoint.LAST)).metadata();
        assertTrue(last.get(Checkpoint.CHECKPOINT_KEY).contains("\"epoch\":6"), last.toString());
        // Its header alone says how to resume: the epoch, the optimizer, its steps and rate, the caller's metadata.
        Checkpoint.Info info = Checkpoint.inspect(dir.resolve(ModelCheckpoint.LAST));
        assertEquals(6, info.epoch(), "inspected epoch");
        assertEquals("Adam", info.optimizer(), "inspected optimizer");
        assertEquals(adam.steps(), info.steps(), "inspected steps");
        assertEquals(0.05f, info.learningRate(), "inspected learning rate");
        assertEquals("7", info.metadata().get("seed"), "inspected extra metadata");
        // A model file is not a checkpoint, and inspecting one says so.
        Path plain = dir.resolve("plain.safetensors");
        ModelFiles.save(m, plain);
        ModelFileException notACheckpoint = assertThrows(ModelFileException.class, () -> Checkpoint.inspect(plain));
        assertTrue(notACheckpoint.getMessage().contains("not a checkpoint"), notACheckpoint.getMessage());
        // A checkpoint is also a model file: it loads as a model with the last epoch's weights.
        Sequential loaded = track(ModelFiles.load(dir.resolve(ModelCheckpoint.LAST), backend())).model();
        for (Parameter p : m.parameters()) {
            assertSameFloats(p.name(), p.read(), loaded.parameter(p.name()).read());
        }
        // A new listener on the same directory starts from the saved best.
        assertEquals(checkpoints.best(), new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.VALIDATION_ACCURACY)
                .best(), "best read back");
    }

    /**
     * A checkpoint keeps its metadata in the order given, and the listeners' states in theirs: {@code Map.copyOf}'s
     * order, which the file once took, varies from one JVM to the next, so two identical runs wrote files that
     * differed in their headers (and header checksums), though not in a value.
     */
    @Test
    void aCheckpointWritesItsEntriesInTheOrderGiven() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        Map<String, String> given = new java.util.LinkedHashMap<>();
        for (String key : new String[] {"run.seed", "run.preset", "run.optimizer", "run.batch", "run.zeta", "run.alpha",
            "run.mu", "run.data", "run.class-weight", "run.lr-schedule", "run.epochs", "run.beta"}) {
            given.put(key, key.substring(4));
        }
        trainer(1).listener(new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.TRAINING_LOSS).metadata(given))
                .listener(dev.nnj.api.train.ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(m, Loss.categoricalCrossEntropy(), adam, data, null);
        byte[] file = Files.readAllBytes(dir.resolve(ModelCheckpoint.LAST));
        long headerLength = java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(file, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
        assertInOrder(header, given.keySet().stream().map(k -> "\"" + k + "\"").toList());
        int plateau = header.indexOf("ReduceLROnPlateau");
        assertTrue(plateau >= 0, header);
        assertInOrder(header.substring(plateau), List.of("monitor", "mode", "best", "bad_epochs", "cooldown_left",
                "learning_rate"));
    }

    /** Fails unless every one of {@code parts} occurs in {@code text}, each after the one before it. */
    private static void assertInOrder(String text, List<String> parts) {
        int at = -1;
        for (String part : parts) {
            int next = text.indexOf(part, at + 1);
            assertTrue(next > at, part + " after the entry before it in " + text);
            at = next;
        }
    }

    @Test
    void restoringIntoAnotherKindOfOptimizerOrFromAModelFileIsRefused() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        trainer(1).listener(new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(m, Loss.categoricalCrossEntropy(), adam, data, null);
        ModelFileException wrongKind = assertThrows(ModelFileException.class,
                () -> Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(), track(new Sgd(0.1f))));
        assertTrue(wrongKind.getMessage().contains("Adam") && wrongKind.getMessage().contains("Sgd"),
                wrongKind.getMessage());
        Path plain = dir.resolve("plain.safetensors");
        ModelFiles.save(m, plain);
        ModelFileException notACheckpoint = assertThrows(ModelFileException.class,
                () -> Checkpoint.restore(plain, backend(), track(new Adam())));
        assertTrue(notACheckpoint.getMessage().contains("plain.safetensors")
                && notACheckpoint.getMessage().contains("checkpoint"), notACheckpoint.getMessage());
    }

    /**
     * The file records the optimizer's hyperparameters: Adam with other betas, or SGD without its momentum, would
     * resume another run than the saved one. Refused, naming each difference, before anything is imported, so
     * that the optimizer can still start a run of its own.
     */
    @Test
    void restoringIntoAnOptimizerWithOtherHyperparametersIsRefused() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer momentum = track(new Sgd(0.05f, 0.9f, true));
        trainer(2).listener(new ModelCheckpoint(dir, m, momentum, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(m, Loss.categoricalCrossEntropy(), momentum, data, null);
        Path last = dir.resolve(ModelCheckpoint.LAST);

        Sgd plain = track(new Sgd(0.05f));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoint.restore(last, backend(), plain));
        assertTrue(e.getMessage().contains("momentum 0.9 (given 0.0)") && e.getMessage().contains("nesterov true "
                + "(given false)"), e.getMessage());
        assertEquals(0, plain.steps(), "nothing imported into the refused optimizer");
        plain.step(m.parameters());   // and binds to other parameters as a new one would

        Sgd same = track(new Sgd(0.01f, 0.9f, true));   // the rate is state, restored from the file
        Checkpoint.Restored restored = track(Checkpoint.restore(last, backend(), same));
        assertEquals(0.05f, same.learningRate(), "learning rate restored");
        assertEquals(2, restored.epoch(), "epoch");
    }

    /**
     * Early stopping with a baseline (never beaten here) and a warm-up saves its progress in every checkpoint (its
     * count against patience once broke the checkpoint's rule that the best epoch and the epochs since end at the
     * checkpoint's epoch, and the first save failed), and a run resumed from the epoch-4 checkpoint stops where the
     * uninterrupted run stops, on the same weights.
     */
    @Test
    void aRunWithABaselineResumesFromItsCheckpointAsIfNeverStopped() throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        EarlyStopping rule = EarlyStopping.onValidationLoss(3, true).withBaseline(1e-9).startingFromEpoch(1);
        Sequential straight = model();
        Optimizer straightOptimizer = track(optimizer("momentum"));
        History all = trainer(12).earlyStopping(rule).build().fit(straight, loss, straightOptimizer, data, data);

        Sequential first = model();
        Optimizer firstOptimizer = track(optimizer("momentum"));
        trainer(4).earlyStopping(rule).listener(new ModelCheckpoint(dir, first, firstOptimizer,
                EarlyStopping.Monitor.VALIDATION_LOSS)).build().fit(first, loss, firstOptimizer, data, data);
        Optimizer resumedOptimizer = track(optimizer("momentum"));
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(),
                resumedOptimizer));
        History rest = trainer(12).earlyStopping(rule).resumeFrom(restored).build()
                .fit(restored.model(), loss, resumedOptimizer, data, data);

        assertEquals(all.lastEpoch(), rest.lastEpoch(), "the last epoch: " + all.stopReason());
        assertEquals(all.stoppedEarly(), rest.stoppedEarly(), all.stopReason());
        assertEquals(all.stopReason(), rest.stopReason());
        assertEquals(all.bestEpoch(), rest.bestEpoch(), "best epoch");
        boolean exact = backend().name().equals("cpu");
        for (Parameter p : straight.parameters()) {
            compare(p.name(), p.read(), restored.model().parameter(p.name()).read(), exact);
        }
    }

    /**
     * A metric's name does not say which way is better: a run resumed with a rule that watches it the other way starts
     * early stopping afresh, as for another metric, instead of continuing from the opposite best.
     */
    @Test
    void aResumedRuleWatchingAMetricTheOtherWayStartsAfresh() throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        dev.nnj.api.train.ValidationMetric rising = (model, val) -> calls.incrementAndGet();   // 1, 2, 3, ...
        Sequential first = model();
        Optimizer firstOptimizer = track(optimizer("sgd"));
        trainer(3).validationMetric("m", rising)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.validationMetric("m", true), 2, 0, false))
                .listener(new ModelCheckpoint(dir, first, firstOptimizer, EarlyStopping.Monitor.VALIDATION_LOSS))
                .build().fit(first, loss, firstOptimizer, data, data);
        Optimizer resumedOptimizer = track(optimizer("sgd"));
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(),
                resumedOptimizer));
        History rest = trainer(10).validationMetric("m", rising)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.validationMetric("m", false), 2, 0, false))
                .resumeFrom(restored).build().fit(restored.model(), loss, resumedOptimizer, data, data);
        // Afresh, epoch 4's 4 is the first best and 5, 6 are worse: stop at 6. Continued from the score's best (3),
        // no epoch would have improved, and it stopped at 5 on epoch 3.
        assertEquals(4, rest.bestEpoch(), rest.stopReason());
        assertEquals(6, rest.lastEpoch(), rest.stopReason());
    }

    /** A first epoch without a figure (NaN) does not stop the run, even at patience 1: Keras's epoch > 0. */
    @Test
    void aFirstEpochWithoutAFigureDoesNotStopTheRun() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        dev.nnj.api.train.ValidationMetric error = (model, val) -> {
            int c = calls.incrementAndGet();
            return c == 1 ? Double.NaN : 1.0 / c;   // NaN, 0.5, 0.33, 0.25: lower is better
        };
        Sequential m = model();
        Optimizer sgd = track(optimizer("sgd"));
        History h = trainer(4).validationMetric("err", error)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.validationMetric("err", false), 1, 0, false))
                .build().fit(m, Loss.categoricalCrossEntropy(), sgd, data(), data());
        assertEquals(4, h.epochs(), h.stopReason());
        assertEquals(4, h.bestEpoch());
    }

    /**
     * {@code best.safetensors} follows a validation metric of the caller's as it follows the loss: it holds the
     * weights of the epoch where the metric was best (highest, here), and resumes watching it.
     */
    @Test
    void theBestCheckpointFollowsAValidationMetric() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Sgd sgd = track(new Sgd(0.2f));
        List<Double> metric = new java.util.ArrayList<>();
        List<Map<String, float[]>> weights = new java.util.ArrayList<>();
        EarlyStopping.Monitor accuracy = EarlyStopping.Monitor.validationMetric("hit_rate", true);
        trainer(8).validationMetric("hit_rate", (model, val) -> model.evaluate(val, Loss.categoricalCrossEntropy(), 100)
                        .accuracy())
                .listener(st -> {
                    metric.add(st.validationMetric("hit_rate"));
                    weights.add(m.stateDict());
                })
                .listener(new ModelCheckpoint(dir, m, sgd, accuracy)).build()
                .fit(m, Loss.categoricalCrossEntropy(), sgd, data, data);
        int best = 0;
        for (int e = 1; e < metric.size(); e++) {
            best = metric.get(e) > metric.get(best) ? e : best;   // the first maximum: a tie does not improve
        }
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.BEST), backend(),
                track(new Sgd(0.2f))));
        assertEquals(best + 1, restored.epoch(), "the best epoch by the metric " + metric);
        for (Map.Entry<String, float[]> w : weights.get(best).entrySet()) {
            assertArrayEquals(w.getValue(), restored.model().parameter(w.getKey()).read(), w.getKey());
        }
    }

    /**
     * AMSGrad's third state tensor and AdaGrad's starting sum travel with the checkpoint: a run resumes only into an
     * optimizer made the same way, and the restored state is the saved one, not a fresh {@code s₀}.
     */
    @Test
    void amsgradAndAnInitialAccumulatorResumeOnlyAsSaved() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Adam amsgrad = track(new Adam(0.01f, 0.9f, 0.999f, 1e-8f, 0f, true));
        trainer(2).listener(new ModelCheckpoint(dir, m, amsgrad, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(m, Loss.categoricalCrossEntropy(), amsgrad, data, null);
        Path last = dir.resolve(ModelCheckpoint.LAST);
        Adam plain = track(new Adam(0.01f));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoint.restore(last, backend(), plain));
        assertTrue(e.getMessage().contains("amsgrad true (given none)"), e.getMessage());
        Adam same = track(new Adam(0.01f, 0.9f, 0.999f, 1e-8f, 0f, true));
        track(Checkpoint.restore(last, backend(), same));
        OptimizerState saved = amsgrad.exportState();
        OptimizerState restored = same.exportState();
        for (String p : saved.slots().keySet()) {
            assertEquals(3, restored.slots().get(p).size(), "m, v and the largest v of " + p);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(saved.slots().get(p).get(k), restored.slots().get(p).get(k), p + " state " + k);
            }
        }

        Path adagradDir = dir.resolve("adagrad");
        Sequential m2 = model();
        AdaGrad started = track(new AdaGrad(0.05f, 0f, 0f, 0.1f, 1e-10f));
        trainer(2).listener(new ModelCheckpoint(adagradDir, m2, started, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(m2, Loss.categoricalCrossEntropy(), started, data, null);
        Path adagradLast = adagradDir.resolve(ModelCheckpoint.LAST);
        ModelFileException fromZero = assertThrows(ModelFileException.class,
                () -> Checkpoint.restore(adagradLast, backend(), track(new AdaGrad(0.05f))));
        assertTrue(fromZero.getMessage().contains("initial_accumulator_value 0.1 (given none)"), fromZero.getMessage());
        AdaGrad again = track(new AdaGrad(0.05f, 0f, 0f, 0.1f, 1e-10f));
        track(Checkpoint.restore(adagradLast, backend(), again));
        String first = started.exportState().slots().keySet().iterator().next();
        assertArrayEquals(started.exportState().slots().get(first).get(0),
                again.exportState().slots().get(first).get(0), "the saved sum, not s₀ again");
    }

    /**
     * A checkpoint from an nnj that did not record hyperparameters yet restores into any optimizer of its kind, as
     * it did, but says that nothing could be checked (with logback as the binding, the warning is checked too).
     */
    @Test
    void aCheckpointRecordingNoHyperparametersRestoresWithAWarning() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer betas = track(new Adam(0.05f, 0.5f, 0.9f, 1e-3f, 0.1f));
        trainer(1).build().fit(m, Loss.categoricalCrossEntropy(), betas, data, null);
        Path file = dir.resolve("recorded.safetensors");
        Checkpoint.save(file, m, betas, 1, Preprocessing.none(), Map.of());
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        String json = metadata.get(Checkpoint.CHECKPOINT_KEY);
        String older = json.replaceFirst(",?\"hyperparameters\":\\{[^}]*\\}", "");
        assertTrue(!older.equals(json) && !older.contains("hyperparameters"), json);
        metadata.put(Checkpoint.CHECKPOINT_KEY, older);
        metadata.remove("nnj.header_crc32c");
        Path olderFile = dir.resolve("older-hyperparameters.safetensors");
        SafeTensors.write(olderFile, new java.util.ArrayList<>(contents.tensors().values()), metadata);

        Adam defaults = track(new Adam(0.05f));
        Runnable restore = () -> {
            try {
                assertEquals(1, track(Checkpoint.restore(olderFile, backend(), defaults)).epoch());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        if (!logbackIsTheBinding()) {
            restore.run();
            return;
        }
        List<String> warnings = LogbackWarnings.during(Checkpoint.class, restore);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("records no hyperparameters of its Adam") && warnings.get(0)
                .contains("older-hyperparameters.safetensors"), warnings.get(0));
    }

    /**
     * An optimizer implemented directly, without {@code AbstractOptimizer} or an exportState of its own, cannot be
     * checkpointed: refused before the first epoch, not after the first checkpoint's worth of training.
     */
    @Test
    void aCheckpointOfAnOptimizerThatExportsNoStateIsRefusedAtTheStart() {
        Sequential trained = model();
        Optimizer direct = new Optimizer() {
            private int steps;

            @Override
            public void step(List<Parameter> parameters) {
                steps++;
            }

            @Override
            public float learningRate() {
                return 0.1f;
            }

            @Override
            public void setLearningRate(float learningRate) {
            }

            @Override
            public int steps() {
                return steps;
            }

            @Override
            public String describe() {
                return "direct";
            }

            @Override
            public void close() {
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(2)
                .listener(new ModelCheckpoint(dir, trained, direct, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(trained, Loss.categoricalCrossEntropy(), direct, data(), null));
        assertEquals("ModelCheckpoint saves the optimizer's state with each checkpoint, and direct ("
                + direct.getClass().getName() + ") cannot export it: extend AbstractOptimizer, or implement "
                + "Optimizer.exportState and importState", e.getMessage());
        assertEquals(0, direct.steps(), "no step taken");
    }

    /**
     * Features of 1e25 give gradients whose squares overflow Adam's float32 second moment: every step is then 0.
     * Such a state is refused when a checkpoint would write it (loading refuses it, so the file could never be
     * resumed), saying why, and nothing is written.
     */
    @Test
    void anOptimizerStateThatOverflowedIsNotCheckpointed() {
        Sequential m = model(2, 3).add(new Dense(2, Activation.SOFTMAX));
        float[] x = {1e25f, -1e25f, 2e25f, 1e25f, -1e25f, 3e25f};
        float[] y = {1, 0, 0, 1, 1, 0};
        Optimizer adam = track(new Adam(0.01f));
        m.forward(tensor(x, 3, 2), true);
        m.backward(Loss.categoricalCrossEntropy(), tensor(y, 3, 2));
        adam.step(m.parameters());
        Path file = dir.resolve("overflowed.safetensors");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checkpoint.save(file, m, adam, 1, Preprocessing.none(), Map.of()));
        assertTrue(e.getMessage().startsWith("checkpoint: the optimizer's state 'optimizer.dense_1.weight.1' holds "
                + "Infinity at index 0, so the optimizer no longer learns"), e.getMessage());
        assertTrue(!Files.exists(file), "nothing written");
    }

    /**
     * A saved state no optimizer could have written is refused when imported, naming it, rather than failing at the
     * first step with a NaN blamed on the training: a negative sum of squares (Adam's second moment, RMSprop's square
     * average, AdaGrad's sum); and a step counter at its most refuses the step that would wrap it.
     */
    @Test
    void anImpossibleOptimizerStateIsRefusedNamingIt() {
        Sequential m = model(2, 3).add(new Dense(2, Activation.SOFTMAX));
        float[] x = {1, -1, 2, 1, -1, 3};
        float[] y = {1, 0, 0, 1, 1, 0};
        Optimizer[] optimizers = {track(new Adam(0.01f)), track(new RmsProp(0.01f)), track(new AdaGrad(0.01f))};
        int[] slot = {1, 0, 0};
        String[] named = {"Adam state's second moment", "RmsProp state's square average",
            "AdaGrad state's sum of squared gradients"};
        for (int o = 0; o < optimizers.length; o++) {
            m.forward(tensor(x, 3, 2), true);
            m.backward(Loss.categoricalCrossEntropy(), tensor(y, 3, 2));
            optimizers[o].step(m.parameters());
            dev.nnj.api.optim.OptimizerState state = optimizers[o].exportState();
            Map<String, List<float[]>> slots = new java.util.LinkedHashMap<>(state.slots());
            List<float[]> weight = new java.util.ArrayList<>(slots.get("dense_1.weight"));
            float[] bad = weight.get(slot[o]).clone();
            bad[3] = -1f;
            weight.set(slot[o], bad);
            slots.put("dense_1.weight", weight);
            Optimizer fresh = track(o == 0 ? new Adam(0.01f) : o == 1 ? new RmsProp(0.01f) : new AdaGrad(0.01f));
            dev.nnj.api.optim.OptimizerState edited = new dev.nnj.api.optim.OptimizerState(state.kind(),
                    state.steps(), state.learningRate(), slots);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fresh.importState(m.parameters(), edited), named[o]);
            assertTrue(e.getMessage().contains("the saved " + named[o] + " of dense_1.weight is -1.0 at 3; it is a "
                    + "sum of squares, never negative"), e.getMessage());
        }
        Optimizer worn = track(new Sgd(0.01f));
        worn.importState(m.parameters(), new dev.nnj.api.optim.OptimizerState("Sgd", Integer.MAX_VALUE, 0.01f,
                Map.of()));
        m.forward(tensor(x, 3, 2), true);
        m.backward(Loss.categoricalCrossEntropy(), tensor(y, 3, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> worn.step(m.parameters()));
        assertTrue(e.getMessage().startsWith("Sgd has taken 2147483647 steps, the most its step counter holds"),
                e.getMessage());
    }

    /**
     * Two runs checkpointing into one directory would replace each other's last.safetensors: the second is refused
     * while the first trains (here from inside the first's epoch), and runs once the first has ended.
     */
    @Test
    void twoRunsDoNotCheckpointIntoOneDirectoryAtOnce() {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential first = model();
        Optimizer firstAdam = track(new Adam(0.01f));
        Sequential second = model();
        Optimizer secondAdam = track(new Adam(0.01f));
        RuntimeException[] refused = new RuntimeException[1];
        dev.nnj.api.train.TrainingListener startsAnother = stats -> {
            if (stats.epoch() == 1) {
                refused[0] = assertThrows(IllegalStateException.class, () -> trainer(1)
                        .listener(new ModelCheckpoint(dir, second, secondAdam, EarlyStopping.Monitor.TRAINING_LOSS))
                        .build().fit(second, loss, secondAdam, data, null));
            }
        };
        trainer(2).listener(new ModelCheckpoint(dir, first, firstAdam, EarlyStopping.Monitor.TRAINING_LOSS))
                .listener(startsAnother).build().fit(first, loss, firstAdam, data, null);
        assertEquals("another run in this process is checkpointing into " + dir + ": two runs would replace each "
                + "other's last.safetensors; give this run a directory of its own", refused[0].getMessage());
        assertEquals(0, secondAdam.steps(), "the refused run took no step");
        trainer(1).listener(new ModelCheckpoint(dir, second, secondAdam, EarlyStopping.Monitor.TRAINING_LOSS))
                .build().fit(second, loss, secondAdam, data, null);
        assertTrue(secondAdam.steps() > 0, "once the first run has ended, the directory is free");
    }

    /** A checkpoint listener made for one model or optimizer and given to the fit of another would save the wrong one. */
    @Test
    void aCheckpointListenerOfAnotherModelOrOptimizerIsRefusedAtTheStart() {
        Dataset data = data();
        Sequential trained = model();
        Sequential other = model();
        Optimizer adam = track(new Adam(0.01f));
        Optimizer otherAdam = track(new Adam(0.01f));
        Loss loss = Loss.categoricalCrossEntropy();
        IllegalArgumentException wrongModel = assertThrows(IllegalArgumentException.class, () -> trainer(2)
                .listener(new ModelCheckpoint(dir, other, adam, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(trained, loss, adam, data, null));
        assertTrue(wrongModel.getMessage().contains("give the checkpoint listener the model passed to fit"),
                wrongModel.getMessage());
        int[] started = new int[1];
        dev.nnj.api.train.TrainingListener counting = new dev.nnj.api.train.TrainingListener() {
            @Override
            public void onTrainingStart(dev.nnj.api.train.TrainingControl control) {
                started[0]++;
            }

            @Override
            public void onEpochEnd(dev.nnj.api.train.EpochStats stats) {
            }
        };
        IllegalArgumentException wrongOptimizer = assertThrows(IllegalArgumentException.class, () -> trainer(2)
                .listener(counting)
                .listener(new ModelCheckpoint(dir, trained, otherAdam, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(trained, loss, adam, data, null));
        assertEquals(0, started[0], "refused before any listener starts, so none is left without its end");
        assertTrue(wrongOptimizer.getMessage().contains("(another instance)")
                && wrongOptimizer.getMessage().contains("the optimizer passed to fit"), wrongOptimizer.getMessage());
        assertTrue(!Files.exists(dir.resolve(ModelCheckpoint.LAST)), "nothing saved");
        assertEquals(0, adam.steps(), "no step taken");
    }

    /** softsign(z) = z / (1 + |z|): a layer of one's own, which no file can rebuild. */
    private static final class Softsign implements CustomActivation {
        @Override
        public String name() {
            return "softsign";
        }

        @Override
        public float apply(float z) {
            return z / (1 + Math.abs(z));
        }

        @Override
        public float derivative(float z) {
            return 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z)));
        }
    }

    private static final CustomActivation SOFTSIGN = new Softsign();

    /** ReLU under softsign's name: a checkpoint of a softsign network must not restore into it. */
    private static final class ReluNamedSoftsign implements CustomActivation {
        @Override
        public String name() {
            return "softsign";
        }

        @Override
        public float apply(float z) {
            return Math.max(z, 0);
        }

        @Override
        public float derivative(float z) {
            return z > 0 ? 1 : 0;
        }
    }

    /** The checkpoint test's network with a custom softsign layer after the hidden Dense, dropout kept. */
    private Sequential modelWithALayerOfItsOwn() {
        return model(5, 21).add(new Dense(8)).add(new CustomActivationLayer(SOFTSIGN)).add(new Dropout(0.3f))
                .add(new Dense(3, Activation.SOFTMAX));
    }

    /**
     * A model with a layer of its own is checkpointed too (it used to be refused when the run started): the file
     * describes its layers instead of an architecture, and the same network built in code, restored with
     * {@code Checkpoint.restoreInto}, resumes the run to the uninterrupted run's parameters and losses (bit for bit on
     * the CPU backend), dropout masks and Adam's moments included. Loading it as a model, or restoring it as a file
     * that rebuilds its own, is refused pointing there.
     */
    @Test
    void aModelWithALayerOfItsOwnResumesFromItsCheckpointRestoredIntoCode() throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential straight = modelWithALayerOfItsOwn();
        History all = trainer(10).build().fit(straight, loss, track(new Adam(0.01f)), data, null);

        Sequential first = modelWithALayerOfItsOwn();
        Optimizer firstAdam = track(new Adam(0.01f));
        trainer(5).listener(new ModelCheckpoint(dir, first, firstAdam, EarlyStopping.Monitor.TRAINING_LOSS))
                .build().fit(first, loss, firstAdam, data, null);
        Path last = dir.resolve(ModelCheckpoint.LAST);
        assertEquals(5, Checkpoint.inspect(last).epoch());
        try (SafeTensors.Reader reader = SafeTensors.open(last)) {
            assertTrue(!reader.metadata().containsKey(ModelFiles.ARCHITECTURE_KEY), "no architecture to rebuild");
            assertTrue(reader.metadata().get(Checkpoint.CODE_LAYERS_KEY).contains("\"class\":\""
                    + CustomActivationLayer.class.getName() + "\",\"name\":\"softsign_1\""),
                    reader.metadata().get(Checkpoint.CODE_LAYERS_KEY));
        }
        assertThrowsSaying(ModelFileException.class, () -> ModelFiles.load(last, backend()),
                "a checkpoint of a model built in code", "Checkpoint.restoreInto(file, model, optimizer)");
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restore(last, backend(), new Adam(0.01f)),
                "Checkpoint.restoreInto");

        Sequential resumed = modelWithALayerOfItsOwn();
        Optimizer resumedAdam = track(new Adam(0.01f));
        Checkpoint.Resumed at = Checkpoint.restoreInto(last, resumed, resumedAdam);
        assertEquals(5, at.epoch());
        History rest = trainer(10).resumeFrom(at).build().fit(resumed, loss, resumedAdam, data, null);
        boolean exact = backend().name().equals("cpu");
        for (Parameter p : straight.parameters()) {
            float[] expected = p.read();
            float[] actual = resumed.parameter(p.name()).read();
            if (exact) {
                assertSameFloats(p.name() + " (bit for bit)", expected, actual);
            } else {
                assertClose(p.name(), expected.length, toDouble(expected), actual, 1e-5, 1e-6);
            }
        }
        float[] expectedLosses = Arrays.copyOfRange(all.trainLoss(), 5, 10);
        if (exact) {
            assertArrayEquals(expectedLosses, rest.trainLoss(), "losses of the resumed epochs");
        } else {
            assertClose("losses of the resumed epochs", 5, toDouble(expectedLosses), rest.trainLoss(), 1e-5, 1e-6);
        }
    }

    /**
     * A custom activation is recorded with its function's class, as its layer's name is only the function's own: a
     * model whose layer of that name computes another function is refused (a named class's; an anonymous one's name
     * is not stable). A checkpoint written before the function was recorded restores as it did.
     */
    @Test
    void restoreIntoTellsCustomActivationsOfOneNameApart() throws IOException {
        Sequential saved = modelWithALayerOfItsOwn();
        Optimizer adam = track(new Adam(0.01f));
        trainer(1).build().fit(saved, Loss.categoricalCrossEntropy(), adam, data(), null);
        Path file = dir.resolve("custom.safetensors");
        Checkpoint.save(file, saved, adam, 1, Preprocessing.none(), Map.of());
        CustomActivation reluNamedSoftsign = new ReluNamedSoftsign();
        Sequential impostor = model(5, 21).add(new Dense(8)).add(new CustomActivationLayer(reluNamedSoftsign))
                .add(new Dropout(0.3f)).add(new Dense(3, Activation.SOFTMAX));
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restoreInto(file, impostor,
                track(new Adam(0.01f))), "layer 2: softsign_1 (" + CustomActivationLayer.class.getName() + " of "
                + Softsign.class.getName() + ") saved, softsign_1 (" + CustomActivationLayer.class.getName()
                + " of " + ReluNamedSoftsign.class.getName() + ") here");

        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        String layers = metadata.get(Checkpoint.CODE_LAYERS_KEY);
        String older = layers.replace(",\"function\":\"" + Softsign.class.getName() + "\"", "");
        assertTrue(!older.equals(layers), layers);
        metadata.put(Checkpoint.CODE_LAYERS_KEY, older);
        metadata.remove("nnj.header_crc32c");
        Path olderFile = dir.resolve("older.safetensors");
        SafeTensors.write(olderFile, new java.util.ArrayList<>(contents.tensors().values()), metadata);
        assertEquals(1, Checkpoint.restoreInto(olderFile, modelWithALayerOfItsOwn(), track(new Adam(0.01f))).epoch());

        // An anonymous class's name (Outer$1) changes with the code around it: not recorded, so a checkpoint restores
        // into a program that declares the same function elsewhere.
        CustomActivation anonymous = new CustomActivation() {
            @Override
            public String name() {
                return "softsign";
            }

            @Override
            public float apply(float z) {
                return SOFTSIGN.apply(z);
            }

            @Override
            public float derivative(float z) {
                return SOFTSIGN.derivative(z);
            }
        };
        Sequential withAnonymous = model(5, 21).add(new Dense(8)).add(new CustomActivationLayer(anonymous))
                .add(new Dropout(0.3f)).add(new Dense(3, Activation.SOFTMAX));
        Optimizer anonymousAdam = track(new Adam(0.01f));
        Path anonymousFile = dir.resolve("anonymous.safetensors");
        Checkpoint.save(anonymousFile, withAnonymous, anonymousAdam, 0, Preprocessing.none(), Map.of());
        try (SafeTensors.Reader reader = SafeTensors.open(anonymousFile)) {
            assertTrue(!reader.metadata().get(Checkpoint.CODE_LAYERS_KEY).contains("function"),
                    reader.metadata().get(Checkpoint.CODE_LAYERS_KEY));
        }
        assertEquals(0, Checkpoint.restoreInto(anonymousFile, modelWithALayerOfItsOwn(), track(new Adam(0.01f)))
                .epoch());
        // The other way, the named class saved and an anonymous one here, is refused, saying why.
        Sequential anonymousHere = model(5, 21).add(new Dense(8)).add(new CustomActivationLayer(anonymous))
                .add(new Dropout(0.3f)).add(new Dense(3, Activation.SOFTMAX));
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restoreInto(file, anonymousHere,
                track(new Adam(0.01f))), "softsign_1 (" + CustomActivationLayer.class.getName() + " of an anonymous, "
                + "local or lambda function, whose class is not recorded) here");
    }

    /**
     * {@code restoreInto} takes only the network the checkpoint was saved from, naming the first layer that differs
     * (the same class matters: a built-in tanh in place of a layer of its own would compute something else), and
     * changes neither the model nor the optimizer when it refuses. A checkpoint of nnj's own layers restores into the
     * same network built in code as well.
     */
    @Test
    void restoreIntoRefusesAnotherNetworkNamingTheLayerAndChangesNothing() throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential saved = modelWithALayerOfItsOwn();
        Optimizer adam = track(new Adam(0.01f));
        trainer(2).build().fit(saved, loss, adam, data, null);
        Path file = dir.resolve("custom.safetensors");
        Checkpoint.save(file, saved, adam, 2, Preprocessing.none(), Map.of());

        Sequential withTanh = model(5, 21).add(new Dense(8)).add(new Tanh()).add(new Dropout(0.3f))
                .add(new Dense(3, Activation.SOFTMAX));
        float[] before = withTanh.parameters().get(0).read();
        Optimizer fresh = track(new Adam(0.01f));
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restoreInto(file, withTanh, fresh),
                "the model is not the network this checkpoint was saved from: layer 2: softsign_1 ("
                        + CustomActivationLayer.class.getName() + " of " + Softsign.class.getName()
                        + ") saved, tanh_1 (tanh {", "here");
        assertArrayEquals(before, withTanh.parameters().get(0).read(), "the model is unchanged");
        assertEquals(0, fresh.steps(), "the optimizer is unchanged");
        Sequential wider = model(5, 21).add(new Dense(9)).add(new CustomActivationLayer(SOFTSIGN))
                .add(new Dropout(0.3f)).add(new Dense(3, Activation.SOFTMAX));
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restoreInto(file, wider, track(new Adam(0.01f))),
                "layer 1: dense_1 (dense {", "units=8", "units=9");
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restoreInto(file, modelWithALayerOfItsOwn(),
                track(new Sgd(0.1f))), "optimizer state");

        // nnj's own layers: restore() rebuilds the model, restoreInto() fills one built in code, to the same values.
        Sequential own = model();
        Optimizer ownAdam = track(new Adam(0.01f));
        trainer(2).build().fit(own, loss, ownAdam, data, null);
        Path ownFile = dir.resolve("own.safetensors");
        Checkpoint.save(ownFile, own, ownAdam, 2, Preprocessing.none(), Map.of());
        Sequential inCode = model();
        Optimizer inCodeAdam = track(new Adam(0.01f));
        assertEquals(2, Checkpoint.restoreInto(ownFile, inCode, inCodeAdam).epoch());
        for (Parameter p : own.parameters()) {
            assertSameFloats(p.name(), p.read(), inCode.parameter(p.name()).read());
        }
        assertEquals(ownAdam.steps(), inCodeAdam.steps(), "the optimizer's steps");
    }

    /**
     * The directory's best checkpoint carries over only into the run it belongs to: a fresh run (another network, or
     * the same one trained again) replaces it at its first epoch, where it used to keep another run's better value
     * and leave {@code best.safetensors} holding that run's model.
     */
    @Test
    void onlyAResumedRunOfTheSameNetworkKeepsTheDirectorysBest() throws IOException {
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential strong = model();
        Optimizer adam = track(new Adam(0.05f));
        trainer(8).listener(new ModelCheckpoint(dir, strong, adam, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(strong, loss, adam, data, null);
        double strongBest = Double.parseDouble(SafeTensors.open(dir.resolve(ModelCheckpoint.BEST)).metadata()
                .get(ModelCheckpoint.VALUE_KEY));

        // What each listener starts from, seen by a listener that runs before it (checkpoints come last).
        double[] seen = new double[1];
        Optimizer resumedAdam = track(new Adam(0.05f));
        Checkpoint.Restored restored = track(Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend(),
                resumedAdam));
        ModelCheckpoint resumed = new ModelCheckpoint(dir, restored.model(), resumedAdam,
                EarlyStopping.Monitor.TRAINING_LOSS);
        trainer(9).initialEpoch(8).listener(resumed).listener(s -> seen[0] = resumed.best()).build()
                .fit(restored.model(), loss, resumedAdam, data, null);
        assertEquals(strongBest, seen[0], "a resumed run starts from the directory's best");

        // A fresh, weaker network on the same directory starts afresh: best.safetensors becomes its own.
        Sequential weak = model(5, 3).add(new Dense(3, Activation.SOFTMAX));
        Optimizer sgd = track(new Sgd(1e-4f));
        ModelCheckpoint fresh = new ModelCheckpoint(dir, weak, sgd, EarlyStopping.Monitor.TRAINING_LOSS);
        trainer(1).listener(fresh).listener(s -> seen[0] = fresh.best()).build().fit(weak, loss, sgd, data, null);
        assertTrue(Double.isNaN(seen[0]), "a fresh run starts from no best, not " + seen[0]);
        assertTrue(fresh.best() > strongBest, fresh.best() + " is the weak run's own loss, worse than " + strongBest);
        assertEquals(1, fresh.bestEpoch(), "the fresh run's first epoch is its best");
        assertEquals(weak.parameterCount(), track(ModelFiles.load(dir.resolve(ModelCheckpoint.BEST), backend()))
                .model().parameterCount(), "best.safetensors holds the fresh run's network");
    }

    /**
     * A fresh run on a directory holding another run's {@code last.safetensors} warns, once and before its first
     * epoch, that it will replace it: that run could not be resumed after. A second fit of the same listener, which
     * wrote the file itself, and a resumed run do not.
     */
    @Test
    void aFreshRunOverAnEarlierRunsLastCheckpointWarnsFirst() {
        assumeLogbackCaptures("ModelCheckpoint's warning");
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential first = model();
        Optimizer adam = track(new Adam(0.05f));
        ModelCheckpoint firstListener = new ModelCheckpoint(dir, first, adam, EarlyStopping.Monitor.TRAINING_LOSS);
        List<String> none = LogbackWarnings.during(ModelCheckpoint.class, () -> {
            trainer(2).listener(firstListener).build().fit(first, loss, adam, data, null);
            trainer(2).listener(firstListener).build().fit(first, loss, adam, data, null);
        });
        assertTrue(none.isEmpty(), "an empty directory, then the listener's own file: " + none);

        Sequential second = model();
        Optimizer sgd = track(new Sgd(0.1f));
        List<String> warned = LogbackWarnings.during(ModelCheckpoint.class, () -> trainer(1)
                .listener(new ModelCheckpoint(dir, second, sgd, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(second, loss, sgd, data, null));
        assertEquals(1, warned.size(), "one warning: " + warned);
        assertTrue(warned.get(0).startsWith(dir.resolve(ModelCheckpoint.LAST) + " holds the last epoch of an earlier "
                + "run; this run starts afresh and replaces it"), warned.get(0));
    }

    /**
     * A best checkpoint kept for another monitor is said to be replaced, not replaced without a word: it says nothing
     * of this run's best.
     */
    @Test
    void aBestCheckpointOfAnotherMonitorIsSaidToBeReplaced() {
        assumeLogbackCaptures("ModelCheckpoint's warning");
        Dataset data = data();
        Loss loss = Loss.categoricalCrossEntropy();
        Sequential first = model();
        Optimizer adam = track(new Adam(0.05f));
        trainer(2).listener(new ModelCheckpoint(dir, first, adam, EarlyStopping.Monitor.TRAINING_LOSS)).build()
                .fit(first, loss, adam, data, null);
        Sequential second = model();
        Optimizer sgd = track(new Sgd(0.1f));
        List<String> warned = LogbackWarnings.during(ModelCheckpoint.class, () -> trainer(1)
                .listener(new ModelCheckpoint(dir, second, sgd, EarlyStopping.Monitor.VALIDATION_LOSS)).build()
                .fit(second, loss, sgd, data, data));
        assertTrue(warned.stream().anyMatch(w -> w.equals(dir.resolve(ModelCheckpoint.BEST) + " is the best for "
                + "TRAINING_LOSS, and this run watches VALIDATION_LOSS: its first epoch will replace it")),
                warned.toString());
    }

    /** Every third epoch, and the last: a listener before it sees the file of the last epoch checkpointed. */
    @Test
    void checkpointsEveryFewEpochsAndAtTheLast() throws IOException {
        Dataset data = data();
        Sequential m = model();
        Optimizer adam = track(new Adam(0.01f));
        Path last = dir.resolve(ModelCheckpoint.LAST);
        int[] seen = new int[8];
        ModelCheckpoint checkpoints = new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.TRAINING_LOSS).every(3);
        trainer(7).listener(checkpoints).listener(s -> {
            try {
                seen[s.epoch()] = Files.exists(last) ? Checkpoint.inspect(last).epoch() : 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).build().fit(m, Loss.categoricalCrossEntropy(), adam, data, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 0, 0, 3, 3, 3, 6}, seen,
                "the checkpoint each epoch found, before its own");
        assertEquals(7, Checkpoint.inspect(last).epoch(), "the run's last epoch is always checkpointed");
        assertThrows(IllegalArgumentException.class, () -> checkpoints.every(0));
    }
}
