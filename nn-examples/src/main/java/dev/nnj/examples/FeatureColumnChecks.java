package dev.nnj.examples;

import dev.nnj.examples.DataOptions.Scaler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Warns of training feature columns that reach the model as (almost) nothing, which training does not notice: it
 * converges, on the other columns, to a worse model.
 *
 * <ul>
 *   <li><b>Every column constant:</b> the model can learn only the classes' frequencies.</li>
 *   <li><b>A range below what min-max scaling tells from a constant</b> ({@code 10·ulp(1) ≈ 2.2e-15}, as
 *       scikit-learn): values of 1e-30 scale to 0, every one, however informative. Standard scaling keeps
 *       them.</li>
 *   <li><b>A range that a few values dominate:</b> one 1e30 among values near 1 squeezes the other rows into
 *       {@code 1e-30} of the scaled range, min-max or standard alike, and the column stops counting. Judged on the
 *       1st to 99th percentile of up to {@value #SAMPLE} evenly spaced rows (cheap on a large file): the range is
 *       more than {@value #DOMINATED} times that spread. A column mostly of one value (a sparse one, where the
 *       percentiles meet) is not judged.</li>
 * </ul>
 * Columns that are constant while others vary are left alone: a pixel blank in every image is common and harmless.
 */
final class FeatureColumnChecks {
    /** Rows sampled for the percentiles. */
    static final int SAMPLE = 2000;
    /**
     * Range over the 1st-99th percentile spread above which a column's bulk is squeezed to nothing: a -999999
     * "missing" code among ages of 18 to 90 makes 1.4e4, while heavy-tailed features (log-normal incomes, Pareto
     * sizes) stayed below 1e3 in the trials. A code in more than 1 % of the rows is the 1st percentile itself, and
     * is not caught.
     */
    static final double DOMINATED = 1e4;
    /** MinMaxScaler's threshold: a range below it counts as a constant column. */
    private static final double MIN_MAX_CONSTANT = 10 * Math.ulp(1.0);

    private FeatureColumnChecks() {
    }

    /**
     * Prints a warning on {@code err} for each kind of column above that {@code features} hold.
     *
     * @param features the training rows' raw features, {@code (rows, columns)} row-major
     * @param columns  features per row
     * @param names    the columns' names, or null (then their 0-based numbers)
     * @param scaler   the scaling the run applies
     * @param err      where warnings go
     */
    static void warn(float[] features, int columns, String[] names, Scaler scaler, PrintWriter err) {
        int rows = features.length / columns;
        if (rows < 2) {
            return;
        }
        double[] min = new double[columns];
        double[] max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                double v = features[base + j];
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
        }
        List<String> constant = new ArrayList<>();
        List<String> tiny = new ArrayList<>();
        List<String> dominated = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            double range = max[j] - min[j];
            if (range == 0) {
                constant.add(name(names, j));
            } else if (range < MIN_MAX_CONSTANT && scaler == Scaler.MINMAX) {
                tiny.add(String.format(Locale.ROOT, "%s (range %.3g)", name(names, j), range));
            } else if (scaler != Scaler.NONE) {
                String squeezed = dominatedRange(features, columns, j, min[j], max[j]);
                if (squeezed != null) {
                    dominated.add(name(names, j) + " " + squeezed);
                }
            }
        }
        if (constant.size() == columns) {
            err.println("digits: warning: every feature column holds one value in all " + rows + " training rows: "
                    + "the model can learn only how often each class occurs");
        }
        if (!tiny.isEmpty()) {
            err.println("digits: warning: min-max scaling takes " + list(tiny) + " for constant, as its range is "
                    + "below 2.2e-15, and scales every value to 0; use --scaler standard, or rescale the column");
        }
        if (!dominated.isEmpty()) {
            err.println("digits: warning: a few values dominate the range of " + list(dominated) + ": scaling "
                    + "squeezes the other rows together, and the column hardly counts; look for a mistyped or "
                    + "sentinel value (1e30, -999999), or drop those rows");
        }
        if (scaler == Scaler.NONE) {
            // The library's own warning (fit's) names its column by number and the Java call that scales it.
            double[][] moments = dev.nnj.api.data.DataChecks.columnMoments(features, rows, columns, 1);
            double[] stds = Arrays.stream(moments[1]).map(Math::sqrt).toArray();
            int far = dev.nnj.api.data.DataChecks.firstUnscaledFeature(moments[0], stds);
            if (far >= 0) {
                err.println(String.format(Locale.ROOT, "digits: warning: with --scaler none, feature %s has mean "
                        + "%.4g and standard deviation %.4g, far from unit scale, which trains poorly or diverges: "
                        + "leave --scaler out (minmax) or give --scaler standard", name(names, far), moments[0][far],
                        stds[far]));
            }
        }
        err.flush();
    }

    /**
     * Whether a few values dominate column {@code j}'s range (see the class comment): its range is more than
     * {@value #DOMINATED} times the spread of the 1st to 99th percentile of up to {@value #SAMPLE} evenly spaced rows.
     *
     * @param values  rows of {@code columns} values, row-major
     * @param columns values per row
     * @param j       the column, from 0
     * @return {@code (from MIN to MAX, 98% of its values within SPREAD of each other)}, or null when not dominated
     */
    static String dominatedRange(float[] values, int columns, int j) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = j; i < values.length; i += columns) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return dominatedRange(values, columns, j, min, max);
    }

    /** As {@link #dominatedRange(float[], int, int)}, for a column whose least and greatest values are known. */
    private static String dominatedRange(float[] values, int columns, int j, double min, double max) {
        int rows = values.length / columns;
        int step = Math.max(1, rows / SAMPLE);
        double[] sample = new double[(rows + step - 1) / step];
        int n = 0;
        for (int i = 0; i < rows; i += step) {
            sample[n++] = values[i * columns + j];
        }
        Arrays.sort(sample, 0, n);
        double spread = sample[(int) (0.99 * (n - 1))] - sample[(int) (0.01 * (n - 1))];
        return spread > 0 && max - min > DOMINATED * spread ? String.format(Locale.ROOT,
                "(from %.4g to %.4g, 98%% of its values within %.4g of each other)", min, max, spread) : null;
    }

    /** Rows below which a column counting up is no evidence of a row number. */
    static final int ROW_NUMBER_MIN_ROWS = 20;

    /**
     * Warns of columns that number the rows: whole numbers rising (or falling) strictly down the file, with gaps
     * that add up to less than the rows themselves (1, 2, 3, … or 1001, 1003, …). Such a column tells the model where
     * a row sits in the file and nothing about a new row; in a file sorted by class, which many exports are, it
     * gives the labels away, and the test rows, cut from the same file, confirm it (a trial's wine file of an ID
     * column alone scored 0.9722 test accuracy against a 0.3889 baseline). A sorted measurement is not caught: its
     * values are not such dense whole numbers.
     *
     * @param features the rows' raw features in file order, {@code (rows, columns)} row-major
     * @param columns  features per row
     * @param names    the columns' names, or null (then their 0-based numbers)
     * @param err      where warnings go
     */
    static void warnOfRowNumbers(float[] features, int columns, String[] names, PrintWriter err) {
        int rows = features.length / columns;
        if (rows < ROW_NUMBER_MIN_ROWS) {
            return;
        }
        List<String> counters = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            float first = features[j];
            float last = features[(rows - 1) * columns + j];
            if (first == last || Math.abs((double) last - first) > 2.0 * (rows - 1)) {
                continue;
            }
            boolean rising = last > first;
            boolean counts = true;
            for (int i = 0; i < rows && counts; i++) {
                float v = features[i * columns + j];
                counts = v == Math.rint(v) && (i == 0 || (rising ? v > features[(i - 1) * columns + j]
                        : v < features[(i - 1) * columns + j]));
            }
            if (counts) {
                counters.add(String.format(Locale.ROOT, "%s (%.0f to %.0f)", name(names, j), first, last));
                if (names != null) {
                    named.add(names[j].strip());
                }
            }
        }
        if (!counters.isEmpty()) {
            err.println("digits: warning: " + list(counters) + (counters.size() == 1 ? " counts" : " count")
                    + " the rows down the file, as a row number does: it tells the model only where a row sits, and in "
                    + "a file sorted by class it gives the labels away; if it is an ID, "
                    + (named.isEmpty() ? "remove it from the file (with a header line, --ignore leaves a column out)"
                    : "leave it out with --ignore " + ModelOptions.shellWord(String.join(",", named))));
            err.flush();
        }
    }

    private static String name(String[] names, int column) {
        return names != null ? "'" + names[column] + "'" : "column " + column;
    }

    private static String list(List<String> items) {
        return items.size() <= 5 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }
}
