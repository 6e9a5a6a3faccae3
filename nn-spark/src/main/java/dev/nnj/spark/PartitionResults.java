package dev.nnj.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value {@code treeAggregate} combines: each partition's {@link PartitionResult}, keyed by partition.
 *
 * <p>Combining is a union by key, so it is idempotent (a partition's result counted twice is still counted
 * once: a retried or speculative attempt that sends the same result changes nothing, and one that sends a
 * different result is an error, never a silent average), commutative and associative. The weighted mean is
 * taken only at the end, in partition order, so its float additions happen in one fixed order however the
 * tree merged the parts, and a seed gives bit-identical models. The price: the tree does not shrink the
 * data on its way to the driver; {@code docs/spark.md} sizes that.
 */
final class PartitionResults implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<Integer, PartitionResult> byPartition = new TreeMap<>();

    /**
     * Adds one partition's result (the {@code seqOp}).
     *
     * @param result the partition's result
     * @return this
     * @throws IllegalStateException when a different result for the same partition is already here
     */
    PartitionResults add(PartitionResult result) {
        PartitionResult previous = byPartition.putIfAbsent(result.partition, result);
        if (previous != null && !previous.sameAs(result)) {
            throw new IllegalStateException("partition " + result.partition
                    + " sent two different results for one step; training tasks must be deterministic");
        }
        return this;
    }

    /**
     * Merges another set into this one (the {@code combOp}).
     *
     * @param other results of other partitions
     * @return this
     */
    PartitionResults merge(PartitionResults other) {
        for (PartitionResult r : other.byPartition.values()) {
            add(r);
        }
        return this;
    }

    /** @return number of partitions that reported */
    int partitions() {
        return byPartition.size();
    }

    /** @return total rows over all partitions */
    long rows() {
        long rows = 0;
        for (PartitionResult r : byPartition.values()) {
            rows += r.rows;
        }
        return rows;
    }

    /** @return sum of the partitions' weights ({@link PartitionResult#weight}), in partition order */
    double totalWeight() {
        double sum = 0;
        for (PartitionResult r : byPartition.values()) {
            sum += r.weight;
        }
        return sum;
    }

    /** @return sum of the partitions' batch losses */
    double lossSum() {
        double sum = 0;
        for (PartitionResult r : byPartition.values()) {
            sum += r.lossSum;
        }
        return sum;
    }

    /** @return sum of the partitions' correct predictions */
    double correct() {
        double sum = 0;
        for (PartitionResult r : byPartition.values()) {
            sum += r.correct;
        }
        return sum;
    }

    /**
     * The weighted mean of the partitions' values, {@code Σₚ weightₚ·vₚ / Σₚ weightₚ}, accumulated in double
     * in partition order: weighted by rows in synchronous mode, by the rows' sample weights in averaging mode
     * (see {@link PartitionResult}). A round whose rows all weighed 0 falls back to rows: every partition then
     * learned equally little, and the mean must still be defined.
     *
     * @param expectedPartitions how many partitions must have reported
     * @return one array per parameter
     */
    float[][] weightedMeanValues(int expectedPartitions) {
        return weightedMean(expectedPartitions, false)[0];
    }

    /**
     * The weighted mean of the partitions' optimizer state, as {@link #weightedMeanValues}.
     *
     * @param expectedPartitions how many partitions must have reported
     * @return {@code [i][k]}: state tensor k of parameter i
     */
    float[][][] weightedMeanOptimizerState(int expectedPartitions) {
        return weightedMean(expectedPartitions, true);
    }

    private float[][][] weightedMean(int expectedPartitions, boolean optimizerState) {
        if (byPartition.size() != expectedPartitions) {
            throw new IllegalStateException("expected results from " + expectedPartitions + " partitions, got "
                    + byPartition.size() + " " + byPartition.keySet());
        }
        if (rows() == 0) {
            throw new IllegalStateException("no partition had rows in this step");
        }
        double weights = totalWeight();
        boolean byRows = weights <= 0;
        double total = byRows ? rows() : weights;
        double[][][] sum = null;
        for (Map.Entry<Integer, PartitionResult> e : byPartition.entrySet()) {   // partition order
            PartitionResult r = e.getValue();
            double w = byRows ? r.rows : r.weight;
            if (w == 0) {
                continue;   // nothing learned from: weight 0, and no state to size the sums by
            }
            float[][][] parts = optimizerState ? r.optimizerState : new float[][][] {r.values};
            if (sum == null) {
                sum = new double[parts.length][][];
                for (int i = 0; i < parts.length; i++) {
                    sum[i] = new double[parts[i].length][];
                    for (int k = 0; k < parts[i].length; k++) {
                        sum[i][k] = new double[parts[i][k].length];
                    }
                }
            }
            for (int i = 0; i < parts.length; i++) {
                for (int k = 0; k < parts[i].length; k++) {
                    double[] s = sum[i][k];
                    float[] v = parts[i][k];
                    for (int j = 0; j < s.length; j++) {
                        s[j] += w * v[j];
                    }
                }
            }
        }
        float[][][] mean = new float[sum.length][][];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = new float[sum[i].length][];
            for (int k = 0; k < sum[i].length; k++) {
                double[] s = sum[i][k];
                float[] m = new float[s.length];
                for (int j = 0; j < s.length; j++) {
                    m[j] = (float) (s[j] / total);
                }
                mean[i][k] = m;
            }
        }
        return mean;
    }
}
