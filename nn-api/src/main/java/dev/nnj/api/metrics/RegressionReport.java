package dev.nnj.api.metrics;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Locale;

/**
 * How close a regression's outputs come to its targets, as scikit-learn's {@code sklearn.metrics} measures it:
 * for {@code N} rows of {@code C} outputs, predictions {@code p} and targets {@code y}, per output column {@code j}
 * <pre>
 *   MSE_j  = (1/N) Σ_i (p_ij − y_ij)²                 mean_squared_error
 *   RMSE_j = √MSE_j                                   root_mean_squared_error
 *   MAE_j  = (1/N) Σ_i |p_ij − y_ij|                  mean_absolute_error
 *   R²_j   = 1 − Σ_i (p_ij − y_ij)² / Σ_i (y_ij − ȳ_j)²    r2_score (ȳ_j the column's mean target)
 *   EV_j   = 1 − Var_i(y_ij − p_ij) / Var_i(y_ij)         explained_variance_score
 * </pre>
 * with {@code Var} the population variance (over {@code N}), and each overall figure is the plain mean over the
 * columns ({@code multioutput='uniform_average'}). The explained variance differs from R² only by ignoring a
 * constant offset: predictions off by the same amount on every row explain all of the variance (EV 1) but not
 * all of the squared error (R² below 1). A column whose targets are all equal has no variance to explain: its R²
 * is 1 when every prediction is exact and 0 otherwise, and its explained variance 1 when the errors are all equal
 * (their variance 0) and 0 otherwise, as scikit-learn's {@code force_finite} gives them; "all equal" is read from
 * the values (of the rows that weigh anything), not from the sums, whose rounding can leave a variance of 1e-30
 * (scikit-learn's R² is then about −1e27 on some weighted columns). With fewer than two rows
 * R² is not defined (one row's mean is its own target, so there is no variance to compare against): every
 * column's R², and so
 * {@link #r2()}, is NaN, as scikit-learn's {@code r2_score} returns NaN (with an {@code UndefinedMetricWarning})
 * for fewer than two samples; MSE, RMSE and MAE are still given. Sums run in double precision over the float32
 * outputs, so the figures are scikit-learn's on the same numbers to about 1e-12. (One row has explained variance
 * 1, as scikit-learn's: no variance is left over.)
 *
 * <p><b>Sample weights.</b> With a weight {@code w_i ≥ 0} per row ({@link #of(float[], float[], int, double[])}),
 * every mean over rows is weighted, {@code Σ_i w_i x_i / Σ_i w_i}: MSE, MAE, the mean {@code ȳ_j} in R² (whose
 * sums become {@code Σ_i w_i (p_ij − y_ij)²} and {@code Σ_i w_i (y_ij − ȳ_j)²}), and the means and variances of the
 * explained variance, as scikit-learn's metrics with {@code sample_weight=w}. A column whose targets vary only on
 * rows weighing 0 is constant once weighted. Weights of 1 give the unweighted figures, to the bit. R² is still NaN
 * for a single row, however it weighs.
 *
 * <p>The classification counterpart is {@link Predictions}, with its {@link ClassificationReport}.
 */
public final class RegressionReport {
    private final int rows;
    private final double[] mse;
    private final double[] mae;
    private final double[] r2;
    private final double[] explainedVariance;
    private final boolean weighted;

    private RegressionReport(int rows, double[] mse, double[] mae, double[] r2, double[] explainedVariance,
            boolean weighted) {
        this.rows = rows;
        this.mse = mse;
        this.mae = mae;
        this.r2 = r2;
        this.explainedVariance = explainedVariance;
        this.weighted = weighted;
    }

    /**
     * Runs {@code model} on every row of {@code data}, 1024 rows at a time, and compares its outputs with the
     * targets. The data must be in the units the model works in: features scaled as in training, and targets scaled
     * too when the model was trained on scaled targets. For a model loaded from a file with its preprocessing, use
     * {@link #of(SavedModel, Dataset)}, which takes the data as it was before scaling.
     *
     * @param model a trained model whose output width is the data set's target count
     * @param data  the rows, at least one
     * @return the report
     * @throws IllegalArgumentException if the widths do not match or the data set is empty
     * @throws NullPointerException if an argument is null
     */
    public static RegressionReport of(Sequential model, Dataset data) {
        return of(model, data, null);
    }

    /**
     * As {@link #of(Sequential, Dataset)}, each row counting as its weight.
     *
     * @param model         a trained model whose output width is the data set's target count
     * @param data          the rows, at least one
     * @param sampleWeights one weight per row of {@code data}, finite, ≥ 0 and not all 0; null for none
     * @return the report
     * @throws IllegalArgumentException if the widths do not match, the data set is empty, or the weights are not
     *         one finite weight ≥ 0 per row, not all 0
     * @throws NullPointerException if the model or the data is null
     */
    public static RegressionReport of(Sequential model, Dataset data, double[] sampleWeights) {
        Checks.requireNonNull("RegressionReport.of", "model", model);
        Checks.requireNonNull("RegressionReport.of", "data", data);
        requireFits(model, data);
        SampleWeights.check("RegressionReport.of", sampleWeights, data.size());
        return of(Predictions.outputs(model, data, Predictions.BATCH_ROWS), data.targets(), model.outputWidth(),
                sampleWeights);
    }

    /**
     * Runs a saved model ({@link SavedModel#predict}: its saved scaler first, and its target scaler undone after) on
     * every row of {@code rawData}, features and targets as they were before any scaling, and compares its
     * predictions with those targets: the figures in the targets' own units, as scikit-learn's metrics give them on
     * a pipeline's predictions. ({@code of(saved.model(), rawData)} would feed raw features to a model trained on
     * scaled ones.)
     *
     * @param saved   a loaded model whose output width is the data set's target count
     * @param rawData the rows, unscaled, at least one
     * @return the report
     * @throws IllegalArgumentException if the widths do not match or the data set is empty
     * @throws NullPointerException if an argument is null
     */
    public static RegressionReport of(SavedModel saved, Dataset rawData) {
        return of(saved, rawData, null);
    }

    /**
     * As {@link #of(SavedModel, Dataset)}, each row counting as its weight.
     *
     * @param saved         a loaded model whose output width is the data set's target count
     * @param rawData       the rows, unscaled, at least one
     * @param sampleWeights one weight per row of {@code rawData}, finite, ≥ 0 and not all 0; null for none
     * @return the report
     * @throws IllegalArgumentException if the widths do not match, the data set is empty, or the weights are not
     *         one finite weight ≥ 0 per row, not all 0
     * @throws NullPointerException if the model or the data is null
     */
    public static RegressionReport of(SavedModel saved, Dataset rawData, double[] sampleWeights) {
        Checks.requireNonNull("RegressionReport.of", "saved", saved);
        Checks.requireNonNull("RegressionReport.of", "rawData", rawData);
        requireFits(saved.model(), rawData);
        SampleWeights.check("RegressionReport.of", sampleWeights, rawData.size());
        return of(saved.predict(rawData.features(), rawData.size()), rawData.targets(), rawData.targetCount(),
                sampleWeights);
    }

    /** Refuses a data set whose widths are not the model's, or an empty one. */
    private static void requireFits(Sequential model, Dataset data) {
        if (data.featureCount() != model.inputWidth() || data.targetCount() != model.outputWidth()) {
            throw new IllegalArgumentException("RegressionReport.of: the data set has " + data.featureCount()
                    + " features and " + data.targetCount() + " targets; the model takes " + model.inputWidth()
                    + " and gives " + model.outputWidth());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("RegressionReport.of: the data set is empty");
        }
    }

    /**
     * Compares predictions with targets. The order is (predicted, targets), the reverse of scikit-learn's
     * {@code r2_score(y_true, y_pred)}: R² is not symmetric, so mind it when porting a call.
     *
     * @param predicted {@code (rows, outputs)} row-major model outputs
     * @param targets   {@code (rows, outputs)} row-major targets
     * @param outputs   the number of columns, at least 1
     * @return the report
     * @throws IllegalArgumentException if the arrays differ in length, are empty, are not whole rows of
     *         {@code outputs}, or hold a NaN or an infinity (named by row and column)
     * @throws NullPointerException if an array is null
     */
    public static RegressionReport of(float[] predicted, float[] targets, int outputs) {
        return of(predicted, targets, outputs, null);
    }

    /**
     * Compares predictions with targets, each row counting as its weight: scikit-learn's metrics given
     * {@code sample_weight=w}. The order is (predicted, targets), the reverse of scikit-learn's.
     *
     * @param predicted     {@code (rows, outputs)} row-major model outputs
     * @param targets       {@code (rows, outputs)} row-major targets
     * @param outputs       the number of columns, at least 1
     * @param sampleWeights one weight per row, finite, ≥ 0 and not all 0; null for none
     * @return the report
     * @throws IllegalArgumentException if the arrays differ in length, are empty, are not whole rows of
     *         {@code outputs}, hold a NaN or an infinity (named by row and column), or the weights are not one
     *         finite weight ≥ 0 per row, not all 0 (named by length or row)
     * @throws NullPointerException if {@code predicted} or {@code targets} is null
     */
    public static RegressionReport of(float[] predicted, float[] targets, int outputs, double[] sampleWeights) {
        Checks.requireNonNull("RegressionReport.of", "predicted", predicted);
        Checks.requireNonNull("RegressionReport.of", "targets", targets);
        if (outputs < 1) {
            throw new IllegalArgumentException("RegressionReport.of: outputs must be at least 1, got " + outputs);
        }
        if (predicted.length != targets.length || predicted.length == 0 || predicted.length % outputs != 0) {
            throw new IllegalArgumentException("RegressionReport.of: " + predicted.length + " predictions and "
                    + targets.length + " targets must be the same, non-zero number of rows of " + outputs);
        }
        int n = predicted.length / outputs;
        DataChecks.requireFinite("RegressionReport.of: predicted", predicted, outputs);
        DataChecks.requireFinite("RegressionReport.of: targets", targets, outputs);
        SampleWeights.check("RegressionReport.of", sampleWeights, n);
        double total = 0;                        // Σ w (n without weights)
        double[] mean = new double[outputs];     // ȳ_j = Σ w y / Σ w
        double[] meanError = new double[outputs];   // mean of y − p, for the explained variance
        // Whether a column's targets (of the rows that weigh anything) are all one value: its variance is then 0,
        // where the sums' rounding would leave about 1e-30 (a mean of 442 rows of 0.1, or a weighted one of 5.0, is
        // not exactly the value), and R² = 1 − SSE / 1e-30 a figure of −1e27 instead of force_finite's 0.
        // The same for the errors y − p, for the explained variance's force_finite, compared exactly: two floats'
        // difference can round to one double where the exponents lie far apart (1e6 − 1e-11 and 1e6 − 2e-11).
        boolean[] constant = new boolean[outputs];
        boolean[] constantError = new boolean[outputs];
        java.util.Arrays.fill(constant, true);
        java.util.Arrays.fill(constantError, true);
        int first = -1;   // the first row that weighs anything
        for (int i = 0; i < n; i++) {
            double w = SampleWeights.of(sampleWeights, i);
            total += w;
            if (w > 0 && first < 0) {
                first = i;
            }
            for (int j = 0; j < outputs; j++) {
                int at = i * outputs + j;
                double y = targets[at];
                mean[j] += w * y;
                meanError[j] += w * (y - predicted[at]);
                if (w > 0) {
                    int firstAt = first * outputs + j;
                    constant[j] &= targets[at] == targets[firstAt];
                    constantError[j] = constantError[j] && sameDifference(targets[at], predicted[at],
                            targets[firstAt], predicted[firstAt]);
                }
            }
        }
        for (int j = 0; j < outputs; j++) {
            mean[j] /= total;
            meanError[j] /= total;
        }
        double[] squared = new double[outputs];
        double[] absolute = new double[outputs];
        double[] variance = new double[outputs];
        double[] errorVariance = new double[outputs];
        for (int i = 0; i < n; i++) {
            double w = SampleWeights.of(sampleWeights, i);
            for (int j = 0; j < outputs; j++) {
                double y = targets[i * outputs + j];
                double e = predicted[i * outputs + j] - y;
                double d = y - mean[j];
                double f = -e - meanError[j];
                squared[j] += w * (e * e);
                absolute[j] += w * Math.abs(e);
                variance[j] += constant[j] ? 0 : w * (d * d);
                errorVariance[j] += constantError[j] ? 0 : w * (f * f);
            }
        }
        double[] mse = new double[outputs];
        double[] mae = new double[outputs];
        double[] r2 = new double[outputs];
        double[] ev = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            mse[j] = squared[j] / total;
            mae[j] = absolute[j] / total;
            // One row: undefined, NaN as scikit-learn's r2_score. A constant column: nothing to explain; exact
            // predictions explain it all (scikit-learn's force_finite).
            r2[j] = n < 2 ? Double.NaN : forceFinite(squared[j], variance[j]);
            // explained_variance_score divides both sums by Σ w first, then takes the same ratio. Of a constant
            // column, force_finite's 1 or 0 by the errors' values: their squares' sum can round to 0 though they
            // differ.
            ev[j] = constant[j] ? (constantError[j] ? 1 : 0)
                    : forceFinite(errorVariance[j] / total, variance[j] / total);
        }
        return new RegressionReport(n, mse, mae, r2, ev, sampleWeights != null);
    }

    /**
     * Whether {@code a − b = c − d} exactly: the doubles' differences first (equal ones are necessary, and differ
     * for nearly every pair), then in exact decimal arithmetic.
     */
    private static boolean sameDifference(float a, float b, float c, float d) {
        if ((double) a - b != (double) c - d) {
            return false;
        }
        return new java.math.BigDecimal(a).subtract(new java.math.BigDecimal(b))
                .compareTo(new java.math.BigDecimal(c).subtract(new java.math.BigDecimal(d))) == 0;
    }

    /**
     * {@code 1 − unexplained / total}, or, as scikit-learn's {@code force_finite}: 1 when nothing is unexplained
     * (even with no variance), 0 when something is but the targets have no variance.
     */
    private static double forceFinite(double unexplained, double total) {
        return unexplained == 0 ? 1 : total != 0 ? 1 - unexplained / total : 0;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * The number of rows compared.
     *
     * @return the number of rows compared
     */
    public int rows() {
        return rows;
    }

    /**
     * The number of output columns.
     *
     * @return the number of output columns
     */
    public int outputs() {
        return mse.length;
    }

    /**
     * The mean squared error, averaged over the outputs.
     *
     * @return the mean squared error, averaged over the output columns
     */
    public double meanSquaredError() {
        return mean(mse);
    }

    /**
     * The root mean squared error of each output column, averaged over the columns.
     *
     * @return the root mean squared error, averaged over the output columns (the mean of each column's root)
     */
    public double rootMeanSquaredError() {
        double[] roots = new double[mse.length];
        for (int j = 0; j < roots.length; j++) {
            roots[j] = Math.sqrt(mse[j]);
        }
        return mean(roots);
    }

    /**
     * The mean absolute error, averaged over the outputs.
     *
     * @return the mean absolute error, averaged over the output columns
     */
    public double meanAbsoluteError() {
        return mean(mae);
    }

    /**
     * The coefficient of determination R², averaged over the outputs.
     *
     * @return the coefficient of determination R², averaged over the output columns (1 is perfect); NaN when
     *         fewer than two rows were compared, as scikit-learn's {@code r2_score}
     */
    public double r2() {
        return mean(r2);
    }

    /**
     * The explained variance score, averaged over the outputs: scikit-learn's {@code explained_variance_score}.
     *
     * @return the explained variance, averaged over the output columns (1 is perfect, or off by a constant)
     */
    public double explainedVariance() {
        return mean(explainedVariance);
    }

    /**
     * One output column's explained variance score.
     *
     * @param column the column, from 0
     * @return that column's explained variance
     * @throws IndexOutOfBoundsException for a column outside {@code [0, outputs())}
     */
    public double explainedVariance(int column) {
        column(column);   // checks the index
        return explainedVariance[column];
    }

    /**
     * Whether the figures weigh the rows by sample weights.
     *
     * @return true when made with sample weights
     */
    public boolean isWeighted() {
        return weighted;
    }

    /**
     * One output column's figures.
     *
     * @param column the column, from 0
     * @return {mse, rmse, mae, r2, explained variance} of that column; r2 is NaN for fewer than two rows
     * @throws IndexOutOfBoundsException for a column outside {@code [0, outputs())}
     */
    public double[] column(int column) {
        if (column < 0 || column >= mse.length) {
            throw new IndexOutOfBoundsException("column " + column + " is not an output column in [0, " + mse.length
                    + ")");
        }
        return new double[] {mse[column], Math.sqrt(mse[column]), mae[column], r2[column], explainedVariance[column]};
    }

    /**
     * The figures as a small table: one line per output column when there are several, then the averages (a single
     * output's line is "output 0").
     *
     * @return a multi-line text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %12s %12s %12s %9s %9s%n", "", "mse",
                "rmse", "mae", "r2", "expl_var"));
        if (mse.length > 1) {
            for (int j = 0; j < mse.length; j++) {
                double[] c = column(j);
                sb.append(String.format(Locale.ROOT, "%-10s %12.6g %12.6g %12.6g %9.4f %9.4f%n", "output " + j, c[0],
                        c[1], c[2], c[3], c[4]));
            }
        }
        sb.append(String.format(Locale.ROOT, "%-10s %12.6g %12.6g %12.6g %9.4f %9.4f%n", mse.length > 1 ? "average"
                : "output 0", meanSquaredError(), rootMeanSquaredError(), meanAbsoluteError(), r2(),
                explainedVariance()));
        sb.append(String.format(Locale.ROOT, weighted ? "(%d %s, weighted)%n" : "(%d %s)%n", rows,
                rows == 1 ? "row" : "rows"));
        return sb.toString();
    }
}
