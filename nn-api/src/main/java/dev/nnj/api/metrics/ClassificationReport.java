package dev.nnj.api.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-class precision, recall, F1 and support, their macro and support-weighted averages, and accuracy: what
 * scikit-learn's {@code classification_report(y_true, y_pred, zero_division=0)} computes, and
 * {@link #toString()} prints it in the same layout:
 * <pre>
 *               precision    recall  f1-score   support
 *
 *            0       1.00      0.97      0.99        33
 *            1       0.97      1.00      0.98        28
 *   ...
 *     accuracy                           0.97       360
 *    macro avg       0.97      0.97      0.97       360
 * weighted avg       0.97      0.97      0.97       360
 * </pre>
 * For class {@code c}, with {@code TP} the samples of class {@code c} predicted as {@code c}, {@code FP} the
 * others predicted as {@code c} and {@code FN} the samples of {@code c} predicted as something else:
 * <pre>
 *   precision = TP / (TP + FP)      recall = TP / (TP + FN)      F1 = 2 · precision · recall / (precision + recall)
 *   macro avg = Σ_{c ∈ R} score_c / |R|                  weighted avg = Σ_{c ∈ R} support_c · score_c / N
 *   accuracy  = Σ_c TP_c / N
 * </pre>
 * with {@code N} the number of samples and {@code R} the reported classes below. A ratio with a zero denominator
 * is 0 ({@code zero_division=0}).
 * <p>
 * <b>Reported classes.</b> As with scikit-learn's default {@code labels=None}, {@code R} is the classes that
 * occur in the true or the predicted labels, ascending ({@link #reportedClasses()}). A class in neither, say
 * one whose only rows went to the training split, gets no row and does not drag the macro average toward 0.
 * A class predicted but absent from the true labels keeps its row, with support 0 and recall 0. The weighted
 * average and accuracy are the same either way, an omitted class having no support.
 * <p>
 * Class names, as given to {@link #of(int[], int[], List)}, name every class by index; they do not choose
 * the rows, and the names of unreported classes are not printed. (scikit-learn instead refuses
 * {@code target_names} longer than the classes that occur unless {@code labels=} lists them.) There is no
 * counterpart of an explicit {@code labels=}: it would add rows of zeros to the report, and the macro average
 * would count them.
 * <p>
 * <b>Sample weights.</b> Made with {@code sampleWeights} ({@link #of(int[], int[], int, double[])}), every count
 * above becomes the sum of its samples' weights {@code w_s}: {@code TP_c = Σ_{s : y_s = ŷ_s = c} w_s}, support
 * {@code support_c = Σ_{s : y_s = c} w_s}, {@code N = Σ_s w_s}, and accuracy {@code Σ_{s : y_s = ŷ_s} w_s / N},
 * as scikit-learn's {@code classification_report(..., sample_weight=w)}. The reported classes are still those of
 * the labels, so a class whose samples all weigh 0 keeps its row with support 0 and counts 0 in the macro average,
 * as in scikit-learn. The text prints each support as scikit-learn does with weights, a Python float
 * ({@code 12.0}, {@code 6.900000000000001}); {@link ClassScores#support()} stays the number of samples and
 * {@link ClassScores#weightedSupport()} is the sum of their weights. Weights of 1 give the unweighted scores, to
 * the bit; only the printed supports differ ({@code 12.0} for {@code 12}), as scikit-learn's do.
 * Math: {@code docs/math.md#9-classification-metrics}.
 */
public final class ClassificationReport {
    private static final String[] HEADERS = {"precision", "recall", "f1-score", "support"};
    private static final String LONGEST_AVERAGE = "weighted avg";

    private final ConfusionMatrix matrix;
    private final List<String> classNames;
    private final ClassScores[] perClass;
    /** The classes with a row: those in the true or predicted labels, ascending. */
    private final int[] reported;
    private final ClassScores macro;
    private final ClassScores weighted;
    private final double accuracy;
    private final double balancedAccuracy;

    private ClassificationReport(ConfusionMatrix matrix, List<String> classNames) {
        this.matrix = matrix;
        this.classNames = List.copyOf(classNames);
        int k = matrix.classes();
        perClass = new ClassScores[k];
        int[] present = new int[k];
        int reportedCount = 0;
        double[] supports = new double[k];   // Σ w of each reported class's true samples, for numpy's sum
        for (int c = 0; c < k; c++) {
            // scikit-learn's multilabel_confusion_matrix: TP, and FP, FN as differences of bincounts, then
            // TP + FP and TP + FN (not always the bincounts themselves once weights are fractions).
            double tp = matrix.weight(c, c);
            double trueSum = tp + (matrix.supportWeight(c) - tp);
            double predictedSum = tp + (matrix.predictedWeight(c) - tp);
            double precision = ratio(tp, predictedSum);
            double recall = ratio(tp, trueSum);
            double denominator = precision + recall;
            // scikit-learn's order of operations, (1 + β²) · p · r / (β² · p + r) with β = 1, for equal bits.
            double f1 = denominator == 0 ? 0 : 2 * precision * recall / denominator;
            perClass[c] = new ClassScores(precision, recall, f1, matrix.support(c), trueSum);
            if (matrix.support(c) == 0 && matrix.predicted(c) == 0) {
                continue;   // in neither label list: scikit-learn's labels=None leaves it out of rows and averages
            }
            supports[reportedCount] = trueSum;
            present[reportedCount++] = c;
        }
        reported = Arrays.copyOf(present, reportedCount);
        double[] sums = new double[3];
        double[] weightedSums = new double[3];
        for (int c : reported) {
            ClassScores s = perClass[c];
            sums[0] += s.precision();
            sums[1] += s.recall();
            sums[2] += s.f1();
            weightedSums[0] += s.precision() * s.weightedSupport();
            weightedSums[1] += s.recall() * s.weightedSupport();
            weightedSums[2] += s.f1() * s.weightedSupport();
        }
        // At least one class is reported: ConfusionMatrix rejects an empty sample, and each sample has a class.
        int n = matrix.total();
        // What the report prints as the averages' support: numpy's sum of the reported classes' (weighted) supports.
        double w = SampleWeights.numpySum(supports, 0, reportedCount);
        macro = new ClassScores(sums[0] / reportedCount, sums[1] / reportedCount, sums[2] / reportedCount, n, w);
        weighted = new ClassScores(weightedSums[0] / w, weightedSums[1] / w, weightedSums[2] / w, n, w);
        double correct = 0;
        for (int c = 0; c < k; c++) {
            correct += matrix.weight(c, c);
        }
        accuracy = correct / matrix.totalWeight();
        double recalls = 0;
        int withSupport = 0;
        for (int c = 0; c < k; c++) {
            if (perClass[c].weightedSupport() > 0) {
                recalls += perClass[c].recall();
                withSupport++;
            }
        }
        balancedAccuracy = recalls / withSupport;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    /**
     * The report of predictions over classes named {@code "0"}, {@code "1"}, …; rows for the classes that occur
     * in either label array.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classes)}
     * @param predictedLabels the predicted class of each sample, as many
     * @param classes         number of classes
     * @return the report
     */
    public static ClassificationReport of(int[] trueLabels, int[] predictedLabels, int classes) {
        return new ClassificationReport(ConfusionMatrix.of(trueLabels, predictedLabels, classes), numbered(classes));
    }

    /** The names "0", "1", … of {@code classes} classes. */
    private static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>(Math.max(classes, 0));
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    /**
     * The report of predictions whose samples weigh {@code sampleWeights}: scikit-learn's
     * {@code classification_report(y_true, y_pred, sample_weight=w, zero_division=0)}; see the class comment.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classes)}
     * @param predictedLabels the predicted class of each sample, as many
     * @param classes         number of classes
     * @param sampleWeights   one weight per sample, finite, ≥ 0 and not all 0; null for none
     * @return the report
     * @throws IllegalArgumentException if the labels are not classes or the weights are not one finite weight ≥ 0
     *         per sample, not all 0, naming the length or the sample
     */
    public static ClassificationReport of(int[] trueLabels, int[] predictedLabels, int classes,
            double[] sampleWeights) {
        ConfusionMatrix.checkLabels(trueLabels, predictedLabels, classes);
        SampleWeights.check("ClassificationReport.of", sampleWeights, trueLabels.length);
        return new ClassificationReport(ConfusionMatrix.of(trueLabels, predictedLabels, classes, sampleWeights),
                numbered(classes));
    }

    /**
     * The report of predictions over named classes ({@code target_names}) whose samples weigh
     * {@code sampleWeights}; see {@link #of(int[], int[], List)} and {@link #of(int[], int[], int, double[])}.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classNames.size())}
     * @param predictedLabels the predicted class of each sample, as many
     * @param classNames      one name per class, in class order
     * @param sampleWeights   one weight per sample, finite, ≥ 0 and not all 0; null for none
     * @return the report
     * @throws IllegalArgumentException as {@link #of(int[], int[], int, double[])}
     */
    public static ClassificationReport of(int[] trueLabels, int[] predictedLabels, List<String> classNames,
            double[] sampleWeights) {
        ConfusionMatrix.checkLabels(trueLabels, predictedLabels, classNames.size());
        SampleWeights.check("ClassificationReport.of", sampleWeights, trueLabels.length);
        return new ClassificationReport(ConfusionMatrix.of(trueLabels, predictedLabels, classNames.size(),
                sampleWeights), classNames);
    }

    /**
     * The report of predictions over named classes ({@code target_names}); rows for the classes that occur in
     * either label array, each under its name. A name whose class occurs in neither is not printed.
     *
     * @param trueLabels      the true class of each sample, in {@code [0, classNames.size())}
     * @param predictedLabels the predicted class of each sample, as many
     * @param classNames      one name per class, in class order: all the model's classes, not only those that
     *                        occur
     * @return the report
     */
    public static ClassificationReport of(int[] trueLabels, int[] predictedLabels, List<String> classNames) {
        return new ClassificationReport(ConfusionMatrix.of(trueLabels, predictedLabels, classNames.size()),
                classNames);
    }

    /**
     * Scores of class {@code c}. A class that is not {@linkplain #reportedClasses() reported} (it occurs in
     * neither label array) has all zeros, support included, and counts in no average.
     *
     * @param c a class in {@code [0, classes())}
     * @return its precision, recall, F1 and support
     */
    public ClassScores forClass(int c) {
        if (c < 0 || c >= perClass.length) {
            throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + perClass.length + ")");
        }
        return perClass[c];
    }

    /**
     * Unweighted mean over the {@linkplain #reportedClasses() reported} classes ({@code macro avg}); support is
     * the number of samples (and the weighted support their total weight).
     *
     * @return the averages
     */
    public ClassScores macroAverage() {
        return macro;
    }

    /**
     * Mean over the {@linkplain #reportedClasses() reported} classes weighted by support ({@code weighted avg}), the
     * weighted support when the report has sample weights; support is the number of samples (and the weighted
     * support their total weight).
     *
     * @return the averages
     */
    public ClassScores weightedAverage() {
        return weighted;
    }

    /**
     * Fraction of samples predicted correctly: with sample weights, the fraction of the total weight,
     * scikit-learn's {@code accuracy_score(y_true, y_pred, sample_weight=w)}.
     *
     * @return accuracy in [0, 1]
     */
    public double accuracy() {
        return accuracy;
    }

    /**
     * The mean of the recalls of the classes that occur in the true labels, scikit-learn's
     * {@code balanced_accuracy_score(y_true, y_pred)}:
     * <pre>
     *   balanced accuracy = Σ_{c : support_c &gt; 0} recall_c / |{c : support_c &gt; 0}|
     * </pre>
     * Each class counts equally however many rows it has, so a model that always predicts the majority class of
     * {@code K} classes scores {@code 1/K}, where its accuracy is the majority's share. A class predicted but
     * absent from the true labels has no recall and is left out (scikit-learn warns "y_pred contains classes not
     * in y_true" and leaves it out too); this is why the figure can differ from the macro-average recall, which
     * counts such a class as 0.
     * <p>With sample weights the recalls are weighted ones, and a class whose true samples all weigh 0 is left out
     * too, as {@code balanced_accuracy_score(y_true, y_pred, sample_weight=w)} leaves out its 0/0 recall.
     *
     * @return balanced accuracy in [0, 1]
     */
    public double balancedAccuracy() {
        return balancedAccuracy;
    }

    /**
     * The confusion matrix the report was computed from; {@code confusionMatrix().counts()} is the
     * {@code int[][]}.
     *
     * @return the matrix
     */
    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    /**
     * Number of classes, reported or not: the side of the {@link #confusionMatrix()}.
     *
     * @return the class count
     */
    public int classes() {
        return perClass.length;
    }

    /**
     * The classes with a row in the report and a share in its averages: those that occur in the true or the
     * predicted labels, ascending (scikit-learn's {@code unique_labels(y_true, y_pred)}).
     *
     * @return a copy of the class indices, at least one
     */
    public int[] reportedClasses() {
        return reported.clone();
    }

    /**
     * The name of every class, reported or not; the report prints those of {@link #reportedClasses()}.
     *
     * @return one name per class, in class order
     */
    public List<String> classNames() {
        return classNames;
    }

    /** The report with two decimals, as {@code classification_report(..., digits=2)} prints it. */
    @Override
    public String toString() {
        return format(2);
    }

    /**
     * The text report, character for character what scikit-learn's {@code classification_report} prints with
     * {@code digits} decimals (numbers rounded half-to-even on their exact binary value, as Python does).
     *
     * <p>One difference, on purpose: class names are padded to the columns they fill on a terminal
     * (East Asian wide characters and most emoji two columns, combining marks none), so that names in Chinese,
     * Japanese or Korean, with emoji or with combining accents line up with the others; scikit-learn pads by code
     * points and misaligns them. Other names are padded alike.
     *
     * @param digits decimals of the scores (≥ 0)
     * @return the report, ending in a newline
     */
    public String format(int digits) {
        if (digits < 0) {
            throw new IllegalArgumentException("digits must be >= 0, got " + digits);
        }
        int width = Math.max(LONGEST_AVERAGE.length(), digits);
        // scikit-learn sizes the name column to the names it prints, so an omitted class's long name does not widen it.
        for (int c : reported) {
            width = Math.max(width, TerminalWidth.of(classNames.get(c)));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(padLeft("", width)).append(' ');
        for (String h : HEADERS) {
            sb.append(' ').append(padLeft(h, 9));
        }
        sb.append("\n\n");
        for (int c : reported) {
            row(sb, classNames.get(c), perClass[c], width, digits);
        }
        sb.append('\n');
        sb.append(padLeft("accuracy", width)).append(' ')
                .append(' ').append(padLeft("", 9))
                .append(' ').append(padLeft("", 9))
                .append(' ').append(padLeft(fixed(accuracy, digits), 9))
                .append(' ').append(padLeft(support(macro), 9)).append('\n');
        row(sb, "macro avg", macro, width, digits);
        row(sb, LONGEST_AVERAGE, weighted, width, digits);
        return sb.toString();
    }

    /** The support column: a count, or with weights the sum of weights as Python prints a float ("12.0"). */
    private String support(ClassScores s) {
        return matrix.isWeighted() ? SampleWeights.pythonRepr(s.weightedSupport()) : Integer.toString(s.support());
    }

    private void row(StringBuilder sb, String name, ClassScores s, int width, int digits) {
        sb.append(padLeft(name, width)).append(' ')
                .append(' ').append(padLeft(fixed(s.precision(), digits), 9))
                .append(' ').append(padLeft(fixed(s.recall(), digits), 9))
                .append(' ').append(padLeft(fixed(s.f1(), digits), 9))
                .append(' ').append(padLeft(support(s), 9)).append('\n');
    }

    /** Python's {@code format(x, '.{digits}f')}: the exact binary value rounded half to even. */
    static String fixed(double x, int digits) {
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code s} right-aligned in {@code width} terminal columns ({@link TerminalWidth}), as Python's {@code >}. */
    private static String padLeft(String s, int width) {
        int columns = TerminalWidth.of(s);
        return columns >= width ? s : " ".repeat(width - columns) + s;
    }
}
