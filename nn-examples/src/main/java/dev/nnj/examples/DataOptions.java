package dev.nnj.examples;

import dev.nnj.api.data.ClassLookup;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.ColumnScaler;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.SimpleImputer;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.io.Preprocessing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Which data the digits trainer learns from, and how it is split: the bundled digits with the article's
 * split (the default), or any numeric CSV file with a class column; optionally a validation split carved
 * from the training rows for early stopping, so that the test rows are looked at only once, at the end.
 * A picocli mixin.
 */
public final class DataOptions {

    /** The options at their defaults, until picocli parses a command line into them. */
    public DataOptions() {
    }
    /** {@code --test-split} for a CSV file when none is given (the article's 20 %). */
    static final double DEFAULT_TEST_SPLIT = 0.2;

    /** How CSV features are scaled, fitted on the training rows only. */
    public enum Scaler {
        /** Each column to [0, 1], as the article does with the digits. */
        MINMAX,
        /** Each column to mean 0 and variance 1. */
        STANDARD,
        /** The values as they are in the file. */
        NONE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the {@code --label} column holds, and so what the network learns to predict. */
    public enum Task {
        /** Classes: each distinct label is one, and the network ends in a softmax over them. */
        CLASSIFICATION,
        /** A number (a price, a temperature): the network ends in one identity output, trained on it standardized. */
        REGRESSION;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--task", paramLabel = "NAME", converter = TaskConverter.class,
            completionCandidates = TaskNames.class,
            description = "What --label holds: classification (the default; each distinct value is a class) or "
                    + "regression (a number to predict, such as a price: one identity output trained with --loss on "
                    + "the target standardized on the training rows, and reported in its own units, MSE, RMSE, MAE "
                    + "and R2 beside the training mean's, as scikit-learn's DummyRegressor; several --label targets, "
                    + "y1,y2, get one output each, reported per target and averaged). Needs --csv.")
    Task task = Task.CLASSIFICATION;

    @Option(names = "--loss", paramLabel = "NAME", converter = LossConverter.class,
            completionCandidates = LossNames.class,
            description = "With --task regression: the loss trained on the standardized target, mse (the default; "
                    + "PyTorch's MSELoss), mae (L1Loss, which fits the median and minds outliers less) or huber "
                    + "(HuberLoss, delta 1: squared within a standard deviation of the target, linear beyond). A "
                    + "classifier trains with categorical cross-entropy.")
    RegressionLoss loss;

    @Option(names = "--csv", paramLabel = "FILE", converter = ReadableFile.class,
            description = "Train on this numeric CSV file (plain or gzipped) instead of the digits; needs --label.")
    Path csv;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The CSV's class column (with --task regression, its target column of numbers): its name in "
                    + "the header line (with --header) or its 0-based index, -1 for the last (a number is a header "
                    + "name first, when one is). Class labels may be any text; each distinct one is a class (but "
                    + "where every label is a number, 1, 1.0 and 01 are one: a warning names them). With "
                    + "--task regression, several target columns separated by commas (y1,y2) are learnt together, "
                    + "one output each, as scikit-learn's MLPRegressor does a 2-D y.")
    String label;

    @Option(names = "--header", description = "The CSV's first line holds column names.")
    boolean header;

    @Option(names = "--weight-column", paramLabel = "COLUMN",
            description = "A CSV column (its header name; needs --header) holding each row's weight in the training "
                    + "loss, as Keras's sample_weight: not a feature. Finite, not negative; the losses and report "
                    + "shown stay unweighted, and a line of the test rows' weighted figures follows the report "
                    + "(scikit-learn's with sample_weight; printed for one run, while --metrics holds each seed's "
                    + "and each --cv fold's too). Multiplies --class-weight's.")
    String weightColumn;

    @Option(names = "--categorical", paramLabel = "COLUMN", split = ",", converter = ColumnName.class,
            description = "CSV columns of text categories (header names; needs --header), each read as one 0/1 "
                    + "column per category, as pandas' get_dummies: color becomes color=blue, color=red, ... The model "
                    + "file records the categories, and predict encodes a file with them.")
    List<String> categorical;

    @Option(names = "--ignore", paramLabel = "COLUMN", split = ",", converter = ColumnName.class,
            description = "CSV columns that are not features (header names; needs --header): an identifier, a date, a "
                    + "free-text note. They are not read at all, so they may hold any text; the model file records "
                    + "them, and predict leaves them out of its files too. A name with a comma goes in double "
                    + "quotes: --ignore '\"Note, free text\",id'.")
    List<String> ignore;

    /**
     * Each --categorical column's categories (column order): a resumed run's recorded ones, which its file is read
     * with, or once read, the file's; null before either.
     */
    private Map<String, List<String>> categoriesRead;

    @Option(names = "--delimiter", paramLabel = "CHAR", converter = DelimiterConverter.class,
            description = "The CSV's field separator: one character such as ';' or '|', tab, or whitespace for "
                    + "runs of spaces and tabs (default: ,).")
    Character delimiter;

    @Option(names = "--test-split", paramLabel = "F", converter = Fraction.class,
            description = "Share of the CSV rows held out as the test set, stratified (shuffled for a "
                    + "regression; default: 0.2).")
    Double testSplit;

    @Option(names = "--test-csv", paramLabel = "FILE", converter = ReadableFile.class,
            description = "Test on this CSV file's rows instead of holding out --test-split of --csv's: every --csv "
                    + "row trains. The same columns (matched by name with --header; --ignore's where it has them), "
                    + "--label and --header; the scaler and the categories are the training rows'. For a split made "
                    + "elsewhere (scikit-learn's), to compare on the same rows.")
    Path testCsv;

    @Option(names = "--scaler", paramLabel = "NAME", converter = ScalerConverter.class,
            completionCandidates = ScalerNames.class,
            description = "How CSV features are scaled, fitted on the training rows: minmax (default), standard "
                    + "or none.")
    Scaler scaler;

    @Option(names = "--impute", paramLabel = "STRATEGY", converter = ImputeConverter.class,
            completionCandidates = ImputeNames.class,
            description = "Fill in missing CSV feature values (an empty field, NA, ?, null, nan) with the training "
                    + "rows' mean or median of the column, as scikit-learn's SimpleImputer, before scaling. The model "
                    + "file keeps the imputer, and predict fills in its files' missing values the same way. Default: "
                    + "a missing value is refused.")
    SimpleImputer.Strategy impute;

    @Option(names = "--pos-label", paramLabel = "CLASS",
            description = "For a two-class CSV run: the class the ROC curve, the precision-recall curve and the "
                    + "report's average precision take as positive, as scikit-learn's pos_label (default: the second "
                    + "class name, in the classes' order).")
    String positiveLabel;

    @Option(names = "--validation-split", paramLabel = "F", converter = Fraction.class,
            description = "Hold out this share of the training rows (stratified; shuffled for a regression) as a "
                    + "validation set: early stopping watches it, and the test set is evaluated once, at the end. "
                    + "Default: none, or 0.1 with --early-stopping; without one the test split is checked after every "
                    + "epoch, as in the article.")
    Double validationSplit;

    /**
     * The validation share {@code --early-stopping} holds out when {@code --validation-split} is not given, as
     * scikit-learn's {@code MLPClassifier(early_stopping=True)} does ({@code validation_fraction=0.1}). The rule that
     * watches it is this program's, not scikit-learn's: the validation loss, no tolerance, {@code --patience}.
     */
    static final double EARLY_STOPPING_VALIDATION = 0.1;

    /**
     * The option that chose the validation split ({@link #EARLY_STOPPING_VALIDATION}) when {@code --validation-split}
     * was not given: {@code --early-stopping} or {@code --lr-schedule plateau}; null otherwise.
     */
    private String validationChosenBy;

    @Option(names = "--split-seed", paramLabel = "N", converter = Converters.SeedConverter.class,
            description = "Seed of the CSV's test split, of the validation split and of --cv's folds (default: 42).")
    long splitSeed = 42;

    /** Whether {@code --cv}'s folds are shuffled with {@link #splitSeed}, which then has an effect on the digits too. */
    private boolean splitSeedShufflesFolds;

    /**
     * Refuses a resumed regression whose targets are not its checkpoint's, where either has several: the network's
     * outputs are those targets, in that order. (One target for one, as before lists, is not compared: the output
     * count agrees, and a renamed column may hold the same values.)
     */
    private void requireRecordedTargets(CommandSpec spec) {
        List<String> now = regressionTarget.headerNames();
        if (resumedFrom == null || recordedTargets.isEmpty() || now == null
                || recordedTargets.size() == 1 && now.size() == 1 || recordedTargets.equals(now)) {
            return;
        }
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + resumedFrom
                + " learned " + (recordedTargets.size() == 1 ? "one target, '" + recordedTargets.get(0) + "'"
                : recordedTargets.size() + " targets, " + String.join(", ", recordedTargets) + " in that order")
                + ", and this run names " + String.join(", ", now) + "; resume with --label "
                + String.join(",", recordedTargets));
    }

    /** The --ignore columns, stripped; empty without the option. */
    private List<String> ignored() {
        return ignore == null ? List.of() : ignore.stream().map(String::strip).toList();
    }

    /** This run's categorical columns for the metadata: their categories once read, else their names alone. */
    private String categoricalRecord() {
        Map<String, Object> m = new LinkedHashMap<>();
        categoricalToRead().forEach((name, categories) -> m.put(name, categories == null ? List.of() : categories));
        return JsonWriter.write(m);
    }

    /**
     * The settings that decide which rows train and how they are scaled, as metadata entries of the files the
     * trainer writes: a resumed run must split and scale as the run it continues did ({@link #adoptResumed}), or
     * rows it trained on would become test rows.
     *
     * @return key to value, in a stable order
     */
    Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DataRecord.DATA_KEY, dataKind());
        if (regression()) {
            m.put(DataRecord.TASK_KEY, task.toString());
            m.put(DataRecord.LOSS_KEY, regressionLoss().toString());
        }
        if (csv != null) {
            m.put(DataRecord.TEST_SPLIT_KEY, testCsv != null ? DataRecord.TEST_FILE : Double.toString(testFraction()));
            if (testCsv != null) {
                m.put(DataRecord.TEST_FILE_NAME_KEY, String.valueOf(testCsv.getFileName()));
            }
            m.put(DataRecord.SCALER_KEY, scalerOrDefault().toString());
            m.put(DataRecord.WEIGHT_COLUMN_KEY, weightColumn == null ? "none" : "'" + weightColumn.strip() + "'");
            m.put(DataRecord.CATEGORICAL_KEY, categoricalRecord());
            m.put(DataRecord.IGNORED_KEY, JsonWriter.write(ignored()));
            m.put(DataRecord.IMPUTE_KEY, impute == null ? "none" : impute.toString());
            if (labelHeaderName != null) {
                m.put(DataRecord.LABEL_KEY, labelHeaderName);
            }
            if (positiveLabel != null && !regression()) {
                m.put(DataRecord.POS_LABEL_KEY, positiveLabel.strip());
            }
            if (regressionTarget != null && regressionTarget.count() > 1) {
                m.put(DataRecord.TARGETS_KEY, JsonWriter.write(targetNames()));
            }
        }
        m.put(DataRecord.VALIDATION_SPLIT_KEY, validationSplit == null ? "none" : Double.toString(validationSplit));
        if (csv != null || validationSplit != null) {
            m.put(DataRecord.SPLIT_SEED_KEY, Long.toString(splitSeed));
        }
        return m;
    }

    /**
     * Holds out {@link #EARLY_STOPPING_VALIDATION} of the training rows for {@code option}, a rule that watches the
     * validation loss (early stopping, the plateau schedule), unless {@code --validation-split} says otherwise: a run
     * that stopped, or cut its rate, on the test loss would choose its epoch or its rates by the test rows, and then
     * report their accuracy as if they were unseen.
     *
     * @param option the option that needs the rows, for the messages ({@code --early-stopping})
     */
    void holdOutForValidation(String option) {
        if (validationSplit == null) {
            validationSplit = EARLY_STOPPING_VALIDATION;
            validationChosenBy = option;
        }
    }

    /**
     * Takes a checkpoint's data settings for a resumed run: an option left out takes the recorded value, one given
     * with another value is a usage error, as for the other settings ({@link ModelOptions#resumed}). Files
     * written before these settings were recorded have none, and change nothing.
     *
     * @param spec       the command, for usage errors
     * @param recorded   the checkpoint's metadata
     * @param checkpoint the checkpoint, for the messages
     * @throws ParameterException for a setting that contradicts the checkpoint's
     */
    void adoptResumed(CommandSpec spec, Map<String, String> recorded, Path checkpoint) {
        String data = recorded.get(DataRecord.DATA_KEY);
        if (data == null) {
            return;
        }
        if (!data.equals(dataKind())) {
            throw new ParameterException(spec.commandLine(), checkpoint + " was trained on "
                    + (data.equals("csv") ? "a CSV file; give it with --csv FILE (and its --label)"
                    : "the bundled digits; leave --csv out"));
        }
        // Files written before --task existed, and every classifier's, record none.
        Task recordedTask = "regression".equals(recorded.get(DataRecord.TASK_KEY)) ? Task.REGRESSION
                : Task.CLASSIFICATION;
        String learns = "learns what the run it continues learned, with the same loss";
        task = ModelOptions.agreeWithCheckpoint(spec, "--task", task, recordedTask, checkpoint, learns);
        if (recordedTask == Task.REGRESSION) {
            recordedTargets = DataRecord.targets(recorded);
            resumedFrom = checkpoint;
        }
        String recordedLoss = recorded.get(DataRecord.LOSS_KEY);
        if (recordedLoss != null) {
            loss = ModelOptions.agreeWithCheckpoint(spec, "--loss", loss,
                    Converters.parseEnum(RegressionLoss.class, recordedLoss), checkpoint, learns);
        }
        String v = recorded.get(DataRecord.VALIDATION_SPLIT_KEY);
        if (v != null) {
            Double recordedSplit = v.equals("none") ? null : Double.valueOf(v);
            validationSplit = agree(spec, "--validation-split", validationSplit, recordedSplit, checkpoint);
        }
        String seedText = recorded.get(DataRecord.SPLIT_SEED_KEY);
        if (seedText != null) {
            splitSeed = agree(spec, "--split-seed", splitSeed, Long.valueOf(seedText), checkpoint);
        }
        if (csv != null) {
            String t = recorded.get(DataRecord.TEST_SPLIT_KEY);
            if (t != null && t.equals(DataRecord.TEST_FILE) != (testCsv != null)) {
                throw new ParameterException(spec.commandLine(), checkpoint + " was tested on "
                        + (testCsv == null ? "a --test-csv file; give it again with --test-csv FILE"
                        : "--test-split " + t + " of its --csv rows, which it trained on the others of; leave "
                        + "--test-csv out"));
            }
            if (t != null && testCsv == null) {
                testSplit = agree(spec, "--test-split", testFraction(), Double.valueOf(t), checkpoint);
            }
            String testName = recorded.get(DataRecord.TEST_FILE_NAME_KEY);
            if (testCsv != null && testName != null && !testName.equals(String.valueOf(testCsv.getFileName()))) {
                // Said, not refused: a file may be renamed or moved between the runs.
                PrintWriter err = spec.commandLine().getErr();
                err.println("digits: warning: " + checkpoint + " was tested on " + testName + ", this run on "
                        + testCsv.getFileName() + ": the test figures before and after the resume are of other rows "
                        + "if the files differ");
                err.flush();
            }
            String s = recorded.get(DataRecord.SCALER_KEY);
            if (s != null) {
                scaler = agree(spec, "--scaler", scalerOrDefault(), Converters.parseEnum(Scaler.class, s), checkpoint);
            }
            if (recorded.containsKey(DataRecord.WEIGHT_COLUMN_KEY)) {
                weightColumn = agree(spec, "--weight-column", weightColumn == null ? null : weightColumn.strip(),
                        DataRecord.weightColumn(recorded), checkpoint);
            }
            if (recorded.containsKey(DataRecord.CATEGORICAL_KEY)) {
                // The same columns, read with the recorded categories: the model's input columns stay the same.
                Map<String, List<String>> categories = DataRecord.categories(recorded);
                List<String> names = agree(spec, "--categorical", categorical == null ? List.of()
                        : categorical.stream().map(String::strip).toList(), List.copyOf(categories.keySet()),
                        checkpoint);
                categorical = names.isEmpty() ? null : names;
                categoriesRead = categories.isEmpty() ? null : categories;
            }
            String imputed = recorded.get(DataRecord.IMPUTE_KEY);
            if (imputed != null) {
                impute = agree(spec, "--impute", impute, imputed.equals("none") ? null
                        : Converters.parseEnum(SimpleImputer.Strategy.class, imputed), checkpoint);
            }
            if (recorded.containsKey(DataRecord.IGNORED_KEY)) {
                List<String> before = DataRecord.ignoredColumns(recorded);
                List<String> asked = ignored();
                // The same columns in another order leave out the same: no reason to refuse the resume.
                boolean same = asked.size() == before.size() && Set.copyOf(asked).equals(Set.copyOf(before));
                List<String> names = agree(spec, "--ignore", same ? before : asked, before, checkpoint);
                ignore = names.isEmpty() ? null : names;
            }
            // The positive class decides what --monitor average-precision watches: the run's own, given or not. A
            // file without one took the default class, which a --pos-label here may only name again: checked once
            // the classes are read (positiveClass).
            String positive = recorded.get(DataRecord.POS_LABEL_KEY);
            if (positive != null) {
                positiveLabel = ModelOptions.agreeWithCheckpoint(spec, "--pos-label", positiveLabel == null ? null
                        : positiveLabel.strip(), positive, checkpoint, "scores the positive class the run it "
                        + "continues did");
            } else if (positiveLabel != null) {
                resumedWithDefaultPositive = checkpoint;
            }
        }
    }

    /** The --categorical columns to read: a resumed run's recorded categories, or learned from the file. */
    private Map<String, List<String>> categoricalToRead() {
        if (categoriesRead != null) {
            return categoriesRead;
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (categorical != null) {
            for (String name : categorical) {
                m.put(name.strip(), null);
            }
        }
        return m;
    }

    /** The line that says which columns were one-hot encoded, and into what. */
    static String categoricalDescription(Map<String, List<String>> categories) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : categories.entrySet()) {
            List<String> c = e.getValue();
            parts.add(String.format(Locale.ROOT, "'%s' into %d (%s)", e.getKey(), c.size(),
                    c.size() <= 6 ? String.join(", ", c) : String.join(", ", c.subList(0, 5)) + ", ..."));
        }
        return "  one-hot columns: " + String.join("; ", parts);
    }

    /**
     * Warns of categories that no training row holds: the categories were read from the whole --csv file, held-out
     * rows included, so a category of the test (or validation) rows alone still has a one-hot column, 0 in every
     * training row. Its first-layer weights then never move from their initial values, and the held-out rows holding
     * it are scored through them; scikit-learn's {@code OneHotEncoder} fitted on the training rows refuses such rows
     * (or, with {@code handle_unknown='ignore'}, gives them zeros).
     *
     * @param categories   each categorical column's categories
     * @param featureNames the training set's column names, one-hot columns as {@code column=category}
     * @param train        the training rows
     * @param err          where to warn
     */
    static void warnOfCategoriesOutsideTraining(Map<String, List<String>> categories, String[] featureNames,
                                                Dataset train, PrintWriter err) {
        if (featureNames == null || featureNames.length != train.featureCount()) {
            return;
        }
        List<String> unseen = new ArrayList<>();
        int columns = train.featureCount();
        float[] x = train.features();
        List<String> names = Arrays.asList(featureNames);
        for (Map.Entry<String, List<String>> e : categories.entrySet()) {
            for (String category : e.getValue()) {
                int j = names.indexOf(e.getKey() + "=" + category);
                if (j < 0) {
                    continue;
                }
                boolean held = false;
                for (int i = 0; i < train.size() && !held; i++) {
                    held = x[i * columns + j] != 0;
                }
                if (!held) {
                    unseen.add("'" + category + "' of '" + e.getKey() + "'");
                }
            }
        }
        if (!unseen.isEmpty()) {
            err.println("digits: warning: " + NameLists.abbreviate(unseen) + (unseen.size() == 1 ? " occurs" : " occur")
                    + " only in held-out rows, in none of the " + train.size() + " training rows: "
                    + (unseen.size() == 1 ? "its one-hot column is" : "their one-hot columns are") + " 0 throughout "
                    + "training, so its weights keep their initial values and the held-out rows holding it are scored "
                    + "through them (scikit-learn's OneHotEncoder fitted on the training rows refuses such rows); "
                    + "merge or drop so rare a category, or split with another --split-seed");
            err.flush();
        }
    }

    /**
     * Warns of a {@code --categorical} column of numbers with a category for most rows: a measurement (a price, a
     * length), which one-hot encoding turns into a column per value, each seen once or twice, instead of one column
     * the model can read as a quantity.
     */
    static void warnOfNumericCategories(Map<String, List<String>> categories, int rows, PrintWriter err) {
        for (Map.Entry<String, List<String>> e : categories.entrySet()) {
            List<String> c = e.getValue();
            if (c.size() >= 20 && c.size() > rows / 2 && allNumbers(c.toArray(new String[0]))) {
                err.println("digits: warning: --categorical '" + e.getKey() + "' makes " + c.size() + " one-hot "
                        + "columns for " + rows + " rows: its values are numbers, nearly one per row; if it is a "
                        + "measurement, leave it out of --categorical and it is read as one number");
            }
        }
        err.flush();
    }

    /** What the run trains on, as its metadata records it: {@code digits} or {@code csv}. */
    private String dataKind() {
        return csv == null ? "digits" : "csv";
    }

    /** The CSV's test split: {@code --test-split}, or the default. */
    private double testFraction() {
        return testSplit != null ? testSplit : DEFAULT_TEST_SPLIT;
    }

    /** The CSV's scaler: {@code --scaler}, or min-max. */
    /** {@return whether a CSV run trains on its features as read ({@code --scaler none})} */
    boolean unscaled() {
        return csv != null && scaler == Scaler.NONE;
    }

    private Scaler scalerOrDefault() {
        return scaler != null ? scaler : Scaler.MINMAX;
    }

    /** The checkpoint's value; a usage error when {@code option} was given with another. */
    private static <T> T agree(CommandSpec spec, String option, T asked, T recorded, Path checkpoint) {
        return ModelOptions.agreeWithCheckpoint(spec, option, asked, recorded, checkpoint,
                "splits and scales its data as the run it continues did");
    }

    /** Says that {@code --cv}'s folds are shuffled with {@code --split-seed}, so that it is not refused as unused. */
    void shuffleFoldsWithSplitSeed() {
        splitSeedShufflesFolds = true;
    }

    /**
     * Loads, splits and scales the data the options ask for. A split that would leave a class without a training
     * row is refused; classes left with a single one are named in a warning on the command's stderr.
     *
     * @param spec the command, for errors that name an option
     * @return the training, validation (or null) and test rows
     * @throws ParameterException for options that do not fit together, or a split that leaves a class untrained
     */
    public TrainingData load(CommandSpec spec) {
        check(spec);
        TrainingData data = csv == null ? digits(spec) : csv(spec);
        if (!regression()) {
            warnOfSingleTrainingRows(spec, data);
        }
        return data;
    }

    private void check(CommandSpec spec) {
        if (!regression() && loss != null) {
            throw new ParameterException(spec.commandLine(), "Option '--loss' chooses a regression's loss (with --task "
                    + "regression); a classifier trains with categorical cross-entropy");
        }
        if (csv == null) {
            for (Object[] csvOnly : new Object[][] {{"--label", label}, {"--header", header ? true : null},
                {"--delimiter", delimiter}, {"--test-split", testSplit}, {"--test-csv", testCsv},
                {"--scaler", scaler},
                {"--weight-column", weightColumn}, {"--categorical", categorical}, {"--ignore", ignore},
                {"--impute", impute}, {"--pos-label", positiveLabel}}) {
                if (csvOnly[1] != null) {
                    throw new ParameterException(spec.commandLine(), "Option '" + csvOnly[0]
                            + "' is only used with --csv FILE");
                }
            }
            if (regression()) {
                throw new ParameterException(spec.commandLine(), "Option '--task regression' needs --csv FILE and "
                        + "--label COLUMN, the column of numbers to predict: the digits' labels are classes");
            }
            if (validationSplit == null && !splitSeedShufflesFolds && ModelOptions.given(spec, "--split-seed")) {
                throw new ParameterException(spec.commandLine(), "Option '--split-seed' has no effect on the digits "
                        + "without --validation-split or --cv: their test split is the article's (random_state=42)");
            }
            return;
        }
        if (label == null) {
            throw new ParameterException(spec.commandLine(), "Option '--csv' needs --label COLUMN, the "
                    + (regression() ? "target" : "class") + " column (a header name with --header, or a 0-based index "
                    + "such as -1 for the last)");
        }
        // The header is looked at only for a comma, which a column's own name may hold.
        targetLabels = TargetLabels.split(label, header && label.contains(",") && Files.isRegularFile(csv)
                ? fileHeader() : null);
        if (targetLabels.size() > 1) {
            TargetLabels.check(spec, targetLabels, regression(), List.of(
                    new TargetLabels.Other("--ignore", ignored(), "a column left out of the features"),
                    new TargetLabels.Other("--categorical", categorical == null ? List.of()
                            : categorical.stream().map(String::strip).toList(), "a feature of categories"),
                    new TargetLabels.Other("--weight-column", weightColumn == null ? List.of()
                            : List.of(weightColumn.strip()), "the rows' weights")));
        }
        if (targetLabels.size() == 1) {
            requireLabelReadable(spec, label, header);
        } else {
            targetLabels.forEach(target -> requireLabelReadable(spec, target, header));
        }
        if (regression() && positiveLabel != null) {
            throw new ParameterException(spec.commandLine(), "Option '--pos-label' chooses a class, and a regression "
                    + "(--task regression) has none");
        }
        if (testCsv != null && testSplit != null) {
            throw new ParameterException(spec.commandLine(), "Options '--test-csv' and '--test-split' both choose the "
                    + "test rows: give one");
        }
        if (testCsv != null && validationSplit == null && !splitSeedShufflesFolds
                && ModelOptions.given(spec, "--split-seed")) {
            throw new ParameterException(spec.commandLine(), "Option '--split-seed' has no effect with --test-csv "
                    + "without --validation-split or --cv: the test rows are --test-csv's, and the --csv rows are "
                    + "not split");
        }
        if (testCsv != null && Converters.sameFile(testCsv, csv)) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("digits: warning: --test-csv is the --csv file: every test row is also a training row, so "
                    + "the test figures measure memory, not how the model does on rows it has not seen");
            err.flush();
        }
        if (weightColumn != null && weightColumn.strip().equals(label.strip())) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--weight-column': '"
                    + label.strip() + "' is the --label column, which the model learns to predict; the weights are "
                    + "a column of their own");
        }
        if (weightColumn != null && !header) {
            throw new ParameterException(spec.commandLine(), "Option '--weight-column' names a column of the header "
                    + "line: add --header");
        }
        if (categorical != null) {
            if (!header) {
                throw new ParameterException(spec.commandLine(), "Option '--categorical' names columns of the header "
                        + "line: add --header");
            }
            String weights = weightColumn == null ? null : weightColumn.strip();
            Set<String> seen = new HashSet<>();
            for (String name : categorical) {
                String n = name.strip();
                String problem = n.isEmpty() ? "an empty column name"
                        : n.equals(label.strip()) ? "'" + n + "' is the --label column, " + (regression()
                        ? "the target" : "whose text is read as classes")
                        : n.equals(weights) ? "'" + n + "' is the --weight-column, whose numbers weigh the rows"
                        : !seen.add(n) ? "'" + n + "' is named twice" : null;
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--categorical': "
                            + problem);
                }
            }
        }
        checkIgnored(spec);
    }

    /** Refuses --ignore columns that cannot be left out: without a header, or named as something else too. */
    private void checkIgnored(CommandSpec spec) {
        if (ignore == null) {
            return;
        }
        if (!header) {
            throw new ParameterException(spec.commandLine(), "Option '--ignore' names columns of the header line: "
                    + "add --header");
        }
        Set<String> categories = categorical == null ? Set.of()
                : categorical.stream().map(String::strip).collect(java.util.stream.Collectors.toSet());
        Set<String> seen = new HashSet<>();
        for (String n : ignored()) {
            String problem = n.isEmpty() ? "an empty column name"
                    : n.equals(label.strip()) ? "'" + n + "' is the --label column, which the model learns to predict"
                    : weightColumn != null && n.equals(weightColumn.strip()) ? "'" + n + "' is the --weight-column, "
                    + "which is not a feature already"
                    : categories.contains(n) ? "'" + n + "' is also a --categorical column; give it to one of them"
                    : !seen.add(n) ? "'" + n + "' is named twice" : null;
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--ignore': " + problem);
            }
        }
    }

    /**
     * Refuses a {@code --label} column name without {@code --header}, the line that holds the names (the
     * trainer's and {@code predict}'s rule).
     *
     * @param spec   the command, for the usage error
     * @param label  the option's value
     * @param header whether {@code --header} was given
     * @throws ParameterException for a name without a header
     */
    static void requireLabelReadable(CommandSpec spec, String label, boolean header) {
        if (columnIndex(label) != null) {
            return;
        }
        if (label.strip().matches("[-+]?[0-9]+")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + label.strip()
                    + " is not a column index (0-based, or -1 for the last column)");
        }
        if (!header) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '" + label
                    + "' is a column name, which needs --header; or give a 0-based column index");
        }
    }

    /** The digits and the article's split: scaled on all images, as the article does. */
    private TrainingData digits(CommandSpec spec) {
        // The bundled file is read once: the split and the saved model's scaler come from the same images.
        Dataset all = DigitsData.load();
        MinMaxScaler scaler = Digits.articleScaler(all);
        IndexSplit.Datasets parts = Digits.scaledArticleSplit(scaler, all);
        String[] names = Digits.classNames().toArray(new String[0]);
        List<String> description = new ArrayList<>();
        Dataset train = parts.train();
        Dataset validation = null;
        String sizes = train.size() + " train, " + parts.test().size() + " test";
        if (validationSplit != null) {
            IndexSplit.Datasets carved = carve(spec, train, parts.test().size(), "drop --validation-split")
                    .apply(train);
            train = carved.train();
            validation = carved.test();
            sizes = train.size() + " train, " + validation.size() + " validation (" + validationText() + "), "
                    + parts.test().size() + " test";
        }
        description.add(String.format(Locale.ROOT, "Data: %d digit images of 8x8 (UCI), min-max scaled on all of "
                + "them; scikit-learn's split (random_state=42): %s", Digits.ROWS, sizes));
        return new TrainingData(train, validation, parts.test(), names, 8, List.copyOf(description),
                ModelOptions.digitsPreprocessing(scaler), null, null, null, 1, null);
    }

    /**
     * The CSV file's rows, split into training and test rows (the file's table and its unsplit rows are not kept:
     * for a large file they are as large as the split): the split rows, the class names, the feature columns' names
     * (null without a header), the data's line, and the training and test rows' weights from
     * {@code --weight-column} (null without one).
     */
    private record CsvSplit(IndexSplit.Datasets parts, String[] classNames, String[] featureNames,
                            String fileDescription, float[] trainWeights, float[] testWeights) {
    }

    /**
     * The --test-csv file's rows, their weights from {@code --weight-column} (null without one), and the --ignore
     * columns its header had.
     */
    private record TestRows(Dataset rows, float[] weights, List<String> ignored) {
    }

    /** The --pos-label class's index among {@code names} (1 without the option), or a usage error naming them. */
    private int positiveClass(CommandSpec spec, String[] names) {
        int positive = positiveLabel == null ? 1
                : positiveClass(spec, positiveLabel, List.of(names), csv.getFileName(), "the classes");
        if (resumedWithDefaultPositive != null && positive != 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--pos-label': "
                    + positiveLabel.strip() + " is not the class " + resumedWithDefaultPositive + " was trained with "
                    + "as positive (the default, " + names[1] + "); a resumed run scores the positive class the run "
                    + "it continues did, so leave --pos-label out");
        }
        return positive;
    }

    /** A checkpoint whose run took the default positive class, resumed with a --pos-label to check; else null. */
    private Path resumedWithDefaultPositive;

    /**
     * The index of {@code asked}, a {@code --pos-label}, among a two-class problem's class names, matched by value
     * too, as a file's labels are read ({@code 1} and {@code 1.0} are one class); the training run's and predict's
     * option alike.
     *
     * @param spec   the command, for usage errors
     * @param asked  the option's value
     * @param names  the classes
     * @param holder what has the classes, for the message: the --csv file, the model file
     * @param whose  how the message calls the classes: {@code the classes}, {@code the model's classes}
     * @return 0 or 1
     * @throws ParameterException when there are not two classes, or {@code asked} is neither
     */
    static int positiveClass(CommandSpec spec, String asked, List<String> names, Object holder, String whose) {
        if (names.size() != 2) {
            throw new ParameterException(spec.commandLine(), "Option '--pos-label' chooses one of two classes; "
                    + holder + " has " + names.size());
        }
        int k = new ClassLookup(names).indexOf(asked.strip());
        if (k < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--pos-label': '"
                    + asked.strip() + "' is not one of " + whose + ", " + names.get(0) + " and " + names.get(1));
        }
        return k;
    }

    /** Refuses an --ignore name that neither the --csv file's header nor the --test-csv file's has (a typo). */
    private void requireIgnoredSomewhere(CommandSpec spec, CsvReader.Table training, List<String> inTest) {
        for (String name : ignored()) {
            if (!training.ignoredColumns().contains(name) && !inTest.contains(name)) {
                String neither = "neither " + csv.getFileName() + " nor the --test-csv file " + testCsv.getFileName()
                        + " has a column named '" + name + "' in its header";
                if (!ModelOptions.given(spec, "--ignore")) {
                    // Not typed: a resumed checkpoint's, which these files do not fit.
                    throw new IllegalArgumentException("the run resumed left out columns (its --ignore) that these "
                            + "files do not have: " + neither + "; resume with the files it trained on");
                }
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--ignore': " + neither);
            }
        }
    }

    private CsvSplit readAndSplitCsv(CommandSpec spec, double fraction) {
        // With a --test-csv file, an --ignore column may be in either file (a note only the test file has): each name
        // is then checked against both headers once both are read.
        // Before the read, which leaves --ignore's columns out and turns --categorical's into several: a position
        // counts the file's columns.
        List<String> targetsByName = new ArrayList<>();
        if (regression()) {
            List<String> given = targetLabels.size() == 1 ? List.of(label) : targetLabels;
            for (String wanted : given) {
                String byPosition = targetByPosition(spec, wanted);
                int earlier = targetsByName.indexOf(byPosition);
                if (byPosition != null && earlier >= 0) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + wanted
                            + " is column '" + byPosition + "', which --label names already ('" + given.get(earlier)
                            + "'); each target column once");
                }
                targetsByName.add(byPosition != null ? byPosition : wanted);
            }
        }
        CsvReader.Table table = readTrainerCsv(spec, csv, columnsReader(testCsv != null));
        categoriesRead = table.categories();
        float[] weights = null;
        if (weightColumn != null) {
            try {
                weights = RowWeights.read(table, weightColumn);
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).contains("no feature column named")) {
                    // A name the header lacks is a bad option value, as a bad --label is, not a bad file. Its columns
                    // as the file has them, not as read (one-hot columns, the label's, --ignore's left out).
                    List<String> header = fileHeader();
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--weight-column': "
                            + (header == null ? e.getMessage() : csv.getFileName() + " has no column named '"
                            + weightColumn.strip() + "'; its header has " + String.join(", ", header)));
                }
                throw e;
            }
            table = table.withoutColumn(weightColumn);
        }
        String[] names;
        Dataset all;
        String[] featureNames;
        String target;
        if (regression()) {
            regressionTarget = TargetColumns.find(spec, table, targetsByName);
            names = null;
            labelColumn = regressionTarget.name();
            labelHeaderName = regressionTarget.headerNames(table.columnNames());
            requireRecordedTargets(spec);
            all = regressionTarget.rows(table.values(), table.columns(), table.source(), impute != null);
            featureNames = regressionTarget.featureNames(table.columnNames());
            target = "target " + regressionTarget.described();
        } else {
            names = table.classNames();
            labelColumn = columnName(table);
            labelHeaderName = table.labelName() == null ? null : table.labelName().strip();
            requireNotContinuous(spec, table, names);
            if (names.length < 2) {
                throw new IllegalArgumentException(table.source() + ": the label column has only one class ("
                        + names[0] + "); a classifier needs at least two");
            }
            all = table.toDataset();
            featureNames = table.columnNames();
            target = String.format(Locale.ROOT, "%d classes from column %s: %s", names.length,
                    table.labelName() != null ? "'" + table.labelName() + "'" : label, NameLists.abbreviate(names));
        }
        // In file order, before the split shuffles the rows: a row number shows only there.
        FeatureColumnChecks.warnOfRowNumbers(all.features(), all.featureCount(), featureNames,
                spec.commandLine().getErr());
        if (testCsv != null) {
            // Every row of --csv trains; the test rows are the other file's, in the training file's classes.
            TestRows testRows = readTestCsv(spec, table, names);
            requireIgnoredSomewhere(spec, table, testRows.ignored());
            Dataset test = testRows.rows();
            String description = String.format(Locale.ROOT, "Data: %s, %s of %s; %s; test rows from %s (%s)",
                    table.source(), count(table.rows(), "row"), featuresText(all.featureCount()), target,
                    testCsv.getFileName(), count(test.size(), "row"));
            return new CsvSplit(new IndexSplit.Datasets(all, test), names, featureNames, description, weights,
                    testRows.weights());
        }
        IndexSplit split;
        if (regression()) {
            split = shuffledSplit(spec, "--test-split", fraction, all.size(), tooFew(table.rows(), "row")
                    + " to hold out a test row as well; the file needs more rows");
        } else {
            requireTrainingRowPerClass(spec, "--test-split", testSplit != null ? "" : " (the default)", "test",
                    fraction, all, "rows", "", tooFew(table.rows(), "row") + " to hold out a test row as well; the "
                            + "file needs more rows");
            split = TrainTestSplit.stratified(all.labels(), fraction, splitSeed);
        }
        String description = String.format(Locale.ROOT, "Data: %s, %s of %s; %s", table.source(),
                count(table.rows(), "row"), featuresText(all.featureCount()), target);
        return new CsvSplit(split.apply(all), names, featureNames, description,
                weights == null ? null : RowWeights.of(weights, split.train()),
                weights == null ? null : RowWeights.of(weights, split.test()));
    }

    /** How many features the rows have, and which columns --ignore left out: "12 features (id left out)". */
    private String featuresText(int features) {
        return count(features, "feature") + (ignore == null ? ""
                : " (" + ignored().stream().map(NameLists::listed).collect(Collectors.joining(", ")) + " left out)");
    }

    /**
     * Fills in the missing values of every part with an imputer fitted on the training rows alone (as the scaler is,
     * so that nothing of the held-out rows leaks into training), in place: the split's rows are this run's own
     * copies. Adds a line saying how many were missing, and returns the imputer for the model file.
     */
    private SimpleImputer imputeInPlace(Dataset train, Dataset validation, Dataset test, String[] names,
                                        List<String> description) {
        int columns = train.featureCount();
        int[] gapsPerColumn = SimpleImputer.missingPerColumn(train.features(), columns);
        int empty = firstColumnWithoutValue(gapsPerColumn, train.size());
        if (empty >= 0) {
            String column = names != null ? names[empty].strip() : Integer.toString(empty);
            throw new IllegalArgumentException("column " + (names != null ? "'" + column + "'" : column) + " has no "
                    + "value in any of the " + train.size() + " training rows, so --impute has nothing to fill it in "
                    + "from (the held-out rows do not count: their values would leak into training); "
                    + (names != null ? "leave it out with --ignore " + ModelOptions.shellWord(column)
                    : "leave it out of the file"));
        }
        long missing = 0;
        for (Dataset part : new Dataset[] {train, validation, test}) {
            missing += part == null ? 0 : SimpleImputer.missing(part.features());
        }
        long emptyColumns = java.util.Arrays.stream(gapsPerColumn).filter(n -> n > 0).count();
        SimpleImputer imputer = new SimpleImputer(impute).fit(train.features(), columns);
        for (Dataset part : new Dataset[] {train, validation, test}) {
            if (part != null) {
                imputer.transformInPlace(part.features(), columns);
            }
        }
        long all = (long) columns * (train.size() + (validation == null ? 0 : validation.size()) + test.size());
        description.add(String.format(Locale.ROOT, "  missing values: %d of %d (%.2f%%), %d of the training rows' "
                + "columns with any; filled in with the training rows' %s of the column", missing, all,
                100.0 * missing / all, emptyColumns, impute));
        long gaps = 0;
        for (Dataset part : new Dataset[] {train, validation, test}) {
            gaps += part == null ? 0 : categoryGaps(part.features(), columns, names);
        }
        if (gaps > 0) {
            description.add("  and " + gaps + " missing categor" + (gaps == 1 ? "y" : "ies") + ", left all 0 in "
                    + "their one-hot columns");
        }
        return imputer;
    }

    /**
     * The rows' gaps in categorical columns, read with missing values: a row whose one-hot columns of a category
     * ({@code color=...}) are all 0, as a present value always sets one of them.
     */
    private long categoryGaps(float[] x, int columns, String[] names) {
        if (categoriesRead == null || names == null) {
            return 0;
        }
        long gaps = 0;
        for (String column : categoriesRead.keySet()) {
            List<Integer> group = new ArrayList<>();
            for (int j = 0; j < columns; j++) {
                if (names[j].startsWith(column + "=")) {
                    group.add(j);
                }
            }
            for (int at = 0; at < x.length && !group.isEmpty(); at += columns) {
                boolean none = true;
                for (int j : group) {
                    none &= x[at + j] == 0f;
                }
                gaps += none ? 1 : 0;
            }
        }
        return gaps;
    }

    /** The first column whose gaps ({@link SimpleImputer#missingPerColumn}) are all of its {@code rows}, or -1. */
    private static int firstColumnWithoutValue(int[] gapsPerColumn, int rows) {
        for (int j = 0; j < gapsPerColumn.length; j++) {
            if (gapsPerColumn[j] == rows) {
                return j;
            }
        }
        return -1;
    }

    /**
     * The --test-csv file's rows as a test set of the training file's classes: read with its label column, header
     * and separator, its categorical columns encoded with the training file's categories (an unseen one is refused
     * naming it), its weight column left out; its columns must be the training file's, in the same order, and each
     * of its labels one of the training file's classes. Its weights are read, for the test report's weighted line.
     */
    private TestRows readTestCsv(CommandSpec spec, CsvReader.Table training, String[] classNames) {
        CsvReader.Table table;
        try {
            // The --ignore columns where the test file has them: one written without the identifiers tests as well.
            // Its labels are matched against the training file's classes (by value, for numbers): warnings of the
            // file's own classes would be false.
            table = readTrainerCsv(spec, testCsv, columnsReader(true).withClassWarnings(false));
            String absent = regression() ? regressionTarget.absentFrom(table.columnNames()) : null;
            if (absent != null) {
                // Said before the columns are compared, which would list them all and leave the reader to spot it.
                throw new IllegalArgumentException(testCsv + " has no column '" + absent + "', the target "
                        + "(--label): the test rows are scored against their true values, so the test file needs them");
            }
        } catch (ParameterException | IllegalArgumentException e) {
            // --header and --label read both files: a test file that differs from --csv in its header line is the
            // file's fault, which the options' hints (add --header, the label column is not there) would misplace.
            String m = String.valueOf(e.getMessage());
            if (!header && m.endsWith("(--header)")) {
                Matcher word = Pattern.compile("'([^']*)' is not a number").matcher(m);
                throw new IllegalArgumentException(testCsv + " starts with a header line"
                        + (word.find() ? " ('" + word.group(1) + "' where a number goes)" : "") + ", and --csv "
                        + csv.getFileName() + " has none: --header reads both files, so they must agree", e);
            }
            Matcher separator = Pattern.compile(": the file may be separated by '([^']*)' \\(--delimiter '[^']*'\\)$")
                    .matcher(m);
            if (separator.find()) {
                // --delimiter would mend the test file and break the training file: they must agree instead.
                throw new IllegalArgumentException(m.substring(0, separator.start()) + ": it seems separated by '"
                        + separator.group(1) + "', and --delimiter reads --csv " + csv.getFileName() + " and the test "
                        + "file alike: write the test file with the training file's separator", e);
            }
            if (header && m.contains("no label column named")) {
                throw new IllegalArgumentException(testCsv + " has no column '" + label.strip() + "' in its first "
                        + "line, which --csv " + csv.getFileName() + " has in its header: --header reads both files, "
                        + "so give the test file the same header line", e);
            }
            throw e;
        }
        float[] weights = null;
        if (weightColumn != null) {
            try {
                weights = RowWeights.read(table, weightColumn);
                table = table.withoutColumn(weightColumn);
            } catch (IllegalArgumentException e) {
                if (!String.valueOf(e.getMessage()).contains("no feature column named")) {
                    throw e;   // a weight that is not one, named with the file, row and value
                }
                throw new IllegalArgumentException(testCsv + " has no --weight-column '" + weightColumn.strip()
                        + "', which --csv has; give the test file the same columns", e);
            }
        }
        String[] names = table.columnNames();
        String[] expected = training.columnNames();
        if (names != null && !Arrays.equals(names, expected) && allNumbers(names) && !allNumbers(expected)) {
            // Its "header" is a row of numbers: a test file without the header line --csv has, whose first row
            // --header took for one (with --label given by index, which every file has).
            throw new IllegalArgumentException(testCsv + " starts with a row of numbers (" + String.join(", ", names)
                    + ") where --csv " + csv.getFileName() + " has its header line (" + String.join(", ", expected)
                    + "): --header reads both files, so give the test file the same header line");
        }
        float[] values = names != null && expected != null && !Arrays.equals(names, expected)
                ? inColumnOrder(table, expected) : table.values();
        if (table.columns() != training.columns() || values == null) {
            // A regression's targets are still among the columns here (taken out below): they are counted.
            String kind = regression() ? "column" : "feature column";
            throw new IllegalArgumentException(testCsv + " has " + (names != null ? "the columns "
                    + String.join(", ", names) : count(table.columns(), kind))
                    + (regression() ? "" : " besides its label")
                    + "; --csv has " + (expected != null ? String.join(", ", expected)
                    : count(training.columns(), kind))
                    + ": the test file needs the same" + (names != null ? "" : ", in the same order"));
        }
        if (regression()) {
            // In the training file's column order, so the target is where it is there.
            return new TestRows(regressionTarget.rows(values, table.columns(), table.source(), impute != null),
                    weights, table.ignoredColumns());
        }
        // Numbers also by value, as one file's reader takes 1 and 1.0 for one class: pandas writes 1.0.
        ClassLookup lookup = new ClassLookup(List.of(classNames));
        String[] testClasses = table.classNames();
        int[] toTraining = new int[testClasses.length];
        for (int c = 0; c < testClasses.length; c++) {
            int k;
            try {
                k = lookup.indexOf(testClasses[c]);
            } catch (IllegalArgumentException ambiguous) {
                throw new IllegalArgumentException(testCsv + ": " + ambiguous.getMessage(), ambiguous);
            }
            if (k < 0) {
                // Dozens of number classes, and a number the training file never had: a measurement's values.
                boolean measured = classNames.length >= MANY_SINGLE_ROW_CLASSES && allNumbers(classNames)
                        && allNumbers(testClasses);
                throw new IllegalArgumentException(testCsv + ": label '" + testClasses[c] + "' is not one of the "
                        + "classes of " + csv.getFileName() + " (" + NameLists.abbreviate(classNames)
                        + "), which the model learns: it could never predict it" + (measured ? "; the labels are all "
                        + "numbers, " + classNames.length + " of them: if column " + columnName(table)
                        + " is a continuous target, " + REGRESSION_HINT : ""));
            }
            toTraining[c] = k;
        }
        int[] labels = table.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = toTraining[labels[i]];
        }
        if (impute == null) {
            return new TestRows(Dataset.ofLabels(values, table.columns(), labels, classNames.length), weights,
                    table.ignoredColumns());
        }
        // Missing values stay NaN until the training rows' imputer fills them in.
        float[] oneHot = new float[labels.length * classNames.length];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * classNames.length + labels[i]] = 1f;
        }
        return new TestRows(Dataset.allowingNonFinite(values, table.columns(), oneHot, classNames.length, labels),
                weights, table.ignoredColumns());
    }

    /**
     * The table's values with its columns in the order {@code names} gives, matched by name (a test file whose
     * exporter wrote them in another order); null unless the table has exactly those columns, each once.
     */
    private static float[] inColumnOrder(CsvReader.Table table, String[] names) {
        String[] own = table.columnNames();
        Map<String, Integer> column = new HashMap<>();
        for (int j = 0; j < own.length; j++) {
            column.put(own[j], j);
        }
        if (own.length != names.length || column.size() != own.length) {
            return null;
        }
        int[] from = new int[names.length];
        for (int j = 0; j < names.length; j++) {
            Integer c = column.get(names[j]);
            if (c == null) {
                return null;
            }
            from[j] = c;
        }
        float[] values = table.values();
        float[] ordered = new float[values.length];
        for (int i = 0, width = names.length; i < table.rows(); i++) {
            for (int j = 0; j < width; j++) {
                ordered[i * width + j] = values[i * width + from[j]];
            }
        }
        return ordered;
    }

    /**
     * Where a numeric label column sends a user who wanted a regression: as classes, each distinct value is a name
     * unrelated to the others, where a regression learns the number.
     */
    static final String REGRESSION_HINT = "--task regression trains on it as a number";

    /**
     * Refuses a label column of numbers that are not all integers, as a usage error on {@code --label}: such a column
     * measures something (a price, a temperature), and as classes each distinct value would be one class of a row
     * or two, which the split then refuses in terms of {@code --test-split}, or which trains a useless classifier.
     */
    private void requireNotContinuous(CommandSpec spec, CsvReader.Table table, String[] names) {
        if (!allNumbers(names)) {
            return;
        }
        for (String name : names) {
            double v = Double.parseDouble(name);   // a finite number: allNumbers said so
            if (v != Math.rint(v)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': column "
                        + columnName(table) + " of " + table.source() + " holds numbers that are not integers (such "
                        + "as " + name + ", " + names.length + " distinct values in " + table.rows() + " rows); it "
                        + "looks like a continuous target, and " + REGRESSION_HINT);
            }
        }
    }

    /** A regression's target columns in the --csv file, once it is read; null for a classifier or before. */
    private TargetColumns regressionTarget;
    /**
     * The columns {@code --label} names ({@link TargetLabels#split}): one, or a regression's several targets; null
     * before the options are checked.
     */
    private List<String> targetLabels;
    /** A resumed regression's checkpoint, for the refusal of other targets; null for a fresh run. */
    private Path resumedFrom;
    /** The resumed checkpoint's targets ({@link DataRecord#targets}); empty for a fresh run. */
    private List<String> recordedTargets = List.of();

    /**
     * A regression's targets as files name them (the metadata's {@link DataRecord#TARGETS_KEY}, {@code --metrics}):
     * their header names, or without a header the positions {@code --label} gave ({@code 6}, {@code 7}), which
     * predict then matches to the model's outputs as it matches names; in output order. Known once the data is read.
     */
    List<String> targetNames() {
        return regressionTarget.headerNames() != null ? regressionTarget.headerNames()
                : targetLabels.stream().map(String::strip).toList();
    }

    /** {@return whether the run is a regression ({@code --task regression})} */
    boolean regression() {
        return task == Task.REGRESSION;
    }

    /** {@return a regression's loss: {@code --loss}, or the mean squared error} */
    RegressionLoss regressionLoss() {
        return loss != null ? loss : RegressionLoss.MSE;
    }

    /**
     * A regression's {@code --label} given by position, as the name the file's header gives that column: the position
     * counts the file's columns, as a classifier's label column does, where the table the reader makes has left out
     * {@code --ignore}'s columns, turned {@code --categorical}'s into several and had {@code --weight-column} taken
     * out. Null when there is no header, or the label is a name (a header of numbers names its columns first).
     *
     * @throws ParameterException for a position outside the file's columns, one of a column named by another option,
     *         or a position in a pipe with such options (a pipe's first line cannot be looked at before it is read)
     * @param label one target column as {@code --label} gives it (the whole value for one target)
     */
    private String targetByPosition(CommandSpec spec, String label) {
        Integer index = columnIndex(label);
        if (!header || index == null) {
            return null;
        }
        if (!Files.isRegularFile(csv)) {
            if (ignore != null || categorical != null || weightColumn != null) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + index
                        + " counts the columns of " + csv + ", which, not being a regular file, cannot be looked at "
                        + "before it is read; give the target column's header name instead");
            }
            return null;
        }
        List<String> names = fileHeader();
        if (names.contains(label.strip())) {
            return null;
        }
        int at = index < 0 ? names.size() + index : index;
        if (at < 0 || at >= names.size()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + csv.getFileName()
                    + " has no column " + index + ": it has " + CsvReader.columnRange(names.size())
                    + "; its header has " + String.join(", ", names));
        }
        String name = names.get(at);
        if (names.indexOf(name) != names.lastIndexOf(name)) {
            if (ignore == null && categorical == null && weightColumn == null) {
                return null;   // the table's columns are the file's: the position finds it where a name cannot
            }
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': column " + index
                    + " of " + csv.getFileName() + " is '" + name + "', a name the header gives more than one column, "
                    + "and --ignore, --categorical and --weight-column move the columns by name: rename one of them");
        }
        String other = ignored().contains(name) ? "--ignore"
                : categorical != null && categorical.stream().map(String::strip).anyMatch(name::equals)
                ? "--categorical" : weightColumn != null && weightColumn.strip().equals(name) ? "--weight-column"
                : null;
        if (other != null) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': column " + index
                    + " of " + csv.getFileName() + " is '" + name + "', which " + other + " names too");
        }
        return name;
    }

    /**
     * The --csv file's header names as the file has them, before columns are left out or encoded; null for a pipe,
     * whose first line would be lost to a look before the read.
     */
    private List<String> fileHeader() {
        return firstRecord(csv);
    }

    /**
     * A file's first line as this run's reader splits it (its delimiter, quoted fields unquoted, blanks stripped):
     * the header's names, or a headerless file's first row; null for a pipe, whose first line would be lost to a look
     * before the read.
     */
    private List<String> firstRecord(Path file) {
        return CsvReading.firstRecord(file, delimiter);
    }

    /** {@code "1 row is too few"}, {@code "3 rows are too few"}. */
    private static String tooFew(int n, String what) {
        return count(n, what) + (n == 1 ? " is" : " are") + " too few";
    }

    /**
     * A shuffled split of a regression's rows (scikit-learn's {@code train_test_split} without {@code stratify}: a
     * target of numbers has no classes to keep in proportion), as a usage error on {@code option} when it would leave
     * either part without a row.
     *
     * @param fraction the share held out
     * @param rows     the rows split
     * @param noRoom   what to say when no share leaves a row on each side
     */
    private IndexSplit shuffledSplit(CommandSpec spec, String option, double fraction, int rows, String noRoom) {
        int held = TrainTestSplit.heldOutRows(rows, fraction);
        if (held == 0 || held == rows) {
            java.util.OptionalDouble largest = TrainTestSplit.largestTestFraction(rows, 1);
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + fraction
                    + " of " + count(rows, "row") + " holds out " + held + (held == 0 ? ", which leaves nothing to "
                    + "hold out: give a larger share" : ", which leaves no row to train on: " + (rows < 2 ? noRoom
                    : "give a share of at most " + largest.orElse(0))));
        }
        return TrainTestSplit.shuffled(rows, fraction, splitSeed);
    }

    /** The label column of the file read last, as messages name it ({@link #columnName}); null before one is read. */
    private String labelColumn;
    /** The label column's header name, once the file is read; null without a header. */
    private String labelHeaderName;

    /** The label column as messages name it: its header name, quoted, else the {@code --label} index. */
    private String columnName(CsvReader.Table table) {
        String name = table != null && table.labelName() != null ? table.labelName().strip()
                : columnIndex(label) == null ? label.strip() : null;
        return name != null ? "'" + name + "'" : label.strip();
    }

    /** Whether every class name is a finite number: a label column of numbers, which may be a measurement. */
    private static boolean allNumbers(String[] names) {
        for (String name : names) {
            if (CsvReader.numericValue(name) == null) {
                return false;
            }
        }
        return names.length > 0;
    }

    /** A CSV file: stratified test split, optional validation split, scaler fitted on the training rows. */
    private TrainingData csv(CommandSpec spec) {
        double fraction = testFraction();
        CsvSplit split = readAndSplitCsv(spec, fraction);
        String[] names = split.classNames();
        IndexSplit.Datasets parts = split.parts();
        Dataset train = parts.train();
        Dataset validation = null;
        float[] trainWeights = split.trainWeights();
        if (validationSplit != null) {
            IndexSplit carving = carve(spec, train, parts.test().size(), "hold out fewer test rows (a "
                    + "--test-split below " + fraction + ") or drop --validation-split");
            IndexSplit.Datasets carved = carving.apply(train);
            train = carved.train();
            validation = carved.test();
            trainWeights = trainWeights == null ? null : RowWeights.of(trainWeights, carving.train());
        }
        if (trainWeights != null) {
            RowWeights.requireSomeWeight(weightColumn, trainWeights);
        }
        Dataset test = parts.test();
        Scaler s = scalerOrDefault();
        // What --save writes beside the model: this run's fitted scaler, the file's class names and column names.
        Preprocessing preprocessing = names == null ? Preprocessing.none()
                : Preprocessing.none().withClassNames(List.of(names));
        if (split.featureNames() != null && distinct(split.featureNames())) {
            // With a header, predict matches a file's columns by these names, not by position. A header that repeats
            // a name (or leaves two empty) cannot be matched by name: such a model is read by position, as before.
            preprocessing = preprocessing.withFeatureNames(List.of(split.featureNames()));
        } else if (split.featureNames() != null) {
            // Said, as it matters later: a file whose columns come in another order is then read wrongly, unwarned.
            PrintWriter err = spec.commandLine().getErr();
            err.println("digits: warning: the header names " + repeated(split.featureNames()) + " more than once, so "
                    + "the model records no column names: predict will read a file's columns by position, not match "
                    + "them by name; give each column its own name to have them matched");
            err.flush();
        }
        // --cv's folds (splitSeedShufflesFolds is set exactly with --cv) refit the imputer and the scaler on each
        // fold's training rows: they start from these rows.
        Dataset asRead = splitSeedShufflesFolds && (impute != null || s != Scaler.NONE)
                ? train.withFeatures(train.features().clone(), train.featureCount()) : null;
        List<String> imputed = new ArrayList<>();
        if (impute != null) {
            preprocessing = preprocessing.withImputer(imputeInPlace(train, validation, test, split.featureNames(),
                    imputed));
        }
        FeatureColumnChecks.warn(train.features(), train.featureCount(), split.featureNames(), s,
                spec.commandLine().getErr());
        if (s != Scaler.NONE) {
            // Fitted on the training rows alone, so nothing of the held-out rows leaks into training. The split's
            // rows are copies made for this run alone: they are scaled in place, or a large file's rows would be
            // held twice.
            int columns = train.featureCount();
            ObjIntConsumer<float[]> transformInPlace;
            if (s == Scaler.MINMAX) {
                MinMaxScaler fitted = new MinMaxScaler().fit(train.features(), columns);
                transformInPlace = fitted::transformInPlace;
                preprocessing = preprocessing.withScaler(fitted);
            } else {
                StandardScaler fitted = new StandardScaler().fit(train.features(), columns);
                transformInPlace = fitted::transformInPlace;
                preprocessing = preprocessing.withScaler(fitted);
            }
            train = scaledInPlace(transformInPlace, train);
            test = scaledInPlace(transformInPlace, test);
            validation = scaledInPlace(transformInPlace, validation);
        }
        RegressionTargets targets = null;
        if (regression()) {
            // After the features, on the same training rows; the model file keeps it, so predict answers in the
            // target's units.
            targets = RegressionTargets.fit(regressionTarget.names(), train, validation, test);
            PrintWriter err = spec.commandLine().getErr();
            targets.warnings().forEach(w -> err.println("digits: warning: " + w));
            err.flush();
            train = targets.standardized(train);
            validation = targets.standardized(validation);
            test = targets.standardized(test);
            preprocessing = preprocessing.withTargetScaler(targets.scaler());
        }
        List<String> description = new ArrayList<>();
        description.add(split.fileDescription());
        description.add(String.format(Locale.ROOT, "  %s: %d train, %s%d test; %s",
                testCsv != null ? "--csv trains, --test-csv tests"
                        : (regression() ? "shuffled" : "stratified") + " split (seed " + splitSeed + ")",
                train.size(),
                validation == null ? "" : validation.size() + " validation (" + validationText() + "), ", test.size(),
                s == Scaler.NONE ? "features not scaled" : s + " scaler fitted on the " + train.size()
                        + " training rows" + (validation == null ? ""
                        : " (not the validation rows, which it scales as the test rows)")));
        description.addAll(imputed);
        if (targets != null) {
            description.addAll(targets.description());
        }
        if (trainWeights != null) {
            description.add(RowWeights.describe(weightColumn, trainWeights));
        }
        if (ignore != null) {
            // Kept with the model, so that predict and SavedModel.csvReader() leave them out of a file to predict.
            preprocessing = preprocessing.withIgnoredColumns(ignored());
        }
        if (categoriesRead != null && !categoriesRead.isEmpty()) {
            // Kept with the model too, so that SavedModel.csvReader() encodes rows to predict as these were; only
            // beside the feature names they are matched by (a header naming a column twice gives none).
            if (preprocessing.featureNames() != null) {
                preprocessing = preprocessing.withCategories(categoriesRead);
            }
            description.add(categoricalDescription(categoriesRead));
            // The rows the categories were read from: --csv's, which hold the test rows unless they came from a file.
            warnOfNumericCategories(categoriesRead, train.size() + (validation == null ? 0 : validation.size())
                    + (testCsv == null ? test.size() : 0), spec.commandLine().getErr());
            if (testCsv == null) {
                warnOfCategoriesOutsideTraining(categoriesRead, split.featureNames(), train,
                        spec.commandLine().getErr());
            }
        }
        if (asRead != null || (regression() && splitSeedShufflesFolds)) {
            List<String> refitted = new ArrayList<>();
            if (impute != null) {
                refitted.add("the imputer");
            }
            if (s != Scaler.NONE) {
                refitted.add("the scaler");
            }
            if (regression()) {
                refitted.add("the target's standardization");
            }
            String last = refitted.remove(refitted.size() - 1);
            description.add("  --cv: " + (refitted.isEmpty() ? "" : String.join(", ", refitted) + " and ") + last
                    + " refitted on each fold's training rows");
        }
        return new TrainingData(train, validation, test, names == null ? new String[0] : names, 0,
                List.copyOf(description), preprocessing, trainWeights, split.testWeights(), asRead == null ? null
                : fold -> fittedFold(asRead, fold, impute, s, split.featureNames()),
                names == null ? 1 : positiveClass(spec, names), targets);
    }

    /**
     * A --cv fold of the training rows as read, with the imputer (--impute) and the scaler fitted on the fold's
     * training rows alone, then applied to both parts: as scikit-learn's cross_val_score of a pipeline does.
     */
    static IndexSplit.Datasets fittedFold(Dataset asRead, IndexSplit fold, SimpleImputer.Strategy impute, Scaler s,
                                          String[] names) {
        IndexSplit.Datasets parts = fold.apply(asRead);   // copies, this fold's own
        Dataset train = parts.train();
        Dataset held = parts.test();
        int columns = train.featureCount();
        int empty = impute == null ? -1
                : firstColumnWithoutValue(SimpleImputer.missingPerColumn(train.features(), columns), train.size());
        if (empty >= 0) {
            String column = names != null ? "'" + names[empty].strip() + "'" : Integer.toString(empty);
            throw new IllegalArgumentException("--cv: column " + column + " has no value in the " + train.size()
                    + " training rows of a fold (its values are all in the rows that fold holds out), so --impute has "
                    + "nothing to fill it in from; leave it out with --ignore"
                    + (names != null ? " " + ModelOptions.shellWord(names[empty].strip())
                    : ", or give it more values"));
        }
        if (impute != null) {
            SimpleImputer imputer = new SimpleImputer(impute).fit(train.features(), columns);
            imputer.transformInPlace(train.features(), columns);
            imputer.transformInPlace(held.features(), columns);
        }
        if (s != Scaler.NONE) {
            ColumnScaler scaler = (s == Scaler.MINMAX ? new MinMaxScaler() : new StandardScaler())
                    .fit(train.features(), columns);
            scaler.transformInPlace(train.features(), columns);
            scaler.transformInPlace(held.features(), columns);
        }
        return new IndexSplit.Datasets(train.withFeatures(train.features(), columns),
                held.withFeatures(held.features(), columns));
    }

    /**
     * {@code rows} with their features scaled in their own array; null for null (no validation set). The result
     * is a new data set over that array, so that its checks see the scaled values (a standard scaler can take a
     * value beyond float range).
     */
    private static Dataset scaledInPlace(ObjIntConsumer<float[]> transformInPlace, Dataset rows) {
        if (rows == null) {
            return null;
        }
        transformInPlace.accept(rows.features(), rows.featureCount());
        return rows.withFeatures(rows.features(), rows.featureCount());
    }

    /**
     * The validation rows, a stratified share of the training rows.
     *
     * @param testRows the number of test rows already held out, for the error message
     * @param remedy   what to do when no validation split leaves a training row of every class
     */
    private IndexSplit carve(CommandSpec spec, Dataset train, int testRows, String remedy) {
        if (regression()) {
            return shuffledSplit(spec, "--validation-split", validationSplit, train.size(),
                    tooFew(train.size(), "training row") + " to hold out a validation row as well; " + remedy);
        }
        requireTrainingRowPerClass(spec, "--validation-split",
                validationChosenBy != null ? " (what " + validationChosenBy + " holds out when it is not given)" : "",
                "validation", validationSplit, train,
                "training rows", " (" + count(testRows, "test row") + " aside)", tooFew(train.size(), "training row")
                        + " to hold out a validation row as well; " + remedy);
        return TrainTestSplit.stratified(train.labels(), validationSplit, splitSeed);
    }

    /**
     * Refuses a held-out share that would leave fewer training rows than there are classes, naming the option, the
     * row counts it gives and the largest share that would do. Every class needs a training row, or the model
     * never learns it; as the stratified split keeps one of each whenever there are that many training rows, this
     * is the whole check. Made here, before the split, so that the error is a usage error naming the option
     * rather than the split's own refusal.
     *
     * @param option   the option that set {@code fraction}
     * @param note     text after the fraction, e.g. that it is the default
     * @param heldOut  what the held-out rows are called: "test" or "validation"
     * @param fraction the share held out
     * @param rows     the rows split
     * @param rowsName what {@code rows} are called in the message: "rows" or "training rows"
     * @param aside    text after the counts, e.g. the test rows held out before
     * @param noRoom   the advice when no share of {@code rows} leaves a training row of every class
     */
    private static void requireTrainingRowPerClass(CommandSpec spec, String option, String note, String heldOut,
                                                   double fraction, Dataset rows, String rowsName, String aside,
                                                   String noRoom) {
        int classes = classesPresent(rows);
        // The split's own rule, without TrainTestSplit.testCount's refusal of a split that leaves no training
        // row: that split is reported here too, with the option.
        int held = TrainTestSplit.heldOutRows(rows.size(), fraction);
        int left = rows.size() - held;
        if (left >= classes) {
            return;
        }
        OptionalDouble largest = TrainTestSplit.largestTestFraction(rows.size(), classes);
        throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                "Invalid value for option '%s': %s%s of the %d %s leaves %s and %s%s, and each of the %d classes needs "
                        + "at least one training row; %s", option, fraction, note, rows.size(), rowsName,
                count(held, heldOut + " row"), count(left, "training row"), aside, classes,
                largest.isPresent() ? "use " + option + " " + largest.getAsDouble() + " or less" : noRoom));
    }

    /**
     * Warns, on stderr, of classes that keep a single training row: legal, but what a model learns of them is
     * one example's worth, and the choice of that row decides it.
     */
    private void warnOfSingleTrainingRows(CommandSpec spec, TrainingData data) {
        int[] perClass = rowsPerClass(data.classes(), data.train());
        // Rows of each class in all the data: a class with one row in the whole file cannot get more by any split.
        int[] inAll = rowsPerClass(data.classes(), data.train(), data.validation(), data.test());
        List<String> single = new ArrayList<>();
        boolean anyHeldOut = false;
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] == 1) {
                single.add(data.classNames()[c]);
                anyHeldOut |= inAll[c] > 1;
            }
        }
        if (single.isEmpty()) {
            warnOfManyNumberClasses(spec, data);
            return;
        }
        String options = csv != null && validationSplit != null ? "--test-split or --validation-split"
                : csv != null ? "--test-split" : "--validation-split";
        String which = single.size() == perClass.length ? "all " + perClass.length + " classes have"
                : single.size() + " of the " + perClass.length + " classes " + (single.size() == 1 ? "has" : "have");
        // Many classes of one row each, all of them numbers: more likely a measurement than class labels.
        boolean measured = csv != null && single.size() >= MANY_SINGLE_ROW_CLASSES && allNumbers(data.classNames());
        // Named only where the labels may be a measurement: a CSV file's --label column (the digits have none).
        String column = !measured ? null : labelColumn != null ? labelColumn : columnName(null);
        if (measured && 2 * single.size() > perClass.length) {
            // Most classes one row each: a classifier of them learns nothing it could use (the diabetes data's 194
            // target values trained to a test accuracy of 0.04), so it is refused rather than trained.
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': column " + column
                    + " of " + csv.getFileName() + " holds " + perClass.length + " distinct numbers, and "
                    + single.size() + " of them are a class of a single training row: it looks like a continuous "
                    + "target, and " + REGRESSION_HINT + "; if the numbers are class codes, give each class more "
                    + "rows, or write the codes as text (c85 for 85) to train on them as they are");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("digits: warning: " + which + " a single training row ("
                + NameLists.abbreviate(single.toArray(new String[0]))
                + (anyHeldOut ? "); a smaller " + options + " leaves more"
                        : "), the only row of " + (single.size() == 1 ? "its class" : "each") + " in the data")
                + (measured ? "; the labels are all numbers: if column " + column + " is a continuous "
                        + "target, " + REGRESSION_HINT : ""));
        err.flush();
    }

    /**
     * Classes with a single training row from which the warning of them adds, when the labels are all numbers, that
     * the column may be a continuous target: a few rare classes are a class column's, dozens a measurement's.
     */
    static final int MANY_SINGLE_ROW_CLASSES = 10;

    /** Classes of whole numbers from which a run warns that the column may be a quantity, every class many rows. */
    static final int MANY_NUMBER_CLASSES = 20;

    /**
     * Warns when a CSV label column holds many classes, every one a number: a count, an age or a score rounded to
     * whole numbers (scikit-learn's Friedman #1 target rounded: 28 classes, trained to a test accuracy of 0.069
     * against the majority class's 0.081) is a quantity, which a classifier treats as unordered names.
     */
    private void warnOfManyNumberClasses(CommandSpec spec, TrainingData data) {
        if (csv == null || data.classes() < MANY_NUMBER_CLASSES || !allNumbers(data.classNames())) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("digits: warning: column " + (labelColumn != null ? labelColumn : columnName(null)) + " holds "
                + data.classes() + " classes, every one a number (" + NameLists.abbreviate(data.classNames())
                + "), which "
                + "digits trains as unordered names: if it is a quantity (a count, an age, a score), "
                + REGRESSION_HINT);
        err.flush();
    }

    /** The number of classes with at least one row in {@code rows}. */
    private static int classesPresent(Dataset rows) {
        int present = 0;
        for (int count : rowsPerClass(rows.targetCount(), rows)) {
            present += count > 0 ? 1 : 0;
        }
        return present;
    }

    /** The labelled rows of each of {@code classes} classes in all of {@code sets} (a null set counts none). */
    private static int[] rowsPerClass(int classes, Dataset... sets) {
        int[] counts = new int[classes];
        for (Dataset set : sets) {
            if (set != null) {
                for (int label : set.labels()) {
                    counts[label]++;
                }
            }
        }
        return counts;
    }

    /** {@code "1 test row"}, {@code "2 test rows"}. */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private String validationText() {
        return String.format(Locale.ROOT, "%s %s of the training rows, seed %d%s",
                regression() ? "a shuffled" : "stratified", percent(validationSplit), splitSeed,
                validationChosenBy != null
                        ? ", held out for " + validationChosenBy + "; --validation-split F to choose" : "");
    }

    private static String percent(double f) {
        double p = 100 * f;
        return (p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.3g", p)) + "%";
    }

    /**
     * A {@code --label} value as a 0-based column index, or null when it is a column name.
     *
     * @param label the option's value
     * @return the index (negative counts from the end), or null
     */
    static Integer columnIndex(String label) {
        try {
            return Integer.valueOf(label.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads one of the trainer's files ({@code --csv}, {@code --test-csv}) with its options. A regression's target is
     * a column of numbers like the features: read with them, and taken out after; a field of it the reader refuses is
     * named as the target's.
     */
    private CsvReader.Table readTrainerCsv(CommandSpec spec, Path file, CsvReader ignoring) {
        try {
            return CsvReading.readCsv(spec, file, header, regression() ? null : label, delimiter, categoricalToRead(),
                    ignoring, null);
        } catch (IllegalArgumentException e) {
            String reworded = null;
            List<String> first;
            try {
                first = regression() || weightColumn != null ? firstRecord(file) : null;
            } catch (RuntimeException unreadable) {
                first = null;   // the reader's own message stands
            }
            if (header) {
                reworded = RowWeights.missingWeight(e.getMessage(), first, weightColumn, true);
            }
            if (regression()) {
                for (String target : targetLabels.size() == 1 ? List.of(label) : targetLabels) {
                    if (reworded == null) {
                        reworded = RegressionTarget.rewordFieldProblem(e.getMessage(), first, target, header);
                    }
                }
            }
            if (reworded != null) {
                throw new IllegalArgumentException(reworded, e);
            }
            throw e;
        }
    }

    /**
     * The reader the trainer's files start from: {@code --ignore}'s columns left out, and with {@code --impute} gaps
     * read as NaN. Each name must be in the header, unless {@code mayLack}: with a --test-csv file a column may be in
     * either file, which {@link #requireIgnoredSomewhere} checks once both are read.
     */
    private CsvReader columnsReader(boolean mayLack) {
        String[] names = ignored().toArray(new String[0]);
        CsvReader reader = mayLack ? CsvReader.numeric().withIgnoredColumnsIfPresent(names)
                : CsvReader.numeric().withIgnoredColumns(names);
        return reader.withMissingValues(impute != null);
    }

    /** Whether no name is given twice (an export's header may repeat one, or leave several empty). */
    static boolean distinct(String[] names) {
        return java.util.Arrays.stream(names).distinct().count() == names.length;
    }

    /** The names that come more than once, each quoted once: {@code 'a', 'b'}; an empty name as {@code ''}. */
    static String repeated(String[] names) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new java.util.LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                twice.add("'" + name + "'");
            }
        }
        return String.join(", ", twice);
    }

    /**
     * A field separator: one character, {@code tab} (also {@code \t}), or {@code whitespace}, runs of spaces and
     * tabs, which comes out as {@link #WHITESPACE} (a space, which no CSV has as its delimiter).
     */
    static final class DelimiterConverter implements ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            if (value.equalsIgnoreCase("whitespace")) {
                return WHITESPACE;
            }
            String v = value.equals("\\t") || value.equalsIgnoreCase("tab") ? "\t" : value;
            if (v.length() != 1) {
                throw new TypeConversionException("'" + value + "' is not one character; give e.g. ';', '|', tab or "
                        + "whitespace");
            }
            try {
                CsvReader.numeric().withDelimiter(v.charAt(0));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' cannot separate fields (quotes, spaces and line "
                        + "breaks are part of them; for fields separated by spaces give whitespace)");
            }
            return v.charAt(0);
        }
    }

    /**
     * The options that read a CSV run's data, as the command line gave them, each word ready for a shell: what a
     * resumed run needs again ({@code --csv}, {@code --label}, {@code --header}, {@code --delimiter} and
     * {@code --test-csv}; its categories, weight column and splits come from the checkpoint).
     *
     * @param spec the parsed command
     * @return the words, none for the digits
     */
    static List<String> readingOptions(CommandSpec spec) {
        List<String> words = new ArrayList<>();
        if (spec.commandLine().getParseResult() == null) {
            return words;
        }
        for (String name : new String[] {"--csv", "--label", "--header", "--delimiter", "--test-csv"}) {
            picocli.CommandLine.Model.OptionSpec option = spec.commandLine().getParseResult().matchedOption(name);
            if (option != null) {
                words.add(name);
                if (option.arity().max() > 0) {   // a flag's value ("true") was not typed
                    option.originalStringValues().forEach(value -> words.add(ModelOptions.shellWord(value)));
                }
            }
        }
        return words;
    }

    /** {@code --delimiter whitespace}: fields separated by runs of spaces and tabs. */
    static final char WHITESPACE = ' ';

    /**
     * A header name in a comma-separated list of them ({@code --categorical}, {@code --ignore}): stripped as the
     * reader strips the header's names, and a name in double quotes (which the list does not split at its commas)
     * without them, a doubled quote inside read as one, as a CSV field is.
     */
    static final class ColumnName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\"\"", "\"").strip();
            }
            return name;
        }
    }

    /**
     * A file that exists and can be read: a plain file, or a pipe such as {@code /dev/stdin} or a shell's
     * {@code <(zcat data.csv.gz)}, which the trainer reads once, as it reads every file.
     */
    static final class ReadableFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.equals("-") && !Files.exists(Path.of(value))) {
                // As --output - writes standard output; reading it is a file name away.
                throw new TypeConversionException("'-' is not a file; read standard input as /dev/stdin (e.g. "
                        + "--csv /dev/stdin, or --csv <(xzcat data.csv.xz))");
            }
            Path p = Path.of(value);
            if (Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "' is a directory, not a file");
            }
            if (!Files.exists(p) || !Files.isReadable(p)) {
                throw new TypeConversionException("'" + value + "' is not a readable file");
            }
            return p;
        }
    }

    /** A number strictly between 0 and 1. */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double f = Converters.parseDecimal(value);
                if (f > 0 && f < 1) {
                    return f;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a fraction between 0 and 1 (e.g. 0.1)");
        }
    }

    /** Parses {@code --scaler}, naming the allowed values in its error. */
    static final class ImputeConverter extends Converters.EnumConverter<SimpleImputer.Strategy> {
        ImputeConverter() {
            super(SimpleImputer.Strategy.class);
        }
    }

    /** The {@code --impute} values for help and completion. */
    static final class ImputeNames extends Converters.EnumNames<SimpleImputer.Strategy> {
        ImputeNames() {
            super(SimpleImputer.Strategy.class);
        }
    }

    static final class ScalerConverter extends Converters.EnumConverter<Scaler> {
        ScalerConverter() {
            super(Scaler.class);
        }
    }

    /** The {@code --scaler} values for help and completion. */
    static final class ScalerNames extends Converters.EnumNames<Scaler> {
        ScalerNames() {
            super(Scaler.class);
        }
    }

    static final class TaskConverter extends Converters.EnumConverter<Task> {
        TaskConverter() {
            super(Task.class);
        }
    }

    /** The {@code --task} values for help and completion. */
    static final class TaskNames extends Converters.EnumNames<Task> {
        TaskNames() {
            super(Task.class);
        }
    }

    static final class LossConverter extends Converters.EnumConverter<RegressionLoss> {
        LossConverter() {
            super(RegressionLoss.class);
        }
    }

    /** The {@code --loss} values for help and completion. */
    static final class LossNames extends Converters.EnumNames<RegressionLoss> {
        LossNames() {
            super(RegressionLoss.class);
        }
    }
}
