package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digits predict} with a regression model: a model saved with its target scaler (as RegressionExample saves
 * one) predicts the rows of a labelled CSV in the target's units, prints scikit-learn's figures and the mean
 * baseline's, writes the values with {@code --output}, and refuses what it cannot read.
 *
 * <p>The model is fixed, not trained: one Dense unit with weights (0.9, -0.35) and bias 0.05 on standardized features,
 * its scalers fitted on the first 8 of the file's 12 rows, so that scikit-learn can compute the same predictions and
 * figures. The figures pasted below come from {@code /usr/bin/python3} (scikit-learn 1.2):
 * <pre>{@code
 * X = np.array([X1, X2], dtype=float).T; y = np.array(Y)
 * xs = StandardScaler().fit(X[:8]); ys = StandardScaler().fit(y[:8, None])
 * p = ys.inverse_transform((xs.transform(X) @ [0.9, -0.35] + 0.05)[:, None])[:, 0]
 * mean_squared_error(y, p), mean_absolute_error(y, p), r2_score(y, p), explained_variance_score(y, p)
 * b = DummyRegressor(strategy="mean").fit(X[:8], y[:8]).predict(X)   # then the same metrics of b
 * }</pre>
 */
class PredictRegressionTest {
    @TempDir
    Path dir;

    private static final float[] X1 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final float[] X2 = {4, 1, 3, 0, 2, 5, 1, 4, 2, 3, 0, 5};
    private static final String[] Y = {"10.5", "14", "13.5", "21", "20.5", "19", "27.5", "25", "32.5", "31", "40",
        "36.5"};
    private static final int ROWS = Y.length;
    /** The rows the scalers were fitted on: the mean baseline's "training rows". */
    private static final int FITTED = 8;

    // scikit-learn's figures of the model on the file (see the class comment).
    private static final double SK_MSE = 4.093391521;
    private static final double SK_RMSE = 2.023213168;
    private static final double SK_MAE = 1.467072642;
    private static final double SK_R2 = 0.9501186106;
    private static final double SK_EXPLAINED_VARIANCE = 0.9575414632;
    // DummyRegressor(strategy="mean") fitted on the first 8 rows: it predicts 18.875 for every row.
    private static final double SK_BASELINE_MEAN = 18.875;
    private static final double SK_BASELINE_R2 = -0.3520563595;
    private static final double SK_BASELINE_RMSE = 10.53342893;
    private static final double SK_BASELINE_MAE = 8.479166667;
    // The first three of scikit-learn's predictions: the printed values must be these in the target's units.
    private static final double[] SK_FIRST_PREDICTIONS = {9.84985387, 15.49120948, 15.3299709};

    /** The labelled file, its header "x1,x2,y", the label last. */
    private Path labelledCsv(String... replaceLabel) throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < ROWS; i++) {
            String label = replaceLabel.length > 0 && i == Integer.parseInt(replaceLabel[0]) ? replaceLabel[1] : Y[i];
            csv.append((int) X1[i]).append(',').append((int) X2[i]).append(',').append(label).append('\n');
        }
        return Files.writeString(dir.resolve(replaceLabel.length > 0 ? "bad.csv" : "houses.csv"), csv);
    }

    private static float[] features() {
        float[] x = new float[ROWS * 2];
        for (int i = 0; i < ROWS; i++) {
            x[2 * i] = X1[i];
            x[2 * i + 1] = X2[i];
        }
        return x;
    }

    private static float[] targets() {
        float[] y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            y[i] = Float.parseFloat(Y[i]);
        }
        return y;
    }

    /**
     * Saves the fixed model: with both standard scalers and the target's name as the trainer records it, or (for
     * {@code raw}) without any scaler, one identity output, as a regression exported from PyTorch comes.
     */
    private Path saveModel(boolean raw) throws Exception {
        Path file = dir.resolve(raw ? "raw.safetensors" : "regression.safetensors");
        float[] x = features();
        float[] y = targets();
        StandardScaler xScaler = new StandardScaler().fit(java.util.Arrays.copyOf(x, FITTED * 2), 2);
        StandardScaler yScaler = new StandardScaler().fit(java.util.Arrays.copyOf(y, FITTED), 1);
        try (Backend cpu = Backends.get("cpu");
             Sequential model = new Sequential(cpu, 2, 1)) {
            model.add(new Dense(1));   // identity output
            Map<String, float[]> state = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> p : model.stateDict().entrySet()) {
                state.put(p.getKey(), p.getValue().length == 2 ? new float[] {0.9f, -0.35f} : new float[] {0.05f});
            }
            model.loadStateDict(state);
            Preprocessing p = raw ? Preprocessing.none() : Preprocessing.none().withScaler(xScaler)
                    .withTargetScaler(yScaler).withFeatureNames(List.of("x1", "x2"));
            ModelFiles.save(model, file, WeightLayout.IN_OUT, p, raw ? Map.of() : Map.of(DataRecord.LABEL_KEY, "y"));
        }
        return file;
    }

    /** What the library predicts for the file's rows: the values the command must print and write. */
    private static float[] libraryPredictions(Path model) throws Exception {
        return libraryPredictions(model, 1);
    }

    /** As {@link #libraryPredictions(Path)}, {@code outputs} values a row. */
    private static float[] libraryPredictions(Path model, int outputs) throws Exception {
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(model, cpu)) {
            float[] p = saved.predict(features(), ROWS);
            assertEquals(ROWS * outputs, p.length);
            return p;
        }
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + start + "' in:\n" + text));
    }

    /** The number after {@code name} and a space in a line: "R2 0.9501," gives 0.9501. */
    private static double figure(String line, String name) {
        int at = line.indexOf(name + " ");
        assertTrue(at >= 0, "no " + name + " in " + line);
        String rest = line.substring(at + name.length() + 1).split("[,)\\s]")[0];
        return Double.parseDouble(rest);
    }

    @Test
    void aLabelledFileGetsEachRowsValueErrorAndScikitLearnsFigures() throws Exception {
        Path model = saveModel(false);
        Path csv = labelledCsv();
        Path written = dir.resolve("predicted.csv");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y", "--show", "3", "--output",
                written.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        String out = o.out();
        assertTrue(out.contains("2 inputs, a regression of 'y' (its target scaler saved with it: values in the "
                + "target's units)"), out);
        assertTrue(out.contains("\nPredicted y (in the target's units):\n"), out);

        float[] expected = libraryPredictions(model);
        float[] y = targets();
        for (int i = 0; i < 3; i++) {
            String row = line(out, "row " + (i + 1) + ": ");
            assertEquals(String.format(Locale.ROOT, "row %d: %.6g  label %.6g, error %+.6g", i + 1, expected[i], y[i],
                    (double) expected[i] - y[i]), row);
            // The library's value is scikit-learn's pipeline's, to float32's precision.
            assertEquals(SK_FIRST_PREDICTIONS[i], expected[i], 1e-4, "row " + i);
        }
        assertFalse(out.contains("row 4: "), "--show 3 prints three rows:\n" + out);
        assertTrue(out.contains("(9 more rows; --show-all prints them)"), out);

        RegressionReport report = RegressionReport.of(expected, y, 1);
        assertEquals(SK_MSE, report.meanSquaredError(), 1e-5);
        assertEquals(SK_RMSE, report.rootMeanSquaredError(), 1e-5);
        assertEquals(SK_MAE, report.meanAbsoluteError(), 1e-5);
        assertEquals(SK_R2, report.r2(), 1e-6);
        assertEquals(SK_EXPLAINED_VARIANCE, report.explainedVariance(), 1e-6);
        String figures = line(out, csv + ": 12 rows, ");
        assertEquals(String.format(Locale.ROOT, "%s: 12 rows, MSE %.6g, RMSE %.6g, MAE %.6g, R2 %.4f, explained "
                + "variance %.4f", csv, report.meanSquaredError(), report.rootMeanSquaredError(),
                report.meanAbsoluteError(), report.r2(), report.explainedVariance()), figures);
        assertEquals(SK_MSE, figure(figures, "MSE"), 1e-4);
        assertEquals(SK_RMSE, figure(figures, "RMSE"), 1e-4);
        assertEquals(SK_MAE, figure(figures, "MAE"), 1e-4);
        assertEquals(SK_R2, figure(figures, "R2"), 1e-4);
        assertEquals(SK_EXPLAINED_VARIANCE, figure(figures, "variance"), 1e-4);

        String baseline = line(out, "  mean baseline ");
        assertTrue(baseline.contains("always the training mean 18.8750, as scikit-learn's "
                + "DummyRegressor(strategy=\"mean\")"), baseline);
        assertEquals(SK_BASELINE_MEAN, figure(baseline, "training mean"), 1e-9);
        assertEquals(SK_BASELINE_R2, figure(baseline, "R2"), 1e-4);
        assertEquals(SK_BASELINE_RMSE, figure(baseline, "RMSE"), 1e-4);
        assertEquals(SK_BASELINE_MAE, figure(baseline, "MAE"), 1e-4);

        List<String> lines = Files.readAllLines(written);
        assertEquals(ROWS + 1, lines.size(), String.join("\n", lines));
        assertEquals("predicted_y,label", lines.get(0), "the target's recorded name, predicted, then the label");
        for (int i = 0; i < ROWS; i++) {
            // Float.toString: the value reads back as the same float32; the label as the file spells it.
            assertEquals(expected[i] + "," + Y[i], lines.get(i + 1), "row " + i);
        }
        assertTrue(out.contains("Wrote the predictions of 12 rows to " + written), out);
    }

    /** {@code --output -} puts the CSV alone on standard output, every other line on standard error. */
    @Test
    void outputToStandardOutputIsTheCsvAlone() throws Exception {
        Path model = saveModel(false);
        Path csv = dir.resolve("unlabelled.csv");
        StringBuilder rows = new StringBuilder("x2,x1\n");   // another order: matched by the names
        for (int i = 0; i < ROWS; i++) {
            rows.append((int) X2[i]).append(',').append((int) X1[i]).append('\n');
        }
        Files.writeString(csv, rows);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--show-all", "--output", "-");
        assertEquals(0, o.status(), o.err());
        StringBuilder expected = new StringBuilder("predicted_y\n");
        for (float p : libraryPredictions(model)) {
            expected.append(p).append('\n');
        }
        assertEquals(expected.toString(), o.out());
        assertTrue(o.err().contains("row 12: " + ValuePredictions.number(libraryPredictions(model)[11]) + "\n"),
                o.err());
        assertFalse(o.err().contains("mean baseline"), "no label, no figures:\n" + o.err());
        assertTrue(o.err().contains("Wrote the predictions of 12 rows to standard output"), o.err());
    }

    /** The digits' test set and --index have no rows for a regression: refused, naming the model and --csv. */
    @Test
    void theDigitsTestSetAndAnIndexAreRefused() throws Exception {
        Path model = saveModel(false);
        for (String[] source : List.of(new String[0], new String[] {"--index", "3"})) {
            String[] args = DigitsTrainerOptionsTest.concat(new String[] {"predict", "--model", model.toString(),
                "--backend", "cpu"}, source);
            DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(args);
            assertEquals(2, o.status(), o.out() + o.err());
            assertTrue(o.err().contains(model + " gives values, not classes: a regression of 'y'"), o.err());
            assertTrue(o.err().contains("predict reads their rows from a file, --csv FILE; the digits' test set and "
                    + "--index are for a digits classifier"), o.err());
        }
    }

    /** A label that is not a number: refused naming the column, the value and its row. */
    @Test
    void aLabelThatIsNotANumberIsRefused() throws Exception {
        Path model = saveModel(false);
        Path csv = labelledCsv("5", "n/a");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y");
        assertEquals(DigitsTrainer.EXIT_FAILURE, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("Invalid value for option '--label': 'y' of " + csv.getFileName()
                + " holds 'n/a' (data row 6 of 12), not a number (a missing value: a row without its true value cannot "
                + "be scored; fill it in or leave the row out); " + model + " is a regression of 'y'"), o.err());
        assertFalse(o.out().contains("row 1: "), "nothing predicted:\n" + o.out());
    }

    /**
     * One output with no sigmoid and no target scaler (a regression from PyTorch, or a classifier that lost its
     * sigmoid): its values are printed as the model's raw output, with the hint for the classifier, and scored
     * against a numeric label, without a mean baseline (no target scaler holds the training mean).
     */
    @Test
    void oneRawOutputIsReadAsAValue() throws Exception {
        Path model = saveModel(true);
        Path csv = labelledCsv();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "y");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("one output that is not a probability (no sigmoid, no target scaler saved with "
                + "it): read as a value, the model's raw output"), o.out());
        assertTrue(o.out().contains("nn.Sequential(model, nn.Sigmoid())"), o.out());
        assertTrue(o.out().contains("\nPredicted value (the model's raw output):\n"), o.out());
        // Raw features through 0.9 x1 - 0.35 x2 + 0.05: the first row is 0.9 - 1.4 + 0.05.
        float[] raw = libraryPredictions(model);
        assertEquals(-0.45f, raw[0], 1e-6f);
        assertTrue(o.out().contains("row 1: " + ValuePredictions.number(raw[0]) + "  label 10.5000"), o.out());
        RegressionReport report = RegressionReport.of(raw, targets(), 1);
        assertEquals(String.format(Locale.ROOT, "%.4f", report.r2()),
                String.format(Locale.ROOT, "%.4f", figure(line(o.out(), csv + ": 12 rows"), "R2")));
        assertFalse(o.out().contains("mean baseline"), o.out());

        // Text labels for such a model: a classifier that lost its sigmoid, most likely; refused saying so.
        DigitsTrainerOptionsTest.Outcome text = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", labelledCsv("0", "cheap").toString(), "--header", "--label", "y");
        assertEquals(DigitsTrainer.EXIT_FAILURE, text.status(), text.out() + text.err());
        assertTrue(text.err().contains("predict reads that output as a value, but --label 'y' of bad.csv holds "
                + "'cheap' (data row 1 of 12), not a number; a binary classifier trained on logits"), text.err());
    }

    /**
     * A regression of two targets prints and writes both values of each row; {@code --label} names one column, so it
     * is refused.
     */
    @Test
    void aRegressionOfTwoTargetsGivesBothValues() throws Exception {
        Path model = dir.resolve("two.safetensors");
        float[] x = features();
        float[] y = new float[ROWS * 2];
        for (int i = 0; i < ROWS; i++) {
            y[2 * i] = Float.parseFloat(Y[i]);
            y[2 * i + 1] = 100 - i;
        }
        try (Backend cpu = Backends.get("cpu");
             Sequential m = new Sequential(cpu, 2, 3)) {
            m.add(new Dense(2));
            ModelFiles.save(m, model, WeightLayout.IN_OUT, Preprocessing.none()
                    .withScaler(new StandardScaler().fit(x, 2)).withTargetScaler(new StandardScaler().fit(y, 2)),
                    Map.of());
        }
        Path csv = dir.resolve("features.csv");
        StringBuilder rows = new StringBuilder("x1,x2\n");
        for (int i = 0; i < ROWS; i++) {
            rows.append((int) X1[i]).append(',').append((int) X2[i]).append('\n');
        }
        Files.writeString(csv, rows);
        Path written = dir.resolve("two.csv");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--show", "1", "--output", written.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("a regression of 2 targets (its target scaler saved with it"), o.out());
        assertTrue(o.out().contains("\nPredicted values of the 2 targets (in the target's units):\n"), o.out());
        float[] expected = libraryPredictions(model, 2);
        assertTrue(o.out().contains("\nrow 1: [" + ValuePredictions.number(expected[0]) + ", "
                + ValuePredictions.number(expected[1]) + "]\n"), o.out());
        List<String> lines = Files.readAllLines(written);
        assertEquals("prediction_0,prediction_1", lines.get(0));
        assertEquals(expected[22] + "," + expected[23], lines.get(ROWS), "the last row's two values");

        DigitsTrainerOptionsTest.Outcome labelled = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--backend", "cpu", "--csv", labelledCsv().toString(), "--header", "--label", "y");
        assertEquals(2, labelled.status(), labelled.out() + labelled.err());
        assertTrue(labelled.err().contains("option '--label' names one column, and " + model + " predicts 2 targets"),
                labelled.err());
    }
}
