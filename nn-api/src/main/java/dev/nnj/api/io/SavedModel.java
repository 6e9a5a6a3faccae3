package dev.nnj.api.io;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Map;

/**
 * A model loaded from a file, with the preprocessing saved beside it and the file's metadata. Closing it
 * closes the model.
 *
 * <p>Serve from this, not from {@link #model()}: {@link #predict predict} and {@link #predictClasses} apply the saved
 * scaler first, which {@code model().predict} does not (a model trained on scaled features then answers
 * unscaled ones without complaint, wrongly). Both are safe from many threads at once, like
 * {@link Sequential#predict}.
 *
 * @param model         the rebuilt model, its parameters loaded
 * @param preprocessing the saved feature scaler, label encoder and class names ({@link Preprocessing#none()}
 *                      if the file has none)
 * @param metadata      every {@code __metadata__} entry of the file
 */
public record SavedModel(Sequential model, Preprocessing preprocessing, Map<String, String> metadata)
        implements AutoCloseable {

    /**
     * Predicts from raw features: applies the saved scaler, then the model.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1 (see {@link Sequential#predict(float[], int)})
     * @return {@code (rows, outputWidth)} row-major outputs (class probabilities for a softmax model)
     * @throws IllegalArgumentException if {@code rows < 1} or the features are not {@code rows × inputWidth}
     *         values
     * @throws dev.nnj.api.data.InvalidDataException for a feature that is not finite, naming the row and column
     * @throws ArithmeticException when finite features give a NaN or infinite output, naming the row
     * @throws IllegalStateException if the model is closed
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public float[] predict(float[] rawFeatures, int rows) {
        Checks.requireNonNull("predict", "rawFeatures", rawFeatures);
        int width = model.inputWidth();
        if (rows < 1 || rawFeatures.length != (long) rows * width) {
            // The model refuses these in its own terms; scaled first, they would be refused in the scaler's.
            return model.predict(rawFeatures, rows);
        }
        return model.predict(preprocessing.transformFeatures(rawFeatures, width), rows);
    }

    /**
     * Predicts the class of each row from raw features: {@link #predict predict}, then each output row's class as
     * accuracy reads it ({@link DataChecks#classOfRow DataChecks.classOfRow}: the column of the row's largest output,
     * or for a single sigmoid output, class 1 from 0.5 up). {@link #className} names them.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1
     * @return the class of each row, in {@code 0 .. classes - 1}
     * @throws IllegalArgumentException as {@link #predict predict}
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public int[] predictClasses(float[] rawFeatures, int rows) {
        return DataChecks.classesOfRows(predict(rawFeatures, rows), model.outputWidth());
    }

    /**
     * The name of class {@code k}, as saved with the model ({@link Preprocessing#className Preprocessing.className}).
     *
     * @param k a class, as {@link #predictClasses} returns
     * @return its name, or its label as text when the file has no class names
     * @throws IndexOutOfBoundsException if {@code k} is not one of the model's classes, naming how many it has
     */
    public String className(int k) {
        int classes = DataChecks.classCount(model.outputWidth());
        if (k < 0 || k >= classes) {
            throw new IndexOutOfBoundsException("class " + k + " is not one of the model's " + classes
                    + " classes (0.." + (classes - 1) + ")");
        }
        return preprocessing.className(k);
    }

    /** Closes the model. */
    @Override
    public void close() {
        model.close();
    }
}
