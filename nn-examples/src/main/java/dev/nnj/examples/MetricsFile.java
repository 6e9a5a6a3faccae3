package dev.nnj.examples;

import dev.nnj.api.io.AtomicFile;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.metrics.ClassScores;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.train.History;
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
 *   {"seed":0,"run":1,"epochs":1000,"seconds":0.61,"last_epoch":1000,"stopped_early":false,"best_epoch":1000,
 *    "restored_best_weights":false,
 *    "train":{"loss":0.2445,"accuracy":0.9443,"rows":1437},
 *    "test":{"loss":0.2754,"accuracy":0.9222,"rows":360,"macro_f1":0.9205,"balanced_accuracy":0.9214,
 *            "weighted_f1":0.9225,"log_loss":0.2754,"roc_auc_ovr":0.9950,"roc_auc_ovr_weighted":0.9952,
 *            "average_precision":0.9721,"top_k_accuracy":{"1":0.9222,"2":0.9722,"3":0.9861},
 *            "classes":{"0":{"precision":1.0,"recall":1.0,"f1":1.0,"support":33}, ...},
 *            "confusion_matrix":{"labels":["0","1",...],"counts":[[33,0,...],...]}}}]}
 * </pre>
 * The test figures are those of the printed report, under scikit-learn's names where it has one: {@code classes} is
 * {@code classification_report(output_dict=True)}'s rows (the classes with a true or a predicted row, as there),
 * {@code confusion_matrix} has a row per true class and a column per predicted one, over every class; the ranking
 * figures are {@code roc_auc_score}'s and {@code average_precision_score}'s, one-vs-rest macro (and weighted) for
 * more than two classes, of the positive class ({@code "positive_class"}) for two, and null where a class has no
 * rows (one-vs-rest has no positives then); {@code log_loss} is scikit-learn's (eps 2^-52), which can differ from
 * the training {@code loss} (class weights, label smoothing); {@code top_k_accuracy} is given for more than two
 * classes; {@code "sample_weighted"} holds the figures weighted by {@code --weight-column}, as the report's
 * weighted line; {@code "validation"} holds the validation rows' loss and accuracy where there is a validation
 * split. One entry per seed ({@code --seeds}); with {@code --cv}, {@code "folds"} instead of
 * {@code "runs"}, each scored on the rows it left out ({@code "held_out"}). With more than one entry,
 * {@code "summary"} gives their count and training seconds in all, and each main figure's {@code mean}, {@code std}
 * (ddof 0), {@code min} and {@code max} over them, as the summary lines print them; a regression's folds also hold
 * their {@code loss}, as their lines print it. A regression's entries hold
 * {@code rmse}, {@code mae}, {@code r2}, {@code mse} and {@code explained_variance} (over all its targets, as the
 * report's first line gives them) in the targets' units, the training mean's beside them ({@code "baseline"}), each
 * target's by name with several ({@code "targets"}), and the weighted line's ({@code "sample_weighted"}); its
 * {@code "train"} and {@code "validation"} entries hold the same five figures and the rows. The file
 * is written once the runs are done, atomically: a run that fails or is interrupted leaves an earlier file as it
 * was.
 */
final class MetricsFile {
    /** The value of the file's {@code "format"} entry. */
    static final String FORMAT = "nnj-digits-metrics";
    /** The version of the layout above; entries may be added without a new one. */
    static final int VERSION = 1;

    private final String task;
    /** A regression's target names, in output order; null for a classifier. */
    private final List<String> targets;
    private final List<Map<String, Object>> entries = new ArrayList<>();
    /** Whether the runs' best epochs are early stopping's, whose watched figures are then recorded at them. */
    private boolean earlyStopping;

    /**
     * @param targets a regression's target names, in output order ({@code "task"} is then {@code "regression"}); null
     *                for a classifier ({@code "classification"})
     */
    MetricsFile(List<String> targets) {
        this.task = targets != null ? "regression" : "classification";
        this.targets = targets;
    }

    /**
     * Says that the runs stop early ({@code --early-stopping}): each run's entry then gives the value of every
     * figure the trainer computed for {@code --monitor} at its best epoch ({@code best_val_macro_f1}). Without it the
     * best epoch is the last, whose value is not the best.
     *
     * @return this file
     */
    MetricsFile withEarlyStopping() {
        earlyStopping = true;
        return this;
    }

    /**
     * A classifier's run: its epochs and training time, and its figures on the training, validation and test rows.
     *
     * @param validation  the loss and accuracy on the validation rows; null without a validation split
     * @param test        the loss and accuracy on the test rows
     * @param predictions the model's outputs on them, for the ranking figures
     * @param report      their classification report
     * @param positive    the positive class of a two-class run's ranking figures ({@code --pos-label})
     */
    void addRun(long seed, History history, double seconds, Evaluation train, Evaluation validation, Evaluation test,
                Predictions predictions, ClassificationReport report, int positive) {
        Map<String, Object> run = runEntry(seed, history, seconds);
        run.put("train", evaluation(train));
        if (validation != null) {
            run.put("validation", evaluation(validation));
        }
        run.put("test", classification(test, predictions, report, positive));
        entries.add(run);
    }

    /**
     * A regression's run: its epochs and training time, its figures on the training and validation rows, and on the
     * test rows beside those of the training mean predicted for every row.
     *
     * @param figures  the run's reports ({@link RegressionResults#print})
     * @param baseline the training mean's figures on the test rows
     */
    void addRun(long seed, History history, double seconds, RegressionResults.Figures figures,
                RegressionReport baseline) {
        Map<String, Object> run = runEntry(seed, history, seconds);
        run.put("train", rowsFigures(figures.train()));
        if (figures.validation() != null) {
            run.put("validation", rowsFigures(figures.validation()));
        }
        run.put("test", regression(figures.test(), baseline));
        entries.add(run);
    }

    /** A regression's figures on some rows, without the baseline or each target's: the training and validation rows. */
    private static Map<String, Object> rowsFigures(RegressionReport report) {
        Map<String, Object> figures = regressionFigures(report);
        figures.put("rows", report.rows());
        return figures;
    }

    /**
     * The last regression run's test figures weighted by its rows' own weights ({@code --weight-column}), as the
     * report's weighted line gives them: {@code "sample_weighted"} in its {@code "test"} entry.
     *
     * @param weighted the test rows' figures with their weights; null where every row weighs 0 (its figures are then
     *                 null)
     * @param weights  a weight per test row
     * @param column   the weight column's name
     */
    void addSampleWeighted(RegressionReport weighted, float[] weights, String column) {
        lastTest().put("sample_weighted", regressionWeighted(weighted, weights, column));
    }

    private static Map<String, Object> regressionWeighted(RegressionReport weighted, float[] weights, String column) {
        Map<String, Object> figures = weightedBlock(column, total(weights));
        if (weighted != null) {
            figures.putAll(regressionFigures(weighted));
        } else {
            for (String key : REGRESSION_FIGURES) {
                figures.put(key, null);
            }
        }
        return figures;
    }

    /**
     * The last run's test figures weighted by its rows' own weights ({@code --weight-column}), as the report's
     * weighted line gives them: {@code "sample_weighted"} in its {@code "test"} entry, with the column and the total
     * weight; its figures null where every row weighs 0.
     *
     * @param weighted the test rows' weighted figures, as the line printed them
     * @param column   the weight column's name
     */
    void addSampleWeighted(TestSetReport.Weighted weighted, String column) {
        lastTest().put("sample_weighted", classifierWeighted(weighted, column));
    }

    private static Map<String, Object> classifierWeighted(TestSetReport.Weighted weighted, String column) {
        Map<String, Object> figures = weightedBlock(column, weighted.total());
        ClassificationReport report = weighted.report();
        figures.put("accuracy", report == null ? null : number(report.accuracy()));
        figures.put("macro_f1", report == null ? null : number(report.macroAverage().f1()));
        figures.put("balanced_accuracy", report == null ? null : number(report.balancedAccuracy()));
        figures.put("log_loss", report == null ? null : number(weighted.predictions().logLoss()));
        return figures;
    }

    private static double total(float[] weights) {
        double total = 0;
        for (float w : weights) {
            total += w;
        }
        return total;
    }

    /** The weighted block's first entries: the column and the rows' total weight. */
    private static Map<String, Object> weightedBlock(String column, double total) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("column", column);
        figures.put("total_weight", total);
        return figures;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> lastTest() {
        return (Map<String, Object>) entries.get(entries.size() - 1).get("test");
    }

    /**
     * A cross-validation's fold, numbered from 1, scored on the rows it left out.
     *
     * @param positive     the positive class of a two-class run's ranking figures ({@code --pos-label})
     * @param weightColumn the {@code --weight-column}, whose weights the fold's {@code "sample_weighted"} figures
     *                     use; null without one
     */
    void addFold(CrossValidation.FoldResult fold, int positive, String weightColumn) {
        Map<String, Object> entry = entry("fold", fold.fold(), fold.epochs(), fold.seconds());
        Map<String, Object> heldOut;
        if (fold.regression() != null) {
            // The loss the fold's line prints (the trained loss, on the standardised target), then the figures.
            heldOut = new LinkedHashMap<>();
            heldOut.put("loss", number(fold.heldOut().loss()));
            heldOut.putAll(regression(fold.regression(), fold.regressionBaseline()));
        } else {
            heldOut = classification(fold.heldOut(), fold.predictions(), fold.report(), positive);
        }
        if (fold.heldOutWeights() != null) {
            heldOut.put("sample_weighted", fold.regression() != null
                    ? regressionWeighted(fold.regressionWeighted(), fold.heldOutWeights(), weightColumn)
                    : classifierWeighted(TestSetReport.Weighted.of(fold.predictions(), fold.heldOutWeights()),
                    weightColumn));
        }
        entry.put("held_out", heldOut);
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
        Map<String, Object> json = header();
        json.put(folds ? "folds" : "runs", entries);
        if (entries.size() > 1) {
            json.put("summary", summary(folds ? "held_out" : "test"));
        }
        write(file, json);
    }

    /** The figures the summary lines give their spread of, and a few more: a classifier's. */
    private static final List<String> CLASSIFIER_SUMMARY = List.of("accuracy", "macro_f1", "balanced_accuracy",
            "weighted_f1", "log_loss");
    /** A regression's figures, as {@link #figures} writes them: all of them in its summary too. */
    private static final List<String> REGRESSION_FIGURES = List.of("rmse", "mae", "r2", "mse", "explained_variance");

    /**
     * The spread of the entries' figures, as the summary lines print it ({@link CrossValidation#spreadFigures}:
     * the mean, the standard deviation with ddof 0 as {@code cross_val_score(...).std()}, the least and the greatest),
     * of each figure over the runs or folds; null for a figure some entry lacks (undefined there).
     *
     * @param part the entries' part that holds the figures: {@code "test"} or {@code "held_out"}
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> summary(String part) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", entries.size());
        double seconds = 0;
        for (Map<String, Object> entry : entries) {
            seconds += ((Number) entry.get("seconds")).doubleValue();
        }
        summary.put("seconds", seconds);   // the training time in all, as the "Training time" line's
        for (String key : targets != null ? REGRESSION_FIGURES : CLASSIFIER_SUMMARY) {
            double[] values = new double[entries.size()];
            boolean defined = true;
            for (int i = 0; i < values.length; i++) {
                Object value = ((Map<String, Object>) entries.get(i).get(part)).get(key);
                defined &= value instanceof Number;
                values[i] = value instanceof Number n ? n.doubleValue() : Double.NaN;
            }
            if (!defined) {
                summary.put(key, null);
                continue;
            }
            double[] spread = CrossValidation.spreadFigures(values);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("mean", spread[0]);
            figures.put("std", spread[1]);
            figures.put("min", spread[2]);
            figures.put("max", spread[3]);
            summary.put(key, figures);
        }
        return summary;
    }

    /**
     * {@code digits predict --metrics}: a saved model's scores on labelled rows, the figures of a classifier's test
     * entry (accuracy and the report's, without a training loss), under {@code "scores"}:
     * <pre>
     * {"format":"nnj-digits-metrics","version":1,"task":"classification","model":"digits.safetensors",
     *  "rows_from":"holdout.csv","scores":{"accuracy":0.93,"rows":360,"macro_f1":0.92,...}}
     * </pre>
     *
     * @param file        where
     * @param model       the model file, as given
     * @param rowsFrom    where the rows came from: the file, or the digits' test set
     * @param predictions the model's outputs on them, with their labels
     * @param report      their classification report
     * @param positive    the positive class of a two-class model's ranking figures
     * @param weighted    the rows' figures weighted by the column the model was trained to weight by, for
     *                    {@code "sample_weighted"}; null where the model has no such column or the file lacks it
     * @param column      that column's name; null with no weights
     * @throws UncheckedIOException if it cannot be written, naming the file
     */
    static void writeScores(Path file, Path model, String rowsFrom, Predictions predictions,
                            ClassificationReport report, int positive, TestSetReport.Weighted weighted,
                            String column) {
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("accuracy", number(report.accuracy()));
        scores.put("rows", predictions.trueLabels().length);
        scores.putAll(reportFigures(predictions, report, positive));
        if (weighted != null) {
            scores.put("sample_weighted", classifierWeighted(weighted, column));
        }
        new MetricsFile(null).writeScores(file, model, rowsFrom, scores);
    }

    /**
     * As {@link #writeScores(Path, Path, String, Predictions, ClassificationReport, int, TestSetReport.Weighted,
     * String)}, for a
     * regression: the figures of its test entry, the training mean's beside them where the model records it.
     *
     * @param targets  the targets' names, in output order
     * @param report   the predictions' figures, in the targets' units
     * @param baseline the training mean's figures on the same rows; null where the model holds no target scaler
     * @param weighted the figures weighted by {@code weights}; null without weights, or where every row weighs 0
     * @param weights  the rows' own weights, as for a classifier; null for none
     * @param column   their column's name; null with no weights
     */
    static void writeScores(Path file, Path model, String rowsFrom, List<String> targets, RegressionReport report,
                            RegressionReport baseline, RegressionReport weighted, float[] weights, String column) {
        MetricsFile regression = new MetricsFile(targets);
        Map<String, Object> scores = regression.regression(report, baseline);
        if (weights != null) {
            scores.put("sample_weighted", regressionWeighted(weighted, weights, column));
        }
        regression.writeScores(file, model, rowsFrom, scores);
    }

    private void writeScores(Path file, Path model, String rowsFrom, Map<String, Object> scores) {
        Map<String, Object> json = header();
        json.put("model", model.toString());
        json.put("rows_from", rowsFrom);
        json.put("scores", scores);
        write(file, json);
    }

    private Map<String, Object> header() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("task", task);
        return json;
    }

    private static void write(Path file, Map<String, Object> json) {
        byte[] bytes = (JsonWriter.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + Converters.afterFile(file, e), e);
        }
    }

    /**
     * A seed's run: its place among the runs (from 1), the epochs it trained and their seconds, the number of its
     * last epoch (after a {@code --resume}, counted from the start of the run it continues, as the best epoch is),
     * whether it stopped early, its best epoch (by the validation loss or the {@code --monitor} figure where early
     * stopping watched it, else its last) and whether its weights were rolled back to that epoch's, so that a script
     * knows which weights the test figures are of; with a {@code --monitor} figure, its value at that epoch
     * ({@code best_val_macro_f1}).
     */
    private Map<String, Object> runEntry(long seed, History history, double seconds) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", seed);
        run.put("run", entries.size() + 1);   // its place in --seeds: seed-0-run-2-* of a seed given twice
        run.putAll(entry("seed", seed, history.epochs(), seconds));
        run.put("last_epoch", history.lastEpoch());
        run.put("stopped_early", history.stoppedEarly());
        run.put("best_epoch", history.bestEpoch());
        run.put("restored_best_weights", history.restoredBestWeights());
        // A --monitor figure the trainer computed: its value at the best epoch, as Keras's EarlyStopping.best, in the
        // float History keeps (--history has the double); null where that epoch ran before a --resume, or was NaN.
        int first = history.lastEpoch() - history.epochs() + 1;
        for (String name : earlyStopping ? history.validationMetricNames() : java.util.Set.<String>of()) {
            float[] values = history.validationMetric(name);
            int at = history.bestEpoch() - first;
            run.put("best_val_" + name, at >= 0 && at < values.length ? number(values[at]) : null);
        }
        return run;
    }

    private static Map<String, Object> entry(String key, long id, int epochs, double seconds) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(key, id);
        entry.put("epochs", epochs);
        entry.put("seconds", seconds);
        return entry;
    }

    /** A figure as JSON holds it: null where it is not a number (the loss or accuracy of no rows). */
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

    private static Map<String, Object> classification(Evaluation e, Predictions predictions,
                                                      ClassificationReport report, int positive) {
        Map<String, Object> figures = evaluation(e);
        figures.putAll(reportFigures(predictions, report, positive));
        return figures;
    }

    /** The classification report's figures, from macro-F1 on: what the test rows' entry holds after its loss. */
    private static Map<String, Object> reportFigures(Predictions predictions, ClassificationReport report,
                                                     int positive) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("macro_f1", number(report.macroAverage().f1()));
        figures.put("balanced_accuracy", number(report.balancedAccuracy()));
        figures.put("weighted_f1", number(report.weightedAverage().f1()));
        figures.put("log_loss", number(predictions.logLoss()));
        ranking(figures, predictions, report, positive);
        if (predictions.classes() > 2) {
            Map<String, Object> topK = new LinkedHashMap<>();
            for (int k = 1; k <= Math.min(TestSetReport.MAX_K, predictions.classes() - 1); k++) {
                topK.put(Integer.toString(k), number(predictions.topKAccuracy(k)));
            }
            figures.put("top_k_accuracy", topK);
        }
        List<String> names = report.classNames();
        Map<String, Object> classes = new LinkedHashMap<>();
        for (int c : report.reportedClasses()) {
            ClassScores scores = report.forClass(c);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("precision", number(scores.precision()));
            row.put("recall", number(scores.recall()));
            row.put("f1", number(scores.f1()));
            row.put("support", scores.support());
            classes.put(names.get(c), row);
        }
        figures.put("classes", classes);
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("labels", names);
        matrix.put("counts", List.of(report.confusionMatrix().counts()));
        figures.put("confusion_matrix", matrix);
        return figures;
    }

    /** ROC AUC and average precision, as the report's line gives them ({@link RankingFigures}). */
    private static void ranking(Map<String, Object> figures, Predictions predictions, ClassificationReport report,
                                int positive) {
        RankingFigures r = RankingFigures.of(predictions, report, report.classNames().toArray(new String[0]), "rows",
                positive);
        if (predictions.classes() == 2) {
            figures.put("positive_class", report.classNames().get(positive));
            figures.put("roc_auc", numberOrNull(r.rocAuc()));
            figures.put("average_precision", numberOrNull(r.averagePrecision()));
        } else {
            figures.put("roc_auc_ovr", numberOrNull(r.rocAuc()));
            figures.put("roc_auc_ovr_weighted", numberOrNull(r.rocAucWeighted()));
            figures.put("average_precision", numberOrNull(r.averagePrecision()));
        }
    }

    private static Double numberOrNull(Double value) {
        return value == null ? null : number(value);
    }

    /**
     * A regression's figures, as its report's table gives them: over all its targets (their averages), then the
     * training mean's ({@code "baseline"}, where known), then with several targets each one's ({@code "targets"}, by
     * name).
     */
    private Map<String, Object> regression(RegressionReport report, RegressionReport baseline) {
        Map<String, Object> figures = regressionFigures(report);
        figures.put("rows", report.rows());
        if (baseline != null) {
            figures.put("baseline", regressionFigures(baseline));
        }
        if (targets.size() > 1) {
            Map<String, Object> each = new LinkedHashMap<>();
            for (int j = 0; j < targets.size(); j++) {
                Map<String, Object> target = column(report.column(j));
                if (baseline != null) {
                    target.put("baseline", column(baseline.column(j)));
                }
                each.put(targets.get(j), target);
            }
            figures.put("targets", each);
        }
        return figures;
    }

    /** RMSE, MAE and R², then MSE and explained variance, over all the targets. */
    private static Map<String, Object> regressionFigures(RegressionReport report) {
        return figures(report.meanSquaredError(), report.rootMeanSquaredError(), report.meanAbsoluteError(),
                report.r2(), report.explainedVariance());
    }

    /** One target's figures, from {@link RegressionReport#column}'s {mse, rmse, mae, r2, explained variance}. */
    private static Map<String, Object> column(double[] f) {
        return figures(f[0], f[1], f[2], f[3], f[4]);
    }

    private static Map<String, Object> figures(double mse, double rmse, double mae, double r2, double explained) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rmse", number(rmse));
        figures.put("mae", number(mae));
        figures.put("r2", number(r2));
        figures.put("mse", number(mse));
        figures.put("explained_variance", number(explained));
        return figures;
    }
}
