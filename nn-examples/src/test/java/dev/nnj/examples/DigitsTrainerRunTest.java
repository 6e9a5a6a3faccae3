package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Short end-to-end runs on the pure-Java backend. They check that training learns, not the presets' final
 * accuracy (1000 epochs each; measured with the trainer itself, see the project's docs).
 */
class DigitsTrainerRunTest {

    @Test
    void articlePresetLearnsInAFewHundredFullBatchEpochs() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "article", "--backend", "cpu",
                "--epochs", "200", "--progress-every", "100");
        assertEquals(0, o.status(), o.err());
        List<DigitsTrainer.RunResult> r = t.results();
        assertEquals(1, r.size());
        assertEquals(200, r.get(0).epochs());
        assertEquals(360, r.get(0).test().samples());
        assertTrue(r.get(0).test().accuracy() > 0.5, "test accuracy " + r.get(0).test().accuracy());
        String out = o.out();
        assertTrue(out.contains("Backend: cpu"), out);
        assertTrue(out.contains("(requested by --backend)"), out);
        assertTrue(out.contains("Total parameters: 4810"), out);
        assertTrue(out.contains("epoch 100/200"), out);
        assertTrue(out.contains("epoch 200/200"), out);
        assertTrue(out.contains("test   loss"), out);
    }

    @Test
    void kerasPresetOverSeveralSeedsWithEarlyStopping() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "8", "--seeds", "0-1", "--early-stopping", "--patience", "2", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        List<DigitsTrainer.RunResult> r = t.results();
        assertEquals(2, r.size());
        for (DigitsTrainer.RunResult x : r) {
            assertTrue(x.test().accuracy() > 0.8, "seed " + x.seed() + ": " + x.test().accuracy());
        }
        assertTrue(o.out().contains("Test accuracy over 2 seeds: mean"), o.out());
        // Accuracy alone hid a model that never predicts a rare class: macro-F1, balanced accuracy and the baseline.
        assertTrue(o.out().matches("(?s).*\nTest macro-F1 over 2 seeds: mean 0\\.\\d{4} \\+/- 0\\.\\d{4} "
                + "\\(std, ddof 0\\)  min 0\\.\\d{4}  max 0\\.\\d{4}\nTest balanced accuracy over 2 seeds: "
                + "mean 0\\.\\d{4}.*"), o.out());
        double f1 = (r.get(0).testReport().macroAverage().f1() + r.get(1).testReport().macroAverage().f1()) / 2;
        assertTrue(o.out().contains(String.format(java.util.Locale.ROOT, "Test macro-F1 over 2 seeds: mean %.4f", f1)),
                o.out());
        assertTrue(o.out().contains("Majority-class baseline (always \""), o.out());
        assertTrue(!o.out().contains("epoch 1/8"), "--progress-every 0 prints no epochs");
        // A repeated seed (how the benchmarks time warm runs) is the same run again, and the summary says so.
        DigitsTrainerOptionsTest.Outcome again = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1",
                "--seeds", "3,3", "--progress-every", "0");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("Test accuracy over 2 runs of 1 seed: mean"), again.out());
    }

    /**
     * --early-stopping alone holds out a validation split, as scikit-learn's early_stopping does: it used to watch the
     * test loss, choose the epoch by the test rows and then report their accuracy as if unseen.
     */
    @Test
    void earlyStoppingWithoutAValidationSplitHoldsOneOut() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--early-stopping", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains(" validation (stratified 10% of the training rows, seed 42, held out for "
                + "--early-stopping; --validation-split F to choose)"), o.out());
        assertTrue(o.out().contains("early stopping on validation loss (patience 20"), o.out());
        DigitsTrainerOptionsTest.Outcome given = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--early-stopping", "--validation-split", "0.2", "--progress-every", "0");
        assertEquals(0, given.status(), given.err());
        assertTrue(given.out().contains(" validation (stratified 20% of the training rows, seed 42)"), given.out());
        DigitsTrainerOptionsTest.Outcome without = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend",
                "cpu", "--epochs", "1", "--progress-every", "0");
        assertFalse(without.out().contains("validation"), "no split without --early-stopping: " + without.out());
    }

    @Test
    void aDivergingRunPrintsOneLineAndExitsWithStatusThree() {
        // lr 1e3: the loss reaches the clamped-log floor (or NaN) within a few epochs.
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "50", "--learning-rate", "1e3", "--progress-every", "0");
        assertEquals(DigitsTrainer.EXIT_DIVERGED, o.status(), o.err());
        String err = o.err().strip();
        assertTrue(err.startsWith("digits: error: training diverged at epoch "), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.contains("lower the learning rate"), err);
    }

    /** Of several runs (seeds, folds, folds at once), the one that diverged is named. */
    @Test
    void aDivergingRunAmongSeveralIsNamed() {
        String[] common = {"--preset", "keras", "--backend", "cpu", "--epochs", "50", "--learning-rate", "1e3",
            "--progress-every", "0"};
        DigitsTrainerOptionsTest.Outcome seeds = DigitsTrainerOptionsTest.run(
                DigitsTrainerOptionsTest.concat(common, "--seeds", "4,5"));
        assertEquals(DigitsTrainer.EXIT_DIVERGED, seeds.status(), seeds.err());
        assertTrue(seeds.err().startsWith("digits: error: seed 4, run 1 of 2: training diverged at epoch "),
                seeds.err());
        DigitsTrainerOptionsTest.Outcome folds = DigitsTrainerOptionsTest.run(
                DigitsTrainerOptionsTest.concat(common, "--cv", "2"));
        assertEquals(DigitsTrainer.EXIT_DIVERGED, folds.status(), folds.err());
        assertTrue(folds.err().startsWith("digits: error: fold 1 of 2: training diverged at epoch "), folds.err());
        DigitsTrainerOptionsTest.Outcome atOnce = DigitsTrainerOptionsTest.run(
                DigitsTrainerOptionsTest.concat(common, "--cv", "2", "--jobs", "2"));
        assertEquals(DigitsTrainer.EXIT_DIVERGED, atOnce.status(), atOnce.err());
        assertTrue(atOnce.err().contains("digits: error: fold 1 of 2: training diverged at epoch "), atOnce.err());
    }

    /** A CSV run that diverged on unscaled features is told which option scales them. */
    @Test
    void aDivergedRunOnUnscaledFeaturesIsToldOfTheScaler() throws Exception {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv",
                DataAndPlotOptionsTest.blobs().toString(), "--label", "colour", "--header", "--scaler", "none",
                "--backend", "cpu", "--epochs", "50", "--learning-rate", "1e6", "--optimizer", "sgd",
                "--progress-every", "0");
        assertEquals(DigitsTrainer.EXIT_DIVERGED, o.status(), o.err());
        assertTrue(o.err().contains("digits: the features were not scaled (--scaler none): leave it out (minmax) or "
                + "give --scaler standard"), o.err());
    }
}
