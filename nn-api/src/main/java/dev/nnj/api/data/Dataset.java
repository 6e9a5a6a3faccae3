package dev.nnj.api.data;

import dev.nnj.api.HostMemory;
import dev.nnj.api.LossKind;
import dev.nnj.api.spi.Checks;
import java.util.Objects;

/**
 * A table of samples in host memory: float32 features {@code (rows, featureCount)} and targets
 * {@code (rows, targetCount)}, each one row-major {@code float[]}, plus optional integer class labels.
 *
 * <p>Immutable by convention: the constructor takes ownership of the arrays without copying them, and
 * {@link #features()} / {@link #targets()} return those backing arrays so that a trainer can copy batches
 * without allocating. Neither the caller that built the dataset nor a reader of those arrays may modify
 * them afterwards. {@link #subset} copies its rows into fresh arrays; {@link #withFeatures} uses the new
 * features as given and shares this dataset's targets and labels.
 *
 * <pre>
 *   features   (size, featureCount)   row i at features[i * featureCount ...]
 *   targets    (size, targetCount)    one-hot rows for classification, values for regression
 *   labels     (size)                 class index of each row, when the dataset has them
 * </pre>
 *
 * <p>Validated once, when it is made: every feature and target must be finite (the error names the row and column of
 * the first NaN or infinity), and labels must be class indices {@code [0, targetCount)} (two classes for one target
 * column) that name the class of their target row, as accuracy reads it: the arg-max of the row, or {@code target >
 * 0.5} for one column (see {@link DataChecks#requireLabelsMatchTargets}). So the accuracy counted from the targets
 * ({@code Sequential.evaluate}, the trainer) and the one counted from the labels ({@link
 * dev.nnj.api.metrics.Predictions}) cannot disagree. {@link #allowingNonFinite allowingNonFinite} makes a data set
 * that keeps non-finite values, for those who want them (training and evaluation still refuse them, since every loss
 * would be NaN). Whether the targets suit a loss is checked where data and loss meet, by {@link #requireUsableWith}.
 *
 * <p>The constructor also finds out, once, whether the targets are classes ({@link #hasClassTargets hasClassTargets});
 * accuracy is computed and reported only for data sets whose targets are.
 */
public final class Dataset {
    private final float[] features;
    private final int featureCount;
    private final float[] targets;
    private final int targetCount;
    private final int[] labels;
    private final int size;
    private final boolean nonFiniteAllowed;
    /** Whether accuracy is defined on these targets; see {@link #hasClassTargets hasClassTargets}. */
    private final boolean classTargets;
    /** Bit {@code 1 << loss.ordinal()} set once the data passed {@link #requireUsableWith} for that loss. */
    private volatile int checkedLosses;

    /**
     * A dataset without labels. {@code features.length} must be a multiple of {@code featureCount},
     * {@code targets.length} of {@code targetCount}, and both must describe the same number of rows.
     * The arrays are used as they are, not copied.
     *
     * @param features the {@code (rows, featureCount)} inputs, row-major
     * @param featureCount the number of feature columns
     * @param targets the {@code (rows, targetCount)} expected outputs, row-major
     * @param targetCount the number of target columns
     * @throws IllegalArgumentException if a count is not positive, an array is not a whole number of rows, or the two
     *                                  hold different numbers of rows
     * @throws InvalidDataException     for a NaN or infinite value, naming its row and column (see
     *                                  {@link #allowingNonFinite} for data that may hold them)
     */
    public Dataset(float[] features, int featureCount, float[] targets, int targetCount) {
        this(features, featureCount, targets, targetCount, null);
    }

    /**
     * A dataset with one class label per row ({@code labels} may be null for none). The arrays are used as
     * they are, not copied. Each label must be the class of its target row: the arg-max of the row (the first
     * maximum), or for one target column 1 when the target is above 0.5 and 0 otherwise.
     *
     * @param features the {@code (rows, featureCount)} inputs, row-major
     * @param featureCount the number of feature columns
     * @param targets the {@code (rows, targetCount)} expected outputs, row-major
     * @param targetCount the number of target columns
     * @param labels the class index of each row, or null
     * @throws IllegalArgumentException if a count is not positive, an array is not a whole number of rows, or the
     *                              arrays hold different numbers of rows
     * @throws InvalidDataException for a non-finite value, or a label outside the classes or other than its
     *                              target row's class, naming the first such row
     */
    public Dataset(float[] features, int featureCount, float[] targets, int targetCount, int[] labels) {
        this(features, featureCount, targets, targetCount, labels, false);
    }

    /**
     * A dataset that may hold NaN and infinite features and targets: nothing is checked but the shapes and
     * the labels.
     * {@link dev.nnj.api.train.Trainer#fit} and {@code Sequential.evaluate} still refuse such values, with
     * their row and column, because every loss of them would be NaN.
     *
     * @param features     {@code (rows, featureCount)} row-major, used as is
     * @param featureCount feature columns
     * @param targets      {@code (rows, targetCount)} row-major, used as is
     * @param targetCount  target columns
     * @param labels       class index per row, or null
     * @return the dataset, marked as allowing non-finite values
     */
    public static Dataset allowingNonFinite(float[] features, int featureCount, float[] targets, int targetCount,
                                            int[] labels) {
        return new Dataset(features, featureCount, targets, targetCount, labels, true);
    }

    private Dataset(float[] features, int featureCount, float[] targets, int targetCount, int[] labels,
                    boolean nonFiniteAllowed) {
        Checks.requireNonNull("Dataset", "features", features);
        Checks.requireNonNull("Dataset", "targets", targets);
        if (featureCount <= 0) {
            throw new IllegalArgumentException("featureCount must be positive, got " + featureCount);
        }
        if (targetCount <= 0) {
            throw new IllegalArgumentException("targetCount must be positive, got " + targetCount);
        }
        if (features.length % featureCount != 0) {
            throw new IllegalArgumentException("features has " + features.length
                    + " values, which is not a whole number of rows of featureCount " + featureCount);
        }
        if (targets.length % targetCount != 0) {
            throw new IllegalArgumentException("targets has " + targets.length
                    + " values, which is not a whole number of rows of targetCount " + targetCount);
        }
        int rows = features.length / featureCount;
        int targetRows = targets.length / targetCount;
        if (rows != targetRows) {
            throw new IllegalArgumentException("features has " + rows + " rows (" + features.length + " / "
                    + featureCount + ") but targets has " + targetRows + " rows (" + targets.length + " / "
                    + targetCount + ")");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but the dataset has "
                    + rows + " rows");
        }
        if (labels != null) {
            // One target column is a binary classifier's: its labels are 0 and 1.
            int classes = targetCount == 1 ? 2 : targetCount;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new InvalidDataException("labels: row " + i + " has class " + labels[i]
                            + ", not a class index in [0, " + classes + ")");
                }
            }
        }
        if (!nonFiniteAllowed) {
            DataChecks.requireFinite("features", features, featureCount);
            DataChecks.requireFinite("targets", targets, targetCount);
        }
        if (labels != null) {
            DataChecks.requireLabelsMatchTargets(labels, targets, targetCount);
        }
        // Checked labels name every row's class, soft target rows included; without labels the rows must
        // be one-hot (or 0/1) to be classes. Known here once, so no step of training has to look.
        this.classTargets = labels != null || DataChecks.firstNonClassRow(targets, targetCount) < 0;
        this.nonFiniteAllowed = nonFiniteAllowed;
        this.features = features;
        this.featureCount = featureCount;
        this.targets = targets;
        this.targetCount = targetCount;
        this.labels = labels;
        this.size = rows;
    }

    /**
     * A classification dataset: the targets are the one-hot encoding of {@code labels} over {@code classes}
     * classes (each label in {@code [0, classes)}), and the labels are kept. {@code features} is used as is. For
     * a binary classifier with one sigmoid output, {@link #ofBinaryLabels} makes the one target column instead.
     *
     * @param features the {@code (rows, featureCount)} inputs, row-major
     * @param featureCount the number of feature columns
     * @param labels the class index of each row
     * @param classes the number of classes, the width of the one-hot targets, at least 2
     * @return a dataset with one-hot targets and the labels kept
     * @throws IllegalArgumentException if {@code classes < 2}, {@code featureCount} is not positive or the
     *         labels are not one per row of {@code features}
     * @throws InvalidDataException for a label outside {@code [0, classes)} or a non-finite feature, naming the
     *         row
     * @throws NullPointerException if {@code features} or {@code labels} is null
     */
    public static Dataset ofLabels(float[] features, int featureCount, int[] labels, int classes) {
        requireLabelPerRow(features, featureCount, labels, "ofLabels");
        if (classes < 2) {
            throw new IllegalArgumentException("ofLabels: classes must be at least 2, got " + classes
                    + (classes == 1 ? "; for one sigmoid output use Dataset.ofBinaryLabels" : ""));
        }
        requireLabelsIn(labels, classes);
        float[] oneHot = OneHotEncoder.ofClasses(classes).transform(labels);
        return new Dataset(features, featureCount, oneHot, classes, labels);
    }

    /**
     * A binary classification dataset for a model with one sigmoid output: one target column, {@code 0} or
     * {@code 1} as each row's label, and the labels kept.
     *
     * @param features the {@code (rows, featureCount)} inputs, row-major
     * @param featureCount the number of feature columns
     * @param labels each row's class, 0 or 1
     * @return a dataset with one 0/1 target column and the labels kept
     * @throws IllegalArgumentException if {@code featureCount} is not positive or the labels are not one per row
     * @throws InvalidDataException for a label other than 0 or 1 or a non-finite feature, naming the row
     * @throws NullPointerException if {@code features} or {@code labels} is null
     */
    public static Dataset ofBinaryLabels(float[] features, int featureCount, int[] labels) {
        requireLabelPerRow(features, featureCount, labels, "ofBinaryLabels");
        requireLabelsIn(labels, 2);
        float[] targets = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = labels[i];
        }
        return new Dataset(features, featureCount, targets, 1, labels);
    }

    /** Counts rows before the targets are built, so that a mismatch is told in rows and labels, not targets. */
    private static void requireLabelPerRow(float[] features, int featureCount, int[] labels, String op) {
        Checks.requireNonNull(op, "features", features);
        Checks.requireNonNull(op, "labels", labels);
        if (featureCount <= 0) {
            throw new IllegalArgumentException(op + ": featureCount must be positive, got " + featureCount);
        }
        if (features.length % featureCount != 0) {
            throw new IllegalArgumentException(op + ": features has " + features.length
                    + " values, which is not a whole number of rows of featureCount " + featureCount);
        }
        int rows = features.length / featureCount;
        if (labels.length != rows) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + rows
                    + " rows of features (" + features.length + " / " + featureCount + "); give one label per row");
        }
    }

    private static void requireLabelsIn(int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new InvalidDataException("labels: row " + i + " has class " + labels[i]
                        + ", not a class index in [0, " + classes + ")");
            }
        }
    }

    /**
     * Throws unless this data can meet {@code loss}: finite features and targets (re-checked only for a
     * data set made by {@link #allowingNonFinite allowingNonFinite}), and targets of the loss's range (see
     * {@link DataChecks#requireTargetsFor}). One pass over the data the first time for each loss; a
     * passing check is remembered, so calling it every epoch costs nothing.
     *
     * @param role names the data in the message, e.g. {@code "validation set"}
     * @param loss the loss the targets meet
     * @throws InvalidDataException naming the row and column
     */
    public void requireUsableWith(String role, LossKind loss) {
        Objects.requireNonNull(loss, "loss");
        int bit = 1 << loss.ordinal();
        if ((checkedLosses & bit) != 0) {
            return;
        }
        if (nonFiniteAllowed) {
            DataChecks.requireFinite(role + " features", features, featureCount);
            DataChecks.requireFinite(role + " targets", targets, targetCount);
        }
        DataChecks.requireTargetsFor(role + " targets", loss, targets, targetCount);
        checkedLosses |= bit;
    }

    /**
     * Whether this dataset was made to hold NaN or infinite values ({@link #allowingNonFinite allowingNonFinite}).
     *
     * @return whether this data set was made by {@link #allowingNonFinite allowingNonFinite}, so it may hold NaN or
     *        infinity
     */
    public boolean allowsNonFinite() {
        return nonFiniteAllowed;
    }

    /**
     * Number of rows (samples).
     *
     * @return the row count
     */
    public int size() {
        return size;
    }

    /**
     * Number of feature columns.
     *
     * @return the width of a feature row
     */
    public int featureCount() {
        return featureCount;
    }

    /**
     * Number of target columns (the class count for one-hot targets).
     *
     * @return the width of a target row
     */
    public int targetCount() {
        return targetCount;
    }

    /**
     * The backing feature array, {@code (size, featureCount)} row-major. Do not modify.
     *
     * @return the features, not copied
     */
    public float[] features() {
        return features;
    }

    /**
     * The backing target array, {@code (size, targetCount)} row-major. Do not modify.
     *
     * @return the targets, not copied
     */
    public float[] targets() {
        return targets;
    }

    /**
     * Whether the targets are classes, so that accuracy is defined on this data set: the data set has labels
     * (each the class of its target row), or every target row is one-hot (several columns) or every target is
     * 0 or 1 (one column). Regression values, and soft target rows without labels, are not classes: for them
     * {@code Sequential.evaluate} and the trainer report no accuracy (NaN), as Keras reports none unless
     * asked. Mean squared error on one-hot targets (the article's network) still has one.
     *
     * @return whether accuracy is computed for this data
     */
    public boolean hasClassTargets() {
        return classTargets;
    }

    /**
     * Whether this dataset carries integer class labels.
     *
     * @return whether the dataset was made with labels, so that {@link #labels()} has them
     */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * The backing label array (one class index per row). Do not modify.
     *
     * @return the labels, not copied
     * @throws IllegalStateException for a dataset without labels ({@link #hasLabels()} says which)
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("this dataset has no labels (" + this + ")");
        }
        return labels;
    }

    /**
     * Copies the feature rows {@code order[from]}, …, {@code order[from + count - 1]} into {@code dst},
     * row-major, starting at {@code dst[0]}. Allocates nothing; {@code dst} needs at least
     * {@code count * featureCount} elements.
     *
     * @param order a permutation (or selection) of row indices
     * @param from the first position in {@code order} to copy
     * @param count the number of rows to copy
     * @param dst the destination, at least {@code count · featureCount} long
     */
    public void gatherFeatures(int[] order, int from, int count, float[] dst) {
        gather(features, featureCount, order, from, count, dst, "gatherFeatures");
    }

    /**
     * Copies the target rows {@code order[from]}, …, {@code order[from + count - 1]} into {@code dst},
     * row-major, starting at {@code dst[0]}. Allocates nothing; {@code dst} needs at least
     * {@code count * targetCount} elements.
     *
     * @param order a permutation (or selection) of row indices
     * @param from the first position in {@code order} to copy
     * @param count the number of rows to copy
     * @param dst the destination, at least {@code count · targetCount} long
     */
    public void gatherTargets(int[] order, int from, int count, float[] dst) {
        gather(targets, targetCount, order, from, count, dst, "gatherTargets");
    }

    private void gather(float[] src, int width, int[] order, int from, int count, float[] dst, String what) {
        if (from < 0 || count < 0 || from > order.length - count) {
            throw new IndexOutOfBoundsException(what + ": rows [" + from + ", " + ((long) from + count)
                    + ") are outside the order array of length " + order.length);
        }
        if (dst.length < (long) count * width) {
            throw new IllegalArgumentException(what + ": destination holds " + dst.length + " values, "
                    + count + " rows of " + width + " need " + (long) count * width);
        }
        for (int r = 0; r < count; r++) {
            int row = order[from + r];
            if (row < 0 || row >= size) {
                throw new IndexOutOfBoundsException(what + ": order[" + (from + r) + "] = " + row
                        + " is not a row of this dataset of " + size + " rows");
            }
            System.arraycopy(src, row * width, dst, r * width, width);
        }
    }

    /**
     * A new dataset of the given rows, in the given order (rows may repeat); labels are kept, and so are the losses
     * this data already passed {@link #requireUsableWith} for: its checks are each row's own, so a subset of rows that
     * passed them passes too, and a split of a checked set is not read again.
     *
     * @param rows the row indices to take, each in {@code [0, size())}
     * @return a new dataset with copied rows
     * @throws IndexOutOfBoundsException for an index that is not a row, naming it and its place in {@code rows}
     */
    public Dataset subset(int[] rows) {
        Objects.requireNonNull(rows, "rows");
        HostMemory.requireArray("subset features (" + rows.length + ", " + featureCount + ")",
                (long) rows.length * featureCount);
        HostMemory.requireArray("subset targets (" + rows.length + ", " + targetCount + ")",
                (long) rows.length * targetCount);
        float[] f = new float[rows.length * featureCount];
        float[] t = new float[rows.length * targetCount];
        gather(features, featureCount, rows, 0, rows.length, f, "subset");
        gather(targets, targetCount, rows, 0, rows.length, t, "subset");
        int[] l = null;
        if (labels != null) {
            l = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                l[i] = labels[rows[i]];
            }
        }
        Dataset subset = new Dataset(f, featureCount, t, targetCount, l, nonFiniteAllowed);
        subset.checkedLosses = checkedLosses;
        return subset;
    }

    /**
     * The same targets and labels with other features (for example scaled ones), {@code (size, newFeatureCount)}
     * row-major; the new array is used as is, and the targets and labels are shared, not copied.
     *
     * @param newFeatures the {@code (size, newFeatureCount)} features, row-major
     * @param newFeatureCount the number of feature columns of {@code newFeatures}
     * @return a new dataset sharing this one's targets and labels
     */
    public Dataset withFeatures(float[] newFeatures, int newFeatureCount) {
        Objects.requireNonNull(newFeatures, "newFeatures");
        if (newFeatureCount <= 0 || newFeatures.length != (long) size * newFeatureCount) {
            throw new IllegalArgumentException("new features must be " + size + " rows of " + newFeatureCount
                    + " values, got " + newFeatures.length + " values");
        }
        return new Dataset(newFeatures, newFeatureCount, targets, targetCount, labels, nonFiniteAllowed);
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " rows, " + featureCount + " features, " + targetCount + " targets"
                + (labels != null ? ", labelled" : "") + (nonFiniteAllowed ? ", non-finite allowed" : "") + "]";
    }
}
