package dev.nnj.examples;

import dev.nnj.api.Backend;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.ModelCheckpoint;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
    /** Metadata key recording the training seed, so a resumed run shuffles as the original did. */
    static final String SEED_KEY = "digits.seed";

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
            description = "Save the trained model (with its preprocessing) to FILE, a safetensors file.")
    Path save;

    @Option(names = "--save-layout", paramLabel = "LAYOUT", converter = LayoutConverter.class,
            description = "Weight layout of --save: nnj (in, out; default) or pytorch (out, in, loads into "
                    + "torch.nn.Linear).")
    Layout saveLayout = Layout.NNJ;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write DIR/last.safetensors after every epoch and DIR/best.safetensors at each new best "
                    + "test loss (model + optimizer state; resume with --resume).")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue training from a checkpoint up to --epochs, exactly as if never stopped "
                    + "(the same optimizer options, seed and batch size as the run that wrote it).")
    Path resume;

    /** The epoch the resumed checkpoint was saved after (0 when not resuming). */
    private int resumedEpoch;

    /** Converts {@code nnj} / {@code pytorch}. */
    static final class LayoutConverter implements picocli.CommandLine.ITypeConverter<Layout> {
        @Override
        public Layout convert(String value) {
            return Converters.parseEnum(Layout.class, value);
        }
    }

    /**
     * Checks the combination before any work: one model only, directories that exist.
     *
     * @param spec  the command, for usage errors
     * @param seeds how many seeds will be run
     */
    void check(CommandSpec spec, int seeds) {
        boolean any = save != null || checkpointDir != null || resume != null;
        if (any && seeds > 1) {
            throw new ParameterException(spec.commandLine(), "--save, --checkpoint-dir and --resume train one model; "
                    + "use --seed instead of --seeds");
        }
        if (save == null && spec.commandLine().getParseResult().hasMatchedOption("--save-layout")) {
            throw new ParameterException(spec.commandLine(), "--save-layout needs --save FILE");
        }
        if (save != null) {
            Path parent = save.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--save': the directory "
                        + parent + " does not exist");
            }
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--resume': " + resume
                    + " is not a file");
        }
    }

    /**
     * The seed a resumed run must use: the checkpoint's, unless {@code --seed} was given.
     *
     * @param spec the command
     * @param seed the seed from the command line
     * @param out  where to say which seed is used
     * @return the seed to train with
     */
    long seed(CommandSpec spec, long seed, PrintWriter out) {
        if (resume == null) {
            return seed;
        }
        try (SafeTensors.Reader reader = SafeTensors.open(resume)) {
            String saved = reader.metadata().get(SEED_KEY);
            if (saved == null || spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                return seed;
            }
            long s = Long.parseLong(saved);
            out.printf(Locale.ROOT, "Resuming with the checkpoint's seed %d%n", s);
            return s;
        } catch (IOException | NumberFormatException e) {
            return seed;   // the restore below reports a broken file with its reason
        }
    }

    /**
     * The model to train: restored from {@code --resume} (loading the optimizer state into {@code optimizer}),
     * or a fresh one.
     *
     * @param backend   where the model lives
     * @param optimizer receives the checkpoint's state
     * @param fresh     builds a new model
     * @param epochs    the epochs to reach
     * @param out       where to report the resumption
     * @return the model
     */
    Sequential model(Backend backend, Optimizer optimizer, Supplier<Sequential> fresh, int epochs, PrintWriter out) {
        if (resume == null) {
            return fresh.get();
        }
        Checkpoint.Restored restored;
        try {
            restored = Checkpoint.restore(resume, backend, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (restored.epoch() >= epochs) {
            restored.close();
            throw new IllegalArgumentException(resume + " was saved after epoch " + restored.epoch()
                    + "; pass --epochs above " + restored.epoch() + " to train on");
        }
        resumedEpoch = restored.epoch();
        out.printf(Locale.ROOT, "Resumed from %s after epoch %d (%s, %d steps taken)%n", resume, resumedEpoch,
                optimizer.describe(), optimizer.steps());
        return restored.model();
    }

    /**
     * Adds resumption and checkpoints to a trainer.
     *
     * @param builder   the trainer being configured
     * @param model     the model
     * @param optimizer its optimizer
     * @param seed      the training seed, recorded in checkpoints
     * @param preprocessing the run's scaler and class names, saved with every checkpoint
     */
    void configure(Trainer.Builder builder, Sequential model, Optimizer optimizer, long seed,
                   Preprocessing preprocessing) {
        if (resumedEpoch > 0) {
            builder.initialEpoch(resumedEpoch);
        }
        if (checkpointDir != null) {
            ModelCheckpoint checkpoints = new ModelCheckpoint(checkpointDir, model, optimizer,
                    EarlyStopping.Monitor.VALIDATION_LOSS)
                    .preprocessing(preprocessing)
                    .metadata(Map.of(SEED_KEY, Long.toString(seed)));
            builder.listener(checkpoints);
        }
    }

    /**
     * Saves the trained model if {@code --save} was given.
     *
     * @param model the trained model
     * @param seed  the training seed
     * @param preprocessing the run's fitted scaler and class names (the digits' or the CSV file's)
     * @param out   where to say so
     */
    void saveIfAsked(Sequential model, long seed, Preprocessing preprocessing, PrintWriter out) {
        if (save == null) {
            return;
        }
        try {
            ModelFiles.save(model, save, saveLayout.layout, preprocessing, Map.of(SEED_KEY, Long.toString(seed)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + save + ": " + e.getMessage(), e);
        }
        String scaler = preprocessing.minMaxScaler() != null ? "min-max scaler"
                : preprocessing.standardScaler() != null ? "standard scaler" : "no scaler";
        out.printf(Locale.ROOT, "Saved the model to %s (%s layout, with its %s and class names)%n", save,
                saveLayout, scaler);
        out.flush();
    }

    /**
     * The digits' preprocessing: the article's scaler ({@link DigitsData#articleScaler}) and the digits as
     * class names.
     */
    static Preprocessing digitsPreprocessing(MinMaxScaler scaler) {
        return Preprocessing.none().withScaler(scaler).withClassNames(DigitsData.classNames());
    }
}
