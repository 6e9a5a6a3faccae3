package dev.nnj.spark;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.sql.SparkSession;

/**
 * The check every {@code load} makes before reading a saved stage: that the directory holds the class it is asked
 * for. Spark's readers make whatever class the saved metadata names, and a mismatch failed in reflection or deep in
 * another reader: {@code NnjClassifier.load} of a fitted model's directory threw {@code NoSuchMethodException}
 * ({@code NnjClassificationModel.<init>(String)}), of a pipeline's {@code NoSuchElementException: Param stageUids}.
 */
final class SavedStages {
    private SavedStages() {
    }

    /**
     * Refuses a directory whose saved stage is not of class {@code expected}, naming the class it holds and the
     * {@code load} that reads it.
     *
     * @param path     the directory given to {@code load}
     * @param expected the class whose {@code load} was called
     * @throws IllegalArgumentException when another class was saved there
     */
    static void requireSaved(String path, Class<?> expected) {
        String saved = DefaultParamsReader.loadMetadata(path, SparkSession.active(), "").className();
        if (!saved.equals(expected.getName())) {
            String simple = saved.substring(saved.lastIndexOf('.') + 1);
            throw new IllegalArgumentException(path + " does not hold a saved " + expected.getSimpleName() + " but a "
                    + simple + " (" + saved + "); load it with " + simple + ".load");
        }
    }
}
