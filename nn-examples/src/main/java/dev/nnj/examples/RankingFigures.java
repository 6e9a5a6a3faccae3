package dev.nnj.examples;

import dev.nnj.api.metrics.AveragePrecision;
import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.metrics.RocAuc;
import java.util.ArrayList;
import java.util.List;

/**
 * How well a classifier's outputs rank the rows, as the test report's line and {@code --metrics} give it:
 * scikit-learn's {@code roc_auc_score} and {@code average_precision_score}, of the positive class for two classes,
 * one-vs-rest for more. Each is null where it is not defined by the rows scored:
 * <ul>
 *   <li>two classes: the ROC AUC needs rows of both (scikit-learn refuses one class); the average precision needs
 *       rows of the positive class alone (with no negatives it is 1);</li>
 *   <li>more classes: both need rows of every class, each class being the positives of its one-vs-rest turn.</li>
 * </ul>
 *
 * @param rocAuc           the ROC AUC: the positive class's, or the one-vs-rest macro average
 * @param rocAucWeighted   the one-vs-rest average weighted by support; null for two classes
 * @param averagePrecision the average precision: the positive class's, or the one-vs-rest macro average
 * @param positive         the positive class of two; -1 for more
 * @param line             the report's line: the figures, or why one is missing
 */
record RankingFigures(Double rocAuc, Double rocAucWeighted, Double averagePrecision, int positive, String line) {

    /**
     * The figures of {@code predictions}.
     *
     * @param predictions the outputs and true labels
     * @param report      their classification report (for the rows of each class)
     * @param classNames  a name per class
     * @param rows        the rows scored, for the line: {@code "test rows"}, {@code "rows in the file"}
     * @param positive    the positive class of two ({@code --pos-label}); unused for more
     * @return the figures
     */
    static RankingFigures of(Predictions predictions, ClassificationReport report, String[] classNames, String rows,
                             int positive) {
        boolean[] present = new boolean[report.classes()];
        for (int c = 0; c < present.length; c++) {
            present[c] = report.confusionMatrix().support(c) > 0;
        }
        List<String> absent = names(missingClasses(present, true, positive), classNames);
        if (predictions.classes() == 2) {
            boolean apDefined = missingClasses(present, false, positive).isEmpty();
            return twoClasses(predictions, classNames, rows, positive, absent, apDefined);
        }
        if (!absent.isEmpty()) {
            return new RankingFigures(null, null, null, -1, "no ROC AUC or average precision: "
                    + NameLists.abbreviate(absent) + (absent.size() == 1 ? " has" : " have") + " no " + rows
                    + ", so one-vs-rest has no positives (scikit-learn's roc_auc_score refuses too)");
        }
        RocAuc auc = predictions.rocAuc();
        AveragePrecision ap = predictions.averagePrecision();
        return new RankingFigures(auc.macroAverage(), auc.weightedAverage(), ap.macroAverage(), -1,
                Fixed.format("ROC AUC one-vs-rest macro %.4f, weighted %.4f, average precision macro %.4f",
                        auc.macroAverage(), auc.weightedAverage(), ap.macroAverage()));
    }

    /**
     * The classes a ranking figure needs rows of and has none of: the figure is undefined (null) while any is
     * listed. More than two classes need rows of every class, each being the positives of its one-vs-rest turn; of
     * two classes the ROC AUC needs rows of both, and the average precision of the positive class alone.
     *
     * @param present  per class, whether the rows scored hold any of it
     * @param rocAuc   true for the ROC AUC, false for the average precision
     * @param positive the positive class of two; unused for more
     * @return the needed classes without rows, in class order; empty where the figure is defined
     */
    static List<Integer> missingClasses(boolean[] present, boolean rocAuc, int positive) {
        List<Integer> missing = new ArrayList<>();
        for (int c = 0; c < present.length; c++) {
            boolean needed = present.length > 2 || rocAuc || c == positive;
            if (needed && !present[c]) {
                missing.add(c);
            }
        }
        return missing;
    }

    /** The names of {@code classes}, in their order. */
    static List<String> names(List<Integer> classes, String[] classNames) {
        List<String> names = new ArrayList<>(classes.size());
        for (int c : classes) {
            names.add(classNames[c]);
        }
        return names;
    }

    private static RankingFigures twoClasses(Predictions predictions, String[] classNames, String rows, int positive,
                                             List<String> absent, boolean apDefined) {
        Double auc = absent.isEmpty() ? predictions.rocAuc().forClass(positive) : null;
        // The positive class's precision-recall curve needs its rows only; with no negatives every threshold is
        // precise, and its area is 1, as scikit-learn's.
        Double ap = apDefined ? predictions.precisionRecallCurve(positive).averagePrecision() : null;
        String aucText = auc != null ? "ROC AUC " + Fixed.four(auc)
                : "no ROC AUC (" + NameLists.abbreviate(absent) + (absent.size() == 1 ? " has" : " have") + " no "
                + rows + "; scikit-learn's roc_auc_score refuses one class)";
        String apText = ap != null ? Fixed.format("average precision %.4f (positive class \"%s\")", ap,
                classNames[positive]) : "no average precision (the positive class, \"" + classNames[positive]
                + "\", has no " + rows + ")";
        return new RankingFigures(auc, null, ap, positive, aucText + ", " + apText);
    }
}
