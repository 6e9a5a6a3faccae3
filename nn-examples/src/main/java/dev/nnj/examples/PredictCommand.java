package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.data.ClassLookup;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.internal.Printable;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.metrics.RegressionReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code digits predict}: classifies digits with a saved model, applying the preprocessing saved with it.
 * Three sources: the article's 360 test images (the default; prints accuracy), one of the 1797 images by
 * index (drawn as text), or rows of raw pixel values from a CSV file. Prints each row's class and its
 * probabilities; {@code --output} writes all probabilities as CSV, {@code --output -} to standard output (every
 * other line then goes to standard error, so that the CSV can be piped on as it is). A regression (a model saved with
 * a target scaler, or one output with no sigmoid) predicts the rows of a CSV file: each row's value, and against a
 * numeric {@code --label} the regression's figures ({@link ValuePredictions}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = DigitsTrainer.Version.class,
        description = {"Classifies rows (or predicts a regression's values) with a model saved by --save or "
                + "--checkpoint-dir (or any nnj model file, or an ONNX model from nnj, PyTorch or Keras), applying the "
                + "preprocessing saved with it: the digits' 360 test images (the default), one image (--index), or the "
                + "rows of a CSV file (--csv), read and predicted a part at a time, so that a file larger than the "
                + "memory can be scored (with --label or --show-all, each row's outputs are kept for the scores).",
            "A regression (a model saved with a target scaler, or one output with no sigmoid, whose values are then "
                + "its raw output) predicts the rows of a CSV file: each row's value in the target's units, and with "
                + "--label MSE, RMSE, MAE, R2 and explained variance beside the mean baseline's.", ""},
        footer = {"", "Examples:",
            "  ./digits predict --model digits.safetensors",
            "  ./digits predict --model digits.safetensors --index 7",
            "  ./digits predict --model digits.safetensors --csv rows.csv --output p.csv",
            "  ./digits predict --model digits.safetensors --output - | cut -d, -f1",
            "  ./digits predict --model mlp.onnx",
            "  ./digits predict --model iris.safetensors \\",
            "      --csv iris.csv --header --label species",
            "  ./digits predict --model prices.safetensors \\",
            "      --csv houses.csv --header --label price --output predicted.csv"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "The model file: safetensors, or an ONNX model (FILE ending in .onnx).")
    Path model;

    /** Where the rows come from; at most one. */
    static final class Source {
        @Option(names = "--test-set", description = "The article's 360 test images (default).")
        boolean testSet;

        @Option(names = "--index", paramLabel = "N", converter = Converters.NonNegativeInt.class,
                description = "One of the 1797 images, 0-based, drawn as text with its label.")
        Integer index;

        @Option(names = "--csv", paramLabel = "FILE", converter = DataOptions.ReadableFile.class,
                description = "Rows of raw features (64 pixel counts 0..16 for digits), comma-separated or as "
                        + "--delimiter says (plain or gzipped); with --header and --label, the file a model was "
                        + "trained on reads as it is.")
        Path csv;
    }

    @Option(names = "--header", description = "With --csv: the file's first line holds column names.")
    boolean header;

    @Option(names = "--delimiter", paramLabel = "CHAR", converter = DataOptions.DelimiterConverter.class,
            description = "With --csv: the field separator, one character such as ';' or '|', tab, or whitespace "
                    + "(default: ,).")
    Character delimiter;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "With --csv: the class column (its header name with --header, or a 0-based index, -1 for "
                    + "the last), left out of the features; each prediction is checked against it, and the accuracy, "
                    + "the classification report, balanced accuracy, log loss, ROC AUC and average precision "
                    + "printed. For a regression, the target column, of numbers: each row's error, then MSE, RMSE, "
                    + "MAE, R2 and explained variance; for a model of several targets, all of them, "
                    + "comma-separated: header names in any order (y1,y2 or y2,y1; matched to the model's targets by "
                    + "name), or positions in its output order; scored each and averaged. A model "
                    + "trained with --weight-column leaves that column out of the features where the file has it, and "
                    + "with --label weighs the rows by it in one more line (and --metrics' sample_weighted); each "
                    + "weight finite and not negative.")
    String label;

    /** A regression's several {@code --label} targets ({@link TargetLabels#split}); null for none or one. */
    private List<String> severalTargets;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--ignore", paramLabel = "COLUMN", split = ",", converter = DataOptions.ColumnName.class,
            description = "With --csv and --header: columns of the file that are not the model's features, left out "
                    + "unread (an identifier, a note). Those the model's training run left out (its --ignore) are "
                    + "left out already.")
    List<String> ignore;

    @Option(names = "--show", paramLabel = "N", converter = Converters.NonNegativeInt.class,
            description = "Rows to print for the test set or a CSV (default: 10; all with --show-all).")
    int show = 10;

    @Option(names = "--show-all", description = "Print every row.")
    boolean showAll;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write every row's probabilities to FILE as CSV (predicted class, then one column per "
                    + "class, p_<class>, in the model's class order: names by text, numbers by value, so p_2,p_9,p_10; "
                    + "then the row's label where it has one; for a regression, the predicted value, then the "
                    + "label); - writes the CSV to standard output and every other line to standard error (./- for a "
                    + "file named -). FILE is replaced whole once every row is predicted, or left as it was; standard "
                    + "output gets the CSV from a temporary file in java.io.tmpdir, as large as the CSV.")
    Path output;

    /** {@code --output -}: the CSV alone on standard output. */
    private static final String STDOUT = "-";

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "Also write the scores of labelled rows (the digits' test set, or --csv with --label) to "
                    + "FILE as JSON, at full precision, for scripts and CI: under \"scores\", beside the model and "
                    + "where the rows came from, the figures of the trainer's --metrics for its test rows (a "
                    + "classifier's accuracy, macro- and weighted F1, balanced accuracy, log loss, ROC AUC, average "
                    + "precision, top-k accuracy, each class's precision, recall, F1 and support, and the confusion "
                    + "matrix; a regression's RMSE, MAE, R2, MSE and explained variance, each target's too, beside "
                    + "the training mean's where the model records it). Written atomically.")
    Path metrics;

    @Option(names = "--pos-label", paramLabel = "CLASS",
            description = "With --csv and --label, for a two-class model: the class the ROC AUC and the average "
                    + "precision take as positive, as scikit-learn's pos_label (default: the training run's "
                    + "--pos-label, else the second class).")
    String positiveLabel;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to run on, e.g. cpu or cuda (default: the best available one).")
    String backend;

    /** What an interrupted predict says: where it stood and which of its files it had written. */
    private Interruption stop;
    /** The rows' own weights, from the column the model was trained to weight by; null where there is none. */
    private float[] rowWeights;
    /** That column's name; null with no weights. */
    private String rowWeightColumn;

    @Override
    public Integer call() {
        try (Interruption interruption = Interruption.start(spec.commandLine().getErr())) {
            stop = interruption;
            stop.stage(() -> "during the predictions");
            return predict();
        }
    }

    private Integer predict() {
        // With the CSV on standard output, what a person reads goes to standard error: a pipe gets the CSV alone.
        PrintWriter out = toStdout() ? spec.commandLine().getErr() : spec.commandLine().getOut();
        if (!Files.isRegularFile(model)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--model': " + model + " "
                    + Converters.notAFile(model));
        }
        boolean fromCsv = source != null && source.csv != null;
        if (!fromCsv && (header || label != null || delimiter != null || ignore != null)) {
            throw new ParameterException(spec.commandLine(), "Option '" + (header ? "--header" : label != null
                    ? "--label" : delimiter != null ? "--delimiter" : "--ignore") + "' is only used with --csv FILE");
        }
        if (positiveLabel != null && label == null) {
            throw new ParameterException(spec.commandLine(), "Option '--pos-label' chooses the positive class of the "
                    + "scores of a labelled file: add " + (fromCsv ? "" : "--csv FILE and ") + "--label COLUMN");
        }
        if (ignore != null && !header) {
            throw new ParameterException(spec.commandLine(), "Option '--ignore' names columns of the header line: "
                    + "add --header");
        }
        if (label != null) {
            // Each target of several on its own: positions ("6,7") need no header, names do.
            for (String target : TargetLabels.split(label, null)) {
                DataOptions.requireLabelReadable(spec, target, header);
            }
        }
        boolean showGiven = spec.commandLine().getParseResult().hasMatchedOption("--show");
        if (showGiven && showAll) {
            throw new ParameterException(spec.commandLine(), "--show N and --show-all both say how many rows to print;"
                    + " give one");
        }
        if (source != null && source.index != null && (showGiven || showAll)) {
            throw new ParameterException(spec.commandLine(), "Option '" + (showAll ? "--show-all" : "--show")
                    + "' applies to the test set or a CSV; --index prints its one image");
        }
        if (output != null && !toStdout()) {
            Converters.requireOutputFile(spec, "--output", output, "probabilities.csv",
                    " (--output - writes to standard output)");
            Converters.requireNotAnInput(spec, "--output", output, "--model", model);
            Converters.requireNotAnInput(spec, "--output", output, "--csv", fromCsv ? source.csv : null);
        }
        if (metrics != null) {
            if (source != null && source.index != null) {
                throw new ParameterException(spec.commandLine(), "Option '--metrics' scores labelled rows: --index "
                        + "predicts one image; leave it out for the test set's scores");
            }
            if (fromCsv && label == null) {
                throw new ParameterException(spec.commandLine(), "Option '--metrics' scores labelled rows: add "
                        + "--label COLUMN, the column of " + source.csv.getFileName() + " holding the true values");
            }
            Converters.requireOutputFile(spec, "--metrics", metrics, "scores.json", "");
            Converters.requireNotAnInput(spec, "--metrics", metrics, "--model", model);
            Converters.requireNotAnInput(spec, "--metrics", metrics, "--csv", fromCsv ? source.csv : null);
            if (output != null && !toStdout()) {
                Converters.requireNotWrittenTwice(spec, "--metrics", metrics, "--output", output);
            }
        }
        if (source != null && source.index != null && source.index >= Digits.ROWS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--index': " + source.index
                    + " is not an image; there are " + Digits.ROWS + " (0.." + (Digits.ROWS - 1) + ")");
        }
        try (Backend be = DigitsTrainer.selectBackend(spec, backend).provider().create();
             SavedModel saved = load(be)) {
            if (saved.whyNotAClassifier() != null) {
                if (positiveLabel != null) {
                    throw new ParameterException(spec.commandLine(), "Option '--pos-label' chooses a class, and "
                            + model + " gives values, not classes");
                }
                return predictValues(saved, be.name(), fromCsv, out);
            }
            if (positiveLabel != null) {
                positiveClass(saved);   // a --pos-label the model does not know is refused before any row is read
            }
            Preprocessing p = saved.preprocessing();
            int width = saved.model().inputWidth();
            int outputs = saved.model().outputWidth();
            out.printf(Locale.ROOT, "Model %s: %d inputs, %d classes%s, %d parameters, on %s%s%n", model, width,
                    DataChecks.classCount(outputs), outputs == 1 ? " (one output: class 1 above 0.5)" : "",
                    saved.model().parameterCount(), be.name(), scalingNote(p, fromCsv));
            if (endsInLogits(saved)) {
                List<Layer> layers = saved.model().layers();
                out.printf(Locale.ROOT, "  its outputs are logits (the last layer, %s, has no softmax): the "
                        + "probabilities shown are their softmax%n", layers.get(layers.size() - 1).name());
            }
            if (source != null && source.index != null) {
                return predictImage(saved, source.index, out);
            }
            if (fromCsv) {
                return predictCsv(saved, source.csv, out);
            }
            return predictTestSet(saved, out);
        }
    }

    /** Whether {@code --output -} asks for the CSV on standard output (a path spelt {@code ./-} is a file). */
    private boolean toStdout() {
        return output != null && output.toString().equals(STDOUT);
    }

    /**
     * What goes into the model, for the first line: the saved scaler, or without one the values as they are for a
     * CSV and the article's scaling for the bundled digits ({@link #inputs}).
     */
    private static String scalingNote(Preprocessing p, boolean fromCsv) {
        if (p.features() >= 0) {
            return p.imputer() != null ? "; applying its saved imputer and scaler" : "; applying its saved scaler";
        }
        if (p.imputer() != null) {
            return "; applying its saved imputer (no scaler saved with it)";
        }
        return fromCsv ? "; no scaler saved with it: the CSV's values go in as they are"
                : "; no scaler saved with it: the digits get the article's min-max scaling (fitted on all 1797)";
    }

    /**
     * Predicts with a model whose outputs are values, not classes, by the library's rule
     * ({@link SavedModel#whyNotAClassifier}): a regression saved with its target scaler, or one output with no sigmoid
     * (read as a value, the model's raw output, rather than printed as a class and a "probability"). Its rows come
     * from a CSV file; with {@code --label}, a column of numbers, it prints the regression's figures.
     */
    private int predictValues(SavedModel saved, String backendName, boolean fromCsv, PrintWriter out) {
        ValuePredictions values = new ValuePredictions(saved);
        if (!fromCsv) {
            throw new ParameterException(spec.commandLine(), model + " gives values, not classes: " + values.describe()
                    + "; predict reads their rows from a file, --csv FILE; the digits' test set and --index are for "
                    + "a digits classifier");
        }
        int outputs = saved.model().outputWidth();
        List<String> recorded = DataRecord.targets(saved.metadata());
        // The recorded names joined as this command's hints write them: read back as those names, so that a target
        // whose header name has a comma ("y,1") is not split in two by the advice this command gave.
        List<String> targets = label == null ? null : !recorded.isEmpty()
                && label.strip().equals(String.join(",", recorded)) ? recorded : TargetLabels.split(label, null);
        if (targets != null && targets.size() != outputs) {
            String order = recorded.size() == outputs ? "--label " + String.join(",", recorded)
                    : "--label with " + outputs + " columns, comma-separated, in the model's output order";
            throw new ParameterException(spec.commandLine(), "Option '--label' names " + (targets.size() == 1
                    ? "one column" : targets.size() + " columns") + ", and " + model + " predicts " + outputs
                    + (outputs == 1 ? " target" : " targets") + ": " + (outputs == 1 ? "name its one target column"
                    : "name them all, " + order) + " (or leave out --label to predict without scoring)");
        }
        if (targets != null && targets.size() > 1) {
            TargetLabels.check(spec, targets, true, List.of());
            severalTargets = inModelOrder(targets, recorded, out);
        }
        out.printf(Locale.ROOT, "Model %s: %d inputs, %s, %d parameters, on %s%s%n", model,
                saved.model().inputWidth(), values.describe(), saved.model().parameterCount(), backendName,
                scalingNote(saved.preprocessing(), true));
        if (values.rawOutput()) {
            out.println("  " + ValuePredictions.LOGIT_HINT);
        }
        // Read and predicted a part at a time. Kept are the true values and the predictions where the scores need
        // them all, else only the rows printed (rowsKept); --output's lines are written a part at a time (OutputLines).
        PartStages stages = new PartStages();
        boolean oneLabel = label != null && severalTargets == null;
        PartStages.Floats predictedParts = new PartStages.Floats();
        PartStages.Floats truthParts = label != null ? new PartStages.Floats() : null;
        PartStages.Spellings spellings = oneLabel && output != null ? new PartStages.Spellings() : null;
        long[] fileRows = new long[1];
        try (OutputLines lines = output == null ? null
                : new OutputLines(outputFile(), values.header(severalTargets != null ? severalTargets : targets))) {
            try {
                fileRows[0] = readParts(saved, source.csv, List.of(), stages, out, (table, features, partTruth,
                                                                                  firstRow) -> {
                    String[][] partSpellings = new String[1][];
                    if (oneLabel && stages.runs(PartStages.CLASSES)) {
                        int bad = ValuePredictions.firstNonNumeric(table);
                        if (bad >= 0) {
                            // The message counts the file's rows, known once it is read.
                            stages.fail(PartStages.CLASSES, () -> notATrueValue(saved, values,
                                    ValuePredictions.notANumber(table, bad, firstRow, fileRows[0])));
                        } else {
                            truthParts.add(ValuePredictions.values(table));
                            if (spellings != null) {
                                partSpellings[0] = spellings.of(table);
                            }
                        }
                    } else if (partTruth != null && stages.runs(PartStages.CLASSES)) {
                        truthParts.add(partTruth);
                    }
                    stages.run(PartStages.PREDICT, firstRow, () -> {
                        float[] predicted = saved.predict(features, table.rows());
                        predictedParts.add(predicted, rowsKept(firstRow, table.rows()) * outputs);
                        if (lines != null) {
                            StringBuilder partLines = new StringBuilder();
                            values.appendRows(partLines, predicted, partTruth, partSpellings[0]);
                            lines.append(partLines);
                        }
                    });
                });
            } catch (IllegalArgumentException e) {
                // The reader reads the label column as classes' names, which here are the true values: said so.
                String m = String.valueOf(e.getMessage());
                if (!m.contains(", not a class")) {
                    throw e;
                }
                throw new IllegalArgumentException(m.replace(", not a class", ", not a true value to score against"),
                        e);
            }
            long rows = fileRows[0];
            float[] truth = truthParts == null || !stages.runs(PartStages.PREDICT) ? null : truthParts.toArray();
            if (oneLabel && truth != null) {
                String coarse = ValuePredictions.coarse(truth);
                if (coarse != null) {
                    // As the trainer warns of its target: a wrong-looking figure said to be one, not left unexplained.
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("digits: warning: the --label column " + coarse + "; the figures below compare "
                            + "predictions with those rounded values, not the file's");
                    err.flush();
                }
            }
            stages.throwFailure();
            float[] predicted = predictedParts.toArray();
            int limit = shownRows(rows);
            values.printRows(predicted, truth, limit, out);
            printMoreRows(rows, limit, out);
            Runnable scores = truth == null ? () -> { } : scoreValues(values, predicted, truth, targets, out);
            if (lines != null) {
                writeLines(lines, "the predictions of " + rows + " rows", out);
            }
            scores.run();   // after --output: the scores' file says the run is done, for a job that waits on it
        }
        return 0;
    }

    /**
     * A labelled file's regression figures: printed, weighted where the model has a weight column; and --metrics,
     * written by the returned action, which the caller runs once --output is written.
     */
    private Runnable scoreValues(ValuePredictions values, float[] predicted, float[] truth, List<String> targets,
                                 PrintWriter out) {
        RegressionReport report = values.report(predicted, truth);
        RegressionReport baseline = values.baseline(truth);
        values.printReport(report, baseline, source.csv, out);
        RegressionReport weighted = rowWeights == null ? null
                : RegressionResults.weighted(predicted, truth, values.outputs(), rowWeights);
        if (rowWeights != null) {
            RegressionResults.printWeighted(weighted, rowWeightColumn, "", "", out);
        }
        if (metrics == null) {
            return () -> { };
        }
        return () -> {
            stop.stage(() -> "while writing " + metrics + " (an atomic write: it holds the scores whole or is as it "
                    + "was)");
            MetricsFile.writeScores(metrics, model, source.csv.toString(),
                    values.targetNames(severalTargets != null ? severalTargets : targets), report, baseline,
                    weighted, rowWeights, rowWeightColumn);
            stop.wrote(metrics);
            stop.stage(() -> "during the predictions");
            out.printf(Locale.ROOT, "Wrote the scores to %s%n", metrics);
        };
    }

    /**
     * The error of a label that is not a number, for a regression ({@link ValuePredictions#notANumber}): for a model
     * of one raw output, why predict reads it as a value at all.
     */
    private IllegalArgumentException notATrueValue(SavedModel saved, ValuePredictions values, String why) {
        // Text labels for a one-output model without a target scaler: a classifier, most likely, that lost its
        // sigmoid; it says why predict cannot read it as one.
        return new IllegalArgumentException(values.rawOutput()
                ? model + " " + saved.whyNotAClassifier() + "; predict reads that output as a value, but "
                + "--label " + why + "; " + ValuePredictions.LOGIT_HINT
                : "Invalid value for option '--label': " + why + "; " + model + " is " + values.describe()
                + ", scored against the true values");
    }

    private SavedModel load(Backend be) {
        try {
            // An ONNX file too (nn-onnx's ModelFileFormat): nnj's own export comes back with its preprocessing, a
            // graph from elsewhere without any.
            return ModelFiles.load(model, be);
        } catch (IOException e) {
            throw new UncheckedIOException(Converters.cannotRead(model, e), e);
        }
    }

    /** Rows of a CSV file, and their accuracy when it has a class column. */
    private int predictCsv(SavedModel saved, Path csv, PrintWriter out) {
        // Read and predicted a part at a time. Kept are the true classes and each row's probabilities where the scores
        // need them all, else only the rows printed (rowsKept); --output's lines are written a part at a time.
        PartStages stages = new PartStages();
        PartStages.Floats probabilityParts = new PartStages.Floats();
        PartStages.Ints expectedParts = label == null ? null : new PartStages.Ints();
        Preprocessing p = saved.preprocessing();
        int width = saved.model().outputWidth();
        long[] fileRows = new long[1];
        try (OutputLines lines = output == null ? null
                : new OutputLines(outputFile(), classHeader(p, DataChecks.classCount(width), label != null))) {
            fileRows[0] = readParts(saved, csv, saved.classNames(), stages, out, (table, features, truth, firstRow) -> {
                int[][] partExpected = new int[1][];
                if (expectedParts != null && stages.runs(PartStages.CLASSES)) {
                    try {
                        partExpected[0] = saved.classesOf(table);   // indexed from 0; printed from 1
                        expectedParts.add(partExpected[0]);
                    } catch (IllegalArgumentException e) {
                        // "data row 3 of 7" of the part: its row in the file, of the file's rows, known once read.
                        stages.fail(PartStages.CLASSES, () -> PartStages.inFile(e, firstRow, fileRows[0]));
                    }
                }
                stages.run(PartStages.PREDICT, firstRow, () -> {
                    Scores part = Scores.of(saved, saved.predict(features, table.rows()));
                    probabilityParts.add(part.outputs, rowsKept(firstRow, table.rows()) * width);
                    if (lines != null) {
                        StringBuilder partLines = new StringBuilder();
                        appendClassRows(partLines, part, partExpected[0], p);
                        lines.append(partLines);
                    }
                });
            });
            stages.throwFailure();
            long rows = fileRows[0];
            int[] expected = expectedParts == null ? null : expectedParts.toArray();
            Scores scores = Scores.ofProbabilities(probabilityParts.toArray(), width);
            int correct = printRows(saved, scores, expected, null, rows, out);
            boolean written = lines != null && lines.toFile();
            if (written) {
                // Before the scores, which take more memory than the rows' outputs: a heap that ran out computing
                // them (a million rows of ten classes in 192 MiB) cost every prediction the run had made.
                writeLines(lines, classesWritten(scores.classes, rows), out);
            }
            Runnable scoresFile = () -> { };
            if (expected != null) {
                out.printf(Locale.ROOT, "%s: %d of %d rows correct, accuracy %s%n", csv, correct, rows,
                        Fixed.four((double) correct / rows));
                // Computed once, for the printed report and --metrics.
                Predictions predictions = Predictions.of(scores.outputs, scores.width, expected);
                ClassificationReport report = ClassificationReport.of(expected, scores.predicted, saved.classNames());
                List<String> shownNames = saved.classNames().stream().map(Printable::of).toList();
                printReport(predictions, shownNames.equals(saved.classNames()) ? report
                        : ClassificationReport.of(expected, scores.predicted, shownNames), positiveClass(saved), out);
                TestSetReport.Weighted weighted = rowWeights == null ? null
                        : TestSetReport.Weighted.of(predictions, rowWeights);
                if (weighted != null) {
                    TestSetReport.printWeighted(weighted, rowWeightColumn, "", "row", "", out);
                }
                scoresFile = () -> writeMetrics(predictions, report, positiveClass(saved), weighted, csv.toString(),
                        out);
            }
            if (lines != null && !written) {
                writeLines(lines, classesWritten(scores.classes, rows), out);
            }
            scoresFile.run();   // after --output: the scores' file says the run is done, for a job that waits on it
        }
        return 0;
    }

    /** What {@link #readParts} hands on of each part, once its columns are the model's. */
    @FunctionalInterface
    interface PartWork {
        /**
         * Predicts a part (and reads its true classes or values), in {@link PartStages}' steps from
         * {@link PartStages#CLASSES} on.
         *
         * @param table    the part as read, its weight and several targets' columns taken out
         * @param features its features in the model's order, {@code (rows, inputWidth)}
         * @param truth    several targets' true values, row-major {@code (rows, k)}; null for none or one target
         * @param firstRow the part's first row in the file, from 0
         */
        void accept(CsvReader.Table table, float[] features, float[] truth, long firstRow);
    }

    /**
     * Reads {@code --csv} a part at a time ({@link PartStages#partRows}) as the model's training file was read (its
     * categories, imputer, ignored and weight columns; predict's own {@code --ignore}), each part's features matched
     * to the model's by name where both have names and handed to {@code work}; then says what a whole read said: the
     * notes, one warning of values far outside the saved scaler's range (counted over the file), and the first error
     * of the steps before {@code work}'s (those of {@code work}'s steps are its caller's to throw, after its own
     * notes). The rows' weights, where the model was trained with a weight column, are kept in {@link #rowWeights}.
     *
     * @param modelClasses the model's class names, for the reader's hints; empty for a regression
     * @return the file's data rows
     */
    long readParts(SavedModel saved, Path csv, List<String> modelClasses, PartStages stages, PrintWriter out,
                   PartWork work) {
        int width = saved.model().inputWidth();
        List<String> ignored = saved.preprocessing().ignoredColumns();
        List<String> asked = ignore == null ? List.of()
                : ignore.stream().map(String::strip).filter(n -> !ignored.contains(n)).distinct().toList();
        PartStages.Floats weights = new PartStages.Floats();
        FarCount far = new FarCount();
        long[] nextRow = new long[1];
        java.util.function.Consumer<CsvReader.Table> onPart = part -> {
            long firstRow = nextRow[0];
            nextRow[0] += part.rows();
            CsvReader.Table[] table = {part};
            float[][] truth = new float[1][];
            float[][] values = new float[1][];
            StringWriter notes = new StringWriter();
            // A bad weight (with --label) is this step's failure, said once the file is read.
            stages.run(PartStages.WEIGHTS, firstRow, () -> table[0] = withoutWeightColumn(saved, part,
                    firstRow, new PrintWriter(notes, true), weights));
            stages.note(PartStages.WEIGHTS, notes);
            if (severalTargets != null) {
                stages.run(PartStages.TARGETS, firstRow, () -> {
                    TargetValues taken = TargetValues.take(spec, table[0], severalTargets, firstRow);
                    table[0] = taken.table();
                    truth[0] = taken.truth();
                });
            }
            if (stages.runs(PartStages.IGNORED) && !ignored.isEmpty() && header) {
                StringWriter ignoredNote = new StringWriter();
                new PrintWriter(ignoredNote, true).printf(Locale.ROOT, "  (the model was trained without "
                        + "column%s %s (--ignore): left out where %s has them)%n", ignored.size() == 1 ? ""
                        : "s", ignored.stream().map(NameLists::listed).collect(Collectors.joining(", ")),
                        csv.getFileName());
                stages.note(PartStages.IGNORED, ignoredNote);
            }
            stages.run(PartStages.FEATURES, firstRow, () -> {
                StringWriter matched = new StringWriter();
                PrintWriter matchedOut = new PrintWriter(matched);
                values[0] = features(saved, table[0], csv, asked, matchedOut);
                matchedOut.flush();
                stages.note(PartStages.FEATURES, matched);
            });
            stages.run(PartStages.WIDTH, firstRow, () -> requireWidth(saved, table[0], csv, modelClasses));
            stages.run(PartStages.FAR, firstRow,
                    () -> far.add(saved.farFromTraining(values[0], table[0].rows()), firstRow,
                            values[0].length));
            if (stages.runs(PartStages.CLASSES)) {
                work.accept(table[0], values[0], truth[0], firstRow);
            }
            stages.partDone();
        };
        long rows;
        try {
            // Several targets are read as feature columns, then taken out: the reader takes one label column.
            rows = CsvReading.readCsvParts(spec, csv, header, severalTargets != null ? null : label, delimiter,
                    categoriesOf(saved), ignored, asked, saved.preprocessing().imputer() != null, modelClasses,
                    PartStages.partRows(width), onPart);
        } catch (IllegalArgumentException e) {
            // An empty weight: the reader's hint would offer --impute, which fills in features, not weights.
            String weightColumn = DataRecord.weightColumn(saved.metadata());
            String weight = header && weightColumn != null ? RowWeights.missingWeight(e.getMessage(),
                    CsvReading.firstRecord(csv, delimiter), weightColumn, false) : null;
            if (weight != null) {
                throw new IllegalArgumentException(weight, e);
            }
            throw e;
        }
        rowWeights = rowWeightColumn == null ? null : weights.toArray();
        stages.printNotes(out);
        if (stages.runs(PartStages.FAR)) {
            warnOutsideFittedRange(saved, far, csv);
        } else {
            stages.throwFailure();   // the error of a step before the classes, as a whole read threw it here
        }
        return rows;
    }

    /**
     * A part's features in the model's order: matched by name ({@link #inModelOrder}) where the model and the file
     * have names, else by position.
     */
    private float[] features(SavedModel saved, CsvReader.Table table, Path csv, List<String> asked, PrintWriter out) {
        List<String> modelNames = saved.preprocessing().featureNames();
        try {
            if (modelNames == null && table.columnNames() != null && !saidByPosition) {
                // A header that cannot be matched: a model trained on a header of repeated names keeps none. Said
                // once, as a file whose columns came in another order was otherwise read wrong without a word.
                saidByPosition = true;
                out.printf(Locale.ROOT, "  (the model records no column names: %s's columns are taken in their "
                        + "order, not matched by name)%n", csv.getFileName());
            }
            return modelNames != null && table.columnNames() != null
                    ? inModelOrder(saved, table, csv, out) : byPosition(saved, table, csv);
        } catch (IllegalArgumentException e) {
            List<String> needed = asked.stream().filter(modelNames::contains).toList();
            if (needed.isEmpty()) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + "; --ignore left out " + String.join(", ", needed)
                    + ", which the model takes", e);
        }
    }

    /** Refuses a table whose feature columns are not as many as the model takes, with what they may be. */
    private void requireWidth(SavedModel saved, CsvReader.Table table, Path csv, List<String> modelClasses) {
        int width = saved.model().inputWidth();
        if (table.columns() != width) {
            String weights = DataRecord.weightColumn(saved.metadata());
            String hint = table.columns() != width + 1 ? ""
                    : weights != null && table.columnNames() == null ? " (is one of them the training rows' weights, "
                    + "column '" + weights + "'? with --header it is left out)"
                    : label == null ? " (is one of them the " + (modelClasses.isEmpty() ? "target" : "class")
                    + "? name it with --label)" : "";
            throw new IllegalArgumentException(csv + " has " + table.columns() + " feature column"
                    + (table.columns() == 1 ? "" : "s")
                    + (label == null ? "" : " besides its label") + "; the model takes " + width + hint);
        }
    }

    /**
     * The values far outside the saved scaler's range ({@link SavedModel#farFromTraining}) over a file read in
     * parts: counted over all of them, the first one's row counted in the file.
     */
    private static final class FarCount {
        private SavedModel.FarFromTraining first;
        private long firstRowInFile;
        private long count;
        private long values;

        /**
         * Adds a part's far values, if any ({@code part} null for none), and the values it looked at. The counts are
         * the file's, past 2^31 values too (a part's own fit an int).
         *
         * @param looked the part's feature values
         */
        void add(SavedModel.FarFromTraining part, long firstRow, int looked) {
            values += looked;
            if (part == null) {
                return;
            }
            if (first == null) {
                first = part;
                firstRowInFile = firstRow + part.row();
            }
            count += part.count();
        }

        /** Whether any part had a far value. */
        boolean any() {
            return first != null;
        }
    }

    /**
     * The features of a table whose columns the model takes by position (it has no feature names, or the file no
     * header). With {@code --header} and a model without feature names, the library's own check
     * ({@link SavedModel#features}) refuses a first line of numbers: a headerless file whose first data row the
     * header took, which would otherwise be dropped unseen. It runs only where the widths agree, so that its one
     * possible refusal is that one; a width that differs gets this command's message, with its hints, below.
     */
    /** Whether a run has said that its file's columns are taken by position (once, not once a part). */
    private boolean saidByPosition;

    private float[] byPosition(SavedModel saved, CsvReader.Table table, Path csv) {
        if (table.columnNames() == null || table.columns() != saved.model().inputWidth()) {
            return table.values();
        }
        try {
            return saved.features(table);
        } catch (IllegalArgumentException e) {
            if (!String.valueOf(e.getMessage()).contains("was read as column names")) {
                throw e;   // not the header check: the library's message says what is wrong
            }
            throw new ParameterException(spec.commandLine(), "Option '--header' read the first line of " + csv
                    + " (" + NameLists.abbreviate(table.columnNames()) + ") as column names, but it is all numbers: "
                    + "a data row of a file without a header line, which would not be predicted; leave --header out "
                    + "(the model, saved without feature names, takes the columns by position)", e);
        }
    }

    /**
     * The table without the row-weight column the model was trained with ({@code --weight-column}, recorded in its
     * metadata), when the file's header has it: a training file predicted as it is. The weights play no part in a
     * prediction; the weights go to {@code weights}, checked where {@code --label} scores the rows with them.
     *
     * @param firstRow the part's first row in the file, from 0, for a bad weight's row
     */
    private CsvReader.Table withoutWeightColumn(SavedModel saved, CsvReader.Table table, long firstRow,
                                                PrintWriter out, PartStages.Floats weights) {
        String column = DataRecord.weightColumn(saved.metadata());
        if (column == null || table.columnNames() == null
                || !List.of(table.columnNames()).stream().map(String::strip).toList().contains(column)) {
            return table;
        }
        out.printf(Locale.ROOT, "  (column '%s' held the training rows' weights, not a feature: left out)%n", column);
        // Kept for --metrics' weighted figures, as the trainer gives them for its test rows.
        String named = List.of(table.columnNames()).stream().filter(n -> n.strip().equals(column)).findFirst()
                .orElseThrow();
        // Checked as the trainer checks them where they are used (labelled rows): a weight that is missing or
        // negative is named with its row in the file, rather than failing inside the weighted figures.
        weights.add(label == null ? table.column(named) : RowWeights.read(table, named, firstRow));
        rowWeightColumn = column;
        return table.withoutColumn(column);
    }

    /**
     * The positive class of a two-class model's ranking figures: --pos-label, else the one its training run was given,
     * else the second class (scikit-learn's default, class 1).
     */
    private int positiveClass(SavedModel saved) {
        List<String> names = saved.classNames();
        if (positiveLabel != null) {
            return DataOptions.positiveClass(spec, positiveLabel, names, model, "the model's classes");
        }
        // The training run's choice, checked when it was made; a file edited since falls back to the default.
        String recorded = saved.metadata().get(DataRecord.POS_LABEL_KEY);
        int k = recorded == null || names.size() != 2 ? -1 : new ClassLookup(names).indexOf(recorded);
        return k < 0 ? 1 : k;
    }

    /**
     * scikit-learn's {@code classification_report} of a labelled file, then its balanced accuracy, log loss, ROC AUC
     * and average precision, as training prints them for its test split: accuracy alone hides a class the model
     * never gets right, and a model's probabilities are scored by the log loss and the ranking ones.
     */
    private static void printReport(Predictions predictions, ClassificationReport report, int positive,
                                    PrintWriter out) {
        out.println("classification report:");
        String[] names = report.classNames().toArray(new String[0]);
        TestSetReport.printTable(report, "", "  ", out);
        TestSetReport.printLeftOut(report, names, "  ", "rows in the file", out);
        out.printf(Locale.ROOT, "balanced accuracy %s; log loss %s (scikit-learn's, eps 2^-52), %s%n",
                Fixed.four(report.balancedAccuracy()), Fixed.four(predictions.logLoss()),
                RankingFigures.of(predictions, report, names, "rows in the file", positive).line());
    }

    /**
     * Writes {@code --metrics}, when asked, for a classifier's labelled rows, and says so.
     *
     * @param weighted the rows' figures weighted by the model's weight column; null without one
     */
    private void writeMetrics(Predictions predictions, ClassificationReport report, int positive,
                              TestSetReport.Weighted weighted, String rowsFrom, PrintWriter out) {
        if (metrics == null) {
            return;
        }
        stop.stage(() -> "while writing " + metrics + " (an atomic write: it holds the scores whole or is as it was)");
        MetricsFile.writeScores(metrics, model, rowsFrom, predictions, report, positive, weighted, rowWeightColumn);
        stop.wrote(metrics);
        stop.stage(() -> "during the predictions");
        out.printf(Locale.ROOT, "Wrote the scores to %s%n", metrics);
    }

    /**
     * The categorical columns a model was trained with: in its preprocessing, or for a file saved before they were
     * kept there, in the trainer's metadata.
     */
    private static Map<String, List<String>> categoriesOf(SavedModel saved) {
        Map<String, List<String>> kept = saved.preprocessing().categories();
        return kept.isEmpty() ? DataRecord.categories(saved.metadata()) : kept;
    }

    /** Whether every one of {@code columns} is a position (0-based, or negative from the end), read as --label is. */
    private static boolean allPositions(List<String> columns) {
        return columns.stream().allMatch(c -> DataOptions.columnIndex(c) != null);
    }

    /**
     * {@code --label}'s target columns in the order of the model's outputs: each output is scored against the column
     * of its own name, so {@code --label y2,y1} for a model of {@code y1,y2} reads y1 first (it scored each output
     * against the other target's column, without a word). Names that are not the model's recorded ones (a file whose
     * columns were renamed) are taken in the order given, and a line says so.
     */
    private static List<String> inModelOrder(List<String> targets, List<String> recorded, PrintWriter out) {
        if (recorded.size() == targets.size() && new java.util.HashSet<>(recorded).equals(
                new java.util.HashSet<>(targets))) {
            if (!recorded.equals(targets)) {
                // Names, or a file without a header's positions, as its training run recorded them.
                out.printf(Locale.ROOT, "  (--label's columns matched to the model's outputs by %s: %s)%n",
                        allPositions(recorded) ? "position" : "name", String.join(", ", recorded));
            }
            return recorded;
        }
        if (!recorded.isEmpty() && allPositions(targets)) {
            // Positions of a file whose header names the targets: which names they are is the file's to say.
            out.printf(Locale.ROOT, "  (--label's columns %s are positions: scored against the model's outputs, %s, "
                    + "in the order given)%n", String.join(", ", targets), String.join(", ", recorded));
        } else if (!recorded.isEmpty()) {
            out.printf(Locale.ROOT, "  (--label's columns %s are not the targets the model was trained on, %s: "
                    + "scored in the order given)%n", String.join(", ", targets), String.join(", ", recorded));
        } else {
            // A model from a file without a header, saved before its targets' positions were kept: nothing to check.
            out.printf(Locale.ROOT, "  (the model records no names or positions of its targets: its outputs are "
                    + "scored against --label's columns in the order given, %s; give them in the order it was "
                    + "trained with)%n", String.join(", ", targets));
        }
        return targets;
    }

    /** The columns {@link SavedModel#features} names as not the model's: {@code not in the model: 'id', 'x')}. */
    private static final Pattern UNKNOWN_COLUMNS = Pattern.compile("not in the model: ('[^)]*')\\)");

    /**
     * The file's feature columns in the model's order ({@link SavedModel#features}: matched by the header's names
     * against those saved with the model), with a line saying so when the file lists them in another order. A column
     * the model does not know is refused, as the library refuses it, with the option that leaves it out.
     */
    static float[] inModelOrder(SavedModel saved, CsvReader.Table table, Path csv, PrintWriter out) {
        float[] values;
        try {
            values = saved.features(table);
        } catch (IllegalArgumentException e) {
            Matcher unknown = UNKNOWN_COLUMNS.matcher(String.valueOf(e.getMessage()));
            if (!unknown.find()) {
                throw e;
            }
            List<String> targets = DataRecord.targets(saved.metadata());
            if (!targets.isEmpty() && targets.stream().allMatch(t -> unknown.group(1).contains("'" + t + "'"))) {
                // The model's own class column (or a regression's target columns), which predict was not told of:
                // it can score the rows against them.
                String label = String.join(",", targets);
                String quoted = targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
                throw new IllegalArgumentException(e.getMessage() + "; " + (targets.size() == 1 ? "'" + label
                        + "' is the column the model was trained to predict: name it with --label " + label
                        + ", and predict scores the rows against it" : quoted + " are the "
                        + "columns the model was trained to predict: name them with --label " + label + ", and "
                        + "predict scores the rows against them"), e);
            }
            throw new IllegalArgumentException(e.getMessage() + "; columns that are not features are left out with "
                    + "--ignore " + ModelOptions.shellWord(unknown.group(1).replace("'", "").replace(", ", ",")), e);
        }
        if (!List.of(table.columnNames()).equals(SavedModel.unnamedAsRead(saved.preprocessing().featureNames(),
                table.columnNames()))) {
            out.printf(Locale.ROOT, "  (columns matched to the model's features by name: %s lists them in another "
                    + "order)%n", csv.getFileName());
        }
        return values;
    }

    /**
     * One warning on stderr when raw values lie far outside what the saved scaler was fitted on (beyond a min-max
     * scaler's fitted range by more than its own width, or 10 standard deviations from a standard scaler's mean;
     * {@link SavedModel#farFromTraining}): the model then extrapolates, and its confident-looking
     * probabilities mean little. Pixel counts of 1000 where the digits have 0..16 are the usual cause. {@code far} is
     * the whole file's count.
     */
    private void warnOutsideFittedRange(SavedModel saved, FarCount far, Path csv) {
        if (far.any()) {
            SavedModel.FarFromTraining first = far.first;
            // Rows and columns counted from 1, as this command prints its rows ("row 1") and its errors count a
            // file's data rows; the library's own line counts array indices from 0.
            PrintWriter err = spec.commandLine().getErr();
            // A standard scaler keeps no range: its rule is the distance from the training mean, and a rare
            // training value can lie that far (an exponential column's tail).
            boolean standard = saved.preprocessing().standardScaler() != null;
            String where = standard ? "more than 10 standard deviations from the training mean the scaler was fitted on"
                    : "far outside the range the scaler was fitted on";
            err.printf(Locale.ROOT, "digits: warning: %d of %d values lie %s (row %d, %s: %s against %s) in %s; its "
                    + "predictions for them %s%n", far.count, far.values, where, far.firstRowInFile + 1,
                    first.name() != null ? "column " + first.name() : "column " + (first.column() + 1), first.value(),
                    first.fitted(), csv, standard ? "are likely extrapolations (a long-tailed column's rare training "
                    + "values can lie that far too)" : "are extrapolations");
            err.flush();
        }
    }

    private void requireDigitsModel(SavedModel saved) {
        if (saved.model().inputWidth() != Digits.FEATURES || saved.model().outputWidth() != Digits.CLASSES) {
            int outputs = saved.model().outputWidth();
            throw new IllegalArgumentException(model + " takes " + saved.model().inputWidth() + " features and gives "
                    + outputs + (outputs == 1 ? " output" : " outputs") + "; the digits need 64 and 10 (use --csv for "
                    + "other data)");
        }
    }

    /** Raw pixels through the saved scaler, or the article's scaling when the file has none. */
    private static float[] inputs(SavedModel saved, Dataset raw, Dataset articleScaled) {
        return saved.preprocessing().features() >= 0
                ? saved.preprocessing().transformFeatures(raw.features(), raw.featureCount())
                : articleScaled.features();
    }

    private int predictTestSet(SavedModel saved, PrintWriter out) {
        requireDigitsModel(saved);
        Dataset all = DigitsData.load();
        IndexSplit split = Digits.articleSplit();
        Dataset raw = split.apply(all).test();
        Dataset scaled = split.apply(Digits.articleScaler(all).transform(all)).test();
        Scores scores = Scores.of(saved, saved.model().predict(inputs(saved, raw, scaled), raw.size()));
        int[] expected = columnsOf(raw.labels(), saved.preprocessing());
        int correct = printRows(saved, scores, expected, out);
        out.printf(Locale.ROOT, "Test set: %d of %d images correct, accuracy %s%n", correct, raw.size(),
                Fixed.four((double) correct / raw.size()));
        writeOutput(scores, expected, saved.preprocessing(), out);
        if (metrics != null) {   // after --output, as for a CSV file
            writeMetrics(Predictions.of(scores.outputs, scores.width, expected),
                    ClassificationReport.of(expected, scores.predicted, saved.classNames()), positiveClass(saved),
                    null, "the digits' test set", out);
        }
        return 0;
    }

    private int predictImage(SavedModel saved, int index, PrintWriter out) {
        requireDigitsModel(saved);
        if (index >= Digits.ROWS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--index': " + index
                    + " is not an image; there are " + Digits.ROWS + " (0.." + (Digits.ROWS - 1) + ")");
        }
        Dataset all = DigitsData.load();
        Dataset raw = all.subset(new int[] {index});
        Dataset scaled = Digits.articleScaler(all).transform(all).subset(new int[] {index});
        Scores scores = Scores.of(saved, saved.model().predict(inputs(saved, raw, scaled), 1));
        out.printf(Locale.ROOT, "Image %d (label %d):%n", index, raw.labels()[0]);
        float[] pixels = raw.features();
        String shades = " .:-=+*#%@";
        for (int r = 0; r < 8; r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < 8; c++) {
                int shade = Math.round(pixels[r * 8 + c] / 16f * (shades.length() - 1));
                char ch = shades.charAt(Math.max(0, Math.min(shades.length() - 1, shade)));
                line.append(ch).append(ch);
            }
            out.println(line);
        }
        int[] expected = columnsOf(raw.labels(), saved.preprocessing());
        printRows(saved, scores, expected, "image " + index, 1, out);
        writeOutput(scores, expected, saved.preprocessing(), out);
        return 0;
    }

    /**
     * Prints up to {@code --show} rows; returns how many predictions match {@code expected}, each row's true class
     * (null without it).
     */
    private int printRows(SavedModel saved, Scores scores, int[] expected, PrintWriter out) {
        return printRows(saved, scores, expected, null, scores.predicted.length, out);
    }

    /**
     * As {@link #printRows(SavedModel, Scores, int[], PrintWriter)}, the one row named {@code name} ("image 7")
     * rather than numbered ("row 1"), where it is one of a larger set; {@code scores} holds the first of the
     * {@code rows} rows, at least those printed (and all of them with {@code expected}).
     */
    private int printRows(SavedModel saved, Scores scores, int[] expected, String name, long rows, PrintWriter out) {
        Preprocessing p = saved.preprocessing();
        int correct = 0;
        int limit = shownRows(rows);
        for (int i = 0; i < scores.predicted.length; i++) {
            int best = scores.predicted[i];
            if (expected != null && best == expected[i]) {
                correct++;
            }
            if (i >= limit) {
                continue;
            }
            StringBuilder sb = new StringBuilder(Fixed.format("%s: class %s (p = %.4f)",
                    name != null ? name : "row " + (i + 1), Printable.of(p.className(best)),
                    scores.probability(i, best)));
            if (expected != null) {
                sb.append(best == expected[i] ? "  correct"
                        : "  WRONG, label " + Printable.of(p.className(expected[i])));
            }
            sb.append("  [");
            int[] shown = shownClasses(scores, i);
            for (int n = 0; n < shown.length; n++) {
                sb.append(Fixed.format("%s%s: %.4f", n == 0 ? "" : ", ",
                        Printable.of(p.className(shown[n])),
                        scores.probability(i, shown[n])));
            }
            if (shown.length < scores.classes) {
                sb.append(", … (").append(scores.classes - shown.length).append(" more)");
            }
            out.println(sb.append(']'));
        }
        printMoreRows(rows, limit, out);
        return correct;
    }

    /**
     * How many of a part's {@code partRows} rows, the first of them row {@code firstRow} of the file, predict keeps:
     * all where the scores need every row ({@code --label}) or every row is printed ({@code --show-all}), else those
     * {@code --show} prints.
     */
    private int rowsKept(long firstRow, int partRows) {
        long kept = label != null || showAll ? Long.MAX_VALUE : show;
        return (int) Math.max(0, Math.min(partRows, kept - firstRow));
    }

    /** How many rows {@code --show} or {@code --show-all} print of {@code rows}. */
    int shownRows(long rows) {
        return (int) (showAll ? rows : Math.min(show, rows));
    }

    /** The line under the printed rows that says how many were left out and how to see them. */
    void printMoreRows(long rows, int limit, PrintWriter out) {
        if (limit < rows) {
            out.printf(Locale.ROOT, output == null ? "(%d more rows; --show-all prints them, --output writes them)%n"
                    : "(%d more rows; --show-all prints them)%n", rows - limit);
        }
        out.flush();
    }

    /** Classes whose probabilities a printed row lists: all of them, up to this many. */
    static final int PRINTED_CLASSES = 10;

    /**
     * The classes a printed row lists: all, in class order, up to {@link #PRINTED_CLASSES}; beyond, the most probable
     * that many, most probable first, as the training's Data line shortens its class names (a 1000-class model's
     * rows were 1000 probabilities each; {@code --output} writes them all).
     */
    private static int[] shownClasses(Scores scores, int row) {
        int k = scores.classes;
        if (k <= PRINTED_CLASSES) {
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            return all;
        }
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores.probability(row, b), scores.probability(row, a)));
        int[] top = new int[PRINTED_CLASSES];
        for (int n = 0; n < top.length; n++) {
            top[n] = order[n];
        }
        return top;
    }

    /**
     * A model's outputs read as classes: each row's predicted class and each class's probability. One output per
     * class, or a single output for two classes (a sigmoid giving class 1's probability), read by the rule the
     * library's accuracy uses ({@link DataChecks#classOfRow}).
     */
    private static final class Scores {
        final float[] outputs;
        final int width;
        final int classes;
        final int[] predicted;

        private Scores(float[] outputs, int width, int[] predicted) {
            this.outputs = outputs;
            this.width = width;
            this.classes = DataChecks.classCount(width);
            this.predicted = predicted;
        }

        /**
         * The model's outputs as class probabilities: as they are after a softmax or a sigmoid, or, for a model that
         * ends in logits ({@link #endsInLogits}), their softmax, which keeps each row's arg-max.
         */
        static Scores of(SavedModel saved, float[] outputs) {
            int width = saved.model().outputWidth();
            return ofProbabilities(endsInLogits(saved) ? softmaxOfRows(outputs, width) : outputs, width);
        }

        /** Probabilities as they are (a {@link #of} already made), each row's class their arg-max. */
        static Scores ofProbabilities(float[] probabilities, int width) {
            return new Scores(probabilities, width, DataChecks.classesOfRows(probabilities, width));
        }

        float probability(int row, int k) {
            return DataChecks.classProbability(outputs, row, width, k);
        }
    }

    /**
     * Whether a classifier's outputs are logits rather than probabilities: several outputs, and a last layer that
     * does not end in a softmax (a PyTorch classifier trained with {@code CrossEntropyLoss}, imported from ONNX).
     */
    static boolean endsInLogits(SavedModel saved) {
        List<Layer> layers = saved.model().layers();
        return saved.model().outputWidth() > 1
                && layers.get(layers.size() - 1).outputActivation() != Activation.SOFTMAX;
    }

    /** Each row's softmax, {@code p_k = exp(z_k - max z) / Σ_j exp(z_j - max z)}, in double, rounded once. */
    static float[] softmaxOfRows(float[] logits, int width) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length; r += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < width; k++) {
                max = Math.max(max, logits[r + k]);
            }
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += Math.exp(logits[r + k] - max);
            }
            for (int k = 0; k < width; k++) {
                p[r + k] = (float) (Math.exp(logits[r + k] - max) / sum);
            }
        }
        return p;
    }

    /** The digits' labels as the model's output columns ({@link Preprocessing#label} inverted). */
    private static int[] columnsOf(int[] labels, Preprocessing p) {
        int[] columns = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int c = 0;
            while (c < Digits.CLASSES && p.label(c) != labels[i]) {
                c++;
            }
            if (c == Digits.CLASSES) {
                throw new IllegalArgumentException("the model has no output for the digit " + labels[i]);
            }
            columns[i] = c;
        }
        return columns;
    }

    /**
     * A CSV field as RFC 4180 writes it: quoted, inner quotes doubled, when it holds a comma, a quote, a line break
     * or edge spaces (a class name read from a quoted label such as {@code "big, yes"}); otherwise as it is.
     */
    static String csvField(String text) {
        boolean plain = text.equals(text.strip());
        for (int i = 0; plain && i < text.length(); i++) {
            char ch = text.charAt(i);
            plain = ch != ',' && ch != '"' && ch != '\n' && ch != '\r';
        }
        return plain ? text : '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes {@code --output}: the file, or with {@code -} standard output, and says so on {@code out} (standard
     * error then).
     */
    private void writeOutput(Scores scores, int[] expected, Preprocessing p, PrintWriter out) {
        if (output == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(classHeader(p, scores.classes, expected != null)).append('\n');
        appendClassRows(sb, scores, expected, p);
        writeCsv(to -> to.append(sb), classesWritten(scores.classes, scores.predicted.length), out);
    }

    /** {@code --output}'s header line for classes: {@code class,p_0,..,p_9}, and {@code label} for labelled rows. */
    private static String classHeader(Preprocessing p, int classes, boolean labelled) {
        StringBuilder sb = new StringBuilder("class");
        for (int c = 0; c < classes; c++) {
            sb.append(',').append(csvField("p_" + p.className(c)));
        }
        // The label last, so that the columns before it are where they are for unlabelled rows.
        return labelled ? sb.append(",label").toString() : sb.toString();
    }

    /** {@code --output}'s line for each row of {@code scores}: its class, every class's probability, its label. */
    private static void appendClassRows(StringBuilder sb, Scores scores, int[] expected, Preprocessing p) {
        for (int i = 0; i < scores.predicted.length; i++) {
            sb.append(csvField(p.className(scores.predicted[i])));
            for (int c = 0; c < scores.classes; c++) {
                // Float.toString: the shortest decimal that reads back as the same float32.
                sb.append(',').append(scores.probability(i, c));
            }
            if (expected != null) {
                sb.append(',').append(csvField(p.className(expected[i])));
            }
            sb.append('\n');
        }
    }

    /** What {@code --output} holds, for its "Wrote" line. */
    private static String classesWritten(int classes, long rows) {
        return "the class and " + classes + " probabilities of " + rows + " rows";
    }

    /** {@code --output}'s whole CSV, written to where it goes. */
    @FunctionalInterface
    interface CsvText {
        /** Writes the CSV, header first, to {@code to}. */
        void writeTo(Writer to) throws IOException;
    }

    /**
     * The file {@code --output} replaces atomically a part at a time ({@link OutputLines}); null for standard output or
     * a name written in place (a device, a pipe), which get the CSV whole after the last part.
     */
    private Path outputFile() {
        return toStdout() || dev.nnj.api.io.AtomicFile.writesInPlace(output) ? null : output;
    }

    /** Finishes {@code --output}'s lines written a part at a time, and says so ("Wrote {@code what} to ..."). */
    private void writeLines(OutputLines lines, String what, PrintWriter out) {
        if (lines.toFile()) {
            writingFile(lines::commit, what, out);
        } else {
            writeCsv(lines::copyTo, what, out);
        }
    }

    /**
     * Writes {@code --output}'s CSV: to the file, atomically (a reader never sees half of it), or with {@code -} to
     * standard output; then says so on {@code out} (standard error then), "Wrote {@code what} to ...".
     */
    void writeCsv(CsvText text, String what, PrintWriter out) {
        if (toStdout()) {
            PrintWriter csv = spec.commandLine().getOut();
            try {
                text.writeTo(csv);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the predictions: " + Converters.why(e), e);
            }
            // Both flags: a PrintWriter over System.out never sees the PrintStream's own write errors.
            if (csv.checkError() || System.out.checkError()) {
                if (System.out.checkError() && StandardOutput.isPipe()) {
                    // '| head -3' has what it asked for: no "Wrote" line; main exits quietly with SIGPIPE's status.
                    return;
                }
                throw new IllegalStateException("cannot write the predictions to standard output (closed, or a full "
                        + "disk?)");
            }
            out.printf(Locale.ROOT, "Wrote %s to standard output%n", what);
            out.flush();
            return;
        }
        writingFile(() -> {
            try {
                dev.nnj.api.io.AtomicFile.write(output, stream -> {
                    Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(stream,
                            StandardCharsets.UTF_8));
                    text.writeTo(w);
                    w.flush();
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output + ": " + Converters.afterFile(output, e), e);
            }
        }, what, out);
    }

    /** Runs {@code write}, which writes {@code --output} atomically, in its interruption stage; then says so. */
    private void writingFile(Runnable write, String what, PrintWriter out) {
        stop.stage(() -> "while writing " + output + " (an atomic write: it holds the predictions whole or is as it "
                + "was)");
        write.run();
        stop.wrote(output);
        stop.stage(() -> "after writing its files");
        out.printf(Locale.ROOT, "Wrote %s to %s%n", what, output);
        out.flush();
    }
}
