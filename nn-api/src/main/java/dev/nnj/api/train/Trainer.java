package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.internal.WarnOnce;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.BatchLoader;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.layers.MemoryPlan;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.spi.Checks;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model: mini-batch (or full-batch) gradient descent over epochs. The loop, the article's:
 * <pre>
 *   for each epoch:
 *       set the learning rate (schedule, per epoch or per batch)
 *       shuffle the training rows (seeded)                    — skipped for a full batch
 *       for each batch (x, y):
 *           a = model.forward(x)                              forward pass
 *           L += loss(a, y)
 *           correct += [class(a) = class(y)]                  — only for class targets, see below
 *           model.backward(loss, y)                           backpropagation, sets ∇θ
 *           clip ∇θ (by global norm or by value)              — only if asked, see GradientClipping
 *           optimizer.step(θ)                                 θ ← update(θ, ∇θ)
 *           listeners' onBatchEnd                             — only those that want batch events
 *       throw DivergenceException if the loss, a gradient or a weight is not finite, or the loss is at the log floor
 *       evaluate on the validation set; record both losses
 *       stop on early stopping, or when a listener asks
 * </pre>
 * Loss and accuracy sums are added on the backend during the epoch and read into doubles every 16 batches and at
 * its end ({@code RunningSum}): an accelerator waits for no read inside most steps, and a float32 total of many
 * batches does not drift. Math: {@code docs/math.md#6-training}.
 *
 * <p><b>Accuracy only for classes.</b> {@code class(a)} is the arg-max of a row (its first maximum) with
 * several outputs and {@code a > 0.5} with one, a binary classifier's. It is counted only when the targets
 * are classes, which each {@link Dataset} knows from its construction ({@link Dataset#hasClassTargets}):
 * one-hot rows, 0/1 values, or labelled rows. For other targets, a regression's real values, the step runs no
 * count and the epoch's accuracy is NaN ({@link EpochStats#hasAccuracy()}), so nothing meaningless is
 * printed; early stopping on {@link EarlyStopping.Monitor#VALIDATION_ACCURACY} over such a validation set is
 * refused before the first epoch. Mean squared error on one-hot targets still counts accuracy.
 *
 * <p><b>Divergence is an error.</b> A loss, gradient or weight that is not finite, or a cross-entropy loss
 * stuck at the clamped-log floor for most samples, ends {@link #fit} with a {@link DivergenceException}
 * naming the epoch, the batch and the first non-finite parameter; the model is left with the weights it had
 * at the start of that epoch. The check costs a device copy of the weights and a reduction per parameter each
 * epoch, no transfer beyond the loss sum read anyway, and nothing per step.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(1000).batchSize(32).seed(0)
 *         .earlyStopping(EarlyStopping.onValidationLoss(20, true))
 *         .listener(System.out::println).build();
 * try (Adam adam = new Adam(1e-3f)) {   // one per model; frees its state (device memory on cuda)
 *     History history = trainer.fit(model, Loss.categoricalCrossEntropy(), adam, train, validation);
 * }
 * }</pre>
 * The trainer closes neither the model nor the optimizer: their owner does (see {@link Optimizer}).
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final EarlyStopping earlyStopping;
    private final List<TrainingListener> listeners;
    private final LearningRateSchedule schedule;
    private final int validationBatchSize;
    private final int initialEpoch;
    private final TrainerProgress progress;
    private final GradientClipping clipping;
    private final ClassWeights classWeights;
    private final float[] sampleWeights;
    private final double validationSplit;
    /** The caller's validation metrics by name, in the order added; empty for none. */
    private final Map<String, ValidationMetric> validationMetrics;

    private Trainer(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.earlyStopping = b.earlyStopping;
        this.listeners = List.copyOf(b.listeners);
        this.schedule = b.schedule;
        this.validationBatchSize = b.validationBatchSize;
        this.initialEpoch = b.initialEpoch;
        this.progress = b.progress;
        this.clipping = b.clipping;
        this.classWeights = b.classWeights;
        this.sampleWeights = b.sampleWeights;
        this.validationSplit = b.validationSplit;
        this.validationMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.validationMetrics));
        if (initialEpoch >= epochs) {
            throw new IllegalArgumentException("initial epoch " + initialEpoch + " must be below the epochs to reach, "
                    + epochs + (initialEpoch > 0 ? "; a run that starts after epoch " + initialEpoch + " (resumed from "
                    + "a checkpoint, or initialEpoch) has no epoch left to train: give epochs(n) above " + initialEpoch
                    + " to train on, or skip training where restored.epoch() >= epochs (the run finished)" : ""));
        }
        TrainerProgress.Best saved = progress.earlyStopping();
        if (saved != null && !saved.fits(initialEpoch)) {
            throw new IllegalArgumentException("the progress to continue has early stopping's best epoch "
                    + saved.epoch() + " and " + saved.epochsSince() + " epochs since, which is not the initial epoch "
                    + initialEpoch + "; resume with the checkpoint's epoch (Builder.resumeFrom)");
        }
    }

    /**
     * A builder with the defaults: 10 epochs, batch 32, shuffled, seed 0, no early stopping, no schedule.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings in a line, for a notebook or a log: {@code Trainer(100 epochs, batches of 32, shuffled with seed
     * 7, early stopping EarlyStopping[...], 2 listeners)}.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Trainer(").append(epochs).append(epochs == 1 ? " epoch" : " epochs");
        if (initialEpoch > 0) {
            s.append(" from epoch ").append(initialEpoch + 1);
        }
        s.append(", batches of ").append(batchSize).append(shuffle ? ", shuffled with seed " + seed : ", in order");
        if (validationSplit > 0) {
            s.append(", validation split ").append(validationSplit);
        }
        if (earlyStopping != null) {
            s.append(", early stopping ").append(earlyStopping);
        }
        if (schedule != null) {
            s.append(", schedule ").append(schedule);
        }
        if (clipping != null) {
            s.append(", ").append(clipping);
        }
        if (classWeights != null) {
            s.append(", class weights");
        }
        if (sampleWeights != null) {
            s.append(", row weights");
        }
        if (!validationMetrics.isEmpty()) {
            s.append(", validation metrics ").append(validationMetrics.keySet());
        }
        if (!listeners.isEmpty()) {
            s.append(", ").append(listeners.size()).append(listeners.size() == 1 ? " listener" : " listeners");
        }
        return s.append(')').toString();
    }

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code validation} (may be null) after every epoch.
     * Before the first step the model is checked against the loss (open, with layers, ending in the activation
     * a cross-entropy needs), both data sets are checked against the loss (finite values; cross-entropy
     * targets in range, see {@link dev.nnj.api.data.Dataset#requireUsableWith}) and the training batch
     * against the backend's memory budget, so bad data or an impossible batch fails before anything changes.
     *
     * <p>Training is confined to one thread: for the whole call, any use of {@code model} from another thread
     * throws {@link dev.nnj.api.model.ConcurrentUseException} (see {@link Sequential}). One Trainer may run fits of
     * different models on several threads at once, but a listener that keeps a run's state ({@link ReduceLROnPlateau},
     * {@link CsvLogger}, {@link ModelCheckpoint}, any {@link ResumableListener}) serves one fit at a time: a second
     * fit given it while the first runs is refused. Build a Trainer with listeners of its own for each such fit.
     *
     * <p>Each listener gets {@link TrainingListener#onTrainingEnd} when the run completes; when it throws after
     * the listeners started, each started listener gets {@link TrainingListener#onTrainingFailed} first.
     *
     * @param model      the network; its parameters are updated in place
     * @param loss       what to minimise
     * @param optimizer  the update rule; its learning rate is the schedule's {@code η₀}. With a schedule the
     *                   optimizer runs each epoch at the scheduled rate and holds {@code η₀} again between epochs
     *                   (while listeners run) and after {@code fit} returns, so that a checkpoint saved then, or a
     *                   second {@code fit} with {@link Builder#initialEpoch}, continues the schedule exactly; the
     *                   rate an epoch ran with is {@link EpochStats#learningRate()}
     * @param train      training rows
     * @param validation rows evaluated after every epoch, or null: none, or with {@link Builder#validationSplit}
     *                   the rows it holds out of {@code train}
     * @return per-epoch losses and accuracies
     * @throws IllegalStateException if the model is closed or has no layers, or a listener that keeps a run's state
     *         is serving another fit
     * @throws IllegalArgumentException if the data's widths do not match the model, a data set is empty, the
     *         loss needs an output activation the model does not end in (softmax for categorical, sigmoid for
     *         binary cross-entropy; see {@link Sequential#requireUsableWith}), early stopping monitors the validation
     *         set but none is given (or accuracy, on targets that are not classes), the learning-rate schedule
     *         defines fewer steps than the epochs (or batches) need, a {@link ReduceLROnPlateau} listener is
     *         combined with a schedule, or a {@link ModelCheckpoint} listener is given another model or optimizer,
     *         or an optimizer that cannot export its state, or with {@link
     *         Builder#validationSplit} a validation set is given too or the split leaves no row on a side (or a class
     *         no training row), or a resumed run held out other validation rows than this one would (another {@link
     *         Builder#validationSplit}, or with one another seed or training set size); all before any listener
     *         starts
     * @throws dev.nnj.api.data.InvalidDataException for data the loss cannot use, naming the set, row and column
     * @throws dev.nnj.api.MemoryBudgetException for a batch whose buffers cannot fit
     * @throws DivergenceException when the loss or a weight stops being finite, or the loss reaches the floor
     * @throws NullPointerException if {@code model}, {@code loss}, {@code optimizer} or {@code train} is null,
     *         naming it: {@code fit: argument 'optimizer' is null}
     */
    public History fit(Sequential model, Loss loss, Optimizer optimizer, Dataset train, Dataset validation) {
        Checks.requireNonNull("fit", "model", model);
        Checks.requireNonNull("fit", "loss", loss);
        Checks.requireNonNull("fit", "optimizer", optimizer);
        Checks.requireNonNull("fit", "train", train);
        ConcurrencyGuard guard = ConcurrencyGuard.of(model);
        guard.enterTraining("fit");
        long forwardsBefore = guard.forwards();
        try {
            return fitConfined(model, loss, optimizer, train, validation);
        } finally {
            if (guard.forwards() != forwardsBefore) {
                guard.activationsDropped();   // no backward follows the run's last forward pass, whatever ended it
            }   // a fit refused before any forward pass leaves what the caller had pending as it was
            guard.exitTraining();
        }
    }

    /**
     * Trains {@code model} on {@code train} without a validation set given: {@code fit(model, loss, optimizer, train,
     * null)}. With {@link Builder#validationSplit} the trainer holds out its validation rows from {@code train}.
     *
     * @param model     the network; its parameters are updated in place
     * @param loss      the loss to minimise
     * @param optimizer the update rule (see {@link #fit(Sequential, Loss, Optimizer, Dataset, Dataset)})
     * @param train     training rows
     * @return per-epoch losses and accuracies
     * @throws IllegalArgumentException as {@link #fit(Sequential, Loss, Optimizer, Dataset, Dataset)} says
     */
    public History fit(Sequential model, Loss loss, Optimizer optimizer, Dataset train) {
        return fit(model, loss, optimizer, train, null);
    }

    private History fitConfined(Sequential model, Loss loss, Optimizer optimizer, Dataset given,
                                Dataset givenValidation) {
        ValidationSplit.Parts rows = heldOut(model, loss, given, givenValidation);
        Dataset train = rows.train();
        Dataset validation = rows.validation();
        checkArguments(model, loss, train, validation);
        TrainerProgress.HeldOut heldOut = new TrainerProgress.HeldOut(validationSplit, seed, given.size());
        requireSameHeldOut(heldOut);
        float[] rowWeights = rowWeights(train, rows.sampleWeights());
        for (TrainingListener l : listeners) {
            if (l instanceof ModelCheckpoint) {
                ((ModelCheckpoint) l).requireTrains(model, optimizer);   // before any listener has started
            }
        }
        List<TrainingListener> claimed = RunStateListeners.claim(listeners);
        try {
            History history = new History(epochs);
            List<TrainingListener> ordered = checkpointsLast(listeners);
            Control control = new Control(model, optimizer, initialEpoch, epochs, ordered, heldOut);
            try {
                return fitRun(model, loss, optimizer, train, validation, rowWeights, history, ordered, control);
            } finally {
                control.best = null;   // closed with the run: a listener's later progress() has no early stopping part
            }
        } finally {
            RunStateListeners.release(claimed);
        }
    }

    /**
     * The run, and the listeners' last call: every listener whose {@code onTrainingStart} returned gets exactly one
     * of {@code onTrainingEnd} (from {@link #fitRun}) or, when {@code fit} is about to throw, {@code
     * onTrainingFailed}, so that one holding resources (device tensors, a progress bar) can free them.
     */
    private History fitRun(Sequential model, Loss loss, Optimizer optimizer, Dataset train, Dataset validation,
                           float[] rowWeights, History history, List<TrainingListener> ordered, Control control) {
        int[] calls = new int[2];   // listeners started, and then ended: those in between get onTrainingFailed
        try {
            return fitRun(model, loss, optimizer, train, validation, rowWeights, history, ordered, control,
                    calls);
        } catch (RuntimeException | Error failure) {
            for (int l = calls[1]; l < calls[0]; l++) {
                try {
                    ordered.get(l).onTrainingFailed(failure);
                } catch (RuntimeException | Error e) {
                    // The run's own failure is what the caller must see; the listener's is kept with it.
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
    }

    /** The run itself: buffers, epochs, listeners, the end; {@link #fitConfined} has checked the arguments. */
    private History fitRun(Sequential model, Loss loss, Optimizer optimizer, Dataset train, Dataset validation,
                           float[] rowWeights, History history, List<TrainingListener> ordered, Control control,
                           int[] calls) {
        Backend backend = model.backend();
        List<Parameter> parameters = model.parameters();
        String stopReason = null;
        try (BatchLoader loader = new BatchLoader(backend, train, batchSize, shuffle, seed, rowWeights);
             EpochSums sums = new EpochSums(backend, train.hasClassTargets());
             ValidationSet validationSet = validation == null ? null
                     : ValidationSet.of(backend, validation, validationBatchSize);
             BestEpoch best = new BestEpoch(earlyStopping, validation, backend, parameters);
             DivergenceGuard guard = new DivergenceGuard(backend, model.layers(), parameters, optimizer,
                     loss, train);
             GradientClipping clip = clipping == null ? null : clipping.fresh()) {
            LearningRates rates = new LearningRates(schedule, optimizer, loader.batchesPerEpoch(), epochs);
            DivergenceGuard.Replay replay = new DivergenceGuard.Replay(model, loss, optimizer, loader, rates, clip,
                    initialEpoch + 1);
            TrainingListener[] batchListeners = BatchEvents.listeners(ordered);
            control.best = best;
            for (TrainingListener l : ordered) {
                l.onTrainingStart(control);
                calls[0]++;
            }
            // The clock of the epochs' elapsed times starts once the listeners have: a log that waits for its pipe's
            // reader there was counted as training (10 s of a 0.6 s run).
            long start = System.nanoTime();
            resume(best, ordered);
            // A run that had stopped early, resumed under the same rule, stops again at once: one more epoch would
            // train past the stop the uninterrupted run made.
            stopReason = best.stoppedAlready(initialEpoch);
            for (int skipped = 1; skipped <= initialEpoch; skipped++) {
                loader.startEpoch();   // replays the shuffles of the epochs already run, so resuming continues the stream
            }
            try {
                for (int epoch = initialEpoch + 1; epoch <= epochs && stopReason == null; epoch++) {
                    guard.beginEpoch();
                    trainOneEpoch(epoch, model, loss, optimizer, loader, sums, rates, clip, batchListeners);
                    guard.foldWeightsInto(sums.lossSum());   // NaN if a weight is not finite, else + 0
                    double trainLoss = sums.loss() / train.size();
                    guard.check(epoch, trainLoss, replay);
                    EpochStats stats = measure(epoch, model, loss, trainLoss, sums, train.size(), validationSet,
                            rates.current(), start);
                    // Between epochs a scheduled optimizer holds η₀ again, so that a checkpoint a listener saves
                    // resumes the schedule from η₀; the stats keep the rate the epoch ran with.
                    rates.restoreInitial();
                    history.record(stats);
                    LOG.debug("{}", stats);
                    // Early stopping's book-keeping first, so that a checkpoint saved by a listener holds this epoch
                    // in it; its verdict after the listeners, which may also ask to stop.
                    String earlyStop = best.update(stats);
                    control.epoch = epoch;
                    for (int l = 0; l < ordered.size(); l++) {   // index: progress() checks who comes after
                        control.calling = l;
                        ordered.get(l).onEpochEnd(stats);
                    }
                    control.calling = -1;
                    stopReason = stopReason(stats, earlyStop, control);
                }
            } finally {
                rates.restoreInitial();   // also after a divergence or a listener's exception
            }
            // Past the checkpoint's epoch even when no epoch ran: a finished run resumed ends as that run did.
            boolean restored = best.restoreIfBehind(Math.max(history.lastEpoch(), initialEpoch));
            history.finish(best.bestEpoch(), stopReason, restored);
        }
        for (TrainingListener l : ordered) {
            calls[1]++;   // ended, even if it throws: it has had its last call
            l.onTrainingEnd(history);
        }
        return history;
    }

    /** The largest row weight {@link #fit} trains with: its gradient, squared, stays within float32. */
    static final float MAX_ROW_WEIGHT = 1e15f;
    /** The smallest largest row weight: all weights below it leave gradients that vanish in float32. */
    static final float MIN_LARGEST_ROW_WEIGHT = 1e-15f;

    /**
     * The rows to train and validate on: those given, or with {@link Builder#validationSplit} the training rows
     * carved into both (the training set checked first, so that an empty one or one of the wrong width is named as
     * such, not as a split that cannot be made).
     */
    private ValidationSplit.Parts heldOut(Sequential model, Loss loss, Dataset train, Dataset validation) {
        if (validationSplit == 0) {
            return new ValidationSplit.Parts(train, validation, sampleWeights);
        }
        if (validation != null) {
            throw new IllegalArgumentException("fit: the trainer holds out validationSplit(" + validationSplit
                    + ") of the training rows as its validation set, and a validation set was given too; pass null "
                    + "for it, or build the trainer without validationSplit to validate on the set given");
        }
        model.requireUsableWith(loss);
        checkData("training", model, train);
        // On the whole set first: a bad value or target is then named by its row in the set the caller gave.
        train.requireUsableWith("training set", loss.targetRules());
        if (earlyStopping != null) {
            earlyStopping.requireMeasuredOn(train, "the training set's targets, which validationSplit("
                    + validationSplit + ") holds the validation rows out of,");
        }
        return ValidationSplit.carve(train, sampleWeights, validationSplit, seed);
    }

    /**
     * Refuses to resume a run that held out other validation rows than this one would: the model has trained on
     * rows this run would validate on (or validated on rows it would train on), and early stopping, the plateau's
     * cuts and the history would judge it on them. Another seed without a split only reorders the shuffles (a warning).
     */
    private void requireSameHeldOut(TrainerProgress.HeldOut now) {
        TrainerProgress.HeldOut then = progress.heldOut();
        if (then == null || then.equals(now)) {
            return;   // a checkpoint that does not record them, or the same rows
        }
        if (then.fraction() != now.fraction() || now.fraction() > 0) {   // other rows held out
            throw new IllegalArgumentException("fit: the run this resumes " + heldOutText(then) + "; this one "
                    + heldOutText(now) + ", and would validate on rows the model has trained on, or train on rows it "
                    + "was validated on: resume with the same validationSplit, seed and training set");
        }
        if (then.seed() != now.seed()) {
            // Allowed (the same rows are held out: none), but no longer the run it continues, and a caller who
            // records the seed would record one the first epochs did not use.
            LOG.warn("fit: the run this resumes was seeded {} and this one {}: its shuffles and dropout go on in "
                    + "another order than the uninterrupted run's, which it will not reproduce; resume with seed({}) "
                    + "to continue that run", then.seed(), now.seed(), then.seed());
        }
    }

    private static String heldOutText(TrainerProgress.HeldOut h) {
        return h.fraction() == 0 ? "held out no validation rows of the " + h.rows() + " training rows given"
                : "held out validationSplit(" + h.fraction() + ") of the " + h.rows() + " training rows given, with "
                + "seed " + h.seed();
    }

    /** Refuses sample weights (when given) that are not one per row of {@code train}. */
    static void requireSampleWeightCount(float[] sampleWeights, Dataset train) {
        if (sampleWeights != null && sampleWeights.length != train.size()) {
            throw new IllegalArgumentException("fit: " + sampleWeights.length + " sample weights for "
                    + train.size() + " training rows; give one per row");
        }
    }

    /**
     * Each training row's weight: its class's ({@link #classWeights}) times its own ({@code ownWeights}, the rows' of
     * {@link #sampleWeights}), either alone, or null for none.
     */
    private float[] rowWeights(Dataset train, float[] ownWeights) {
        requireSampleWeightCount(ownWeights, train);
        float[] byClass = classWeights == null ? null : classWeights.rowWeights(train);
        float[] weights;
        if (byClass == null || ownWeights == null) {
            weights = byClass != null ? byClass : ownWeights;
        } else {
            for (int i = 0; i < byClass.length; i++) {
                byClass[i] *= ownWeights[i];
            }
            weights = byClass;
        }
        if (weights != null) {
            requireTrainableScale(weights);
        }
        if (weights != null && allZero(weights)) {
            // Every gradient would be 0: the run would report its epochs and change nothing.
            throw new IllegalArgumentException("fit: every training row's weight is 0 (" + (ownWeights == null
                    ? "its class weight" : byClass == null ? "its sample weight" : "its sample weight times its class "
                    + "weight") + (validationSplit == 0 ? "" : ", of the rows validationSplit(" + validationSplit
                    + ") leaves to train on") + "), so no row would count and training would change nothing; give "
                    + "some rows a weight above 0");
        }
        return weights;
    }

    /**
     * A row's weight multiplies its gradient, unnormalised (Keras's rule), so weights far from 1 scale every gradient:
     * beyond about 1e15 the squared gradients of Adam, RMSprop and Adagrad overflow float32 and their steps become 0
     * without a word (SGD's steps grow with the weights instead, and diverge); with every weight below about 1e-15 the
     * gradients vanish in float32. Both are refused, for every optimizer, naming the largest weight; dividing the
     * weights by their mean keeps their proportions.
     */
    private static void requireTrainableScale(float[] weights) {
        float largest = 0f;
        for (float w : weights) {
            largest = Math.max(largest, w);
        }
        if (largest > MAX_ROW_WEIGHT || (largest > 0f && largest < MIN_LARGEST_ROW_WEIGHT)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "fit: the largest training row "
                    + "weight is %.3g; a weight multiplies its row's gradient, and training in float32 needs the "
                    + "largest between %.0e and %.0e (%s); divide the weights by their mean, which keeps their "
                    + "proportions", largest, MIN_LARGEST_ROW_WEIGHT, MAX_ROW_WEIGHT, largest > MAX_ROW_WEIGHT
                    ? "beyond it Adam's, RMSprop's and Adagrad's squared gradients overflow and every step is 0"
                    : "below it the gradients vanish"));
        }
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    /** One pass over the training rows: forward, loss and accuracy sums, backward and an update per batch. */
    private static void trainOneEpoch(int epoch, Sequential model, Loss loss, Optimizer optimizer,
                                      BatchLoader loader, EpochSums sums, LearningRates rates,
                                      GradientClipping clip, TrainingListener[] batchListeners) {
        Backend backend = model.backend();
        List<Parameter> parameters = model.parameters();
        loader.startEpoch();
        int batches = loader.batchesPerEpoch();
        for (int b = 0; b < batches; b++) {
            rates.beforeBatch(epoch, b);
            loader.load(b);
            Tensor out = model.forward(loader.features(), true);
            sums.add(backend, loss, out, loader.targets(), b == 0);   // the first batch resets the epoch's sums
            model.backward(loss, loader);   // its targets were checked in the data set, so none is read back
            if (clip != null) {
                clip.apply(backend, parameters);   // between the gradients and the update, as PyTorch users do
            }
            optimizer.step(parameters);
            for (int l = 0; l < batchListeners.length; l++) {   // usually none: then this loop is skipped
                batchListeners[l].onBatchEnd(epoch, b + 1, batches);
            }
        }
    }

    /**
     * Reads the epoch's correct count (what is left of it on the device; NaN, and no read, when the training
     * targets are not classes) and evaluates the validation set.
     */
    private EpochStats measure(int epoch, Sequential model, Loss loss, double trainLoss, EpochSums sums,
                               int trainRows, ValidationSet validationSet, double learningRate, long start) {
        double valLoss = Double.NaN;
        double valAccuracy = Double.NaN;
        double trainAccuracy = sums.correct() / trainRows;
        Map<String, Double> metrics = Map.of();
        if (validationSet != null) {
            Evaluation e = validationSet.evaluate(model, loss);
            valLoss = e.loss();
            valAccuracy = e.accuracy();
            if (!validationMetrics.isEmpty()) {
                metrics = new LinkedHashMap<>();
                for (Map.Entry<String, ValidationMetric> m : validationMetrics.entrySet()) {
                    metrics.put(m.getKey(), measureMetric(m.getKey(), m.getValue(), model, validationSet.data(),
                            epoch));
                }
            }
        }
        return new EpochStats(epoch, epochs, trainLoss, trainAccuracy, valLoss, valAccuracy,
                (System.nanoTime() - start) / 1_000_000, learningRate, metrics);
    }

    /**
     * Whether to stop after this epoch: early stopping's verdict, then a listener's request. (A diverged epoch never
     * gets here: {@link DivergenceGuard} has thrown.)
     *
     * @return the reason to stop, or null to go on
     */
    private static String stopReason(EpochStats stats, String earlyStop, Control control) {
        String reason = earlyStop;
        if (reason == null && control.stopRequested()) {
            reason = control.reason;
        }
        if (reason != null) {
            LOG.debug("stopping at epoch {}: {}", stats.epoch(), reason);
        }
        return reason;
    }

    /**
     * The listeners in the order they were added, {@link ModelCheckpoint}s moved to the end: a checkpoint then holds
     * what every other listener did at the epoch's end (a {@link ReduceLROnPlateau}'s new rate, its count), which is
     * what the next epoch starts from and so what a resumed run must start from.
     */
    private static List<TrainingListener> checkpointsLast(List<TrainingListener> listeners) {
        List<TrainingListener> ordered = new ArrayList<>(listeners.size());
        for (TrainingListener l : listeners) {
            if (!(l instanceof ModelCheckpoint)) {
                ordered.add(l);
            }
        }
        for (TrainingListener l : listeners) {
            if (l instanceof ModelCheckpoint) {
                ordered.add(l);
            }
        }
        return ordered;
    }

    /**
     * The resumable listeners in order, each with the key of its state in a checkpoint: its
     * {@link ResumableListener#stateKey()}, and for the second and later listeners of one key {@code key#2},
     * {@code key#3}, … in the order they were added (a listener added twice counts once).
     */
    private static List<Map.Entry<ResumableListener, String>> stateKeys(List<TrainingListener> listeners) {
        List<Map.Entry<ResumableListener, String>> keys = new ArrayList<>();
        Set<ResumableListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Integer> count = new HashMap<>();
        for (TrainingListener l : listeners) {
            if (l instanceof ResumableListener && seen.add((ResumableListener) l)) {
                ResumableListener r = (ResumableListener) l;
                int n = count.merge(r.stateKey(), 1, Integer::sum);
                keys.add(Map.entry(r, n == 1 ? r.stateKey() : r.stateKey() + "#" + n));
            }
        }
        return keys;
    }

    /** Continues the saved progress: early stopping's, then each resumable listener's own. */
    private void resume(BestEpoch best, List<TrainingListener> ordered) {
        best.resume(progress.earlyStopping(), initialEpoch);
        Map<String, Map<String, String>> states = new HashMap<>(progress.listeners());
        for (Map.Entry<ResumableListener, String> e : stateKeys(ordered)) {
            Map<String, String> state = states.remove(e.getValue());
            if (state != null) {
                e.getKey().restoreState(state);
            } else if (!progress.listeners().isEmpty() || progress.earlyStopping() != null) {
                LOG.info("{} starts afresh: the checkpoint holds no state for it", e.getValue());
            }
        }
        for (String key : states.keySet()) {
            LOG.warn("the checkpoint holds state for a listener '{}' that this run does not have; it is not used", key);
        }
    }

    /**
     * One validation metric's value after {@code epoch}; its failure names it and the epoch, the metric's own
     * exception as the cause (a lambda's stack trace alone says neither).
     */
    private static double measureMetric(String name, ValidationMetric metric, Sequential model, Dataset validation,
                                        int epoch) {
        try {
            return metric.measure(model, validation);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the validation metric '" + name + "' failed after epoch " + epoch + ": "
                    + e, e);
        }
    }

    /** Throws unless the validation metric {@code monitor} watches, if any, is one this trainer computes. */
    private void requireComputed(String who, EarlyStopping.Monitor monitor) {
        if (monitor.metric() != null && !validationMetrics.containsKey(monitor.metric())) {
            throw new IllegalArgumentException(monitor.notComputed(who, validationMetrics.keySet()));
        }
    }

    private void checkArguments(Sequential model, Loss loss, Dataset train, Dataset validation) {
        requireTrainable(model, loss, train, validation, batchSize == 0 ? train.size()
                : Math.min(batchSize, train.size()));
        if (schedule != null) {
            for (TrainingListener l : listeners) {
                if (l instanceof ReduceLROnPlateau) {
                    // The schedule sets the rate before every epoch (or batch): the plateau's cuts would be undone
                    // at once, while its log said they happened.
                    throw new IllegalArgumentException("ReduceLROnPlateau and the learning-rate schedule "
                            + LearningRates.describe(schedule)
                            + " both set the learning rate, and the schedule would undo every reduction; use one");
                }
            }
        }
        if (earlyStopping != null && earlyStopping.monitor().needsValidation() && validation == null) {
            throw new IllegalArgumentException("early stopping monitors " + earlyStopping.monitor()
                    + " but no validation set was given; give one, or hold out part of the training rows with "
                    + "Trainer.builder().validationSplit(0.1)");
        }
        if (!validationMetrics.isEmpty() && validation == null) {
            throw new IllegalArgumentException("the validation metrics " + validationMetrics.keySet() + " are "
                    + "measured on a validation set, and none was given; give one, or hold out part of the training "
                    + "rows with Trainer.builder().validationSplit(0.1)");
        }
        // Before the first epoch, not at its end (or a checkpoint's every-N-th epoch) after training for nothing.
        if (earlyStopping != null) {
            requireComputed("early stopping", earlyStopping.monitor());
        }
        for (TrainingListener l : listeners) {
            if (l instanceof ModelCheckpoint checkpoint) {
                requireComputed("ModelCheckpoint", checkpoint.monitor());
            } else if (l instanceof ReduceLROnPlateau plateau) {
                requireComputed("ReduceLROnPlateau", plateau.monitor());
            }
        }

    }

    /**
     * What must hold before training changes anything, in this order: the model against the loss, each data set's
     * widths against the model (the validation set may be null), its values and targets against the loss, and a
     * batch of {@code batchRows} against the backend's memory. {@link #fit} checks it, and {@link LearningRateFinder}
     * too.
     */
    static void requireTrainable(Sequential model, Loss loss, Dataset train, Dataset validation, int batchRows) {
        // First, so that a closed or empty model is named as such, not as a closed tensor or a width mismatch,
        // and a cross-entropy on outputs that are not probabilities is refused rather than a NaN loss at batch 1.
        model.requireUsableWith(loss);
        checkData("training", model, train);
        if (validation != null) {
            checkData("validation", model, validation);
        }
        // One pass over each data set, before any buffer exists: finite values, targets the loss accepts.
        train.requireUsableWith("training set", loss.targetRules());
        if (validation != null) {
            validation.requireUsableWith("validation set", loss.targetRules());
        }
        // Once a process at WARN: a search fits many models on the same data (then at DEBUG).
        String features = FeatureScale.warning(train);
        if (features != null) {
            WarnOnce.warn(LOG, features);
        }
        String unscaled = regressionTargetsWarning(train, loss);
        if (unscaled != null) {
            WarnOnce.warn(LOG, unscaled);
        }
        MemoryPlan.requireBatch(model.backend(), model.inputWidth(), model.layers(), batchRows, true,
                "training batch");
    }

    /** {@link #unscaledTargets}'s warning when {@code train} holds a regression's targets, or null. */
    static String regressionTargetsWarning(Dataset train, Loss loss) {
        return loss.targetRules() == LossKind.MSE && !train.hasClassTargets()
                ? unscaledTargets(train, loss.label()) : null;
    }

    /**
     * Mean or standard deviation of a target column beyond which a regression's targets are called unscaled: below
     * scikit-learn's diabetes targets (mean 152, standard deviation 77), which an unscaled run trained to test R²
     * -3.08 after 40 epochs and 0.14 after 200, against 0.22 with a target scaler.
     */
    static final double UNSCALED_TARGETS = 100;
    /** Ratio of two target columns' standard deviations beyond which the loss all but ignores the narrow one. */
    static final double TARGET_SPREAD_RATIO = 1e3;
    /** Mean and standard deviation below which, in every target column, the targets all but vanish. */
    static final double VANISHING_TARGETS = 1e-3;

    /**
     * Why a regression's targets would train poorly, or null: a column too coarse in float32
     * ({@link DataChecks#float32Coarse}), a column whose mean or standard deviation is beyond
     * {@value #UNSCALED_TARGETS} in size, columns whose standard deviations differ by more than {@value #TARGET_SPREAD_RATIO} times, or targets
     * that all but vanish (every column's mean and standard deviation below {@value #VANISHING_TARGETS}: targets of
     * 1e-8 trained to R² -3.6e10 in a trial, 0.975 with a target scaler). The
     * squared error's gradient grows with the targets while the last layer starts near 0, so targets of 1e6 trained
     * to predictions near 5 (test R² −14.85 in a trial) and three columns on scales 1, 100 and 0.01 to R² 0.578,
     * where the same runs with a target scaler reached 0.997 and 0.995; PyTorch and scikit-learn say nothing either.
     *
     * @param train rows with real-valued targets
     * @param loss  the loss's label, for the message ({@code mse}, {@code huber}, a custom loss's name)
     * @return the warning, naming the column and the cure, or null when the targets look scaled
     */
    static String unscaledTargets(Dataset train, String loss) {
        int columns = train.targetCount();
        double[][] moments = DataChecks.columnMoments(train.targets(), train.size(), columns, 1);
        double smallest = Double.POSITIVE_INFINITY;
        double largest = 0;
        int smallestAt = 0;
        int largestAt = 0;
        boolean vanishing = true;
        for (int j = 0; j < columns; j++) {
            double mean = moments[0][j];
            double std = Math.sqrt(moments[1][j]);
            String coarse = DataChecks.float32Coarse(mean, std);
            if (coarse != null) {
                return "training set: target column " + j + " " + coarse;
            }
            vanishing &= Math.abs(mean) < VANISHING_TARGETS && std < VANISHING_TARGETS;
            if (Math.abs(mean) > UNSCALED_TARGETS || std > UNSCALED_TARGETS) {
                return String.format(java.util.Locale.ROOT, "training set: target column %d has mean %.4g and "
                        + "standard deviation %.4g: with a regression loss (%s), targets far from unit scale train "
                        + "poorly or diverge; scale them (a StandardScaler fitted on the training targets, saved with "
                        + "the model by Preprocessing.withTargetScaler, which SavedModel.predict undoes)", j, mean,
                        std, loss);
            }
            if (std > 0 && std < smallest) {
                smallest = std;
                smallestAt = j;
            }
            if (std > largest) {
                largest = std;
                largestAt = j;
            }
        }
        if (vanishing && largest > 0) {
            return String.format(java.util.Locale.ROOT, "training set: every target column is within %.0e of 0 "
                    + "(the widest's standard deviation %.4g): the network's first outputs are already larger, and "
                    + "the loss (%s) can hardly tell a good prediction from a bad one; scale them (a StandardScaler "
                    + "on the targets, saved by Preprocessing.withTargetScaler)", VANISHING_TARGETS, largest, loss);
        }
        if (largest > TARGET_SPREAD_RATIO * smallest) {
            return String.format(java.util.Locale.ROOT, "training set: target column %d spreads %.3g times as wide "
                    + "as column %d (standard deviations %.4g and %.4g): the loss (%s) then all but ignores the narrow "
                    + "one; scale each column (a StandardScaler on the targets, saved by "
                    + "Preprocessing.withTargetScaler)", largestAt, largest / smallest, smallestAt, largest, smallest,
                    loss);
        }
        return null;
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

    /**
     * Epochs per run.
     *
     * @return the epoch count
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Rows per step.
     *
     * @return the batch size, 0 for full batch
     */
    public int batchSize() {
        return batchSize;
    }

    /** The {@link TrainingControl} handed to listeners: records a stop request. */
    private static final class Control implements TrainingControl {
        private final Sequential model;
        private final Optimizer optimizer;
        private final int initialEpoch;
        private final int epochs;
        private final List<TrainingListener> listeners;
        private final TrainerProgress.HeldOut heldOut;
        private String reason;
        /** Set once its buffers exist, before the listeners start. */
        private BestEpoch best;
        /** The epoch whose end the listeners are being told of (0 before the first). */
        private int epoch;
        /** The index of the listener being told of the epoch's end, -1 outside that loop. */
        private int calling = -1;
        /** Whether a stale progress has been warned of in this run (once is enough). */
        private boolean warnedStale;

        Control(Sequential model, Optimizer optimizer, int initialEpoch, int epochs, List<TrainingListener> listeners,
                TrainerProgress.HeldOut heldOut) {
            this.model = model;
            this.heldOut = heldOut;
            this.optimizer = optimizer;
            this.initialEpoch = initialEpoch;
            this.epochs = epochs;
            this.listeners = listeners;
        }

        @Override
        public TrainerProgress progress() {
            warnIfStale();
            flushWriters();
            Map<String, Map<String, String>> states = new LinkedHashMap<>();
            for (Map.Entry<ResumableListener, String> e : stateKeys(listeners)) {
                states.put(e.getValue(), e.getKey().saveState());
            }
            return new TrainerProgress(best == null ? null : best.progress(epoch), states, heldOut);
        }

        /**
         * Listeners that hold back what they write ({@link java.io.Flushable}: a {@link CsvLogger} rewrites its file
         * only every few fast epochs) write it out before a checkpoint records the run's progress, so that their files
         * hold every epoch a run resumed from it starts after. Only those that have seen the epoch: a later one's
         * file could not hold it yet either way.
         *
         * @throws UncheckedIOException if one cannot write: the checkpoint is then not saved, as a log that lacked its
         *         epochs would refuse the resumed run
         */
        private void flushWriters() {
            int seen = calling < 0 ? listeners.size() : calling;
            for (TrainingListener l : listeners.subList(0, seen)) {
                if (l instanceof java.io.Flushable) {
                    try {
                        ((java.io.Flushable) l).flush();
                    } catch (java.io.IOException e) {
                        // The listener's own message names its file: "FILE: no space left on device (FILE is as
                        // it was)"; a wrapper's class name would say nothing to the user.
                        throw new UncheckedIOException("before the checkpoint of epoch " + epoch + ", writing "
                                + e.getMessage(), e);
                    }
                }
            }
        }

        /**
         * A listener that saves the progress before a resumable listener has seen the epoch saves that listener's
         * state from the epoch before, and a run resumed from it will not continue exactly; before a listener that
         * holds back what it writes (a {@link CsvLogger}), its file may lack the checkpoint's last epochs: said once,
         * with names.
         * (ModelCheckpoints come last; a listener of one's own that saves checkpoints, or wraps one, may not.)
         */
        private void warnIfStale() {
            if (calling < 0 || warnedStale) {
                return;
            }
            for (TrainingListener later : listeners.subList(calling + 1, listeners.size())) {
                if (later instanceof ResumableListener) {
                    warnedStale = true;
                    LOG.warn("{} took the training progress at the end of epoch {} before {} had seen that epoch: a "
                            + "checkpoint saved now holds that listener's state from the epoch before, and a run "
                            + "resumed from it will not continue exactly; add the listener that saves checkpoints "
                            + "after it", listeners.get(calling), epoch, later);
                    return;
                }
                if (later instanceof java.io.Flushable) {
                    // A log written every few epochs: its file may end epochs before the checkpoint, which a resumed
                    // run's log then refuses to continue.
                    warnedStale = true;
                    LOG.warn("{} took the training progress at the end of epoch {} before {} had seen that epoch: "
                            + "what it writes may lack epochs before the checkpoint saved now, and a run resumed from "
                            + "it refuse to continue it; add the listener that saves checkpoints after it",
                            listeners.get(calling), epoch, later);
                    return;
                }
            }
        }

        @Override
        public void requestStop(String reason) {
            this.reason = reason == null || reason.isEmpty() ? "a listener requested a stop" : reason;
        }

        @Override
        public boolean stopRequested() {
            return reason != null;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public Sequential model() {
            return model;
        }

        @Override
        public int initialEpoch() {
            return initialEpoch;
        }

        @Override
        public int epochs() {
            return epochs;
        }
    }

    /** Options of a {@link Trainer}; defaults: 10 epochs, batch 32, shuffled, seed 0, no early stopping. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed;
        private EarlyStopping earlyStopping;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LearningRateSchedule schedule;
        private int validationBatchSize = 1024;
        private int initialEpoch;
        private TrainerProgress progress = TrainerProgress.NONE;
        private GradientClipping clipping;
        private ClassWeights classWeights;
        private float[] sampleWeights;
        private double validationSplit;
        private final Map<String, ValidationMetric> validationMetrics = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Computes {@code metric} on the validation set after every epoch, under {@code name}: in
         * {@link EpochStats#validationMetric}, {@link History#validationMetric}, a {@link CsvLogger} column
         * {@code val_name}, and for {@link EarlyStopping}, {@link ModelCheckpoint} and {@link ReduceLROnPlateau} to
         * watch ({@link EarlyStopping.Monitor#validationMetric}). Keras's {@code metrics=[...]}; see
         * {@link ValidationMetric} for an example. Needs a validation set: {@code fit} refuses to start without one.
         *
         * @param name   a letter, then letters, digits or underscores; not already added
         * @param metric what to compute
         * @return this builder
         * @throws IllegalArgumentException for an invalid or repeated name
         */
        public Builder validationMetric(String name, ValidationMetric metric) {
            EarlyStopping.Monitor.requireMetricName(name);
            Checks.requireNonNull("validationMetric", "metric", metric);
            if (validationMetrics.containsKey(name)) {
                throw new IllegalArgumentException("a validation metric named '" + name + "' was added already");
            }
            validationMetrics.put(name, metric);
            return this;
        }

        /**
         * Passes over the training set.
         *
         * @param epochs at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code epochs < 1}
         */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * Rows per step; 0 means the full training set in one batch (the article's gradient descent).
         *
         * @param batchSize rows per step, ≥ 0
         * @return this builder
         * @throws IllegalArgumentException if {@code batchSize < 0}
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batch size must be >= 0 (0 = full batch), got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Whether to reshuffle the training rows every epoch.
         *
         * @param shuffle true to shuffle (the default)
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Weights each training row's loss by its class's weight, for imbalanced classes ({@link ClassWeights}:
         * {@code ClassWeights.balanced(train)} for scikit-learn's {@code "balanced"}, or weights of your own). Only
         * the gradient changes; the losses the training reports stay the plain mean. {@code fit} refuses weights
         * whose number of classes is not the training set's, or a training set without class targets.
         *
         * @param classWeights a weight per class, or null for none (the default)
         * @return this builder
         */
        public Builder classWeights(ClassWeights classWeights) {
            this.classWeights = classWeights;
            return this;
        }

        /**
         * Weights each training row's loss by a weight of its own, as Keras's {@code fit(sample_weight=…)} and
         * scikit-learn's {@code sample_weight}: {@code ∂L/∂θ = (1/N) Σ_i w_i ∂ℓ_i/∂θ}. With {@link #classWeights}
         * too, a row's weight is the product of both. Only the gradient changes; the losses the training reports stay
         * the plain mean.
         *
         * @param sampleWeights one weight per row of the training set {@code fit} is given, in its order, finite and
         *                      not negative, not all 0, the largest (times its class weight) between 1e-15 and 1e15
         *                      (copied; {@code fit} refuses them otherwise); null for none
         *                      (the default)
         * @return this builder
         */
        public Builder sampleWeights(float[] sampleWeights) {
            this.sampleWeights = sampleWeights == null ? null : sampleWeights.clone();
            return this;
        }

        /**
         * Holds out a share of the training rows as the validation set, as Keras's {@code validation_split} and
         * scikit-learn's {@code validation_fraction}: {@code fit(model, loss, optimizer, train)} then trains on the
         * rest and evaluates the {@code ceil(fraction · n)} rows held out after every epoch, for the validation loss
         * and accuracy in {@link History}, {@link EarlyStopping} and {@link ReduceLROnPlateau}. The rows are drawn at
         * random with {@link #seed the seed}, stratified when the targets are classes (each class keeps its share, and
         * at least one training row; a class of one row, or a split of fewer rows than classes, leaves some classes
         * out of the validation rows), by the largest-remainder rule of scikit-learn's {@code
         * train_test_split(stratify=y)} (a tie between classes may fall to another class than there; its {@code
         * MLPClassifier(early_stopping=True)} stratifies a binary target only); Keras takes the last rows instead.
         * The same seed and fraction hold out the same rows of the same training set, so a run resumed from a
         * checkpoint validates on the rows it did; the checkpoint records all three, and {@code fit} refuses to
         * resume with others (which would validate on rows the model has trained on). To see which, {@link
         * dev.nnj.api.data.TrainTestSplit#stratified} (on the rows' classes) or {@link
         * dev.nnj.api.data.TrainTestSplit#shuffled} with them gives the split, each part's indices then sorted. {@link
         * #sampleWeights} stay one per row of the set {@code fit} is given; the
         * held-out rows' weights are unused.
         *
         * @param fraction the share held out, in {@code (0, 1)}; 0 for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if {@code fraction} is not 0 and not in {@code (0, 1)} ({@code fit} refuses
         *         a split that leaves no row on a side or a class without a training row, and a validation set
         *         given beside it)
         */
        public Builder validationSplit(double fraction) {
            if (!(fraction == 0 || fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("validation split must be in (0, 1), or 0 for none, got "
                        + fraction);
            }
            this.validationSplit = fraction;
            return this;
        }

        /**
         * Seeds the per-epoch shuffle.
         *
         * @param seed any value; a {@code java.util.Random} seed, of which the low 48 bits count
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Stops when a monitored metric stops improving.
         *
         * @param earlyStopping the rule, or null for none
         * @return this builder
         */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /**
         * Adds a listener; listeners are called in the order they were added, except that {@link ModelCheckpoint}s
         * come after the others, so that what they save is the state the next epoch starts from. (A listener of
         * your own that saves checkpoints, or wraps a {@code ModelCheckpoint}, is not moved: add it last; the
         * trainer warns once when one takes {@link TrainingControl#progress()} before a resumable listener has seen
         * the epoch.)
         *
         * @param listener receives every epoch's stats
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(TrainingListener listener) {
            if (listener == null) {
                throw new NullPointerException("listener");
            }
            listeners.add(listener);
            return this;
        }

        /**
         * Sets the learning rate from a schedule before every epoch or batch ({@link
         * LearningRateSchedule#interval()}); the optimizer's learning rate at the start is its {@code η₀}.
         *
         * @param schedule the schedule, or null for a constant learning rate
         * @return this builder
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Resumes after epoch {@code initialEpoch} (Keras' {@code initial_epoch}): training runs epochs
         * {@code initialEpoch + 1 .. epochs}, with the shuffled order those epochs would have had, so a model and
         * optimizer restored from a checkpoint of epoch {@code k} continue exactly as if training had never stopped.
         * Early stopping and listeners with state start afresh unless {@link #progress progress} is set too:
         * {@link #resumeFrom resumeFrom} sets both.
         *
         * @param initialEpoch epochs already run, {@code 0 <= initialEpoch < epochs}
         * @return this builder
         * @throws IllegalArgumentException if {@code initialEpoch < 0} (one not below the epochs is refused by
         *         {@link #build()})
         */
        public Builder initialEpoch(int initialEpoch) {
            if (initialEpoch < 0) {
                throw new IllegalArgumentException("initial epoch must be >= 0, got " + initialEpoch);
            }
            this.initialEpoch = initialEpoch;
            return this;
        }


        /**
         * Resumes from a restored checkpoint: {@link #initialEpoch initialEpoch} its epoch, and {@link #progress
         * progress} its trainer progress, so that the run continues early stopping and resumable listeners as well as
         * the model, the optimizer and the shuffle order. Use it with the optimizer the checkpoint was restored into
         * and the seed of the run that saved it (another one shuffles in another order, and {@code fit} refuses it
         * where the run held out validation rows).
         *
         * <pre>{@code
         * try (Checkpoint.Restored restored = Checkpoint.restore(dir.resolve(ModelCheckpoint.LAST), backend, adam)) {
         *     trainer = Trainer.builder().epochs(100).seed(7).earlyStopping(rule).resumeFrom(restored).build();
         *     trainer.fit(restored.model(), loss, adam, train, validation);
         * }
         * }</pre>
         *
         * @param restored the checkpoint
         * @return this builder
         * @throws NullPointerException if {@code restored} is null
         */
        public Builder resumeFrom(Checkpoint.Restored restored) {
            if (restored == null) {
                throw new NullPointerException("restored");
            }
            initialEpoch(restored.epoch());
            return progress(restored.progress());
        }

        /**
         * Resumes from a checkpoint restored into a model built in code ({@link Checkpoint#restoreInto}), as {@link
         * #resumeFrom(Checkpoint.Restored)} does from one that rebuilt its own: {@link #initialEpoch initialEpoch} and
         * {@link #progress progress} from the checkpoint. Use it with the model and the optimizer restored into and
         * the seed of the run that saved it (as {@link #resumeFrom(Checkpoint.Restored)} says).
         *
         * @param resumed where the checkpoint's run stood
         * @return this builder
         * @throws NullPointerException if {@code resumed} is null
         */
        public Builder resumeFrom(Checkpoint.Resumed resumed) {
            if (resumed == null) {
                throw new NullPointerException("resumed");
            }
            initialEpoch(resumed.epoch());
            return progress(resumed.progress());
        }

        /**
         * Continues a saved trainer progress (see {@link #resumeFrom resumeFrom}, which sets it with the epoch):
         * early stopping's best epoch and patience, when this trainer's rule watches the same metric, and each {@link
         * ResumableListener}'s state, given to it after {@link TrainingListener#onTrainingStart
         * TrainingListener.onTrainingStart}.
         *
         * @param progress the progress; {@link TrainerProgress#NONE} (the default) starts both afresh
         * @return this builder
         * @throws NullPointerException if {@code progress} is null
         */
        public Builder progress(TrainerProgress progress) {
            if (progress == null) {
                throw new NullPointerException("progress");
            }
            this.progress = progress;
            return this;
        }

        /**
         * Rows per batch (default 1024) for a validation set too large to keep on the device whole; a smaller
         * one is uploaded once and evaluated in one batch after each epoch.
         *
         * @param validationBatchSize rows per evaluation batch, ≥ 1
         * @return this builder
         * @throws IllegalArgumentException if {@code validationBatchSize < 1}
         */
        public Builder validationBatchSize(int validationBatchSize) {
            if (validationBatchSize < 1) {
                throw new IllegalArgumentException("validation batch size must be positive, got "
                        + validationBatchSize);
            }
            this.validationBatchSize = validationBatchSize;
            return this;
        }

        /**
         * Clips the gradients by their global norm after each backward pass, before the optimizer step, as
         * {@code torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm)} (see {@link GradientClipping}).
         * Replaces any clipping set before.
         *
         * @param maxNorm the largest global gradient norm; finite and {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxNorm} is not finite and positive
         */
        public Builder clipGradientNorm(double maxNorm) {
            this.clipping = GradientClipping.byNorm(maxNorm);
            return this;
        }

        /**
         * Clamps every gradient element to {@code [-limit, limit]} after each backward pass, before the optimizer
         * step, as {@code torch.nn.utils.clip_grad_value_(model.parameters(), limit)}. Replaces any clipping set
         * before.
         *
         * @param limit the largest magnitude of a gradient element; finite and {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is not finite and positive
         */
        public Builder clipGradientValue(double limit) {
            this.clipping = GradientClipping.byValue(limit);
            return this;
        }

        /**
         * A trainer with these options.
         *
         * @return the trainer
         * @throws IllegalArgumentException if the initial epoch is not below the epochs
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
