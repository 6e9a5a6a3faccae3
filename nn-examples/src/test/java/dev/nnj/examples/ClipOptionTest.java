package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --clip-norm} and {@code --clip-value}: the trainer's run equals the library's {@code Trainer} with that
 * clipping, to the bit; model files record it; a resumed run keeps it and refuses another; the two together, and
 * either with {@code --find-lr}, are refused.
 */
class ClipOptionTest {
    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    /** Trains the keras preset (8 hidden units, 2 epochs) with {@code option}, and the library with {@code clip}. */
    private void assertSameAsTheLibrary(String option, String limit, Consumer<Trainer.Builder> clip, String record,
                                        String line) throws Exception {
        Path saved = dir.resolve(option.substring(2) + ".safetensors");
        DigitsTrainerOptionsTest.Outcome o = run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs",
                "2", option, limit, "--progress-every", "0", "--save", saved.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("\n  " + line + "\n"), o.out());
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(saved, be);
             Optimizer adam = new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f);
             Sequential library = DigitsPreset.KERAS.buildModel(be, 64, 8, 10, 0);
             Optimizer unclippedAdam = new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f);
             Sequential unclipped = DigitsPreset.KERAS.buildModel(be, 64, 8, 10, 0)) {
            Trainer.Builder tb = Trainer.builder().epochs(2).batchSize(32).shuffle(true).seed(0);
            clip.accept(tb);
            tb.build().fit(library, Loss.categoricalCrossEntropy(), adam, data.train(), data.test());
            DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), option + " " + limit);
            assertEquals(record, file.metadata().get(RunSettings.CLIP_KEY));
            // The limit is small enough to bite: without it the weights come out otherwise.
            Trainer.builder().epochs(2).batchSize(32).shuffle(true).seed(0).build()
                    .fit(unclipped, Loss.categoricalCrossEntropy(), unclippedAdam, data.train(), data.test());
            assertThrows(AssertionError.class, () -> DigitsTrainerOptionsTest.assertSameWeights(unclipped,
                    file.model(), "unclipped"));
        }
    }

    @Test
    void clippingByNormReachesTheTrainerAndTheModelFile() throws Exception {
        assertSameAsTheLibrary("--clip-norm", "0.05", tb -> tb.clipGradientNorm(0.05f), "norm 0.05",
                "gradients scaled to a global L2 norm of at most 0.05 before each step (PyTorch's clip_grad_norm_, "
                        + "Keras's global_clipnorm)");
    }

    @Test
    void clippingByValueReachesTheTrainerAndTheModelFile() throws Exception {
        assertSameAsTheLibrary("--clip-value", "0.001", tb -> tb.clipGradientValue(0.001f), "value 0.001",
                "gradient elements clamped to [-0.001, 0.001] before each step (PyTorch's clip_grad_value_, Keras's "
                        + "clipvalue)");
    }

    @Test
    void aResumedRunKeepsItsClippingAndRefusesAnother() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--clip-norm", "0.05",
            "--progress-every", "0"};
        DigitsTrainerOptionsTest.assertResumeKeeps(dir, settings, "--clip-value 1", "'--clip-value': value 1.0 "
                + "differs from the norm 0.05 that LAST was trained with", "2 + 1 epochs equal 3, clipped throughout");
    }

    @Test
    void bothOrEitherWithTheRangeTestAreRefused() {
        DigitsTrainerOptionsTest.assertOneLineUsageError("--clip-norm 1 --clip-value 1",
                "--clip-norm and --clip-value both clip the gradients; give one");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--clip-value 0", "'0' is not a number > 0");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--find-lr --clip-norm 1",
                "Option '--find-lr' does not go with '--clip-norm'");
    }

    /** A recorded clipping that is not a decimal limit is refused naming the record, not as "For input string". */
    @Test
    void aRecordedLimitThatIsNoNumberIsRefusedNamingTheRecord() {
        assertEquals(new ClipChoice(ClipChoice.Kind.NORM, 1f), ClipChoice.parse("norm 1.0"));
        for (String bad : new String[] {"norm x", "value 0x1p-3", "norm 1f"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipChoice.parse(bad));
            assertEquals("gradient clipping '" + bad + "' is not none, norm X or value X with X > 0", e.getMessage());
        }
    }
}
