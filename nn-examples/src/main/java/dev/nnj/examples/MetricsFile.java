package dev.nnj.examples;

import dev.nnj.api.io.AtomicFile;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --metrics FILE}: a run's figures as JSON, at full precision, for a script or a CI job that would otherwise
 * read the report's lines, rounded to four digits:
 * <pre>
 * {"format":"nnj-digits-metrics","version":1,"task":"classification","runs":[
 *   {"seed":0,"epochs":1000,"seconds":0.61,
 *    "train":{"loss":0.2178,"accuracy":0.9395,"rows":1437},
 *    "test":{"loss":0.2754,"accuracy":0.9222,"rows":360,"macro_f1":0.9215,"balanced_accuracy":0.9226}}]}
 * </pre>
 * One entry per seed ({@code --seeds}); with {@code --cv}, {@code "folds"} instead of {@code "runs"}, each scored on
 * the rows it left out ({@code "held_out"}). A regression's entries hold {@code rmse}, {@code mae} and {@code r2}
 * (over all its targets, as the report's first line gives them) in the targets' units. The file is written once the
 * runs are done, atomically: a run that fails or is interrupted leaves an earlier file as it was.
 */
final class MetricsFile {
    /** The value of the file's {@code "format"} entry. */
    static final String FORMAT = "nnj-digits-metrics";
    /** The version of the layout above; entries may be added without a new one. */
    static final int VERSION = 1;

    private final String task;
    private final List<Map<String, Object>> entries = new ArrayList<>();

    /**
     * @param regression whether the run is a regression ({@code "task"} is then {@code "regression"}, else
     *                   {@code "classification"})
     */
    MetricsFile(boolean regression) {
        this.task = regression ? "regression" : "classification";
    }

    /** A classifier's run: its epochs and training time, and its figures on the training and test rows. */
    void addRun(long seed, int epochs, double seconds, Evaluation train, Evaluation test, ClassificationReport report) {
        Map<String, Object> run = entry("seed", seed, epochs, seconds);
        run.put("train", evaluation(train));
        run.put("test", classification(test, report));
        entries.add(run);
    }

    /** A regression's run: its epochs and training time, and its figures on the test rows. */
    void addRun(long seed, int epochs, double seconds, RegressionReport test) {
        Map<String, Object> run = entry("seed", seed, epochs, seconds);
        run.put("test", regression(test));
        entries.add(run);
    }

    /** A cross-validation's fold, numbered from 1, scored on the rows it left out. */
    void addFold(CrossValidation.FoldResult fold) {
        Map<String, Object> entry = entry("fold", fold.fold(), fold.epochs(), fold.seconds());
        entry.put("held_out", fold.regression() != null ? regression(fold.regression())
                : classification(fold.heldOut(), fold.report()));
        entries.add(entry);
    }

    /**
     * Writes the file: the runs added, or the folds.
     *
     * @param file  where
     * @param folds whether the entries are a cross-validation's folds
     * @throws UncheckedIOException if it cannot be written, naming the file
     */
    void write(Path file, boolean folds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("task", task);
        json.put(folds ? "folds" : "runs", entries);
        byte[] bytes = (JsonWriter.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> entry(String key, long id, int epochs, double seconds) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(key, id);
        entry.put("epochs", epochs);
        entry.put("seconds", seconds);
        return entry;
    }

    /** A figure as JSON holds it: null where it is not a number (R² of a constant target, an empty set's loss). */
    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Map<String, Object> evaluation(Evaluation e) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("loss", number(e.loss()));
        figures.put("accuracy", number(e.accuracy()));
        figures.put("rows", e.samples());
        return figures;
    }

    private static Map<String, Object> classification(Evaluation e, ClassificationReport report) {
        Map<String, Object> figures = evaluation(e);
        figures.put("macro_f1", number(report.macroAverage().f1()));
        figures.put("balanced_accuracy", number(report.balancedAccuracy()));
        return figures;
    }

    private static Map<String, Object> regression(RegressionReport report) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rmse", number(report.rootMeanSquaredError()));
        figures.put("mae", number(report.meanAbsoluteError()));
        figures.put("r2", number(report.r2()));
        figures.put("rows", report.rows());
        return figures;
    }
}
