package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.metrics.ClassificationReport;
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
 * gives them. Each fold trains a fresh model on the other {@code K − 1} folds and is scored on the rows it held out;
 * the scores' mean and standard deviation estimate how these settings do on unseen rows with less luck of the split
 * than one held-out set, and the test split stays unused. The features are scaled as a single run scales them: a
 * CSV file's on the whole training split, so the held-out fold's rows shaped the scaler's bounds too, a small optimism
 * that scikit-learn avoids by refitting a {@code Pipeline}'s scaler in each fold (the digits are scaled on all images
 * anyway, as in the article).
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
     */
    record FoldResult(int fold, Evaluation heldOut, ClassificationReport report, int epochs, double seconds,
                      int majority) {
    }

    /**
     * The stratified folds of the training rows; a {@code --cv} the classes cannot fill is a usage error.
     *
     * @param spec  the command, for the usage error
     * @param train the training split, with labels
     * @param k     the folds asked for, at least 2
     * @param seed  the seed of the folds' shuffle ({@code --split-seed})
     * @param classNames the classes' names, by label, for the message (null: their numbers)
     * @return {@code k} splits of the training rows' indices
     * @throws ParameterException if {@code k} exceeds the rows of the smallest class (naming it and the largest k)
     */
    static List<IndexSplit> folds(CommandSpec spec, Dataset train, int k, long seed, String[] classNames) {
        if (train.hasLabels()) {
            // Said here in this program's terms: the class by its name, and --cv's values rather than the library's
            // unstratified kFold, which no option reaches.
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
            return TrainTestSplit.stratifiedKFold(train, k, seed);
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
        Evaluation e = r.heldOut();
        out.printf(Locale.ROOT, "%s  held out  loss %.4f  accuracy %.4f  macro-F1 %.4f  balanced accuracy %.4f  (%d "
                + "%s)%n", prefix, e.loss(), e.accuracy(), r.report().macroAverage().f1(),
                r.report().balancedAccuracy(), e.samples(), rows);
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
        StringBuilder perFold = new StringBuilder();
        double time = 0;
        for (FoldResult r : results) {
            perFold.append(String.format(Locale.ROOT, "%s%d: %.4f", perFold.length() == 0 ? "" : ", ", r.fold(),
                    r.heldOut().accuracy()));
            time += r.seconds();
        }
        int k = results.size();
        out.printf(Locale.ROOT, "Cross-validation accuracy per fold: %s%n", perFold);
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
        out.printf(Locale.ROOT, "Majority-class baseline, mean over the folds: accuracy %.4f, macro-F1 %.4f, balanced "
                + "accuracy %.4f%n", baselines.stream().mapToDouble(ClassificationReport::accuracy).average().orElse(0),
                baselines.stream().mapToDouble(b -> b.macroAverage().f1()).average().orElse(0),
                baselines.stream().mapToDouble(ClassificationReport::balancedAccuracy).average().orElse(0));
        out.printf(Locale.ROOT, "Training time: mean %.3f s per fold, %.3f s in all%s%n", time / k, time,
                jobs > 1 ? String.format(Locale.ROOT, ", %.3f s of wall time with %d folds at a time", wallSeconds,
                        jobs) : "");
        out.flush();
    }

    /** {@code "mean 0.9470 +/- 0.0031 (std)  min 0.9425  max 0.9500"} of a score over the folds. */
    static String spread(List<FoldResult> results, ToDoubleFunction<FoldResult> score) {
        return spread(results.stream().mapToDouble(score).toArray());
    }

    /**
     * A score's mean, standard deviation, least and greatest over runs (folds or seeds):
     * {@code mean 0.9137 +/- 0.0236 (std)  min 0.8854  max 0.9444}.
     *
     * @param s one score per run, at least one
     * @return the line's figures
     */
    static String spread(double[] s) {
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
        // numpy's default (ddof = 0), what cross_val_score(...).std() prints.
        double std = Math.sqrt(squares / s.length);
        return String.format(Locale.ROOT, "mean %.4f +/- %.4f (std)  min %.4f  max %.4f", mean, std, min, max);
    }
}
