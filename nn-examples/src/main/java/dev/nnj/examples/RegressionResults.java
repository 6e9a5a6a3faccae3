package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Sequential;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a regression run prints after training: each part's figures in the target's own units (the network's
 * standardized predictions turned back, {@link RegressionTargets#inTargetUnits}), and the test rows' beside the
 * baseline every regression must beat, the training rows' mean predicted for every row (scikit-learn's
 * {@code DummyRegressor(strategy="mean")}), whose R² is about 0: a model near it has learned nothing the features
 * tell. The figures are scikit-learn's ({@link RegressionReport}): MSE, RMSE, MAE, R² and explained variance.
 */
final class RegressionResults {
    private RegressionResults() {
    }

    /**
     * The model's predictions for {@code rows}, in the target's units.
     *
     * @param model   the trained network, on standardized targets
     * @param rows    rows of the run, features as trained on
     * @param targets the run's targets, for the way back to their units
     * @return one value per row
     */
    static float[] predictions(Sequential model, Dataset rows, RegressionTargets targets) {
        return targets.inTargetUnits(model.predict(rows.features(), rows.size()));
    }

    /**
     * Prints the training, validation (where there is one) and test figures, then the baseline's on the test rows.
     *
     * @param model  the trained network
     * @param data   the run's data, a regression's
     * @param prefix put before every line (a seed's, or empty)
     * @param out    where to print
     * @return the test rows' report
     */
    static RegressionReport print(Sequential model, TrainingData data, String prefix, PrintWriter out) {
        RegressionTargets targets = data.regression();
        printPart(out, prefix + "  train ", RegressionReport.of(predictions(model, data.train(), targets),
                targets.train(), 1));
        if (data.validation() != null) {
            printPart(out, prefix + "  val   ", RegressionReport.of(predictions(model, data.validation(), targets),
                    targets.validation(), 1));
        }
        float[] predicted = predictions(model, data.test(), targets);
        RegressionReport test = RegressionReport.of(predicted, targets.test(), 1);
        printPart(out, prefix + "  test  ", test);
        out.printf(Locale.ROOT, "%s  test rows, in the target's units (%s):%n", prefix, targets.name());
        out.print(indented(table(test, baseline(targets)), prefix + "    "));
        return test;
    }

    /**
     * Prints the test rows' figures weighted by {@code --weight-column}'s values, as scikit-learn's metrics with
     * {@code sample_weight}.
     *
     * @param model   the trained network
     * @param data    the run's data, a regression's
     * @param weights the test rows' weights
     * @param column  the weight column's name
     * @param prefix  put before the line
     * @param out     where to print
     */
    static void printWeighted(Sequential model, TrainingData data, float[] weights, String column, String prefix,
                              PrintWriter out) {
        RegressionTargets targets = data.regression();
        double[] w = new double[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i];
        }
        RegressionReport r = RegressionReport.of(predictions(model, data.test(), targets), targets.test(), 1, w);
        out.printf(Locale.ROOT, "%s  weighted by %s (scikit-learn's sample_weight): test rmse %.6g  mae %.6g  r2 "
                + "%.4f%n", prefix, column, r.rootMeanSquaredError(), r.meanAbsoluteError(), r.r2());
    }

    /** The baseline's report on the test rows: the training mean for every row. */
    private static RegressionReport baseline(RegressionTargets targets) {
        float[] mean = new float[targets.test().length];
        Arrays.fill(mean, (float) targets.trainingMean());
        return RegressionReport.of(mean, targets.test(), 1);
    }

    private static void printPart(PrintWriter out, String label, RegressionReport r) {
        out.printf(Locale.ROOT, "%srmse %.6g  mae %.6g  r2 %.4f  (%d rows)%n", label, r.rootMeanSquaredError(),
                r.meanAbsoluteError(), r.r2(), r.rows());
    }

    /**
     * The model's and the baseline's figures as a table, as scikit-learn's metrics name them:
     * <pre>
     *                          mse         rmse          mae        r2  expl_var
     * model             1.23457e+09      35136.0      22345.2    0.8712    0.8720
     * training mean     6.27450e+09      79211.4      57123.2   -0.0012    0.0000
     * </pre>
     */
    static String table(RegressionReport model, RegressionReport baseline) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %12s %12s %12s %9s %9s%n", "", "mse",
                "rmse", "mae", "r2", "expl_var"));
        row(sb, "model", model);
        row(sb, "training mean", baseline);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, RegressionReport r) {
        sb.append(String.format(Locale.ROOT, "%-14s %12.6g %12.6g %12.6g %9.4f %9.4f%n", name, r.meanSquaredError(),
                r.rootMeanSquaredError(), r.meanAbsoluteError(), r.r2(), r.explainedVariance()));
    }

    private static String indented(String lines, String indent) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines.split("\n")) {
            sb.append(indent).append(line).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
