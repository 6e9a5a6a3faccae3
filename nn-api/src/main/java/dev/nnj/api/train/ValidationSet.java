package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;

/**
 * The validation set of one training run, evaluated after every epoch. A set up to
 * {@link #RESIDENT_FLOATS} floats is uploaded once and evaluated in one batch; a larger one is evaluated in
 * batches from the host.
 */
final class ValidationSet implements AutoCloseable {
    /** Validation sets up to this many floats are uploaded once and evaluated in one batch. */
    static final long RESIDENT_FLOATS = 1L << 24;

    private final Dataset data;
    private final int batchSize;
    private final Tensor features;
    private final Tensor targets;

    private ValidationSet(Dataset data, int batchSize, Tensor features, Tensor targets) {
        this.data = data;
        this.batchSize = batchSize;
        this.features = features;
        this.targets = targets;
    }

    /** The rows, for the validation metrics ({@link ValidationMetric}), which predict them themselves. */
    Dataset data() {
        return data;
    }

    /** Prepares {@code data} (not null) for evaluation on {@code backend}. */
    static ValidationSet of(Backend backend, Dataset data, int batchSize) {
        if ((long) data.size() * (data.featureCount() + data.targetCount()) > RESIDENT_FLOATS) {
            return new ValidationSet(data, batchSize, null, null);
        }
        Tensor x = backend.tensor(data.features(), data.size(), data.featureCount());
        try {
            return new ValidationSet(data, batchSize, x,
                    backend.tensor(data.targets(), data.size(), data.targetCount()));
        } catch (RuntimeException e) {
            x.close();
            throw e;
        }
    }

    /**
     * Mean loss of {@code model} on this set, computed now, and accuracy when the set's targets are classes
     * (known from the data set, so the resident targets are never read back).
     */
    Evaluation evaluate(Sequential model, Loss loss) {
        return features != null ? model.evaluate(features, targets, loss, data.hasClassTargets())
                : model.evaluate(data, loss, batchSize);
    }

    @Override
    public void close() {
        if (features != null) {
            features.close();
            targets.close();
        }
    }
}
