package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Sequential;
import java.io.PrintWriter;
import java.util.List;
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
     * One run's test figures, for the summary over {@code --seeds}.
     *
     * @param seed    the run's seed
     * @param test    its figures on the test rows, in the target's units
     * @param seconds its training time
     */
    record SeedRun(long seed, RegressionReport test, double seconds) {
    }

    /**
     * The test figures over several seeds' runs: R² per seed, then R², RMSE and MAE's mean, standard deviation and
     * range, the baseline (the same for every run: the split is made once), and the training time.
     *
     * @param out      where to print
     * @param runs     one per run, in run order
     * @param baseline the training mean's figures on the test rows
     */
    static void printSummary(PrintWriter out, List<SeedRun> runs, RegressionReport baseline) {
        double time = runs.stream().mapToDouble(SeedRun::seconds).sum();
        int n = runs.size();
        String over = CrossValidation.overSeeds(runs.stream().mapToLong(SeedRun::seed).toArray());
        if (baseline.outputs() > 1) {
            out.println(TargetsReport.summaryNote(baseline.outputs()));
        }
        out.printf(Locale.ROOT, "Test R2 per seed: %s%n", CrossValidation.perRun(runs, SeedRun::seed,
                r -> r.test().r2()));
        out.printf(Locale.ROOT, "Test R2 over %s: %s%n", over,
                CrossValidation.spread(runs.stream().mapToDouble(r -> r.test().r2()).toArray()));
        out.printf(Locale.ROOT, "Test RMSE over %s: %s%n", over, CrossValidation.spread(runs.stream()
                .mapToDouble(r -> r.test().rootMeanSquaredError()).toArray(), "%.6g"));
        out.printf(Locale.ROOT, "Test MAE over %s: %s%n", over, CrossValidation.spread(runs.stream()
                .mapToDouble(r -> r.test().meanAbsoluteError()).toArray(), "%.6g"));
        out.printf(Locale.ROOT, "Training-mean baseline: R2 %s, RMSE %.6g, MAE %.6g%n", score(baseline.r2()),
                baseline.rootMeanSquaredError(), baseline.meanAbsoluteError());
        out.printf(Locale.ROOT, "Training time: mean %.3f s per run, %.3f s in all%n", time / n, time);
        out.flush();
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
     * @param brief  whether to leave out the test rows' table (one of several seeds' runs, summarised after them)
     * @param out    where to print
     * @return the reports, with the test predictions they scored (for the weighted figures, not made twice)
     */
    static Figures print(Sequential model, TrainingData data, String prefix, boolean brief, PrintWriter out) {
        RegressionTargets targets = data.regression();
        int k = targets.count();
        RegressionReport train = RegressionReport.of(predictions(model, data.train(), targets), targets.train(), k);
        printPart(out, prefix + "  train ", train);
        RegressionReport validation = null;
        if (data.validation() != null) {
            validation = RegressionReport.of(predictions(model, data.validation(), targets), targets.validation(), k);
            printPart(out, prefix + "  val   ", validation);
        }
        float[] predicted = predictions(model, data.test(), targets);
        RegressionReport test = RegressionReport.of(predicted, targets.test(), k);
        printPart(out, prefix + "  test  ", test);
        Figures figures = new Figures(train, validation, test, predicted);
        if (brief) {
            return figures;
        }
        if (k > 1) {
            out.printf(Locale.ROOT, "%s  test rows, each target in its units (the lines above are their averages):%n",
                    prefix);
            out.print(indented(TargetsReport.table(targets.names(), test, targets.testBaseline()), prefix + "    "));
            return figures;
        }
        out.printf(Locale.ROOT, "%s  test rows, in the target's units (%s):%n", prefix, targets.name());
        out.print(indented(table(test, targets.testBaseline()), prefix + "    "));
        return figures;
    }

    /**
     * A run's figures, as printed, and the test predictions they score.
     *
     * @param train      the training rows' figures
     * @param validation the validation rows'; null without a validation split
     * @param test       the test rows'
     * @param predicted  the test predictions in the targets' units, row-major {@code (rows, targets)}
     */
    record Figures(RegressionReport train, RegressionReport validation, RegressionReport test, float[] predicted) {
    }

    /**
     * The figures of rows weighted by {@code --weight-column}'s values, as scikit-learn's metrics with
     * {@code sample_weight}: a run's test rows, or a fold's held-out rows, whose true values are
     * {@code targets.test()}.
     *
     * @param predicted the predictions in the targets' units, row-major {@code (rows, targets)}
     * @param targets   the targets, their {@code test()} the rows' true values
     * @param weights   the rows' weights
     * @return the weighted figures; null where every row weighs 0
     */
    static RegressionReport weighted(float[] predicted, RegressionTargets targets, float[] weights) {
        return weighted(predicted, targets.test(), targets.count(), weights);
    }

    /**
     * The figures of {@code predicted} against {@code truth}, each row weighing its weight, as scikit-learn's
     * metrics with {@code sample_weight}: for the trainer's test rows and folds, and for predict's labelled rows.
     *
     * @param predicted the predictions, row-major {@code (rows, outputs)}
     * @param truth     the true values, the same shape
     * @param outputs   the targets per row
     * @param weights   a weight per row
     * @return the weighted figures; null where every row weighs 0, which leaves none defined
     */
    static RegressionReport weighted(float[] predicted, float[] truth, int outputs, float[] weights) {
        double[] w = new double[weights.length];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i];
            total += w[i];
        }
        return total == 0 ? null : RegressionReport.of(predicted, truth, outputs, w);
    }

    /**
     * Prints the {@link #weighted} figures of a run's test rows in a line.
     *
     * @param r       the weighted figures; null where every test row weighs 0
     * @param column  the weight column's name
     * @param prefix  put before the line
     * @param out     where to print
     */
    static void printWeighted(RegressionReport r, String column, String prefix, PrintWriter out) {
        printWeighted(r, column, "test ", prefix, out);
    }

    /**
     * As {@link #printWeighted(RegressionReport, String, String, PrintWriter)}, for rows named otherwise: a file's
     * rows that {@code digits predict} scores.
     *
     * @param rows the rows' name before "row" and "rmse" ("test ", or "" for none)
     */
    static void printWeighted(RegressionReport r, String column, String rows, String prefix, PrintWriter out) {
        if (r == null) {
            out.printf(Locale.ROOT, "%s  weighted by '%s': every %srow weighs 0, so no weighted figures%n", prefix,
                    column, rows);
            return;
        }
        out.printf(Locale.ROOT, "%s  weighted by '%s' (scikit-learn's sample_weight): %srmse %.6g  mae %.6g  r2 "
                + "%s%s%n", prefix, column, rows, r.rootMeanSquaredError(), r.meanAbsoluteError(), score(r.r2()),
                r.outputs() == 1 ? "" : " (averaged over the " + r.outputs() + " targets)");
    }

    private static void printPart(PrintWriter out, String label, RegressionReport r) {
        // R² compares with the rows' own variance, which one row has none of: NaN, as scikit-learn's r2_score.
        out.printf(Locale.ROOT, "%srmse %.6g  mae %.6g  r2 %s  (%s)%n", label, r.rootMeanSquaredError(),
                r.meanAbsoluteError(), score(r.r2()), r.rows() == 1 ? "1 row: r2 needs two" : r.rows() + " rows");
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
        int width = 9;   // wider where a score in exponent form needs it, so that the columns stay aligned
        for (RegressionReport r : new RegressionReport[] {model, baseline}) {
            width = Math.max(width, Math.max(score(r.r2()).length(), score(r.explainedVariance()).length()));
        }
        String scores = " %" + width + "s %" + width + "s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %12s %12s %12s" + scores, "", "mse",
                "rmse", "mae", "r2", "expl_var"));
        row(sb, "model", model, scores);
        row(sb, "training mean", baseline, scores);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, RegressionReport r, String scores) {
        sb.append(String.format(Locale.ROOT, "%-14s %12.6g %12.6g %12.6g" + scores, name, r.meanSquaredError(),
                r.rootMeanSquaredError(), r.meanAbsoluteError(), score(r.r2()), score(r.explainedVariance())));
    }

    /**
     * An R² or explained variance: four decimals, as scikit-learn's reports print them, or in exponent form when it
     * is a million or more (a target with a stray 1e30 gives R² of -6e55, which fixed decimals wrote out digit by
     * digit).
     *
     * @param value the score
     * @return {@code 0.8712}, {@code -6.4713e+55}
     */
    static String score(double value) {
        return Fixed.format(Math.abs(value) < 1e6 || !Double.isFinite(value) ? "%.4f" : "%.4e", value);
    }

    private static String indented(String lines, String indent) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines.split("\n")) {
            sb.append(indent).append(line).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
