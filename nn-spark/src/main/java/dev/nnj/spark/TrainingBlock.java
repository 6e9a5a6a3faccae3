package dev.nnj.spark;

import java.util.Arrays;

import dev.nnj.api.data.Dataset;
import java.io.Serializable;

/**
 * One partition's training rows as flat row-major arrays (features, labels and, with a {@code weightCol}, a weight
 * per row), the unit the executors cache and train on. A classifier's labels are class indices; a regressor's are real
 * numbers ({@link #ofTargets}), standardized by a {@link LabelScale} as batches are gathered.
 *
 * <p>The rows of partition {@code p} are rows {@code [offset_p, offset_p + rows)} of the whole data set in
 * the DataFrame's order, so the driver can describe every batch by global row numbers, as nnj's
 * {@code Trainer} does on one machine, and each partition picks out its own part of it.
 */
final class TrainingBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final int rows;
    private final int featureCount;
    private final float[] features;
    private final int[] labels;
    /** A regressor's label per row, as read (unscaled); null for a classifier's block. */
    private final float[] targets;
    /** Each row's weight, finite and {@code >= 0}; null when every row weighs 1. */
    private final float[] weights;
    private final int maxLabel;
    private final int minLabel;
    /** Rows whose weight is above 0: all of them without weights. */
    private final int weightedRows;

    /** Epoch whose batch lists are cached below; derived data, recomputed identically after a failure. */
    private transient BatchSchedule cachedSchedule;
    private transient int cachedEpoch;
    private transient int[][] cachedBatches;
    private transient int[][] cachedPositions;

    /**
     * @param partition    index of the partition holding this block
     * @param rows         number of rows
     * @param featureCount features per row
     * @param features     {@code rows × featureCount} values
     * @param labels       {@code rows} class indices, each at least 0
     * @param weights      {@code rows} weights, each finite and at least 0, or null when every row weighs 1
     */
    TrainingBlock(int partition, int rows, int featureCount, float[] features, int[] labels, float[] weights) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.features = features;
        this.labels = labels;
        this.targets = null;
        this.weights = weights;
        this.weightedRows = weights == null ? rows : countPositive(weights);
        int max = -1;
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < rows; i++) {
            max = Math.max(max, labels[i]);
            min = Math.min(min, labels[i]);
        }
        this.maxLabel = max;
        this.minLabel = min;
    }

    private TrainingBlock(int partition, int rows, int featureCount, float[] features, float[] targets,
                          float[] weights) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.features = features;
        this.labels = new int[0];
        this.targets = targets;
        this.weights = weights;
        this.weightedRows = weights == null ? rows : countPositive(weights);
        this.maxLabel = -1;
        this.minLabel = Integer.MAX_VALUE;
    }

    /**
     * A regressor's block, whose labels are real numbers.
     *
     * @param partition    index of the partition holding this block
     * @param rows         number of rows
     * @param featureCount features per row
     * @param features     {@code rows × featureCount} values
     * @param targets      {@code rows} labels, each finite
     * @param weights      {@code rows} weights, each finite and at least 0, or null when every row weighs 1
     * @return the block
     */
    static TrainingBlock ofTargets(int partition, int rows, int featureCount, float[] features, float[] targets,
                                   float[] weights) {
        return new TrainingBlock(partition, rows, featureCount, features, targets, weights);
    }

    /**
     * A regressor's label moments over this block, in double: {@code {Σ w_i, Σ w_i y_i / Σ w_i, Σ w_i (y_i − mean)²,
     * min y, max y}} (two passes, so that labels far from 0 keep their variance; the extremes over rows of weight
     * above 0, which tell a constant label exactly), which the driver merges in partition order.
     *
     * @return the five moments; {@code {0, 0, 0, +∞, −∞}} for a block without weight
     */
    double[] labelMoments() {
        double weightSum = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            double w = weights == null ? 1 : weights[i];
            weightSum += w;
            sum += w * targets[i];
            if (w > 0) {
                min = Math.min(min, targets[i]);
                max = Math.max(max, targets[i]);
            }
        }
        if (weightSum == 0) {
            return new double[] {0, 0, 0, min, max};
        }
        double mean = sum / weightSum;
        double m2 = 0;
        for (int i = 0; i < rows; i++) {
            double d = targets[i] - mean;
            m2 += (weights == null ? 1 : weights[i]) * d * d;
        }
        return new double[] {weightSum, mean, m2, min, max};
    }

    /** @return index of the partition holding this block */
    int partition() {
        return partition;
    }

    /** @return number of rows */
    /** {@return the block's feature columns' moments, {@link FeatureScaleWarning#moments}} */
    double[] featureMoments() {
        return FeatureScaleWarning.moments(features, rows, featureCount);
    }

    int rows() {
        return rows;
    }

    /** @return features per row */
    int featureCount() {
        return featureCount;
    }

    /** @return largest label in the block, -1 when empty */
    int maxLabel() {
        return maxLabel;
    }

    /** @return smallest label in the block, {@link Integer#MAX_VALUE} when empty */
    int minLabel() {
        return minLabel;
    }

    /** @return the distinct labels in the block, ascending */
    int[] distinctLabels() {
        return Arrays.stream(labels, 0, rows).distinct().sorted().toArray();
    }

    /** @return rows whose weight is above 0; every row when the block has no weights */
    int weightedRows() {
        return weightedRows;
    }

    private static int countPositive(float[] weights) {
        int n = 0;
        for (float w : weights) {
            if (w > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The given local rows as an nnj data set, for a {@code BatchLoader}: features {@code (m, featureCount)} and
     * one-hot targets {@code (m, classes)}, {@code m = localRows.length}, row {@code i} being local row
     * {@code localRows[i]}; in a regressor's block, targets {@code (m, 1)}, each label scaled by {@code scale}.
     *
     * @param localRows row indices within this block
     * @param classes   width of a one-hot row, larger than every label (1 in a regressor's block)
     * @param scale     how a regressor's labels are standardized; unused in a classifier's block
     * @return the rows, in their own new arrays
     */
    Dataset batch(int[] localRows, int classes, LabelScale scale) {
        float[] x = new float[localRows.length * featureCount];
        float[] y = new float[localRows.length * classes];
        gatherFeatures(localRows, x);
        if (targets != null) {
            for (int i = 0; i < localRows.length; i++) {
                y[i] = scale.scale(targets[localRows[i]]);
            }
        } else {
            gatherTargets(localRows, classes, y);
        }
        return new Dataset(x, featureCount, y, classes);
    }

    /**
     * The given local rows' weights, in the order of {@link #batch}'s rows, for a {@code BatchLoader}.
     *
     * @param localRows row indices within this block
     * @return {@code localRows.length} weights, or null when every row weighs 1
     */
    float[] gatherWeights(int[] localRows) {
        if (weights == null) {
            return null;
        }
        float[] w = new float[localRows.length];
        for (int i = 0; i < localRows.length; i++) {
            w[i] = weights[localRows[i]];
        }
        return w;
    }

    /**
     * The sum of the given local rows' weights, in double and in the rows' order.
     *
     * @param localRows row indices within this block
     * @return {@code Σ w_i}, or {@code localRows.length} when every row weighs 1
     */
    double weightSum(int[] localRows) {
        if (weights == null) {
            return localRows.length;
        }
        double sum = 0;
        for (int r : localRows) {
            sum += weights[r];
        }
        return sum;
    }

    /**
     * Copies the given local rows' features into {@code dst}, row after row.
     *
     * @param localRows row indices within this block
     * @param dst       at least {@code localRows.length × featureCount} values
     */
    private void gatherFeatures(int[] localRows, float[] dst) {
        for (int i = 0; i < localRows.length; i++) {
            System.arraycopy(features, localRows[i] * featureCount, dst, i * featureCount, featureCount);
        }
    }

    /**
     * Writes the given local rows' one-hot targets into {@code dst}, row after row.
     *
     * @param localRows row indices within this block
     * @param classes   width of a one-hot row, larger than every label
     * @param dst       {@code localRows.length × classes} values, overwritten
     */
    private void gatherTargets(int[] localRows, int classes, float[] dst) {
        java.util.Arrays.fill(dst, 0, localRows.length * classes, 0f);
        for (int i = 0; i < localRows.length; i++) {
            dst[i * classes + labels[localRows[i]]] = 1f;
        }
    }

    /**
     * This block's rows in each batch of an epoch: {@code result[b]} lists, in batch order, the local indices
     * of the rows that {@code order} puts in batch {@code b}.
     *
     * @param schedule the run's batch schedule
     * @param epoch    1-based epoch
     * @param offset   global index of this block's first row
     * @return one (possibly empty) array of local row indices per batch
     */
    synchronized int[][] batchRows(BatchSchedule schedule, int epoch, long offset) {
        cacheEpoch(schedule, epoch, offset);
        return cachedBatches;
    }

    /**
     * Where this block's rows stand in each batch of an epoch: {@code result[b][i]} is the position, from 0, of row
     * {@code batchRows(…)[b][i]} in the whole global batch {@code b}, the row of the batch's dropout mask it gets.
     *
     * @param schedule the run's batch schedule
     * @param epoch    1-based epoch
     * @param offset   global index of this block's first row
     * @return one array per batch, as long as {@link #batchRows}'s
     */
    synchronized int[][] batchPositions(BatchSchedule schedule, int epoch, long offset) {
        cacheEpoch(schedule, epoch, offset);
        return cachedPositions;
    }

    private void cacheEpoch(BatchSchedule schedule, int epoch, long offset) {
        if (cachedBatches != null && cachedEpoch == epoch && schedule.equals(cachedSchedule)) {
            return;
        }
        int[] order = schedule.order(epoch);
        int batchSize = schedule.batchSize();
        int batches = schedule.batchesPerEpoch();
        int[] counts = new int[batches];
        for (int pos = 0; pos < order.length; pos++) {
            long local = order[pos] - offset;
            if (local >= 0 && local < rows) {
                counts[pos / batchSize]++;
            }
        }
        int[][] result = new int[batches][];
        int[][] positions = new int[batches][];
        for (int b = 0; b < batches; b++) {
            result[b] = new int[counts[b]];
            positions[b] = new int[counts[b]];
            counts[b] = 0;
        }
        for (int pos = 0; pos < order.length; pos++) {
            long local = order[pos] - offset;
            if (local >= 0 && local < rows) {
                int b = pos / batchSize;
                positions[b][counts[b]] = pos - b * batchSize;
                result[b][counts[b]++] = (int) local;
            }
        }
        cachedSchedule = schedule;
        cachedEpoch = epoch;
        cachedBatches = result;
        cachedPositions = positions;
    }
}
