package dev.nnj.api.data;

import dev.nnj.api.LossKind;

/**
 * The checks host data goes through where it enters the library: one linear pass over the values, done
 * once per data set (or per call of an entry point that takes raw arrays), never inside a training step.
 *
 * <ul>
 *   <li>{@link #requireFinite}: no NaN or infinity, reported with its row and column;</li>
 *   <li>{@link #requireTargetsFor}: cross-entropy targets are probabilities: categorical rows in
 *       {@code [0, 1]} summing to 1, binary values in {@code [0, 1]};</li>
 *   <li>{@link #requireClassCount}: a class count that would build an absurd one-hot table is refused as
 *       "looks like an ID column";</li>
 *   <li>{@link #requireLabelsMatchTargets}: labels given beside targets name the class of their target row;</li>
 *   <li>{@link #firstNonClassRow}: whether targets are classes at all, which decides whether accuracy is
 *       defined.</li>
 * </ul>
 * Every failure is an {@link InvalidDataException} whose message names the data ({@code "training set
 * targets"}), the 0-based row and column, and the value.
 */
public final class DataChecks {
    /**
     * Most classes a label column may imply without being spelled out. A column with more distinct integer
     * values than this is an identifier or a measurement, not a class label; one-hot encoding it would
     * need {@code rows × classes} floats (an ID column of 10,000 rows is already 400 MB).
     */
    public static final int MAX_INFERRED_CLASSES = 10_000;

    /**
     * How far a categorical target row's sum may be from 1. Rows of float32 probabilities, such as
     * label-smoothed targets or softmax outputs used as soft targets, sum to 1 within a few ulps per term.
     */
    public static final double ROW_SUM_TOLERANCE = 1e-3;

    /**
     * A feature column's mean or standard deviation beyond which it is far from unit scale, and
     * {@link dev.nnj.api.train.Trainer#fit} warns (as nn-spark's {@code fit}): above raw pixel values (0 to 255),
     * below the proline column of scikit-learn's wine data (mean 747), which diverged a run at its first epoch.
     */
    public static final double UNSCALED_FEATURE = 300;

    /**
     * Each column's mean and population variance, in double, over every {@code step}-th row: two passes, the second
     * over the centred values (no cancellation, unlike E[x²] − E[x]²), each in row order, a row at a time.
     * <pre>
     *   mean_j = (1/n) Σ_i x_ij        var_j = (1/n) Σ_i (x_ij − mean_j)²        n = the rows looked at
     * </pre>
     * The one computation of the scalers' statistics and of the scale warnings.
     *
     * @param x       {@code (rows, columns)} row-major
     * @param rows    rows in {@code x}
     * @param columns values per row
     * @param step    1 for every row; more to look at evenly spaced rows of a large set
     * @return {@code {means, variances}}
     */
    public static double[][] columnMoments(float[] x, int rows, int columns, int step) {
        int sampled = (rows + step - 1) / step;
        double[] means = new double[columns];
        for (int i = 0; i < rows; i += step) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                means[j] += x[base + j];
            }
        }
        for (int j = 0; j < columns; j++) {
            means[j] /= sampled;
        }
        double[] variances = new double[columns];
        for (int i = 0; i < rows; i += step) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                double d = x[base + j] - means[j];
                variances[j] += d * d;
            }
        }
        for (int j = 0; j < columns; j++) {
            variances[j] /= sampled;
        }
        return new double[][] {means, variances};
    }

    /**
     * A column's mean, in standard deviations, beyond which its float32 values are too coarse for its spread: float32
     * keeps 24 bits, so near {@code |mean|} its values step by {@code ulp(|mean|)}, about {@code |mean| / 1.7e7}, here
     * more than 1/170 of a standard deviation. A target of {@code 1e8 + y} with {@code y}'s std 5 held 4 distinct
     * values of 300 (R² 0.80 against 0.975 without the offset, in a trial).
     */
    public static final double FLOAT32_OFFSET = 1e5;

    /**
     * Why a column of this mean and standard deviation is too coarse in float32, or null: {@link #FLOAT32_OFFSET}'s
     * rule, worded for a message that names the column first.
     *
     * @param mean the column's mean
     * @param std  its standard deviation
     * @return e.g. {@code "has mean 1.000e+08 and standard deviation 5.14: as float32 its values are 8 apart, 1.6
     *         standard deviations, ..."}, or null
     */
    public static String float32Coarse(double mean, double std) {
        if (!(std > 0) || !(Math.abs(mean) > FLOAT32_OFFSET * std)) {
            return null;
        }
        double step = Math.ulp((float) Math.abs(mean));
        return String.format(java.util.Locale.ROOT, "has mean %.4g and standard deviation %.4g: as float32 its values "
                + "are %.3g apart there, %.3g standard deviations (about %d distinct values within three standard "
                + "deviations of the mean), so they were rounded when they became floats; subtract a constant near "
                + "the mean first (for a target, add it back to predictions)", mean, std, step, step / std,
                Math.round(6 * std / step) + 1);
    }

    /**
     * The mean and standard deviation below which, in every feature column, the features all but vanish (the first
     * layer's outputs stay at its biases), and {@code fit} warns.
     */
    public static final double VANISHING_FEATURES = 1e-3;

    /**
     * The first feature column far from unit scale: its mean or its standard deviation beyond
     * {@link #UNSCALED_FEATURE} in size. The rule {@code fit}'s warning applies, nnj's and nn-spark's.
     *
     * @param means each column's mean
     * @param stds  each column's population standard deviation, as many
     * @return the column's index, or −1 when every column is within the bound
     */
    public static int firstUnscaledFeature(double[] means, double[] stds) {
        for (int j = 0; j < means.length; j++) {
            if (Math.abs(means[j]) > UNSCALED_FEATURE || stds[j] > UNSCALED_FEATURE) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Whether features all but vanish: some column varies, and every column's mean and standard deviation are below
     * {@link #VANISHING_FEATURES} in size. The other rule of {@code fit}'s warning.
     *
     * @param means each column's mean
     * @param stds  each column's population standard deviation, as many
     * @return true when the features vanish
     */
    public static boolean featuresVanish(double[] means, double[] stds) {
        double largestMean = 0;
        double largestStd = 0;
        for (int j = 0; j < means.length; j++) {
            largestMean = Math.max(largestMean, Math.abs(means[j]));
            largestStd = Math.max(largestStd, stds[j]);
        }
        return largestStd > 0 && largestStd < VANISHING_FEATURES && largestMean < VANISHING_FEATURES;
    }

    private DataChecks() {
    }

    /**
     * Throws unless every value is finite.
     *
     * @param what    names the data in the message, e.g. {@code "training set features"}
     * @param values  {@code (rows, columns)} row-major
     * @param columns values per row (at least 1)
     * @throws InvalidDataException naming the first NaN or infinity by row and column
     */
    public static void requireFinite(String what, float[] values, int columns) {
        int at = firstNonFinite(values);
        if (at >= 0) {
            throw new InvalidDataException(what + ": row " + at / columns + ", column " + at % columns + " is "
                    + values[at] + "; values must be finite numbers" + countSuffix(values));
        }
    }

    /**
     * Index of the first NaN or infinity in {@code values}, or -1 if all are finite.
     *
     * @param values any array
     * @return the first non-finite index, or -1
     */
    public static int firstNonFinite(float[] values) {
        return firstNonFinite(values, 0, values.length);
    }

    private static String countSuffix(float[] values) {
        int count = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                count++;
            }
        }
        return count > 1 ? " (" + count + " non-finite values in all)" : "";
    }

    /**
     * Throws unless {@code targets} suit {@code loss}: for categorical cross-entropy every row is a
     * probability distribution (each value in {@code [0, 1]}, the row summing to 1 within
     * {@link #ROW_SUM_TOLERANCE}); for binary cross-entropy every value is in {@code [0, 1]}; mean squared
     * error takes any finite value. Targets that break this make the loss meaningless (a negative
     * cross-entropy, an accuracy of 1.0 on nonsense), so it is refused up front.
     *
     * @param what    names the data, e.g. {@code "training set targets"}
     * @param loss    the loss the targets will meet
     * @param targets {@code (rows, columns)} row-major, already known to be finite
     * @param columns target columns (the model's output width)
     * @throws InvalidDataException naming the row, the column or the row sum, and the loss
     */
    public static void requireTargetsFor(String what, LossKind loss, float[] targets, int columns) {
        if (loss == LossKind.MSE) {
            return;
        }
        for (int i = 0; i < targets.length; i++) {
            float v = targets[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new InvalidDataException(what + ": row " + i / columns + ", column " + i % columns + " is " + v
                        + "; " + lossName(loss) + " needs targets in [0, 1]" + (loss == LossKind.CATEGORICAL_CROSS_ENTROPY
                        ? " (one-hot rows or probability rows summing to 1)" : ""));
            }
        }
        if (loss != LossKind.CATEGORICAL_CROSS_ENTROPY) {
            return;
        }
        int rows = targets.length / columns;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            int base = r * columns;
            for (int j = 0; j < columns; j++) {
                sum += targets[base + j];
            }
            if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
                throw new InvalidDataException(what + ": row " + r + " sums to " + (float) sum + "; "
                        + lossName(loss) + " needs each target row to be a probability distribution summing to 1 "
                        + "(one-hot for class labels)" + (columns == 1
                        ? "; with one output column use binary cross-entropy" : ""));
            }
        }
    }

    /**
     * Throws when a label column implies more classes than a class label plausibly has: more than
     * {@link #MAX_INFERRED_CLASSES}, or (with at least 100 rows) as many distinct labels as rows, which is
     * what an identifier column looks like.
     *
     * @param source   names the data
     * @param classes  the number of classes the labels imply
     * @param distinct the number of distinct labels seen
     * @param rows     the number of rows
     * @param largest  the largest label, quoted in the message; negative for text labels, which have no order
     * @throws InvalidDataException saying it looks like an ID column and how to proceed
     */
    public static void requireClassCount(String source, long classes, int distinct, int rows, long largest) {
        if (classes > MAX_INFERRED_CLASSES) {
            throw new InvalidDataException(source + ": the labels imply " + classes + " classes ("
                    + (largest >= 0 ? "largest label " + largest + ", " : "") + distinct + " distinct in " + rows
                    + " rows), more than "
                    + MAX_INFERRED_CLASSES + "; this looks like an ID column or a measurement, not class labels "
                    + "(choose another label column, or give the class count explicitly)");
        }
        if (rows >= 100 && distinct == rows) {
            throw new InvalidDataException(source + ": every one of the " + rows + " rows has a different label "
                    + "(" + distinct + " classes); this looks like an ID column, not class labels "
                    + "(choose another label column, or give the class count explicitly)");
        }
    }

    /**
     * The first row of {@code targets} that is not a class, or -1 when every row is one. A class row is one-hot
     * when there are several columns (a single 1, every other value 0) and 0 or 1 when there is one column (a
     * binary classifier's target). Accuracy is defined only for class targets: for real-valued targets
     * "predicted class = true class" has no meaning, whatever a threshold or an arg-max would count.
     *
     * @param targets {@code (rows, columns)} row-major
     * @param columns target columns (at least 1)
     * @return the 0-based index of the first row that is not a class, or -1
     */
    public static int firstNonClassRow(float[] targets, int columns) {
        int rows = targets.length / columns;
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            if (columns == 1) {
                if (targets[base] != 0f && targets[base] != 1f) {
                    return r;
                }
                continue;
            }
            int ones = 0;
            for (int j = 0; j < columns; j++) {
                float v = targets[base + j];
                if (v == 1f) {
                    ones++;
                } else if (v != 0f) {
                    return r;   // also NaN, which equals nothing
                }
            }
            if (ones != 1) {
                return r;
            }
        }
        return -1;
    }

    /**
     * Throws unless every label is the class of its target row as accuracy reads it: the arg-max of the row
     * (the first maximum) with several columns, and {@code target > 0.5 ? 1 : 0} with one column. One-hot
     * rows and 0/1 targets therefore have to equal their labels' encoding; soft rows (label smoothing) only
     * have to peak at their label. Then the accuracy counted from the targets ({@code Sequential.evaluate},
     * the trainer) and the one counted from the labels ({@code Predictions}) are the same number. A row with
     * a non-finite target is skipped: it names no class, and training and evaluation refuse it anyway.
     *
     * @param labels  one class index per row, each already known to be in range
     * @param targets {@code (rows, columns)} row-major, {@code labels.length} rows
     * @param columns target columns (at least 1)
     * @throws InvalidDataException naming the first row whose label contradicts its target, the label, the
     *                              target and the class it encodes
     */
    public static void requireLabelsMatchTargets(int[] labels, float[] targets, int columns) {
        for (int r = 0; r < labels.length; r++) {
            int base = r * columns;
            if (firstNonFinite(targets, base, columns) >= 0) {
                continue;
            }
            int encoded = classOfRow(targets, r, columns);
            if (encoded != labels[r]) {
                throw new InvalidDataException("labels: row " + r + " has label " + labels[r] + " but its target "
                        + describe(targets, base, columns) + " is class " + encoded
                        + (columns == 1 ? " (class 1 above 0.5)" : " (the column of its largest value)")
                        + "; a label must name the class of its target row");
            }
        }
    }

    /** Index of the first NaN or infinity among {@code values[from .. from + count)}, or -1. */
    private static int firstNonFinite(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            // x - x is 0 for every finite x and NaN for NaN and ±infinity: one subtraction, one compare.
            float v = values[i];
            if (v - v != 0f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The class a row of outputs or targets names, as accuracy reads it: the column of its first maximum with
     * several columns, and {@code value > 0.5 ? 1 : 0} with one (a binary classifier's threshold: 0.5 itself is
     * class 0, as in scikit-learn's {@code MLPClassifier} and Keras' {@code binary_accuracy}, and as a two-column
     * tie is, whose first maximum is column 0).
     *
     * @param values  {@code (rows, columns)} row-major
     * @param row     the 0-based row
     * @param columns values per row (at least 1)
     * @return the class index
     */
    public static int classOfRow(float[] values, int row, int columns) {
        int base = row * columns;
        if (columns == 1) {
            return values[base] > 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int j = 1; j < columns; j++) {
            if (values[base + j] > values[base + best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * {@link #classOfRow} of every row.
     *
     * @param values  {@code (rows, columns)} row-major outputs or targets
     * @param columns values per row (at least 1)
     * @return the class index of each row
     */
    public static int[] classesOfRows(float[] values, int columns) {
        int[] classes = new int[values.length / columns];
        for (int r = 0; r < classes.length; r++) {
            classes[r] = classOfRow(values, r, columns);
        }
        return classes;
    }

    /**
     * The number of classes a model with {@code outputs} output columns tells apart, as {@link #classOfRow} reads
     * its rows: one class per column, or 2 for a single column (a binary classifier's sigmoid: class 1 above 0.5).
     *
     * @param outputs output columns (at least 1)
     * @return {@code outputs}, or 2 when it is 1
     */
    public static int classCount(int outputs) {
        return Math.max(outputs, 2);
    }

    /**
     * The probability that row {@code row} gives class {@code k}: column {@code k} with several columns; with one
     * column {@code p}, {@code p} for class 1 and {@code 1 - p} for class 0 (the column is class 1's probability).
     *
     * @param values  {@code (rows, columns)} row-major model outputs
     * @param row     the 0-based row
     * @param columns values per row (at least 1)
     * @param k       a class, {@code 0 <= k < classCount(columns)}
     * @return that class's probability
     */
    public static float classProbability(float[] values, int row, int columns, int k) {
        if (columns == 1) {
            float p = values[row];
            return k == 1 ? p : 1f - p;
        }
        return values[row * columns + k];
    }

    /**
     * Row {@code row} of a {@code (rows, columns)} array as messages quote it: {@code 0.731} for one column,
     * {@code (1.0, 0.0, 0.0)} for several (the first ten values of a longer row, and the count).
     *
     * @param values  {@code (rows, columns)} row-major
     * @param row     0-based row
     * @param columns values per row
     * @return the row as text
     */
    public static String describeRow(float[] values, int row, int columns) {
        return describe(values, row * columns, columns);
    }

    private static String describe(float[] values, int from, int count) {
        if (count == 1) {
            return Float.toString(values[from]);
        }
        int shown = Math.min(count, 10);
        StringBuilder sb = new StringBuilder("(");
        for (int j = 0; j < shown; j++) {
            sb.append(j == 0 ? "" : ", ").append(values[from + j]);
        }
        return sb.append(count > shown ? ", ... " + count + " values)" : ")").toString();
    }

    private static String lossName(LossKind loss) {
        return loss == LossKind.CATEGORICAL_CROSS_ENTROPY ? "categorical cross-entropy" : "binary cross-entropy";
    }
}
