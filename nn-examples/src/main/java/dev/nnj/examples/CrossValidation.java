package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Evaluation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code --cv K} adds to a trainer run: the stratified folds of the training split, and the report of the
 * scores, as scikit-learn's {@code cross_val_score(model, X_train, y_train, cv=StratifiedKFold(K, shuffle=True))}
 * gives them; for a regression, unstratified folds ({@code KFold(K, shuffle=True)}) scored by R², RMSE and MAE. Each
 * fold trains a fresh model on the other {@code K − 1} folds and is scored on the rows it held out; the scores' mean
 * and standard deviation estimate how these settings do on unseen rows with less luck of the split than one held-out
 * set, and the test split stays unused. A CSV file's imputer and scaler, and a regression's target standardization,
 * are fitted again on each fold's training rows, as a scikit-learn {@code Pipeline}'s are in each fold, so that the
 * held-out rows shape none of them (the digits are scaled on all images, as in the article).
 */
final class CrossValidation {
    private CrossValidation() {
    }

    /**
     * What one fold measured on the rows it held out, after training on the others.
     *
     * @param fold    the fold's number, from 1
     * @param heldOut loss and accuracy on the held-out rows
     * @param report  the classification report on them (macro-F1, balanced accuracy, ...)
     * @param epochs  epochs trained
     * @param seconds training time
     * @param majority the most frequent class of the rows it trained on, the majority-class baseline's
     * @param regression a regression's figures on the held-out rows, in the target's units; null for a classifier
     *                   (whose {@code report} and {@code majority} are then the figures)
     * @param regressionBaseline the same figures of the fold's training mean predicted for every held-out row
     *                   (scikit-learn's {@code DummyRegressor}); null for a classifier
     * @param predictions a classifier's outputs on the held-out rows, kept for {@code --metrics}' ranking figures;
     *                   null when no {@code --metrics} file is asked for (they are rows x classes floats), and for
     *                   a regression
     * @param heldOutWeights the held-out rows' own weights ({@code --weight-column}), for {@code --metrics}' weighted
     *                   figures; null without the option or the file
     * @param regressionWeighted a regression's figures on the held-out rows weighted by {@code heldOutWeights}; null
     *                   for a classifier, without weights, or where every held-out row weighs 0
     */
    record FoldResult(int fold, Evaluation heldOut, ClassificationReport report, int epochs, double seconds,
                      int majority, RegressionReport regression, RegressionReport regressionBaseline,
                      Predictions predictions, float[] heldOutWeights, RegressionReport regressionWeighted) {

        /**
         * A classifier's fold: its loss and accuracy, its report, its training rows' majority class, and its outputs
         * and held-out rows' weights where {@code --metrics} needs them.
         */
        FoldResult(int fold, Evaluation heldOut, ClassificationReport report, int epochs, double seconds,
                   int majority, Predictions predictions, float[] heldOutWeights) {
            this(fold, heldOut, report, epochs, seconds, majority, null, null, predictions, heldOutWeights, null);
        }

        /**
         * A regression's fold: its figures and its baseline's on the held-out rows, in the target's units, and where
         * {@code --metrics} needs them the rows' weights and the figures they weight.
         */
        static FoldResult ofRegression(int fold, Evaluation heldOut, RegressionReport figures,
                                       RegressionReport baseline, int epochs, double seconds, float[] heldOutWeights,
                                       RegressionReport weighted) {
            return new FoldResult(fold, heldOut, null, epochs, seconds, -1, figures, baseline, null, heldOutWeights,
                    weighted);
        }
    }

    /**
     * The stratified folds of the training rows (a regression's, without labels: unstratified); a {@code --cv} the
     * classes or the rows cannot fill is a usage error.
     *
     * @param spec  the command, for the usage error
     * @param train the training split, with labels for a classifier
     * @param k     the folds asked for, at least 2
     * @param seed  the seed of the folds' shuffle ({@code --split-seed})
     * @param classNames the classes' names, by label, for the message (null: their numbers)
     * @return {@code k} splits of the training rows' indices
     * @throws ParameterException if {@code k} exceeds the rows of the smallest class (naming it and the largest k)
     */
    static List<IndexSplit> folds(CommandSpec spec, Dataset train, int k, long seed, String[] classNames) {
        if (train.hasLabels()) {
            // Said here in this program's terms: the class by its name and --cv's values. (A regression's rows,
            // without classes to keep in proportion, are cut by KFold(k, shuffle=True), as cross_val_score cuts a
            // regressor's.)
            int classes = classNames != null ? classNames.length : 0;
            for (int label : train.labels()) {
                classes = Math.max(classes, label + 1);
            }
            int[] counts = new int[classes];
            for (int label : train.labels()) {
                counts[label]++;
            }
            int smallest = 0;
            for (int c = 1; c < counts.length; c++) {
                smallest = counts[c] > 0 && (counts[smallest] == 0 || counts[c] < counts[smallest]) ? c : smallest;
            }
            if (counts[smallest] < k) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--cv': stratified " + k
                        + "-fold cross-validation needs at least " + k + " rows of every class in the training split, "
                        + "and class '" + (classNames != null && smallest < classNames.length ? classNames[smallest]
                        : Integer.toString(smallest)) + "' has " + counts[smallest] + (counts[smallest] >= 2
                        ? "; use --cv " + counts[smallest] + " or fewer" : "; a class of one row cannot be "
                        + "stratified: leave --cv out"));
            }
        }
        try {
            return train.hasLabels() ? TrainTestSplit.stratifiedKFold(train, k, seed)
                    : TrainTestSplit.kFold(train.size(), k, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--cv': " + e.getMessage()
                    + " (of the training split)");
        }
    }

    /**
     * {@code "fold 2/5    held out  loss 0.1234  accuracy 0.9667  macro-F1 0.9650  balanced accuracy 0.9661  (288
     * images)"}.
     *
     * @param out    where to print
     * @param prefix the fold's prefix
     * @param r      the fold's result
     * @param rows   what a row is called, plural ({@code images}, {@code rows})
     */
    static void printFold(PrintWriter out, String prefix, FoldResult r, String rows) {
        if (r.regression() != null) {
            RegressionReport g = r.regression();
            out.print(Fixed.format("%s  held out  loss %.4f  rmse %.6g  mae %.6g  r2 %s  (%d %s)%n", prefix,
                    r.heldOut().loss(), g.rootMeanSquaredError(), g.meanAbsoluteError(),
                    RegressionResults.score(g.r2()), g.rows(), rows));
            return;
        }
        Evaluation e = r.heldOut();
        out.printf(Locale.ROOT, "%s  held out  loss %s  accuracy %s  macro-F1 %s  balanced accuracy %s  (%d %s)%n",
                prefix, Fixed.four(e.loss()), Fixed.four(e.accuracy()), Fixed.four(r.report().macroAverage().f1()),
                Fixed.four(r.report().balancedAccuracy()), e.samples(), rows);
    }

    /**
     * The scores over the folds: per fold, then each score's mean and standard deviation (numpy's {@code std}, over
     * the folds), minimum and maximum, and the training time.
     *
     * @param out     where to print
     * @param results one per fold, in fold order
     */
    static void printSummary(PrintWriter out, List<FoldResult> results) {
        printSummary(out, results, 1, 0);
    }

    /**
     * As {@link #printSummary(PrintWriter, List)}, for folds trained {@code jobs} at a time ({@code --jobs}) in
     * {@code wallSeconds}: the time line then says how long the folds took together, beside the sum of their times.
     */
    static void printSummary(PrintWriter out, List<FoldResult> results, int jobs, double wallSeconds) {
        if (results.get(0).regression() != null) {
            printRegressionSummary(out, results);
        } else {
            printClassifierSummary(out, results);
        }
        double time = results.stream().mapToDouble(FoldResult::seconds).sum();
        int k = results.size();
        out.printf(Locale.ROOT, "Training time: mean %.3f s per fold, %.3f s in all%s%n", time / k, time,
                jobs > 1 ? String.format(Locale.ROOT, ", %.3f s of wall time with %d folds at a time", wallSeconds,
                        jobs) : "");
        out.flush();
    }

    /**
     * A regression's scores over the folds, as {@code cross_val_score} with {@code scoring="r2"} (a regressor's
     * default), {@code "neg_root_mean_squared_error"} and {@code "neg_mean_absolute_error"} give them (without the
     * negation): per fold, then the mean, standard deviation and range; then the training mean's, the baseline.
     */
    private static void printRegressionSummary(PrintWriter out, List<FoldResult> results) {
        int k = results.size();
        int targets = results.get(0).regression().outputs();
        if (targets > 1) {
            out.println(TargetsReport.summaryNote(targets));
        }
        out.printf(Locale.ROOT, "Cross-validation R2 per fold: %s%n", perRun(results, FoldResult::fold,
                r -> r.regression().r2()));
        out.printf(Locale.ROOT, "Cross-validation R2 over %d folds: %s%n", k,
                spread(results, r -> r.regression().r2()));
        out.printf(Locale.ROOT, "Cross-validation RMSE over %d folds: %s%n", k, spread(results.stream()
                .mapToDouble(r -> r.regression().rootMeanSquaredError()).toArray(), "%.6g"));
        out.printf(Locale.ROOT, "Cross-validation MAE over %d folds: %s%n", k, spread(results.stream()
                .mapToDouble(r -> r.regression().meanAbsoluteError()).toArray(), "%.6g"));
        out.printf(Locale.ROOT, "Training-mean baseline, mean over the folds: R2 %s, RMSE %.6g, MAE %.6g%n",
                RegressionResults.score(results.stream().mapToDouble(r -> r.regressionBaseline().r2()).average()
                        .orElse(0)),
                results.stream().mapToDouble(r -> r.regressionBaseline().rootMeanSquaredError()).average().orElse(0),
                results.stream().mapToDouble(r -> r.regressionBaseline().meanAbsoluteError()).average().orElse(0));
    }

    private static void printClassifierSummary(PrintWriter out, List<FoldResult> results) {
        int k = results.size();
        out.printf(Locale.ROOT, "Cross-validation accuracy per fold: %s%n", perRun(results, FoldResult::fold,
                r -> r.heldOut().accuracy()));
        out.printf(Locale.ROOT, "Cross-validation accuracy over %d folds: %s%n", k,
                spread(results, r -> r.heldOut().accuracy()));
        // As for several seeds: accuracy alone hides a model that ignores a rare class.
        out.printf(Locale.ROOT, "Cross-validation macro-F1 over %d folds: %s%n", k,
                spread(results, r -> r.report().macroAverage().f1()));
        out.printf(Locale.ROOT, "Cross-validation balanced accuracy over %d folds: %s%n", k,
                spread(results, r -> r.report().balancedAccuracy()));
        // What always predicting each fold's training majority would score on its held-out rows, as for the test split.
        List<ClassificationReport> baselines = results.stream()
                .map(r -> TestSetReport.majorityBaseline(r.report(), r.majority())).toList();
        out.printf(Locale.ROOT, "Majority-class baseline, mean over the folds: accuracy %s, macro-F1 %s, balanced "
                + "accuracy %s%n",
                Fixed.four(baselines.stream().mapToDouble(ClassificationReport::accuracy).average().orElse(0)),
                Fixed.four(baselines.stream().mapToDouble(b -> b.macroAverage().f1()).average().orElse(0)),
                Fixed.four(baselines.stream().mapToDouble(ClassificationReport::balancedAccuracy).average().orElse(0)));
    }

    /**
     * Each run's score after its number: {@code "1: 0.9470, 2: 0.9425, 3: 0.9500"}.
     *
     * @param runs   the runs, in order
     * @param number a run's number: a fold's, from 1, or a seed
     * @param score  a run's score
     * @param <T>    a fold's or a seed's result
     * @return the list
     */
    static <T> String perRun(List<T> runs, java.util.function.ToLongFunction<T> number, ToDoubleFunction<T> score) {
        StringBuilder s = new StringBuilder();
        for (T r : runs) {
            s.append(String.format(Locale.ROOT, "%s%d: %s", s.length() == 0 ? "" : ", ", number.applyAsLong(r),
                    RegressionResults.score(score.applyAsDouble(r))));
        }
        return s.toString();
    }

    /**
     * What a summary over {@code --seeds} is over: {@code "5 seeds"}, or {@code "3 runs of 1 seed"} when a seed
     * repeats (0,0,0, to time warm runs: the same run again, so runs, not seeds).
     *
     * @param seeds each run's seed
     * @return the words
     */
    static String overSeeds(long[] seeds) {
        int n = seeds.length;
        long distinct = java.util.Arrays.stream(seeds).distinct().count();
        return distinct == n ? n + " seeds" : n + " runs of " + distinct + " seed" + (distinct == 1 ? "" : "s");
    }

    /** {@code "mean 0.9470 +/- 0.0031 (std, ddof 0)  min 0.9425  max 0.9500"} of a score over the folds. */
    static String spread(List<FoldResult> results, ToDoubleFunction<FoldResult> score) {
        return spread(results.stream().mapToDouble(score).toArray());
    }

    /**
     * A score's mean, standard deviation, least and greatest over runs (folds or seeds):
     * {@code mean 0.9137 +/- 0.0236 (std, ddof 0)  min 0.8854  max 0.9444}.
     *
     * @param s one score per run, at least one
     * @return the line's figures
     */
    static String spread(double[] s) {
        double largest = 0;
        for (double v : s) {
            largest = Math.max(largest, Math.abs(v));
        }
        return spread(s, largest < 1e6 ? "%.4f" : "%.4e");   // an R2 of -6e55 (a stray 1e30 target) in exponent form
    }

    /**
     * As {@link #spread(double[])}, each figure in {@code format}: {@code "%.6g"} for errors in a target's units,
     * which may be 35135.1 or 0.000123.
     *
     * @param s      one score per run, at least one
     * @param format the figures' format, as {@link String#format}
     * @return the line's figures
     */
    static String spread(double[] s, String format) {
        double[] f = spreadFigures(s);
        return Fixed.format("mean " + format + " +/- " + format + " (std, ddof 0)  min " + format + "  max " + format,
                f[0], f[1], f[2], f[3]);
    }

    /**
     * A score's mean, standard deviation (numpy's default, ddof = 0: what {@code cross_val_score(...).std()} prints),
     * least and greatest over runs, for {@link #spread} and {@code --metrics}' summary.
     *
     * @param s one score per run, at least one
     * @return {@code {mean, std, min, max}}
     */
    static double[] spreadFigures(double[] s) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            mean += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        mean /= s.length;
        double squares = 0;
        for (double v : s) {
            squares += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(squares / s.length), min, max};
    }
}
