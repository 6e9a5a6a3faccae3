package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.metrics.RegressionReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --task regression}: the {@code --label} column is a number to predict. The network ends in one identity
 * output and trains on the target standardized on the training rows; the report is in the target's units, beside the
 * training mean's figures; the model file keeps both scalers, so that a loaded model predicts in those units; the
 * options that only mean something for classes are refused.
 */
class RegressionTaskTest {
    @TempDir
    Path dir;

    /**
     * {@code rows} rows of id,a,b,y with y = 50 + 30 a - 20 b + noise (standard deviation 2): a target far from unit
     * scale, which the network learns only standardized, and a text identifier to leave out.
     */
    private Path linear(String name, int rows, long seed) throws Exception {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("id,a,b,y"));
        for (int i = 0; i < rows; i++) {
            double a = Math.round(r.nextGaussian() * 1000) / 1000.0;
            double b = Math.round(r.nextGaussian() * 1000) / 1000.0;
            double y = Math.round((50 + 30 * a - 20 * b + 2 * r.nextGaussian()) * 100) / 100.0;
            lines.add("r" + seed + "-" + i + "," + a + "," + b + "," + y);
        }
        return Files.write(dir.resolve(name), lines);
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header", "--ignore",
                "id", "--task", "regression", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    /** The figures of the report table's row called {@code name}: mse, rmse, mae, r2, expl_var. */
    private static double[] tableRow(String out, String name) {
        Matcher m = Pattern.compile("(?m)^ +" + Pattern.quote(name) + " +(\\S+) +(\\S+) +(\\S+) +(\\S+) +(\\S+)$")
                .matcher(out);
        assertTrue(m.find(), "a '" + name + "' row in:\n" + out);
        double[] row = new double[5];
        for (int k = 0; k < 5; k++) {
            row[k] = Double.parseDouble(m.group(k + 1));
        }
        return row;
    }

    @Test
    void learnsTheTargetAndReportsInItsUnitsAsTheSavedModelPredicts() throws Exception {
        Path train = linear("train.csv", 400, 1);
        Path test = linear("test.csv", 100, 2);
        Path file = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome o = train(train, "--test-csv", test.toString(), "--epochs", "60",
                "--save", file.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("; target column 'y'; test rows from test.csv (100 rows)"), o.out());
        assertTrue(o.out().contains("loss mean_squared_error"), o.out());
        assertTrue(o.out().contains("dense_2        (N, 1)"), "one output: " + o.out());
        assertTrue(o.out().contains("activation=identity"), o.out());
        assertFalse(o.out().contains("accuracy"), "no accuracy for a regression: " + o.out());

        double[] model = tableRow(o.out(), "model");
        double[] baseline = tableRow(o.out(), "training mean");
        assertTrue(model[3] > 0.97, "y is linear in a and b, noise 2 of a spread of 36: r2 " + model[3]);
        assertTrue(baseline[3] <= 0 && baseline[3] > -0.05, "the mean's r2 is about 0: " + baseline[3]);

        float[] ys = new float[400];
        double sum = 0;
        List<String> lines = Files.readAllLines(train);
        for (int i = 0; i < 400; i++) {
            ys[i] = Float.parseFloat(lines.get(i + 1).substring(lines.get(i + 1).lastIndexOf(',') + 1));
            sum += ys[i];
        }
        try (Backend be = Backends.get("cpu"); SavedModel saved = ModelFiles.load(file, be)) {
            // The target scaler is the training rows': their mean and population standard deviation.
            assertEquals(sum / 400, saved.preprocessing().targetStandardScaler().mean()[0], 1e-9 * Math.abs(sum));
            assertEquals("regression", saved.metadata().get(DataRecord.TASK_KEY));
            assertEquals("mse", saved.metadata().get(DataRecord.LOSS_KEY));
            assertEquals("y", saved.metadata().get(DataRecord.LABEL_KEY));
            CsvReader.Table t = saved.csvReader().read(test);
            float[] truth = t.column("y");
            float[] predicted = saved.predict(t.withoutColumn("y"));
            RegressionReport r = RegressionReport.of(predicted, truth, 1);
            // The printed figures are the saved model's on the raw test file.
            assertEquals(String.format(Locale.ROOT, "%.4f", r.r2()), String.format(Locale.ROOT, "%.4f", model[3]));
            assertEquals(r.rootMeanSquaredError(), model[1], 1e-5 * r.rootMeanSquaredError());
            assertEquals(r.meanAbsoluteError(), model[2], 1e-5 * r.meanAbsoluteError());
            float[] mean = new float[truth.length];
            Arrays.fill(mean, (float) (sum / 400));
            RegressionReport b = RegressionReport.of(mean, truth, 1);
            assertEquals(String.format(Locale.ROOT, "%.4f", b.r2()), String.format(Locale.ROOT, "%.4f", baseline[3]));
        }
        // predict reads the same model back and scores the same file to the same figures.
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.run("predict", "--model", file.toString(),
                "--csv", test.toString(), "--header", "--label", "y");
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains(String.format(Locale.ROOT, "R2 %.4f", model[3])), p.out());
    }

    @Test
    void splitsTheRowsShuffledAndKeepsTheHeldOutRowsOutOfTheScalers() throws Exception {
        DigitsTrainerOptionsTest.Outcome o = train(linear("all.csv", 300, 3), "--epochs", "2",
                "--validation-split", "0.1", "--loss", "huber");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("shuffled split (seed 42): 216 train, 24 validation (a shuffled 10% of the "
                + "training rows, seed 42), 60 test"), o.out());
        assertTrue(o.out().contains("target 'y' standardized on the training rows (mean "), o.out());
        assertTrue(o.out().contains("loss huber"), o.out());
        assertTrue(o.out().contains("  val   rmse "), o.out());
    }

    @Test
    void optionsForClassesAreRefused() throws Exception {
        String csv = " --csv " + linear("all.csv", 20, 7) + " --label y --header --task regression ";
        DigitsTrainerOptionsTest.assertOneLineUsageError("--task regression",
                "'--task regression' needs --csv FILE and --label COLUMN");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--loss mae",
                "'--loss' chooses a regression's loss (with --task regression)");
        DigitsTrainerOptionsTest.assertOneLineUsageError(csv + "--class-weight balanced",
                "option '--task regression' does not go with '--class-weight'");
        DigitsTrainerOptionsTest.assertOneLineUsageError(csv + "--pos-label 1",
                "'--pos-label' chooses a class, and a regression (--task regression) has none");
    }

    @Test
    void crossValidationAndSeedsScoreByR2BesideTheMean() throws Exception {
        Path all = linear("all.csv", 200, 8);
        DigitsTrainerOptionsTest.Outcome one = train(all, "--epochs", "5", "--cv", "4");
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().contains("Cross-validation: unstratified 4-fold on the 160 training rows"), one.out());
        assertTrue(one.out().contains("  --cv: the scaler and the target's standardization refitted on each fold's "
                + "training rows"), one.out());
        Matcher perFold = Pattern.compile("Cross-validation R2 per fold: 1: (\\S+), 2: (\\S+), 3: (\\S+), 4: (\\S+)\\R")
                .matcher(one.out());
        assertTrue(perFold.find(), one.out());
        double mean = 0;
        for (int f = 1; f <= 4; f++) {
            mean += Double.parseDouble(perFold.group(f)) / 4;
        }
        Matcher summary = Pattern.compile("Cross-validation R2 over 4 folds: mean (\\S+) ").matcher(one.out());
        assertTrue(summary.find(), one.out());
        assertEquals(mean, Double.parseDouble(summary.group(1)), 1e-4);
        assertTrue(one.out().contains("Training-mean baseline, mean over the folds: R2 -0.0"), one.out());
        // Two folds at a time score exactly what one at a time does.
        DigitsTrainerOptionsTest.Outcome two = train(all, "--epochs", "5", "--cv", "4", "--jobs", "2");
        assertEquals(0, two.status(), two.err());
        assertTrue(two.out().contains(perFold.group()), two.out());

        DigitsTrainerOptionsTest.Outcome seeds = train(all, "--epochs", "5", "--seeds", "0-2");
        assertEquals(0, seeds.status(), seeds.err());
        assertTrue(seeds.out().contains("Test R2 per seed: 0: "), seeds.out());
        assertTrue(seeds.out().contains("Test RMSE over 3 seeds: mean "), seeds.out());
        assertTrue(seeds.out().contains("Training-mean baseline: R2 "), seeds.out());
        assertFalse(seeds.out().contains("    model "), "a seed's run prints no table: " + seeds.out());
    }

    /** A fold's standardization is its own training rows' alone, as a pipeline's in cross_val_score. */
    @Test
    void aFoldStandardizesOnItsOwnTrainingRows() {
        float[] values = {1, 2, 3, 4, 100};
        RegressionTargets all = new RegressionTargets("'y'", new dev.nnj.api.data.StandardScaler().fit(values, 1),
                values, null, new float[] {0});
        RegressionTargets fold = all.fold(new dev.nnj.api.data.IndexSplit(new int[] {0, 1, 2, 3}, new int[] {4}));
        assertEquals(2.5, fold.trainingMean(), 1e-12);
        assertEquals(Math.sqrt(1.25), fold.trainingStd(), 1e-12, "numpy's std of 1, 2, 3, 4");
        assertEquals("[100.0]", Arrays.toString(fold.test()));
        assertEquals("[1.0, 2.0, 3.0, 4.0]", Arrays.toString(fold.train()));
    }

    @Test
    void aTargetThatIsNotANumberIsNamedAsTheTarget() throws Exception {
        Path all = linear("all.csv", 60, 4);
        List<String> lines = new ArrayList<>(Files.readAllLines(all));
        lines.set(3, lines.get(3).substring(0, lines.get(3).lastIndexOf(',') + 1));
        Path gap = Files.write(dir.resolve("gap.csv"), lines);
        lines.set(3, lines.get(3) + "high");
        Path word = Files.write(dir.resolve("word.csv"), lines);

        DigitsTrainerOptionsTest.Outcome empty = train(gap, "--epochs", "1");
        assertEquals(1, empty.status());
        assertTrue(empty.err().contains("gap.csv line 4: the target column 'y' is empty; a regression learns from "
                + "every row's target, so fill it in or leave the row out (--impute fills in features only)"),
                empty.err());
        DigitsTrainerOptionsTest.Outcome imputed = train(gap, "--epochs", "1", "--impute", "mean");
        assertEquals(1, imputed.status());
        assertTrue(imputed.err().contains("gap.csv: data row 3 has no value in the target column 'y'"), imputed.err());
        DigitsTrainerOptionsTest.Outcome text = train(word, "--epochs", "1");
        assertEquals(1, text.status());
        assertTrue(text.err().contains("word.csv line 4: the target column 'y' holds 'high', not a number; --task "
                + "regression predicts a number"), text.err());
        DigitsTrainerOptionsTest.Outcome missing = DigitsTrainerOptionsTest.run("--csv", all.toString(), "--label",
                "price", "--header", "--ignore", "id", "--task", "regression");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("all.csv has no column named 'price'; its header has a, b, y"),
                missing.err());
    }

    /**
     * {@code --label} by position counts the file's columns, as a classifier's does, not those left after
     * {@code --ignore}, {@code --categorical} and {@code --weight-column}: column 5 of id,a,color,w,b,y is w.
     */
    @Test
    void aTargetByPositionCountsTheFilesColumns() throws Exception {
        Random r = new Random(9);
        List<String> lines = new ArrayList<>(List.of("id,a,color,w,b,y"));
        for (int i = 0; i < 80; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add("r" + i + "," + a + "," + (i % 3 == 0 ? "red" : "blue") + "," + (1 + i % 2) + "," + b + ","
                    + (10 + 3 * a - b));
        }
        Path file = Files.write(dir.resolve("mixed.csv"), lines);
        String[] common = {"--csv", file.toString(), "--header", "--ignore", "id", "--categorical", "color",
            "--task", "regression", "--epochs", "1", "--backend", "cpu", "--progress-every", "0"};
        List<String> byIndex = new ArrayList<>(List.of(common));
        byIndex.addAll(List.of("--label", "5", "--weight-column", "w"));
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(byIndex.toArray(new String[0]));
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("; target column 'y'"), "column 5 is y: " + o.out());
        List<String> last = new ArrayList<>(List.of(common));
        last.addAll(List.of("--label", "-1"));
        DigitsTrainerOptionsTest.Outcome minusOne = DigitsTrainerOptionsTest.run(last.toArray(new String[0]));
        assertTrue(minusOne.out().contains("; target column 'y'"), minusOne.out() + minusOne.err());
        // Column 2 is the categorical one, which the reader turns into color=blue and color=red: refused, not leaked.
        List<String> categorical = new ArrayList<>(List.of(common));
        categorical.addAll(List.of("--label", "2"));
        DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run(categorical.toArray(new String[0]));
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("'--label': column 2 of mixed.csv is 'color', which --categorical names too"),
                refused.err());
        List<String> outside = new ArrayList<>(List.of(common));
        outside.addAll(List.of("--label", "6"));
        assertTrue(DigitsTrainerOptionsTest.run(outside.toArray(new String[0])).err().contains("mixed.csv has no "
                + "column 6: it has 6 columns (0 to 5, or -6 to -1 from the end); its header has id, a, color, w, b, "
                + "y"));
        // A header naming two columns alike: the position finds one where the name cannot, unless options move the
        // columns by name.
        Path twice = Files.write(dir.resolve("twice.csv"), List.of("x,x,id,y", "1,2,a,3", "2,3,b,5", "3,4,c,7",
                "4,5,d,9", "5,6,e,11"));
        DigitsTrainerOptionsTest.Outcome second = DigitsTrainerOptionsTest.run("--csv", twice.toString(), "--header",
                "--label", "3", "--task", "regression", "--epochs", "1", "--progress-every", "0", "--ignore", "id");
        assertTrue(second.out().contains("; target column 'y'"), second.out() + second.err());
        DigitsTrainerOptionsTest.Outcome ambiguous = DigitsTrainerOptionsTest.run("--csv", twice.toString(),
                "--header", "--label", "1", "--task", "regression", "--epochs", "1", "--ignore", "id");
        assertTrue(ambiguous.err().contains("column 1 of twice.csv is 'x', a name the header gives more than one "
                + "column"), ambiguous.err());
        // The weights are a column of their own, for either task.
        DigitsTrainerOptionsTest.assertOneLineUsageError("--csv " + file + " --header --label w --weight-column w",
                "'--weight-column': 'w' is the --label column");
    }

    /**
     * What the target holds that a regression cannot learn from is named as the target's, and so is a test file
     * without it.
     */
    @Test
    void targetsThatCannotBeLearnedAreNamed() throws Exception {
        Path one = Files.write(dir.resolve("one.csv"), List.of("y", "1", "2", "3"));
        DigitsTrainerOptionsTest.Outcome single = DigitsTrainerOptionsTest.run("--csv", one.toString(), "--header",
                "--label", "y", "--task", "regression");
        assertEquals(2, single.status());
        assertTrue(single.err().contains("one.csv has one column, 'y', which leaves no features beside the target"),
                single.err());
        for (String[] c : new String[][] {{"NA", "is missing ('NA')"}, {"nan", "is missing ('nan')"},
            {"inf", "holds 'inf', which is not finite"}}) {
            Path bad = Files.write(dir.resolve("bad.csv"), List.of("id,a,y", "r1,1,2", "r2,2," + c[0], "r3,3,4"));
            DigitsTrainerOptionsTest.Outcome o = train(bad, "--epochs", "1");
            assertTrue(o.err().contains("bad.csv line 3: the target column 'y' " + c[1]), o.err());
        }
        Path constant = Files.write(dir.resolve("constant.csv"), java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> i == 0 ? "id,a,y" : "r" + i + "," + i + ",7").toList());
        DigitsTrainerOptionsTest.Outcome flat = train(constant, "--epochs", "1");
        assertEquals(0, flat.status(), flat.err());
        assertTrue(flat.err().contains("digits: warning: target 'y' is 7.0 in every training row: there is nothing to "
                + "learn"), flat.err());
        assertTrue(flat.out().contains("(mean 7.00000, standard deviation 0.00000)"), flat.out());
        Path coarse = Files.write(dir.resolve("coarse.csv"), java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> i == 0 ? "id,a,y" : "r" + i + "," + i + "," + (1e8 + i % 7)).toList());
        Path coarseModel = dir.resolve("coarse.safetensors");
        DigitsTrainerOptionsTest.Outcome rounded = train(coarse, "--epochs", "1", "--save", coarseModel.toString());
        assertTrue(rounded.err().contains("digits: warning: target 'y' has mean 1.000e+08 and standard deviation ")
                && rounded.err().contains("the figures after training compare predictions with those rounded values, "
                + "not the file's"), rounded.err());
        // A feature as coarse as the target: its warning is the scaler's, and the target's is still the run's (the
        // two counted as one repeated warning, and the target's named the feature's as its own; DigitsLoggingTest).
        Path both = Files.write(dir.resolve("both.csv"), java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> i == 0 ? "id,a,y" : "r" + i + "," + (1e6 + i % 5 * 0.25) + "," + (1e8 + i % 7))
                .toList());
        DigitsTrainerOptionsTest.Outcome coarseBoth = train(both, "--epochs", "1", "--scaler", "standard");
        assertEquals(0, coarseBoth.status(), coarseBoth.err());
        assertTrue(coarseBoth.err().contains("subtract a constant near the mean first (for a target, add it back to "
                + "predictions)") && coarseBoth.err().contains("digits: warning: target 'y' has mean 1.000e+08")
                && !coarseBoth.err().contains("is this one"), coarseBoth.err());
        // predict scores a file against the same rounded values, and says so too.
        DigitsTrainerOptionsTest.Outcome scored = DigitsTrainerOptionsTest.run("predict", "--model",
                coarseModel.toString(), "--csv", coarse.toString(), "--header", "--label", "y");
        assertEquals(0, scored.status(), scored.err());
        assertTrue(scored.err().contains("digits: warning: the --label column has mean 1.000e+08 and standard "
                + "deviation "), scored.err());
        // A number spelled with a thousands separator is named so, as in a feature column.
        Path spelled = Files.write(dir.resolve("spelled.csv"), List.of("id,a,y", "r1,1,2", "r2,2,1'234", "r3,3,4"));
        assertTrue(train(spelled, "--epochs", "1").err().contains("spelled.csv line 3: the target column 'y' holds "
                + "'1'234', not a number (a thousands separator? numbers have none: 1234)"));
        Path thousands = Files.write(dir.resolve("thousands.csv"), List.of("id,a,y", "r1,1,1'234"));
        DigitsTrainerOptionsTest.Outcome labelled = DigitsTrainerOptionsTest.run("predict", "--model",
                coarseModel.toString(), "--csv", thousands.toString(), "--header", "--label", "y");
        assertTrue(labelled.err().contains("holds '1'234' (data row 1 of 1), not a number (a thousands separator? "
                + "numbers have none: 1234)"), labelled.err());

        // A fold whose own training rows are constant says so, where the split's are not.
        Path oneOff = Files.write(dir.resolve("oneoff.csv"), java.util.stream.IntStream.range(0, 41)
                .mapToObj(i -> i == 0 ? "id,a,y" : "r" + i + "," + i + "," + (i == 1 ? 1000 : 7)).toList());
        DigitsTrainerOptionsTest.Outcome folds = train(oneOff, "--epochs", "1", "--cv", "2");
        assertEquals(0, folds.status(), folds.err());
        assertTrue(folds.err().contains("digits: warning: fold 1 of 2: the target is 7.0 in every training row of "
                + "this fold: nothing to learn") && !folds.out().contains("warning"), folds.out() + folds.err());
        // Constant in every row: warned of once with the data, not again in each fold.
        Path allSeven = Files.write(dir.resolve("allseven.csv"), java.util.stream.IntStream.range(0, 41)
                .mapToObj(i -> i == 0 ? "id,a,y" : "r" + i + "," + i + ",7").toList());
        DigitsTrainerOptionsTest.Outcome constantFolds = train(allSeven, "--epochs", "1", "--cv", "2");
        assertEquals(0, constantFolds.status(), constantFolds.err());
        assertTrue(constantFolds.err().contains("is 7.0 in every training row"), constantFolds.err());
        assertFalse(constantFolds.out().contains("of this fold"), constantFolds.out());

        Path train = linear("train.csv", 50, 10);
        Path features = Files.write(dir.resolve("features.csv"), Files.readAllLines(linear("t.csv", 20, 11)).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        DigitsTrainerOptionsTest.Outcome noTarget = train(train, "--test-csv", features.toString(), "--epochs", "1");
        assertEquals(1, noTarget.status());
        assertTrue(noTarget.err().contains("features.csv has no column 'y', the target (--label): the test rows are "
                + "scored against their true values"), noTarget.err());
    }

    /** A diverged regression exits 3 without the library's advice to scale its target, which the run has done. */
    @Test
    void aDivergedRegressionIsNotToldToScaleItsTarget() throws Exception {
        DigitsTrainerOptionsTest.Outcome o = train(linear("all.csv", 100, 12), "--epochs", "5", "--optimizer", "sgd",
                "--learning-rate", "50");
        assertEquals(DigitsTrainer.EXIT_DIVERGED, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("digits: error: training diverged at epoch "), o.err());
        assertFalse(o.err().contains("withTargetScaler"), o.err());
    }

    @Test
    void aResumedRegressionContinuesExactlyWithItsTaskAndLoss() throws Exception {
        Path all = linear("all.csv", 200, 5);
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome straight = train(all, "--epochs", "6", "--loss", "mae");
        assertEquals(0, straight.status(), straight.err());
        assertEquals(0, train(all, "--epochs", "3", "--loss", "mae", "--checkpoint-dir", checkpoints.toString())
                .status());
        // --task and --loss come from the checkpoint.
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run("--resume",
                checkpoints.resolve("last.safetensors").toString(), "--csv", all.toString(), "--label", "y", "--header",
                "--backend", "cpu", "--progress-every", "0", "--epochs", "6");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("loss mae"), resumed.out());
        assertEquals(Arrays.toString(tableRow(straight.out(), "model")),
                Arrays.toString(tableRow(resumed.out(), "model")));
        DigitsTrainerOptionsTest.Outcome other = DigitsTrainerOptionsTest.run("--resume",
                checkpoints.resolve("last.safetensors").toString(), "--csv", all.toString(), "--label", "y", "--header",
                "--epochs", "6", "--loss", "mse");
        assertEquals(2, other.status());
        assertTrue(other.err().contains("'--loss': mse differs from the mae that"), other.err());
    }

    @Test
    void plotsDrawTheTestPredictionsInsteadOfAConfusionMatrix() throws Exception {
        Path plots = dir.resolve("plots");
        DigitsTrainerOptionsTest.Outcome o = train(linear("all.csv", 120, 6), "--epochs", "3", "--plots",
                plots.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(Files.exists(plots.resolve("loss.png")));
        assertFalse(Files.exists(plots.resolve("accuracy.png")), "no accuracy is measured");
        assertFalse(Files.exists(plots.resolve("confusion-matrix.png")));
        BufferedImage scatter = ImageIO.read(plots.resolve("predicted-vs-actual.png").toFile());
        assertEquals(640, scatter.getWidth());
        assertEquals(640, scatter.getHeight());
        assertTrue(Files.size(plots.resolve("residuals.png")) > 0);
    }
}
