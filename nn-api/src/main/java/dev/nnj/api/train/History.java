package dev.nnj.api.train;

import java.util.Arrays;

/**
 * Per-epoch record of a training run: the article's Trainer keeps both the training and the validation
 * loss lists; this keeps accuracies too. Arrays have {@link #epochs()} entries, entry {@code i} for epoch
 * {@code firstEpoch() + i}: epoch 1 first, or {@code initialEpoch + 1} for a run resumed with
 * {@link Trainer.Builder#initialEpoch}.
 * An accuracy is recorded only for a set whose targets are classes; otherwise its entries are NaN and
 * {@link #hasAccuracy()} or {@link #hasValidationAccuracy()} says so (see {@link EpochStats}). Losses and accuracies
 * are kept as float32, the backends' precision: the double each {@link EpochStats} carries, rounded once.
 */
public final class History {
    private float[] trainLoss;
    private float[] trainAccuracy;
    private float[] validationLoss;
    private float[] validationAccuracy;
    private double[] learningRate;
    /** Each validation metric's values, by name in the order added; empty without metrics. */
    private final java.util.Map<String, float[]> validationMetrics = new java.util.LinkedHashMap<>();
    private int epochs;
    private int firstEpoch;
    private int bestEpoch;
    private boolean stoppedEarly;
    private boolean restoredBest;
    private String stopReason = "";
    private long elapsedMillis;

    /** Epochs the arrays hold before they first grow. */
    private static final int INITIAL_CAPACITY = 1024;

    /**
     * @param epochs the most epochs the run may record; the arrays start at no more than {@value #INITIAL_CAPACITY}
     *               and grow as epochs are recorded, since a run given 100,000,000 epochs (with early stopping, or
     *               stopped by hand) would otherwise take 2.4 GB before its first
     */
    History(int epochs) {
        int capacity = Math.max(1, Math.min(epochs, INITIAL_CAPACITY));
        trainLoss = new float[capacity];
        trainAccuracy = new float[capacity];
        validationLoss = new float[capacity];
        validationAccuracy = new float[capacity];
        learningRate = new double[capacity];
    }

    void record(EpochStats s) {
        if (epochs == 0) {
            firstEpoch = s.epoch();
        }
        if (epochs == trainLoss.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * epochs);
            trainLoss = Arrays.copyOf(trainLoss, grown);
            trainAccuracy = Arrays.copyOf(trainAccuracy, grown);
            validationLoss = Arrays.copyOf(validationLoss, grown);
            validationAccuracy = Arrays.copyOf(validationAccuracy, grown);
            learningRate = Arrays.copyOf(learningRate, grown);
            validationMetrics.replaceAll((name, values) -> Arrays.copyOf(values, grown));
        }
        trainLoss[epochs] = (float) s.trainLoss();
        trainAccuracy[epochs] = (float) s.trainAccuracy();
        validationLoss[epochs] = (float) s.validationLoss();
        validationAccuracy[epochs] = (float) s.validationAccuracy();
        learningRate[epochs] = s.learningRate();
        for (java.util.Map.Entry<String, Double> m : s.validationMetrics().entrySet()) {
            float[] values = validationMetrics.get(m.getKey());
            if (values == null) {
                values = new float[trainLoss.length];
                Arrays.fill(values, 0, epochs, Float.NaN);   // a metric first seen after epoch 1: before, unknown
                validationMetrics.put(m.getKey(), values);
            }
            values[epochs] = m.getValue().floatValue();
        }
        epochs++;
        elapsedMillis = s.elapsedMillis();
    }

    void finish(int bestEpoch, String stopReason, boolean restoredBest) {
        this.bestEpoch = bestEpoch;
        this.stoppedEarly = stopReason != null;
        this.stopReason = stopReason == null ? "" : stopReason;
        this.restoredBest = restoredBest;
    }

    /**
     * Epochs actually run.
     *
     * @return the number of recorded epochs
     */
    public int epochs() {
        return epochs;
    }

    /**
     * The number of the first epoch recorded: 1, or {@code initialEpoch + 1} for a resumed run.
     *
     * @return that epoch (1-based), or 0 before any epoch ran
     */
    public int firstEpoch() {
        return firstEpoch;
    }

    /**
     * The number of the last epoch recorded, the one a run that stopped early stopped after.
     *
     * @return {@code firstEpoch() + epochs() − 1}, or 0 before any epoch ran
     */
    public int lastEpoch() {
        return epochs == 0 ? 0 : firstEpoch + epochs - 1;
    }

    /**
     * Mean training loss per epoch.
     *
     * @return one value per epoch run
     */
    public float[] trainLoss() {
        return Arrays.copyOf(trainLoss, epochs);
    }

    /**
     * Training accuracy per epoch (NaN where the training targets are not classes).
     *
     * @return one value per epoch run
     */
    public float[] trainAccuracy() {
        return Arrays.copyOf(trainAccuracy, epochs);
    }

    /**
     * Validation losses per epoch (NaN where no validation set was given).
     *
     * @return one value per epoch run
     */
    public float[] validationLoss() {
        return Arrays.copyOf(validationLoss, epochs);
    }

    /**
     * Validation accuracies per epoch (NaN where no validation set was given, or its targets are not classes).
     *
     * @return one value per epoch run
     */
    public float[] validationAccuracy() {
        return Arrays.copyOf(validationAccuracy, epochs);
    }

    /**
     * Whether the training accuracy was measured: the training targets are classes and an epoch ran. The
     * training set is the same every epoch, so either every entry of {@link #trainAccuracy()} is a number or
     * none is.
     *
     * @return true when {@link #trainAccuracy()} holds numbers
     */
    public boolean hasAccuracy() {
        return epochs > 0 && !Float.isNaN(trainAccuracy[0]);
    }

    /**
     * A validation metric's value after each epoch ({@link Trainer.Builder#validationMetric}), as
     * {@link #validationLoss()} holds the loss.
     *
     * @param name the name the metric was added under
     * @return its values, one per epoch run (a copy)
     * @throws IllegalArgumentException when the run computed no metric of that name, naming those it did
     */
    public float[] validationMetric(String name) {
        float[] values = validationMetrics.get(name);
        if (values == null) {
            throw new IllegalArgumentException("the run computed no validation metric '" + name + "'; it computed "
                    + (validationMetrics.isEmpty() ? "none" : String.join(", ", validationMetrics.keySet())));
        }
        return Arrays.copyOf(values, epochs);
    }

    /**
     * The names of the validation metrics the run computed, in the order they were added.
     *
     * @return the names; empty without validation metrics
     */
    public java.util.Set<String> validationMetricNames() {
        return java.util.Collections.unmodifiableSet(validationMetrics.keySet());
    }

    /**
     * Whether the validation accuracy was measured: a validation set was given, its targets are classes, and
     * an epoch ran.
     *
     * @return true when {@link #validationAccuracy()} holds numbers
     */
    public boolean hasValidationAccuracy() {
        return epochs > 0 && !Float.isNaN(validationAccuracy[0]);
    }

    /**
     * 1-based epoch with the best monitored metric (the last epoch when early stopping is off).
     *
     * @return the best epoch; 0 when early stopping watched epochs but none was its best (every value NaN, or the
     *         worst infinity)
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Whether a rule stopped training, early stopping or a listener's {@link TrainingControl#requestStop(String)};
     * {@link #stopReason()} says why. Most often before the last epoch asked for; but a rule that fires at that epoch
     * counts too, as Keras reports "early stopping" there, so every epoch may have run.
     *
     * @return true when a rule stopped it
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /**
     * Why a rule stopped training ({@link #stoppedEarly()}): early stopping or a listener's
     * {@link TrainingControl#requestStop(String)}. (A diverged run has no history: {@link Trainer#fit} throws a
     * {@link DivergenceException}.)
     *
     * @return the reason, or an empty string when no rule stopped it
     */
    public String stopReason() {
        return stopReason;
    }

    /**
     * The learning rate of each epoch's last step (what a schedule or {@link ReduceLROnPlateau} set).
     *
     * @return one value per epoch run
     */
    public double[] learningRate() {
        return Arrays.copyOf(learningRate, epochs);
    }

    /**
     * Whether the parameters were rolled back to {@link #bestEpoch()}.
     *
     * @return true when restored
     */
    public boolean restoredBestWeights() {
        return restoredBest;
    }

    /**
     * Wall time of the whole run, validation included.
     *
     * @return milliseconds
     */
    public long elapsedMillis() {
        return elapsedMillis;
    }

    /**
     * The run in one line, for a notebook or a log: its epochs, the last one's losses, and the best epoch where it is
     * not the last, e.g. {@code History(epochs 1-40, last loss 0.1633 val_loss 0.1397, best epoch 31, stopped early)}.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("History(");
        s.append(epochs == 0 ? "no epochs" : epochs == 1 ? "epoch " + firstEpoch : "epochs " + firstEpoch + "-"
                + lastEpoch());
        if (epochs > 0) {
            s.append(String.format(java.util.Locale.ROOT, ", last loss %.4f", trainLoss[epochs - 1]));
            if (!Float.isNaN(validationLoss[epochs - 1])) {
                s.append(String.format(java.util.Locale.ROOT, " val_loss %.4f", validationLoss[epochs - 1]));
            }
        }
        if (bestEpoch != lastEpoch()) {
            s.append(bestEpoch == 0 ? ", no best epoch" : ", best epoch " + bestEpoch);
        }
        if (restoredBest) {
            s.append(", its weights restored");
        }
        return s.append(stoppedEarly ? ", stopped early)" : ")").toString();
    }
}
