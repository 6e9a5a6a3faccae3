package dev.nnj.examples;

import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.OneCycle;
import dev.nnj.api.train.ReduceLROnPlateau;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import picocli.CommandLine.TypeConversionException;

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
 *   <li>{@code plateau}, {@code plateau:P} or {@code plateau:P:F}: {@code ReduceLROnPlateau(patience=P, factor=F)} on
 *       the validation loss, its other settings PyTorch's defaults: {@code η} times {@code F} on the
 *       {@code (P+1)}-th epoch in a row without a relative improvement of 1e-4 (patience {@code P} tolerates
 *       {@code P}); {@code P} 10 and {@code F} 0.1 unless given.</li>
 *   <li>{@code step:N} or {@code step:N:G}: {@code StepLR(step_size=N, gamma=G)}, per epoch, {@code G} 0.1 unless
 *       given: {@code η₀ · G^⌊t / N⌋} in epoch {@code t + 1}.</li>
 *   <li>{@code exponential:G}: {@code ExponentialLR(gamma=G)}, per epoch: {@code η₀ · G^t} in epoch
 *       {@code t + 1}.</li>
 * </ul>
 * One-cycle and cosine span the run's epochs, so a resumed run finishes the same schedule: it keeps the checkpoint's
 * {@code --epochs}. A model file records the choice as it is written here ({@code step:10:0.5}).
 *
 * @param kind     the schedule
 * @param stepSize {@code N}, epochs between two decays of {@code step}; {@code P}, the patience of {@code plateau};
 *                 0 for the others
 * @param gamma    {@code G}, the factor of {@code step} and {@code exponential}; {@code F}, that of {@code plateau};
 *                 0 for the others
 */
record ScheduleChoice(Kind kind, int stepSize, double gamma) {
    /** The schedules by name. */
    enum Kind {
        /** A constant learning rate. */
        CONSTANT,
        /** Smith's one-cycle policy, per batch. */
        ONE_CYCLE,
        /** Cosine annealing to 0 over the run, per epoch. */
        COSINE,
        /** The rate times {@code F} on the {@code (P+1)}-th epoch in a row without a better validation loss. */
        PLATEAU,
        /** The rate times {@code G} every {@code N} epochs. */
        STEP,
        /** The rate times {@code G} every epoch. */
        EXPONENTIAL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A constant learning rate, as the presets train. */
    static final ScheduleChoice CONSTANT = new ScheduleChoice(Kind.CONSTANT, 0, 0);
    /** Smith's one-cycle policy. */
    static final ScheduleChoice ONE_CYCLE = new ScheduleChoice(Kind.ONE_CYCLE, 0, 0);
    /** Cosine annealing. */
    static final ScheduleChoice COSINE = new ScheduleChoice(Kind.COSINE, 0, 0);
    /** The plateau rule with PyTorch's patience and factor, as {@code plateau} alone names it. */
    static final ScheduleChoice PLATEAU = new ScheduleChoice(Kind.PLATEAU, 10, 0.1);
    /** {@code step}'s factor when {@code step:N} gives none: PyTorch's {@code StepLR} default. */
    static final double STEP_GAMMA = 0.1;

    /**
     * The schedule the trainer applies, or null for none ({@code constant}, and {@code plateau}, which is a listener:
     * {@link #plateau}).
     *
     * @param epochs          the run's epochs
     * @param batchesPerEpoch optimizer steps per epoch
     * @return the schedule, or null
     */
    LearningRateSchedule schedule(float learningRate, int epochs, int batchesPerEpoch) {
        switch (kind) {
            case ONE_CYCLE:
                return LearningRateSchedule.oneCycle(learningRate, Math.multiplyExact(epochs, batchesPerEpoch));
            case COSINE:
                return LearningRateSchedule.cosineWithWarmup(0, epochs, 1.0, 0.0);
            case STEP:
                return LearningRateSchedule.step(stepSize, gamma);
            case EXPONENTIAL:
                return LearningRateSchedule.exponential(gamma);
            default:
                return null;
        }
    }

    /**
     * The plateau rule, a training listener; null but for {@code plateau}.
     *
     * @param monitor what it watches ({@code --monitor}: the validation loss by default)
     * @return a fresh rule (it keeps state), or null
     */
    ReduceLROnPlateau plateau(EarlyStopping.Monitor monitor) {
        return kind == Kind.PLATEAU ? ReduceLROnPlateau.on(monitor).patience(stepSize).factor(gamma) : null;
    }

    /** Whether the schedule is laid over the run's epochs, which a resumed run must then keep. */
    boolean spansEpochs() {
        return kind == Kind.ONE_CYCLE || kind == Kind.COSINE;
    }

    /** Whether the schedule watches the validation loss, which the test split must not provide. */
    boolean watchesValidation() {
        return kind == Kind.PLATEAU;
    }

    /**
     * What the schedule does in the run, for the trainer's "Training:" line; null for {@code constant}.
     *
     * @param learningRate    {@code η₀}
     * @param epochs          the run's epochs
     * @param batchesPerEpoch optimizer steps per epoch
     * @param monitor         what a plateau rule watches ({@code --monitor})
     */
    String describe(float learningRate, int epochs, int batchesPerEpoch, MonitorChoice monitor) {
        switch (kind) {
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
                return String.format(Locale.ROOT, "learning rate x%s on the %s epoch in a row without a better "
                        + "validation %s (PyTorch's ReduceLROnPlateau, patience %d)", number(gamma),
                        ordinal(stepSize + 1), monitor.words(), stepSize);
            case STEP:
                return String.format(Locale.ROOT, "step learning rate (PyTorch's StepLR, per epoch): %s in %s, then "
                        + "x%s every %s%s", rate(learningRate), stepSize == 1 ? "epoch 1" : "epochs 1 to " + stepSize,
                        number(gamma), stepSize == 1 ? "epoch" : stepSize + " epochs", stepSize >= epochs
                        ? " (never within this run's " + epochs + " epoch" + (epochs == 1 ? "" : "s") + ")" : "");
            case EXPONENTIAL:
                double last = learningRate * Math.pow(gamma, epochs - 1);
                return String.format(Locale.ROOT, "exponential learning rate (PyTorch's ExponentialLR, per epoch): %s "
                        + "in epoch 1, then x%s each epoch (%s in epoch %d)", rate(learningRate), number(gamma),
                        Double.isFinite(last) ? rate(last) : "beyond float32's range", epochs);
            default:
                return null;
        }
    }

    /** 1st, 2nd, 3rd, 11th, 21st. */
    private static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }

    /** Steps {@code t} with {@code t ≤ e₁ = pctStart · T − 1}, where the rate rises ({@link OneCycle}). */
    private static long risingSteps(OneCycle c) {
        return (long) Math.floor(c.pctStart() * c.totalSteps() - 1) + 1;
    }

    /** A rate to three significant digits, without trailing zeros: 0.001, 4E-5. */
    private static String rate(double value) {
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toString();
    }

    /** A factor as given: 0.5, 0.95; 1E-300 for one too small or large to write out. */
    private static String number(double value) {
        BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
        return Math.abs(exact.scale()) <= 12 ? exact.toPlainString() : exact.toString();
    }

    /**
     * The choice {@code text} names, as {@code --lr-schedule} takes it and a model file records it: a name
     * ({@code one-cycle}, any case), {@code step:N}, {@code step:N:G}, {@code plateau:P}, {@code plateau:P:F} or
     * {@code exponential:G}.
     *
     * @param text the name, with its parameters
     * @return the choice
     * @throws picocli.CommandLine.TypeConversionException naming the choices, or the parameter that is wrong
     */
    static ScheduleChoice parse(String text) {
        String[] parts = text.strip().split(":", -1);
        Kind kind = Converters.parseEnum(Kind.class, parts[0]);
        switch (kind) {
            case STEP:
                if (parts.length < 2 || parts.length > 3) {
                    throw new TypeConversionException("'" + text + "': step takes its epochs between decays and, "
                            + "optionally, their factor: step:N or step:N:G (e.g. step:30 or step:10:0.5)");
                }
                return new ScheduleChoice(Kind.STEP, positiveInt(text, parts[1]),
                        parts.length == 3 ? factor(text, parts[2]) : STEP_GAMMA);
            case PLATEAU:
                if (parts.length > 3) {
                    throw new TypeConversionException("'" + text + "': plateau takes, optionally, its patience and "
                            + "factor: plateau, plateau:P or plateau:P:F (e.g. plateau:5:0.5)");
                }
                return new ScheduleChoice(Kind.PLATEAU, parts.length >= 2 ? patience(text, parts[1]) : PLATEAU.stepSize,
                        parts.length == 3 ? fraction(text, parts[2]) : PLATEAU.gamma);
            case EXPONENTIAL:
                if (parts.length != 2) {
                    throw new TypeConversionException("'" + text + "': exponential takes its factor per epoch: "
                            + "exponential:G (e.g. exponential:0.95)");
                }
                return new ScheduleChoice(Kind.EXPONENTIAL, 0, factor(text, parts[1]));
            default:
                if (parts.length != 1) {
                    throw new TypeConversionException("'" + text + "': " + kind + " takes no parameters");
                }
                return new ScheduleChoice(kind, 0, 0);
        }
    }

    private static int positiveInt(String text, String n) {
        try {
            return Converters.parseInt(n, 1);   // the options' reading of a whole number: ASCII digits, in range
        } catch (TypeConversionException e) {
            // reported below, naming the schedule
        }
        throw new TypeConversionException("'" + text + "': the epochs between decays, '" + n + "', are not a whole "
                + "number >= 1");
    }

    private static int patience(String text, String p) {
        try {
            return Converters.parseInt(p, 0);
        } catch (TypeConversionException e) {
            // The reader's own words (not a number, below 0, or beyond the largest), naming the schedule.
            throw new TypeConversionException("'" + text + "': the patience: " + e.getMessage());
        }
    }

    /** A plateau's factor: it must lower the rate, so in (0, 1), as PyTorch requires. */
    private static double fraction(String text, String f) {
        double v = factor(text, f);
        if (v >= 1) {
            throw new TypeConversionException("'" + text + "': the factor '" + f + "' must be below 1 (e.g. 0.5): "
                    + "it multiplies the rate on a plateau");
        }
        return v;
    }

    private static double factor(String text, String g) {
        try {
            double v = Converters.parseDecimal(g.strip());
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("'" + text + "': the factor '" + g + "' is not a finite number > 0 (e.g. "
                + "0.5)");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STEP -> kind + ":" + stepSize + ":" + number(gamma);
            case EXPONENTIAL -> kind + ":" + number(gamma);
            // plateau alone where PyTorch's defaults, as files from before its parameters record it.
            case PLATEAU -> equals(PLATEAU) ? kind.toString() : kind + ":" + stepSize + ":" + number(gamma);
            default -> kind.toString();
        };
    }
}
