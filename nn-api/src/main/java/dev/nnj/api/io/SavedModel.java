package dev.nnj.api.io;

import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Map;

/**
 * A model loaded from a file, with the preprocessing saved beside it and the file's metadata. Closing it
 * closes the model.
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
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public float[] predict(float[] rawFeatures, int rows) {
        Checks.requireNonNull("predict", "rawFeatures", rawFeatures);
        return model.predict(preprocessing.transformFeatures(rawFeatures, model.inputWidth()), rows);
    }

    /** Closes the model. */
    @Override
    public void close() {
        model.close();
    }
}
