package dev.nnj.examples;

import dev.nnj.api.Backend;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.io.Architecture;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.io.LayerSpec;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.StrictJson;
import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.ModelCheckpoint;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import dev.nnj.onnx.OnnxExporter;
import dev.nnj.onnx.OnnxModelFileFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The trainer's options for models that outlive the process: {@code --save FILE} after training,
 * {@code --checkpoint-dir DIR} (last and best epoch, by test loss) during it, and {@code --resume FILE} to
 * continue from a checkpoint. Mixed into {@link DigitsTrainer}; every saved file carries the min-max scaler
 * fitted on the 1797 images and the class names, so {@code digits predict} applies the same preprocessing.
 */
public final class ModelOptions {

    /** The options at their defaults, until picocli parses a command line into them. */
    public ModelOptions() {
    }
    /** How {@code --save} lays out Dense weights. */
    public enum Layout {
        /** nnj's (in, out). */
        NNJ(WeightLayout.IN_OUT),
        /** PyTorch's nn.Linear (out, in). */
        PYTORCH(WeightLayout.OUT_IN);

        final WeightLayout layout;

        Layout(WeightLayout layout) {
            this.layout = layout;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--save", paramLabel = "FILE",
            description = "Save the trained model (with its preprocessing) to FILE: a safetensors file, or an ONNX "
                    + "model when FILE ends in .onnx (raw features in, its scaler in the graph; --categorical "
                    + "columns go in one-hot encoded).")
    Path save;

    @Option(names = "--save-layout", paramLabel = "LAYOUT", converter = LayoutConverter.class,
            description = "Weight layout of --save: nnj (in, out; default; also in_out) or pytorch (out, in, loads "
                    + "into torch.nn.Linear; also out_in).")
    Layout saveLayout = Layout.NNJ;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write DIR/last.safetensors after every epoch (or --checkpoint-every N) and "
                    + "DIR/best.safetensors at each new best "
                    + "validation loss or --monitor's figure (the --validation-split rows, else the test split): model "
                    + "+ optimizer "
                    + "state; resume with --resume. Each write is forced to disk, a few milliseconds: where epochs "
                    + "are that short, --checkpoint-every 10 or more keeps training at its speed.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "With --checkpoint-dir: checkpoint every N epochs and at the last one (default: 1); the "
                    + "best is then the best of those epochs.")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue training from a checkpoint up to --epochs, exactly as if never stopped: with "
                    + "the network, preset, optimizer, learning rate and its schedule, batch size, seed, early "
                    + "stopping and data split and scaling it records (an option that contradicts them is refused; "
                    + "a one-cycle or cosine schedule keeps its --epochs).")
    Path resume;

    /** The learning-rate schedule of the checkpoint {@link #resumed} read, or null when not resuming. */
    private ScheduleChoice resumedSchedule;
    /** The metadata of the checkpoint {@link #resumed} read; none when not resuming. */
    private Map<String, String> resumedMetadata = Map.of();

    /** The epoch the resumed checkpoint was saved after (0 when not resuming). */
    private int resumedEpoch;
    /** The resumed checkpoint's trainer progress (early stopping's best epoch and patience). */
    private TrainerProgress resumedProgress = TrainerProgress.NONE;
    /**
     * The folder's last checkpoint as it was before this run ({@link #stamp}), or null when there was none: an
     * interrupted run names the file only once it has changed.
     */
    private List<Object> lastBeforeRun;
    /** Whether {@link #lastBeforeRun} was taken: training has started. */
    private boolean remembered;
    /** {@code --save} goes into the {@code --plots} folder the run makes: checked once it is made. */
    private boolean saveInPlotsDir;
    /** The training rows' fingerprint ({@link #noteTrainingRows}); null without checkpoints or a resume. */
    private String trainingRows;
    /** The training rows, for their fingerprint without weights, which only an older checkpoint asks for. */
    private Dataset trainingSet;
    /** Entries for a reader of the file, not read back ({@link #recordProvenance}). */
    private final Map<String, String> provenance = new java.util.LinkedHashMap<>();

    /** Converts {@code nnj} / {@code pytorch}. */
    static final class LayoutConverter implements picocli.CommandLine.ITypeConverter<Layout> {
        @Override
        public Layout convert(String value) {
            // The file's own names for the layouts (its nnj.weight_layout, WeightLayout's labels) are accepted too.
            for (Layout l : Layout.values()) {
                if (l.layout.label().equalsIgnoreCase(value.strip())) {
                    return l;
                }
            }
            return Converters.parseEnum(Layout.class, value);
        }
    }

    /**
     * Checks the combination before any work: one model only, directories that exist. A {@code --save} into the
     * {@code --plots} folder the run is about to make is checked by {@link #checkSaveInPlotsFolder} once it is made.
     *
     * @param spec     the command, for usage errors
     * @param seeds    how many seeds will be run
     * @param plotsDir the {@code --plots} folder, or null
     */
    void check(CommandSpec spec, int seeds, Path plotsDir) {
        boolean any = save != null || checkpointDir != null || resume != null;
        if (any && seeds > 1) {
            throw new ParameterException(spec.commandLine(), "--save, --checkpoint-dir and --resume train one model; "
                    + "use --seed instead of --seeds");
        }
        boolean saveLayoutGiven = spec.commandLine().getParseResult().hasMatchedOption("--save-layout");
        if (save == null && saveLayoutGiven) {
            throw new ParameterException(spec.commandLine(), "--save-layout needs --save FILE");
        }
        if (saveLayoutGiven && OnnxModelFileFormat.isOnnx(save)) {
            throw new ParameterException(spec.commandLine(), "--save-layout lays out a safetensors file; an ONNX "
                    + "file's weights are laid out as its Gemm nodes read them");
        }
        if (checkpointEvery != null && checkpointDir == null) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every needs --checkpoint-dir DIR");
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--resume': " + resume + " "
                    + Converters.notAFile(resume));
        }
        // Every output path is checked now, not after the training it would otherwise throw away.
        Path dir = checkpointDir == null ? null : checkpointDir.toAbsolutePath().normalize();
        boolean saveInCheckpointDir = false;
        if (save != null) {
            // A model file onto a checkpoint replaces it with one that cannot be resumed ('a model file, not a
            // checkpoint').
            // Where the write lands, through symbolic links, which the atomic write follows.
            Path target = Converters.written(save);
            if (resume != null && Converters.writesOnto(save, resume)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--save': " + save
                        + " is the checkpoint --resume reads; a model file there could not be resumed again");
            }
            if (dir != null) {
                for (String name : new String[] {ModelCheckpoint.LAST, ModelCheckpoint.BEST}) {
                    if (target.equals(dir.resolve(name))) {
                        throw new ParameterException(spec.commandLine(), "Invalid value for option '--save': " + save
                                + " is the " + name + " checkpoint --checkpoint-dir writes; save elsewhere");
                    }
                }
                saveInCheckpointDir = dir.equals(target.getParent());
            }
            // The name alone first: a refusal of it leaves no --checkpoint-dir made for it.
            Converters.requireModelFileName(spec, "--save", save, "--save-layout");
            if (saveInCheckpointDir) {
                // --save into the --checkpoint-dir about to be made: made first, so that the file's folder exists.
                Converters.requireOutputDirectory(spec, "--checkpoint-dir", checkpointDir);
            }
            // Into the --plots folder the run makes, as --metrics and --history may go: checked once it is made.
            saveInPlotsDir = plotsDir != null && !Files.exists(target.getParent())
                    && Converters.sameFile(target.getParent(), plotsDir);
            if (!saveInPlotsDir) {
                checkSaveFile(spec);
            }
        }
        // Created last, once every other option has passed: a refused command leaves no new directory behind.
        if (checkpointDir != null && !saveInCheckpointDir) {
            Converters.requireOutputDirectory(spec, "--checkpoint-dir", checkpointDir);
        }
        if (checkpointDir != null) {
            for (String name : new String[] {ModelCheckpoint.LAST, ModelCheckpoint.BEST}) {
                Path file = checkpointDir.resolve(name);
                if (Files.isDirectory(file)) {
                    // Refused before training, as --save's is: found at the first checkpoint, it cost the epoch.
                    throw new ParameterException(spec.commandLine(), Converters.invalidValue("--checkpoint-dir")
                            + file + " is a directory, where the checkpoints write " + name + "; move it away or "
                            + "give another directory");
                }
                Converters.requireReplaceable(spec, "--checkpoint-dir", file);
            }
        }
    }

    /**
     * Checks a {@code --save} into the {@code --plots} folder, once {@code PlotOptions.prepare} has made it; nothing
     * otherwise ({@link #check} checked it).
     *
     * @param spec the command, for usage errors
     */
    void checkSaveInPlotsFolder(CommandSpec spec) {
        if (saveInPlotsDir) {
            checkSaveFile(spec);
        }
    }

    private void checkSaveFile(CommandSpec spec) {
        Converters.requireOutputFile(spec, "--save", save, "digits.safetensors");
        Converters.requireNotATextFile(spec, "--save", save);
    }

    /**
     * The settings a resumed run continues with: the checkpoint's. Its learning rate is the optimizer's own, and
     * the preset, optimizer, batch size, seed, schedule and early stopping come from the metadata the trainer
     * writes ({@link RunSettings#metadata()}; a file without them keeps the command line's). An option given on the
     * command line that contradicts the checkpoint is a usage error, since the run would silently not use it.
     *
     * @param spec  the command, for usage errors and to tell given options from defaults
     * @param asked the settings from the command line and the preset; its patience is {@code --patience} when that
     *              or {@code --early-stopping} was given, else 0
     * @param out   where to say which settings come from the checkpoint
     * @return {@code asked} when not resuming, else the checkpoint's settings
     */
    RunSettings resumed(CommandSpec spec, RunSettings asked, PrintWriter out) {
        if (resume == null) {
            return asked;
        }
        if (OnnxModelFileFormat.isOnnx(resume)) {
            // An ONNX graph holds weights alone: no optimizer state, epoch or progress to continue from.
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--resume': " + resume
                    + " is an ONNX model, which holds no optimizer state or epoch to continue from; resume from a "
                    + "checkpoint --checkpoint-dir wrote (last.safetensors)");
        }
        Checkpoint.Info info;
        try {
            info = Checkpoint.inspect(resume);
        } catch (IOException e) {
            throw new UncheckedIOException(Converters.cannotRead(resume, e), e);
        }
        Map<String, String> recorded = info.metadata();
        DigitsPreset preset = asked.preset();
        OptimizerName optimizer = asked.optimizer();
        int batchSize = asked.batchSize();
        long seed = asked.seed();
        ClassWeightChoice classWeight = asked.classWeight();
        ScheduleChoice schedule = asked.schedule();
        int epochs = asked.epochs();
        int patience = asked.patience();
        double minDelta = asked.minDelta();
        MonitorChoice monitor;
        boolean decayBiases;
        boolean amsgrad;
        ClipChoice clipping;
        float learningRate;
        float weightDecay;
        try {
            String p = recorded.get(RunSettings.PRESET_KEY);
            if (p != null) {
                preset = agree(spec, "--preset", asked.preset(), Converters.parseEnum(DigitsPreset.class, p));
            }
            String o = recorded.get(RunSettings.OPTIMIZER_KEY);
            if (o != null) {
                optimizer = agree(spec, "--optimizer", asked.optimizer(),
                        Converters.parseEnum(OptimizerName.class, o));
            }
            String b = recorded.get(RunSettings.BATCH_SIZE_KEY);
            if (b != null) {
                batchSize = agree(spec, "--batch-size", asked.batchSize(), Integer.parseInt(b));
            }
            String w = recorded.get(RunSettings.CLASS_WEIGHT_KEY);
            if (w != null) {
                classWeight = agree(spec, "--class-weight", asked.classWeight(), ClassWeightChoice.parse(w));
            }
            String s = recorded.get(RunSettings.SEED_KEY);
            if (s != null) {
                // Another seed would shuffle and drop out otherwise from here on, and the file would record a seed
                // its first epochs did not use: not the run it continues.
                seed = agree(spec, "--seed", asked.seed(), Long.parseLong(s));
            }
            // A file from before schedules were recorded trained at one rate.
            String sc = recorded.get(RunSettings.SCHEDULE_KEY);
            schedule = agree(spec, "--lr-schedule", asked.schedule(),
                    sc == null ? ScheduleChoice.CONSTANT : ScheduleChoice.parse(sc));
            String e = recorded.get(RunSettings.EPOCHS_KEY);
            if (schedule.spansEpochs() && e != null) {
                // The schedule is laid over the run's epochs: more or fewer would make it another schedule.
                epochs = agreeWithCheckpoint(spec, "--epochs", asked.epochs(), Integer.parseInt(e), resume,
                        "finishes the checkpoint's " + schedule + " schedule, laid over its epochs");
            } else if (e != null && !given(spec, "--epochs")) {
                // Without --epochs, the resumed run ends where the run it continues would have, not at the default.
                epochs = Integer.parseInt(e);
            }
            String es = recorded.get(RunSettings.EARLY_STOPPING_KEY);
            if (es == null) {
                // A file from before early stopping was recorded: it stops early when told to (model() notes it).
                patience = given(spec, "--early-stopping") ? asked.patience() : 0;
            } else {
                // Stopping early or not, and on which patience, decide the model the run ends with.
                patience = RunSettings.NO_EARLY_STOPPING.equals(es) ? 0 : RunSettings.recordedPatience(es);
                if (patience == 0 && given(spec, "--early-stopping")) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--early-stopping': "
                            + resume + " was trained without early stopping; a resumed run continues with the "
                            + "checkpoint's settings, so leave --early-stopping out");
                }
                if (patience > 0) {
                    patience = agree(spec, "--patience", asked.patience(), patience);
                    minDelta = agree(spec, "--min-delta", asked.minDelta(), RunSettings.recordedMinDelta(es));
                }
            }
            // Files from before these options were recorded decayed the biases and ran adam without AMSGrad.
            decayBiases = !agreeFlag(spec, "--no-bias-decay", !asked.decayBiases(), "false".equals(recorded.get(
                    RunSettings.DECAY_BIASES_KEY)));
            amsgrad = agreeFlag(spec, "--amsgrad", asked.amsgrad(),
                    "true".equals(recorded.get(RunSettings.AMSGRAD_KEY)));
            // A file from before --monitor was recorded watched the validation loss.
            String mo = recorded.get(RunSettings.MONITOR_KEY);
            monitor = agree(spec, "--monitor", asked.monitor(),
                    mo == null ? MonitorChoice.LOSS : Converters.parseEnum(MonitorChoice.class, mo));
            learningRate = agree(spec, "--learning-rate", asked.learningRate(), info.learningRate());
            // A file from before the weight decay was recorded used its optimizer's default.
            String wd = recorded.get(RunSettings.WEIGHT_DECAY_KEY);
            weightDecay = agree(spec, "--weight-decay", asked.weightDecay(),
                    wd == null ? optimizer.defaultWeightDecay() : Float.parseFloat(wd));
            // A file from before clipping was recorded trained without it.
            String clip = recorded.get(RunSettings.CLIP_KEY);
            ClipChoice recordedClip = clip == null ? ClipChoice.NONE : ClipChoice.parse(clip);
            clipping = agree(spec, asked.clipping().kind() == ClipChoice.Kind.VALUE ? "--clip-value" : "--clip-norm",
                    asked.clipping(), recordedClip);
        } catch (RuntimeException e) {
            if (e instanceof ParameterException) {
                throw e;
            }
            Map<String, String> ours = new java.util.TreeMap<>(recorded);
            ours.keySet().removeIf(key -> !key.startsWith("digits.") || RunSettings.PROVENANCE_KEYS.contains(key));
            throw new IllegalArgumentException(resume + ": unreadable run settings in its metadata " + ours
                    + ": " + e.getMessage(), e);
        }
        RunSettings settings = new RunSettings(preset, optimizer, learningRate, weightDecay, decayBiases, amsgrad,
                batchSize, seed, classWeight, schedule, epochs, patience, minDelta, monitor, clipping, asked.data());
        // A checkpoint of an nnj from before the run's settings were recorded: the options are all there is.
        boolean noSettings = recorded.get(RunSettings.PRESET_KEY) == null
                && recorded.get(RunSettings.OPTIMIZER_KEY) == null;
        if (noSettings) {
            String kind;
            try (Optimizer probe = optimizer.create(learningRate)) {
                kind = probe.getClass().getSimpleName();
            }
            if (!kind.equals(info.optimizer())) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--resume': " + resume
                        + " records no run settings (an nnj from before they were recorded), and its optimizer state "
                        + "is " + info.optimizer() + "'s where these options train with " + optimizer
                        + " (preset " + preset + "): give the run's own --preset, --optimizer, --learning-rate and "
                        + "--batch-size");
            }
        }
        requireEpochsLeft(spec, info.epoch(), epochs, schedule);   // before the data and the header, not after them
        resumedMetadata = recorded;
        resumedSchedule = schedule;
        out.printf(Locale.ROOT, "Resuming with %s: preset %s, %s, learning rate %s%s, %s, "
                + "seed %d%s; epochs %d to %d%s%n", noSettings ? "the options' settings (the checkpoint records none)"
                : "the checkpoint's settings", preset, optimizer, learningRate,
                schedule.kind() == ScheduleChoice.Kind.CONSTANT ? ""
                        : " (" + schedule + (schedule.spansEpochs() ? " over " + epochs + " epochs" : "") + ")",
                batchSize == 0 ? "full batch" : "batch size " + batchSize, seed,
                settings.earlyStopping() ? ", early stopping (" + settings.describeEarlyStopping()
                        + (monitor == MonitorChoice.LOSS ? "" : ", on validation " + monitor.words()) + ")" : "",
                info.epoch() + 1, epochs,
                given(spec, "--epochs") ? " (--epochs)" : recorded.get(RunSettings.EPOCHS_KEY) != null
                        ? " (the run's own)" : " (the default: the checkpoint records none)");
        return settings;
    }

    /** Refuses a resume with no epoch left to train: the checkpoint holds {@code saved} of the {@code epochs}. */
    private void requireEpochsLeft(CommandSpec spec, int saved, int epochs, ScheduleChoice schedule) {
        if (saved >= epochs) {
            throw new ParameterException(spec.commandLine(), resume + " was saved after epoch " + saved
                    + (schedule != null && schedule.spansEpochs()
                    ? ", the last of the epochs its " + schedule + " learning-rate schedule is laid over: the "
                    + "run is finished" : "; pass --epochs above " + saved + " to train on"));
        }
    }

    /**
     * Refuses, before any banner, a network option that contradicts the network the checkpoint {@link #resumed} read
     * records ({@link NetworkOptions#requireSameAs}): without this the refusal came only after the data was read and
     * the "Training:" line printed. A checkpoint of a model built in code records no architecture; its network is
     * compared once the model is restored, as before.
     *
     * @param spec    the command, for usage errors
     * @param network the network options
     */
    void requireSameNetwork(CommandSpec spec, NetworkOptions network) {
        String json = resume == null ? null : resumedMetadata.get(ModelFiles.ARCHITECTURE_KEY);
        if (json == null) {
            return;
        }
        List<dev.nnj.api.layers.Layer> layers;
        try {
            layers = Architecture.fromJson(StrictJson.parseObject(json)).layers().stream().map(LayerSpec::create)
                    .toList();
        } catch (RuntimeException unreadable) {
            return;   // restoring the checkpoint names what is wrong with it
        }
        network.requireSameAs(spec, layers, resume);
    }

    /**
     * The metadata of the checkpoint {@link #resumed} read: the run settings it recorded, the data's among them.
     *
     * @return its entries, or none when not resuming
     */
    Map<String, String> resumedMetadata() {
        return resumedMetadata;
    }

    /**
     * Whether the checkpoint's run had a flag option set; a usage error when the flag is given ({@code --amsgrad},
     * or {@code --amsgrad=false}) otherwise than the run had it.
     */
    private boolean agreeFlag(CommandSpec spec, String option, boolean asked, boolean recorded) {
        if (given(spec, option) && asked != recorded) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + resume
                    + " was trained " + (recorded ? "with" : "without") + " it; a resumed run continues with the "
                    + "checkpoint's settings, so leave " + option + " out");
        }
        return recorded;
    }

    /** The checkpoint's value; a usage error when {@code option} was given with another. */
    private <T> T agree(CommandSpec spec, String option, T asked, T recorded) {
        return agreeWithCheckpoint(spec, option, asked, recorded, resume, "continues with the checkpoint's settings");
    }

    /**
     * The one rule of a resumed run's settings (the training's here, the data's in {@link DataOptions}): the
     * checkpoint's value, and a usage error when {@code option} was given with another.
     *
     * @param spec       the command
     * @param option     the option's name
     * @param asked      its value on the command line (or its default)
     * @param recorded   the checkpoint's value (null for "none")
     * @param checkpoint the checkpoint, for the message
     * @param why        what a resumed run does, for the message ("continues with the checkpoint's settings")
     * @return {@code recorded}
     * @throws ParameterException when the option was given with another value
     */
    static <T> T agreeWithCheckpoint(CommandSpec spec, String option, T asked, T recorded, Path checkpoint,
                                     String why) {
        if (given(spec, option) && !java.util.Objects.equals(asked, recorded)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + asked
                    + " differs from the " + (recorded == null ? "none" : recorded) + " that " + checkpoint
                    + " was trained with; a resumed run " + why + ", so leave " + option + " out");
        }
        return recorded;
    }

    /** Whether the command line gave {@code option} (false for a command object built without parsing). */
    static boolean given(CommandSpec spec, String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The model to train: restored from {@code --resume} (loading the optimizer state into {@code optimizer}),
     * or a fresh one.
     *
     * @param spec      the command, for usage errors
     * @param backend   where the model lives
     * @param optimizer receives the checkpoint's state
     * @param fresh     builds a new model
     * @param network   the network options, which a restored model's network must not contradict
     * @param inputs    the data's features, which a restored model must take
     * @param classes   the data's classes, which a restored model must give
     * @param preprocessing the class names and scaler fitted on this run's data, which must be the checkpoint's
     * @param epochs    the epochs to reach
     * @param earlyStopping whether this run stops early, so that the checkpoint's early-stopping progress is worth
     *                  a line
     * @param out       where to report the resumption
     * @return the model
     */
    Sequential model(CommandSpec spec, Backend backend, Optimizer optimizer, Supplier<Sequential> fresh,
                     NetworkOptions network, int inputs, int classes, Preprocessing preprocessing, int epochs,
                     boolean earlyStopping, PrintWriter out) {
        if (resume == null) {
            return fresh.get();
        }
        Checkpoint.Restored restored;
        try {
            restored = Checkpoint.restore(resume, backend, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException(Converters.cannotRead(resume, e), e);
        }
        if (restored.epoch() >= epochs) {
            restored.close();
            requireEpochsLeft(spec, restored.epoch(), epochs, resumedSchedule);
        }
        Sequential m = restored.model();
        requireSameData(spec, restored.saved().preprocessing(), preprocessing, restored);
        if (m.inputWidth() != inputs || m.outputWidth() != classes) {
            restored.close();
            throw new IllegalArgumentException(resume + " takes " + m.inputWidth() + " features and gives "
                    + m.outputWidth() + " classes; the data has " + inputs + " features and " + classes
                    + " classes");
        }
        if (resumedMetadata.get(ModelFiles.ARCHITECTURE_KEY) == null) {
            // A model built in code records no architecture: compared now that it is restored. A file that records
            // one was compared before the run was announced (requireSameNetwork).
            try {
                network.requireSameAs(spec, m.layers(), resume);
            } catch (ParameterException e) {
                restored.close();
                throw e;
            }
        }
        resumedEpoch = restored.epoch();
        resumedProgress = restored.progress();
        out.printf(Locale.ROOT, "Resumed from %s after epoch %d (%s, %d steps taken)%n", resume, resumedEpoch,
                optimizer.describe(), optimizer.steps());
        TrainerProgress.Best best = resumedProgress.earlyStopping();
        if (best != null && earlyStopping && !best.found()) {
            out.printf(Locale.ROOT, "  early stopping so far: no best epoch yet (every %s so far NaN or infinite), "
                    + "%d epoch%s watched%n", best.monitor().toLowerCase(Locale.ROOT).replace('_', ' '),
                    best.epochsSince(), best.epochsSince() == 1 ? "" : "s");
        } else if (best != null && earlyStopping) {
            out.print(Fixed.format("  early stopping so far: best epoch %d (%s %.4f), %d epoch%s since%n",
                    best.epoch(), best.monitor().toLowerCase(Locale.ROOT).replace('_', ' '), best.value(),
                    best.epochsSince(), best.epochsSince() == 1 ? "" : "s"));
        } else if (best != null && best.found()) {
            // A checkpoint from before early stopping was recorded in the run settings: its run stopped early, and
            // this one, told nothing, would train on to --epochs and end on another model.
            out.printf(Locale.ROOT, "  note: %s's run stopped early (best epoch %d so far), and its file does not "
                    + "record the patience; this run does not stop early: add --early-stopping --patience N as the "
                    + "run had them to go on as it would have%n", resume, best.epoch());
        }
        return m;
    }

    /**
     * Notes the rows this run trains on ({@link TrainingRows}), when it checkpoints or resumes: checkpoints record
     * their fingerprint, and a resume compares it with the checkpoint's.
     *
     * @param train   the training rows, as the run trains on them
     * @param weights their weights ({@code --weight-column}), or null for none
     */
    void noteTrainingRows(Dataset train, float[] weights) {
        boolean needed = checkpointDir != null || resume != null;
        trainingRows = needed ? TrainingRows.fingerprint(train, weights) : null;
        trainingSet = train;
    }

    /**
     * A resumed run must train on the data it started with: the same classes in the same order (else every output
     * would be relabelled) and the same scaler, fitted again on the same training rows (else the weights would meet
     * other inputs). Both come out of the data as this run loaded it, so a different file shows here.
     */
    private void requireSameData(CommandSpec spec, Preprocessing saved, Preprocessing now,
                                 Checkpoint.Restored restored) {
        // Only what the checkpoint recorded can be compared (a checkpoint saved by a program of one's own may hold no
        // class names or scaler).
        String problem = null;
        Object savedScaler = saved.toJson().get("scaler");
        Object nowScaler = now.toJson().get("scaler");
        boolean namesBoth = saved.featureNames() != null && now.featureNames() != null;
        if (namesBoth && !saved.featureNames().equals(now.featureNames())
                && new java.util.HashSet<>(saved.featureNames()).equals(new java.util.HashSet<>(now.featureNames()))) {
            // Before the scaler, which then differs too: the order is what to fix.
            problem = "its feature columns are " + saved.featureNames() + ", this file has them in another order, "
                    + now.featureNames() + " (a resumed run reads the columns by position)";
        } else if (saved.classNames() != null && now.classNames() != null
                && !saved.classNames().equals(now.classNames())
                && new java.util.HashSet<>(saved.classNames()).equals(new java.util.HashSet<>(now.classNames()))) {
            // The same classes in another order: not other data, but another order of its labels. Text labels sort
            // by code point, as LabelEncoder sorts them; an earlier nnj sorted them by UTF-16 unit, which put a label
            // beyond U+FFFF (an emoji) before U+E000-U+FFFF, and its checkpoints of such labels differ here.
            restored.close();
            throw new ParameterException(spec.commandLine(), resume + " orders its classes " + saved.classNames()
                    + ", and this data orders the same classes " + now.classNames() + " (text labels sort by code "
                    + "point, as scikit-learn's LabelEncoder; an earlier nnj put a label beyond U+FFFF, such as an "
                    + "emoji, before U+E000-U+FFFF). Resumed, its outputs would be relabelled, so it cannot be; train "
                    + "again, or predict with it (predict matches classes by name)");
        } else if (saved.classNames() != null && !saved.classNames().equals(now.classNames())) {
            problem = "its classes are " + saved.classNames() + ", this data's "
                    + (now.classNames() == null ? "unnamed" : now.classNames());
        } else if (savedScaler != null && !scalerKind(savedScaler).equals(scalerKind(nowScaler))) {
            // Not other data: another kind of scaler, as when a checkpoint from before --scaler was recorded is
            // resumed without its option. (A checkpoint without a scaler, as a program of one's own saves one, has
            // nothing to compare.)
            restored.close();
            String kind = scalerKind(savedScaler);
            String mine = scalerKind(nowScaler);
            throw new ParameterException(spec.commandLine(), resume + " was trained with the " + kind + " scaler, "
                    + "and this run " + (mine.equals("none") ? "scales nothing" : "fits " + mine) + ": pass --scaler "
                    + kind + " to resume it");
        } else if (savedScaler != null && !JsonWriter.write(savedScaler).equals(JsonWriter.write(nowScaler))) {
            problem = "its scaler differs from the one fitted on this data's training rows";
        } else if (saved.featureNames() != null && now.featureNames() != null
                && !saved.featureNames().equals(now.featureNames())) {
            problem = "its feature columns are " + saved.featureNames() + ", this file's " + now.featureNames();
        } else {
            // A checkpoint from before the fingerprint was recorded has none: the checks above are all there is.
            String savedRows = restored.saved().metadata().get(TrainingRows.KEY);
            // A weighted run's checkpoint from before weights counted has the rows' fingerprint alone: computed only
            // then, a second pass over the rows that every other run is spared.
            String mine = savedRows != null && trainingRows != null && trainingRows.contains("weighted")
                    && !savedRows.contains("weighted") ? TrainingRows.fingerprint(trainingSet, null) : trainingRows;
            if (savedRows != null && mine != null && !savedRows.equals(mine)) {
                problem = "its training rows (" + savedRows + ") are not this run's (" + mine
                        + "): a value changed, or rows were added, removed or reordered";
            }
        }
        if (problem != null) {
            restored.close();
            throw new ParameterException(spec.commandLine(), resume + " was trained on other data: " + problem
                    + "; resume it on the file and options it was trained with");
        }
    }

    /** A saved scaler's kind as {@code --scaler} names it: {@code minmax}, {@code standard}, or {@code none}. */
    private static String scalerKind(Object scaler) {
        Object type = scaler instanceof Map<?, ?> m ? m.get("type") : null;
        return type == null ? "none" : "min_max".equals(type) ? "minmax" : String.valueOf(type);
    }

    /**
     * Records an entry that tells a reader of the model file how the run was made, and that no resumed run reads
     * back (the weights' initialiser, the rate the run started from, the backend). A resumed run carries the
     * checkpoint's value of a {@code carried} entry, and records none where the checkpoint has none: its weights and
     * rate are the checkpoint's, not this command line's.
     *
     * @param key     the metadata key ({@code digits.init})
     * @param value   this run's value
     * @param carried whether a resumed run keeps the checkpoint's value instead
     */
    void recordProvenance(String key, String value, boolean carried) {
        if (!carried || resume == null) {
            provenance.put(key, value);
        } else if (resumedMetadata.get(key) != null) {
            provenance.put(key, resumedMetadata.get(key));
        }
    }

    /** {@return the run's settings and its provenance entries, as every file of the run records them} */
    private Map<String, String> metadataOf(RunSettings settings) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>(settings.metadata());
        metadata.putAll(provenance);
        return metadata;
    }

    /**
     * Adds resumption and checkpoints to a trainer.
     *
     * @param builder   the trainer being configured
     * @param model     the model
     * @param optimizer its optimizer
     * @param settings  the run's settings, recorded in every checkpoint for {@code --resume}
     * @param preprocessing the run's scaler and class names, saved with every checkpoint
     * @param stop      the run's interruption report, which the checkpoints are guarded from
     */
    void configure(Trainer.Builder builder, Sequential model, Optimizer optimizer, RunSettings settings,
                   Preprocessing preprocessing, Interruption stop) {
        Map<String, String> metadata = metadataOf(settings);
        if (trainingRows != null) {
            metadata.put(TrainingRows.KEY, trainingRows);
        }
        if (resumedEpoch > 0) {
            // The epoch and early stopping's progress: patience and the best weights continue across the stop.
            builder.initialEpoch(resumedEpoch).progress(resumedProgress);
        }
        if (checkpointDir != null) {
            rememberLastCheckpoint();
            ModelCheckpoint checkpoints = new ModelCheckpoint(checkpointDir, model, optimizer,
                    settings.monitor().monitor())
                    .preprocessing(preprocessing)
                    .metadata(metadata)
                    .every(checkpointEvery == null ? 1 : checkpointEvery);
            // Guarded: once Ctrl-C's message has named the last checkpoint, no newer one replaces it. The wrapper hides
            // the ModelCheckpoint from the Trainer, which would otherwise move it after every other listener (so
            // that a checkpoint holds what they did at the epoch's end): it must stay the last listener added.
            builder.listener(stop.guard(checkpoints));
        }
    }

    /**
     * The epoch training starts at: 1, or the one after a resumed checkpoint's.
     *
     * @return the first epoch to run
     */
    int firstEpoch() {
        return resumedEpoch + 1;
    }

    /**
     * For an interrupted run's message: the last checkpoint, which {@code --resume} continues from, once one is
     * written.
     *
     * @return the file and what to do with it, or null before the first checkpoint
     */
    String lastCheckpointNote() {
        return lastCheckpointNote(List.of(), Integer.MAX_VALUE);
    }

    /**
     * As {@link #lastCheckpointNote()}, with the options that read the run's data in the command it gives
     * ({@link DataOptions#readingOptions}): a CSV run's resume needs its {@code --csv} and {@code --label} again; and
     * those of the files of figures it continues ({@code --history}, {@code --metrics}).
     *
     * @param dataOptions the words of those options, each ready for a shell
     * @param epochs      the epochs the run trains to: a checkpoint of the last is a finished run, which no resume
     *                    continues (it is refused), so none is offered
     * @return the file and the command that continues from it, or null before the first checkpoint
     */
    String lastCheckpointNote(List<String> dataOptions, int epochs) {
        Path last = checkpointDir.resolve(ModelCheckpoint.LAST);
        if (!Files.isRegularFile(last)) {
            return null;
        }
        // Named only once this run has written it: one an earlier run left there (another network, another seed)
        // would continue that run, not this one, and the one a run resumed from is not this run's writing (its
        // command, given again, continues it). Before training starts nothing is noted, and nothing written.
        if (!remembered || Objects.equals(lastBeforeRun, stamp(last))) {
            return null;
        }
        String after;
        try {
            // The epoch it holds, which is not the epoch the run was in: that one's checkpoint was never written.
            int epoch = Checkpoint.inspect(last).epoch();
            if (epoch >= epochs) {
                // Interrupted after training, while the model was evaluated or the files written: --resume would be
                // refused (no epoch left); the checkpoints hold the weights (the last epoch's and the best one's).
                return last + " (the last checkpoint, after epoch " + epoch + ", the run's last: training had ended, "
                        + "so no --resume continues it; ./digits predict --model " + shellWord(last)
                        + " scores its weights)";
            }
            after = ", after epoch " + epoch;
        } catch (IOException | RuntimeException unreadable) {
            after = "";
        }
        // The run's own --save, which the interrupted run never reached, and its --checkpoint-dir: a resume without
        // them would save nothing, and could not be resumed in turn. Quoted as a shell reads them.
        return last + " (the last checkpoint" + after + "; --resume " + shellWord(last) + " --checkpoint-dir "
                + shellWord(checkpointDir) + (save == null ? "" : " --save " + shellWord(save))
                + dataOptions.stream().map(word -> " " + word).collect(java.util.stream.Collectors.joining())
                + " continues)";
    }

    /** Notes the folder's last checkpoint as it is before this run's first epoch ({@link #lastCheckpointNote}). */
    void rememberLastCheckpoint() {
        lastBeforeRun = stamp(checkpointDir.resolve(ModelCheckpoint.LAST));
        remembered = true;
    }

    /**
     * What tells one write of a file from another: its file key (a new inode for each atomic replacement, where the
     * file system has one), modification time and size; null when it is not there.
     */
    private static List<Object> stamp(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code path} as one shell word: as it is when plain, else in single quotes. */
    static String shellWord(Path path) {
        return shellWord(path.toString());
    }

    /** {@code text} as one shell word: as it is when plain, else in single quotes. */
    static String shellWord(String text) {
        return text.matches("[A-Za-z0-9_./:=@%+,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * Saves the trained model if {@code --save} was given.
     *
     * @param model    the trained model
     * @param settings the run's settings, recorded in the file
     * @param preprocessing the run's fitted scaler and class names (the digits' or the CSV file's)
     * @param out      where to say so
     */
    void saveIfAsked(Sequential model, RunSettings settings, Preprocessing preprocessing, PrintWriter out) {
        if (save == null) {
            return;
        }
        boolean onnx = OnnxModelFileFormat.isOnnx(save);
        try {
            if (onnx) {
                // Raw features in, as SavedModel.predict takes them: the file serves alone, in ONNX Runtime too, and
                // nnj's metadata in it brings the model back as it was (OnnxImporter.loadSaved), with the run's
                // settings, which predict reads a CSV file's categories and weight column from.
                OnnxExporter.export(new SavedModel(model, preprocessing, metadataOf(settings)), save,
                        OnnxExporter.Input.RAW_FEATURES);
            } else {
                ModelFiles.save(model, save, saveLayout.layout, preprocessing, metadataOf(settings));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + save + ": " + Converters.afterFile(save, e),
                    e);
        }
        String scaler = preprocessing.minMaxScaler() != null ? "min-max scaler"
                : preprocessing.standardScaler() != null ? "standard scaler" : "no scaler";
        if (onnx) {
            out.printf(Locale.ROOT, "Saved the model to %s (ONNX, opset %d: raw features in%s, %s%s)%n", save,
                    OnnxExporter.OPSET, OnnxInputNote.of(preprocessing),
                    (preprocessing.features() >= 0 ? "its " + scaler : "no scaler")
                            + (preprocessing.targets() >= 0 ? " and its target scaler" : "")
                            + (preprocessing.features() >= 0 || preprocessing.targets() >= 0 ? " in the graph" : ""),
                    preprocessing.classNames() != null ? "; class names and the run's settings as metadata"
                            : "; the run's settings as metadata");
        } else {
            List<String> parts = new ArrayList<>();
            if (preprocessing.imputer() != null) {
                parts.add("imputer (" + preprocessing.imputer().strategy() + ")");
            }
            parts.add(scaler);
            if (preprocessing.targets() >= 0) {
                // A regression's: predict answers in the target's units with it.
                parts.add("target scaler");
            }
            if (preprocessing.classNames() != null) {
                parts.add("class names");
            }
            if (preprocessing.featureNames() != null) {
                parts.add("feature column names");
            }
            if (!preprocessing.categories().isEmpty()) {
                parts.add("the categories of " + preprocessing.categories().keySet().stream().map(NameLists::listed)
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
            if (!preprocessing.ignoredColumns().isEmpty()) {
                parts.add("the columns left out (" + preprocessing.ignoredColumns().stream().map(NameLists::listed)
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
            }
            String kept = String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
            out.printf(Locale.ROOT, "Saved the model to %s (%s layout, with its %s)%n", save, saveLayout, kept);
        }
        out.flush();
    }

    /**
     * The digits' preprocessing: the article's scaler ({@link Digits#articleScaler}) and the digits as
     * class names.
     */
    static Preprocessing digitsPreprocessing(MinMaxScaler scaler) {
        return Preprocessing.none().withScaler(scaler).withClassNames(Digits.classNames());
    }
}
