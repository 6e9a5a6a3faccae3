package dev.nnj.api.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Fills in missing feature values, as scikit-learn's {@code SimpleImputer}: {@code fit} learns one value per column
 * from the values that are there, {@code transform} puts it wherever a value is missing. A missing value is a NaN
 * (what {@link CsvReader#withMissingValues CsvReader.withMissingValues} reads an empty field or {@code NA} as).
 * <pre>
 *   mean:   s_j = (1/n_j) Σ_{i: x_ij present} x_ij        (n_j = the rows where column j is present)
 *   median: s_j = the middle of column j's present values (the mean of the two middle ones for an even n_j)
 *   x'_ij = x_ij if present, else s_j
 * </pre>
 * Statistics are computed in double precision and rounded to float once, when a value is filled in. Fit it on the
 * training rows alone, as a scaler, so that nothing of the held-out rows leaks into training; a saved model keeps it
 * ({@code Preprocessing.withImputer}) and fills in the rows it predicts the same way. An infinite value is not
 * missing: it is refused, naming its row and column.
 */
public final class SimpleImputer {
    /** The value a column's missing entries get. */
    public enum Strategy {
        /** The mean of the column's present values. */
        MEAN,
        /** The median of the column's present values. */
        MEDIAN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Strategy strategy;
    private double[] statistics;

    /**
     * An unfitted imputer.
     *
     * @param strategy what a missing value becomes
     */
    public SimpleImputer(Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * A fitted imputer from saved statistics (a model file's).
     *
     * @param strategy   the strategy they were computed by
     * @param statistics one value per column, finite and within the float range (a value filled in is a float)
     * @return the imputer
     * @throws IllegalArgumentException for no statistics or one that is not finite as a float
     */
    public static SimpleImputer fromStatistics(Strategy strategy, double[] statistics) {
        Objects.requireNonNull(statistics, "statistics");
        if (statistics.length == 0) {
            throw new IllegalArgumentException("an imputer needs a statistic for at least one column");
        }
        SimpleImputer imputer = new SimpleImputer(strategy);
        imputer.statistics = ColumnScaler.checkStatistic("statistics", statistics, statistics.length);
        for (int j = 0; j < statistics.length; j++) {
            if (Float.isInfinite((float) statistics[j])) {
                throw new IllegalArgumentException("statistics[" + j + "] is " + statistics[j] + ", beyond the float "
                        + "range of the values it fills in");
            }
        }
        return imputer;
    }

    /**
     * Learns each column's statistic from its present values.
     *
     * @param data    row-major {@code (rows, columns)}, NaN where a value is missing
     * @param columns the number of columns
     * @return this imputer, fitted
     * @throws InvalidDataException for a column with no value at all (nothing to fill it in from), or an infinite
     *         value, naming the column (and the row)
     * @throws IllegalArgumentException for data that is not whole rows of {@code columns}
     */
    public SimpleImputer fit(float[] data, int columns) {
        int rows = rows(data, columns);
        double[] s = new double[columns];
        float[] present = new float[rows];
        for (int j = 0; j < columns; j++) {
            int n = 0;
            for (int i = 0; i < rows; i++) {
                float v = data[i * columns + j];
                if (Float.isInfinite(v)) {
                    throw new InvalidDataException("SimpleImputer.fit: column " + j + " holds " + v + " at row " + i
                            + "; only NaN is a missing value, and an infinite one is not a number to keep");
                }
                if (v == v) {
                    present[n++] = v;
                }
            }
            if (n == 0) {
                throw new InvalidDataException("SimpleImputer.fit: column " + j + " has no value in any of the " + rows
                        + " rows, so there is nothing to fill it in from; leave the column out");
            }
            s[j] = strategy == Strategy.MEAN ? mean(present, n) : median(present, n);
        }
        statistics = s;
        return this;
    }

    private static double mean(float[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    private static double median(float[] values, int n) {
        float[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : ((double) sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A copy of {@code data} with each missing value filled in.
     *
     * @param data    row-major {@code (rows, columns)}, NaN where a value is missing
     * @param columns the number of columns, as fitted
     * @return a new array
     */
    public float[] transform(float[] data, int columns) {
        float[] out = data.clone();
        transformInPlace(out, columns);
        return out;
    }

    /**
     * Fills in each missing value of {@code data} in place.
     *
     * @param data    row-major {@code (rows, columns)}, NaN where a value is missing
     * @param columns the number of columns, as fitted
     * @throws IllegalStateException before {@link #fit}
     * @throws IllegalArgumentException for another column count than fitted
     */
    public void transformInPlace(float[] data, int columns) {
        rows(data, columns);
        requireFitted(columns);
        for (int at = 0; at < data.length; at++) {
            if (data[at] != data[at]) {
                data[at] = (float) statistics[at % columns];
            }
        }
    }

    /**
     * The dataset with its missing features filled in (targets and labels shared).
     *
     * @param dataset rows with as many feature columns as fitted
     * @return a new dataset
     */
    public Dataset transform(Dataset dataset) {
        return dataset.withFeatures(transform(dataset.features(), dataset.featureCount()), dataset.featureCount());
    }

    /**
     * How many values of {@code data} are missing (NaN).
     *
     * @param data any values
     * @return the count of NaN
     */
    public static long missing(float[] data) {
        long n = 0;
        for (float v : data) {
            n += v != v ? 1 : 0;
        }
        return n;
    }

    /**
     * How many values of each column of {@code data} are missing (NaN): a column with as many as it has rows has
     * nothing to fill them in from.
     *
     * @param data    row-major {@code (rows, columns)}
     * @param columns the number of columns
     * @return one count per column
     * @throws IllegalArgumentException for data that is not whole rows of {@code columns}
     */
    public static int[] missingPerColumn(float[] data, int columns) {
        rows(data, columns);
        int[] counts = new int[columns];
        for (int at = 0; at < data.length; at++) {
            counts[at % columns] += data[at] != data[at] ? 1 : 0;
        }
        return counts;
    }

    /** {@return the strategy} */
    public Strategy strategy() {
        return strategy;
    }

    /** {@return whether {@link #fit} has been called (or the statistics were restored)} */
    public boolean isFitted() {
        return statistics != null;
    }

    /**
     * Each column's fill-in value.
     *
     * @return a copy, one per column
     * @throws IllegalStateException before {@link #fit}
     */
    public double[] statistics() {
        requireFitted(-1);
        return statistics.clone();
    }

    /**
     * Number of columns it was fitted on.
     *
     * @return the column count
     * @throws IllegalStateException before {@link #fit}
     */
    public int columns() {
        requireFitted(-1);
        return statistics.length;
    }

    private void requireFitted(int columns) {
        if (statistics == null) {
            throw new IllegalStateException("SimpleImputer is not fitted; call fit first");
        }
        if (columns >= 0 && columns != statistics.length) {
            throw new IllegalArgumentException("SimpleImputer was fitted on " + statistics.length + " columns, got data "
                    + "with " + columns);
        }
    }

    private static int rows(float[] data, int columns) {
        Objects.requireNonNull(data, "data");
        if (columns <= 0 || data.length % columns != 0) {
            throw new IllegalArgumentException("data of " + data.length + " values is not whole rows of " + columns
                    + " columns");
        }
        return data.length / columns;
    }

    /** {@return e.g. {@code SimpleImputer[mean, 4 columns]}} */
    @Override
    public String toString() {
        return "SimpleImputer[" + strategy + (statistics == null ? ", not fitted" : ", " + statistics.length
                + " columns") + "]";
    }
}
