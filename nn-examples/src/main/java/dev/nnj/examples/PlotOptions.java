package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateFinder;
import dev.nnj.plots.ChartSubtitles;
import dev.nnj.plots.ConfusionMatrixChart;
import dev.nnj.plots.PrecisionRecallChart;
import dev.nnj.plots.RocCurveChart;
import dev.nnj.plots.LearningRateFinderChart;
import dev.nnj.plots.MisclassifiedGrid;
import dev.nnj.plots.PngFiles;
import dev.nnj.plots.PredictedVsActualChart;
import dev.nnj.plots.ResidualsChart;
import dev.nnj.plots.TrainingCharts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --plots DIR}: after training, PNG charts of the run (loss and accuracy per epoch, the test set's
 * confusion matrix, and for images the misclassified test images; for a regression, its test predictions against
 * the true values, and their residuals). A picocli mixin. A run that measured no
 * accuracy (targets that are not classes) gets no accuracy chart.
 */
public final class PlotOptions {

    /** The options at their defaults, until picocli parses a command line into them. */
    public PlotOptions() {
    }

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write PNG charts here after training: loss.png and accuracy.png per epoch, "
                    + "learning-rate.png when --lr-schedule moved it, confusion-matrix.png of the test set, "
                    + "roc-curve.png and precision-recall.png of a two-class one, misclassified.png for the digits; "
                    + "for --task regression, predicted-vs-actual.png and residuals.png of the test set instead (one "
                    + "pair per target with several: predicted-vs-actual-y1.png, ...); "
                    + "with --find-lr, lr-finder.png; with --seeds, each seed's charts (seed-N-loss.png, ...; "
                    + "seed-N-run-R-loss.png for a seed given more than once, R being the run's place in --seeds). "
                    + "Not with --cv, whose folds train models that are not kept.")
    Path dir;

    /**
     * The outermost folder {@link #prepare} made ({@code --plots a/b/c} where only {@code a} existed: {@code a/b}), or
     * null: the folders this run made and left empty are removed ({@link #removeIfUnused}).
     */
    private Path outermostCreated;

    /**
     * Creates the folder before training, so that a bad {@code --plots} fails at once rather than after it.
     *
     * @param spec the command, for an error naming the option
     * @throws ParameterException when the folder cannot be made
     */
    public void prepare(CommandSpec spec) {
        if (dir == null) {
            return;
        }
        Path missing = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !java.nio.file.Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        Converters.requireOutputDirectory(spec, "--plots", dir);
        outermostCreated = missing;
        // A folder, or a read-only file, where a chart goes would fail the run after its training: found now instead.
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
            List<Path> charts = entries.filter(p -> CHART_NAMES.stream()
                    .anyMatch(name -> p.getFileName().toString().endsWith(name))).sorted().toList();
            for (Path chart : charts) {
                if (java.nio.file.Files.isDirectory(chart)) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--plots': " + chart
                            + " is a folder, where a chart would be written; move it or name another --plots folder");
                }
                Converters.requireReplaceable(spec, "--plots", chart);
            }
        } catch (IOException unreadable) {
            // requireOutputDirectory made sure the folder can be written; an unlistable one is left to the writing
        }
    }

    /** The file names of a training run's charts ({@link #write}), after the run's prefix, in the order written. */
    private static final List<String> RUN_CHARTS = List.of("loss.png", "accuracy.png", "learning-rate.png",
            "confusion-matrix.png", "roc-curve.png", "precision-recall.png", "misclassified.png",
            "predicted-vs-actual.png", "residuals.png");
    /** The learning-rate range test's chart ({@code --find-lr}). */
    private static final String LR_FINDER_CHART = "lr-finder.png";
    /** Every chart's file name: a run's, and the learning-rate range test's. */
    private static final List<String> CHART_NAMES = java.util.stream.Stream.concat(RUN_CHARTS.stream(),
            java.util.stream.Stream.of(LR_FINDER_CHART)).toList();

    /**
     * Removes the folders {@link #prepare} made when nothing was written into them: a run that failed or was
     * interrupted before its charts leaves no empty folder behind, nor the empty parents it made for it. A folder that
     * existed before is left alone.
     */
    public void removeIfUnused() {
        if (outermostCreated == null) {
            return;
        }
        Path stop = outermostCreated;
        outermostCreated = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && p.startsWith(stop); p = p.getParent()) {
            try {
                java.nio.file.Files.deleteIfExists(p);   // refused when anything is in it, and then kept
            } catch (IOException e) {
                return;   // not empty (another run's files, say): it and the folders above it stay
            }
        }
    }

    /**
     * Writes the charts of one run, if {@code --plots} was given, saying which file is being written and which is
     * done: for the message of an interrupted run, and for the caller's list of what was written, which a chart that
     * fails does not cost the others.
     *
     * @param model    the trained model (predicts the test rows for the confusion matrix)
     * @param history  the run's per-epoch record
     * @param data     the run's data
     * @param prefix   put before every file name, e.g. {@code "seed-3-"}; may be empty
     * @param run      a line under each chart's title naming the run (its data, preset, seed), or null for none
     * @param starting called with each file before it is written
     * @param written  called with each file once it is written
     * @throws UncheckedIOException naming each chart that could not be written, after the others are
     */
    public void write(Sequential model, History history, TrainingData data, String prefix, String run,
                      java.util.function.Consumer<Path> starting, java.util.function.Consumer<Path> written) {
        if (dir == null) {
            return;
        }
        List<Path> files = new ArrayList<>();   // for the failure's "(written: …)"
        String checked = data.validation() != null ? "validation" : "test";
        // Each chart on its own: one that cannot be written (a folder in its place) does not cost the others.
        // Reason to the charts it failed, in order: one cause (no fonts, a full disk) is said once, with its charts.
        java.util.Map<String, List<Path>> failures = new java.util.LinkedHashMap<>();
        List<Exception> causes = new ArrayList<>();
        // A line under each title says which run drew it: a folder of charts is often looked at much later.
        String line = run == null ? null : run + (history.firstEpoch() > 1 ? ", resumed at epoch "
                + history.firstEpoch() : "");
        // A resumed run of a checkpoint that had stopped early trains no epoch: nothing to draw a curve of, where
        // "the history has no epochs to draw" failed the run after its report (DigitsTrainer says so instead).
        if (history.epochs() > 0) {
            draw(files, failures, causes, prefix + "loss.png", starting, written,
                    f -> RunCharts.line(TrainingCharts.lossChart(history, checked), line, f));
        }
        if (history.epochs() > 0 && (history.hasAccuracy() || history.hasValidationAccuracy())) {
            draw(files, failures, causes, prefix + "accuracy.png", starting, written,
                    f -> RunCharts.line(TrainingCharts.accuracyChart(history, checked), line, f));
        }
        if (history.epochs() > 0 && rateMoved(history)) {
            draw(files, failures, causes, prefix + "learning-rate.png", starting, written,
                    f -> RunCharts.line(TrainingCharts.learningRateChart(history), line, f));
        }
        if (data.regression() == null) {
            classifierCharts(model, data, prefix, line, files, failures, causes, starting, written);
        } else {
            // A regression's test rows, in the target's units: how close each prediction came, and whether the misses
            // follow a pattern (a curve, a funnel) that a better model or a transformed target would remove.
            RegressionTargets targets = data.regression();
            float[] all = RegressionResults.predictions(model, data.test(), targets);
            int k = targets.count();
            List<String> names = new ArrayList<>();
            for (String name : targets.names()) {
                names.add(name.startsWith("'") ? name.substring(1, name.length() - 1) : name);
            }
            List<String> parts = fileNameParts(names);
            for (int j = 0; j < k; j++) {
                String target = names.get(j);
                // One pair of charts per target, named after it: each in its own units, which one chart cannot share.
                String suffix = k == 1 ? "" : "-" + parts.get(j);
                float[] predicted = column(all, k, j);
                float[] truth = column(targets.test(), k, j);
                draw(files, failures, causes, prefix + "predicted-vs-actual" + suffix + ".png", starting, written,
                        f -> PredictedVsActualChart.write(ChartSubtitles.withLine(PredictedVsActualChart.chart(
                                predicted, truth, target, "Predicted vs actual, test set"), line), f));
                draw(files, failures, causes, prefix + "residuals" + suffix + ".png", starting, written,
                        f -> RunCharts.line(ResidualsChart.chart(predicted, truth, target, "Residuals, test set"),
                                line, f));
            }
        }
        if (!failures.isEmpty()) {
            List<String> each = new ArrayList<>();
            failures.forEach((reason, charts) -> each.add(charts.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + ": " + reason));
            String message = "cannot write " + String.join("; ", each) + (files.isEmpty() ? ""
                    : " (written: " + files.stream().map(f -> String.valueOf(f.getFileName()))
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
            IOException cause = new IOException(message, causes.get(0));
            causes.stream().skip(1).forEach(cause::addSuppressed);
            throw new UncheckedIOException(message, cause);
        }
    }

    /** {@return column {@code j} of a row-major {@code (rows, k)} array, or the array itself for {@code k} 1} */
    private static float[] column(float[] values, int k, int j) {
        if (k == 1) {
            return values;
        }
        float[] out = new float[values.length / k];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i * k + j];
        }
        return out;
    }

    /**
     * A target's name as part of a file name: letters, digits, dots, hyphens and underscores kept, any other
     * character (a space, a slash) an underscore, so that a header name cannot reach another folder.
     *
     * @param name the target's header name, or "column 3"
     * @return the part, never empty
     */
    static String fileNamePart(String name) {
        String part = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        return part.isEmpty() ? "_" : part;
    }

    /**
     * Each target's {@link #fileNamePart}, made unique: where two targets' parts agree ({@code a/b} and {@code a_b},
     * or two names in another alphabet, all underscores), each of them gets its position among the targets, from 1
     * ({@code a_b-1}, {@code a_b-2}), so that no target's charts overwrite another's.
     *
     * @param names the targets' header names, in output order
     * @return the parts, in the same order
     */
    static List<String> fileNameParts(List<String> names) {
        List<String> parts = names.stream().map(PlotOptions::fileNamePart).toList();
        List<String> unique = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            String part = parts.get(j);
            boolean shared = parts.indexOf(part) != parts.lastIndexOf(part);
            unique.add(shared ? part + "-" + (j + 1) : part);
        }
        return unique;
    }

    /** The charts of a classifier's test rows: its confusion matrix, two classes' curves, misclassified images. */
    private void classifierCharts(Sequential model, TrainingData data, String prefix, String line, List<Path> files,
                                  java.util.Map<String, List<Path>> failures, List<Exception> causes,
                                  java.util.function.Consumer<Path> starting,
                                  java.util.function.Consumer<Path> written) {
        Dataset test = data.test();
        Predictions predictions = Predictions.of(model, test);
        int[] truth = predictions.trueLabels();
        int[] predicted = predictions.predictedLabels();
        draw(files, failures, causes, prefix + "confusion-matrix.png", starting, written,
                f -> PngFiles.write(ChartSubtitles.withLine(ConfusionMatrixChart.chart(
                        predictions.confusionMatrix().counts(), data.classNames(), "Confusion matrix, test set"),
                        line), ConfusionMatrixChart.WIDTH, ConfusionMatrixChart.HEIGHT, f));
        if (data.classes() == 2 && hasBothClasses(truth)) {
            // Two classes: how well the scores rank the positives, which accuracy hides on imbalanced data.
            draw(files, failures, causes, prefix + "roc-curve.png", starting, written,
                    f -> PngFiles.write(ChartSubtitles.withLine(RocCurveChart.chart(predictions.rocCurve(
                            data.positiveClass()), "ROC curve, test set, class "
                            + data.classNames()[data.positiveClass()] + " positive"), line),
                            RocCurveChart.SIZE, RocCurveChart.SIZE, f));
            // ... and what each positive found costs in false alarms, which the ROC curve flattens when they are few.
            draw(files, failures, causes, prefix + "precision-recall.png", starting, written,
                    f -> PngFiles.write(ChartSubtitles.withLine(PrecisionRecallChart.chart(
                            predictions.precisionRecallCurve(data.positiveClass()), "Precision-recall, test set, class "
                            + data.classNames()[data.positiveClass()] + " positive"), line),
                            PrecisionRecallChart.SIZE, PrecisionRecallChart.SIZE, f));
        }
        if (data.imageWidth() > 0) {
            draw(files, failures, causes, prefix + "misclassified.png", starting, written,
                    f -> MisclassifiedGrid.write(test.features(), data.imageWidth(),
                            test.featureCount() / data.imageWidth(), truth, predicted, data.classNames(),
                            "Misclassified test images", f));
        }
    }

    /**
     * The charts of an earlier run that {@code --plots} holds beside this run's: those of the names this program
     * writes (with this run's prefix) that this run did not write, which a reader would take for this run's.
     *
     * @param written this run's files ({@link #write})
     * @param prefix  this run's prefix
     * @return the other files, by name; empty without {@code --plots} or when the folder cannot be listed
     */
    public List<Path> olderCharts(List<Path> written, String prefix) {
        return chartsInFolder(file -> file.prefix().equals(prefix) && !written.contains(file.path()));
    }

    /**
     * A run's chart as named in a folder: an optional run prefix ({@code seed-S-}, {@code seed-S-run-R-}) and one of
     * {@link #RUN_CHARTS}, a regression's two per target with the target after a dash
     * ({@code predicted-vs-actual-y1.png}).
     */
    private static final java.util.regex.Pattern RUN_CHART_FILE = java.util.regex.Pattern.compile(
            "(seed-[0-9]+-(?:run-[0-9]+-)?)?(?:" + String.join("|", RUN_CHARTS.stream()
                    .map(name -> java.util.regex.Pattern.quote(name.substring(0, name.length() - ".png".length()))
                            + (name.startsWith("predicted-vs-actual") || name.startsWith("residuals") ? "(?:-.+)?"
                            : "")).toList()) + ")\\.png");

    /** A chart file in the folder and its run prefix ("" for none). */
    private record FolderChart(Path path, String prefix) {
    }

    /** The folder's files named as a run's charts ({@link #RUN_CHART_FILE}) that {@code keep} keeps, by name. */
    private List<Path> chartsInFolder(java.util.function.Predicate<FolderChart> keep) {
        List<Path> kept = new ArrayList<>();
        if (dir == null) {
            return kept;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            files.forEach(f -> {
                java.util.regex.Matcher m = RUN_CHART_FILE.matcher(String.valueOf(f.getFileName()));
                if (m.matches() && keep.test(new FolderChart(f, m.group(1) == null ? "" : m.group(1)))
                        && java.nio.file.Files.isRegularFile(f)) {
                    kept.add(f);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of();   // a note only: the run's own charts were written
        }
        kept.sort(null);
        return kept;
    }

    /**
     * The charts in the {@code --plots} folder that other runs left, under run prefixes this command did not use:
     * those of seeds it did not run, or of a seed's repeats it did not make ({@code seed-0-run-2-*} from an earlier
     * {@code --seeds 0,0}), or a single run's beside several seeds' and the other way round. A reader of the folder
     * would take them for this command's. (A prefix this command used has its older charts named by
     * {@link #olderCharts}, run by run.)
     *
     * @param prefixes the run prefixes this command used ({@code DigitsTrainer.runPrefix}; "" for one run)
     * @return the files, by name; empty without {@code --plots} or when the folder cannot be listed
     */
    public List<Path> otherRunsCharts(java.util.Collection<String> prefixes) {
        return chartsInFolder(file -> !prefixes.contains(file.prefix()));
    }

    /** Whether a schedule or a plateau rule changed the learning rate during the run: then it gets its chart. */
    static boolean rateMoved(History history) {
        double[] rates = history.learningRate();
        for (double r : rates) {
            if (r != rates[0]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes {@code lr-finder.png}, the learning-rate range test's curve ({@code --find-lr}), if {@code --plots} was
     * given.
     *
     * @param result the test's curve
     * @param run    a line under the title naming the run (its data, preset, seed), as the training charts have
     * @return the file written, or null without {@code --plots} or when the test took fewer than 2 steps
     */
    public Path writeLearningRateFinder(LearningRateFinder.Result result, String run) {
        if (dir == null || result.steps() < 2) {
            return null;
        }
        Path file = dir.resolve(LR_FINDER_CHART);
        try {
            RunCharts.line(LearningRateFinderChart.chart(result), run, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + Converters.afterFile(file, e), e);
        } catch (RuntimeException | Error e) {
            throw new UncheckedIOException("cannot write " + file + ": " + graphicsFailure(e), new IOException(e));
        }
        return file;
    }

    /**
     * What a chart's failure means: its innermost cause's words, with what helps where it is Java's graphics failing
     * to start for want of fonts (a slim container: JDK 17 throws {@code Error: Probable fatal error: No physical
     * fonts found} or an {@code InternalError} from fontconfig, which ended the run with a stack trace and without the
     * files still to come; JDK 25 a {@code RuntimeException}). The heap or the stack run out are rethrown.
     *
     * @param e what a chart threw, other than an {@link IOException}
     * @return its message, with what helps where it is about fonts
     */
    static String graphicsFailure(Throwable e) {
        if (e instanceof OutOfMemoryError || e instanceof StackOverflowError) {
            throw (Error) e;
        }
        // The words are the innermost cause's: the first font use wraps its failure in reflection's.
        StringBuilder all = new StringBuilder();
        Throwable root = e;
        for (Throwable t = e; t != null && all.length() < 10_000; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
            root = t;
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        boolean fonts = all.toString().toLowerCase(java.util.Locale.ROOT).contains("font");
        return message + (fonts ? " (Java found no usable fonts to draw with: install fontconfig and a font, such as "
                + "Debian's fonts-dejavu-core)" : "");
    }

    /** Draws one chart into {@code file}. */
    private interface ChartFile {
        void write(Path file) throws IOException;
    }

    /** Whether both classes of a binary test set have rows: a ROC curve needs positives and negatives. */
    private static boolean hasBothClasses(int[] truth) {
        boolean zero = false;
        boolean one = false;
        for (int t : truth) {
            zero |= t == 0;
            one |= t == 1;
        }
        return zero && one;
    }

    /** Writes one chart, adding it to {@code files}, or its failure to {@code failures} under its reason. */
    private void draw(List<Path> files, java.util.Map<String, List<Path>> failures, List<Exception> causes,
                      String name, java.util.function.Consumer<Path> starting,
                      java.util.function.Consumer<Path> written,
                      ChartFile chart) {
        Path file = dir.resolve(name);
        starting.accept(file);
        try {
            chart.write(file);
        } catch (IOException e) {
            failures.computeIfAbsent(Converters.afterFile(file, e), reason -> new ArrayList<>()).add(file);
            causes.add(e);
            return;
        } catch (RuntimeException | Error e) {
            failures.computeIfAbsent(graphicsFailure(e), reason -> new ArrayList<>()).add(file);
            causes.add(e instanceof RuntimeException r ? r : new IllegalStateException(e));
            return;
        }
        files.add(file);
        written.accept(file);
    }
}
