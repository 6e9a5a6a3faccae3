package dev.nnj.api.data;

/**
 * Scales each column to a range, by default {@code [0, 1]}, as scikit-learn's {@code MinMaxScaler}. Per column:
 * <pre>
 *   scale_j = (hi - lo) / (max_j - min_j)      (hi - lo when max_j - min_j &lt; 10·ulp(1.0) ≈ 2.2e-15,
 *                                               a constant column: the range counts as 1, as in scikit-learn)
 *   min_j   = lo - min_j · scale_j
 *   x'_ij   = x_ij · scale_j + min_j
 * </pre>
 * A constant column therefore maps to {@code lo} (0) on the data it was fitted on. Values outside the
 * fitted range map outside {@code [lo, hi]} (no clipping, scikit-learn's default).
 *
 * <p>The article fits it on all 1797 digits before splitting: {@code MinMaxScaler().fit_transform(d.data)}.
 */
public final class MinMaxScaler extends ColumnScaler {
    private final double low;
    private final double high;
    private double[] dataMin;
    private double[] dataMax;
    private double[] scale;
    private double[] offset;

    /** Scales to {@code [0, 1]}. */
    public MinMaxScaler() {
        this(0, 1);
    }

    /**
     * Scales to {@code [low, high]}.
     *
     * @param low the value each column's minimum maps to
     * @param high the value each column's maximum maps to, greater than {@code low}
     * @throws IllegalArgumentException unless both are finite and {@code low < high}
     */
    public MinMaxScaler(double low, double high) {
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("the feature range must be finite with low < high, got [" + low + ", "
                    + high + "]");
        }
        this.low = low;
        this.high = high;
    }

    /**
     * A scaler fitted earlier, restored from its statistics (as saved with a model): the same transform as
     * the scaler whose {@link #dataMin()} and {@link #dataMax()} these are.
     *
     * @param low     lower end of the target range
     * @param high    upper end of the target range
     * @param dataMin each column's minimum
     * @param dataMax each column's maximum, {@code >= dataMin}, same length, with {@code dataMax - dataMin} finite
     * @return a fitted scaler
     * @throws IllegalArgumentException naming the column whose statistics are not finite, reversed, or span more than a
     *         double holds (every value would then scale to one constant)
     */
    public static MinMaxScaler fromStatistics(double low, double high, double[] dataMin, double[] dataMax) {
        MinMaxScaler s = new MinMaxScaler(low, high);
        int columns = dataMin == null ? 0 : dataMin.length;
        if (columns == 0) {
            throw new IllegalArgumentException("dataMin must hold at least one column");
        }
        double[] mn = checkStatistic("dataMin", dataMin, columns);
        double[] mx = checkStatistic("dataMax", dataMax, columns);
        for (int j = 0; j < columns; j++) {
            if (mx[j] < mn[j]) {
                throw new IllegalArgumentException("column " + j + ": dataMax " + mx[j] + " < dataMin " + mn[j]);
            }
            if (!Double.isFinite(mx[j] - mn[j])) {
                // Only a file can say so: float32 data spans at most 6.8e38. A range of infinity scales every value
                // of the column to one constant, a model that ignores the feature without a word.
                throw new IllegalArgumentException("column " + j + ": dataMax " + mx[j] + " - dataMin " + mn[j]
                        + " is beyond the double range");
            }
        }
        s.setStatistics(mn, mx);
        s.restored(columns);
        return s;
    }

    /**
     * The target range's lower end.
     *
     * @return low
     */
    public double low() {
        return low;
    }

    /**
     * The target range's upper end.
     *
     * @return high
     */
    public double high() {
        return high;
    }

    /**
     * Learns each column's minimum and maximum from {@code (rows, columns)} row-major data.
     *
     * @param data row-major values, {@code (rows, columns)}
     * @param columns the number of columns
     * @return this scaler, fitted
     */
    public MinMaxScaler fit(float[] data, int columns) {
        fitColumns(data, columns);
        return this;
    }

    @Override
    void learn(float[] data, int rows, int columns) {
        double[] mn = new double[columns];
        double[] mx = new double[columns];
        for (int j = 0; j < columns; j++) {
            mn[j] = Double.POSITIVE_INFINITY;
            mx[j] = Double.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                double v = data[base + j];
                if (v < mn[j]) {
                    mn[j] = v;
                }
                if (v > mx[j]) {
                    mx[j] = v;
                }
            }
        }
        setStatistics(mn, mx);
    }

    /** Derives the transform from each column's range; shared by fitting and restoring, so both agree exactly. */
    private void setStatistics(double[] mn, double[] mx) {
        int columns = mn.length;
        double[] s = new double[columns];
        double[] o = new double[columns];
        for (int j = 0; j < columns; j++) {
            double range = mx[j] - mn[j];
            // scikit-learn's _handle_zeros_in_scale: a (near-)zero range divides by 1, so x - min = 0.
            if (range < 10 * Math.ulp(1.0)) {
                range = 1;
            }
            s[j] = (high - low) / range;
            o[j] = low - mn[j] * s[j];
        }
        dataMin = mn;
        dataMax = mx;
        scale = s;
        offset = o;
    }

    @Override
    void apply(float[] data, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                data[base + j] = (float) (data[base + j] * scale[j] + offset[j]);
            }
        }
    }

    @Override
    void unapply(float[] data, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                data[base + j] = (float) ((data[base + j] - offset[j]) / scale[j]);
            }
        }
    }

    /**
     * Each column's minimum ({@code data_min_}).
     *
     * @return a copy, one value per column
     */
    public double[] dataMin() {
        requireFitted(-1);
        return copy(dataMin);
    }

    /**
     * Each column's maximum ({@code data_max_}).
     *
     * @return a copy, one value per column
     */
    public double[] dataMax() {
        requireFitted(-1);
        return copy(dataMax);
    }

    /**
     * Each column's factor ({@code scale_}).
     *
     * @return a copy: {@code (high - low) / (max - min)} per column
     */
    public double[] scale() {
        requireFitted(-1);
        return copy(scale);
    }

    /**
     * Each column's offset after scaling ({@code min_}).
     *
     * @return a copy: {@code low - min · scale} per column
     */
    public double[] offset() {
        requireFitted(-1);
        return copy(offset);
    }

    @Override
    String settings() {
        return "range (" + low + ", " + high + "), ";
    }
}
