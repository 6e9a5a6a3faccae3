package dev.nnj.spark;

import java.io.Serializable;

/** The settings every task of one training run needs, shipped once per task in its closure. */
final class TrainingJob implements Serializable {
    private static final long serialVersionUID = 1L;

    final NetworkSpec network;
    final OptimizerSpec optimizer;
    final BatchSchedule schedule;
    final String backendName;
    /** Global index of each partition's first row. */
    final long[] offsets;
    final TaskHook hook;
    /** The learning rate of each global step. */
    final RateSchedule rates;
    /** The mask seed of each dropout layer of the driver's network ({@link BatchRowsDropout}); empty for none. */
    final long[] maskSeeds;
    /** How a regressor's labels are standardized; {@link LabelScale#IDENTITY} for a classifier. */
    final LabelScale labelScale;

    TrainingJob(NetworkSpec network, OptimizerSpec optimizer, BatchSchedule schedule, String backendName,
                long[] offsets, TaskHook hook, RateSchedule rates, long[] maskSeeds, LabelScale labelScale) {
        this.network = network;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.backendName = backendName;
        this.offsets = offsets;
        this.hook = hook;
        this.rates = rates;
        this.maskSeeds = maskSeeds;
        this.labelScale = labelScale;
    }
}
