package dev.nnj.examples;

import static dev.nnj.examples.DigitsTrainerOptionsTest.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.Trainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --lr-schedule}: one-cycle and cosine train as the library's schedules do, to the bit; plateau holds out
 * validation rows as early stopping does; a resumed one-cycle run, stopped by a signal part-way, finishes its
 * schedule as an uninterrupted run does, and keeps its epochs; the combinations that cannot work are refused.
 */
class ScheduleOptionsTest {
    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    @Test
    void oneCycleAndCosineTrainAsTheLibrarysSchedules() throws Exception {
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        int batches = (1437 + 31) / 32;
        LearningRateSchedule[] expected = {
            LearningRateSchedule.oneCycle(0.01f, 3 * batches),
            LearningRateSchedule.cosineWithWarmup(0, 3, 1.0, 0.0),
            LearningRateSchedule.step(1, 0.5),
            LearningRateSchedule.exponential(0.9),
        };
        String[] names = {"one-cycle", "cosine", "step:1:0.5", "exponential:0.9"};
        String[] lines = {
            "one-cycle learning rate (PyTorch's OneCycleLR, per batch): 0.0004 up to 0.01 over the first 40 of 135 "
                    + "steps, then down to 4E-8",
            "cosine-annealed learning rate (PyTorch's CosineAnnealingLR, per epoch): 0.01 in epoch 1, down towards 0 "
                    + "over 3 epochs",
            "step learning rate (PyTorch's StepLR, per epoch): 0.01 in epoch 1, then x0.5 every epoch",
            "exponential learning rate (PyTorch's ExponentialLR, per epoch): 0.01 in epoch 1, then x0.9 each epoch "
                    + "(0.0081 in epoch 3)",
        };
        for (int i = 0; i < names.length; i++) {
            Path saved = dir.resolve(names[i] + ".safetensors");
            DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8",
                    "--epochs", "3", "--learning-rate", "0.01", "--lr-schedule", names[i], "--progress-every", "0",
                    "--save", saved.toString());
            assertEquals(0, o.status(), o.err());
            assertTrue(o.out().contains("  " + lines[i] + "\n"), o.out());
            try (Backend be = Backends.get("cpu");
                 SavedModel file = ModelFiles.load(saved, be);
                 Optimizer adam = OptimizerName.ADAM.create(0.01f);
                 Sequential library = DigitsPreset.KERAS.buildModel(be, 64, 8, 10, 0)) {
                Trainer.builder().epochs(3).batchSize(32).shuffle(true).seed(0).schedule(expected[i]).build()
                        .fit(library, Loss.categoricalCrossEntropy(), adam, data.train(), data.test());
                assertEquals(0.01f, adam.learningRate(), "the optimizer holds η₀ again after the run");
                DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), names[i]);
                assertEquals(names[i], file.metadata().get(RunSettings.SCHEDULE_KEY));
                assertEquals("3", file.metadata().get(RunSettings.EPOCHS_KEY));
            }
        }
    }

    /**
     * The plateau rule's progress (best loss, bad epochs) is in the checkpoint: resumed at epoch 50, between its cuts
     * at epochs 41 and 52, the run cuts at 52 again and ends with the uninterrupted run's weights.
     */
    @Test
    void aResumedPlateauRunCutsWhereTheUninterruptedRunDoes() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--learning-rate", "0.01",
            "--lr-schedule", "plateau", "--progress-every", "0"};
        Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, run(concat(settings, "--epochs", "60", "--save", straight.toString())).status());
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, run(concat(settings, "--epochs", "50", "--checkpoint-dir", checkpoints.toString())).status());
        Path last = checkpoints.resolve("last.safetensors");
        assertEquals(1e-3f, Checkpoint.inspect(last).learningRate(), 1e-9f, "cut once, at epoch 41");
        Path resumed = dir.resolve("resumed.safetensors");
        DigitsTrainerOptionsTest.Outcome more = run("--backend", "cpu", "--epochs", "60", "--progress-every", "0",
                "--resume", last.toString(), "--save", resumed.toString(), "--checkpoint-dir",
                checkpoints.toString());
        assertEquals(0, more.status(), more.err());
        assertEquals(1e-4f, Checkpoint.inspect(last).learningRate(), 1e-10f, "cut again, at epoch 52");
        DigitsTrainerOptionsTest.assertSameWeights(straight, resumed, "50 + 10 epochs equal 60");
    }

    @Test
    void plateauWatchesHeldOutRowsAndIsRefusedWhereItCannotWork() {
        DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs",
                "2", "--lr-schedule", "plateau", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("1293 train, 144 validation (stratified 10% of the training rows, seed 42, "
                + "held out for --lr-schedule plateau; --validation-split F to choose)"), o.out());
        assertTrue(o.out().contains("learning rate x0.1 on the 11th epoch in a row without a better validation loss"),
                o.out());

        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule plateau --cv 3",
                "'--cv' does not go with '--lr-schedule plateau': each fold would cut its rate on the rows it is "
                        + "scored on");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--find-lr --lr-schedule one-cycle",
                "'--find-lr' does not go with '--lr-schedule': the test sweeps the rates itself");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --lr-schedule one-cycle --epochs 1",
                "'--lr-schedule': one-cycle rises and falls over at least 2 steps, and 1 epoch of 1 step is 1");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule steps",
                "'--lr-schedule': 'steps' is not one of: constant, one-cycle, cosine, plateau, step, exponential");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule step",
                "'step': step takes its epochs between decays and, optionally, their factor: step:N or step:N:G");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule exponential:-1",
                "'exponential:-1': the factor '-1' is not a finite number > 0");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule cosine:3", "cosine takes no parameters");
    }

    /**
     * {@code plateau:P:F} sets the rule's patience and factor, says so, is recorded as written and holds a resumed run
     * to it; {@code plateau} alone is PyTorch's defaults and is recorded as files before the parameters were. Early
     * stopping's {@code --min-delta} is recorded and held beside its patience.
     */
    @Test
    void plateauTakesItsPatienceAndFactorAndEarlyStoppingItsMinDelta() throws Exception {
        ScheduleChoice halving = ScheduleChoice.parse("plateau:2:0.5");
        assertEquals("plateau:2:0.5", halving.toString());
        String halvingRule = halving.plateau(EarlyStopping.Monitor.VALIDATION_LOSS).toString();
        assertTrue(halvingRule.contains("factor 0.5, patience 2,"), halvingRule);
        assertEquals(ScheduleChoice.PLATEAU, ScheduleChoice.parse("plateau:10:0.1"));
        assertEquals("plateau", ScheduleChoice.parse("plateau:10").toString());
        assertEquals("plateau:3:0.1", ScheduleChoice.parse("plateau:3").toString());
        assertTrue(ScheduleChoice.PLATEAU.plateau(EarlyStopping.Monitor.VALIDATION_LOSS).toString()
                .contains("factor 0.1, patience 10,"));
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule plateau:2:1",
                "'plateau:2:1': the factor '1' must be below 1 (e.g. 0.5)");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule plateau:-1",
                "'plateau:-1': the patience: '-1' must be at least 0");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule plateau:99999999999",
                "'plateau:99999999999': the patience: '99999999999' is beyond 2147483647");
        assertEquals("plateau:5:1E-300", ScheduleChoice.parse("plateau:5:1e-300").toString(), "not 300 digits");
        assertEquals(0.0, new Converters.NonNegativeDecimal().convert("-0"), "-0 is 0");
        assertEquals(Double.doubleToRawLongBits(0.0),
                Double.doubleToRawLongBits(new Converters.NonNegativeDecimal().convert("-0")));
        DigitsTrainerOptionsTest.assertOneLineUsageError("--lr-schedule plateau:1:0.5:2",
                "plateau takes, optionally, its patience and factor: plateau, plateau:P or plateau:P:F");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--min-delta 0.01 --epochs 1",
                "'--min-delta' has no effect without '--early-stopping'");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--early-stopping --min-delta -0.5",
                "'--min-delta': '-0.5' is not a number >= 0");

        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs",
                "2", "--lr-schedule", "plateau:2:0.5", "--early-stopping", "--min-delta", "0.001", "--progress-every",
                "0", "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("learning rate x0.5 on the 3rd epoch in a row without a better validation loss "
                + "(PyTorch's ReduceLROnPlateau, patience 2)"), o.out());
        assertTrue(o.out().contains("early stopping on validation loss (patience 20, min delta 0.001, best weights "
                + "restored)"), o.out());
        Path last = checkpoints.resolve("last.safetensors");
        java.util.Map<String, String> recorded = Checkpoint.inspect(last).metadata();
        assertEquals("plateau:2:0.5", recorded.get(RunSettings.SCHEDULE_KEY));
        assertEquals("patience 20, min delta 0.001", recorded.get(RunSettings.EARLY_STOPPING_KEY));
        // For a reader, how the run was made: the fresh weights, the starting rate and the kernels.
        assertEquals("glorot_uniform", recorded.get(RunSettings.INIT_KEY));
        assertEquals("0.001", recorded.get(RunSettings.LEARNING_RATE_KEY));
        assertTrue(recorded.get(RunSettings.BACKEND_KEY).startsWith("cpu: pure Java"), recorded.toString());
        assertTrue(o.out().startsWith("nnj digits trainer, preset keras, seed 0 (nnj "), o.out());
        assertEquals(20, RunSettings.recordedPatience("patience 20, min delta 0.001"));
        assertEquals(0.001, RunSettings.recordedMinDelta("patience 20, min delta 0.001"));
        assertEquals(0.0, RunSettings.recordedMinDelta("patience 20"), "a file from before --min-delta");

        DigitsTrainerOptionsTest.Outcome other = run("--backend", "cpu", "--epochs", "3", "--resume", last.toString(),
                "--min-delta", "0.01");
        assertEquals(2, other.status(), other.err());
        assertTrue(other.err().contains("'--min-delta': 0.01 differs from the 0.001 that " + last), other.err());
        DigitsTrainerOptionsTest.Outcome resumed = run("--backend", "cpu", "--epochs", "3", "--resume",
                last.toString(), "--progress-every", "0", "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("(plateau:2:0.5), batch size 32, seed 0, early stopping (patience 20, min "
                + "delta 0.001)"), resumed.out());
        assertEquals(3, Checkpoint.inspect(last).epoch(), "rewritten by the resumed run");
        java.util.Map<String, String> carried = Checkpoint.inspect(last).metadata();
        assertEquals("glorot_uniform", carried.get(RunSettings.INIT_KEY), "the resumed run's file carries it on");
        assertEquals("0.001", carried.get(RunSettings.LEARNING_RATE_KEY));
    }

    /**
     * A one-cycle run killed part-way (SIGTERM, as Ctrl-C) and resumed from its last checkpoint without
     * {@code --epochs} finishes the cycle it was on: the weights of the uninterrupted run, to the bit.
     */
    @Test
    void aResumedOneCycleRunFinishesItsCycle() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--learning-rate", "0.01",
            "--lr-schedule", "one-cycle", "--epochs", "1500"};
        Path checkpoints = dir.resolve("ck");
        Path last = checkpoints.resolve("last.safetensors");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), DigitsTrainer.class.getName()));
        command.addAll(List.of(settings));
        command.addAll(List.of("--progress", "lines", "--progress-every", "1", "--checkpoint-dir",
                checkpoints.toString()));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int epochLines = 0;
            while ((line = out.readLine()) != null && epochLines < 3) {
                epochLines += line.startsWith("epoch ") ? 1 : 0;
            }
            assertEquals(3, epochLines, "training started: " + Files.readString(dir.resolve("err.txt")));
            p.destroy();   // SIGTERM, part-way through the cycle
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        int stoppedAt = Checkpoint.inspect(last).epoch();
        assertTrue(stoppedAt >= 2 && stoppedAt < 1500, "stopped part-way: epoch " + stoppedAt);

        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --resume " + last + " --epochs 2000",
                "'--epochs': 2000 differs from the 1500 that " + last + " was trained with; a resumed run finishes "
                        + "the checkpoint's one-cycle schedule, laid over its epochs, so leave --epochs out");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --resume " + last + " --lr-schedule cosine",
                "'--lr-schedule': cosine differs from the one-cycle that " + last + " was trained with");

        Path resumed = dir.resolve("resumed.safetensors");
        DigitsTrainerOptionsTest.Outcome more = run("--backend", "cpu", "--progress-every", "0", "--resume",
                last.toString(), "--save", resumed.toString(), "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, more.status(), more.err());
        assertTrue(more.out().contains("learning rate 0.01 (one-cycle over 1500 epochs)"), more.out());
        assertTrue(more.out().contains("result: " + (1500 - stoppedAt) + " epochs in "), more.out());
        Path straight = dir.resolve("straight.safetensors");
        DigitsTrainerOptionsTest.Outcome whole = run(concat(settings, "--progress-every", "0", "--save",
                straight.toString()));
        assertEquals(0, whole.status(), whole.err());
        DigitsTrainerOptionsTest.assertSameWeights(straight, resumed,
                stoppedAt + " + " + (1500 - stoppedAt) + " epochs equal 1500");

        // Resumed once more from its last checkpoint, the finished run has nothing left to train.
        DigitsTrainerOptionsTest.Outcome again = run("--backend", "cpu", "--resume", last.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, again.status());
        assertTrue(again.err().contains("was saved after epoch 1500, the last of the epochs its one-cycle "
                + "learning-rate schedule is laid over: the run is finished"), again.err());
    }
}
