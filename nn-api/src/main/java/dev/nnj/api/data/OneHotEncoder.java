package dev.nnj.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Integer class labels to one-hot rows and back, like scikit-learn's {@code OneHotEncoder} on one column
 * of integers: the known categories are sorted, and category {@code categories[k]} becomes a row with a 1
 * in column {@code k} and 0 elsewhere.
 *
 * <pre>
 *   ofClasses(3).transform({2, 0})  =  {0, 0, 1,
 *                                       1, 0, 0}
 * </pre>
 * A label that is not a known category is an error naming the label, its position and the categories
 * (scikit-learn's {@code handle_unknown='error'}).
 */
public final class OneHotEncoder {
    /** The sorted categories, or null when they are exactly {@code 0 .. classes-1} (no table needed). */
    private final int[] categories;
    private final int classes;
    /** Whether categories are exactly 0..n-1, so a label is its own column (the usual case). */
    private final boolean dense;

    private OneHotEncoder(int[] sortedDistinct) {
        if (sortedDistinct.length == 0) {
            throw new IllegalArgumentException("a one-hot encoder needs at least one category");
        }
        this.classes = sortedDistinct.length;
        this.dense = sortedDistinct[0] == 0 && sortedDistinct[classes - 1] == classes - 1;
        this.categories = dense ? null : sortedDistinct;
    }

    private OneHotEncoder(int classes) {
        this.classes = classes;
        this.dense = true;
        this.categories = null;
    }

    /**
     * An encoder for the labels {@code 0 .. classes-1}.
     *
     * @param classes the number of classes, at least 1
     * @return an encoder of width {@code classes}
     */
    public static OneHotEncoder ofClasses(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("the number of classes must be positive, got " + classes);
        }
        return new OneHotEncoder(classes);
    }

    /**
     * An encoder for exactly the given categories (any order, duplicates ignored).
     *
     * @param categories the label values, each one a column
     * @return an encoder with one column per distinct category
     */
    public static OneHotEncoder ofCategories(int... categories) {
        Objects.requireNonNull(categories, "categories");
        return new OneHotEncoder(Arrays.stream(categories).sorted().distinct().toArray());
    }

    /**
     * An encoder whose categories are the distinct values seen in {@code labels} (scikit-learn's fit).
     *
     * @param labels the labels seen in training
     * @return an encoder with one column per distinct label
     */
    public static OneHotEncoder fit(int[] labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length == 0) {
            throw new IllegalArgumentException("cannot learn categories from zero labels");
        }
        return ofCategories(labels);
    }

    /**
     * Number of categories, which is the width of each one-hot row.
     *
     * @return the category count
     */
    public int classes() {
        return classes;
    }

    /**
     * The known categories, ascending (a copy).
     *
     * @return the categories in column order
     */
    public int[] categories() {
        if (categories != null) {
            return categories.clone();
        }
        int[] c = new int[classes];
        for (int i = 0; i < classes; i++) {
            c[i] = i;
        }
        return c;
    }

    /**
     * Column of {@code label}, or -1 if it is not a known category.
     *
     * @param label a label value
     * @return its column in a one-hot row, or -1
     */
    public int columnOf(int label) {
        if (dense) {
            return label >= 0 && label < classes ? label : -1;
        }
        int k = Arrays.binarySearch(categories, label);
        return k >= 0 ? k : -1;
    }

    /**
     * One-hot rows, {@code (labels.length, classes())} row-major.
     *
     * @param labels known categories
     * @return the one-hot rows
     */
    public float[] transform(int[] labels) {
        Objects.requireNonNull(labels, "labels");
        // Every label first, so a bad one fails before a possibly large table is allocated.
        for (int i = 0; i < labels.length; i++) {
            if (columnOf(labels[i]) < 0) {
                throw new InvalidDataException("label " + labels[i] + " at position " + i
                        + " is not a known category; known: " + describeCategories());
            }
        }
        long size = (long) labels.length * classes;
        dev.nnj.api.HostMemory.requireArray("one-hot table of " + labels.length + " rows x " + classes + " classes",
                size);
        float[] out = new float[(int) size];
        for (int i = 0; i < labels.length; i++) {
            out[i * classes + columnOf(labels[i])] = 1f;
        }
        return out;
    }

    /**
     * The category of each row of {@code rows} ({@code (n, classes())} row-major, one-hot or scores such as
     * probabilities): the arg-max column's category, the first maximum winning.
     *
     * @param rows one-hot or score rows, {@code (n, classes())} row-major
     * @return the category of each row
     * @throws IllegalArgumentException if the values are not whole rows, or a value is NaN (no column is then the
     *         row's largest: a NaN row used to be category 0), naming the row and column
     */
    public int[] inverseTransform(float[] rows) {
        dev.nnj.api.spi.Checks.requireNonNull("inverseTransform", "rows", rows);
        int c = classes;
        if (rows.length % c != 0) {
            throw new IllegalArgumentException(rows.length + " values are not a whole number of rows of "
                    + c + " classes");
        }
        int[] labels = new int[rows.length / c];
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 0; j < c; j++) {
                if (Float.isNaN(rows[i * c + j])) {
                    throw new IllegalArgumentException("inverseTransform: row " + i + ", column " + j + " is NaN; "
                            + "a row's category is its largest column");
                }
                if (j > 0 && rows[i * c + j] > rows[i * c + best]) {
                    best = j;
                }
            }
            labels[i] = dense ? best : categories[best];
        }
        return labels;
    }

    private String describeCategories() {
        if (dense) {
            return classes == 1 ? "[0]" : "[0.." + (classes - 1) + "]";
        }
        return Arrays.toString(categories);
    }

    @Override
    public String toString() {
        return "OneHotEncoder" + describeCategories();
    }
}
