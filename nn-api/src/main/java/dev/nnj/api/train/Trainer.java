package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Parameter;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch (or full-batch) gradient descent over epochs, the article's training loop:
 * <pre>
 *   for each epoch:
 *       shuffle the training rows (seeded)                    — skipped for a full batch
 *       for each batch (x, y):
 *           a = model.forward(x)                              forward pass
 *           L += loss(a, y);  correct += [argmax a = argmax y]
 *           model.backward(loss, y)                           backpropagation, sets ∇θ
 *           optimizer.step(θ)                                 θ ← update(θ, ∇θ)
 *       evaluate on the validation set; record both losses; early stopping
 * </pre>
 * Loss and accuracy sums stay on the backend during the epoch and are read once at its end, so an
 * accelerator is never synchronised inside a step.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(1000).batchSize(32).seed(0)
 *         .earlyStopping(EarlyStopping.onValidationLoss(20, true))
 *         .listener(System.out::println).build();
 * History history = trainer.fit(model, Loss.categoricalCrossEntropy(), new Adam(1e-3f), train, test);
 * }</pre>
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Validation sets up to this many floats are uploaded once and evaluated in one batch. */
    private static final long RESIDENT_VALIDATION_FLOATS = 1L << 24;

    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final EarlyStopping earlyStopping;
    private final TrainingListener listener;
    private final int validationBatchSize;

    private Trainer(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.earlyStopping = b.earlyStopping;
        this.listener = b.listener;
        this.validationBatchSize = b.validationBatchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code validation} (may be null) after every epoch.
     *
     * <p>Training is confined to one thread: for the whole call, any use of {@code model} from another thread
     * throws {@link dev.nnj.api.model.ConcurrentUseException} (see {@link Sequential}).
     *
     * @return per-epoch losses and accuracies
     */
    public History fit(Sequential model, Loss loss, Optimizer optimizer, Dataset train, Dataset validation) {
        ConcurrencyGuard guard = ConcurrencyGuard.of(model);
        guard.enterTraining("fit");
        try {
            return fitConfined(model, loss, optimizer, train, validation);
        } finally {
            guard.exitTraining();
        }
    }

    private History fitConfined(Sequential model, Loss loss, Optimizer optimizer, Dataset train,
                                Dataset validation) {
        checkData("training", model, train);
        if (validation != null) {
            checkData("validation", model, validation);
        }
        if (earlyStopping != null && earlyStopping.monitor().needsValidation() && validation == null) {
            throw new IllegalArgumentException("early stopping monitors " + earlyStopping.monitor()
                    + " but no validation set was given");
        }
        Backend backend = model.backend();
        History history = new History(epochs);
        List<Parameter> parameters = model.parameters();
        long start = System.nanoTime();
        double best = Double.NaN;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        Tensor[] bestWeights = null;
        Tensor[] resident = null;
        try (BatchLoader loader = new BatchLoader(backend, train, batchSize, shuffle, seed);
             Tensor lossSum = backend.zeros(1);
             Tensor correct = backend.zeros(1)) {
            if (validation != null && (long) validation.size()
                    * (validation.featureCount() + validation.targetCount()) <= RESIDENT_VALIDATION_FLOATS) {
                resident = new Tensor[] {
                    backend.tensor(validation.features(), validation.size(), validation.featureCount()),
                    backend.tensor(validation.targets(), validation.size(), validation.targetCount())};
            }
            if (earlyStopping != null && earlyStopping.restoreBestWeights()) {
                bestWeights = new Tensor[parameters.size()];
                for (int i = 0; i < bestWeights.length; i++) {
                    bestWeights[i] = backend.zeros(parameters.get(i).shape());
                }
            }
            int batches = loader.batchesPerEpoch();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                loader.startEpoch();
                for (int b = 0; b < batches; b++) {
                    loader.load(b);
                    Tensor out = model.forward(loader.features(), true);
                    float beta = b == 0 ? 0f : 1f;   // the first batch resets the epoch's sums
                    backend.lossSum(loss.kind(), out, loader.targets(), beta, lossSum);
                    backend.countCorrect(out, loader.targets(), beta, correct);
                    model.backward(loss, loader.targets());
                    optimizer.step(parameters);
                }
                double trainLoss = (double) lossSum.item() / train.size();
                double trainAccuracy = (double) correct.item() / train.size();
                double valLoss = Double.NaN;
                double valAccuracy = Double.NaN;
                if (validation != null) {
                    Evaluation e = resident != null ? model.evaluate(resident[0], resident[1], loss)
                            : model.evaluate(validation, loss, validationBatchSize);
                    valLoss = e.loss();
                    valAccuracy = e.accuracy();
                }
                EpochStats stats = new EpochStats(epoch, epochs, trainLoss, trainAccuracy, valLoss, valAccuracy,
                        (System.nanoTime() - start) / 1_000_000);
                history.record(stats);
                LOG.debug("{}", stats);
                if (listener != null) {
                    listener.onEpochEnd(stats);
                }
                if (!Double.isFinite(trainLoss)) {
                    LOG.warn("training loss is {} at epoch {}; stopping (lower the learning rate?)", trainLoss, epoch);
                    stoppedEarly = true;
                    break;
                }
                if (earlyStopping == null) {
                    bestEpoch = epoch;
                    continue;
                }
                double value = earlyStopping.monitor().read(stats);
                if (earlyStopping.improves(value, best)) {
                    best = value;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    if (bestWeights != null) {
                        for (int i = 0; i < bestWeights.length; i++) {
                            backend.copy(parameters.get(i).value(), bestWeights[i]);
                        }
                    }
                } else if (++sinceBest >= earlyStopping.patience()) {
                    stoppedEarly = true;
                    LOG.debug("early stopping at epoch {}: no improvement of {} for {} epochs (best {} at epoch {})",
                            epoch, earlyStopping.monitor(), sinceBest, best, bestEpoch);
                    break;
                }
            }
            boolean restored = false;
            if (bestWeights != null && bestEpoch > 0 && bestEpoch < history.epochs()) {
                for (int i = 0; i < bestWeights.length; i++) {
                    backend.copy(bestWeights[i], parameters.get(i).value());
                }
                restored = true;
            }
            history.finish(bestEpoch, stoppedEarly, restored);
        } finally {
            closeAll(bestWeights);
            closeAll(resident);
        }
        if (listener != null) {
            listener.onTrainingEnd(history);
        }
        return history;
    }

    private static void closeAll(Tensor[] tensors) {
        if (tensors != null) {
            for (Tensor t : tensors) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    private static void checkData(String role, Sequential model, Dataset data) {
        if (data.featureCount() != model.inputWidth()) {
            throw new IllegalArgumentException(role + " set has " + data.featureCount()
                    + " features, the model takes " + model.inputWidth());
        }
        if (data.targetCount() != model.outputWidth()) {
            throw new IllegalArgumentException(role + " set has " + data.targetCount()
                    + " target columns, the model outputs " + model.outputWidth());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(role + " set is empty");
        }
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Options of a {@link Trainer}; defaults: 10 epochs, batch 32, shuffled, seed 0, no early stopping. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed;
        private EarlyStopping earlyStopping;
        private TrainingListener listener;
        private int validationBatchSize = 1024;

        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Rows per step; 0 means the full training set in one batch (the article's gradient descent). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batch size must be >= 0 (0 = full batch), got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seeds the per-epoch shuffle. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        /** Batch size for validation sets too large to keep on the device whole. */
        public Builder validationBatchSize(int validationBatchSize) {
            if (validationBatchSize < 1) {
                throw new IllegalArgumentException("validation batch size must be positive, got "
                        + validationBatchSize);
            }
            this.validationBatchSize = validationBatchSize;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
