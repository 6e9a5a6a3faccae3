package dev.nnj.api.data;

/**
 * Standardises each column to mean 0 and unit variance, as scikit-learn's {@code StandardScaler}. Per column:
 * <pre>
 *   mean_j  = (1/n) Σ_i x_ij
 *   var_j   = (1/n) Σ_i (x_ij - mean_j)²          (population variance, ddof = 0)
 *   scale_j = √var_j                              (1 for a constant column)
 *   x'_ij   = (x_ij - mean_j) / scale_j
 * </pre>
 * A column counts as constant when its variance is within rounding error of zero (scikit-learn's
 * {@code _is_constant_feature}: {@code var ≤ n·ε·var + (n·mean·ε)²}); it then maps to 0.
 */
public final class StandardScaler extends ColumnScaler {
    private final boolean withMean;
    private final boolean withStd;
    private double[] mean;
    private double[] variance;
    private double[] scale;

    /** Centres and scales. */
    public StandardScaler() {
        this(true, true);
    }

    /**
     * {@code withMean = false} skips centring, {@code withStd = false} skips scaling (as scikit-learn).
     *
     * @param withMean whether to subtract each column's mean
     * @param withStd whether to divide by each column's standard deviation
     */
    public StandardScaler(boolean withMean, boolean withStd) {
        this.withMean = withMean;
        this.withStd = withStd;
    }

    /**
     * A scaler fitted earlier, restored from its statistics (as saved with a model).
     *
     * @param withMean whether it centres
     * @param withStd  whether it scales
     * @param mean     each column's mean ({@link #mean()})
     * @param variance each column's variance ({@link #variance()}), {@code >= 0}
     * @param scale    each column's divisor ({@link #scale()}), {@code > 0}; when it scales, {@code √variance} to
     *                 within 1e-6 of it (statistics written as float32 pass), or 1 for a constant column (variance 0
     *                 or within rounding of its mean's size): a divisor from another formula, such as an unbiased
     *                 standard deviation beside a population variance, is refused rather than applied silently
     * @return a fitted scaler applying exactly the saved transform
     * @throws IllegalArgumentException naming the column, if a statistic is missing, not finite or inconsistent
     */
    public static StandardScaler fromStatistics(boolean withMean, boolean withStd, double[] mean, double[] variance,
                                                double[] scale) {
        int columns = mean == null ? 0 : mean.length;
        if (columns == 0) {
            throw new IllegalArgumentException("mean must hold at least one column");
        }
        StandardScaler s = new StandardScaler(withMean, withStd);
        s.mean = checkStatistic("mean", mean, columns);
        s.variance = checkStatistic("variance", variance, columns);
        s.scale = checkStatistic("scale", scale, columns);
        for (int j = 0; j < columns; j++) {
            if (s.variance[j] < 0 || !(s.scale[j] > 0)) {
                throw new IllegalArgumentException("column " + j + ": variance " + s.variance[j] + " must be >= 0 and "
                        + "scale " + s.scale[j] + " > 0");
            }
            double sd = Math.sqrt(s.variance[j]);
            boolean constant = s.scale[j] == 1 && sd <= 1e-6 * Math.abs(s.mean[j]);
            if (withStd && !constant && !(Math.abs(s.scale[j] - sd) <= 1e-6 * sd)) {
                throw new IllegalArgumentException("column " + j + ": scale " + s.scale[j] + " is not the square root "
                        + "of variance " + s.variance[j] + " (" + sd + "); scale is the divisor the transform applies, "
                        + "so the two must agree (the population variance, ddof = 0)");
            }
        }
        s.restored(columns);
        return s;
    }

    /**
     * Whether it centres.
     *
     * @return withMean
     */
    public boolean withMean() {
        return withMean;
    }

    /**
     * Whether it scales.
     *
     * @return withStd
     */
    public boolean withStd() {
        return withStd;
    }

    /**
     * Learns each column's mean and standard deviation from {@code (rows, columns)} row-major data.
     *
     * @param data row-major values, {@code (rows, columns)}
     * @param columns the number of columns
     * @return this scaler, fitted
     */
    public StandardScaler fit(float[] data, int columns) {
        fitColumns(data, columns);
        return this;
    }

    @Override
    void learn(float[] data, int rows, int columns) {
        // Two passes, the second over the centred values: no cancellation, unlike E[x²] - E[x]².
        double[][] moments = DataChecks.columnMoments(data, rows, columns, 1);
        double[] m = moments[0];
        double[] v = moments[1];
        double eps = Math.ulp(1.0);
        double[] s = new double[columns];
        for (int j = 0; j < columns; j++) {
            double bound = rows * eps * v[j] + Math.pow(rows * m[j] * eps, 2);
            s[j] = v[j] <= bound ? 1 : Math.sqrt(v[j]);
        }
        mean = m;
        variance = v;
        scale = s;
    }

    @Override
    double[][] moments(float[] data, int rows, int columns) {
        return new double[][] {mean, variance};   // learned already: the same sums
    }

    @Override
    void apply(float[] data, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                double x = data[base + j];
                if (withMean) {
                    x -= mean[j];
                }
                if (withStd) {
                    x /= scale[j];
                }
                data[base + j] = (float) x;
            }
        }
    }

    @Override
    void unapply(float[] data, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                double x = data[base + j];
                if (withStd) {
                    x *= scale[j];
                }
                if (withMean) {
                    x += mean[j];
                }
                data[base + j] = (float) x;
            }
        }
    }

    /**
     * Each column's mean ({@code mean_}).
     *
     * @return a copy, one value per column
     */
    public double[] mean() {
        requireFitted(-1);
        return copy(mean);
    }

    /**
     * Each column's population variance ({@code var_}).
     *
     * @return a copy, one value per column
     */
    public double[] variance() {
        requireFitted(-1);
        return copy(variance);
    }

    /**
     * Each column's divisor ({@code scale_}): the standard deviation, or 1 for a constant column.
     *
     * @return a copy, one value per column
     */
    public double[] scale() {
        requireFitted(-1);
        return copy(scale);
    }
}
