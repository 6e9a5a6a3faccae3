package dev.nnj.examples;

import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.LogLoss;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Sequential;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the trainer prints about the test set once training is over: scikit-learn's
 * {@code classification_report} text (precision, recall, F1 and support per class, accuracy, macro and weighted
 * averages), then balanced accuracy beside the majority-class baseline, the log loss, ROC AUC and average
 * precision of the outputs (scikit-learn's {@code balanced_accuracy_score}, {@code log_loss} at float64's eps,
 * {@code roc_auc_score} binary or one-vs-rest, {@code average_precision_score}), and the top-k accuracy for
 * k = 1 up to 3 (the share of rows whose true class is among the model's k highest outputs).
 */
final class TestSetReport {
    /** The largest k printed; fewer for fewer classes (top-k with k = classes is always 1). */
    static final int MAX_K = 3;

    private TestSetReport() {
    }

    /**
     * Prints the report of {@code model}'s {@code predictions} on the test rows; {@code brief} prints one line (the
     * macro-F1 and balanced accuracy) in place of the whole report: what a run of several seeds needs per seed,
     * beside its summary over the seeds.
     *
     * @param model       the trained model
     * @param predictions its outputs on the test rows, with their labels
     * @param majority    the majority class of the training rows, for the baseline ({@link #majorityClass})
     * @param classNames  a name per class index
     * @param prefix      put before every line (the seed of a multi-seed run), may be empty
     * @param brief       one line instead of the report
     * @param positive    the positive class of a two-class run's ranking figures ({@code --pos-label})
     * @param out         where to print
     * @return the classification report printed, for the multi-seed summary
     */
    static ClassificationReport print(Sequential model, Predictions predictions, int majority, String[] classNames,
            String prefix, boolean brief, int positive, PrintWriter out) {
        int rows = predictions.trueLabels().length;
        ClassificationReport report = ClassificationReport.of(predictions.trueLabels(),
                predictions.predictedLabels(), List.of(classNames));
        if (brief) {
            out.printf(Locale.ROOT, "%s  test set macro-F1 %s, balanced accuracy %s%n", prefix,
                    Fixed.four(report.macroAverage().f1()), Fixed.four(report.balancedAccuracy()));
            return report;
        }
        out.printf(Locale.ROOT, "%s  test set classification report (%d row%s):%n", prefix, rows,
                rows == 1 ? "" : "s");
        printTable(report, prefix, "    ", out);
        printLeftOut(report, classNames, prefix + "    ", "test rows", out);
        out.printf(Locale.ROOT, "%s  test set balanced accuracy %s; majority-class baseline %s%n", prefix,
                Fixed.four(report.balancedAccuracy()), baseline(report, majority, classNames));
        out.printf(Locale.ROOT, "%s  test set log loss %s (scikit-learn's, eps 2^-52), %s%n", prefix,
                Fixed.four(predictions.logLoss()),
                RankingFigures.of(predictions, report, classNames, "test rows", positive).line());
        if (predictions.classes() > 2 && model.outputWidth() > 1) {
            StringBuilder topK = new StringBuilder();
            for (int k = 1; k <= Math.min(MAX_K, predictions.classes() - 1); k++) {
                topK.append(Fixed.format("%s top-%d %.4f", k == 1 ? "" : ",", k, predictions.topKAccuracy(k)));
            }
            out.printf(Locale.ROOT, "%s  test set top-k accuracy:%s%n", prefix, topK);
        }
        return report;
    }

    /**
     * Says on standard error when the model gives every test row the same class, though the rows hold several: it
     * tells no class from another. The report shows it only as figures beside the majority-class baseline, which a
     * reader may pass over; a trial's run on unscaled features at Adam's rate 0.1 ended so (accuracy 0.6294, ROC AUC
     * 0.5) with exit status 0 and no word.
     *
     * @param predictions the model's outputs on the test rows, with their labels
     * @param classNames  a name per class
     * @param prefix      the run's prefix (a seed of several, a fold), may be empty
     * @param rows        what the rows are, {@code "test rows"} or {@code "rows it holds out"}
     * @param err         where the warning goes
     * @return whether it warned
     */
    static boolean warnIfOneClass(Predictions predictions, String[] classNames, String prefix, String rows,
            PrintWriter err) {
        int[] predicted = predictions.predictedLabels();
        int[] truth = predictions.trueLabels();
        if (predicted.length < 2) {
            return false;
        }
        java.util.BitSet present = new java.util.BitSet();
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] != predicted[0]) {
                return false;
            }
            present.set(truth[i]);
        }
        if (present.cardinality() < 2) {
            return false;
        }
        String p = prefix.isBlank() ? "" : prefix.strip() + ": ";
        err.printf(Locale.ROOT, "digits: warning: %sthe model predicts '%s' for all %d %s, which hold %d "
                + "classes: it tells no class from another (a learning rate too high, features left unscaled, or too "
                + "few epochs can end so)%n", p, classNames[predicted[0]], predicted.length, rows,
                present.cardinality());
        err.flush();
        return true;
    }

    /**
     * Where a class missing from the report went, rather than leave the reader to count rows: a line naming the
     * classes with no rows that were never predicted either, which the report and its averages leave out as
     * scikit-learn's do; nothing when every class is in it.
     *
     * @param report     the report
     * @param classNames a name per class
     * @param indent     put before the line
     * @param rows       the rows scored, for the line: {@code "test rows"}, {@code "rows in the file"}
     * @param out        where to print
     */
    static void printLeftOut(ClassificationReport report, String[] classNames, String indent, String rows,
            PrintWriter out) {
        int[] reported = report.reportedClasses();
        if (reported.length == report.classes()) {
            return;
        }
        List<String> left = new ArrayList<>();
        for (int c = 0, r = 0; c < report.classes(); c++) {
            if (r < reported.length && reported[r] == c) {
                r++;
            } else {
                left.add(classNames[c]);
            }
        }
        out.printf(Locale.ROOT, "%s(not in the report: %s, with no %s and never predicted; as scikit-learn, the "
                + "averages leave %s out)%n", indent, NameLists.abbreviate(left), rows,
                left.size() == 1 ? "it" : "them");
    }

    /**
     * Rows' figures weighted by their own weights ({@code --weight-column}), as scikit-learn's
     * {@code accuracy_score}, {@code f1_score(average="macro")}, {@code balanced_accuracy_score} and {@code log_loss}
     * give them with {@code sample_weight}: made once, for the printed line ({@link #printWeighted}) and
     * {@code --metrics}.
     *
     * @param total       the rows' total weight
     * @param rows        the rows
     * @param predictions the outputs with the weights; null where every row weighs 0, which leaves no figure defined
     * @param report      their classification report; null likewise
     */
    record Weighted(double total, int rows, Predictions predictions, ClassificationReport report) {
        /**
         * The weighted figures of rows.
         *
         * @param unweighted the model's outputs on the rows, with their labels
         * @param weights    a weight per row
         * @return the figures
         */
        static Weighted of(Predictions unweighted, float[] weights) {
            double total = 0;
            for (float w : weights) {
                total += w;
            }
            Predictions weighted = total > 0 ? unweighted.withSampleWeights(weights) : null;
            return new Weighted(total, weights.length, weighted, weighted == null ? null : weighted.report());
        }
    }

    /**
     * One line of the test set's weighted figures; the report above stays unweighted, as the losses do.
     *
     * @param weighted the test rows' weighted figures
     * @param column   the weight column's name, for the line
     * @param prefix   put before the line
     * @param out      where to print
     */
    static void printWeighted(Weighted weighted, String column, String prefix, PrintWriter out) {
        printWeighted(weighted, column, "test set ", "test row", prefix, out);
    }

    /**
     * As {@link #printWeighted(Weighted, String, String, PrintWriter)}, for rows named otherwise: a file's rows that
     * {@code digits predict} scores.
     *
     * @param rows the rows' name before "weighted" ("test set ", or "" for none)
     * @param row  one row's name, for a line where every one weighs 0 ("test row", "row")
     */
    static void printWeighted(Weighted weighted, String column, String rows, String row, String prefix,
            PrintWriter out) {
        if (weighted.predictions() == null) {
            out.printf(Locale.ROOT, "%s  %sweighted by '%s': every %s weighs 0, so no weighted figures%n", prefix,
                    rows, column, row);
            return;
        }
        ClassificationReport report = weighted.report();
        // Six significant digits, no trailing zeros: 63.52, 120, 1.5e+06 as 1500000.
        String total = new java.math.BigDecimal(weighted.total()).round(new java.math.MathContext(6))
                .stripTrailingZeros().toPlainString();
        out.printf(Locale.ROOT, "%s  %sweighted by '%s' (total weight %s over %d rows): accuracy %s, "
                + "macro-F1 %s, balanced accuracy %s, log loss %s (scikit-learn's with sample_weight)%n", prefix,
                rows, column, total, weighted.rows(), Fixed.four(report.accuracy()),
                Fixed.four(report.macroAverage().f1()), Fixed.four(report.balancedAccuracy()),
                Fixed.four(weighted.predictions().logLoss()));
    }

    /**
     * The training rows' most frequent class (the lowest index among equals): what a classifier that ignores its
     * inputs would always predict, as scikit-learn's {@code DummyClassifier(strategy="most_frequent")} learns it.
     * From the training rows, not the test rows, so that the baseline has not seen the labels it is scored on.
     *
     * @param trainingLabels the class of each training row
     * @param classes the number of classes
     * @return that class
     */
    static int majorityClass(int[] trainingLabels, int classes) {
        int[] counts = new int[classes];
        for (int label : trainingLabels) {
            counts[label]++;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The report of always predicting {@code majority} on the rows {@code report} scored: its accuracy is that
     * class's share of them, its balanced accuracy 1/K for the K classes with rows there (0, as scikit-learn's,
     * when the training majority has no rows there).
     *
     * @param report a report on the test split (or a held-out fold)
     * @param majority the class the baseline always predicts, the training rows' {@link #majorityClass}
     * @return the baseline's report
     */
    static ClassificationReport majorityBaseline(ClassificationReport report, int majority) {
        int[] truth = new int[report.confusionMatrix().total()];
        for (int c = 0, i = 0; c < report.classes(); c++) {
            for (int n = report.confusionMatrix().support(c); n > 0; n--) {
                truth[i++] = c;
            }
        }
        int[] always = new int[truth.length];
        java.util.Arrays.fill(always, majority);
        return ClassificationReport.of(truth, always, report.classes());
    }

    /**
     * The {@link #majorityBaseline}'s figures: {@code (always "5"): accuracy 0.1306, macro-F1 0.0231, balanced accuracy
     * 0.1000}.
     */
    static String baseline(ClassificationReport report, int majority, String[] classNames) {
        ClassificationReport b = majorityBaseline(report, majority);
        return Fixed.format("(always \"%s\"): accuracy %.4f, macro-F1 %.4f, balanced accuracy %.4f",
                classNames[majority], b.accuracy(), b.macroAverage().f1(), b.balancedAccuracy());
    }

    /**
     * scikit-learn's table of {@code report}, each line after {@code prefix} and {@code indent}; a blank line is the
     * prefix alone, without its trailing spaces.
     *
     * @param report the report
     * @param prefix put before every line (the seed of a multi-seed run), may be empty
     * @param indent put between the prefix and each line of the table
     * @param out    where to print
     */
    static void printTable(ClassificationReport report, String prefix, String indent, PrintWriter out) {
        for (String line : report.format(4).split("\n", -1)) {
            if (!line.isEmpty()) {
                out.printf(Locale.ROOT, "%s%s%s%n", prefix, indent, line);
            } else {
                out.println(prefix.stripTrailing());
            }
        }
    }
}
