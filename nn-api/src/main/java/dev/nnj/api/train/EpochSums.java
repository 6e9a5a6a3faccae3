package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.internal.RunningSum;
import dev.nnj.api.losses.Loss;

/**
 * The epoch's running training-loss and correct-prediction sums, added on the backend so that a step never
 * waits for the device, and read into doubles every {@value RunningSum#BATCHES_PER_READ} batches and at the end
 * of the epoch ({@link RunningSum}: a float32 total of many batches would drift). Correct predictions are counted
 * only when the training targets are classes ({@link dev.nnj.api.data.Dataset#hasClassTargets}); otherwise the step
 * runs no count at all and {@link #correct()} is NaN.
 */
final class EpochSums implements AutoCloseable {
    private final RunningSum lossSum;
    /** Null when the targets are not classes: then there is nothing to count. */
    private final RunningSum correct;

    EpochSums(Backend backend, boolean countCorrect) {
        lossSum = new RunningSum(backend);
        RunningSum c;
        try {
            c = countCorrect ? new RunningSum(backend) : null;
        } catch (RuntimeException e) {
            lossSum.close();
            throw e;
        }
        correct = c;
    }

    /** Adds a batch's summed loss and correct count; {@code first} resets the sums instead of adding. */
    void add(Backend backend, Loss loss, Tensor output, Tensor targets, boolean first) {
        if (first) {
            lossSum.reset();
            if (correct != null) {
                correct.reset();
            }
        }
        lossSum.addLoss(loss, backend, output, targets);
        if (correct != null) {
            correct.addCorrect(backend, output, targets);
        }
    }

    /**
     * The running loss sum, for a check that folds itself into it before it is read.
     *
     * @return the sum
     */
    RunningSum lossSum() {
        return lossSum;
    }

    /** Sum of the per-sample losses since the last reset (reads what is left on the device). */
    double loss() {
        return lossSum.total();
    }

    /** Correct predictions since the last reset (reads what is left on the device), or NaN for non-class targets. */
    double correct() {
        return correct == null ? Double.NaN : correct.total();
    }

    @Override
    public void close() {
        lossSum.close();
        if (correct != null) {
            correct.close();
        }
    }
}
