package dev.nnj.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one partition sends back for one step (or one round of local steps): a value per parameter, its
 * weight, and the batch metrics.
 *
 * <ul>
 *   <li>Synchronous mode: {@code values[i]} is the mean gradient {@code ∂L/∂θᵢ} over the partition's
 *       {@code rows} rows of the global batch; {@code optimizerState} is null.</li>
 *   <li>Averaging mode: {@code values[i]} is parameter {@code θᵢ} after the partition's local steps and
 *       {@code optimizerState[i][k]} its k-th optimizer state tensor; {@code rows} counts the rows it
 *       trained on in the round.</li>
 * </ul>
 */
final class PartitionResult implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final float[][] values;
    final float[][][] optimizerState;
    /** Sum of the per-row losses on the batch rows, before the update. */
    final double lossSum;
    /** Number of batch rows whose arg-max matched the target, before the update. */
    final double correct;

    PartitionResult(int partition, int rows, float[][] values, float[][][] optimizerState, double lossSum,
                    double correct) {
        this.partition = partition;
        this.rows = rows;
        this.values = values;
        this.optimizerState = optimizerState;
        this.lossSum = lossSum;
        this.correct = correct;
    }

    /** A partition that had no rows in the step: weight 0. */
    static PartitionResult empty(int partition) {
        return new PartitionResult(partition, 0, null, null, 0, 0);
    }

    /** Bit-for-bit equality of everything sent, used to tell a harmless duplicate from a conflicting one. */
    boolean sameAs(PartitionResult o) {
        return partition == o.partition && rows == o.rows
                && Double.doubleToLongBits(lossSum) == Double.doubleToLongBits(o.lossSum)
                && Double.doubleToLongBits(correct) == Double.doubleToLongBits(o.correct)
                && Arrays.deepEquals(values, o.values) && Arrays.deepEquals(optimizerState, o.optimizerState);
    }
}
