package dev.nnj.spark;

import dev.nnj.api.train.LearningRateSchedule;
import java.io.Serializable;
import java.util.Locale;

/**
 * The learning rate of each global step, the {@code learningRateSchedule} param: the rate nnj's {@code Trainer}
 * would use at that step with the same schedule, so that a schedule trains as it does on one machine. {@code η₀} is
 * the {@code learningRate} param. Global step {@code (epoch, b)} is batch {@code b} (0-based) of epoch {@code epoch}
 * (1-based); in {@code sync} mode the driver sets the rate before its step, in {@code average} mode every partition
 * before each of its local steps.
 * <ul>
 *   <li>{@code constant}: {@code η₀}.</li>
 *   <li>{@code one-cycle}: PyTorch's {@code OneCycleLR(max_lr = η₀, total_steps = epochs × batches,
 *       cycle_momentum = False)}, per batch ({@link LearningRateSchedule#oneCycle}).</li>
 *   <li>{@code cosine}: PyTorch's {@code CosineAnnealingLR(T_max = epochs, eta_min = 0)}, per epoch.</li>
 * </ul>
 */
final class RateSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The schedules the param names. */
    enum Kind {
        /** {@code η₀} throughout. */
        CONSTANT,
        /** Smith's one-cycle policy, per batch. */
        ONE_CYCLE,
        /** Cosine annealing to 0 over the epochs. */
        COSINE;

        /** {@return the name the param takes: constant, one-cycle, cosine} */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    private final float initial;
    private final int epochs;
    private final int batchesPerEpoch;

    private RateSchedule(Kind kind, float initial, int epochs, int batchesPerEpoch) {
        this.kind = kind;
        this.initial = initial;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /**
     * The schedule of one training run.
     *
     * @param name            the param's value
     * @param initial         {@code η₀}, the {@code learningRate} param
     * @param epochs          the run's epochs
     * @param batchesPerEpoch global batches per epoch
     * @return the schedule
     * @throws IllegalArgumentException for an unknown name, or a one-cycle run of a single step
     */
    static RateSchedule of(String name, float initial, int epochs, int batchesPerEpoch) {
        Kind kind = parse(name);
        if (kind == Kind.ONE_CYCLE && (long) epochs * batchesPerEpoch < 2) {
            throw new IllegalArgumentException("learningRateSchedule one-cycle rises and falls over at least 2 steps, "
                    + "and " + epochs + " epoch of " + batchesPerEpoch + " batch is 1: raise epochs, or lower "
                    + "batchSize");
        }
        return new RateSchedule(kind, initial, epochs, batchesPerEpoch);
    }

    /**
     * {@return the schedule called {@code name}}
     *
     * @param name {@code constant}, {@code one-cycle} or {@code cosine}, any case
     * @throws IllegalArgumentException naming the schedules, for any other name
     */
    static Kind parse(String name) {
        for (Kind k : Kind.values()) {
            if (k.label().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown learningRateSchedule '" + name + "'; use constant, one-cycle or "
                + "cosine");
    }

    /** {@return whether the rate changes during the run} */
    boolean varies() {
        return kind != Kind.CONSTANT;
    }

    /**
     * {@return the learning rate of global step {@code (epoch, batch)}}
     *
     * @param epoch 1-based epoch
     * @param batch 0-based global batch of the epoch
     */
    float rate(int epoch, int batch) {
        switch (kind) {
            case ONE_CYCLE:
                return (float) LearningRateSchedule.oneCycle(initial, epochs * batchesPerEpoch)
                        .learningRate((epoch - 1) * batchesPerEpoch + batch, initial);
            case COSINE:
                return (float) LearningRateSchedule.cosineWithWarmup(0, epochs, 1.0, 0.0)
                        .learningRate(epoch - 1, initial);
            default:
                return initial;
        }
    }

    @Override
    public String toString() {
        return kind.label();
    }
}
