package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.AdamW;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --amsgrad} and {@code --no-bias-decay}: the trainer's run equals the library's optimizer so set, to the bit;
 * model files record them only where given; a resumed run keeps them and refuses one its checkpoint's run lacked;
 * each is refused where it would do nothing.
 */
class OptimizerFlagsTest {
    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    /** Trains the keras preset's 64-8-10 network for two epochs with {@code optimizer}, as the trainer would. */
    private static void assertTrainsAs(Path saved, Optimizer optimizer, String what) throws Exception {
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(saved, be);
             Optimizer o = optimizer;
             Sequential library = DigitsPreset.KERAS.buildModel(be, 64, 8, 10, 0)) {
            Trainer.builder().epochs(2).batchSize(32).shuffle(true).seed(0).build()
                    .fit(library, Loss.categoricalCrossEntropy(), o, data.train(), data.test());
            DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), what);
        }
    }

    @Test
    void theFlagsReachTheOptimizerAndTheModelFile() throws Exception {
        Path amsgrad = dir.resolve("a.safetensors");
        DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs",
                "2", "--amsgrad", "--progress-every", "0", "--save", amsgrad.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Training: Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-7, amsgrad=true)"),
                o.out());
        assertTrainsAs(amsgrad, new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f, true), "--amsgrad");

        Path spared = dir.resolve("b.safetensors");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs", "2",
                "--optimizer", "adamw", "--weight-decay", "0.1", "--no-bias-decay", "--progress-every", "0",
                "--save", spared.toString()).status());
        AdamW adamw = new AdamW(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f);
        adamw.setDecayBiases(false);
        assertTrainsAs(spared, adamw, "--no-bias-decay");
        try (Backend be = Backends.get("cpu");
             SavedModel a = ModelFiles.load(amsgrad, be);
             SavedModel b = ModelFiles.load(spared, be)) {
            assertEquals("true", a.metadata().get(RunSettings.AMSGRAD_KEY));
            assertNull(a.metadata().get(RunSettings.DECAY_BIASES_KEY), "recorded only where given");
            assertEquals("false", b.metadata().get(RunSettings.DECAY_BIASES_KEY));
            assertNull(b.metadata().get(RunSettings.AMSGRAD_KEY), "recorded only where given");
        }
    }

    @Test
    void aResumedRunKeepsThem() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--optimizer", "adamw",
            "--amsgrad", "--progress-every", "0"};
        DigitsTrainerOptionsTest.assertResumeKeeps(dir, settings, "--no-bias-decay", "'--no-bias-decay': LAST was "
                + "trained without it", "2 + 1 epochs of adamw with amsgrad equal 3");
        // --amsgrad=false, which picocli reads, asks for the other setting: refused, not silently overridden.
        String last = dir.resolve("ck").resolve("last.safetensors").toString();
        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --epochs 3 --resume " + last
                + " --amsgrad=false", "'--amsgrad': " + last + " was trained with it");
    }

    @Test
    void aFlagThatWouldDoNothingIsAUsageError() {
        DigitsTrainerOptionsTest.assertOneLineUsageError("--epochs 2 --amsgrad",
                "option '--amsgrad' is adam's and adamw's; this run trains with sgd");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--epochs 2 --preset keras --no-bias-decay",
                "option '--no-bias-decay' has no effect without a weight decay (adam's default is 0)");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--epochs 2 --optimizer adamw --weight-decay 0 "
                + "--no-bias-decay", "option '--no-bias-decay' has no effect without a weight decay "
                + "(--weight-decay 0)");
    }
}
