package dev.nnj.api.data;

import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The per-column scalers, {@link MinMaxScaler} and {@link StandardScaler}: {@code fit} learns one statistic per column
 * of a row-major {@code (rows, columns)} array, {@code transform} applies it. Statistics are computed in double
 * precision and the results rounded to float once, so a float32 column matches scikit-learn on float64 data to the
 * last float bit in the usual cases. A scaler chosen at run time is held as this type:
 * <pre>{@code
 *   ColumnScaler scaler = standardize ? new StandardScaler() : new MinMaxScaler();
 *   Dataset scaledTrain = scaler.fitTransform(train);
 *   Dataset scaledTest = scaler.transform(test);
 *   Preprocessing p = Preprocessing.none().withScaler(scaler);
 * }</pre>
 */
public abstract sealed class ColumnScaler permits MinMaxScaler, StandardScaler {
    private int columns = -1;

    /** Package-private: the scalers are {@link MinMaxScaler} and {@link StandardScaler}. */
    ColumnScaler() {
    }

    /**
     * Learns each column's statistics from {@code (rows, columns)} row-major data.
     *
     * @param data row-major values, {@code (rows, columns)}, finite
     * @param columns the number of columns
     * @return this scaler, fitted
     * @throws InvalidDataException for a value that is not finite, naming its row and column
     * @throws IllegalArgumentException for no rows, or data that is not whole rows of {@code columns}
     */
    public abstract ColumnScaler fit(float[] data, int columns);

    /** Learns the statistics of each column (the subclasses' {@code fit}). */
    final void fitColumns(float[] data, int columns) {
        int rows = rows(data, columns);
        if (rows == 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " cannot be fitted on zero rows");
        }
        requireFinite("fit", data, columns);
        learn(data, rows, columns);
        warnIfCoarse(moments(data, rows, columns));
        this.columns = columns;
    }

    /**
     * Each column's mean and population variance ({@link DataChecks#columnMoments}), once {@link #learn} has run: a
     * scaler that learned them gives its own rather than compute them again.
     */
    double[][] moments(float[] data, int rows, int columns) {
        return DataChecks.columnMoments(data, rows, columns, 1);
    }

    /**
     * One warning for the first column too coarse in float32 ({@link DataChecks#float32Coarse}): scaling it cannot
     * bring back the values lost when it became float32 (a target of 1e8 plus a spread of 5 held 4 distinct values).
     */
    private void warnIfCoarse(double[][] moments) {
        for (int j = 0; j < moments[0].length; j++) {
            String coarse = DataChecks.float32Coarse(moments[0][j], Math.sqrt(moments[1][j]));
            if (coarse != null) {
                LoggerFactory.getLogger(ColumnScaler.class).warn("{}.fit: column {} {}", getClass().getSimpleName(), j,
                        coarse);
                return;
            }
        }
    }

    /**
     * A scaled copy of {@code data}.
     *
     * @param data row-major values, {@code (rows, columns)}
     * @param columns the number of columns
     * @return a new array of the scaled values, same layout
     */
    public final float[] transform(float[] data, int columns) {
        float[] out = data.clone();
        transformInPlace(out, columns);
        return out;
    }

    /**
     * Scales {@code data} in place.
     *
     * @param data row-major values, {@code (rows, columns)}
     * @param columns the number of columns, as fitted
     */
    public final void transformInPlace(float[] data, int columns) {
        int rows = rows(data, columns);
        requireFitted(columns);
        requireFinite("transform", data, columns);
        apply(data, rows, columns);
    }

    /**
     * Undoes {@link #transform transform}, returning a new array.
     *
     * @param data scaled row-major values, {@code (rows, columns)}
     * @param columns the number of columns, as fitted
     * @return a new array of the values in the original units
     */
    public final float[] inverseTransform(float[] data, int columns) {
        int rows = rows(data, columns);
        requireFitted(columns);
        float[] out = data.clone();
        unapply(out, rows, columns);
        return out;
    }

    /**
     * {@code fit} then {@code transform}.
     *
     * @param data row-major values, {@code (rows, columns)}
     * @param columns the number of columns
     * @return a new array of the scaled values
     */
    public final float[] fitTransform(float[] data, int columns) {
        fitColumns(data, columns);
        return transform(data, columns);
    }

    /**
     * The dataset with its features scaled (targets and labels shared).
     *
     * @param dataset a dataset with as many feature columns as fitted
     * @return a new dataset sharing the targets and labels of {@code dataset}
     */
    public final Dataset transform(Dataset dataset) {
        return dataset.withFeatures(transform(dataset.features(), dataset.featureCount()), dataset.featureCount());
    }

    /**
     * Fits on the dataset's features and returns it with the features scaled.
     *
     * @param dataset the dataset whose feature columns are learned and scaled
     * @return a new dataset sharing the targets and labels of {@code dataset}
     */
    public final Dataset fitTransform(Dataset dataset) {
        return dataset.withFeatures(fitTransform(dataset.features(), dataset.featureCount()), dataset.featureCount());
    }

    /**
     * Whether {@code fit} has been called.
     *
     * @return true after {@code fit}
     */
    public final boolean isFitted() {
        return columns >= 0;
    }

    /**
     * Number of columns it was fitted on.
     *
     * @return the fitted column count
     */
    public final int columns() {
        requireFitted(-1);
        return columns;
    }

    /** {@return e.g. {@code StandardScaler[4 columns]}, or {@code [not fitted]}, as {@code SimpleImputer} says} */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + settings() + (isFitted() ? columns + " columns" : "not fitted")
                + "]";
    }

    /** What a subclass adds before the column count in {@link #toString}: {@code "range (0, 1), "}, or nothing. */
    String settings() {
        return "";
    }

    /**
     * A NaN would make its whole column's statistic NaN (and every scaled value of the column with it), so
     * it is refused with its column, the first row that has it, and the count in that column.
     */
    private void requireFinite(String op, float[] data, int columns) {
        int at = DataChecks.firstNonFinite(data);
        if (at < 0) {
            return;
        }
        int column = at % columns;
        int count = 0;
        for (int i = column; i < data.length; i += columns) {
            if (!Float.isFinite(data[i])) {
                count++;
            }
        }
        throw new InvalidDataException(getClass().getSimpleName() + "." + op + ": column " + column + " holds "
                + data[at] + " at row " + at / columns + (count > 1 ? " (" + count + " non-finite values in that column)"
                : "") + "; scaling needs finite values (impute or drop missing values first)");
    }

    /** Marks the scaler fitted on {@code columns} columns, for statistics restored from a file. */
    final void restored(int columns) {
        this.columns = columns;
    }

    /** Checks restored statistics: {@code columns} finite values each. */
    static double[] checkStatistic(String name, double[] values, int columns) {
        Objects.requireNonNull(values, name);
        if (values.length != columns) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + columns);
        }
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                throw new IllegalArgumentException(name + "[" + j + "] is " + values[j] + "; statistics must be finite");
            }
        }
        return values.clone();
    }

    abstract void learn(float[] data, int rows, int columns);

    abstract void apply(float[] data, int rows, int columns);

    abstract void unapply(float[] data, int rows, int columns);

    final void requireFitted(int columnsGiven) {
        if (columns < 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not fitted yet: call fit first");
        }
        if (columnsGiven >= 0 && columnsGiven != columns) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " was fitted on " + columns
                    + " columns, got data with " + columnsGiven);
        }
    }

    static int rows(float[] data, int columns) {
        Objects.requireNonNull(data, "data");
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        if (data.length % columns != 0) {
            throw new IllegalArgumentException(data.length + " values are not a whole number of rows of "
                    + columns + " columns");
        }
        return data.length / columns;
    }

    /** A defensive copy of a statistic. */
    static double[] copy(double[] values) {
        return values.clone();
    }
}
