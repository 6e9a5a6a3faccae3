package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.internal.RunningSum;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.BatchLoader;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns divergence into a {@link DivergenceException} while keeping its checks out of the training step.
 *
 * <p>Per epoch, on the healthy path, it costs one device copy of the weights and of the optimizer's state, and
 * one small reduction per parameter, and no transfer at all:
 * <ol>
 *   <li>{@link #beginEpoch()} copies every parameter into a snapshot allocated once (device to device, no
 *       host transfer), has the optimizer {@link Optimizer#markState() mark} its state the same way, and notes
 *       how many masks each {@link Dropout} layer has drawn;</li>
 *   <li>{@link #foldWeightsInto} adds {@code Σ (w − w)²} over every weight to the epoch's loss sum on the
 *       device before the trainer reads it: exactly 0 when all weights are finite, so the loss is unchanged,
 *       and NaN as soon as one is NaN or ±∞ (a gradient that is not finite makes the weights it updates so);</li>
 *   <li>{@link #check} looks at that mean training loss, which the trainer reads anyway.</li>
 * </ol>
 * Only when the check fails does it spend more: it downloads the weights to name the first non-finite
 * parameter, puts the snapshot back and rewinds the optimizer and the dropout masks, replays the epoch's batches
 * in the same order from there with a check after each (loss, gradients, weights) to name the batch, and puts
 * them back again. So the replay computes what the epoch computed, the same masks included, and the batch it
 * names is the original run's; and the
 * optimizer is left with the weights, not with the NaN momenta the epoch ended with, so that training can go on
 * from there at a lower learning rate. An optimizer that cannot rewind ({@code markState()} false: one of the
 * caller's own) replays from the state it diverged with, and is {@link Optimizer#close() closed} at the end,
 * which resets it to a fresh one.
 *
 * <p>A loss "at the floor": cross-entropy takes {@code log p} as {@code max(log p, LOG_FLOOR)}, so a network
 * whose outputs have saturated to 0 for the true class stops at a finite loss of {@code −LOG_FLOOR = 100}
 * per sample instead of ∞, and its gradients vanish. A mean training loss of at least
 * {@link #FLOOR_FRACTION}{@code · 100} means the average sample predicts its class with probability
 * {@code e^−50 ≈ 2·10⁻²²} or less — no model that is learning gets there, so it is reported as divergence.
 */
final class DivergenceGuard implements AutoCloseable {
    /** Fraction of the per-sample floor ({@code −LOG_FLOOR}) at or above which a cross-entropy loss diverged. */
    static final double FLOOR_FRACTION = 0.5;
    /** The squared error whose sum over a weight against itself, {@code Σ (w − w)²}, {@link #foldWeightsInto} adds. */
    private static final Loss SQUARES = Loss.meanSquaredError();

    private final Backend backend;
    private final List<Parameter> parameters;
    private final Optimizer optimizer;
    /** Whether the optimizer marked its state at this epoch's start, so that it can be rewound with the weights. */
    private boolean optimizerMarked;
    private final Loss loss;
    /** The built-in kind, or null for a custom loss (which has no log floor to watch). */
    private final LossKind kind;
    /**
     * The training rows, whose targets the message names too where {@link Trainer#unscaledTargets} warns of them:
     * looked at only when training diverges, not on every fit.
     */
    private final Dataset train;
    private final Tensor[] snapshot;
    private final Tensor scratch;
    /** The model's dropout layers, and how many masks each had drawn when the epoch began. */
    private final Dropout[] dropouts;
    private final long[] masksAtStart;

    DivergenceGuard(Backend backend, List<Layer> layers, List<Parameter> parameters, Optimizer optimizer,
                    Loss loss, Dataset train) {
        this.backend = backend;
        this.parameters = parameters;
        List<Dropout> found = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Dropout d) {
                found.add(d);
            }
        }
        this.dropouts = found.toArray(new Dropout[0]);
        this.masksAtStart = new long[dropouts.length];
        this.optimizer = optimizer;
        this.loss = loss;
        this.kind = loss.kind();
        this.train = train;
        this.snapshot = new Tensor[parameters.size()];
        Tensor s = null;
        try {
            for (int i = 0; i < snapshot.length; i++) {
                snapshot[i] = backend.zeros(parameters.get(i).shape());
            }
            s = backend.zeros(1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.scratch = s;
    }

    /**
     * Saves the weights and the optimizer state the epoch starts from (device copies, allocated once), and where
     * each dropout layer's mask stream stands.
     */
    void beginEpoch() {
        for (int i = 0; i < snapshot.length; i++) {   // index loop: no iterator per epoch
            backend.copy(parameters.get(i).value(), snapshot[i]);
        }
        optimizerMarked = optimizer.markState();
        for (int i = 0; i < dropouts.length; i++) {
            masksAtStart[i] = dropouts[i].masksDrawn();
        }
    }

    /**
     * Checks the epoch that just ran; on divergence restores the epoch's starting weights and throws.
     *
     * @param epoch     1-based epoch that just ran
     * @param trainLoss its mean training loss
     * @param replay    what is needed to replay the epoch batch by batch
     * @throws DivergenceException when the loss or a weight is not finite, or the loss is at the floor
     */
    void check(int epoch, double trainLoss, Replay replay) {
        String what;
        if (!Double.isFinite(trainLoss)) {
            what = "the training loss is " + trainLoss;
        } else if (atLogFloor(kind, trainLoss)) {
            what = String.format(Locale.ROOT, "the mean training loss %.4g is at least half the clamped-log floor "
                    + "(%.0f for a sample whose class gets probability 0): the outputs have saturated, most of them "
                    + "wrong",
                    trainLoss, -LossKind.LOG_FLOOR);
        } else {
            return;
        }
        String parameter = firstNonFiniteParameter();
        if (parameter != null && !Double.isFinite(trainLoss)) {
            // The loss sum also carries the weights' check: it may be the weights that are not finite.
            what = "the training loss or a weight is not finite (loss " + trainLoss + ")";
        }
        restore();
        int batch = 0;
        String during = null;
        String beforeItsUpdate = null;   // "loss" or "gradient": what the replayed batch found not finite
        if (!Double.isFinite(trainLoss) || parameter != null) {
            try {
                Finding f = replay.locate(this, epoch);
                if (f != null) {
                    batch = f.batch;
                    during = f.what;
                    beforeItsUpdate = f.beforeItsUpdate;
                    if (f.parameter != null) {
                        // By the end of the epoch a NaN has spread through backpropagation to every
                        // parameter; the replay saw where it started.
                        parameter = f.parameter;
                    }
                }
            } finally {
                restore();
            }
        }
        if (!optimizerMarked) {
            optimizer.close();   // its state may hold the epoch's NaNs, and it cannot go back: start it afresh
        }
        StringBuilder m = new StringBuilder("training diverged at epoch ").append(epoch);
        if (batch > 0) {
            m.append(", batch ").append(batch).append(" of ").append(replay.batches());
        }
        m.append(": ").append(what);
        if (during != null) {
            m.append(" (replayed: ").append(during).append(')');
        }
        if (parameter != null) {
            m.append("; first non-finite parameter ").append(parameter);
        }
        m.append(optimizerMarked ? "; weights and optimizer state restored to the start of epoch "
                : "; weights restored to the start of epoch ").append(epoch);
        if (!optimizerMarked) {
            m.append(", optimizer reset");
        }
        // A regression's squared error grows with its targets' scale: targets of 1e3 and up diverge under a rate
        // that fits unit-scale ones, and a rate small enough for them never fits them. Scaling them is the cure,
        // named only where the targets are far from unit scale: scaled ones (a target scaler's) need no advice.
        boolean unscaled = kind == LossKind.MSE && Trainer.regressionTargetsWarning(train, loss) != null;
        String targets = unscaled ? "; with mean squared error, targets far from unit scale do this too: scale them "
                + "(a StandardScaler on the targets, saved with Preprocessing.withTargetScaler)" : "";
        // The first batch of the run's first epoch is computed from the weights fit started with.
        boolean beforeAnyUpdate = beforeItsUpdate != null && batch == 1 && epoch == replay.firstEpoch();
        if (beforeAnyUpdate) {
            // No update has run yet, so a smaller step cannot help; the data's scale, the loss's domain, or a custom
            // part's derivative can.
            m.append(" (the ").append(beforeItsUpdate).append(" was not finite before the first update, so the "
                    + "learning rate is not the cause: look for features, targets or weights too large for float32, "
                    + "outputs outside the loss's domain, or a custom loss's gradient or activation's derivative "
                    + "that is not finite there").append(targets).append(')');
        } else if (parameter == null && Double.isFinite(trainLoss)) {
            // Saturated, not overflowed: steps too large, or inputs on scales that saturate the first layer.
            m.append(" (lower the learning rate, or scale the features?").append(weightDecayHint()).append(targets)
                    .append(')');
        } else if ("gradient".equals(beforeItsUpdate)) {
            // Weights grown large can overflow a gradient; so can a custom part's derivative, whatever the rate.
            m.append(" (lower the learning rate?").append(weightDecayHint()).append(targets).append("; the batch's "
                    + "loss was finite and its gradient not: with a custom loss or activation, check its gradient or "
                    + "derivative there too)");
        } else {
            m.append(" (lower the learning rate?").append(weightDecayHint()).append(targets).append(')');
        }
        throw new DivergenceException(m.toString(), epoch, batch, parameter, trainLoss);
    }

    /**
     * The weight decay's part, when it is large enough to be the cause: decay alone moves a weight by
     * {@code w ← (1 − ηλ) w} per step (SGD's L2 term, AdamW's decoupled decay), which grows without bound once
     * {@code ηλ > 2}, whatever the gradients.
     *
     * @return a clause for the message, or "" when the decay is small or the optimizer has none
     */
    private String weightDecayHint() {
        String recorded = optimizer.hyperparameters().get("weight_decay");
        if (recorded == null) {
            return "";
        }
        double lambda;
        try {
            lambda = Double.parseDouble(recorded);
        } catch (NumberFormatException notANumber) {
            return "";
        }
        double product = (double) optimizer.learningRate() * lambda;
        return product > 2 ? String.format(java.util.Locale.ROOT, "; or the weight decay: λ = %s at η = %s makes "
                + "ηλ = %.4g, and a step of plain decay, w ← (1 − ηλ) w, grows every weight once ηλ > 2",
                recorded, optimizer.learningRate(), product) : "";
    }

    /**
     * Whether a mean loss sits at the clamped-log floor; never for MSE, which has no floor.
     *
     * @param kind the loss
     * @param mean the mean loss per sample
     * @return true for a cross-entropy loss of at least {@link #FLOOR_FRACTION} of the floor
     */
    static boolean atLogFloor(LossKind kind, double mean) {
        return kind != null && kind != LossKind.MSE && mean >= FLOOR_FRACTION * -LossKind.LOG_FLOOR;
    }

    /**
     * Adds {@code Σ_w (w − w)²} to {@code lossSum} on the device: {@code x + 0 = x} exactly while every weight is
     * finite, NaN once one is not. So the one read of the loss sum the trainer makes anyway also checks the
     * weights, with no transfer of its own.
     *
     * @param lossSum the epoch's running loss sum
     */
    void foldWeightsInto(RunningSum lossSum) {
        for (int i = 0; i < parameters.size(); i++) {   // index loop: no iterator per epoch
            Tensor w = parameters.get(i).value();
            lossSum.addLoss(SQUARES, backend, w, w);
        }
    }

    /** The name of the first parameter holding a NaN or ±∞ (downloads every parameter: failure path only). */
    String firstNonFiniteParameter() {
        for (Parameter p : parameters) {
            if (firstNonFinite(p.read()) >= 0) {
                return p.name();
            }
        }
        return null;
    }

    /** The first parameter whose gradient holds a NaN or ±∞, or null. */
    String firstNonFiniteGradient() {
        for (Parameter p : parameters) {
            if (firstNonFinite(p.readGradient()) >= 0) {
                return p.name();
            }
        }
        return null;
    }

    /** Mean loss of one batch, read at once (replay only). */
    double batchLoss(Tensor output, Tensor targets) {
        loss.sum(backend, output, targets, 0f, scratch);
        return scratch.item() / output.rows();
    }

    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Puts the epoch's starting weights back, the optimizer's state when it marked it, and each dropout layer's
     * mask stream where it stood, so that the next training step draws the epoch's first masks again.
     */
    void restore() {
        for (int i = 0; i < snapshot.length; i++) {
            backend.copy(snapshot[i], parameters.get(i).value());
        }
        ConcurrencyGuard guard = ConcurrencyGuard.of(parameters);
        if (guard != null) {
            guard.activationsDropped();   // the forward pass that diverged gets no backward
        }
        if (optimizerMarked) {
            optimizer.rewindState();
        }
        for (int i = 0; i < dropouts.length; i++) {
            dropouts[i].resumeMasks(dropouts[i].maskSeed(), masksAtStart[i]);
        }
    }

    @Override
    public void close() {
        for (Tensor t : snapshot) {
            if (t != null) {
                t.close();
            }
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    /** Where the replay first saw a non-finite value. */
    static final class Finding {
        final int batch;
        final String what;
        final String parameter;
        /**
         * What the batch computed before its update that was not finite, {@code "loss"} or {@code "gradient"}, or
         * null when the update made a weight so.
         */
        final String beforeItsUpdate;

        Finding(int batch, String what, String parameter, String beforeItsUpdate) {
            this.batch = batch;
            this.what = what;
            this.parameter = parameter;
            this.beforeItsUpdate = beforeItsUpdate;
        }
    }

    /**
     * The diverged epoch, replayed from the restored weights in the same batch order, checking the loss, the
     * gradients and the weights after every batch.
     */
    static final class Replay {
        private final Sequential model;
        private final Loss loss;
        private final Optimizer optimizer;
        private final BatchLoader loader;
        private final LearningRates rates;
        /** The epoch's gradient clipping, or null: the replay steps as the epoch did. */
        private final GradientClipping clip;
        private final int firstEpoch;

        /**
         * @param clip       the run's gradient clipping, or null for none
         * @param firstEpoch the first epoch this run trains ({@code initialEpoch + 1}): its first batch sees the
         *                   weights the run started with, before any update
         */
        Replay(Sequential model, Loss loss, Optimizer optimizer, BatchLoader loader, LearningRates rates,
               GradientClipping clip, int firstEpoch) {
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
            this.loader = loader;
            this.rates = rates;
            this.clip = clip;
            this.firstEpoch = firstEpoch;
        }

        int batches() {
            return loader.batchesPerEpoch();
        }

        int firstEpoch() {
            return firstEpoch;
        }

        /** Runs the batches (the loader keeps the epoch's order until the next epoch starts). */
        Finding locate(DivergenceGuard guard, int epoch) {
            List<Parameter> parameters = model.parameters();
            for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                rates.beforeBatch(epoch, b);
                loader.load(b);
                Tensor out = model.forward(loader.features(), true);
                double l = guard.batchLoss(out, loader.targets());
                if (!Double.isFinite(l)) {
                    return new Finding(b + 1, "the loss of batch " + (b + 1) + " is " + l, null, "loss");
                }
                model.backward(loss, loader);
                String g = guard.firstNonFiniteGradient();
                if (g != null) {
                    return new Finding(b + 1, "the gradient of " + g + " is not finite", g, "gradient");
                }
                if (clip != null) {
                    clip.apply(model.backend(), parameters);   // as the epoch did, between backward and the step
                }
                optimizer.step(parameters);
                String w = guard.firstNonFiniteParameter();
                if (w != null) {
                    return new Finding(b + 1, w + " is not finite after the update", w, null);
                }
            }
            return null;
        }
    }
}
