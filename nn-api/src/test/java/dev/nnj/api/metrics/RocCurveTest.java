package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link RocCurve} against scikit-learn 1.2.1's {@code roc_curve(y, s, drop_intermediate=False)}. */
class RocCurveTest {
    private static final float[] SCORES = {0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.7f};
    private static final int[] LABELS = {0, 0, 1, 1, 1, 0};

    @Test
    void pointsAndAreaAreScikitLearns() {
        RocCurve c = RocCurve.of(SCORES, 1, LABELS, null);
        assertArrayEquals(new double[] {0, 0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1}, c.falsePositiveRates(), 1e-15);
        assertArrayEquals(new double[] {0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1, 1}, c.truePositiveRates(), 1e-15);
        double[] t = c.thresholds();
        assertEquals(Double.POSITIVE_INFINITY, t[0]);
        assertArrayEquals(new double[] {0.8f, 0.7f, 0.4f, 0.35f, 0.1f}, java.util.Arrays.copyOfRange(t, 1, 6), 0);
        assertEquals(0.6111111111111112, c.area(), 1e-15, "roc_auc_score");
        assertEquals(RocAuc.of(SCORES, 1, LABELS).score(), c.area(), 1e-15);

        // Two softmax columns: class 1's column is the score.
        float[] two = new float[12];
        for (int i = 0; i < 6; i++) {
            two[2 * i] = 1 - SCORES[i];
            two[2 * i + 1] = SCORES[i];
        }
        assertArrayEquals(c.truePositiveRates(), RocCurve.of(two, 2, LABELS, null).truePositiveRates(), 0);
    }

    @Test
    void weightedPointsAreScikitLearnsRowsOfWeightZeroGiveNone() {
        RocCurve c = RocCurve.of(SCORES, 1, LABELS, new double[] {1, 2, 0.5, 1, 3, 0});
        assertArrayEquals(new double[] {0, 0, 2.0 / 3, 2.0 / 3, 1}, c.falsePositiveRates(), 1e-15);
        assertArrayEquals(new double[] {0, 2.0 / 9, 8.0 / 9, 1, 1}, c.truePositiveRates(), 1e-15);
        assertEquals(0.7037037037037037, c.area(), 1e-15, "roc_auc_score with sample_weight");
    }

    @Test
    void aCurveNeedsBothClassesAndTwoOutputsAtMost() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> RocCurve.of(new float[] {0.2f, 0.9f}, 1, new int[] {1, 1}, null));
        assertTrue(one.getMessage().contains("class 0 has no rows"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new float[6], 3, new int[] {0, 1}, null));
    }
}
