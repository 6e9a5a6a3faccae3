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

    TrainingJob(NetworkSpec network, OptimizerSpec optimizer, BatchSchedule schedule, String backendName,
                long[] offsets, TaskHook hook, RateSchedule rates) {
        this.network = network;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.backendName = backendName;
        this.offsets = offsets;
        this.hook = hook;
        this.rates = rates;
    }
}
