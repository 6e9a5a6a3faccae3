package dev.nnj.api.metrics;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Arrays;

/**
 * A model's outputs on a data set with the predicted and true class of every row, from which the
 * {@link ClassificationReport}, {@link ConfusionMatrix} and {@link TopKAccuracy} follow, and, from the outputs
 * themselves, the probability and ranking metrics: {@link #logLoss() log loss}, {@link #rocAuc() ROC AUC} and
 * {@link #averagePrecision() average precision}. Each is scikit-learn's on the same labels and scores.
 *
 * <p>The predicted class is the arg-max of the output row (the first maximum), or, for a model with one
 * output (a sigmoid for two classes), 1 when the output is above 0.5 and 0 otherwise (scikit-learn's and
 * Keras' threshold: a sigmoid of exactly 0.5 is class 0, as a two-column tie is) — the rule
 * {@link Sequential#evaluate} counts accuracy with. The true class is the data set's label when it has labels,
 * else that of its one-hot target row (or 0/1 target); a {@link Dataset} checks when it is made that its labels
 * name the classes of its target rows, so both readings agree, and this report's accuracy is
 * {@code evaluate}'s. Data whose targets are not classes ({@link Dataset#hasClassTargets} false, a
 * regression's) has no true class, and is refused.
 *
 * <p><b>Sample weights.</b> {@link #withSampleWeights(double[])} gives the same predictions with a weight per row;
 * every metric of those is then weighted, each equal to scikit-learn's with {@code sample_weight=w}:
 * <pre>{@code
 * Predictions p = Predictions.of(model, test).withSampleWeights(testWeights);
 * System.out.println(p.report());        // classification_report(y, y_pred, sample_weight=w)
 * double auc = p.rocAuc().score();       // roc_auc_score(y, scores, sample_weight=w)
 * }</pre>
 */
public final class Predictions {
    /** Rows per forward pass when a report runs the model over a whole data set. */
    static final int BATCH_ROWS = 1024;

    private final float[] scores;
    private final int outputs;
    private final int[] predicted;
    private final int[] actual;
    private final int classes;
    /** One weight per row, or null for none. */
    private final double[] weights;

    private Predictions(float[] scores, int outputs, int[] predicted, int[] actual, int classes, double[] weights) {
        this.scores = scores;
        this.outputs = outputs;
        this.predicted = predicted;
        this.actual = actual;
        this.classes = classes;
        this.weights = weights;
    }

    /**
     * Runs {@code model} on every row of {@code data}, 1024 rows at a time. The features must be scaled as in
     * training; for a model loaded with its preprocessing, use {@link #of(SavedModel, Dataset)}.
     *
     * @param model a trained model whose output width is the data set's target count
     * @param data  the rows to predict
     * @return the predictions
     * @throws IllegalArgumentException when the data set's targets are not classes, naming the first row, the widths
     *         do not match, or an output is not finite
     */
    public static Predictions of(Sequential model, Dataset data) {
        return of(model, data, BATCH_ROWS);
    }

    /**
     * Runs {@code model} on every row of {@code data}, {@code batchSize} rows at a time.
     *
     * @param model     a trained model whose output width is the data set's target count
     * @param data      the rows to predict
     * @param batchSize rows per forward pass (≥ 1)
     * @return the predictions
     * @throws IllegalArgumentException when the data set's targets are not classes, naming the first row, the widths
     *         do not match, or an output is not finite
     */
    public static Predictions of(Sequential model, Dataset data, int batchSize) {
        Checks.requireNonNull("Predictions.of", "model", model);
        Checks.requireNonNull("Predictions.of", "data", data);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        requireClassesFor(model, data);
        return fromScores(outputs(model, data, batchSize), model.outputWidth(), data);
    }

    /**
     * Runs a saved model ({@link SavedModel#predict}: its saved scaler first) on every row of {@code rawData}, whose
     * features are as they were before scaling. ({@code of(saved.model(), rawData)} would feed raw features to a
     * model trained on scaled ones.)
     *
     * @param saved   a loaded classifier whose output width is the data set's target count
     * @param rawData the rows to predict, unscaled
     * @return the predictions
     * @throws IllegalArgumentException when the model's outputs are not classes ({@link SavedModel#whyNotAClassifier})
     *         or the data set's targets are not, naming the first row, or the widths do not match
     */
    public static Predictions of(SavedModel saved, Dataset rawData) {
        Checks.requireNonNull("Predictions.of", "saved", saved);
        Checks.requireNonNull("Predictions.of", "rawData", rawData);
        String why = saved.whyNotAClassifier();
        if (why != null) {
            throw new IllegalArgumentException("Predictions.of: the model " + why);
        }
        requireClassesFor(saved.model(), rawData);
        return fromScores(saved.predict(rawData.features(), rawData.size()), saved.model().outputWidth(), rawData);
    }

    /** Refuses an empty data set, targets that are not classes, and widths other than the model's. */
    private static void requireClassesFor(Sequential model, Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("data set is empty");
        }
        if (!data.hasClassTargets()) {
            int row = DataChecks.firstNonClassRow(data.targets(), data.targetCount());
            throw new IllegalArgumentException("classification metrics need class targets, but target row " + row
                    + " is " + DataChecks.describeRow(data.targets(), row, data.targetCount())
                    + " and the data set has no labels (classes are one-hot rows, 0/1 values or labelled rows); for "
                    + "a regression's real-valued targets use RegressionReport.of(model, data)");
        }
        if (data.featureCount() != model.inputWidth() || data.targetCount() != model.outputWidth()) {
            throw new IllegalArgumentException("data set has " + data.featureCount() + " features and "
                    + data.targetCount() + " targets; the model takes " + model.inputWidth() + " and gives "
                    + model.outputWidth());
        }
    }

    /** The predictions of {@code scores}, {@code out} per row, against {@code data}'s classes. */
    private static Predictions fromScores(float[] scores, int out, Dataset data) {
        int n = data.size();
        // Finite inputs can still overflow inside a network (a NaN from ∞ − ∞): such a row has no class.
        DataChecks.requireFinite("Predictions.of: the model's outputs", scores, out);
        int[] predicted = DataChecks.classesOfRows(scores, out);
        int[] actual = data.hasLabels() ? data.labels().clone() : DataChecks.classesOfRows(data.targets(), out);
        int classes = DataChecks.classCount(out);
        if (data.hasLabels()) {
            for (int i = 0; i < n; i++) {
                if (actual[i] < 0 || actual[i] >= classes) {
                    throw new IllegalArgumentException("label " + actual[i] + " of row " + i
                            + " is not a class of a model with " + out + " outputs");
                }
            }
        }
        return new Predictions(scores, out, predicted, actual, classes, null);
    }

    /**
     * Predictions from outputs computed elsewhere (another framework's, or saved ones), with the rules of
     * {@link #of(Sequential, Dataset)}: the predicted class is the arg-max of each row, or, for one output, 1 above
     * 0.5.
     *
     * @param scores     {@code (rows, outputs)} row-major model outputs, finite; copied
     * @param outputs    output columns: 1 (a sigmoid's class-1 probability) or one per class
     * @param trueLabels the true class of each row, in {@code [0, max(outputs, 2))}; copied
     * @return the predictions
     * @throws IllegalArgumentException if the lengths disagree or are empty, a score is NaN or infinite (an
     *         {@link dev.nnj.api.data.InvalidDataException} naming the first), or a label is not a class
     */
    public static Predictions of(float[] scores, int outputs, int[] trueLabels) {
        Checks.requireNonNull("Predictions.of", "scores", scores);
        Checks.requireNonNull("Predictions.of", "trueLabels", trueLabels);
        if (outputs < 1) {
            throw new IllegalArgumentException("Predictions.of: outputs must be at least 1, got " + outputs);
        }
        int n = trueLabels.length;
        if (n == 0 || scores.length != n * outputs) {
            throw new IllegalArgumentException("Predictions.of: " + scores.length + " scores are not " + n
                    + " non-empty rows of " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        // A NaN row would be class 0 (no column beats the first), counted right or wrong without a word.
        DataChecks.requireFinite("Predictions.of: scores", scores, outputs);
        int classes = DataChecks.classCount(outputs);
        for (int i = 0; i < n; i++) {
            if (trueLabels[i] < 0 || trueLabels[i] >= classes) {
                throw new IllegalArgumentException("Predictions.of: label " + trueLabels[i] + " of row " + i
                        + " is not a class of a model with " + outputs + " output" + (outputs == 1 ? "" : "s"));
            }
        }
        return new Predictions(scores.clone(), outputs, DataChecks.classesOfRows(scores, outputs),
                trueLabels.clone(), classes, null);
    }

    /**
     * These predictions with a weight per row: every metric of the result ({@link #report()},
     * {@link #confusionMatrix()}, {@link #balancedAccuracy()}, {@link #logLoss()}, {@link #rocAuc()},
     * {@link #averagePrecision()}, {@link #topKAccuracy(int)}) weighs each row by its weight, as scikit-learn's
     * metrics do given {@code sample_weight=w}. Weights of 1 give the unweighted figures, to the bit (the report
     * then prints its supports as floats, {@code 12.0}, as scikit-learn does whenever it has weights).
     *
     * @param sampleWeights one weight per row, in row order, finite, ≥ 0 and not all 0 (copied); null for none
     * @return new predictions with these weights (this object is unchanged)
     * @throws IllegalArgumentException if the weights are not one per row, or one is negative or not finite, or
     *         all are 0, naming the length or the row
     */
    public Predictions withSampleWeights(double[] sampleWeights) {
        double[] w = SampleWeights.check("Predictions.withSampleWeights", sampleWeights, actual.length);
        return new Predictions(scores, outputs, predicted, actual, classes, w == null ? null : w.clone());
    }

    /**
     * These predictions with a weight per row, as {@link #withSampleWeights(double[])}; takes the {@code float[]}
     * of {@code Trainer.Builder.sampleWeights} (each widened exactly to a double).
     *
     * @param sampleWeights one weight per row, in row order, finite, ≥ 0 and not all 0; null for none
     * @return new predictions with these weights
     * @throws IllegalArgumentException as {@link #withSampleWeights(double[])}
     */
    public Predictions withSampleWeights(float[] sampleWeights) {
        return withSampleWeights(SampleWeights.widen(sampleWeights));
    }

    /**
     * These predictions with each row's class decided at {@code threshold} on class 1's score: class 1 where its
     * probability (a sigmoid's one output, or column 1 of two) is at least the threshold, class 0 below, as the
     * thresholds of {@link #rocCurve()} and {@link #precisionRecallCurve()} count a row ({@code s ≥ t}), and as
     * scikit-learn's {@code (proba[:, 1] >= t).astype(int)}. To trade precision for recall, pick a threshold from a
     * curve and score it here: {@link #report()}, {@link #confusionMatrix()} and {@link #balancedAccuracy()} follow
     * it, while the figures of the scores alone ({@link #logLoss()}, {@link #rocAuc()}, {@link #averagePrecision()},
     * {@link #topKAccuracy(int)}) do not change. (Without a threshold a single output is class 1 above 0.5, and two
     * outputs take the larger: a score of exactly 0.5 is class 0 there and class 1 at {@code withThreshold(0.5)}.)
     *
     * @param threshold class 1's lowest score; any number but NaN ({@code +∞}: no row is class 1)
     * @return new predictions with these classes, and this object's weights (this object is unchanged)
     * @throws IllegalArgumentException for more than two classes (no one score to threshold), or a NaN threshold
     */
    public Predictions withThreshold(double threshold) {
        if (classes != 2) {
            throw new IllegalArgumentException("Predictions.withThreshold: the predictions have " + classes
                    + " classes; a threshold decides between two, on class 1's score (for several, see rocCurve(k) "
                    + "and precisionRecallCurve(k), class k against the rest)");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("Predictions.withThreshold: the threshold is NaN");
        }
        int[] decided = new int[actual.length];
        for (int i = 0; i < decided.length; i++) {
            decided[i] = DataChecks.classProbability(scores, i, outputs, 1) >= threshold ? 1 : 0;
        }
        return new Predictions(scores, outputs, decided, actual, classes, weights);
    }

    /**
     * Whether the metrics weigh the rows ({@link #withSampleWeights(double[])}).
     *
     * @return true with sample weights
     */
    public boolean hasSampleWeights() {
        return weights != null;
    }

    /**
     * The weight of every row: those given to {@link #withSampleWeights(double[])}, or all 1 without.
     *
     * @return a copy, one entry per row
     */
    public double[] sampleWeights() {
        if (weights != null) {
            return weights.clone();
        }
        double[] ones = new double[actual.length];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    /**
     * The model's outputs for every row of {@code data}, {@code batchSize} rows per forward pass; the caller has
     * checked the widths.
     */
    static float[] outputs(Sequential model, Dataset data, int batchSize) {
        int n = data.size();
        int in = data.featureCount();
        int out = model.outputWidth();
        float[] outputs = new float[n * out];
        for (int from = 0; from < n; from += batchSize) {
            int rows = Math.min(batchSize, n - from);
            float[] batch = Arrays.copyOfRange(data.features(), from * in, (from + rows) * in);
            System.arraycopy(model.predict(batch, rows), 0, outputs, from * out, rows * out);
        }
        return outputs;
    }

    /**
     * Number of classes: the model's outputs, or 2 for a single output.
     *
     * @return the class count
     */
    public int classes() {
        return classes;
    }

    /**
     * The predicted class of every row.
     *
     * @return a copy, one entry per row
     */
    public int[] predictedLabels() {
        return predicted.clone();
    }

    /**
     * The true class of every row.
     *
     * @return a copy, one entry per row
     */
    public int[] trueLabels() {
        return actual.clone();
    }

    /**
     * The model's outputs.
     *
     * @return a copy, {@code (rows, outputs)} row-major
     */
    public float[] scores() {
        return scores.clone();
    }

    /**
     * Precision, recall, F1 and support per class with their averages.
     *
     * @return the report
     */
    public ClassificationReport report() {
        return ClassificationReport.of(actual, predicted, classes, weights);
    }

    /**
     * The mean recall of the classes in the true labels, scikit-learn's {@code balanced_accuracy_score}; see
     * {@link ClassificationReport#balancedAccuracy()}.
     *
     * @return balanced accuracy in [0, 1]
     */
    public double balancedAccuracy() {
        return report().balancedAccuracy();
    }

    /**
     * The log loss of the outputs read as class probabilities, clipped as scikit-learn's {@code log_loss} clips
     * float64 probabilities ({@link LogLoss#FLOAT64_EPS}, 2⁻⁵²). It differs from {@code Sequential.evaluate}'s
     * loss where a true class's probability is below that; see {@link LogLoss}.
     *
     * @return the mean log loss
     * @throws IllegalArgumentException if an output is not finite
     */
    public double logLoss() {
        return LogLoss.of(scores, outputs, actual, weights);
    }

    /**
     * The log loss with probabilities clipped to {@code [eps, 1 − eps]}; see {@link LogLoss}.
     *
     * @param eps the clipping, in {@code [0, 0.5)}: {@link LogLoss#FLOAT64_EPS} or {@link LogLoss#FLOAT32_EPS}
     *            for scikit-learn's on float64 or float32 probabilities, 0 for none
     * @return the mean log loss
     * @throws IllegalArgumentException if {@code eps} is outside {@code [0, 0.5)} or an output is not finite
     */
    public double logLoss(double eps) {
        return LogLoss.of(scores, outputs, actual, eps, weights);
    }

    /**
     * The area under the ROC curve: binary for two classes, one-vs-rest for more ({@link RocAuc#score()},
     * {@link RocAuc#macroAverage()}, {@link RocAuc#weightedAverage()}).
     *
     * @return the AUCs
     * @throws IllegalArgumentException if a class has no row in the true labels (scikit-learn raises too), or, with
     *         sample weights, its rows all weigh 0
     */
    public RocAuc rocAuc() {
        return RocAuc.of(scores, outputs, actual, weights);
    }

    /**
     * The ROC curve of a binary classifier (two classes; with sample weights, weighted): {@link RocCurve}.
     *
     * @return the curve
     * @throws IllegalArgumentException for more than two classes, or a class without rows
     */
    public RocCurve rocCurve() {
        return RocCurve.of(scores, outputs, actual, weights);
    }

    /**
     * The ROC curve with class {@code positive} as the positive one (scikit-learn's {@code pos_label}): class 1's is
     * {@link #rocCurve()}; class 0's ranks the rows by its own score, {@code 1 − p} or column 0.
     *
     * @param positive 0 or 1
     * @return the curve
     * @throws IllegalArgumentException for more than two classes, a class without rows, or another {@code positive}
     */
    public RocCurve rocCurve(int positive) {
        return positive == 1 ? rocCurve() : swapped(positive).rocCurve();
    }

    /**
     * The precision-recall curve of a binary classifier (two classes; with sample weights, weighted):
     * {@link PrecisionRecallCurve}, whose step-wise area is {@link #averagePrecision()}'s score.
     *
     * @return the curve
     * @throws IllegalArgumentException for more than two classes, or no row of class 1
     */
    public PrecisionRecallCurve precisionRecallCurve() {
        return PrecisionRecallCurve.of(scores, outputs, actual, weights);
    }

    /**
     * The precision-recall curve with class {@code positive} as the positive one (scikit-learn's {@code pos_label}),
     * whose step-wise area is {@code averagePrecision().forClass(positive)}.
     *
     * @param positive 0 or 1
     * @return the curve
     * @throws IllegalArgumentException for more than two classes, no row of that class, or another {@code positive}
     */
    public PrecisionRecallCurve precisionRecallCurve(int positive) {
        return positive == 1 ? precisionRecallCurve() : swapped(positive).precisionRecallCurve();
    }

    /**
     * These two-class predictions with the classes' places swapped, so that class 0's scores are class 1's: one
     * output {@code p} becomes {@code 1 − p}, two outputs trade columns. For the curves of class 0.
     */
    private Predictions swapped(int positive) {
        if (classes != 2 || positive != 0) {
            throw new IllegalArgumentException("positive must be 0 or 1 of a two-class classifier's classes, got "
                    + positive + " of " + classes + " classes");
        }
        float[] s = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            s[i] = outputs == 1 ? 1f - scores[i] : scores[i ^ 1];   // the row's other column: 2i+1 <-> 2i
        }
        int[] p = new int[predicted.length];
        int[] a = new int[actual.length];
        for (int i = 0; i < a.length; i++) {
            p[i] = 1 - predicted[i];
            a[i] = 1 - actual[i];
        }
        return new Predictions(s, outputs, p, a, classes, weights);
    }

    /**
     * Average precision (the area under the precision-recall curve, step-wise), per class against the rest.
     *
     * @return the average precisions
     * @throws IllegalArgumentException if a class has no row in the true labels
     */
    public AveragePrecision averagePrecision() {
        return AveragePrecision.of(scores, outputs, actual, weights);
    }

    /**
     * Counts of (true, predicted) class pairs.
     *
     * @return the matrix
     */
    public ConfusionMatrix confusionMatrix() {
        return ConfusionMatrix.of(actual, predicted, classes, weights);
    }

    /**
     * Fraction of rows (with sample weights, of their total weight) whose true class is among the {@code k} highest
     * outputs: {@link TopKAccuracy}, scikit-learn's {@code top_k_accuracy_score}, for three classes or more. A binary
     * classifier (one sigmoid output, or two columns, for which scikit-learn refuses top-k) has two classes: its
     * top-1 accuracy is its accuracy (at the arg-max, whatever {@link #withThreshold} decides), a tie (0.5 and 0.5)
     * being class 0 as the arg-max reads it, and any
     * {@code k ≥ 2} counts every row. (Through {@code TopKAccuracy}, a two-column tie would rank class 1 first, as
     * scikit-learn's stable sort reversed does for more classes, and top-1 would differ from the accuracy.)
     *
     * @param k how many classes count (≥ 1)
     * @return the top-k accuracy
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public double topKAccuracy(int k) {
        if (outputs <= 2) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (k >= 2) {
                return 1.0;
            }
            double hits = 0;
            double total = 0;
            for (int i = 0; i < actual.length; i++) {
                double w = SampleWeights.of(weights, i);
                // The scores' own top class, not a withThreshold decision: top-k ranks the scores.
                hits += DataChecks.classOfRow(scores, i, outputs) == actual[i] ? w : 0;
                total += w;
            }
            return hits / total;
        }
        return TopKAccuracy.of(scores, outputs, actual, k, weights);
    }

    /** The rows and classes, and whether rows are weighted: {@code Predictions[360 rows, 10 classes]}. */
    @Override
    public String toString() {
        return "Predictions[" + actual.length + (actual.length == 1 ? " row, " : " rows, ") + classes + " classes"
                + (weights != null ? ", weighted" : "") + "]";
    }
}
