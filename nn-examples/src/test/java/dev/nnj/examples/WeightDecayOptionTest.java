package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --weight-decay}: the trainer's run equals the library's optimizer with that decay, to the bit; model files
 * record it (adamw's default 0.01 included); a resumed run keeps it and refuses another; bad values are refused.
 */
class WeightDecayOptionTest {
    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    @Test
    void theDecayReachesTheOptimizerAndTheModelFile() throws Exception {
        Path saved = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs",
                "2", "--weight-decay", "0.001", "--progress-every", "0", "--save", saved.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Training: Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-7, weight_decay=0.001)"),
                o.out());
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(saved, be);
             Optimizer adam = new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 1e-3f);
             Sequential library = DigitsPreset.KERAS.buildModel(be, 64, 8, 10, 0)) {
            Trainer.builder().epochs(2).batchSize(32).shuffle(true).seed(0).build()
                    .fit(library, Loss.categoricalCrossEntropy(), adam, data.train(), data.test());
            DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), "--weight-decay 0.001");
            assertEquals("0.001", file.metadata().get(RunSettings.WEIGHT_DECAY_KEY));
        }

        Path adamw = dir.resolve("w.safetensors");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs", "1", "--optimizer",
                "adamw", "--progress-every", "0", "--save", adamw.toString()).status());
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(adamw, be)) {
            assertEquals("0.01", file.metadata().get(RunSettings.WEIGHT_DECAY_KEY), "PyTorch's AdamW default");
        }
    }

    @Test
    void aResumedRunKeepsItsDecay() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--weight-decay", "0.001",
            "--progress-every", "0"};
        DigitsTrainerOptionsTest.assertResumeKeeps(dir, settings, "--weight-decay 0.01", "'--weight-decay': 0.01 "
                + "differs from the 0.001 that LAST was trained with", "2 + 1 epochs equal 3");
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        for (String bad : new String[] {"-1", "NaN", "Infinity", "x"}) {
            DigitsTrainerOptionsTest.assertOneLineUsageError("--weight-decay " + bad,
                    "'--weight-decay': '" + bad + "' is not a number >= 0");
        }
    }
}
