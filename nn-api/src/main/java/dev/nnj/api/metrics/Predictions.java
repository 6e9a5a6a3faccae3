package dev.nnj.api.metrics;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Arrays;

/**
 * A model's outputs on a data set with the predicted and true class of every row, from which the
 * {@link ClassificationReport}, {@link ConfusionMatrix} and {@link TopKAccuracy} follow.
 *
 * <p>The predicted class is the arg-max of the output row (the first maximum), or, for a model with one
 * output (a sigmoid for two classes), 1 when the output is at least 0.5 and 0 otherwise — the rule
 * {@link Sequential#evaluate} counts accuracy with. The true class is the data set's label when it has labels,
 * else that of its one-hot target row (or 0/1 target); a {@link Dataset} checks when it is made that its labels
 * name the classes of its target rows, so both readings agree, and this report's accuracy is
 * {@code evaluate}'s. Data whose targets are not classes ({@link Dataset#hasClassTargets} false, a
 * regression's) has no true class, and is refused.
 */
public final class Predictions {
    /** Rows per forward pass when a report runs the model over a whole data set. */
    static final int BATCH_ROWS = 1024;

    private final float[] scores;
    private final int outputs;
    private final int[] predicted;
    private final int[] actual;
    private final int classes;

    private Predictions(float[] scores, int outputs, int[] predicted, int[] actual, int classes) {
        this.scores = scores;
        this.outputs = outputs;
        this.predicted = predicted;
        this.actual = actual;
        this.classes = classes;
    }

    /**
     * Runs {@code model} on every row of {@code data}, 1024 rows at a time.
     *
     * @param model a trained model whose output width is the data set's target count
     * @param data  the rows to predict
     * @return the predictions
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
     * @throws IllegalArgumentException when the data set's targets are not classes, naming the first row
     */
    public static Predictions of(Sequential model, Dataset data, int batchSize) {
        Checks.requireNonNull("Predictions.of", "model", model);
        Checks.requireNonNull("Predictions.of", "data", data);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
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
        int n = data.size();
        int out = model.outputWidth();
        float[] scores = outputs(model, data, batchSize);
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
        return new Predictions(scores, out, predicted, actual, classes);
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
        return ClassificationReport.of(actual, predicted, classes);
    }

    /**
     * Counts of (true, predicted) class pairs.
     *
     * @return the matrix
     */
    public ConfusionMatrix confusionMatrix() {
        return ConfusionMatrix.of(actual, predicted, classes);
    }

    /**
     * Fraction of rows whose true class is among the {@code k} highest outputs. A one-output (sigmoid) binary
     * classifier has two classes: its top-1 accuracy is its accuracy, and any {@code k ≥ 2} counts every row.
     *
     * @param k how many classes count (≥ 1)
     * @return the top-k accuracy
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public double topKAccuracy(int k) {
        if (outputs == 1) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (k >= 2) {
                return 1.0;
            }
            int hits = 0;
            for (int i = 0; i < actual.length; i++) {
                hits += predicted[i] == actual[i] ? 1 : 0;
            }
            return (double) hits / actual.length;
        }
        return TopKAccuracy.of(scores, outputs, actual, k);
    }
}
