package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --cv K}: stratified folds of the training split, each scored on the rows it left out by a model trained as
 * the library trains it on the others, the scores summarised; the test split unused; options that cannot apply
 * refused.
 */
class CrossValidationTest {

    @Test
    void eachFoldIsScoredOnTheRowsItLeftOutAsTheLibraryTrainsIt() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--cv", "3", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        List<CrossValidation.FoldResult> folds = t.foldResults();
        assertEquals(3, folds.size());
        assertTrue(t.results().isEmpty(), "no single run");
        int heldOut = 0;
        for (CrossValidation.FoldResult f : folds) {
            // 1437 rows in 3 stratified folds: 479 each, give or take the classes' remainders.
            assertTrue(Math.abs(f.heldOut().samples() - 479) <= 5, "fold " + f.fold() + ": " + f.heldOut().samples());
            assertTrue(f.heldOut().accuracy() > 0.7, "fold " + f.fold() + ": " + f.heldOut().accuracy());
            heldOut += f.heldOut().samples();
        }
        assertEquals(1437, heldOut, "every training row is held out once");
        assertTrue(o.out().contains("Cross-validation: stratified 3-fold on the 1437 training images (folds shuffled "
                + "with --split-seed 42)"), o.out());
        assertTrue(o.out().contains(String.format(Locale.ROOT, "fold 2/3    held out  loss %.4f  accuracy %.4f  "
                + "macro-F1 %.4f", folds.get(1).heldOut().loss(), folds.get(1).heldOut().accuracy(),
                folds.get(1).report().macroAverage().f1())), o.out());
        // The summary: numpy's mean and std (ddof 0) of the three accuracies.
        double[] acc = folds.stream().mapToDouble(f -> f.heldOut().accuracy()).toArray();
        double mean = (acc[0] + acc[1] + acc[2]) / 3;
        double std = Math.sqrt(((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean)
                + (acc[2] - mean) * (acc[2] - mean)) / 3);
        assertTrue(o.out().contains(String.format(Locale.ROOT, "Cross-validation accuracy over 3 folds: mean %.4f +/- "
                + "%.4f (std, ddof 0)", mean, std)), o.out());
        assertTrue(o.out().contains("Cross-validation macro-F1 over 3 folds: mean 0."), o.out());
        assertTrue(o.out().contains("Cross-validation balanced accuracy over 3 folds: mean 0."), o.out());
        assertTrue(o.out().contains("Majority-class baseline, mean over the folds: accuracy 0.1"), o.out());
        assertFalse(o.out().contains("test set") || o.out().contains("Test accuracy"), "the test split is not used");

        // Fold 1 again, through the library: the same rows, model, optimizer and batches give the same score.
        Dataset train = DigitsData.scaledArticleSplit().train();
        IndexSplit fold = TrainTestSplit.stratifiedKFold(train, 3, 42).get(0);
        IndexSplit.Datasets parts = fold.apply(train);
        try (Backend be = Backends.get("cpu");
             Optimizer adam = OptimizerName.ADAM.create(1e-3f);
             Sequential model = DigitsPreset.KERAS.buildModel(be, 64, 64, 10, 0)) {
            Trainer.builder().epochs(3).batchSize(32).shuffle(true).seed(0).build()
                    .fit(model, Loss.categoricalCrossEntropy(), adam, parts.train(), parts.test());
            Evaluation e = model.evaluate(parts.test(), Loss.categoricalCrossEntropy(), 4096);
            assertEquals(e.accuracy(), folds.get(0).heldOut().accuracy());
            assertEquals(e.loss(), folds.get(0).heldOut().loss());
        }
    }

    /**
     * {@code --jobs 2} trains the folds two at a time and scores each exactly as one at a time does: the same results,
     * the same fold lines in fold order, a summary that also gives the wall time.
     */
    @Test
    void foldsTrainedTwoAtATimeScoreExactlyAsOneAtATime() {
        DigitsTrainer alone = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome one = DigitsTrainerOptionsTest.run(alone, "--preset", "keras", "--backend",
                "cpu", "--epochs", "5", "--cv", "3", "--progress-every", "0");
        DigitsTrainer together = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome two = DigitsTrainerOptionsTest.run(together, "--preset", "keras", "--backend",
                "cpu", "--epochs", "5", "--cv", "3", "--jobs", "2", "--progress-every", "0");
        assertEquals(0, one.status(), one.err());
        assertEquals(0, two.status(), two.err());
        for (int f = 0; f < 3; f++) {
            CrossValidation.FoldResult a = alone.foldResults().get(f);
            CrossValidation.FoldResult b = together.foldResults().get(f);
            assertEquals(a.fold(), b.fold());
            assertEquals(a.heldOut().loss(), b.heldOut().loss(), "fold " + (f + 1) + ": the same bits");
            assertEquals(a.heldOut().accuracy(), b.heldOut().accuracy());
            assertEquals(a.report().macroAverage().f1(), b.report().macroAverage().f1());
        }
        List<String> timeless = withoutTimes(one.out());
        assertEquals(timeless, withoutTimes(two.out()), "the same lines, in the same order, but for the times");
        assertTrue(two.out().contains(" s of wall time with 2 folds at a time"), two.out());
    }

    /** The output's lines without those that carry times. */
    private static List<String> withoutTimes(String out) {
        return out.lines().filter(l -> !l.contains("result:") && !l.startsWith("Training time")).toList();
    }

    @Test
    void splitSeedShufflesTheFoldsAndBalancedWeightsAreEachFoldsOwn() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "1", "--cv", "2", "--split-seed", "7", "--class-weight", "balanced", "--progress-every",
                "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("(folds shuffled with --split-seed 7)"), o.out());
        // Refused as unused without --cv, on the digits' fixed split.
        DigitsTrainerOptionsTest.Outcome alone = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1",
                "--split-seed", "7");
        assertEquals(2, alone.status());
        assertTrue(alone.err().contains("without --validation-split or --cv"), alone.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--cv=1                          | invalid value for option '--cv': 1; cross-validation needs at least 2 folds",
        "--cv=200                        | invalid value for option '--cv': stratified 200-fold cross-validation needs at least 200 rows of every class in the training split, and class '4' has 135; use --cv 135 or fewer",
        "--cv=3 --seeds=0-1              | option '--cv' does not go with '--seeds'",
        "--cv=3 --early-stopping         | option '--cv' does not go with '--early-stopping': each fold would choose its epoch on the rows it is scored on",
        "--cv=3 --validation-split=0.1   | option '--cv' does not go with '--validation-split'",
        "--cv=3 --save=m.safetensors     | option '--cv' does not go with '--save': no model is kept",
        "--cv=3 --plots=plots            | option '--cv' does not go with '--plots'",
        "--jobs=2                        | option '--jobs' goes with '--cv': it trains the folds of a cross-validation at once",
        "--cv=3 --jobs=0                 | invalid value for option '--jobs'",
    })
    void whatCannotApplyIsRefusedInOneLine(String args, String expected) {
        DigitsTrainerOptionsTest.assertOneLineUsageError(args + " --backend=cpu --epochs=1", expected);
    }

    /** A refused command makes no folder: the --checkpoint-dir is created only once every check has passed. */
    @Test
    void aRefusedCrossValidationLeavesNoCheckpointFolder(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path folder = dir.resolve("ckx");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--cv", "3", "--checkpoint-dir",
                folder.toString(), "--backend", "cpu", "--epochs", "1");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("option '--cv' does not go with '--checkpoint-dir'"), o.err());
        assertFalse(java.nio.file.Files.exists(folder), "no folder left behind");
    }
}
