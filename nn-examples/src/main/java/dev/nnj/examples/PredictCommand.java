package dev.nnj.examples;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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
 * probabilities; {@code --output} writes all probabilities as CSV.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Classifies digits with a model saved by --save or --checkpoint-dir (or any nnj model file "
                + "of 64 inputs), applying the preprocessing saved with it. Default: the 360 test images.", ""},
        footer = {"", "Examples:",
            "  ./digits predict --model digits.safetensors",
            "  ./digits predict --model digits.safetensors --index 7",
            "  ./digits predict --model digits.safetensors --csv rows.csv --output probabilities.csv"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file (safetensors).")
    Path model;

    /** Where the rows come from; at most one. */
    static final class Source {
        @Option(names = "--test-set", description = "The article's 360 test images (default).")
        boolean testSet;

        @Option(names = "--index", paramLabel = "N", converter = Converters.NonNegativeInt.class,
                description = "One of the 1797 images, 0-based, drawn as text with its label.")
        Integer index;

        @Option(names = "--csv", paramLabel = "FILE",
                description = "Rows of raw features (64 pixel counts 0..16 for digits), comma-separated; a header "
                        + "line is skipped when it is not numeric.")
        Path csv;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--show", paramLabel = "N", converter = Converters.NonNegativeInt.class,
            description = "Rows to print for the test set or a CSV (default: 10; all with --show-all).")
    int show = 10;

    @Option(names = "--show-all", description = "Print every row.")
    boolean showAll;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write every row's probabilities to FILE as CSV (predicted class, then one column per class).")
    Path output;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to run on, e.g. cpu or cuda (default: the best available one).")
    String backend;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(model)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--model': " + model
                    + " is not a file");
        }
        if (source != null && source.csv != null && !Files.isRegularFile(source.csv)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--csv': " + source.csv
                    + " is not a file");
        }
        if (source != null && source.index != null && source.index >= DigitsData.ROWS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--index': " + source.index
                    + " is not an image; there are " + DigitsData.ROWS + " (0.." + (DigitsData.ROWS - 1) + ")");
        }
        try (Backend be = backend == null ? Backends.best() : Backends.get(backend.trim().toLowerCase(Locale.ROOT));
             SavedModel saved = load(be)) {
            Preprocessing p = saved.preprocessing();
            int width = saved.model().inputWidth();
            out.printf(Locale.ROOT, "Model %s: %d inputs, %d classes, %d parameters, on %s%s%n", model, width,
                    saved.model().outputWidth(), saved.model().parameterCount(), be.name(),
                    p.features() < 0 ? "; no scaler saved with it" : "; applying its saved scaler");
            if (source != null && source.index != null) {
                return predictImage(saved, source.index, out);
            }
            if (source != null && source.csv != null) {
                CsvReader.Table table = CsvReader.numeric().withoutLabelColumn().read(source.csv);
                if (table.columns() != width) {
                    throw new IllegalArgumentException(source.csv + " has " + table.columns()
                            + " columns; the model takes " + width + " features");
                }
                float[] probabilities = saved.predict(table.values(), table.rows());
                printRows(saved, probabilities, null, table.rows(), out);
                writeOutput(probabilities, saved.model().outputWidth(), p);
                return 0;
            }
            return predictTestSet(saved, out);
        }
    }

    private SavedModel load(Backend be) {
        try {
            return ModelFiles.load(model, be);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private void requireDigitsModel(SavedModel saved) {
        if (saved.model().inputWidth() != DigitsData.FEATURES || saved.model().outputWidth() != DigitsData.CLASSES) {
            throw new IllegalArgumentException(model + " takes " + saved.model().inputWidth() + " features and gives "
                    + saved.model().outputWidth() + " outputs; the digits need 64 and 10 (use --csv for other data)");
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
        IndexSplit split = DigitsData.articleSplit();
        Dataset raw = split.apply(all).test();
        Dataset scaled = split.apply(DigitsData.articleScaler(all).transform(all)).test();
        float[] probabilities = saved.model().predict(inputs(saved, raw, scaled), raw.size());
        int correct = printRows(saved, probabilities, raw.labels(), raw.size(), out);
        out.printf(Locale.ROOT, "Test set: %d of %d images correct, accuracy %.4f%n", correct, raw.size(),
                (double) correct / raw.size());
        writeOutput(probabilities, DigitsData.CLASSES, saved.preprocessing());
        return 0;
    }

    private int predictImage(SavedModel saved, int index, PrintWriter out) {
        requireDigitsModel(saved);
        if (index >= DigitsData.ROWS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--index': " + index
                    + " is not an image; there are " + DigitsData.ROWS + " (0.." + (DigitsData.ROWS - 1) + ")");
        }
        Dataset all = DigitsData.load();
        Dataset raw = all.subset(new int[] {index});
        Dataset scaled = DigitsData.articleScaler(all).transform(all).subset(new int[] {index});
        float[] probabilities = saved.model().predict(inputs(saved, raw, scaled), 1);
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
        printRows(saved, probabilities, raw.labels(), 1, out);
        writeOutput(probabilities, DigitsData.CLASSES, saved.preprocessing());
        return 0;
    }

    /** Prints up to {@code --show} rows; returns how many predictions match {@code labels} (0 without labels). */
    private int printRows(SavedModel saved, float[] probabilities, int[] labels, int rows, PrintWriter out) {
        int classes = saved.model().outputWidth();
        Preprocessing p = saved.preprocessing();
        int correct = 0;
        int limit = showAll ? rows : Math.min(show, rows);
        for (int i = 0; i < rows; i++) {
            int best = argMax(probabilities, i * classes, classes);
            if (labels != null && p.label(best) == labels[i]) {
                correct++;
            }
            if (i >= limit) {
                continue;
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "row %d: class %s (p = %.4f)", i,
                    p.className(best), probabilities[i * classes + best]));
            if (labels != null) {
                sb.append(p.label(best) == labels[i] ? "  correct" : "  WRONG, label " + labels[i]);
            }
            sb.append("  [");
            for (int c = 0; c < classes; c++) {
                sb.append(String.format(Locale.ROOT, "%s%s: %.4f", c == 0 ? "" : ", ", p.className(c),
                        probabilities[i * classes + c]));
            }
            out.println(sb.append(']'));
        }
        if (limit < rows) {
            out.printf(Locale.ROOT, "(%d more rows; --show-all prints them, --output writes them)%n", rows - limit);
        }
        out.flush();
        return correct;
    }

    private static int argMax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[from + j] > v[from + best]) {
                best = j;
            }
        }
        return best;
    }

    private void writeOutput(float[] probabilities, int classes, Preprocessing p) {
        if (output == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("class");
        for (int c = 0; c < classes; c++) {
            sb.append(",p_").append(p.className(c));
        }
        sb.append('\n');
        for (int i = 0; i < probabilities.length / classes; i++) {
            sb.append(p.className(argMax(probabilities, i * classes, classes)));
            for (int c = 0; c < classes; c++) {
                // Float.toString: the shortest decimal that reads back as the same float32.
                sb.append(',').append(probabilities[i * classes + c]);
            }
            sb.append('\n');
        }
        try {
            dev.nnj.api.io.AtomicFile.write(output, stream -> {
                Writer w = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
                w.write(sb.toString());
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
