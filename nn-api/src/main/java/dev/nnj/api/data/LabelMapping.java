package dev.nnj.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * How the integer labels of a data file map to class indices {@code 0 .. K-1}: the distinct labels,
 * ascending, take the indices in order, as scikit-learn's {@code LabelEncoder} does.
 *
 * <pre>
 *   labels {1, 2, 3}        →  1 → class 0, 2 → class 1, 3 → class 2
 *   labels {-1, 1}          → -1 → class 0, 1 → class 1
 *   labels {0, 1, ..., 9}   →  identity (no mapping needed)
 * </pre>
 * Read it back with {@link #labelOf(int)} to turn a predicted class into the file's label. Immutable.
 */
public final class LabelMapping {
    private final int[] labels;

    private LabelMapping(int[] sortedDistinct) {
        this.labels = sortedDistinct;
    }

    /**
     * The mapping of the distinct values in {@code labels}.
     *
     * @param source names the data in errors
     * @param labels one label per row, at least one
     * @return the mapping, ascending labels to {@code 0 .. K-1}
     * @throws InvalidDataException when the labels look like an ID column
     *         (see {@link DataChecks#requireClassCount})
     */
    public static LabelMapping fit(String source, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length == 0) {
            throw new InvalidDataException(source + ": no labels to learn classes from");
        }
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        int distinct = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        DataChecks.requireClassCount(source, distinct, distinct, labels.length, sorted[distinct - 1]);
        return new LabelMapping(Arrays.copyOf(sorted, distinct));
    }

    /** {@return the number of classes {@code K}} */
    public int classes() {
        return labels.length;
    }

    /** {@return whether every label is already its own class index (labels {@code 0 .. K-1})} */
    public boolean isIdentity() {
        return labels[0] == 0 && labels[labels.length - 1] == labels.length - 1;
    }

    /**
     * {@return its class index, or -1 if the mapping does not know it}
     *
     * @param label a label of the data
     */
    public int classOf(int label) {
        int k = Arrays.binarySearch(labels, label);
        return k >= 0 ? k : -1;
    }

    /**
     * {@return the label of the data that class stands for}
     *
     * @param classIndex a class index in {@code [0, classes())}
     */
    public int labelOf(int classIndex) {
        if (classIndex < 0 || classIndex >= labels.length) {
            throw new IndexOutOfBoundsException("class " + classIndex + " is not in [0, " + labels.length + ")");
        }
        return labels[classIndex];
    }

    /** {@return the labels in class order (a copy): {@code labels()[k]} is the label of class {@code k}} */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The class index of every label.
     *
     * @param source names the data in errors
     * @param data   labels of the data
     * @return a new array of class indices
     * @throws InvalidDataException for a label the mapping does not know, with its row
     */
    public int[] apply(String source, int[] data) {
        if (data == null) {
            throw new NullPointerException("LabelMapping.apply: argument 'data' is null (" + source + ")");
        }
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            int k = classOf(data[i]);
            if (k < 0) {
                throw new InvalidDataException(source + ": row " + i + " has label " + data[i]
                        + ", which is not one of the known labels " + this);
            }
            out[i] = k;
        }
        return out;
    }

    /** @return e.g. {@code {1→0, 2→1, 3→2}} (the first and last few of a long mapping) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < labels.length; k++) {
            if (labels.length > 12 && k == 5) {
                sb.append("…, ");
                k = labels.length - 5;
            }
            sb.append(labels[k]).append('→').append(k).append(k + 1 < labels.length ? ", " : "");
        }
        return sb.append('}').toString();
    }
}
