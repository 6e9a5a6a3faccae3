package dev.nnj.examples;

import dev.nnj.api.optim.AbstractOptimizer;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.EarlyStopping;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training run is made of besides its data and its weights: the preset, the optimizer and its learning rate,
 * the batch size, the seed, the schedule and early stopping. They come from the command line and the preset, or,
 * when resuming, from the checkpoint: every model file the trainer writes records them in its metadata
 * ({@link #metadata()}), so that {@code --resume} continues with the settings the run began with instead of whatever
 * the new command line says (see {@link ModelOptions#resumed}).
 *
 * @param preset       the preset the run started from
 * @param optimizer    the optimizer
 * @param learningRate its learning rate
 * @param weightDecay  its weight decay ({@code --weight-decay}, or the optimizer's default)
 * @param decayBiases  whether the weight decay reaches the biases too (false with {@code --no-bias-decay})
 * @param amsgrad      adam's and adamw's AMSGrad ({@code --amsgrad})
 * @param batchSize    rows per step; 0 = the full training set
 * @param seed         seed of the weight initialisation and the batch shuffling
 * @param classWeight  the training rows' class weights ({@code --class-weight})
 * @param schedule     how the learning rate moves ({@code --lr-schedule})
 * @param epochs       the epochs the run trains to ({@code --epochs}), over which a one-cycle or cosine schedule is
 *                     laid
 * @param patience     the epochs without a better watched figure early stopping allows ({@code --patience} with
 *                     {@code --early-stopping}); 0 when the run does not stop early
 * @param minDelta     how much better the watched figure must be to count as better ({@code --min-delta}, ≥ 0)
 * @param monitor      what early stopping, the best checkpoint and the plateau schedule watch ({@code --monitor})
 * @param clipping     gradient clipping ({@code --clip-norm}, {@code --clip-value}), or {@link ClipChoice#NONE}
 * @param data         the data settings ({@link DataOptions#settings()}), recorded beside these
 */
record RunSettings(DigitsPreset preset, OptimizerName optimizer, float learningRate, float weightDecay,
                   boolean decayBiases, boolean amsgrad, int batchSize, long seed,
                   ClassWeightChoice classWeight, ScheduleChoice schedule, int epochs, int patience,
                   double minDelta, MonitorChoice monitor, ClipChoice clipping, Map<String, String> data) {
    /** Keeps an unmodifiable copy of the data settings. */
    RunSettings {
        data = Map.copyOf(data);
    }

    /** Metadata key of the training seed, so a resumed run shuffles as the original did. */
    static final String SEED_KEY = "digits.seed";
    /** Metadata key of the preset. */
    static final String PRESET_KEY = "digits.preset";
    /** Metadata key of the optimizer's command-line name ({@code momentum}, not the class name {@code Sgd}). */
    static final String OPTIMIZER_KEY = "digits.optimizer";
    /** Metadata key of the batch size (0 = full batch), which the checkpoint's own record does not hold. */
    static final String BATCH_SIZE_KEY = "digits.batch-size";
    /** Metadata key of the class weights: none, balanced, or the weights ({@link ClassWeightChoice#toString()}). */
    static final String CLASS_WEIGHT_KEY = "digits.class-weight";
    /** Metadata key of the weight decay; a file without it used its optimizer's default. */
    static final String WEIGHT_DECAY_KEY = "digits.weight-decay";
    /** Metadata key of {@code --no-bias-decay}, {@code false} where given; a file without it decayed the biases too. */
    static final String DECAY_BIASES_KEY = "digits.decay-biases";
    /** Metadata key of {@code --amsgrad}, {@code true} where given; a file without it ran adam as Adam. */
    static final String AMSGRAD_KEY = "digits.amsgrad";
    /** Metadata key of the learning-rate schedule ({@code --lr-schedule}); a file without it trained at one rate. */
    static final String SCHEDULE_KEY = "digits.lr-schedule";
    /** Metadata key of the epochs the run trains to, which a resumed one-cycle or cosine schedule must keep. */
    static final String EPOCHS_KEY = "digits.epochs";
    /**
     * Metadata key of early stopping: {@code off}, or its patience ({@code --early-stopping --patience N}), followed by
     * its least improvement where one was given ({@code patience 20, min delta 0.001}). A file without it comes from
     * before it was recorded, and its resume stops early only when told to.
     */
    static final String EARLY_STOPPING_KEY = "digits.early-stopping";
    /**
     * Metadata key of what early stopping, the best checkpoint and the plateau schedule watch ({@code --monitor}),
     * written where it is not the loss: a file without it watched the validation loss.
     */
    static final String MONITOR_KEY = "digits.monitor";
    /**
     * Metadata key of the gradient clipping ({@link ClipChoice#toString()}); a file without it trained without
     * clipping.
     */
    static final String CLIP_KEY = "digits.clip-gradients";
    /**
     * Metadata key of the backend the run that wrote the file trained on, as it describes itself ({@code cpu: pure
     * Java, 2 threads, Vector API fast path (512-bit)}): the kernels' bits differ a little between backends and
     * kernel sets. For a reader; a resumed run may train on another.
     */
    static final String BACKEND_KEY = "digits.backend";
    /** Metadata key of the fresh weights' initialiser ({@code glorot_uniform}); a resumed run carries it on. */
    static final String INIT_KEY = "digits.init";
    /**
     * Metadata key of the learning rate the run started from ({@code --learning-rate} or the preset's); a resumed
     * run carries it on, and goes on with the rate a checkpoint's optimizer holds (which a plateau may have cut).
     */
    static final String LEARNING_RATE_KEY = "digits.learning-rate";
    /** The keys recorded for a reader alone ({@link ModelOptions#recordProvenance}), which no resumed run reads. */
    static final java.util.Set<String> PROVENANCE_KEYS = java.util.Set.of(BACKEND_KEY, INIT_KEY, LEARNING_RATE_KEY);
    /** The {@link #EARLY_STOPPING_KEY} value of a run that does not stop early. */
    static final String NO_EARLY_STOPPING = "off";

    /** {@return whether the run stops early on its watched figure ({@code --early-stopping})} */
    boolean earlyStopping() {
        return patience > 0;
    }

    /**
     * The run's early stopping: on the {@link #monitor}'s figure, with the best epoch's weights restored.
     *
     * @return the rule, or null when the run does not stop early
     */
    EarlyStopping stopping() {
        return earlyStopping() ? new EarlyStopping(monitor.monitor(), patience, minDelta, true) : null;
    }

    /** {@return "patience 20", or "patience 20, min delta 0.001": as the metadata and the trainer's lines say it} */
    String describeEarlyStopping() {
        return "patience " + patience + (minDelta > 0 ? ", min delta " + minDelta : "");
    }

    /**
     * The patience of an {@link #EARLY_STOPPING_KEY} value other than {@link #NO_EARLY_STOPPING}.
     *
     * @param recorded {@code patience 20} or {@code patience 20, min delta 0.001}
     * @return the patience
     * @throws NumberFormatException if it is not written so
     */
    static int recordedPatience(String recorded) {
        return Integer.parseInt(recordedPart(recorded, 0, "patience "));
    }

    /**
     * The least improvement of an {@link #EARLY_STOPPING_KEY} value other than {@link #NO_EARLY_STOPPING}: 0 where it
     * names none, as files from before {@code --min-delta} do.
     *
     * @param recorded {@code patience 20} or {@code patience 20, min delta 0.001}
     * @return the least improvement
     * @throws NumberFormatException if it is not written so
     */
    static double recordedMinDelta(String recorded) {
        return recorded.contains(", ") ? Converters.parseDecimal(recordedPart(recorded, 1, "min delta ")) : 0;
    }

    private static String recordedPart(String recorded, int index, String prefix) {
        String[] parts = recorded.split(", ", -1);
        if (parts.length > 2 || index >= parts.length || !parts[index].startsWith(prefix)) {
            throw new NumberFormatException("early stopping '" + recorded + "' is not 'patience N' or 'patience N, "
                    + "min delta X'");
        }
        return parts[index].substring(prefix.length());
    }

    /**
     * The settings as metadata entries of a model file. The learning rate is not among them: a checkpoint keeps
     * the optimizer's own, current one.
     *
     * @return key to value, in a stable order
     */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SEED_KEY, Long.toString(seed));
        m.put(PRESET_KEY, preset.toString());
        m.put(OPTIMIZER_KEY, optimizer.toString());
        m.put(WEIGHT_DECAY_KEY, Float.toString(weightDecay));
        if (!decayBiases) {
            m.put(DECAY_BIASES_KEY, "false");   // absent: decayed, as every file from before the option
        }
        if (amsgrad) {
            m.put(AMSGRAD_KEY, "true");
        }
        m.put(BATCH_SIZE_KEY, Integer.toString(batchSize));
        m.put(CLASS_WEIGHT_KEY, classWeight.toString());
        m.put(SCHEDULE_KEY, schedule.toString());
        m.put(EPOCHS_KEY, Integer.toString(epochs));
        m.put(EARLY_STOPPING_KEY, earlyStopping() ? describeEarlyStopping() : NO_EARLY_STOPPING);
        if (monitor != MonitorChoice.LOSS) {
            m.put(MONITOR_KEY, monitor.toString());   // absent: the loss, as every file from before the option
        }
        m.put(CLIP_KEY, clipping.toString());
        new java.util.TreeMap<>(data).forEach(m::put);
        return m;
    }

    /**
     * A fresh optimizer of these settings (optimizers keep per-parameter state, so one per training run).
     *
     * @return the optimizer at {@link #learningRate} with {@link #weightDecay} (on the biases too unless
     *         {@link #decayBiases} is false) and {@link #amsgrad}
     */
    Optimizer newOptimizer() {
        Optimizer o = optimizer.create(learningRate, weightDecay, amsgrad);
        if (!decayBiases) {
            ((AbstractOptimizer) o).setDecayBiases(false);   // every optimizer the trainer builds is one
        }
        return o;
    }

    /**
     * How the run batches, as the trainer prints it.
     *
     * @param trainingRows rows in the training set
     * @return "full batch (1437 rows)" or "batches of 32"
     */
    String batching(int trainingRows) {
        return DigitsPreset.isFullBatch(batchSize, trainingRows) ? "full batch (" + trainingRows + " rows)"
                : "batches of " + batchSize;
    }
}
