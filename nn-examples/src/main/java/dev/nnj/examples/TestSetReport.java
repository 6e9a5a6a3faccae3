package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Sequential;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the trainer prints about the test set once training is over: scikit-learn's
 * {@code classification_report} text (precision, recall, F1 and support per class, accuracy, macro and weighted
 * averages) and the top-k accuracy for k = 1 up to 3 (the share of rows whose true class is among the model's
 * k highest outputs).
 */
final class TestSetReport {
    /** The largest k printed; fewer for fewer classes (top-k with k = classes is always 1). */
    static final int MAX_K = 3;

    private TestSetReport() {
    }

    /**
     * Prints the report of {@code model} on {@code test}.
     *
     * @param model the trained model, one output per class
     * @param test the test rows, with labels
     * @param classNames a name per class index
     * @param prefix put before every line (the seed of a multi-seed run), may be empty
     * @param out where to print
     */
    static void print(Sequential model, Dataset test, String[] classNames, String prefix, PrintWriter out) {
        Predictions predictions = Predictions.of(model, test);
        ClassificationReport report = ClassificationReport.of(predictions.trueLabels(),
                predictions.predictedLabels(), List.of(classNames));
        out.printf(Locale.ROOT, "%s  test set classification report (%d row%s):%n", prefix, test.size(),
                test.size() == 1 ? "" : "s");
        for (String line : report.format(4).split("\n", -1)) {
            if (!line.isEmpty()) {
                out.printf(Locale.ROOT, "%s    %s%n", prefix, line);
            } else {
                out.println(prefix.stripTrailing());
            }
        }
        int[] reported = report.reportedClasses();
        if (reported.length < report.classes()) {
            // Say where a missing class went, rather than leave the reader to count rows.
            List<String> left = new ArrayList<>();
            for (int c = 0, r = 0; c < report.classes(); c++) {
                if (r < reported.length && reported[r] == c) {
                    r++;
                } else {
                    left.add(classNames[c]);
                }
            }
            out.printf(Locale.ROOT, "%s    (not in the report: %s, with no test rows and never predicted; as "
                    + "scikit-learn, the averages leave %s out)%n", prefix, String.join(", ", left),
                    left.size() == 1 ? "it" : "them");
        }
        if (predictions.classes() > 2 && model.outputWidth() > 1) {
            StringBuilder topK = new StringBuilder();
            for (int k = 1; k <= Math.min(MAX_K, predictions.classes() - 1); k++) {
                topK.append(String.format(Locale.ROOT, "%s top-%d %.4f", k == 1 ? "" : ",", k,
                        predictions.topKAccuracy(k)));
            }
            out.printf(Locale.ROOT, "%s  test set top-k accuracy:%s%n", prefix, topK);
        }
    }
}
