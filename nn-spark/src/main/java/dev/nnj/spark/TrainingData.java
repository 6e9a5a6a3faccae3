package dev.nnj.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DataFrame's features, labels and (optional) row weights as one cached {@link TrainingBlock} per partition, with
 * the row offsets and sizes the driver plans batches with.
 */
final class TrainingData implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    final JavaRDD<TrainingBlock> blocks;
    /** Global index of each partition's first row. */
    final long[] offsets;
    final int rows;
    final int featureCount;
    /** Largest label plus one; 1, the one output, for a regressor's data. */
    final int classes;
    /** The weight column's name, empty when every row weighs 1. */
    final String weightCol;
    /**
     * A regressor's labels' weighted moments over every row, {@code {Σ w, mean, Σ w (y − mean)²}}; null for a
     * classifier's.
     */
    final double[] labelMoments;

    private TrainingData(JavaRDD<TrainingBlock> blocks, long[] offsets, int rows, int featureCount, int classes,
                         String weightCol, double[] labelMoments) {
        this.blocks = blocks;
        this.offsets = offsets;
        this.rows = rows;
        this.featureCount = featureCount;
        this.classes = classes;
        this.weightCol = weightCol;
        this.labelMoments = labelMoments;
    }

    private TrainingData(JavaRDD<TrainingBlock> blocks, long[] offsets, int rows, int featureCount, int classes,
                         String weightCol) {
        this(blocks, offsets, rows, featureCount, classes, weightCol, null);
    }

    /** {@return the standardization of a regressor's labels: their weighted mean and population std} */
    /**
     * The label's (weighted) population standard deviation as it is: 0 for a constant label, where
     * {@link #labelScale()} divides by 1.
     *
     * @return the spread
     */
    double labelSpread() {
        return labelMoments[3] == labelMoments[4] ? 0 : Math.sqrt(Math.max(0, labelMoments[2]) / labelMoments[0]);
    }

    LabelScale labelScale() {
        return LabelScale.of(labelMoments[0], labelMoments[1], labelMoments[2], labelMoments[3] == labelMoments[4]);
    }

    /**
     * The columns training reads.
     *
     * @param features name of the ML vector column
     * @param label    name of the numeric class index column
     * @param weight   name of the numeric row weight column, empty when every row weighs 1
     * @param realLabels whether the labels are a regressor's real numbers rather than class indices
     */
    record Columns(String features, String label, String weight, boolean realLabels) implements Serializable {
        /**
         * A classifier's columns, whose labels are class indices.
         *
         * @param features name of the ML vector column
         * @param label    name of the numeric class index column
         * @param weight   name of the numeric row weight column, empty when every row weighs 1
         */
        Columns(String features, String label, String weight) {
            this(features, label, weight, false);
        }

        /** @return whether rows carry weights of their own */
        boolean weighted() {
            return !weight.isEmpty();
        }

        /**
         * @return the columns to select, in the order {@link TrainingData#toBlock} reads them: features, label and,
         *         when weighted, weight
         */
        Column[] selection() {
            Column f = functions.col(SchemaChecks.quoted(features));
            Column l = functions.col(SchemaChecks.quoted(label));
            return weighted() ? new Column[] {f, l, functions.col(SchemaChecks.quoted(weight))} : new Column[] {f, l};
        }
    }

    /**
     * Reads {@code columns.features} (an ML vector), {@code columns.label} (a numeric class index 0, 1, 2, …, or with
     * {@code columns.realLabels} a regressor's label, any finite float32 number) and,
     * when named, {@code columns.weight} (a numeric weight, finite and {@code >= 0}) into cached blocks, one per
     * partition, in the DataFrame's row order.
     *
     * @param data          the training DataFrame
     * @param columns       the columns to read
     * @param numPartitions partitions to train on, 0 to keep the DataFrame's
     * @param declaredClasses the classes the label column's metadata declares (a StringIndexer's output), which
     *                      then size the output layer even when the data lacks the last ones
     * @return the cached blocks; {@link #close()} unpersists them
     * @throws IllegalArgumentException for an empty set, a bad label, fewer than 2 distinct labels, labels that are
     *         not class indices (more classes than rows), features of differing widths or of width 0, a weight that is
     *         null, negative, NaN, infinite or beyond float32's range, or weights that are all 0
     */
    static TrainingData from(Dataset<?> data, Columns columns, int numPartitions, OptionalInt declaredClasses) {
        String featuresCol = columns.features();
        String labelCol = columns.label();
        Dataset<Row> selected = data.toDF().select(columns.selection());
        if (numPartitions > 0 && selected.rdd().getNumPartitions() != numPartitions) {
            selected = selected.repartition(numPartitions);
        }
        JavaRDD<TrainingBlock> blocks = selected.javaRDD()
                .mapPartitionsWithIndex((index, it) -> List.of(toBlock(index, it, columns)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        // One job reads each block's sizes and its distinct labels (the latter for warnOfMissingClasses), or a
        // regressor's label moments.
        boolean real = columns.realLabels();
        List<BlockSummary> read;
        try {
            read = blocks.map(b -> new BlockSummary(new int[] {b.rows(), b.featureCount(), b.maxLabel(), b.minLabel(),
                b.weightedRows()}, real ? new int[0] : b.distinctLabels(), real ? b.labelMoments() : null,
                b.featureMoments())).collect();
        } catch (Exception e) {   // SparkException is checked, though Scala throws it undeclared
            blocks.unpersist(false);
            throw rowError(e);
        }
        List<int[]> sizes = new ArrayList<>(read.size());
        List<int[]> present = new ArrayList<>(read.size());
        for (BlockSummary r : read) {
            sizes.add(r.sizes());
            present.add(r.labels());
        }
        long[] offsets = new long[sizes.size()];
        long total = 0;
        int width = -1;
        int widthFrom = -1;   // the partition whose rows set the width, for a message naming both
        int maxLabel = -1;
        int minLabel = Integer.MAX_VALUE;
        long weightedRows = 0;
        for (int p = 0; p < sizes.size(); p++) {
            int[] s = sizes.get(p);
            offsets[p] = total;
            total += s[0];
            weightedRows += s[4];
            if (s[0] > 0) {
                if (width >= 0 && s[1] != width) {
                    blocks.unpersist(false);
                    throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of sizes "
                            + width + " and " + s[1] + " (the rows of partitions " + widthFrom + " and " + p
                            + "); every row needs the same number of features");
                }
                width = s[1];
                widthFrom = widthFrom < 0 ? p : widthFrom;
                maxLabel = Math.max(maxLabel, s[2]);
                minLabel = Math.min(minLabel, s[3]);
            }
        }
        if (total == 0) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("the training DataFrame is empty");
        }
        if (total > Integer.MAX_VALUE) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " training rows, got " + total);
        }
        if (weightedRows == 0) {
            // Every step's gradient would be 0: the optimizer would move the parameters by weight decay at most, and
            // fit would return the initial network as if it had learned. A partition of zeros alone is fine: its rows
            // count in N like any other rows of weight 0, and which rows land in which partition is not the user's.
            blocks.unpersist(false);
            throw new IllegalArgumentException("column '" + columns.weight() + "' (weightCol) gives every one of the "
                    + total + " training rows weight 0; at least one row needs a weight above 0 to learn from");
        }
        if (width == 0) {
            // Otherwise the network's spec refuses it, naming its inputWidth and not the column.
            blocks.unpersist(false);
            throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of size 0; the network "
                    + "needs at least 1 feature");
        }
        String unscaled = FeatureScaleWarning.warning(read.stream().map(BlockSummary::featureMoments).toList(),
                featuresCol);
        if (unscaled != null) {
            LOG.warn(unscaled);
        }
        if (real) {
            return new TrainingData(blocks, offsets, (int) total, width, 1, columns.weight(), mergeMoments(read));
        }
        if (minLabel == maxLabel) {
            // The distinct labels present, not the largest: all 1s would otherwise make two classes, one never seen,
            // and a metadata's count does not make a class appear. One class present trains a constant.
            blocks.unpersist(false);
            String ofDeclared = declaredClasses.isPresent()
                    ? ", of the " + declaredClasses.getAsInt() + " its metadata declares" : "";
            throw new IllegalArgumentException("column '" + labelCol + "' has a single class (" + maxLabel + ") in its "
                    + total + " training rows" + ofDeclared + "; a classifier needs at least 2");
        }
        if (declaredClasses.isPresent()) {
            int declared = declaredClasses.getAsInt();
            if (maxLabel >= declared || declared < 2) {
                blocks.unpersist(false);
                throw new IllegalArgumentException("column '" + labelCol + "' has labels up to " + maxLabel
                        + ", but its metadata (a StringIndexer's, for instance) declares " + declared + " class"
                        + (declared == 1 ? "" : "es") + (declared < 2 ? "; a classifier needs at least 2" : ""));
            }
            return new TrainingData(blocks, offsets, (int) total, width, declared, columns.weight());
        }
        if ((long) maxLabel + 1 > total) {
            // Classes are 0 .. max label, as in Spark ML; more of them than rows means the labels are not class
            // indices (an id, a code, a value with gaps), and the output layer would be sized by the largest.
            blocks.unpersist(false);
            throw new IllegalArgumentException("column '" + labelCol + "' has labels up to " + maxLabel + ", which "
                    + "makes " + ((long) maxLabel + 1) + " classes, more than the " + total + " training rows: labels "
                    + "must be class indices 0 .. k-1 (StringIndexer makes them from any column)");
        }
        warnOfMissingClasses(present, maxLabel, labelCol);
        return new TrainingData(blocks, offsets, (int) total, width, maxLabel + 1, columns.weight());
    }

    /**
     * One block's sizes, distinct labels and, for a regressor, label moments, as one job collects them.
     *
     * @param sizes   {rows, features, max label, min label, rows of weight above 0}
     * @param labels  the block's distinct class labels (a classifier's)
     * @param moments a regressor's label moments ({@link TrainingBlock#labelMoments}), or null
     * @param featureMoments the block's feature columns' moments ({@link TrainingBlock#featureMoments}), or null
     */
    private record BlockSummary(int[] sizes, int[] labels, double[] moments, double[] featureMoments)
            implements Serializable {
    }

    /**
     * The blocks' label moments merged in partition order by Chan et al.'s pairwise rule ({@link #mergeInto}, as
     * Spark's own summarizers merge theirs), and their extremes.
     */
    private static double[] mergeMoments(List<BlockSummary> read) {
        double[] merged = {0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (BlockSummary r : read) {
            double[] m = r.moments();
            if (m[0] == 0) {
                continue;
            }
            mergeInto(merged, m, 1);
            merged[3] = Math.min(merged[3], m[3]);
            merged[4] = Math.max(merged[4], m[4]);
        }
        return merged;
    }

    /**
     * Chan et al.'s pairwise merge of two parts' moments, column by column, into the first: with
     * {@code δ = mean_b − mean_a}, {@code n = n_a + n_b}, {@code mean ← mean_a + δ n_b / n} and
     * {@code M2 ← M2_a + M2_b + δ² n_a n_b / n}. Both are laid out {@code {n, mean_0 … mean_{c−1}, M2_0 … M2_{c−1}}}
     * (and may hold more after that); the counts may be weights.
     *
     * @param into    the moments so far, {@code n} 0 before the first part
     * @param part    the part to add, {@code n} above 0
     * @param columns {@code c}
     */
    static void mergeInto(double[] into, double[] part, int columns) {
        double na = into[0];
        double nb = part[0];
        double n = na + nb;
        for (int j = 0; j < columns; j++) {
            double delta = part[1 + j] - into[1 + j];
            into[1 + j] += delta * nb / n;
            into[1 + columns + j] += part[1 + columns + j] + delta * delta * na * nb / n;
        }
        into[0] = n;
    }

    /**
     * A bad row found on an executor (a label that is no class index, a NaN feature, vectors of two sizes in one
     * partition) comes back as Spark's job failure, its {@code IllegalArgumentException} at the end of a stage
     * report: thrown again here as that exception, the Spark failure its cause, so that it reads first and is caught
     * as the driver's own refusals are.
     */
    private static RuntimeException rowError(Exception e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            // nnj's own refusal, thrown from this package: not any IllegalArgumentException a job's other code threw.
            StackTraceElement[] at = t.getStackTrace();
            if (t instanceof IllegalArgumentException && at.length > 0
                    && at[0].getClassName().startsWith(TrainingData.class.getPackageName() + ".")) {
                return new IllegalArgumentException(t.getMessage(), e);
            }
        }
        return TrainingData.<RuntimeException>unchecked(e);
    }

    /** Throws {@code e} as it is, checked or not (a SparkException that is no row's error). */
    @SuppressWarnings("unchecked")
    private static <T extends Exception> T unchecked(Exception e) throws T {
        throw (T) e;
    }

    /**
     * Classes are 0 .. the largest label, as in Spark ML; labels that skip some (1, 2, 3, or codes 0, 5, 10) make
     * classes no row has, which the output layer then learns to predict rarely. Said once, naming them.
     */
    private static void warnOfMissingClasses(List<int[]> present, int maxLabel, String labelCol) {
        String warning = missingClasses(present, maxLabel, labelCol);
        if (warning != null) {
            LOG.warn(warning);
        }
    }

    /**
     * The warning of classes no training row has, or null when every class from 0 to the largest label has one.
     *
     * @param present  each partition's distinct labels
     * @param maxLabel the largest label
     * @param labelCol the column, named in the message
     * @return the message, naming up to five of the missing classes
     */
    static String missingClasses(List<int[]> present, int maxLabel, String labelCol) {
        java.util.BitSet seen = new java.util.BitSet(maxLabel + 1);
        for (int[] labels : present) {
            for (int label : labels) {
                seen.set(label);
            }
        }
        int missing = maxLabel + 1 - seen.cardinality();
        if (missing == 0) {
            return null;
        }
        List<String> named = new ArrayList<>();
        for (int c = seen.nextClearBit(0); c <= maxLabel && named.size() < 5; c = seen.nextClearBit(c + 1)) {
            named.add(Integer.toString(c));
        }
        return "column '" + labelCol + "' has labels up to " + maxLabel + ", so the network has " + (maxLabel + 1)
                + " classes, and " + missing + " of them (" + String.join(", ", named) + (missing > 5 ? ", …" : "")
                + ") are in no training row: labels are class indices 0 .. k-1 (StringIndexer makes them from any "
                + "column)";
    }

    private static TrainingBlock toBlock(int partition, Iterator<Row> rows, Columns columns) {
        String featuresCol = columns.features();
        String labelCol = columns.label();
        List<Vector> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        FloatList targets = new FloatList();
        FloatList weights = columns.weighted() ? new FloatList() : null;
        int width = -1;
        long row = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            requireNoNull(r, columns, row, partition);
            Vector v = (Vector) r.get(0);
            if (width < 0) {
                width = v.size();
            } else if (v.size() != width) {
                throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of sizes " + width
                        + " and " + v.size() + " (row " + row + " of partition " + partition + ")");
            }
            double label = ((Number) r.get(1)).doubleValue();
            if (columns.realLabels()) {
                targets.add(realLabel(label, labelCol, row, partition));
            } else if (!(label >= 0) || label != Math.rint(label) || label > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("column '" + labelCol + "' must hold class indices 0, 1, 2, …; got "
                        + label + " (row " + row + " of partition " + partition + ")");
            }
            features.add(v);
            labels.add(columns.realLabels() ? 0 : (int) label);
            if (weights != null) {
                weights.add(rowWeight((Number) r.get(2), columns.weight(), row, partition));
            }
            row++;
        }
        int n = features.size();
        int w = Math.max(width, 0);
        float[] x = new float[n * w];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            Vector v = features.get(i);
            for (int j = 0; j < w; j++) {
                x[i * w + j] = finiteFloat(v.apply(j), i, j, "of partition " + partition, FIT_TAKES_NO_INVALID_ROWS);
            }
            y[i] = labels.get(i);
        }
        float[] rowWeights = weights == null ? null : weights.toArray();
        return columns.realLabels() ? TrainingBlock.ofTargets(partition, n, w, x, targets.toArray(), rowWeights)
                : new TrainingBlock(partition, n, w, x, y, rowWeights);
    }

    /**
     * A regressor's label as the float32 it is stored in, refused when it is not a finite one: a NaN or infinite label
     * would make the label's mean, and so every training target, NaN.
     *
     * @throws IllegalArgumentException naming the column, the value, the row and the bound
     */
    private static float realLabel(double label, String labelCol, long row, int partition) {
        float f = (float) label;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("column '" + labelCol + "' (labelCol) holds " + label + " at row " + row
                    + " of partition " + partition + "; a regression label must be a finite number"
                    + (Double.isFinite(label) ? " within float32's range (" + Float.MAX_VALUE + ")" : ""));
        }
        return f;
    }

    /**
     * Said of a row {@code fit} refuses: {@code handleInvalid} is {@code transform}'s, and a user whose assembler
     * kept such rows needs to know where they must go instead.
     */
    private static final String FIT_TAKES_NO_INVALID_ROWS = " (fit takes no such rows, whatever handleInvalid says: "
            + "drop them first, with Dataset.na().drop(), or fill them in with an Imputer)";

    /** Refuses a row with a null in any column training reads, naming the first such column and its param. */
    private static void requireNoNull(Row r, Columns columns, long row, int partition) {
        String[] names = columns.weighted() ? new String[] {columns.features(), columns.label(), columns.weight()}
                : new String[] {columns.features(), columns.label()};
        String[] params = {"featuresCol", "labelCol", "weightCol"};
        for (int c = 0; c < names.length; c++) {
            if (r.isNullAt(c)) {
                // An Imputer fills in features; a row without its label (or weight) has nothing to learn from.
                String advice = c == 0 ? FIT_TAKES_NO_INVALID_ROWS : " (fit takes no such rows: drop them first, with "
                        + "Dataset.na().drop(new String[] {\"" + names[c] + "\"}))";
                throw new IllegalArgumentException("row " + row + " of partition " + partition + " has a null '"
                        + names[c] + "' (" + params[c] + ")" + advice);
            }
        }
    }

    /**
     * A row's weight as the float32 nnj multiplies its loss gradient by, refused when it is not a finite number of at
     * least 0 as a float: a negative weight would step up the row's loss, and a NaN or infinite one make every weight
     * of the network NaN at the first step, reported as a divergence with the wrong hint.
     *
     * @param value     the column's value, of any Spark numeric type
     * @param weightCol the column's name
     * @param row       the row within its partition (0-based)
     * @param partition the partition
     * @return the weight as a float
     * @throws IllegalArgumentException naming the column, the value, the row and the bound
     */
    static float rowWeight(Number value, String weightCol, long row, int partition) {
        double w = value.doubleValue();
        float f = (float) w;
        if (!(w >= 0) || !Float.isFinite(f)) {
            throw new IllegalArgumentException("column '" + weightCol + "' (weightCol) holds " + value + " at row "
                    + row + " of partition " + partition + "; a weight must be a finite number >= 0"
                    + (Double.isFinite(w) && w > 0 ? " within float32's range (" + Float.MAX_VALUE + ")" : ""));
        }
        return f;
    }

    /** A growable float array: a weight per row without boxing each one. */
    private static final class FloatList {
        private float[] values = new float[64];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * A feature as the float32 nnj computes with, refused when it is not a finite one: a NaN or infinite value,
     * or a double beyond float32's range, which would otherwise reach training as a NaN loss (reported as a
     * divergence) or prediction as an "Infinity" the data never held.
     *
     * @param value  the feature
     * @param row    its row (0-based)
     * @param column its index in the vector
     * @param where  which rows the index counts, e.g. "of partition 3"
     * @return the value as a float
     * @throws IllegalArgumentException naming the row, the index and the value
     */
    static float finiteFloat(double value, long row, int column, String where) {
        return finiteFloat(value, row, column, where, "");
    }

    /** As {@link #finiteFloat(double, long, int, String)}, the message ending in {@code advice}. */
    private static float finiteFloat(double value, long row, int column, String where, String advice) {
        float f = (float) value;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("row " + row + " " + where + ": feature " + column + " is " + value
                    + (Double.isFinite(value) ? ", beyond float32's range (" + Float.MAX_VALUE + ")" : "")
                    + "; nnj trains and predicts on finite float32 values" + advice);
        }
        return f;
    }

    /** Frees the cached blocks. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
