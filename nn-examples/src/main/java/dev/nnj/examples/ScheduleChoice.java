package dev.nnj.examples;

import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.OneCycle;
import dev.nnj.api.train.ReduceLROnPlateau;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * {@code --lr-schedule}: how the learning rate {@code η} moves during a run, each as PyTorch's scheduler of that name
 * computes it ({@code docs/math.md}, section 8). {@code η₀} is {@code --learning-rate} (or the preset's).
 * <ul>
 *   <li>{@code constant}: {@code η₀} throughout, as the presets train.</li>
 *   <li>{@code one-cycle}: {@code OneCycleLR(max_lr=η₀, total_steps=epochs × batches, cycle_momentum=False)}, per
 *       batch: from {@code η₀/25} up to {@code η₀} along a cosine over the first 30 % of the steps, then down to
 *       {@code η₀/(25·10⁴)}. The rate {@code --find-lr} suggests is meant for it.</li>
 *   <li>{@code cosine}: {@code CosineAnnealingLR(T_max=epochs, eta_min=0)}, per epoch:
 *       {@code η₀ (1 + cos(π t / epochs)) / 2} in epoch {@code t + 1}.</li>
 *   <li>{@code plateau}: {@code ReduceLROnPlateau} on the validation loss with its defaults: {@code η} times 0.1
 *       on the 11th epoch in a row without a relative improvement of 1e-4 (patience 10 tolerates ten).</li>
 * </ul>
 * The first two span the run's epochs, so a resumed run finishes the same schedule: it keeps the checkpoint's
 * {@code --epochs}.
 */
enum ScheduleChoice {
    /** A constant learning rate. */
    CONSTANT,
    /** Smith's one-cycle policy, per batch. */
    ONE_CYCLE,
    /** Cosine annealing to 0 over the run, per epoch. */
    COSINE,
    /** A tenth of the rate on the 11th epoch in a row without a better validation loss (patience 10). */
    PLATEAU;

    /**
     * The schedule the trainer applies, or null for none ({@code constant}, and {@code plateau}, which is a listener:
     * {@link #plateau()}).
     *
     * @param epochs          the run's epochs
     * @param batchesPerEpoch optimizer steps per epoch
     * @return the schedule, or null
     */
    LearningRateSchedule schedule(float learningRate, int epochs, int batchesPerEpoch) {
        switch (this) {
            case ONE_CYCLE:
                return LearningRateSchedule.oneCycle(learningRate, Math.multiplyExact(epochs, batchesPerEpoch));
            case COSINE:
                return LearningRateSchedule.cosineWithWarmup(0, epochs, 1.0, 0.0);
            default:
                return null;
        }
    }

    /**
     * The plateau rule, a training listener; null but for {@code plateau}.
     *
     * @return a fresh rule (it keeps state), or null
     */
    ReduceLROnPlateau plateau() {
        return this == PLATEAU ? ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_LOSS) : null;
    }

    /** Whether the schedule is laid over the run's epochs, which a resumed run must then keep. */
    boolean spansEpochs() {
        return this == ONE_CYCLE || this == COSINE;
    }

    /** Whether the schedule watches the validation loss, which the test split must not provide. */
    boolean watchesValidation() {
        return this == PLATEAU;
    }

    /**
     * What the schedule does in the run, for the trainer's "Training:" line; null for {@code constant}.
     *
     * @param learningRate    {@code η₀}
     * @param epochs          the run's epochs
     * @param batchesPerEpoch optimizer steps per epoch
     */
    String describe(float learningRate, int epochs, int batchesPerEpoch) {
        switch (this) {
            case ONE_CYCLE:
                OneCycle c = (OneCycle) schedule(learningRate, epochs, batchesPerEpoch);
                double start = c.maxLearningRate() / c.divFactor();
                return String.format(Locale.ROOT, "one-cycle learning rate (PyTorch's OneCycleLR, per batch): %s up "
                        + "to %s over the first %d of %d steps, then down to %s", rate(start), rate(c.maxLearningRate()),
                        risingSteps(c), c.totalSteps(), rate(start / c.finalDivFactor()));
            case COSINE:
                return String.format(Locale.ROOT, "cosine-annealed learning rate (PyTorch's CosineAnnealingLR, per "
                        + "epoch): %s in epoch 1, down towards 0 over %d epochs", rate(learningRate), epochs);
            case PLATEAU:
                return "learning rate x0.1 on the 11th epoch in a row without a better validation loss (PyTorch's "
                        + "ReduceLROnPlateau, patience 10)";
            default:
                return null;
        }
    }

    /** Steps {@code t} with {@code t ≤ e₁ = pctStart · T − 1}, where the rate rises ({@link OneCycle}). */
    private static long risingSteps(OneCycle c) {
        return (long) Math.floor(c.pctStart() * c.totalSteps() - 1) + 1;
    }

    /** A rate to three significant digits, without trailing zeros: 0.001, 4E-5. */
    private static String rate(double value) {
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toString();
    }

    /**
     * The choice called {@code text}, as {@code --lr-schedule} takes it ({@code one-cycle}, any case).
     *
     * @param text the name
     * @return the choice
     * @throws picocli.CommandLine.TypeConversionException naming the choices if there is none of that name
     */
    static ScheduleChoice parse(String text) {
        return Converters.parseEnum(ScheduleChoice.class, text);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
