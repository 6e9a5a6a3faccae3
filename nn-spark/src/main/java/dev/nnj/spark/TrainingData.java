package dev.nnj.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * A DataFrame's features and labels as one cached {@link TrainingBlock} per partition, with the row
 * offsets and sizes the driver plans batches with.
 */
final class TrainingData implements AutoCloseable {
    final JavaRDD<TrainingBlock> blocks;
    /** Global index of each partition's first row. */
    final long[] offsets;
    final int rows;
    final int featureCount;
    /** Largest label plus one. */
    final int classes;

    private TrainingData(JavaRDD<TrainingBlock> blocks, long[] offsets, int rows, int featureCount, int classes) {
        this.blocks = blocks;
        this.offsets = offsets;
        this.rows = rows;
        this.featureCount = featureCount;
        this.classes = classes;
    }

    /**
     * Reads {@code featuresCol} (an ML vector) and {@code labelCol} (a numeric class index 0, 1, 2, …) into
     * cached blocks, one per partition, in the DataFrame's row order.
     *
     * @param data          the training DataFrame
     * @param featuresCol   name of the features column
     * @param labelCol      name of the label column
     * @param numPartitions partitions to train on, 0 to keep the DataFrame's
     * @param declaredClasses the classes the label column's metadata declares (a StringIndexer's output), which
     *                      then size the output layer even when the data lacks the last ones
     * @return the cached blocks; {@link #close()} unpersists them
     * @throws IllegalArgumentException for an empty set, a bad label, fewer than 2 distinct labels, labels that are
     *         not class indices (more classes than rows), features of differing widths or of width 0
     */
    static TrainingData from(Dataset<?> data, String featuresCol, String labelCol, int numPartitions,
                             OptionalInt declaredClasses) {
        Dataset<Row> selected = data.toDF().select(functions.col(SchemaChecks.quoted(featuresCol)),
                functions.col(SchemaChecks.quoted(labelCol)));
        if (numPartitions > 0 && selected.rdd().getNumPartitions() != numPartitions) {
            selected = selected.repartition(numPartitions);
        }
        JavaRDD<TrainingBlock> blocks = selected.javaRDD()
                .mapPartitionsWithIndex((index, it) -> List.of(toBlock(index, it, featuresCol, labelCol)).iterator(),
                        true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<int[]> sizes = blocks.map(b -> new int[] {b.rows(), b.featureCount(), b.maxLabel(), b.minLabel()})
                .collect();
        long[] offsets = new long[sizes.size()];
        long total = 0;
        int width = -1;
        int maxLabel = -1;
        int minLabel = Integer.MAX_VALUE;
        for (int p = 0; p < sizes.size(); p++) {
            int[] s = sizes.get(p);
            offsets[p] = total;
            total += s[0];
            if (s[0] > 0) {
                if (width >= 0 && s[1] != width) {
                    blocks.unpersist(false);
                    throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of sizes "
                            + width + " and " + s[1] + "; every row needs the same number of features");
                }
                width = s[1];
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
        if (width == 0) {
            // Otherwise the network's spec refuses it, naming its inputWidth and not the column.
            blocks.unpersist(false);
            throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of size 0; the network "
                    + "needs at least 1 feature");
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
            return new TrainingData(blocks, offsets, (int) total, width, declared);
        }
        if ((long) maxLabel + 1 > total) {
            // Classes are 0 .. max label, as in Spark ML; more of them than rows means the labels are not class
            // indices (an id, a code, a value with gaps), and the output layer would be sized by the largest.
            blocks.unpersist(false);
            throw new IllegalArgumentException("column '" + labelCol + "' has labels up to " + maxLabel + ", which "
                    + "makes " + ((long) maxLabel + 1) + " classes, more than the " + total + " training rows: labels "
                    + "must be class indices 0 .. k-1 (StringIndexer makes them from any column)");
        }
        return new TrainingData(blocks, offsets, (int) total, width, maxLabel + 1);
    }

    private static TrainingBlock toBlock(int partition, Iterator<Row> rows, String featuresCol, String labelCol) {
        List<Vector> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        long row = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            if (r.isNullAt(0) || r.isNullAt(1)) {
                throw new IllegalArgumentException("row " + row + " of partition " + partition + " has a null "
                        + (r.isNullAt(0) ? "'" + featuresCol + "'" : "'" + labelCol + "'"));
            }
            Vector v = (Vector) r.get(0);
            if (width < 0) {
                width = v.size();
            } else if (v.size() != width) {
                throw new IllegalArgumentException("column '" + featuresCol + "' holds vectors of sizes " + width
                        + " and " + v.size() + " (row " + row + " of partition " + partition + ")");
            }
            double label = ((Number) r.get(1)).doubleValue();
            if (!(label >= 0) || label != Math.rint(label) || label > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("column '" + labelCol + "' must hold class indices 0, 1, 2, …; got "
                        + label + " (row " + row + " of partition " + partition + ")");
            }
            features.add(v);
            labels.add((int) label);
            row++;
        }
        int n = features.size();
        int w = Math.max(width, 0);
        float[] x = new float[n * w];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            Vector v = features.get(i);
            for (int j = 0; j < w; j++) {
                x[i * w + j] = finiteFloat(v.apply(j), i, j, "of partition " + partition);
            }
            y[i] = labels.get(i);
        }
        return new TrainingBlock(partition, n, w, x, y);
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
        float f = (float) value;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("row " + row + " " + where + ": feature " + column + " is " + value
                    + (Double.isFinite(value) ? ", beyond float32's range (" + Float.MAX_VALUE + ")" : "")
                    + "; nnj trains and predicts on finite float32 values");
        }
        return f;
    }

    /** Frees the cached blocks. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
