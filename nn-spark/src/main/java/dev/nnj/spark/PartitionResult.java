package dev.nnj.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one partition sends back for one step (or one round of local steps): a value per parameter, its
 * weight in the driver's mean, and the batch metrics.
 *
 * <ul>
 *   <li>Synchronous mode: {@code values[i]} is the mean gradient {@code ∂L/∂θᵢ} over the partition's
 *       {@code rows} rows of the global batch, each row's loss counted its sample weight times, and
 *       {@code weight} is {@code rows}: the driver's mean is then the batch gradient
 *       {@code (1/N) Σ_i w_i ∂ℓ_i/∂θ}. {@code optimizerState} is null.</li>
 *   <li>Averaging mode: {@code values[i]} is parameter {@code θᵢ} after the partition's local steps and
 *       {@code optimizerState[i][k]} its k-th optimizer state tensor; {@code rows} counts the rows it
 *       trained on in the round, and {@code weight} is the sum of their sample weights ({@code rows} without a
 *       weight column): a model counts in the average by how much weight it learned from.</li>
 * </ul>
 */
final class PartitionResult implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    /** This result's weight in the driver's mean (see the class comment); {@code rows} without sample weights. */
    final double weight;
    final float[][] values;
    final float[][][] optimizerState;
    /** Sum of the per-row losses on the batch rows, before the update. */
    final double lossSum;
    /** Number of batch rows whose arg-max matched the target, before the update. */
    final double correct;

    PartitionResult(int partition, int rows, double weight, float[][] values, float[][][] optimizerState,
                    double lossSum, double correct) {
        this.partition = partition;
        this.rows = rows;
        this.weight = weight;
        this.values = values;
        this.optimizerState = optimizerState;
        this.lossSum = lossSum;
        this.correct = correct;
    }

    /** A partition that had no rows in the step: weight 0. */
    static PartitionResult empty(int partition) {
        return new PartitionResult(partition, 0, 0, null, null, 0, 0);
    }

    /** Bit-for-bit equality of everything sent, used to tell a harmless duplicate from a conflicting one. */
    boolean sameAs(PartitionResult o) {
        return partition == o.partition && rows == o.rows
                && Double.doubleToLongBits(weight) == Double.doubleToLongBits(o.weight)
                && Double.doubleToLongBits(lossSum) == Double.doubleToLongBits(o.lossSum)
                && Double.doubleToLongBits(correct) == Double.doubleToLongBits(o.correct)
                && Arrays.deepEquals(values, o.values) && Arrays.deepEquals(optimizerState, o.optimizerState);
    }
}
