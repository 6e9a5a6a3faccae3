package dev.nnj.spark;

import java.io.Serializable;

/** The loop's settings, read from the estimator's params. */
final class TrainingSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final int epochs;
    final int batchSize;
    final long seed;
    final TrainingMode mode;
    final int averagingSteps;
    final String backendName;
    final int treeDepth;
    /** The learning-rate schedule's name ({@link RateSchedule}). */
    final String rateSchedule;

    TrainingSettings(int epochs, int batchSize, long seed, TrainingMode mode, int averagingSteps, String backendName,
                     int treeDepth, String rateSchedule) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.seed = seed;
        this.mode = mode;
        this.averagingSteps = averagingSteps;
        this.backendName = backendName;
        this.treeDepth = treeDepth;
        this.rateSchedule = rateSchedule;
    }
}
