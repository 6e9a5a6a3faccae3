package dev.nnj.examples;

import dev.nnj.api.metrics.RegressionReport;
import java.util.List;
import java.util.Locale;

/**
 * The test table of a regression of several targets ({@code --label y1,y2}): each target's figures beside its
 * training-mean baseline, in that target's units (a price and a count are not added up), then their averages as
 * scikit-learn's metrics give them for a 2-D {@code y} by default ({@code multioutput='uniform_average'}: each
 * column's MSE, RMSE, MAE, R² and explained variance, then their plain mean). One target keeps
 * {@link RegressionResults#table}'s table alone.
 */
final class TargetsReport {
    /** What the averages are, said where they are printed: scikit-learn's default for several outputs. */
    static final String AVERAGED = "uniform average over the %d targets (scikit-learn's "
            + "multioutput='uniform_average', r2_score's default)";

    private TargetsReport() {
    }

    /**
     * The table: per target a heading and two rows (model, training mean), then the averages' two rows.
     *
     * @param names    each target as messages name it, in output order
     * @param model    the model's figures on the test rows, one column per target
     * @param baseline the training means' figures on the same rows; null for none (a model saved without its
     *                 target scaler, whose means are unknown)
     * @return the lines, each ending in a line separator
     */
    static String table(List<String> names, RegressionReport model, RegressionReport baseline) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %12s %12s %12s %9s %9s%n", "", "mse",
                "rmse", "mae", "r2", "expl_var"));
        for (int j = 0; j < names.size(); j++) {
            sb.append(names.get(j)).append(':').append(System.lineSeparator());
            row(sb, "model", model.column(j));
            if (baseline != null) {
                row(sb, "training mean", baseline.column(j));
            }
        }
        sb.append(String.format(Locale.ROOT, AVERAGED + ":%n", names.size()));
        row(sb, "model", averages(model));
        if (baseline != null) {
            row(sb, "training mean", averages(baseline));
        }
        return sb.toString();
    }

    /** {@return the figures averaged over the targets, in {@link RegressionReport#column}'s order} */
    private static double[] averages(RegressionReport r) {
        return new double[] {r.meanSquaredError(), r.rootMeanSquaredError(), r.meanAbsoluteError(), r.r2(),
            r.explainedVariance()};
    }

    private static void row(StringBuilder sb, String name, double[] f) {
        sb.append(Fixed.format("  %-14s %12.6g %12.6g %12.6g %9.4f %9.4f%n", name, f[0], f[1], f[2], f[3], f[4]));
    }

    /**
     * The line that says, before a summary over folds or seeds, what its figures of several targets are.
     *
     * @param targets the number of targets
     * @return the line, without a line separator
     */
    static String summaryNote(int targets) {
        return String.format(Locale.ROOT, "R2, RMSE and MAE below are averages over the %d targets: each target's "
                + "figure, then their plain mean (scikit-learn's multioutput='uniform_average', r2_score's default)",
                targets);
    }
}
