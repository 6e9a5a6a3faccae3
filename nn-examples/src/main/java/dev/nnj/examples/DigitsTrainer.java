package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.MemoryBudgetException;
import dev.nnj.api.NnjVersion;
import dev.nnj.api.ProviderStatus;
import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.layers.MemoryPlan;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.BackendProvider;
import dev.nnj.api.train.CsvLogger;
import dev.nnj.api.train.DivergenceException;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateFinder;
import dev.nnj.api.train.ModelCheckpoint;
import dev.nnj.api.train.ReduceLROnPlateau;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Trains the article's network on the bundled handwritten digits and reports loss and accuracy on the
 * article's test split. Run it with {@code ./digits --preset article} from the repository root, or
 * {@code java --add-modules jdk.incubator.vector -jar nn-examples/target/nnj-digits.jar --help}.
 *
 * <p>Both presets scale the 64 pixel counts to {@code [0, 1]} with a min-max scaler fitted on all 1797
 * images, as the article does ({@code MinMaxScaler().fit_transform(d.data)} before the split), and use
 * scikit-learn's split with {@code random_state=42} (1437 training, 360 test images). As in the article's
 * {@code Trainer}, the test split is also the validation set recorded after every epoch, unless
 * {@code --validation-split} holds out part of the training rows for that ({@link DataOptions}); the options
 * for progress, plots and CSV data live in {@link ProgressOptions}, {@link PlotOptions} and {@link DataOptions}.
 *
 * <p>On a CSV file it trains a classifier of the {@code --label} column's values, or with {@code --task regression}
 * a regression of its numbers: one identity output trained on the target standardized with the training rows'
 * statistics ({@link RegressionTargets}), reported in the target's units beside the training mean
 * ({@link RegressionResults}).
 */
@Command(name = "digits", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = DigitsTrainer.Version.class,
        // The options' list below says what each does: a synopsis of all 65 was 17 lines before the description.
        customSynopsis = "digits [OPTION]... [COMMAND]",
        description = {
            "Trains a network (the article's 64-64-10 unless --hidden says otherwise) on the 1797 8x8 handwritten "
                    + "digits (UCI optical digits, E. Alpaydin and C. Kaynak 1998, CC BY 4.0), or on a CSV file "
                    + "(--csv), and reports loss and accuracy on scikit-learn's test split (random_state=42: 1437 "
                    + "train, 360 test). Pixels are min-max scaled to [0, 1] on all images first, as in the article. "
                    + "With --task regression, predicts a CSV column of numbers instead, and reports RMSE, MAE and R2.",
            "",
            "Examples:",
            "  ./digits --preset article",
            "  ./digits --preset article --seeds 0-4 --progress-every 0",
            "  ./digits --preset keras --early-stopping --patience 20 --backend cpu",
            "  ./digits --preset keras --hidden 128,64 --dropout 0.2 --epochs 200 --cv 5",
            "  ./digits --preset keras --save digits.safetensors --checkpoint-dir ckpt",
            "  ./digits predict --model digits.safetensors --index 7",
            "  ./digits --csv houses.csv --header --label price --task regression --plots p",
            "(more in digits predict --help)",
            "",
            "Presets (an option overrides its part):",
            "  article  Dense(64, sigmoid) -> Dense(10, softmax), N(0, 1) weights and zero",
            "           biases (np.random.randn), full-batch gradient descent, lr 0.1.",
            "  keras    Dense(64, relu) -> Dense(10, softmax), Glorot-uniform weights and",
            "           zero biases, Adam (lr 1e-3, eps 1e-7), batches of 32 reshuffled",
            "           every epoch.",
            "  Both: categorical cross-entropy, 1000 epochs. With --csv, Dense(K, softmax)",
            "  for the file's K classes (two outputs for two classes: the CLI builds no",
            "  one-output sigmoid model, and predict reads one from the library or ONNX).",
            "  With --task regression, Dense(1) (the identity) on the target standardized",
            "  with the training rows' mean and standard deviation, loss --loss; with",
            "  several targets (--label y1,y2), Dense(k), each standardized on its own.",
            "",
            "Options:"},
        footer = {
            "",
            "Losses are categorical cross-entropy averaged over images, as Keras and PyTorch",
            "print them; the article's -np.mean(y * np.log(p)) also averages over the 10",
            "outputs, so it prints this value / 10. A row whose class probability underflows",
            "to 0 counts 100 (-log p capped, as PyTorch's BCELoss does); scikit-learn's",
            "log_loss clips p at 2.2e-16 and Keras at 1e-7, so on confidently wrong rows",
            "their figures are lower. The test set's \"log loss\" line is scikit-learn's.",
            "Exit status: 0 done, 1 the run failed, 2 bad command line, 3 training",
            "diverged (loss or weights not finite, or the loss at the log floor), 141",
            "standard output closed by its reader (| head), quietly, after the run;",
            "130, 143 and 129 stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP, after",
            "one line saying where the run stood and what it had written. The JVM",
            "exits with that status rather than dying of the signal, so a shell loop",
            "goes on after a Ctrl-C unless it checks:",
            "./digits ...; s=$?; [ $s -lt 128 ] || exit $s",
            "The backend is --backend, else -Dnnj.backend or NNJ_BACKEND, else the best",
            "available one (log lines on stderr say why others were skipped)."})
public final class DigitsTrainer implements Callable<Integer> {

    /** A trainer with every option at its default; {@link #commandLine} parses a command line into it. */
    public DigitsTrainer() {
    }
    // Before the first logger, which starts logback: it reads -Dlogback.configurationFile as it starts.
    static {
        DigitsLogging.dropMissingConfiguration();
    }
    private static final Logger LOG = LoggerFactory.getLogger(DigitsTrainer.class);
    /** Exit status of a bad command line (picocli's {@code ExitCode.USAGE}). */
    static final int EXIT_USAGE = 2;
    /** Exit status of a run that failed. */
    static final int EXIT_FAILURE = 1;
    /** Exit status of a run whose training diverged ({@link DivergenceException}). */
    static final int EXIT_DIVERGED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", converter = Converters.PresetConverter.class,
            completionCandidates = Converters.PresetNames.class,
            description = "article or keras; see Presets above. Default: article for the digits, keras with "
                    + "--csv.")
    DigitsPreset preset = DigitsPreset.ARTICLE;

    /** Whether {@link #preset} is keras because --csv was given without --preset ({@link #run}). */
    private boolean presetForCsv;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to run on, e.g. cpu or cuda (default: the best available one).")
    String backend;

    @Option(names = "--seed", paramLabel = "N", converter = Converters.SeedConverter.class,
            description = "Seed of the weight initialisation and batch shuffling (default: 0).")
    long seed;

    @Option(names = "--seeds", paramLabel = "LIST", converter = Converters.SeedListConverter.class,
            description = "Run several seeds and summarise test accuracy, macro-F1 and balanced accuracy beside the "
                    + "majority-class baseline (a regression's R2, RMSE and MAE beside the training mean's), e.g. 0-4 "
                    + "or 1,3,7 (instead of --seed); a "
                    + "seed may repeat: 0,0,0 trains one run three times in a JVM, warm.")
    SeedList seeds;

    @Option(names = "--cv", paramLabel = "K", converter = Converters.PositiveInt.class,
            description = "Score these settings by stratified K-fold cross-validation of the training split instead "
                    + "of one training, as scikit-learn's cross_val_score: K fresh models, each trained on K-1 folds "
                    + "and scored on the fold it left out; prints each fold's accuracy, macro-F1 and balanced "
                    + "accuracy (a regression's R2, RMSE and MAE, its folds unstratified), and their mean and standard "
                    + "deviation. The test split stays unused, and no model is kept. Folds shuffled by --split-seed.")
    Integer crossValidationFolds;

    @Option(names = "--jobs", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "With --cv: train N folds at a time, each on a thread of its own (default: 1). Each fold "
                    + "scores exactly what it scores alone; its lines appear when it and the folds before it are "
                    + "done, without per-epoch progress. On two cores, --cv 5 --jobs 2 trained in 0.73-0.81 times "
                    + "the time of one fold at a time (keras and article presets).")
    Integer foldJobs;

    @Option(names = "--find-lr",
            description = "Run the learning-rate range test instead of training (fast.ai's lr_find): "
                    + RANGE_TEST_STEPS + " batches at rates growing from 1e-7 to 10 with the preset's optimizer and "
                    + "batch size, from a fresh model; prints the loss curve and a suggested --learning-rate, and "
                    + "with --plots writes lr-finder.png.")
    boolean findLearningRate;

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "Also write the run's figures to FILE as JSON, at full precision, for scripts and CI: "
                    + "each run's (each seed's) epochs and training seconds, its train (and validation) loss and "
                    + "accuracy, and the test report's figures: loss, accuracy, macro- and weighted F1, balanced "
                    + "accuracy, log loss, ROC AUC, average precision, top-k accuracy, each class's precision, recall, "
                    + "F1 and support, and the confusion matrix, and with --weight-column the weighted line's; "
                    + "whether it stopped early and its best epoch: the one early stopping kept, by the validation "
                    + "loss or --monitor's figure, or without --early-stopping the last (a regression's train, "
                    + "validation and test RMSE, MAE, R2, MSE and explained variance, each target's too with several, "
                    + "beside the training mean's, in the targets' units); with --cv, each fold's on the rows it left "
                    + "out; with several seeds or folds, a summary of their mean, std, min and max. Written atomically "
                    + "when the runs are done.")
    java.nio.file.Path metrics;

    @Option(names = "--history", paramLabel = "FILE",
            description = "Write each epoch's figures to FILE as CSV while training (Keras' CSVLogger: epoch, "
                    + "train_loss, train_accuracy, val_loss, val_accuracy, learning_rate, elapsed_s), rewritten whole "
                    + "while training (after every epoch, or every few where that would cost over a twentieth of the "
                    + "run; before every checkpoint; at the end), so it can be read during the run. val_ holds the "
                    + "rows checked each epoch, as the progress lines do: the --validation-split rows, else the test "
                    + "set; a regression's losses are on the target in units of the training rows' standard deviation "
                    + "(mse's in their squares), as there. A --resume'd run continues the file where it exists, "
                    + "which must then hold the epochs before the checkpoint's, and otherwise starts it at the resumed "
                    + "epoch, saying so. With --seeds, a file per seed beside FILE, its name prefixed as --plots' "
                    + "charts are: seed-3-history.csv (seed-0-run-2-history.csv for a seed given more than once, 2 "
                    + "being the run's place in --seeds); with --cv, a file per fold, fold-1-history.csv, val_ being "
                    + "the rows the fold leaves out.")
    java.nio.file.Path history;

    /** Batches of the range test, fast.ai's default. */
    static final int RANGE_TEST_STEPS = 100;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Epochs to train (default: 1000).")
    int epochs = 1000;

    @Option(names = "--learning-rate", paramLabel = "X", converter = Converters.PositiveFloat.class,
            description = "Learning rate (default: the preset's; for another optimizer: sgd 0.1, momentum and "
                    + "nesterov 0.05, adam, adamw and rmsprop 1e-3, adagrad 0.01).")
    Float learningRate;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", converter = Converters.ScheduleConverter.class,
            completionCandidates = Converters.ScheduleNames.class,
            description = "How the learning rate moves, as PyTorch's schedulers: constant (default); one-cycle "
                    + "(OneCycleLR with cycle_momentum=False, per batch: up to --learning-rate over the first 30%% of "
                    + "the steps, then down to 1/250000 of it; the rate --find-lr suggests is meant for it); cosine "
                    + "(CosineAnnealingLR over the epochs, towards 0); plateau or plateau:P or plateau:P:F "
                    + "(ReduceLROnPlateau: xF, 0.1 by default, on the (P+1)-th epoch in a row without a better "
                    + "validation loss (or --monitor's figure), P 10 by default; holds out 10%% of the training rows "
                    + "as --early-stopping "
                    + "does); step:N or step:N:G (StepLR: xG, 0.1 by default, every N "
                    + "epochs); exponential:G (ExponentialLR: xG every epoch).")
    ScheduleChoice schedule = ScheduleChoice.CONSTANT;

    @Option(names = "--weight-decay", paramLabel = "X", converter = Converters.NonNegativeFloat.class,
            description = "Weight decay, as PyTorch's weight_decay: X times each weight (biases included, unless "
                    + "--no-bias-decay) added to its "
                    + "gradient, the gradient of an L2 penalty X/2 |w|^2; for adamw the decoupled decay "
                    + "w <- w (1 - lr X) instead (default: 0, adamw 0.01). Not scikit-learn's MLP alpha, which is "
                    + "divided by the batch's rows and spares the biases: alpha A with batches of B is about "
                    + "--weight-decay A/B --no-bias-decay.")
    Float weightDecay;

    @Option(names = "--no-bias-decay",
            description = "Leave the biases out of --weight-decay, as scikit-learn's alpha and Keras's "
                    + "kernel_regularizer do (PyTorch's no-decay parameter group): only the weights decay. Needs a "
                    + "weight decay above 0 (adamw's default 0.01 counts).")
    boolean noBiasDecay;

    @Option(names = "--amsgrad",
            description = "adam and adamw with AMSGrad, as PyTorch's amsgrad=True and Keras's amsgrad: the step "
                    + "divides by the running maximum of the second moment rather than the moment itself, a maximum "
                    + "that never shrinks (the step still grows as the bias corrections fade).")
    boolean amsgrad;

    @Option(names = "--clip-norm", paramLabel = "X", converter = Converters.PositiveFloat.class,
            description = "Scale the gradients before each step so that their global L2 norm, over every parameter, "
                    + "is at most X, as PyTorch's clip_grad_norm_ (Keras's global_clipnorm, not its per-variable "
                    + "clipnorm).")
    Float clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", converter = Converters.PositiveFloat.class,
            description = "Clamp each gradient element to [-X, X] before each step, as PyTorch's clip_grad_value_ "
                    + "(Keras's clipvalue).")
    Float clipValue;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Option(names = "--batch-size", paramLabel = "N", converter = Converters.NonNegativeInt.class,
            description = "Rows per step; 0 = the full training set (default: article 0, keras 32).")
    Integer batchSize;

    @Option(names = "--class-weight", paramLabel = "WEIGHTS", converter = Converters.ClassWeightConverter.class,
            description = "Weight each training row's loss by its class, for imbalanced classes: balanced "
                    + "(scikit-learn's: rows / (classes x rows of the class), from the training rows), or one weight "
                    + "per class, e.g. 1,5 (default: none).")
    ClassWeightChoice classWeight = ClassWeightChoice.NONE;

    @Option(names = "--optimizer", paramLabel = "NAME", converter = Converters.OptimizerConverter.class,
            completionCandidates = Converters.OptimizerNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default: article sgd, keras adam). momentum and "
                    + "nesterov are SGD with momentum 0.9; adam has Keras's epsilon 1e-7 (PyTorch's is 1e-8), the "
                    + "others PyTorch's defaults.")
    OptimizerName optimizer;

    @Option(names = "--early-stopping",
            description = "Stop when the validation loss (or --monitor's figure) has not improved for --patience "
                    + "epochs, and restore the "
                    + "best epoch's weights. Without --validation-split it holds out 10%% of the training rows "
                    + "(stratified; shuffled for a regression) to watch, so that the test split stays unseen until "
                    + "the end. The loss watched is unweighted, as Keras's val_loss with class_weight: --class-weight "
                    + "can make it rise while balanced accuracy improves.")
    boolean earlyStopping;

    @Option(names = "--patience", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Early stopping stops on the N-th epoch in a row without improvement (default: 20); "
                    + "needs --early-stopping.")
    int patience = 20;

    @Option(names = "--min-delta", paramLabel = "X", converter = Converters.NonNegativeDecimal.class,
            description = "Early stopping counts an epoch as better only when its validation loss (or --monitor's "
                    + "figure) is more than X better than the best so far (default: 0, as Keras's min_delta), and "
                    + "keeps the last such epoch's weights, as Keras does (--checkpoint-dir's best.safetensors holds "
                    + "the best value, which may be a later epoch's); needs --early-stopping.")
    double minDelta;

    @Option(names = "--monitor", paramLabel = "NAME", converter = Converters.MonitorConverter.class,
            completionCandidates = Converters.MonitorNames.class,
            description = "What --early-stopping, --checkpoint-dir's best.safetensors and --lr-schedule plateau watch "
                    + "on the validation rows (the test rows without them), as Keras's monitor='val_...': "
                    + "${COMPLETION-CANDIDATES} (default: "
                    + "loss; higher is better for the others). balanced-accuracy, macro-f1, roc-auc and "
                    + "average-precision (the --pos-label class's for two classes, one-vs-rest macro for more) suit "
                    + "imbalanced classes, whose loss --class-weight can make rise as the small class is learnt; "
                    + "a classifier's only. Each epoch's value is in the progress lines and in --history's "
                    + "val_balanced_accuracy (val_macro_f1, ...) column.")
    MonitorChoice monitor = MonitorChoice.LOSS;

    @Option(names = "--progress-every", paramLabel = "N", converter = Converters.NonNegativeInt.class,
            description = "Print a progress line every N epochs; 0 = none (default: a tenth of --epochs, at most "
                    + "article 100, keras 50).")
    Integer progressEvery;

    @Mixin
    ProgressOptions progress = new ProgressOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    PlotOptions plots = new PlotOptions();

    @Mixin
    ModelOptions models = new ModelOptions();

    private final List<RunResult> results = new ArrayList<>();
    private final List<CrossValidation.FoldResult> foldResults = new ArrayList<>();
    /** A regression's runs, one per seed, for the summary over {@code --seeds}. */
    private final List<RegressionResults.SeedRun> regressionRuns = new ArrayList<>();

    /**
     * What one seed's run measured, after training (and after restoring the best weights, if it did).
     *
     * @param seed       the run's seed
     * @param train      loss and accuracy on the training rows
     * @param test       loss and accuracy on the test rows
     * @param epochs     epochs trained
     * @param seconds    training time
     * @param testReport the classification report on the test rows (macro-F1, balanced accuracy, ...)
     */
    public record RunResult(long seed, Evaluation train, Evaluation test, int epochs, double seconds,
            ClassificationReport testReport) {
    }

    /**
     * Runs the trainer and exits with its status: 0, 1 if the run failed, 2 for a bad command line, 3 if training
     * diverged.
     *
     * @param args the command line, see {@code --help}
     */
    public static void main(String[] args) {
        // Messages in UTF-8 whatever the locale, as the output below: under LANG=C, Java 17 wrote '?' for every
        // other character of an error naming a column ('col?r'), and of predict's rows beside --output -.
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        if (readsBundledDigits(args)) {
            DigitsData.prefetch();   // the images are read while logging, options and backend are set up
        }
        try {
            DigitsLogging.configure();
        } catch (IllegalArgumentException e) {
            System.err.println("digits: " + e.getMessage());
            System.exit(2);
        }
        String undecodable = undecodableArgument(args);
        if (undecodable != null) {
            System.err.println("digits: " + undecodable);
            System.exit(EXIT_USAGE);
        }
        int status;
        try {
            CommandLine cl = commandLine(new DigitsTrainer(), mayNameSubcommand(args));
            // UTF-8 whatever the locale: predict --output - writes data there, and LANG=C (many containers, cron)
            // would otherwise turn every other character of a class name into '?'.
            cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
            cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
            status = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handlers. The memory checks refuse what cannot fit in the backend's budget
            // before allocating; a heap made smaller than the default (-Xmx) can still run out later, in evaluation.
            System.err.println(outOfMemory(e, args, trainingBegun));
            status = EXIT_FAILURE;
        }
        if (System.out.checkError() && status == 0) {
            // PrintStream keeps its write errors to itself: a full disk behind '> file' would pass for success.
            if (StandardOutput.isPipe()) {
                // '| head': the reader took what it wanted; quiet, with the status SIGPIPE would have given.
                status = StandardOutput.CLOSED_PIPE_STATUS;
            } else {
                System.err.println("digits: error: standard output could not be written (closed, or a full "
                        + "disk?)");
                status = EXIT_FAILURE;
            }
        }
        System.exit(status);
    }

    /**
     * The first argument the JVM could not decode, said as a usage error, or null. Bytes that are not UTF-8 (a file
     * name in Latin-1) reach {@code main} as U+FFFD, the replacement character: {@code --save lat\xe9.safetensors}
     * saved to another name than the one given, with status 0, and {@code inspect} of such a file said it did not
     * exist.
     *
     * @param args the command line
     * @return the message, or null when every argument was decoded
     */
    static String undecodableArgument(String[] args) {
        char replacement = (char) 0xFFFD;
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf(replacement) >= 0) {
                return "argument " + (i + 1) + ", '" + args[i] + "', holds bytes that are not UTF-8 (a name in "
                        + "another encoding, such as Latin-1), which Java cannot pass on as given: a file would be "
                        + "written under another name, or not found; rename it in UTF-8";
            }
        }
        return null;
    }

    /** Whether this run has begun training (printed its {@code Training:} line): what a heap run out then was. */
    private static volatile boolean trainingBegun;

    /**
     * The message for a heap run out: its size, the option that gives more, and what else helps the command that ran.
     * The trainer reads a CSV file whole, and takes about five times its values' float32 size (4 bytes each) while it
     * is read and split (a 10^6 x 20 file: 80 MB of values, 384 MiB of heap). Predict reads its file a part at a time,
     * and gathers --output's lines in a temporary file, so its features do not add up; with --label (or --show-all) it
     * keeps each row's outputs and true values for the scores, and predict has no network options to shrink. Once
     * training has begun the data fitted, and what did not is the network, its optimizer's state and its batches
     * (the budget check before training counts the heap in use as of the last collection, which may predate the
     * data, and can let a network through that then does not fit).
     *
     * @param training whether the run had printed its {@code Training:} line
     */
    static String outOfMemory(OutOfMemoryError e, String[] args, boolean training) {
        if (String.valueOf(e.getMessage()).contains("unable to create native thread")) {
            // Not the heap: the system's limit on threads or processes (-Dnnj.cpu.threads=32768 where pid_max is
            // 32768 ran for two minutes, then blamed the heap and a CSV file the run never read).
            // The cpu backend's property, by name: nn-cpu is this program's run-time dependency only.
            String threads = System.getProperty("nnj.cpu.threads");
            return "digits: error: could not start a thread (" + e.getMessage() + "): the system's limit on "
                    + "processes or threads was reached (ulimit -u, /proc/sys/kernel/pid_max, a container's pids "
                    + "limit)" + (threads != null ? "; -Dnnj.cpu.threads=" + threads + " starts that many threads: "
                    + "give fewer" : "");
        }
        List<String> words = List.of(args);
        boolean predicts = words.contains("predict");
        boolean converts = words.contains("convert") || words.contains("inspect");   // a model file: nothing to shrink
        boolean keepsRows = words.stream().anyMatch(w -> w.equals("--label") || w.startsWith("--label=")
                || w.equals("--show-all") || w.equals("--show-all=true"));
        String other = converts ? "" : predicts && keepsRows ? "; predict reads a CSV file a part at a time, but "
                + "with --label or --show-all keeps each row's outputs for the scores (about 250 bytes a row for 10 "
                + "classes): split a file of many millions of rows and predict each part"
                : predicts ? "; predict reads a CSV file a part at a time: a model of that size, or a line of the "
                + "file that long, does not fit"
                : training ? ", or use a smaller --hidden or --batch-size: training had begun, so the network, its "
                + "optimizer's state and its batches did not fit beside the data"
                : "; the data did not fit (a CSV file is read whole, about 20 bytes of heap per value)";
        return "digits: error: the Java heap ran out (" + e.getMessage() + "; maximum "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); give the JVM more with NNJ_JAVA_OPTS="
                + "-Xmx<size>" + other;
    }

    /**
     * Whether a command line may need the subcommands ({@code predict}, {@code convert}, {@code inspect}): it names
     * one, or asks for help (which lists them), also as {@code -h} among other short options ({@code -hV}). Otherwise
     * the command line is built without them: picocli reads a command's annotations by reflection, and {@code
     * predict}'s took 22-37 ms of a cold JVM (four runs) that a training run then never used. A wrong guess cannot
     * change a run: an argument that is not exactly a subcommand's name is never the subcommand, and one that is gets
     * the full command line.
     *
     * @param args the command line
     * @return true to build the command line with the subcommands
     */
    static boolean mayNameSubcommand(String[] args) {
        for (String arg : args) {
            if (UsageErrors.SUBCOMMANDS.contains(arg) || asksForHelp(arg)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a raw argument asks for the usage help: {@code --help}, or {@code -h} alone or among the other short
     * options ({@code -hV}; the only short options are picocli's {@code -h} and {@code -V}).
     */
    private static boolean asksForHelp(String arg) {
        return arg.equals("--help") || arg.startsWith("-") && !arg.startsWith("--") && arg.indexOf('h') > 0;
    }

    /**
     * Whether a command line will read the bundled digits: not with {@code --csv}, nor to convert or inspect a model
     * file, print help or the version. A guess from the raw arguments, made before they are parsed; a wrong one costs
     * a wasted read or a read on the main thread, nothing else.
     *
     * @param args the command line
     * @return true to start reading the digits now
     */
    static boolean readsBundledDigits(String[] args) {
        for (String arg : args) {
            if (arg.equals("--csv") || arg.startsWith("--csv=") || asksForHelp(arg) || arg.equals("-V")
                    || arg.equals("--version") || arg.equals("help") || arg.equals("convert")
                    || arg.equals("inspect")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The configured command line: one-line usage errors with exit status 2, one-line failures with 1, one-line
     * divergence reports with 3.
     *
     * @param trainer the command object the options are bound to
     * @return a picocli command line ready to {@code execute}
     */
    public static CommandLine commandLine(DigitsTrainer trainer) {
        return commandLine(trainer, true);
    }

    /**
     * As {@link #commandLine(DigitsTrainer)}, with or without the subcommands {@code predict}, {@code convert} and
     * {@code inspect}.
     *
     * @param trainer         the command object the options are bound to
     * @param withSubcommands whether to add them ({@link #mayNameSubcommand})
     * @return a picocli command line ready to {@code execute}
     */
    static CommandLine commandLine(DigitsTrainer trainer, boolean withSubcommands) {
        CommandLine cl = new CommandLine(trainer);
        if (withSubcommands) {
            // Before the handlers, which then cover them too.
            cl.addSubcommand(UsageErrors.SUBCOMMANDS.get(0), new PredictCommand());
            cl.addSubcommand(UsageErrors.SUBCOMMANDS.get(1), new ConvertCommand());
            cl.addSubcommand(UsageErrors.SUBCOMMANDS.get(2), new InspectCommand());
        }
        cl.setParameterExceptionHandler(UsageErrors::report);
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            LOG.debug("digits failed", e);
            if (Interruption.happened()) {
                return EXIT_FAILURE;   // a failure of the halting JVM after the interrupt's own line: no second one
            }
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            cmd.getErr().println("digits: error: " + message);
            for (Throwable also : e.getSuppressed()) {
                if (also instanceof UncheckedIOException) {   // the run's other files that could not be written
                    cmd.getErr().println("digits: error: " + also.getMessage());
                }
            }
            if (e instanceof DivergenceException && cmd.getCommand() instanceof DigitsTrainer run
                    && run.data.unscaled()) {
                // The library's hint says "scale the features"; here that is an option away.
                cmd.getErr().println("digits: the features were not scaled (--scaler none): leave it out (minmax) or "
                        + "give --scaler standard");
            }
            cmd.getErr().flush();
            return e instanceof DivergenceException ? EXIT_DIVERGED : EXIT_FAILURE;
        });
        return cl;
    }

    @Override
    public Integer call() {
        // A signal (Ctrl-C, kill) halts the JVM without finally blocks: the hook says where the run stood.
        try (Interruption stop = Interruption.start(spec.commandLine().getErr())) {
            stop.onInterrupt(plots::removeIfUnused);
            try {
                return run(stop);
            } finally {
                plots.removeIfUnused();   // a failed run leaves no empty --plots folder of its own making
            }
        }
    }

    /** The run {@link #call} starts, telling {@code stop} what it does and writes. */
    private int run(Interruption stop) {
        PrintWriter out = spec.commandLine().getOut();
        if (data.csv != null && !ModelOptions.given(spec, "--preset")) {
            // The article's full-batch gradient descent makes 1000 updates in 1000 epochs: enough for the digits'
            // sigmoid network, short of converging on most other data (on the digits read as a CSV 0.92 against
            // keras's 0.98; on a 95:5 set it almost never predicts the minority class).
            preset = DigitsPreset.KERAS;
            presetForCsv = true;
        }
        OptimizerName askedOptimizer = optimizer != null ? optimizer : preset.optimizer;
        float askedRate = learningRate != null ? learningRate
                : askedOptimizer == preset.optimizer ? preset.learningRate : askedOptimizer.defaultLearningRate;
        if (seeds != null && ModelOptions.given(spec, "--seed")) {
            // One of the two would be dropped unsaid.
            throw new ParameterException(spec.commandLine(), "--seed and --seeds both choose the seeds; give one "
                    + "(--seeds " + seed + " runs that seed alone)");
        }
        long[] runSeeds = seeds != null ? seeds.seeds() : new long[] {seed};
        network.check(spec);
        Converters.requireNotAnInput(spec, "--save", models.save, "--csv", data.csv);
        Converters.requireNotAnInput(spec, "--save", models.save, "--test-csv", data.testCsv);
        if (crossValidationFolds != null) {
            requireCrossValidationAlone();
            data.shuffleFoldsWithSplitSeed();
        } else if (foldJobs != null) {
            throw new ParameterException(spec.commandLine(), "Option '--jobs' goes with '--cv': it trains the folds "
                    + "of a cross-validation at once; one training runs on the backend's threads already");
        }
        if (findLearningRate) {
            requireRangeTestAlone();
        }
        requireFiguresFile("--metrics", metrics, "metrics.json");
        if (history != null) {
            // FILE itself first, also where it names only the logs of several runs: '-' or a folder is refused.
            requireFiguresFile("--history", history, "history.csv");
            if ((crossValidationFolds != null || runSeeds.length > 1) && dev.nnj.api.io.AtomicFile.writesInPlace(
                    history)) {
                // The logs of several runs are files beside it (seed-0-history.csv): beside a device or pipe they
                // were regular files in its folder (/dev/seed-0-stdout), and the pipe itself was never opened.
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--history': " + history
                        + " is a device or pipe, written in place, and " + (crossValidationFolds != null ? "--cv"
                        : "--seeds") + " writes one log per run, as files beside it (" + (crossValidationFolds != null
                        ? "fold-1-" : runPrefix(runSeeds, 0)) + history.getFileName() + "); give a file name");
            }
            List<java.nio.file.Path> logs = new ArrayList<>();
            for (int f = 0; crossValidationFolds != null && f < crossValidationFolds; f++) {
                logs.add(foldHistory(f));
            }
            for (int i = 0; crossValidationFolds == null && i < runSeeds.length; i++) {
                logs.add(historyOf(runPrefix(runSeeds, i)));
            }
            for (java.nio.file.Path log : logs) {
                requireFiguresFile("--history", log, "history.csv");
                Converters.requireNotWrittenTwice(spec, "--history", log, "--metrics", metrics);
            }
        }
        // After the refusals above: it makes the --checkpoint-dir, which a refused command must not leave behind.
        models.check(spec, runSeeds.length, plots.dir);
        if (data.impute != null && models.save != null && dev.nnj.onnx.OnnxModelFileFormat.isOnnx(models.save)) {
            throw new ParameterException(spec.commandLine(), "--save " + models.save + " writes an ONNX graph of raw "
                    + "features, which cannot hold --impute's imputer: save a .safetensors file, and for ONNX convert "
                    + "it with 'digits convert --scaled-input' (the graph then takes imputed, scaled features)");
        }
        if (models.resume == null) {
            // A resumed run splits as the run it continues did (adoptResumed below), validation split or none.
            if (earlyStopping) {
                data.holdOutForValidation("--early-stopping");
            } else if (schedule.watchesValidation()) {
                data.holdOutForValidation("--lr-schedule " + schedule);
            }
        }
        // A resumed run takes its settings from the checkpoint (a single seed: check() refuses --seeds with it).
        if (clipNorm != null && clipValue != null) {
            throw new ParameterException(spec.commandLine(), "--clip-norm and --clip-value both clip the gradients; "
                    + "give one");
        }
        ClipChoice clipping = clipNorm != null ? new ClipChoice(ClipChoice.Kind.NORM, clipNorm)
                : clipValue != null ? new ClipChoice(ClipChoice.Kind.VALUE, clipValue) : ClipChoice.NONE;
        RunSettings settings = models.resumed(spec, new RunSettings(preset, askedOptimizer, askedRate,
                weightDecay != null ? weightDecay : askedOptimizer.defaultWeightDecay(), !noBiasDecay, amsgrad,
                batchSize != null ? batchSize : preset.batchSize(), runSeeds[0], classWeight, schedule, epochs,
                earlyStopping || ModelOptions.given(spec, "--patience") ? patience : 0, minDelta, monitor, clipping,
                data.settings()),
                out);
        if (models.resume != null) {
            // A resumed run stops early as the run it continues did, told or not (RunSettings#EARLY_STOPPING_KEY).
            earlyStopping = settings.earlyStopping();
            patience = earlyStopping ? settings.patience() : patience;
            minDelta = earlyStopping ? settings.minDelta() : minDelta;
            models.requireSameNetwork(spec, network);
        }
        data.adoptResumed(spec, models.resumedMetadata(), models.resume);
        if (data.regression()) {
            requireRegressionFits();   // after the resumed checkpoint's task is known
        }
        if (models.resume != null && data.validationSplit == null && (earlyStopping
                || settings.schedule().watchesValidation())) {
            // A fresh run holds rows out for these; the run resumed here had none, so they would watch the test loss.
            throw new ParameterException(spec.commandLine(), (earlyStopping ? "--early-stopping" : "--lr-schedule "
                    + settings.schedule()) + " watches a validation loss, and " + models.resume + " was trained "
                    + "without a validation split: on --resume it would watch the test loss, and the test split would "
                    + "choose the epoch; resume without it, or start a new run with it (which holds out 10 % of the "
                    + "training rows)");
        }
        DigitsPreset runPreset = settings.preset();
        OptimizerName opt = settings.optimizer();
        float lr = settings.learningRate();
        int batch = settings.batchSize();
        runSeeds[0] = settings.seed();
        epochs = settings.epochs();   // a resumed one-cycle or cosine schedule keeps the epochs it is laid over
        int every = progressEvery != null ? progressEvery : runPreset.progressEvery(epochs);

        for (String stoppingOption : List.of("--patience", "--min-delta")) {
            if (!earlyStopping && ModelOptions.given(spec, stoppingOption)) {
                // An option that would silently do nothing is a mistake worth a usage error.
                throw new ParameterException(spec.commandLine(), "Option '" + stoppingOption + "' has no effect "
                        + "without '--early-stopping'; add --early-stopping or drop it");
            }
        }
        requireMonitorUsed(settings);
        if (settings.amsgrad() && settings.optimizer() != OptimizerName.ADAM
                && settings.optimizer() != OptimizerName.ADAMW) {
            throw new ParameterException(spec.commandLine(), "Option '--amsgrad' is adam's and adamw's; this run "
                    + "trains with " + settings.optimizer() + ": add --optimizer adam or drop it");
        }
        if (!settings.decayBiases() && settings.weightDecay() == 0) {
            throw new ParameterException(spec.commandLine(), "Option '--no-bias-decay' has no effect without a "
                    + "weight decay (" + (weightDecay != null ? "--weight-decay 0" : settings.optimizer()
                    + "'s default is 0") + "); add --weight-decay X or drop it");
        }
        Backends.Selection selection = selectBackend(spec, backend);
        plots.prepare(spec);
        models.checkSaveInPlotsFolder(spec);
        if (models.checkpointDir != null) {
            // The command a resume needs: the data's options, and the files of figures, which it continues.
            List<String> reading = new ArrayList<>(DataOptions.readingOptions(spec));
            if (history != null) {
                reading.addAll(List.of("--history", ModelOptions.shellWord(history)));
            }
            if (metrics != null) {
                reading.addAll(List.of("--metrics", ModelOptions.shellWord(metrics)));
            }
            if (plots.dir != null) {
                reading.addAll(List.of("--plots", ModelOptions.shellWord(plots.dir.toString())));
            }
            stop.note(() -> models.lastCheckpointNote(reading, epochs));
        }

        // The digits: the article scales before splitting (MinMaxScaler().fit_transform(d.data)), then splits.
        TrainingData prepared = data.load(spec);
        // Before anything is printed: a --cv the classes cannot fill is a usage error.
        List<IndexSplit> folds = crossValidationFolds == null ? null
                : CrossValidation.folds(spec, prepared.train(), crossValidationFolds, data.splitSeed,
                        prepared.classNames());
        if (folds == null) {
            requireMonitorDefined(settings.monitor(), prepared);
        }
        Dataset train = prepared.train();
        // With --cv each model trains on K-1 folds: the first fold's rows (within one of every other's) say what a
        // full batch is.
        int trainingRows = folds == null ? train.size() : folds.get(0).train().length;
        requireScheduleFits(settings.schedule(), epochs, batchesPerEpoch(settings.batchSize(), trainingRows));
        Dataset test = prepared.test();
        Loss loss = data.regression() ? data.regressionLoss().create() : Loss.categoricalCrossEntropy();
        ClassWeights weights = data.regression() ? null
                : classWeights(spec, settings.classWeight(), train, prepared.classNames());

        // The seed and the versions first, so that a saved output says how to rerun it.
        out.printf(Locale.ROOT, "nnj digits trainer, preset %s%s, %s (nnj %s, Java %s)%n", runPreset,
                presetForCsv && runPreset == preset ? " (the default with --csv; --preset article for the article's "
                        + "full-batch gradient descent)" : "", seedsText(runSeeds), NnjVersion.current(),
                System.getProperty("java.version"));
        prepared.description().forEach(out::println);
        try (Backend be = selection.provider().create()) {
            // Refuse an impossible --hidden / --batch-size before the first layer allocates anything.
            int batchRows = batch == 0 || batch >= train.size() ? train.size() : batch;
            try {
                MemoryPlan.requireDenseNetwork(be, batchRows, opt.stateSlots, network.widths(prepared.features(),
                        prepared.outputs()));
            } catch (MemoryBudgetException e) {
                // A tensor past an array's limit, or a network past the memory budget: said with the options that
                // asked for it.
                throw new IllegalArgumentException("--hidden " + NetworkOptions.units(network.hiddenUnits())
                        + " with batches of " + batchRows + " rows cannot be built: " + e.getMessage(), e);
            }
            // "name: description", as every backend prints itself, and why in a word: the library's reason repeats the
            // description, and the backends skipped are on the log's line already.
            String why = selection.reason();
            int end = why.indexOf(';') < 0 ? why.length() : why.indexOf(';');
            why = !why.startsWith("requested") ? "the best available here"
                    : backend != null ? "requested by --backend" : why.substring(0, end);
            out.printf(Locale.ROOT, "Backend: %s (%s)%n", be, why);
            // For a reader of the files: which kernels ran (their bits differ a little), the fresh weights, the rate.
            models.recordProvenance(RunSettings.BACKEND_KEY, be.toString(), false);
            models.recordProvenance(RunSettings.INIT_KEY, network.initializerName(runPreset), true);
            models.recordProvenance(RunSettings.LEARNING_RATE_KEY, Float.toString(lr), true);
            String optimizerText;
            try (Optimizer o = settings.newOptimizer()) {
                optimizerText = o.describe();
            }
            if (findLearningRate) {
                // No training: the range test's own line says what it runs.
                out.printf(Locale.ROOT, "Learning-rate range test (fast.ai's lr_find): %s, %d %s, rates growing from "
                        + "1e-07 to 10, loss %s; the model is left untrained%n", optimizerText, RANGE_TEST_STEPS,
                        DigitsPreset.isFullBatch(batch, trainingRows) ? "full-batch steps (" + trainingRows + " rows)"
                                : "batches of " + batch, loss.label());
            } else {
                trainingBegun = true;   // a heap run out from here on is the network's, not the data's
                out.printf(Locale.ROOT, "Training: %s, %s, %d epoch%s, loss %s%s%n", optimizerText,
                        settings.batching(trainingRows)
                                + (DigitsPreset.isFullBatch(batch, trainingRows) ? "" : ", shuffled every epoch"),
                        epochs, epochs == 1 ? "" : "s", loss.label(), earlyStopping ? ", early stopping on "
                                + (prepared.validation() != null ? "validation " : "test ")
                                + settings.monitor().words() + " ("
                                + settings.describeEarlyStopping() + ", best weights restored"
                                + (prepared.validation() != null ? ")" : "; the test split chooses the epoch, so its "
                                + "figures below are optimistic)") : "");
            }
            String scheduleText = settings.schedule().describe(lr, epochs, batchesPerEpoch(batch, trainingRows),
                    settings.monitor());
            if (scheduleText != null) {
                out.printf(Locale.ROOT, "  %s%n", scheduleText);
            }
            if (!findLearningRate && settings.clipping().describe() != null) {
                out.printf(Locale.ROOT, "  %s%n", settings.clipping().describe());
            }
            if (prepared.regression() != null) {
                out.printf(Locale.ROOT, "  (losses are means over rows, on the target in units of the training rows' "
                        + "standard deviation%s)%n", data.regressionLoss() == RegressionLoss.MSE
                        ? "; their mean, predicted for every row, scores 1" : "");
            } else {
                out.printf(Locale.ROOT, "  (losses are means over %s; the article's -np.mean(y * log p) is that / "
                        + "%d)%n", prepared.imageWidth() > 0 ? "images" : "rows", prepared.classes());
            }
            if (!findLearningRate) {
                // The epoch lines' train figures and the result's differ, which reads as a contradiction unless said.
                out.printf(Locale.ROOT, "  (an epoch's train %s taken during its steps, each batch before its update, "
                        + "as Keras reports them; the results after training evaluate the %s weights)%n",
                        prepared.regression() != null ? "loss is" : "loss and accuracy are",
                        earlyStopping ? "kept (the best epoch's)" : "final");
            }
            if (models.checkpointDir != null) {
                String interval = models.checkpointEvery == null || models.checkpointEvery == 1 ? "every epoch"
                        : "every " + models.checkpointEvery + " epochs";
                String set = prepared.validation() != null ? "validation" : "test";
                MonitorChoice watched = settings.monitor();
                out.printf(Locale.ROOT, "  checkpoints in %s: %s after %s, %s when the %s %s is the %s of "
                        + "those%s%n", models.checkpointDir, ModelCheckpoint.LAST, interval, ModelCheckpoint.BEST, set,
                        watched.words(), watched.higherIsBetter ? "highest" : "lowest",
                        prepared.validation() != null ? "" : " (no --validation-split: the test set picks it, so its "
                                + "test figures are optimistic)");
            }
            if (weights != null) {
                out.printf(Locale.ROOT, "  %s%s; the losses shown stay unweighted%n",
                        namedWeights(weights, prepared.classNames()),
                        !settings.classWeight().balanced() ? "" : crossValidationFolds != null
                                ? " (balanced, from the training rows; each fold balances its own training rows)"
                                : " (balanced, from the training rows)");
            }
            out.flush();

            results.clear();
            foldResults.clear();
            regressionRuns.clear();
            if (crossValidationFolds != null) {
                crossValidate(out, be, prepared, folds, loss, settings, every, stop);
                return 0;
            }
            if (findLearningRate) {
                findLearningRate(out, be, prepared, loss, settings, stop);
                return 0;
            }
            models.noteTrainingRows(train, prepared.trainWeights());
            MetricsFile figuresFile = new MetricsFile(prepared.regression() == null ? null
                    : data.targetNames());
            if (earlyStopping) {
                figuresFile.withEarlyStopping();
            }
            // A model or chart that cannot be written (a full disk, no fonts) fails the run, but after the rest:
            // the other runs, their files and --metrics, which a CI job reads, lost with it before.
            UncheckedIOException unwritten = null;
            for (int i = 0; i < runSeeds.length; i++) {
                long s = runSeeds[i];
                String prefix = runSeeds.length > 1 ? String.format(Locale.ROOT, "seed %d  ", s) : "";
                // Which run, where there are several: "seed 3, run 2 of 5", in the messages that name it.
                String runName = String.format(Locale.ROOT, "seed %d, run %d of %d", s, i + 1, runSeeds.length);
                String runLabel = runSeeds.length > 1 ? " (" + runName + ")" : "";
                try (Optimizer optimizerInstance = settings.newOptimizer();
                     Sequential model = models.model(spec, be, optimizerInstance,
                             () -> network.build(runPreset, be, prepared, s),
                             network, prepared.features(), prepared.outputs(), prepared.preprocessing(),
                             epochs, earlyStopping, out)) {
                    if (i == 0) {
                        out.print(model.summary());
                    }
                    TrainingListener progressListener = progressFor(out, stop, prefix, every, train.size(), batch,
                            prepared.checkedName());
                    RunSettings run = new RunSettings(runPreset, opt, lr, settings.weightDecay(),
                            settings.decayBiases(), settings.amsgrad(), batch, s,
                            settings.classWeight(), settings.schedule(), epochs, earlyStopping ? patience : 0,
                            minDelta, settings.monitor(), settings.clipping(), data.settings());
                    Trainer.Builder tb = runBuilder(run, train.size(), progressListener,
                            stop.training(models.firstEpoch(), epochs, runLabel), weights, prepared.trainWeights(),
                            prepared.positiveClass());
                    java.nio.file.Path runHistory = history == null ? null : historyOf(runPrefix(runSeeds, i));
                    PipedLog piped = null;
                    if (runHistory != null) {
                        requireHistoryContinues(models.firstEpoch());
                        // Before the checkpoints, which stay the last listener; a resumed run continues the file.
                        TrainingListener log = models.resume != null ? CsvLogger.appending(runHistory)
                                : new CsvLogger(runHistory);
                        if (dev.nnj.api.io.AtomicFile.writesInPlace(runHistory)) {
                            piped = new PipedLog(log, runHistory, spec.commandLine().getErr());
                            log = piped;
                        }
                        tb.listener(stop.guardWriting(log, runHistory));
                    }
                    models.configure(tb, model, optimizerInstance, run, prepared.preprocessing(), stop);
                    if (earlyStopping) {
                        tb.earlyStopping(run.stopping());
                    }
                    long t0 = System.nanoTime();
                    History h;
                    try {
                        h = fitShowing(tb, progressListener, stop, model, loss, optimizerInstance, train,
                                prepared.checked());
                    } catch (DivergenceException e) {
                        throw runSeeds.length == 1 ? e : inRun(e, runName);
                    }
                    stop.stage(() -> "after training" + runLabel + ", while evaluating the model");
                    // Less the wait for a piped log's reader as the run started, which is no training time.
                    double seconds = (System.nanoTime() - t0) / 1e9 - (piped == null ? 0 : piped.startWaitSeconds());
                    printRunTime(out, prefix, h, seconds, h.stoppedEarly() && h.bestEpoch() == 0
                            ? ", stopped early; no epoch was better than the start (the watched "
                            + settings.monitor().words() + " was NaN every epoch), the last "
                            + "weights kept"
                            : h.stoppedEarly()
                            ? String.format(Locale.ROOT, ", stopped early; best epoch %d%s", h.bestEpoch(),
                            h.restoredBestWeights() ? " restored" : "")
                            // early stopping keeps the best weights when the run ends without stopping too
                            : h.restoredBestWeights() ? String.format(Locale.ROOT, "; best epoch %d restored",
                            h.bestEpoch()) : "");
                    RunResult result = null;
                    if (prepared.regression() != null) {
                        RegressionResults.Figures figures = RegressionResults.print(model, prepared, prefix,
                                runSeeds.length > 1, out);
                        regressionRuns.add(new RegressionResults.SeedRun(s, figures.test(), seconds));
                        figuresFile.addRun(s, h, seconds, figures, prepared.regression().testBaseline());
                        if (prepared.testWeights() != null) {
                            RegressionReport weighted = RegressionResults.weighted(figures.predicted(),
                                    prepared.regression(), prepared.testWeights());
                            if (runSeeds.length == 1) {
                                RegressionResults.printWeighted(weighted, data.weightColumn.strip(), prefix, out);
                            }
                            figuresFile.addSampleWeighted(weighted, prepared.testWeights(), data.weightColumn.strip());
                        }
                    } else {
                        Evaluation tr = model.evaluate(train, loss, 4096);
                        Evaluation te = model.evaluate(test, loss, 4096);
                        String rows = prepared.imageWidth() > 0 ? "images" : "rows";
                        printResult(out, prefix + "  train ", tr, rows);
                        Evaluation va = prepared.validation() == null ? null
                                : model.evaluate(prepared.validation(), loss, 4096);
                        if (va != null) {
                            printResult(out, prefix + "  val   ", va, rows);
                        }
                        printResult(out, prefix + "  test  ", te, rows);
                        // Several seeds: a line each, the summary after.
                        Predictions testPredictions = Predictions.of(model, test);
                        ClassificationReport testReport = TestSetReport.print(model, testPredictions,
                                TestSetReport.majorityClass(train.labels(), prepared.classes()),
                                prepared.classNames(), prefix, runSeeds.length > 1, prepared.positiveClass(), out);
                        TestSetReport.warnIfOneClass(testPredictions, prepared.classNames(), prefix, "test rows",
                                spec.commandLine().getErr());
                        // Made once, for the printed line (one run's) and the file (every run's).
                        TestSetReport.Weighted weighted = prepared.testWeights() == null ? null
                                : TestSetReport.Weighted.of(testPredictions, prepared.testWeights());
                        if (weighted != null && runSeeds.length == 1) {
                            TestSetReport.printWeighted(weighted, data.weightColumn.strip(), prefix, out);
                        }
                        result = new RunResult(s, tr, te, h.epochs(), seconds, testReport);
                        figuresFile.addRun(s, h, seconds, tr, va, te, testPredictions, testReport,
                                prepared.positiveClass());
                        if (weighted != null) {
                            figuresFile.addSampleWeighted(weighted, data.weightColumn.strip());
                        }
                    }
                    // The model before the charts: a chart that cannot be written must not cost the trained model.
                    if (models.save != null) {
                        stop.stage(() -> "while saving the model to " + models.save
                                + (dev.nnj.api.io.AtomicFile.writesInPlace(models.save)
                                        ? " (a pipe or device, written in place: what it got may be partial)"
                                        : " (an atomic write: it holds the new model whole or is as it was)"));
                        try {
                            models.saveIfAsked(model, run, prepared.preprocessing(), out);
                            stop.wrote(models.save);
                        } catch (UncheckedIOException e) {
                            unwritten = firstOf(unwritten, e);
                        }
                    }
                    String chartPrefix = runPrefix(runSeeds, i);
                    String chartLine = chartLine(settings, s);
                    // Gathered as written: where one fails, the others are still this run's, not an earlier one's.
                    List<java.nio.file.Path> charts = new ArrayList<>();
                    try {
                        plots.write(model, h, prepared, chartPrefix, chartLine,
                                chart -> stop.stage(() -> "while writing " + chart + runLabel), chart -> {
                                    stop.wrote(chart);
                                    charts.add(chart);
                                });
                    } catch (UncheckedIOException e) {
                        unwritten = firstOf(unwritten, e);
                    }
                    if (piped != null && piped.readerGone()) {
                        out.printf(Locale.ROOT, "%s  (--history %s: its reader left, so the log stops short)%n",
                                prefix, runHistory);
                    } else if (runHistory != null && h.epochs() > 0) {   // a run that trained no epoch wrote no row
                        out.printf(Locale.ROOT, "%s  wrote %s%n", prefix, runHistory);
                    }
                    for (java.nio.file.Path file : charts) {
                        out.printf(Locale.ROOT, "%s  wrote %s%n", prefix, file);
                    }
                    if (plots.dir != null && h.epochs() == 0) {
                        // A resumed checkpoint that had stopped early ends as its run did, training nothing here.
                        out.printf(Locale.ROOT, "%s  (no epoch was trained in this run: no loss or accuracy chart)%n",
                                prefix);
                    }
                    List<java.nio.file.Path> older = plots.olderCharts(charts, chartPrefix);
                    if (!older.isEmpty()) {
                        // A reader of the folder would take them for this run's.
                        out.printf(Locale.ROOT, "%s  (also there, from an earlier run, not this one's: %s)%n", prefix,
                                older.stream().map(f -> String.valueOf(f.getFileName())).collect(
                                        java.util.stream.Collectors.joining(", ")));
                    }
                    out.flush();
                    stop.stage(() -> "after training" + runLabel);
                    if (result != null) {
                        results.add(result);
                    }
                }
            }
            noteOtherRunsCharts(runSeeds, out);
            if (results.size() > 1) {
                printSummary(out, results, TestSetReport.majorityClass(prepared.train().labels(),
                        prepared.classes()), prepared.classNames());
            } else if (regressionRuns.size() > 1) {
                RegressionResults.printSummary(out, regressionRuns, prepared.regression().testBaseline());
            }
            try {
                writeMetrics(figuresFile, false, out, stop);
            } catch (UncheckedIOException e) {
                unwritten = firstOf(unwritten, e);
            }
            if (unwritten != null) {
                throw unwritten;   // each file that could not be written on a line of its own (the handler)
            }
        }
        return 0;
    }

    /** The first of the output failures, with the later ones as its suppressed, which the handler says too. */
    private static UncheckedIOException firstOf(UncheckedIOException first, UncheckedIOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * One line naming the charts in the {@code --plots} folder that runs other than these left there
     * ({@link PlotOptions#otherRunsCharts}), such as {@code seed-2-loss.png} beside a {@code --seeds 0,1} run's.
     */
    private void noteOtherRunsCharts(long[] runSeeds, PrintWriter out) {
        java.util.Set<String> prefixes = new java.util.HashSet<>();
        for (int i = 0; i < runSeeds.length; i++) {
            prefixes.add(runPrefix(runSeeds, i));
        }
        List<java.nio.file.Path> other = plots.otherRunsCharts(prefixes);
        if (!other.isEmpty()) {
            out.printf(Locale.ROOT, "(also in %s, from other runs, not this command's: %s)%n", plots.dir,
                    NameLists.abbreviate(other.stream().map(f -> String.valueOf(f.getFileName())).toList()));
            out.flush();
        }
    }

    /**
     * What the names of run {@code i}'s files start with, its charts' and its {@code --history} log's: nothing for one
     * run; {@code seed-S-} for one of several; {@code seed-S-run-R-} for a seed given more than once ({@code 0,0}), so
     * that its second run does not replace its first one's files.
     */
    static String runPrefix(long[] seeds, int i) {
        if (seeds.length == 1) {
            return "";
        }
        long times = java.util.Arrays.stream(seeds).filter(seed -> seed == seeds[i]).count();
        return "seed-" + seeds[i] + "-" + (times > 1 ? "run-" + (i + 1) + "-" : "");
    }

    /**
     * The {@code --history} file of a run whose files' names start with {@code runPrefix} ({@link #runPrefix}): the
     * file itself for one run; with several, one beside it, named as the run's charts are ({@code seed-3-history.csv}).
     */
    private java.nio.file.Path historyOf(String runPrefix) {
        return runPrefix.isEmpty() ? history : historyPrefixed(runPrefix);
    }

    /** The {@code --history} file of cross-validation fold {@code f} (from 0): {@code fold-1-history.csv}. */
    private java.nio.file.Path foldHistory(int f) {
        return historyPrefixed("fold-" + (f + 1) + "-");
    }

    private java.nio.file.Path historyPrefixed(String prefix) {
        String name = prefix + history.getFileName();
        java.nio.file.Path parent = history.getParent();
        return parent == null ? java.nio.file.Path.of(name) : parent.resolve(name);
    }

    /**
     * Refuses, before a resumed run, a {@code --history} file it would continue with a gap, or that is not a log: the
     * library's own check ({@link CsvLogger#requireContinues}), as a usage error. A fresh run replaces the file; one
     * that cannot be read is the logger's to report when the run starts.
     */
    private void requireHistoryContinues(int firstEpoch) {
        if (firstEpoch <= 1) {
            return;
        }
        if (!java.nio.file.Files.exists(history)) {
            // Allowed (the earlier epochs may be in another file), but a reader of this one should know it is partial.
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "  (--history %s is new: it holds the epochs from %d on, not the %d before the "
                    + "checkpoint)%n", history, firstEpoch, firstEpoch - 1);
            out.flush();
            return;
        }
        try {
            CsvLogger.requireContinues(history, firstEpoch - 1);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // the logger reads it again, and says what is wrong
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--history': " + e.getMessage(),
                    e);
        }
    }

    /**
     * Checks a file of figures ({@code --metrics}, {@code --history}) before the run: writable, and not a file the
     * run reads or another of its options writes (the model, a checkpoint, a chart), which it would replace.
     */
    private void requireFiguresFile(String option, java.nio.file.Path file, String example) {
        if (file == null) {
            return;
        }
        Converters.requireNotAnInput(spec, option, file, "--csv", data.csv);
        Converters.requireNotAnInput(spec, option, file, "--test-csv", data.testCsv);
        Converters.requireNotAnInput(spec, option, file, "--resume", models.resume);
        Converters.requireNotWrittenTwice(spec, option, file, "--save", models.save);
        Converters.requireNotAmong(spec, option, file, "--checkpoint-dir", models.checkpointDir,
                name -> name.equals(ModelCheckpoint.LAST) || name.equals(ModelCheckpoint.BEST));
        Converters.requireNotAmong(spec, option, file, "--plots", plots.dir,
                name -> name.toLowerCase(Locale.ROOT).endsWith(".png"));
        // After the clashes. In a folder the run makes (--checkpoint-dir, --plots), which need not exist yet, the
        // folder's own check stands for it.
        java.nio.file.Path parent = file.toAbsolutePath().normalize().getParent();
        boolean inRunFolder = parent != null && !java.nio.file.Files.exists(parent)
                && (plots.dir != null && Converters.sameFile(parent, plots.dir)
                || models.checkpointDir != null && Converters.sameFile(parent, models.checkpointDir));
        if (!inRunFolder) {
            Converters.requireOutputFile(spec, option, file, example);
        }
    }

    /** Refuses a one-cycle schedule of a single step, before anything is printed: the cycle needs two at least. */
    private void requireScheduleFits(ScheduleChoice schedule, int epochs, int batchesPerEpoch) {
        if (schedule.kind() == ScheduleChoice.Kind.ONE_CYCLE && (long) epochs * batchesPerEpoch < 2) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--lr-schedule': one-cycle "
                    + "rises and falls over at least 2 steps, and " + epochs + " epoch of " + batchesPerEpoch
                    + " step is 1: train more --epochs, or in batches (--batch-size)");
        }
    }

    /**
     * Refuses what {@code --cv} does not go with: it trains several models to score the settings and keeps none, on
     * folds of the training split it scores them on.
     */
    private void requireCrossValidationAlone() {
        if (crossValidationFolds < 2) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--cv': "
                    + crossValidationFolds + "; cross-validation needs at least 2 folds (5 is usual)");
        }
        String[][] conflicts = {
            {"--seeds", "one seed per cross-validation: run it again with another --seed"},
            {"--early-stopping", "each fold would choose its epoch on the rows it is scored on"},
            {"--validation-split", "each fold is scored on the rows it leaves out"},
            {"--save", "no model is kept"},
            {"--checkpoint-dir", "no model is kept"},
            {"--resume", "each fold trains a fresh model"},
            {"--plots", "no model is kept"},
        };
        refuseAlongside("--cv", conflicts);
        if (schedule.watchesValidation()) {
            throw new ParameterException(spec.commandLine(), "Option '--cv' does not go with '--lr-schedule "
                    + schedule + "': each fold would cut its rate on the rows it is scored on");
        }
    }

    /**
     * Refuses what a regression ({@code --task regression}) has no use for: weights of classes. ({@code --pos-label},
     * which chooses a class, is refused with the data options.)
     */
    private void requireRegressionFits() {
        String[][] conflicts = {
            {"--class-weight", "it weighs classes, and a regression's target has none (--weight-column weighs rows)"},
        };
        refuseAlongside("--task regression", conflicts);
    }

    /**
     * Refuses what {@code --find-lr} does not go with: it sweeps the rates itself, on a model it leaves untrained,
     * weighing every row alike.
     */
    private void requireRangeTestAlone() {
        String[][] conflicts = {
            {"--cv", "one at a time: find the rate, then cross-validate with it"},
            {"--seeds", "one seed: run it again with another --seed"},
            {"--learning-rate", "the test sweeps the rates itself"},
            {"--lr-schedule", "the test sweeps the rates itself"},
            {"--epochs", "the test takes " + RANGE_TEST_STEPS + " batches"},
            {"--early-stopping", "the test trains no model to stop"},
            {"--save", "no model is kept"},
            {"--checkpoint-dir", "no model is kept"},
            {"--resume", "the test starts from a fresh model"},
            {"--class-weight", "the test weighs every row alike"},
            {"--weight-column", "the test weighs every row alike"},
            {"--clip-norm", "the test takes the gradients as they are"},
            {"--clip-value", "the test takes the gradients as they are"},
            {"--metrics", "the test trains no model to score"},
            {"--history", "the test trains no epochs"},
        };
        refuseAlongside("--find-lr", conflicts);
    }

    /**
     * A usage error for the first of {@code conflicts} given with {@code option}: each entry an option and why it
     * does not go with it.
     */
    private void refuseAlongside(String option, String[][] conflicts) {
        for (String[] c : conflicts) {
            if (ModelOptions.given(spec, c[0])) {
                throw new ParameterException(spec.commandLine(), "Option '" + option + "' does not go with '" + c[0]
                        + "': " + c[1]);
            }
        }
    }

    /** The line under a chart's title naming the run that drew it: its data, preset and seed. */
    private String chartLine(RunSettings settings, long seed) {
        return (data.csv != null ? String.valueOf(data.csv.getFileName()) : "digits") + ", preset "
                + settings.preset().name().toLowerCase(Locale.ROOT) + ", seed " + seed;
    }

    /**
     * {@code --find-lr}: the learning-rate range test ({@link LearningRateFinder}) on a fresh model of the preset,
     * with its optimizer, batch size and seed, on the training rows; the curve, the suggestion, and with
     * {@code --plots} its chart.
     */
    private void findLearningRate(PrintWriter out, Backend be, TrainingData prepared, Loss loss,
                                  RunSettings settings, Interruption stop) {
        int batch = settings.batchSize();
        stop.stage(() -> "during the learning-rate range test");
        LearningRateFinder.Result result;
        try (Sequential model = network.build(settings.preset(), be, prepared, settings.seed())) {
            result = LearningRateFinder.builder().range(1e-7, 10).steps(RANGE_TEST_STEPS).batchSize(batch)
                    .seed(settings.seed()).build()
                    .run(model, loss, settings::newOptimizer, prepared.train());
        }
        RangeTestReport.print(out, result, RANGE_TEST_STEPS, batch <= 0 || batch >= prepared.train().size());
        stop.stage(() -> "while writing lr-finder.png");
        java.nio.file.Path chart = plots.writeLearningRateFinder(result, chartLine(settings, settings.seed()));
        if (chart != null) {
            stop.wrote(chart);
            out.printf(Locale.ROOT, "  wrote %s%n", chart);
        }
        out.flush();
    }

    /**
     * {@code --cv K}: one fresh model per stratified fold of the training split, trained on the other folds as a
     * single run would be (preset, optimizer, batches, seed, class and sample weights), scored on the fold's rows,
     * then the scores over the folds ({@link CrossValidation}). "balanced" class weights are each fold's own, from its
     * training rows.
     */
    private void crossValidate(PrintWriter out, Backend be, TrainingData prepared, List<IndexSplit> folds, Loss loss,
                               RunSettings settings, int every, Interruption stop) {
        Dataset train = prepared.train();
        int k = folds.size();
        String rows = prepared.imageWidth() > 0 ? "images" : "rows";
        int fewest = folds.stream().mapToInt(f -> f.test().length).min().orElse(0);
        int most = folds.stream().mapToInt(f -> f.test().length).max().orElse(0);
        out.printf(Locale.ROOT, "Cross-validation: %s %d-fold on the %d training %s (folds shuffled with "
                + "--split-seed %d), %s %s held out each; the test %s is not used%n",
                prepared.regression() != null ? "unstratified" : "stratified", k, train.size(), rows,
                data.splitSeed, fewest == most ? Integer.toString(most) : fewest + "-" + most, rows,
                data.testCsv != null ? "file" : "split");
        if (foldJobs == null || foldJobs == 1) {
            for (int f = 0; f < k; f++) {
                String prefix = foldPrefix(f, k);
                String runLabel = foldLabel(f, k);
                foldResults.add(trainFold(f, out, be, prepared, folds, loss, settings,
                        trainRows -> progressFor(out, stop, prefix, every, trainRows, settings.batchSize(), "val"),
                        () -> stop.training(0, epochs, runLabel), stop, stop));
                stop.stage(() -> "after training" + runLabel);
            }
            CrossValidation.printSummary(out, foldResults);
        } else {
            // No per-epoch progress: each fold's lines are printed when it and the folds before it are done.
            long t0 = System.nanoTime();
            foldResults.addAll(new ConcurrentFolds(k, foldJobs, epochs).run(out, stop, (f, foldOut, control) ->
                    trainFold(f, foldOut, be, prepared, folds, loss, settings, trainRows -> s -> { }, () -> control,
                            null, stop)));
            CrossValidation.printSummary(out, foldResults, Math.min(foldJobs, k), (System.nanoTime() - t0) / 1e9);
        }
        if (metrics != null) {
            MetricsFile figures = new MetricsFile(prepared.regression() == null ? null
                    : data.targetNames());
            foldResults.forEach(fold -> figures.addFold(fold, prepared.positiveClass(),
                    data.weightColumn == null ? null : data.weightColumn.strip()));
            writeMetrics(figures, true, out, stop);
        }
    }

    /** Writes {@code --metrics}, when asked, and says so. */
    private void writeMetrics(MetricsFile figures, boolean folds, PrintWriter out, Interruption stop) {
        if (metrics == null) {
            return;
        }
        stop.stage(() -> "while writing " + metrics + " (an atomic write: it holds the figures whole or is as it was)");
        try {
            figures.write(metrics, folds);
        } catch (UncheckedIOException e) {
            // Said beside other outputs' failures: which option's file it was.
            throw new UncheckedIOException("--metrics: " + e.getMessage(), e.getCause());
        }
        stop.wrote(metrics);
        out.printf(Locale.ROOT, "Wrote the figures to %s%n", metrics);
        out.flush();
    }

    /** What fold {@code f} (from 0) of {@code k}'s lines start with: {@code "fold 2/5  "}. */
    private static String foldPrefix(int f, int k) {
        return String.format(Locale.ROOT, "fold %d/%d  ", f + 1, k);
    }

    /**
     * The divergence of one of several runs (seeds, folds), its message starting with which one: {@code seed 3, run 2
     * of 5: training diverged at epoch 2: …}. The run's own exception is the cause.
     */
    static DivergenceException inRun(DivergenceException e, String which) {
        DivergenceException named = new DivergenceException(which + ": " + e.getMessage(), e.epoch(), e.batch(),
                e.parameter(), e.trainLoss());
        named.initCause(e);
        return named;
    }

    /** Fold {@code f} (from 0) of {@code k} in the interrupt report's stages: {@code " (fold 2 of 5)"}. */
    private static String foldLabel(int f, int k) {
        return " (" + foldName(f, k) + ")";
    }

    /** Fold {@code f} (from 0) of {@code k} in messages: {@code "fold 2 of 5"}. */
    private static String foldName(int f, int k) {
        return String.format(Locale.ROOT, "fold %d of %d", f + 1, k);
    }

    /**
     * Trains a fresh model on fold {@code f}'s training rows and scores it on the rows it leaves out, printing its
     * result lines to {@code out} (and, for the first fold, the model's summary).
     *
     * @param progress  the fold's progress display for its number of training rows, made after the summary
     * @param interrupt a listener the trainer calls each epoch: the interrupt report's, or the concurrent folds'
     *                  (which tracks the fold and stops it when another fails)
     * @param stop      the interrupt report, told the fold's stages; null when folds run at once, whose report names
     *                  them all ({@link ConcurrentFolds})
     * @param files     the interrupt report, told the files the fold writes (its {@code --history} log), in either case
     */
    private CrossValidation.FoldResult trainFold(int f, PrintWriter out, Backend be, TrainingData prepared,
                                                 List<IndexSplit> folds, Loss loss, RunSettings settings,
                                                 IntFunction<TrainingListener> progress,
                                                 Supplier<TrainingListener> interrupt, Interruption stop,
                                                 Interruption files) {
        int k = folds.size();
        String prefix = foldPrefix(f, k);
        String runLabel = foldLabel(f, k);
        IndexSplit fold = folds.get(f);
        IndexSplit.Datasets parts = prepared.fold(fold);
        // A regression's target is standardized again on the fold's own training rows, as its features are scaled.
        RegressionTargets targets = prepared.regression() == null ? null : prepared.regression().fold(fold);
        for (int j = 0; targets != null && j < targets.count(); j++) {
            // A fold's own training rows can be constant where the split's are not. A target constant in every
            // training row was warned of once, with the data: not again per fold.
            if (targets.constant(j) && !prepared.regression().constant(j)) {
                // On stderr, as every warning: stdout holds the results.
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "digits: warning: %s: the target %sis %s in every training row of this fold: "
                        + "nothing to learn, and its losses are not in standard deviations%n", foldName(f, k),
                        targets.count() == 1 ? "" : targets.names().get(j) + " ", targets.train()[j]);
                err.flush();
            }
        }
        Dataset foldTrain = targets == null ? parts.train() : targets.standardized(parts.train(), targets.train());
        Dataset heldRows = targets == null ? parts.test() : targets.standardized(parts.test(), targets.test());
        ClassWeights weights = targets != null ? null
                : classWeights(spec, settings.classWeight(), foldTrain, prepared.classNames());
        try (Optimizer optimizerInstance = settings.newOptimizer();
             Sequential model = network.build(settings.preset(), be, prepared, settings.seed())) {
            if (f == 0) {
                out.print(model.summary());
            }
            TrainingListener progressListener = progress.apply(foldTrain.size());
            float[] rowWeights = prepared.trainWeights() == null ? null
                    : RowWeights.of(prepared.trainWeights(), fold.train());
            Trainer.Builder tb = runBuilder(settings, foldTrain.size(), progressListener, interrupt.get(),
                    weights, rowWeights, prepared.positiveClass());
            java.nio.file.Path log = history == null ? null : foldHistory(f);
            if (log != null) {
                // val_ is the fold's held-out rows, as its progress lines' are.
                tb.listener(files.guardWriting(new CsvLogger(log), log));
            }
            long t0 = System.nanoTime();
            History h;
            try {
                h = stop == null ? tb.build().fit(model, loss, optimizerInstance, foldTrain, heldRows)
                        : fitShowing(tb, progressListener, stop, model, loss, optimizerInstance, foldTrain, heldRows);
            } catch (DivergenceException e) {
                throw inRun(e, foldName(f, k));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (stop != null) {
                stop.stage(() -> "after training" + runLabel + ", while scoring the fold");
            }
            Evaluation heldOut = model.evaluate(heldRows, loss, 4096);
            // The held-out rows' own weights, for --metrics' weighted figures.
            float[] heldWeights = metrics == null || prepared.trainWeights() == null ? null
                    : RowWeights.of(prepared.trainWeights(), fold.test());
            CrossValidation.FoldResult result;
            if (targets != null) {
                // Scored in the target's units, beside the fold's training mean, as a single run's test rows are.
                float[] predicted = RegressionResults.predictions(model, heldRows, targets);
                RegressionReport figures = RegressionReport.of(predicted, targets.test(), targets.count());
                result = CrossValidation.FoldResult.ofRegression(f + 1, heldOut, figures, targets.testBaseline(),
                        h.epochs(), seconds, heldWeights, heldWeights == null ? null
                                : RegressionResults.weighted(predicted, targets, heldWeights));
            } else {
                Predictions predictions = Predictions.of(model, heldRows);
                ClassificationReport report = ClassificationReport.of(predictions.trueLabels(),
                        predictions.predictedLabels(), List.of(prepared.classNames()));
                result = new CrossValidation.FoldResult(f + 1, heldOut, report, h.epochs(), seconds,
                        TestSetReport.majorityClass(foldTrain.labels(), prepared.classes()),
                        metrics != null ? predictions : null, heldWeights);
                // Said of the rows the fold holds out, as of a single run's test rows.
                TestSetReport.warnIfOneClass(predictions, prepared.classNames(), prefix, "rows it holds out",
                        spec.commandLine().getErr());
            }
            printRunTime(out, prefix, h, seconds, "");
            CrossValidation.printFold(out, prefix, result, prepared.imageWidth() > 0 ? "images" : "rows");
            if (log != null) {
                out.printf(Locale.ROOT, "%s  wrote %s%n", prefix, log);
            }
            out.flush();
            return result;
        }
    }

    /**
     * A run's progress display (a bar or lines, each line after {@code prefix}) for {@code rows} training rows in
     * batches of {@code batch}; a bar's line is ended before an interrupt's message.
     */
    private TrainingListener progressFor(PrintWriter out, Interruption stop, String prefix, int every, int rows,
                                         int batch, String checkedName) {
        int batches = batch == 0 || batch >= rows ? 1 : (rows + batch - 1) / batch;
        TrainingListener listener = progress.listener(out, prefix, every, epochs, batches, checkedName);
        if (listener instanceof ProgressBarListener bar) {
            stop.display(bar::endLine);   // the bar's line ends before the interrupt's message
        }
        return listener;
    }

    /**
     * Refuses a ranking figure ({@code --monitor roc-auc} or {@code average-precision}) on watched rows that lack a
     * class its one-vs-rest turns need: it would be NaN every epoch, and early stopping would stop after its patience
     * on a model that learnt nothing, having watched nothing.
     */
    private void requireMonitorDefined(MonitorChoice watched, TrainingData prepared) {
        if (watched != MonitorChoice.ROC_AUC && watched != MonitorChoice.AVERAGE_PRECISION
                || prepared.regression() != null) {
            return;
        }
        Dataset rows = prepared.checked();
        boolean[] seen = new boolean[prepared.classNames().length];
        for (int label : rows.labels()) {
            seen[label] = true;
        }
        List<String> absent = RankingFigures.names(RankingFigures.missingClasses(seen,
                watched == MonitorChoice.ROC_AUC, prepared.positiveClass()), prepared.classNames());
        if (!absent.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--monitor': " + watched
                    + " is undefined on the " + rows.size() + " " + prepared.checkedName() + " rows, which hold no "
                    + "row of class " + NameLists.abbreviate(absent) + ": it would be NaN every epoch; watch "
                    + "balanced-accuracy or macro-f1, or hold out more rows (--validation-split)");
        }
    }

    /**
     * Refuses a {@code --monitor} that nothing watches (no early stopping, best checkpoint or plateau schedule), and
     * a classifier's figure on a regression.
     */
    private void requireMonitorUsed(RunSettings settings) {
        MonitorChoice watched = settings.monitor();
        if (watched == MonitorChoice.LOSS) {
            return;
        }
        if (data.regression()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--monitor': " + watched
                    + " is a classifier's figure; a regression's early stopping and checkpoints watch its validation "
                    + "loss (--monitor loss)");
        }
        // A resumed run's monitor comes from its checkpoint, whatever this command line has the run watch it with.
        if (ModelOptions.given(spec, "--monitor") && !earlyStopping && models.checkpointDir == null
                && !settings.schedule().watchesValidation()) {
            throw new ParameterException(spec.commandLine(), "Option '--monitor' has no effect without "
                    + "--early-stopping, --checkpoint-dir or --lr-schedule plateau, which watch it; add one or drop "
                    + "it");
        }
    }

    /**
     * What every run trains with: the epochs, batches reshuffled each epoch, its seed, its learning-rate schedule over
     * {@code trainRows} rows, its progress and interrupt listeners, and class and row weights (each null for none; a row's loss counts both when both are given). A
     * single run adds checkpoints and early stopping.
     */
    private Trainer.Builder runBuilder(RunSettings run, int trainRows, TrainingListener progressListener,
                                       TrainingListener interrupt, ClassWeights weights, float[] rowWeights,
                                       int positiveClass) {
        int batch = run.batchSize();
        Trainer.Builder tb = Trainer.builder().epochs(epochs).batchSize(batch).shuffle(true).seed(run.seed())
                .listener(progressListener).listener(interrupt)
                .schedule(run.schedule().schedule(run.learningRate(), epochs, batchesPerEpoch(batch, trainRows)));
        ReduceLROnPlateau plateau = run.schedule().plateau(run.monitor().monitor());
        if (plateau != null) {
            tb.listener(plateau);
        }
        dev.nnj.api.train.ValidationMetric watched = run.monitor().validationMetric(positiveClass);
        if (watched != null) {
            tb.validationMetric(run.monitor().metric, watched);   // computed each epoch, for the rules that watch it
        }
        run.clipping().applyTo(tb);
        if (weights != null) {
            tb.classWeights(weights);
        }
        if (rowWeights != null) {
            tb.sampleWeights(rowWeights);
        }
        return tb;
    }

    /** Optimizer steps per epoch: {@code ⌈rows / batch⌉}, one for a full batch (the trainer's {@code BatchLoader}). */
    static int batchesPerEpoch(int batch, int trainRows) {
        return DigitsPreset.isFullBatch(batch, trainRows) ? 1 : (trainRows + batch - 1) / batch;
    }

    /** Trains, ending the progress display also when fit throws, before the error is reported. */
    private static History fitShowing(Trainer.Builder tb, TrainingListener progressListener, Interruption stop,
                                      Sequential model, Loss loss, Optimizer optimizer, Dataset train,
                                      Dataset checked) {
        try {
            return tb.build().fit(model, loss, optimizer, train, checked);
        } finally {
            ProgressOptions.finish(progressListener);
            stop.display(null);
        }
    }

    /** {@code "seed 3  result: 1000 epochs in 1.234 s (1.23 ms/epoch)"}, then {@code after} and the line's end. */
    private static void printRunTime(PrintWriter out, String prefix, History h, double seconds, String after) {
        // No epoch at all: a resumed run that had already stopped early has no time per epoch to give.
        String perEpoch = h.epochs() == 0 ? "" : String.format(Locale.ROOT, " (%.2f ms/epoch)", 1000 * seconds
                / h.epochs());
        out.printf(Locale.ROOT, "%sresult: %d epoch%s in %.3f s%s%s%n", prefix, h.epochs(), h.epochs() == 1 ? "" : "s",
                seconds, perEpoch, after);
    }

    /**
     * The class weights {@code --class-weight} asks for, resolved on the training split; null for none. A list
     * of another length than the data's classes is a usage error naming both.
     */
    private static ClassWeights classWeights(CommandSpec spec, ClassWeightChoice choice, Dataset train,
                                             String[] classNames) {
        int classes = classNames.length;
        if (!choice.isNone() && !choice.balanced() && choice.weights().length != classes) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--class-weight': "
                    + choice + " gives " + choice.weights().length + " weights for data with " + classes
                    + " classes; give one per class, in the order " + String.join(", ", classNames)
                    + ", or balanced");
        }
        return choice.resolve(train);
    }

    /**
     * The backend {@code --backend} names, or the best available: one usage line for a name that is not a
     * backend here or one that cannot run, the same for training and for {@code predict}.
     *
     * @param spec    the command, for the usage error
     * @param backend the option's value, or null for -Dnnj.backend, NNJ_BACKEND or else the best available
     * @return the choice and why
     * @throws ParameterException for an unknown or unavailable backend
     */
    static Backends.Selection selectBackend(CommandSpec spec, String backend) {
        if (backend == null) {
            // -Dnnj.backend or NNJ_BACKEND name one the same way, and get the same one line and exit status (the
            // library's own refusal lists every provider over several lines).
            String property = System.getProperty(Backends.PROPERTY);
            String environment = System.getenv(Backends.ENVIRONMENT);
            if (property != null && !property.isBlank()) {
                requireUsable(spec, "-D" + Backends.PROPERTY, property);
            } else if (environment != null && !environment.isBlank()) {
                requireUsable(spec, Backends.ENVIRONMENT, environment);
            }
            return Backends.selectBest();
        }
        return Backends.select(requireUsable(spec, "option '--backend'", backend));
    }

    /**
     * The backend name {@code value} asks for, lower case; a usage error naming {@code source} when no backend here
     * has that name or it cannot run.
     */
    private static String requireUsable(CommandSpec spec, String source, String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        BackendProvider named = null;
        for (BackendProvider p : Backends.providers()) {
            names.add(p.name());
            if (p.name().equalsIgnoreCase(wanted)) {
                named = p;
            }
        }
        if (named == null) {
            throw new ParameterException(spec.commandLine(), "Invalid value for " + source + ": '" + value
                    + "' is not a backend here; allowed: " + String.join(", ", names));
        }
        ProviderStatus status = ProviderStatus.of(named);
        if (!status.available()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for " + source + ": backend '"
                    + wanted + "' is not available: " + status.reason());
        }
        return wanted;
    }

    /**
     * The results of the last {@link #call()}, one per seed.
     *
     * @return the per-seed results, empty before a run
     */
    public List<RunResult> results() {
        return List.copyOf(results);
    }

    /**
     * The folds of the last {@link #call()} with {@code --cv}, in fold order.
     *
     * @return the per-fold results, empty before a run and after one without {@code --cv}
     */
    List<CrossValidation.FoldResult> foldResults() {
        return List.copyOf(foldResults);
    }

    /** {@code "  test   loss 0.1234  accuracy 0.9667  (360 images)"}; no accuracy where none was measured. */
    private static void printResult(PrintWriter out, String label, Evaluation e, String rows) {
        out.printf(Locale.ROOT, "%s loss %s%s  (%d %s)%n", label, Fixed.four(e.loss()),
                e.hasAccuracy() ? "  accuracy " + Fixed.four(e.accuracy()) : "", e.samples(),
                e.samples() == 1 ? rows.substring(0, rows.length() - 1) : rows);
    }

    private static void printSummary(PrintWriter out, List<RunResult> results, int majority, String[] classNames) {
        double time = results.stream().mapToDouble(RunResult::seconds).sum();
        int n = results.size();
        String over = CrossValidation.overSeeds(results.stream().mapToLong(RunResult::seed).toArray());
        out.printf(Locale.ROOT, "Test accuracy per seed: %s%n", CrossValidation.perRun(results, RunResult::seed,
                r -> r.test().accuracy()));
        out.printf(Locale.ROOT, "Test accuracy over %s: %s%n", over, spread(results, r -> r.test().accuracy()));
        // Accuracy alone hides a model that ignores a rare class: macro-F1 and balanced accuracy weigh classes equally.
        out.printf(Locale.ROOT, "Test macro-F1 over %s: %s%n", over,
                spread(results, r -> r.testReport().macroAverage().f1()));
        out.printf(Locale.ROOT, "Test balanced accuracy over %s: %s%n", over,
                spread(results, r -> r.testReport().balancedAccuracy()));
        // Every run tests on the same split (it is made once, before the seeds' runs): one baseline for all.
        out.printf(Locale.ROOT, "Majority-class baseline %s%n", TestSetReport.baseline(results.get(0).testReport(),
                majority, classNames));
        out.printf(Locale.ROOT, "Training time: mean %.3f s per run, %.3f s in all%n", time / n, time);
        out.flush();
    }

    /** {@code "mean 0.9470  min 0.9425  max 0.9500"} of a figure over the runs. */
    /**
     * {@code class weights: setosa 0.3733, versicolor 4.586, virginica 9.730}: each weight beside its class, the
     * order {@code --class-weight} takes them in.
     */
    static String namedWeights(ClassWeights weights, String[] classNames) {
        StringBuilder s = new StringBuilder("class weights: ");
        for (int c = 0; c < classNames.length; c++) {
            s.append(c == 0 ? "" : ", ").append(classNames[c]).append(' ')
                    .append(String.format(Locale.ROOT, "%.4g", weights.weight(c)));
        }
        return s.toString();
    }

    /** As {@code --cv}'s: mean, standard deviation, least and greatest. */
    private static String spread(List<RunResult> results, java.util.function.ToDoubleFunction<RunResult> figure) {
        return CrossValidation.spread(results.stream().mapToDouble(figure).toArray());
    }

    /** {@return "seed 5", "seeds 0, 1, 2", or "seeds 0, 1, 2, ..., 99 (100 runs)"} */
    static String seedsText(long[] seeds) {
        if (seeds.length == 1) {
            return "seed " + seeds[0];
        }
        StringBuilder text = new StringBuilder("seeds ");
        int shown = seeds.length <= 10 ? seeds.length : 3;
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : ", ").append(seeds[i]);
        }
        return shown == seeds.length ? text.toString()
                : text + ", ..., " + seeds[seeds.length - 1] + " (" + seeds.length + " runs)";
    }

    /** Reports nnj's version ({@link NnjVersion}) and Java's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nnj digits trainer " + NnjVersion.current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
