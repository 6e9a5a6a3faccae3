package dev.nnj.spark;

import java.util.Locale;

/** How the partitions' work is combined into one model. */
public enum TrainingMode {
    /**
     * Every step: the driver broadcasts the parameters, each partition computes the mean gradient over its
     * rows of the global batch, {@code treeAggregate} brings them back, and the driver takes one optimizer
     * step with their row-weighted mean, {@code g = Σₚ nₚ gₚ / Σₚ nₚ}, which is the gradient of the whole
     * batch. The same updates as one machine (up to float rounding); one Spark job per step.
     */
    SYNC,
    /**
     * Every K steps: each partition trains its own copy (parameters and optimizer state) on its rows of K
     * consecutive global batches, and the driver replaces the model by the row-weighted mean of the copies'
     * parameters and optimizer state (local SGD / periodic model averaging). One Spark job per K steps; for
     * K = 1 with plain SGD it equals {@link #SYNC}.
     */
    AVERAGE;

    /**
     * {@return the mode}
     *
     * @param name {@code sync} or {@code average}, case-insensitive
     */
    public static TrainingMode parse(String name) {
        for (TrainingMode m : values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown training mode '" + name + "'; use sync or average");
    }

    /** {@return the lower-case name {@link #parse} accepts} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
