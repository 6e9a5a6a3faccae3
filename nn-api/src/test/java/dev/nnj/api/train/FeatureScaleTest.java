package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.Dataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warning a fit gives when the training features are far from unit scale ({@link FeatureScale}). */
class FeatureScaleTest {

    /** {@code rows} rows of one column per scale, each {@code scale · (1 + 0.3 N(0, 1))}, and a label of 0 or 1. */
    private static Dataset features(double[] scales, int rows) {
        Random r = new Random(9);
        float[] x = new float[rows * scales.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (scales[i % scales.length] * (1 + 0.3 * r.nextGaussian()));
        }
        int[] labels = new int[rows];
        float[] y = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 2;
            y[2 * i + labels[i]] = 1;
        }
        return new Dataset(x, scales.length, y, 2, labels);
    }

    @Test
    void aColumnOfIncomesIsNamedWithTheCure() {
        String warning = FeatureScale.warning(features(new double[] {0.5, 4e4, 1}, 300));
        assertTrue(warning != null
                && warning.startsWith("training set: feature column 1 has mean 3.943e+04 and standard deviation")
                && warning.contains("Preprocessing.withScaler"), warning);
    }

    @Test
    void featuresThatVanishAreNamed() {
        String warning = FeatureScale.warning(features(new double[] {1e-30, 3e-31}, 200));
        assertTrue(warning != null && warning.startsWith("training set: every feature column is within 1e-03 of 0"),
                warning);
    }

    @Test
    void scaledFeaturesAndTheirRareCategoriesPassQuietly() {
        assertNull(FeatureScale.warning(features(new double[] {1, 16, 0.5, 255}, 200)), "raw pixels of 0-255 too");
        Dataset rareCategory = features(new double[] {1, 0}, 1000);
        rareCategory.features()[2 * 7 + 1] = 1;   // one row of 1000 in a one-hot column: spread 0.03
        assertNull(FeatureScale.warning(rareCategory));
        assertNull(FeatureScale.warning(features(new double[] {0, 0}, 10)), "constant columns: nothing to scale");
    }
}
