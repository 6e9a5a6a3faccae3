package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** fit's warning of features far from unit scale, from blocks' moments merged on the driver. */
class FeatureScaleWarningTest {

    /** {@code rows} rows of one column per scale: {@code scale · (1 + 0.3 N(0, 1))}. */
    private static float[] rows(double[] scales, int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * scales.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (scales[i % scales.length] * (1 + 0.3 * r.nextGaussian()));
        }
        return x;
    }

    @Test
    void blocksMergeToTheMomentsOfTheWhole() {
        float[] x = rows(new double[] {2, 500}, 300, 1);
        double[] whole = FeatureScaleWarning.moments(x, 300, 2);
        double[] a = FeatureScaleWarning.moments(Arrays.copyOfRange(x, 0, 2 * 70), 70, 2);
        double[] b = FeatureScaleWarning.moments(Arrays.copyOfRange(x, 2 * 70, 2 * 300), 230, 2);
        // Merged by the warning itself: the same column is named with the same figures as from the whole.
        String fromBlocks = FeatureScaleWarning.warning(Arrays.asList(a, null, b), "features");
        String fromWhole = FeatureScaleWarning.warning(List.of(whole), "features");
        assertTrue(fromBlocks != null && fromBlocks.equals(fromWhole), fromBlocks + " / " + fromWhole);
        assertTrue(fromBlocks.startsWith("column 'features' (featuresCol): feature 1 has mean 5")
                && fromBlocks.contains("StandardScaler"), fromBlocks);
        assertArrayEquals(new double[] {300}, new double[] {whole[0]});
    }

    @Test
    void vanishingFeaturesAreNamedAndScaledOnesPassQuietly() {
        String tiny = FeatureScaleWarning.warning(List.of(FeatureScaleWarning.moments(rows(new double[] {1e-30, 2e-30},
                100, 2), 100, 2)), "f");
        assertTrue(tiny != null && tiny.startsWith("column 'f' (featuresCol): every feature is within 1e-03 of 0"),
                tiny);
        assertNull(FeatureScaleWarning.warning(List.of(FeatureScaleWarning.moments(rows(new double[] {1, 16, 255},
                100, 3), 100, 3)), "f"), "scaled features and raw pixels");
        assertNull(FeatureScaleWarning.moments(new float[0], 0, FeatureScaleWarning.MAX_COLUMNS + 1),
                "hashed text is not looked at");
        assertNull(FeatureScaleWarning.warning(Arrays.asList((double[]) null), "f"));
    }
}
