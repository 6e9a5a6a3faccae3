package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.metrics.RegressionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --task regression --label y1,y2}: one network of two identity outputs, each target standardized on its own,
 * reported per target in its units and averaged as scikit-learn's metrics average a 2-D {@code y}; saved with its
 * targets, so that {@code predict --label y1,y2} scores both and names its output columns after them.
 */
class MultiTargetRegressionTest {
    @TempDir
    Path dir;

    /**
     * Ten rows of nnj's own predictions (a 2-target model trained by this CLI, written by {@code digits predict
     * --output}) and their true values, row-major (y1, y2): y1 near 100, y2 near 0, so that an average of
     * unscaled figures would be y1's alone.
     */
    private static final float[] PREDICTED = {100.61305f, 0.013956453f, 102.52101f, 0.03838752f, 102.762314f,
        0.14672936f, 94.48199f, -0.108029336f, 86.024025f, -0.21685079f, 97.43526f, -0.035511132f, 96.57823f,
        0.017432857f, 110.93493f, 0.19099475f, 104.43786f, 0.14555004f, 95.78184f, -0.08059591f};
    private static final float[] TRUTH = {101.734f, -0.13727f, 111.4695f, -0.03499f, 118.3558f, 0.19273f, 75.6689f,
        -0.42892f, 58.8115f, -0.68807f, 87.5729f, -0.28693f, 97.2737f, -0.01158f, 135.9856f, 0.45098f, 116.2297f,
        0.21532f, 89.4996f, -0.43071f};

    /**
     * The figures against scikit-learn 1.2's, computed with /usr/bin/python3 on the same numbers:
     * {@code y, p} the arrays above as (10, 2); {@code f(y, p, multioutput='raw_values')} per target and
     * {@code f(y, p)} (the default, 'uniform_average') for f = mean_squared_error, mean_absolute_error, r2_score,
     * explained_variance_score, and mean_squared_error(..., squared=False) for the RMSE. The baseline predicts the
     * constants 100 and -0.04 for every row.
     */
    @Test
    void perTargetFiguresAndTheirAveragesAreScikitLearns() {
        RegressionReport model = RegressionReport.of(PREDICTED, TRUTH, 2);
        assertClose(new double[] {232.274260, 15.2405466, 12.5371121, 0.49340432, 0.49342749}, model.column(0));
        assertClose(new double[] {0.0614481368, 0.24788735, 0.20230155, 0.44031946, 0.58757336}, model.column(1));
        assertClose(new double[] {116.167854, 7.74421696, 6.36970683, 0.46686189, 0.54050043},
                new double[] {model.meanSquaredError(), model.rootMeanSquaredError(), model.meanAbsoluteError(),
                    model.r2(), model.explainedVariance()});
        float[] constant = new float[TRUTH.length];
        for (int i = 0; i < constant.length; i++) {
            constant[i] = i % 2 == 0 ? 100f : -0.04f;
        }
        RegressionReport baseline = RegressionReport.of(constant, TRUTH, 2);
        String table = TargetsReport.table(List.of("'y1'", "'y2'"), model, baseline);
        String[] lines = table.split("\\R");
        assertEquals(List.of("                          mse         rmse          mae        r2  expl_var",
                "'y1':",
                "  model               232.274      15.2405      12.5371    0.4934    0.4934",
                "  training mean       459.048      21.4254      17.4948   -0.0012    0.0000",
                "'y2':",
                "  model             0.0614481     0.247887     0.202302    0.4403    0.5876",
                "  training mean      0.115559     0.339940     0.278436   -0.0525    0.0000",
                "uniform average over the 2 targets (scikit-learn's multioutput='uniform_average', r2_score's "
                        + "default):",
                "  model               116.168      7.74422      6.36971    0.4669    0.5405",
                "  training mean       229.582      10.8827      8.88662   -0.0269    0.0000"), List.of(lines));
    }

    private static void assertClose(double[] expected, double[] actual) {
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], Math.abs(expected[k]) * 1e-5 + 1e-9, "figure " + k);
        }
    }

    /** {@code rows} rows of a,y1,b,c,y2: y1 = 100 + 20a - 10b + noise, y2 = 0.5 b c + 0.3 a + noise. */
    private Path twoTargets(String name, int rows, long seed) throws Exception {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("a,y1,b,c,y2"));
        for (int i = 0; i < rows; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double c = r.nextGaussian();
            lines.add(String.format(Locale.ROOT, "%.4f,%.3f,%.4f,%.4f,%.4f", a, 100 + 20 * a - 10 * b
                    + 3 * r.nextGaussian(), b, c, 0.5 * b * c + 0.3 * a + 0.1 * r.nextGaussian()));
        }
        return Files.write(dir.resolve(name), lines);
    }

    /**
     * A target whose header name has a comma ("y,1") is trained by position; predict's advice then names the targets
     * as "--label y,1,y2", which reads back as those two names (it was split into three and refused).
     */
    @Test
    void aTargetNamedWithACommaIsScoredAsPredictAdvises() throws Exception {
        Path plain = twoTargets("plain.csv", 60, 4);
        List<String> lines = new ArrayList<>(Files.readAllLines(plain));
        lines.set(0, "a,\"y,1\",b,c,y2");
        Path csv = Files.write(dir.resolve("comma.csv"), lines);
        Path file = dir.resolve("comma.safetensors");
        assertEquals(0, train(csv, "1,4", "--save", file.toString()).status());
        DigitsTrainerOptionsTest.Outcome advised = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--header");
        assertTrue(advised.err().contains("name them with --label y,1,y2"), advised.err());
        DigitsTrainerOptionsTest.Outcome scored = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y,1,y2");
        assertEquals(0, scored.status(), scored.err());
        assertTrue(scored.out().contains("60 rows, uniform average over the 2 targets"), scored.out());
    }

    /**
     * A model trained on a file without a header, its targets named by position, is scored on that file by the same
     * positions (predict refused them as "a column name, which needs --header").
     */
    @Test
    void aHeaderlessFilesTargetsAreScoredByPosition() throws Exception {
        List<String> lines = Files.readAllLines(twoTargets("named.csv", 60, 5));
        Path csv = Files.write(dir.resolve("plain.csv"), lines.subList(1, lines.size()));
        Path file = dir.resolve("plain.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "1,4", "--task", "regression", "--backend", "cpu", "--progress-every", "0", "--epochs", "5",
                "--save", file.toString());
        assertEquals(0, trained.status(), trained.err());
        DigitsTrainerOptionsTest.Outcome scored = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--label", "1,4");
        assertEquals(0, scored.status(), scored.err());
        assertTrue(scored.out().contains("60 rows, uniform average over the 2 targets"), scored.out());
        DigitsTrainerOptionsTest.Outcome outside = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--label", "1,9");
        assertEquals(2, outside.status());
        assertTrue(outside.err().contains("has no header, so its target columns are named by position (from 0, -1 "
                + "for the last), and it has 5 columns; '9' is not one of them"), outside.err());
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String label, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", label, "--header", "--task",
                "regression", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "5"));
        }
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void trainsOneOutputPerTargetAndPredictScoresBoth() throws Exception {
        Path csv = twoTargets("two.csv", 150, 1);
        Path file = dir.resolve("m.nnj");
        DigitsTrainerOptionsTest.Outcome o = train(csv, "y1,y2", "--save", file.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("; target columns 'y1', 'y2'"), o.out());
        assertTrue(o.out().contains("  target 'y1' standardized on the training rows (mean "), o.out());
        assertTrue(o.out().contains("  target 'y2' standardized on the training rows (mean "), o.out());
        assertTrue(o.out().contains("\n    'y1':\n") && o.out().contains("\n    'y2':\n"), o.out());
        assertTrue(o.out().contains("uniform average over the 2 targets"), o.out());
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(file, cpu)) {
            assertEquals(2, saved.model().outputWidth());
            assertEquals(3, saved.model().inputWidth(), "a, b and c");
            assertEquals("[\"y1\",\"y2\"]", saved.metadata().get(DataRecord.TARGETS_KEY));
        }

        Path written = dir.resolve("predicted.csv");
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.run("predict", "--model", file.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y1,y2", "--show", "1",
                "--output", written.toString());
        assertEquals(0, p.status(), p.out() + p.err());
        List<String> lines = Files.readAllLines(written);
        assertEquals("predicted_y1,predicted_y2,y1,y2", lines.get(0));
        assertEquals(151, lines.size());
        // The printed averages are those of the written predictions, scored as scikit-learn scores a 2-D y.
        float[] predicted = new float[300];
        float[] truth = new float[300];
        for (int i = 0; i < 150; i++) {
            String[] f = lines.get(i + 1).split(",");
            predicted[2 * i] = Float.parseFloat(f[0]);
            predicted[2 * i + 1] = Float.parseFloat(f[1]);
            truth[2 * i] = Float.parseFloat(f[2]);
            truth[2 * i + 1] = Float.parseFloat(f[3]);
        }
        RegressionReport r = RegressionReport.of(predicted, truth, 2);
        assertTrue(p.out().contains(String.format(Locale.ROOT, ": 150 rows, uniform average over the 2 targets "
                + "(scikit-learn's multioutput='uniform_average', r2_score's default): MSE %s, RMSE %s, MAE %s, "
                + "R2 %.4f", ValuePredictions.number(r.meanSquaredError()),
                ValuePredictions.number(r.rootMeanSquaredError()), ValuePredictions.number(r.meanAbsoluteError()),
                r.r2())), p.out());
        assertTrue(p.out().contains(String.format(Locale.ROOT, "\n      %-14s %12s", "model", ValuePredictions.number(
                r.column(0)[0]))), p.out());

        DigitsTrainerOptionsTest.Outcome one = DigitsTrainerOptionsTest.run("predict", "--model", file.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y1");
        assertEquals(2, one.status());
        assertTrue(one.err().contains("names one column, and " + file + " predicts 2 targets: name them all, "
                + "--label y1,y2"), one.err());
        // The targets named in another order: each output is still scored against its own column (it was scored
        // against the other's, without a word).
        Path swappedFile = dir.resolve("swapped.csv");
        DigitsTrainerOptionsTest.Outcome swapped = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y2,y1",
                "--show", "1", "--output", swappedFile.toString());
        assertEquals(0, swapped.status(), swapped.out() + swapped.err());
        assertTrue(swapped.out().contains("(--label's columns matched to the model's outputs by name: y1, y2)"),
                swapped.out());
        assertEquals(lines, Files.readAllLines(swappedFile), "the same columns, scored the same");
        // Positions (y1 and y2 are columns 1 and 4): taken in the order given, and said to be positions, not called
        // other targets than the model's.
        DigitsTrainerOptionsTest.Outcome positions = DigitsTrainerOptionsTest.run("predict", "--model",
                file.toString(), "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "1,4",
                "--show", "1");
        assertEquals(0, positions.status(), positions.out() + positions.err());
        assertTrue(positions.out().contains("(--label's columns 1, 4 are positions: scored against the model's "
                + "outputs, y1, y2, in the order given)"), positions.out());
        // The training file as it is, without --label: the targets' columns are named as the targets, not as
        // columns to --ignore.
        DigitsTrainerOptionsTest.Outcome none = DigitsTrainerOptionsTest.run("predict", "--model", file.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header");
        assertEquals(1, none.status(), none.out() + none.err());
        assertTrue(none.err().contains("'y1', 'y2' are the columns the model was trained to predict: name them with "
                + "--label y1,y2, and predict scores the rows against them"), none.err());
    }

    @Test
    void refusesAListForAClassifierARepeatedTargetAndOneAnotherOptionNames() throws Exception {
        Path csv = twoTargets("two.csv", 40, 2);
        DigitsTrainerOptionsTest.Outcome classifier = DigitsTrainerOptionsTest.run("--csv", csv.toString(),
                "--header", "--label", "y1,y2", "--backend", "cpu");
        assertEquals(2, classifier.status());
        assertTrue(classifier.err().contains("'y1,y2' names 2 columns, and a classifier learns one class column"),
                classifier.err());
        String[][] cases = {
            {"y1,y1", "'y1' is named twice in 'y1,y1'"},
            {"y1,1", "1 is column 'y1', which --label names already ('y1')"},
            {"y1,,y2", "'y1,,y2' has an empty column name"},
            {"y1,nope", "has no column named 'nope'"},
        };
        for (String[] c : cases) {
            DigitsTrainerOptionsTest.Outcome o = train(csv, c[0]);
            assertEquals(2, o.status(), c[0]);
            assertTrue(o.err().contains("invalid value for option '--label': ") && o.err().contains(c[1]),
                    c[0] + ": " + o.err());
        }
        String[][] others = {{"--ignore", "y2"}, {"--categorical", "y2"}, {"--weight-column", "y2"}};
        for (String[] other : others) {
            DigitsTrainerOptionsTest.Outcome o = train(csv, "y1,y2", other);
            assertEquals(2, o.status(), other[0]);
            assertTrue(o.err().contains("'y2' is a target, and " + other[0] + " names it too"), o.err());
        }
    }

    @Test
    void positionsCountTheFileColumnsAndPlotsArePerTarget() throws Exception {
        Path csv = twoTargets("two.csv", 60, 3);
        Path plots = dir.resolve("plots");
        DigitsTrainerOptionsTest.Outcome o = train(csv, "4,1", "--plots", plots.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("; target columns 'y2', 'y1'"), o.out());
        for (String chart : new String[] {"predicted-vs-actual-y2.png", "residuals-y2.png",
            "predicted-vs-actual-y1.png", "residuals-y1.png"}) {
            assertTrue(Files.size(plots.resolve(chart)) > 5000, chart);
        }
        assertEquals("price_usd_", PlotOptions.fileNamePart("price usd/"));
        assertEquals("__x", PlotOptions.fileNamePart("../x"));
        // Two targets whose parts agree would overwrite each other's charts: each gets its position.
        assertEquals(List.of("a_b-1", "a_b-2", "c"), PlotOptions.fileNameParts(List.of("a/b", "a_b", "c")));
        assertEquals(List.of("_-1", "_-2"), PlotOptions.fileNameParts(List.of("α", "β")));
    }

    @Test
    void crossValidationSaysItAveragesAndResumeKeepsTheTargets() throws Exception {
        Path csv = twoTargets("two.csv", 60, 4);
        DigitsTrainerOptionsTest.Outcome cv = train(csv, "y1,y2", "--cv", "3");
        assertEquals(0, cv.status(), cv.err());
        assertTrue(cv.out().contains("R2, RMSE and MAE below are averages over the 2 targets"), cv.out());
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, train(csv, "y1,y2", "--checkpoint-dir", checkpoints.toString()).status());
        Path last = checkpoints.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome swapped = train(csv, "y2,y1", "--resume", last.toString(), "--epochs", "6");
        assertEquals(2, swapped.status(), swapped.out());
        assertTrue(swapped.err().contains(last + " learned 2 targets, y1, y2 in that order, and this run names y2, "
                + "y1; resume with --label y1,y2"), swapped.err());
        assertEquals(0, train(csv, "y1,y2", "--resume", last.toString(), "--epochs", "6").status());
    }
}
