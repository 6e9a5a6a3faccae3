package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.losses.Loss;

/**
 * The epoch's running training-loss and correct-prediction sums, kept on the backend so that a step never
 * waits for the device; read once at the end of the epoch. Correct predictions are counted only when the
 * training targets are classes ({@link dev.nnj.api.data.Dataset#hasClassTargets}); otherwise the step runs no
 * count at all and {@link #correct()} is NaN.
 */
final class EpochSums implements AutoCloseable {
    private final Tensor lossSum;
    /** Null when the targets are not classes: then there is nothing to count. */
    private final Tensor correct;

    EpochSums(Backend backend, boolean countCorrect) {
        lossSum = backend.zeros(1);
        Tensor c;
        try {
            c = countCorrect ? backend.zeros(1) : null;
        } catch (RuntimeException e) {
            lossSum.close();
            throw e;
        }
        correct = c;
    }

    /** Adds a batch's summed loss and correct count; {@code first} resets the sums instead of adding. */
    void add(Backend backend, Loss loss, Tensor output, Tensor targets, boolean first) {
        float beta = first ? 0f : 1f;
        loss.sum(backend, output, targets, beta, lossSum);
        if (correct != null) {
            backend.countCorrect(output, targets, beta, correct);
        }
    }

    /**
     * The running loss sum on the device, for a check that folds itself into it before it is read.
     *
     * @return the size-1 tensor
     */
    Tensor lossSumTensor() {
        return lossSum;
    }

    /** Sum of the per-sample losses since the last reset (one device read). */
    double loss() {
        return lossSum.item();
    }

    /** Correct predictions since the last reset (one device read), or NaN when the targets are not classes. */
    double correct() {
        return correct == null ? Double.NaN : correct.item();
    }

    @Override
    public void close() {
        lossSum.close();
        if (correct != null) {
            correct.close();
        }
    }
}
