package dev.nnj.spark;

import java.io.Serializable;

/**
 * One partition's training rows as two flat row-major arrays, the unit the executors cache and train on.
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
    private final int maxLabel;
    private final int minLabel;

    /** Epoch whose batch lists are cached below; derived data, recomputed identically after a failure. */
    private transient BatchSchedule cachedSchedule;
    private transient int cachedEpoch;
    private transient int[][] cachedBatches;

    /**
     * @param partition    index of the partition holding this block
     * @param rows         number of rows
     * @param featureCount features per row
     * @param features     {@code rows × featureCount} values
     * @param labels         {@code rows} class indices, each at least 0
     */
    TrainingBlock(int partition, int rows, int featureCount, float[] features, int[] labels) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.features = features;
        this.labels = labels;
        int max = -1;
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < rows; i++) {
            max = Math.max(max, labels[i]);
            min = Math.min(min, labels[i]);
        }
        this.maxLabel = max;
        this.minLabel = min;
    }

    /** @return index of the partition holding this block */
    int partition() {
        return partition;
    }

    /** @return number of rows */
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

    /**
     * Copies the given local rows' features into {@code dst}, row after row.
     *
     * @param localRows row indices within this block
     * @param dst       at least {@code localRows.length × featureCount} values
     */
    void gatherFeatures(int[] localRows, float[] dst) {
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
    void gatherTargets(int[] localRows, int classes, float[] dst) {
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
        if (cachedBatches != null && cachedEpoch == epoch && schedule.equals(cachedSchedule)) {
            return cachedBatches;
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
        for (int b = 0; b < batches; b++) {
            result[b] = new int[counts[b]];
            counts[b] = 0;
        }
        for (int pos = 0; pos < order.length; pos++) {
            long local = order[pos] - offset;
            if (local >= 0 && local < rows) {
                int b = pos / batchSize;
                result[b][counts[b]++] = (int) local;
            }
        }
        cachedSchedule = schedule;
        cachedEpoch = epoch;
        cachedBatches = result;
        return result;
    }
}
