package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFileException;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.ModelCheckpoint;
import dev.nnj.api.train.ReduceLROnPlateau;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with early stopping (best weights restored) and {@link ReduceLROnPlateau}, stopped by a crash and resumed
 * from its last checkpoint with {@code Trainer.Builder.resumeFrom}, ends exactly as the run that was never stopped:
 * the same epoch, the same best epoch, the same learning rates, the same restored weights (bit for bit on the CPU
 * backend). Resumed without the progress (the epoch alone), it does not, which is what the checkpoint's progress is
 * for. Damaged progress in a file is refused, naming the member. A checkpoint taken through a wrapper before the
 * plateau rule has seen the epoch gets the Trainer's warning, and so does a run resumed with another seed; those two
 * checks need logback-classic as SLF4J's binding and are skipped, with the reason, under any other binding or none.
 */
public abstract class ResumeConformance extends ModelTestSupport {
    private static final int EPOCHS = 80;
    private final Dataset train = data("resume train", 96, 0.0);
    private final Dataset validation = data("resume validation", 48, 0.6);
    private final Loss loss = Loss.categoricalCrossEntropy();
    @TempDir
    Path dir;

    /** {@code n} rows of 6 features in 3 classes; the validation set's labels are noisier, so it overfits. */
    private static Dataset data(String name, int n, double noise) {
        Random r = random(name);
        float[] x = uniform(r, n * 6, -1, 1);
        int[] labels = new int[n];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int truth = r.nextInt(3);
            x[i * 6 + truth] += 0.8f;
            labels[i] = r.nextDouble() < noise ? r.nextInt(3) : truth;
            y[i * 3 + labels[i]] = 1;
        }
        return new Dataset(x, 6, y, 3, labels);
    }

    private Sequential model() {
        return model(6, 33).add(new Dense(24, Activation.TANH)).add(new Dense(3, Activation.SOFTMAX));
    }

    /** The run under test: early stopping with the best weights restored, a plateau rule; {@code first} before it. */
    private static Trainer.Builder trainer(TrainingListener... first) {
        Trainer.Builder builder = Trainer.builder().epochs(EPOCHS).batchSize(16).shuffle(true).seed(11);
        for (TrainingListener l : first) {
            builder.listener(l);
        }
        return builder.earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 6, 0.0, true))
                .listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS).factor(0.5).patience(1));
    }

    /** Stops the run as a crash would, at the end of one epoch, before that epoch's checkpoint is written. */
    private static TrainingListener crashAt(int epoch) {
        return stats -> {
            if (stats.epoch() == epoch) {
                throw new IllegalStateException("crash at epoch " + epoch);
            }
        };
    }

    /** Every parameter of {@code actual} as {@code expected}'s: bit for bit on the cpu backend, else within 1e-5. */
    private void assertSameWeights(String what, Sequential expected, Sequential actual) {
        boolean exact = backend().name().equals("cpu");
        for (Parameter p : expected.parameters()) {
            float[] want = p.read();
            float[] got = actual.parameter(p.name()).read();
            if (exact) {
                assertSameFloats(what + ": " + p.name() + " (bit for bit)", want, got);
            } else {
                assertClose(what + ": " + p.name(), want.length, toDouble(want), got, 1e-5, 1e-6);
            }
        }
    }

    @Test
    void aRunStoppedAndResumedFromItsCheckpointEndsAsTheUninterruptedOne() throws IOException {
        Sequential straight = model();
        History all = trainer().build().fit(straight, loss, track(new Adam(0.05f)), train, validation);
        // What makes this a test of the progress: the run stops early, restores an earlier best epoch, and its
        // plateau rule cut the rate before the epoch we stop at.
        int stop = all.lastEpoch();
        int bestEpoch = all.bestEpoch();
        assertTrue(all.stoppedEarly() && stop < EPOCHS, "the uninterrupted run stops early: " + all);
        assertTrue(all.restoredBestWeights() && bestEpoch < stop, "and restores an earlier epoch: " + all);
        int crash = stop - 1;   // the last checkpoint is epoch crash - 1: after the best epoch, before the stop
        assertTrue(bestEpoch < crash - 1, "best epoch " + bestEpoch + " before the checkpoint's " + (crash - 1));
        double[] rates = all.learningRate();
        assertTrue(rates[crash - 2] < rates[0], "the rate was cut before the checkpoint: " + Arrays.toString(rates));

        Sequential first = model();
        Optimizer firstAdam = track(new Adam(0.05f));
        ModelCheckpoint checkpoints = new ModelCheckpoint(dir, first, firstAdam, EarlyStopping.Monitor.VALIDATION_LOSS);
        // Added first: the trainer still saves after the plateau rule, so the file holds the rate it set.
        Trainer interrupted = trainer(checkpoints).listener(crashAt(crash)).build();
        assertThrows(IllegalStateException.class, () -> interrupted.fit(first, loss, firstAdam, train, validation));

        Path last = dir.resolve(ModelCheckpoint.LAST);
        assertEquals(crash - 1, Checkpoint.inspect(last).epoch(), "the last checkpoint's epoch");
        Optimizer resumedAdam = track(new Adam(0.05f));
        Checkpoint.Restored restored = track(Checkpoint.restore(last, backend(), resumedAdam));
        TrainerProgress.Best saved = restored.progress().earlyStopping();
        assertNotNull(saved, "the checkpoint holds early stopping's progress");
        assertEquals(bestEpoch, saved.epoch(), "saved best epoch");
        assertEquals(crash - 1 - bestEpoch, saved.epochsSince(), "saved epochs since the best");
        assertEquals(straight.parameters().size(), saved.weights().size(), "the best epoch's weights are kept");
        assertEquals((float) rates[crash - 1], resumedAdam.learningRate(),
                "the checkpoint's rate is the one the plateau rule set for the next epoch");

        History rest = trainer().resumeFrom(restored).build().fit(restored.model(), loss, resumedAdam, train,
                validation);
        assertEquals(stop, rest.lastEpoch(), "the resumed run stops at the same epoch");
        assertEquals(bestEpoch, rest.bestEpoch(), "with the same best epoch");
        assertTrue(rest.restoredBestWeights(), "whose weights it restores");
        assertArrayEquals(Arrays.copyOfRange(rates, crash - 1, stop), rest.learningRate(),
                "learning rates of the resumed epochs");
        assertSameWeights("the resumed run", straight, restored.model());

        // The same checkpoint resumed with its epoch alone: early stopping and the plateau start afresh, and the run
        // ends elsewhere, or on other weights.
        Optimizer plainAdam = track(new Adam(0.05f));
        Checkpoint.Restored again = track(Checkpoint.restore(last, backend(), plainAdam));
        History fresh = trainer().initialEpoch(again.epoch()).build().fit(again.model(), loss, plainAdam, train,
                validation);
        boolean sameEnd = fresh.lastEpoch() == stop && fresh.bestEpoch() == bestEpoch;
        assertFalse(sameEnd && Arrays.equals(straight.parameters().get(0).read(),
                again.model().parameters().get(0).read()), "without the progress the run would end the same way");

        // The run's last checkpoint, taken where it stopped early, resumed: it stops at once, training nothing more
        // (it used to train one more epoch), and ends on the best epoch's weights, as the run did.
        Sequential whole = model();
        Optimizer wholeAdam = track(new Adam(0.05f));
        Path finished = dir.resolve("finished");
        trainer(new ModelCheckpoint(finished, whole, wholeAdam, EarlyStopping.Monitor.VALIDATION_LOSS)).build()
                .fit(whole, loss, wholeAdam, train, validation);
        Optimizer endAdam = track(new Adam(0.05f));
        Checkpoint.Restored end = track(Checkpoint.restore(finished.resolve(ModelCheckpoint.LAST), backend(),
                endAdam));
        assertEquals(stop, end.epoch(), "the last checkpoint is the stop's epoch");
        History none = trainer().resumeFrom(end).build().fit(end.model(), loss, endAdam, train, validation);
        assertEquals(0, none.epochs(), "no epoch trained: " + none);
        assertTrue(none.stoppedEarly() && none.stopReason().contains("reached before the resumed run's checkpoint"),
                none.stopReason());
        assertTrue(none.restoredBestWeights(), "the best epoch's weights restored");
        assertSameWeights("the stopped run resumed", straight, end.model());

        // A checkpoint is still a model file: its best-weight tensors do not stop it loading as one.
        Sequential asModel = track(ModelFiles.load(last, backend())).model();
        assertEquals(straight.parameters().size(), asModel.parameters().size(), "loaded as a model");
    }

    @Test
    void progressThatDoesNotFitTheFileOrTheRunIsRefused() throws IOException {
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        trainer().epochs(4).listener(new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.VALIDATION_LOSS)).build()
                .fit(m, loss, adam, train, validation);
        Path last = dir.resolve(ModelCheckpoint.LAST);

        // A best epoch after the checkpoint's own epoch: a damaged file, refused naming the member.
        SafeTensors.Contents contents = SafeTensors.read(last);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        String json = metadata.get(Checkpoint.CHECKPOINT_KEY);
        assertTrue(json.contains("\"early_stopping\""), json);
        metadata.put(Checkpoint.CHECKPOINT_KEY,
                json.replaceFirst("(\"early_stopping\":\\{[^}]*\"epoch\":)\\d+", "$19"));
        Path damaged = dir.resolve("damaged.safetensors");
        SafeTensors.write(damaged, List.copyOf(contents.tensors().values()), metadata);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> Checkpoint.restore(damaged, backend(), track(new Adam(0.05f))));
        assertTrue(e.getMessage().contains("trainer.early_stopping.epoch must be an integer in [0, 4], got 9"),
                e.getMessage());
        // No best epoch (epoch 0) beside a best value: refused too, rather than read as a best of epoch 0.
        metadata.put(Checkpoint.CHECKPOINT_KEY,
                json.replaceFirst("(\"early_stopping\":\\{[^}]*\"epoch\":)\\d+", "$10"));
        SafeTensors.write(damaged, List.copyOf(contents.tensors().values()), metadata);
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restore(damaged, backend(),
                track(new Adam(0.05f))), "trainer.early_stopping without a best epoch (epoch 0) must have the value "
                + "\"NaN\" and no best weights, got ");

        // A plateau rule on another metric does not continue the saved count: it starts afresh, and the run goes on.
        Optimizer resumedAdam = track(new Adam(0.05f));
        Checkpoint.Restored restored = track(Checkpoint.restore(last, backend(), resumedAdam));
        Trainer other = Trainer.builder().epochs(6).batchSize(16).seed(11).resumeFrom(restored)
                .listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS)).build();
        assertEquals(2, other.fit(restored.model(), loss, resumedAdam, train, validation).epochs(), "epochs 5 and 6");

        // Two listeners with one key are told apart by their order; their checkpoint keeps both states.
        Path twoDir = Files.createDirectory(dir.resolve("two"));
        Sequential m2 = model();
        Optimizer adam2 = track(new Adam(0.05f));
        Trainer twice = Trainer.builder().epochs(2)
                .listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS))
                .listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.TRAINING_LOSS))
                .listener(new ModelCheckpoint(twoDir, m2, adam2, EarlyStopping.Monitor.TRAINING_LOSS)).build();
        twice.fit(m2, loss, adam2, train, validation);
        Checkpoint.Restored two = track(Checkpoint.restore(twoDir.resolve(ModelCheckpoint.LAST), backend(),
                track(new Adam(0.05f))));
        assertEquals("VALIDATION_LOSS", two.progress().listeners().get("ReduceLROnPlateau").get("monitor"));
        assertEquals("TRAINING_LOSS", two.progress().listeners().get("ReduceLROnPlateau#2").get("monitor"));

        // A ModelCheckpoint called by hand after its run saves without the run's progress, which ended with it.
        ModelCheckpoint byHand = new ModelCheckpoint(dir.resolve("by-hand"), m, adam,
                EarlyStopping.Monitor.TRAINING_LOSS);
        trainer().epochs(2).listener(byHand).build().fit(m, loss, adam, train, validation);
        byHand.onEpochEnd(new dev.nnj.api.train.EpochStats(3, 3, 0.5, 0.5, 0.5, 0.5, 0, 0.05));
        assertNull(Checkpoint.restore(dir.resolve("by-hand").resolve(ModelCheckpoint.LAST), backend(),
                track(new Adam(0.05f))).progress().earlyStopping(), "no early stopping part after the run");

        // A progress whose best epoch lies past the epoch to resume after is refused when the trainer is built.
        TrainerProgress ahead = new TrainerProgress(new TrainerProgress.Best("VALIDATION_LOSS", 0.5, 6, 0, Map.of()),
                Map.of());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().epochs(9).initialEpoch(4)
                .progress(ahead).build());
        // A script that resumes a finished run: told so, and how to go on or to skip.
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(30).initialEpoch(30)
                .build(), "initial epoch 30 must be below the epochs to reach, 30", "no epoch left to train",
                "epochs(n) above 30", "restored.epoch() >= epochs");
    }

    /**
     * Epochs that count against early stopping's patience before any epoch was its best (a NaN, the worst infinity)
     * are carried by the checkpoint, and so is an infinite best: resumed, the run stops where the uninterrupted one
     * does, on the same weights. Before, neither could be written (JSON has no such numbers) and the resumed rule
     * started afresh, silently, stopping later on other weights.
     */
    @Test
    void epochsWatchedBeforeAFiniteBestCarryOverAResume() throws IOException {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        // A loss-like metric that never improves on the start: no best epoch, the run stops at its patience, 3.
        assertResumesAsUninterrupted("nothing", false, 2, new double[] {nan, inf, nan, nan, nan, nan, nan, nan},
                3, 0, "\"epoch\":0,\"epochs_since\":2", "\"value\":\"NaN\"");
        // A score whose best is +infinity at epoch 2: nothing beats it; the run stops at epoch 5, restoring epoch 2.
        assertResumesAsUninterrupted("infinite", true, 3, new double[] {0.4, inf, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0},
                5, 2, "\"value\":\"Infinity\",\"epoch\":2,\"epochs_since\":1");
    }

    /**
     * A saved progress that its rule's warm-up rules out (more epochs watched without a best than the epochs after the
     * warm-up, as an edited file may hold) is not continued: the rule starts afresh, and the run stops later than
     * the forged count would have made it.
     */
    @Test
    void aProgressThatDoesNotFitTheWarmUpStartsAfresh() {
        EarlyStopping.Monitor monitor = EarlyStopping.Monitor.validationMetric("m", false);
        TrainerProgress forged = new TrainerProgress(TrainerProgress.Best.none("val_m (min)", 2), Map.of());
        Sequential m = model();
        History h = Trainer.builder().epochs(8).batchSize(16).seed(11).validationMetric("m", (x, v) -> Double.NaN)
                .earlyStopping(new EarlyStopping(monitor, 3, 0.0, true).startingFromEpoch(1)).initialEpoch(2)
                .progress(forged).build().fit(m, loss, track(new Adam(0.05f)), train, validation);
        assertEquals(5, h.lastEpoch(), "afresh, epochs 3 to 5 counted; continued, the forged 2 would stop at 3");
    }

    /**
     * Trains with early stopping (patience 3, best weights restored) on validation metric values given per epoch,
     * straight through and stopped by a crash after the checkpoint of epoch {@code checkpointEpoch}, then resumed.
     */
    private void assertResumesAsUninterrupted(String what, boolean higherIsBetter, int checkpointEpoch,
                                              double[] values, int stopEpoch, int bestEpoch, String... savedJson)
            throws IOException {
        EarlyStopping.Monitor monitor = EarlyStopping.Monitor.validationMetric("m", higherIsBetter);
        int[] epoch = new int[1];
        java.util.function.Function<Integer, Trainer.Builder> run = first -> {
            epoch[0] = first;
            return Trainer.builder().epochs(values.length).batchSize(16).seed(11)
                    .validationMetric("m", (model, val) -> values[epoch[0]++])
                    .earlyStopping(new EarlyStopping(monitor, 3, 0.0, true));
        };
        Sequential straight = model();
        History all = run.apply(0).build().fit(straight, loss, track(new Adam(0.05f)), train, validation);
        assertEquals(stopEpoch, all.lastEpoch(), what + ": the uninterrupted run's stop: " + all);
        assertEquals(bestEpoch, all.bestEpoch(), what + ": its best epoch");

        Path runDir = Files.createDirectory(dir.resolve(what));
        Sequential first = model();
        Optimizer firstAdam = track(new Adam(0.05f));
        Trainer interrupted = run.apply(0).listener(new ModelCheckpoint(runDir, first, firstAdam,
                EarlyStopping.Monitor.TRAINING_LOSS)).listener(crashAt(checkpointEpoch + 1)).build();
        assertThrows(IllegalStateException.class, () -> interrupted.fit(first, loss, firstAdam, train, validation));
        Path last = runDir.resolve(ModelCheckpoint.LAST);
        String json = SafeTensors.read(last).metadata().get(Checkpoint.CHECKPOINT_KEY);
        for (String part : savedJson) {
            assertTrue(json.contains(part), what + ": the checkpoint records " + part + ": " + json);
        }

        Optimizer resumedAdam = track(new Adam(0.05f));
        Checkpoint.Restored restored = track(Checkpoint.restore(last, backend(), resumedAdam));
        assertEquals(checkpointEpoch, restored.epoch(), what + ": the checkpoint's epoch");
        assertEquals(bestEpoch > 0, restored.progress().earlyStopping().found(), what + ": a best epoch saved");
        History rest = run.apply(checkpointEpoch).resumeFrom(restored).build().fit(restored.model(), loss,
                resumedAdam, train, validation);
        assertEquals(stopEpoch, rest.lastEpoch(), what + ": the resumed run stops where the uninterrupted one did");
        assertEquals(bestEpoch, rest.bestEpoch(), what + ": with the same best epoch");
        assertSameWeights(what + ": the resumed run", straight, restored.model());
    }

    /**
     * A run that held out validation rows ({@code validationSplit}) resumes only holding out the same rows: another
     * fraction, seed or training set would validate on rows the model has trained on. The same ones continue it
     * exactly. A checkpoint that does not record them (written before they were) is resumed as it was.
     */
    @Test
    void aResumedRunHoldsOutTheRowsItsCheckpointDid() throws IOException {
        Trainer.Builder split = Trainer.builder().batchSize(16).seed(11).validationSplit(0.25);
        Sequential straight = model();
        split.epochs(5).build().fit(straight, loss, track(new Adam(0.05f)), train);

        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));
        split.epochs(3).listener(new ModelCheckpoint(dir, m, adam, EarlyStopping.Monitor.VALIDATION_LOSS)).build()
                .fit(m, loss, adam, train);
        Path last = dir.resolve(ModelCheckpoint.LAST);
        Optimizer resumedAdam = track(new Adam(0.05f));
        Checkpoint.Restored restored = track(Checkpoint.restore(last, backend(), resumedAdam));
        assertEquals(new TrainerProgress.HeldOut(0.25, 11, 96), restored.progress().heldOut(), "recorded");

        String then = "the run this resumes held out validationSplit(0.25) of the 96 training rows given, with seed 11";
        Trainer.Builder resumed = Trainer.builder().batchSize(16).epochs(5).resumeFrom(restored);
        assertThrowsSaying(IllegalArgumentException.class, () -> resumed.seed(11).validationSplit(0.2).build()
                .fit(restored.model(), loss, resumedAdam, train), then, "this one held out validationSplit(0.2)",
                "would validate on rows the model has trained on", "the same validationSplit, seed and training set");
        assertThrowsSaying(IllegalArgumentException.class, () -> resumed.seed(12).validationSplit(0.25).build()
                .fit(restored.model(), loss, resumedAdam, train), then, "with seed 12");
        assertThrowsSaying(IllegalArgumentException.class, () -> resumed.seed(11).validationSplit(0.25).build()
                .fit(restored.model(), loss, resumedAdam, train.subset(range(90))), then, "of the 90 training rows");
        assertThrowsSaying(IllegalArgumentException.class, () -> resumed.seed(11).validationSplit(0).build()
                .fit(restored.model(), loss, resumedAdam, train, validation), then,
                "this one held out no validation rows of the 96");
        // Refused before a step: the run resumed with the same rows still ends as the uninterrupted one.
        resumed.seed(11).validationSplit(0.25).build().fit(restored.model(), loss, resumedAdam, train);
        assertSameWeights("the resumed run", straight, restored.model());

        // A run without a split that saved its rows resumes on another set: nothing was held out, nothing leaks.
        Path plainDir = Files.createDirectory(dir.resolve("plain"));
        Sequential p = model();
        Optimizer plainAdam = track(new Adam(0.05f));
        Trainer.builder().epochs(2).seed(11).listener(new ModelCheckpoint(plainDir, p, plainAdam,
                EarlyStopping.Monitor.TRAINING_LOSS)).build().fit(p, loss, plainAdam, train);
        Optimizer morePlain = track(new Adam(0.05f));
        Checkpoint.Restored plain = track(Checkpoint.restore(plainDir.resolve(ModelCheckpoint.LAST), backend(),
                morePlain));
        assertEquals(new TrainerProgress.HeldOut(0, 11, 96), plain.progress().heldOut());
        assertEquals(1, Trainer.builder().epochs(3).seed(11).resumeFrom(plain).build()
                .fit(plain.model(), loss, morePlain, train.subset(range(90))).epochs());

        // Damaged, refused naming the member; absent (an older checkpoint), resumed as before.
        SafeTensors.Contents contents = SafeTensors.read(last);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        String json = metadata.get(Checkpoint.CHECKPOINT_KEY);
        assertTrue(json.contains("\"held_out\":{\"fraction\":0.25,\"seed\":11,\"rows\":96}"), json);
        metadata.put(Checkpoint.CHECKPOINT_KEY, json.replace("\"fraction\":0.25", "\"fraction\":1.5"));
        Path damaged = dir.resolve("damaged.safetensors");
        SafeTensors.write(damaged, List.copyOf(contents.tensors().values()), metadata);
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.restore(damaged, backend(),
                track(new Adam(0.05f))), "trainer.held_out needs a fraction in [0, 1)", "got 1.5, 11 and 96");
        // A rate no run could go on with is the file's error, in inspect too (it was shown as the rate to go on with).
        assertTrue(json.contains("\"learning_rate\":0.05"), json);
        metadata.put(Checkpoint.CHECKPOINT_KEY, json.replace("\"learning_rate\":0.05", "\"learning_rate\":-1"));
        SafeTensors.write(damaged, List.copyOf(contents.tensors().values()), metadata);
        assertThrowsSaying(ModelFileException.class, () -> Checkpoint.inspect(damaged), damaged.toString(),
                "learning_rate must be a positive finite number, got -1");
        metadata.put(Checkpoint.CHECKPOINT_KEY, json.replace(",\"held_out\":{\"fraction\":0.25,\"seed\":11,"
                + "\"rows\":96}", ""));
        Path older = dir.resolve("older.safetensors");
        SafeTensors.write(older, List.copyOf(contents.tensors().values()), metadata);
        Optimizer olderAdam = track(new Adam(0.05f));
        Checkpoint.Restored old = track(Checkpoint.restore(older, backend(), olderAdam));
        assertNull(old.progress().heldOut(), "not recorded");
        assertEquals(2, Trainer.builder().batchSize(16).epochs(5).seed(11).validationSplit(0.2).resumeFrom(old)
                .build().fit(old.model(), loss, olderAdam, train).epochs());
    }

    private static int[] range(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /**
     * A run without a validation split resumed with another seed is allowed (no rows leak), but it no longer continues
     * the run it resumes: warned of, naming both seeds; the same seed is not.
     */
    @Test
    void aRunResumedWithAnotherSeedIsWarnedOf() throws IOException {
        assumeLogbackCaptures("the Trainer's warning");
        Path plainDir = Files.createDirectory(dir.resolve("seeded"));
        Sequential p = model();
        Optimizer adam = track(new Adam(0.05f));
        Trainer.builder().epochs(2).seed(11).listener(new ModelCheckpoint(plainDir, p, adam,
                EarlyStopping.Monitor.TRAINING_LOSS)).build().fit(p, loss, adam, train);
        for (long seed : new long[] {12, 11}) {
            Optimizer more = track(new Adam(0.05f));
            Checkpoint.Restored plain = track(Checkpoint.restore(plainDir.resolve(ModelCheckpoint.LAST), backend(),
                    more));
            List<String> warnings = LogbackWarnings.during(Trainer.class, () -> Trainer.builder().epochs(3)
                    .seed(seed).resumeFrom(plain).build().fit(plain.model(), loss, more, train));
            if (seed == 12) {
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).startsWith("fit: the run this resumes was seeded 11 and this one 12: "),
                        warnings.get(0));
                assertTrue(warnings.get(0).endsWith("resume with seed(11) to continue that run"), warnings.get(0));
            } else {
                assertEquals(List.of(), warnings, "the same seed");
            }
        }
    }

    @Test
    void aCheckpointTakenThroughAWrapperBeforeThePlateauRuleIsWarnedAboutOnce() {
        // Captured through logback, the binding nnj's own builds test with; the suite itself runs with any SLF4J
        // binding, or none, and skips only this check then. LogbackWarnings is the one class that names logback.
        assumeLogbackCaptures("the Trainer's warning");
        Sequential m = model();
        Optimizer adam = track(new Adam(0.05f));

        // A listener that saves checkpoints through a wrapper is not moved last: taking the progress before the
        // plateau rule has seen the epoch gets one warning, naming both.
        ModelCheckpoint inner = new ModelCheckpoint(dir.resolve("wrapped"), m, adam,
                EarlyStopping.Monitor.TRAINING_LOSS);
        TrainingListener wrapper = new TrainingListener() {
            @Override
            public void onTrainingStart(dev.nnj.api.train.TrainingControl control) {
                inner.onTrainingStart(control);
            }

            @Override
            public void onEpochEnd(dev.nnj.api.train.EpochStats stats) {
                inner.onEpochEnd(stats);
            }

            @Override
            public String toString() {
                return "the wrapper";
            }
        };
        List<String> warnings = LogbackWarnings.during(Trainer.class,
                () -> trainer(wrapper).epochs(3).build().fit(m, loss, adam, train, validation));
        assertEquals(1, warnings.size(), "one warning in three epochs: " + warnings);
        assertTrue(warnings.get(0).startsWith("the wrapper took the training progress at the end of epoch 1 "
                + "before ReduceLROnPlateau(VALIDATION_LOSS"), warnings.get(0));

        List<String> none = LogbackWarnings.during(Trainer.class,
                () -> trainer(new ModelCheckpoint(dir.resolve("moved"), m, adam, EarlyStopping.Monitor.TRAINING_LOSS))
                        .epochs(2).build().fit(m, loss, adam, train, validation));
        assertTrue(none.isEmpty(), "a ModelCheckpoint comes last: " + none);
    }
}
