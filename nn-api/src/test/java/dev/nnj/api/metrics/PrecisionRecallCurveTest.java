package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link PrecisionRecallCurve} against scikit-learn 1.2.1's {@code precision_recall_curve(y, s)}. */
class PrecisionRecallCurveTest {
    private static final float[] SCORES = {0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.7f};
    private static final int[] LABELS = {0, 0, 1, 1, 1, 0};

    @Test
    void pointsAndAreaAreScikitLearns() {
        PrecisionRecallCurve c = PrecisionRecallCurve.of(SCORES, 1, LABELS, null);
        assertArrayEquals(new double[] {0.5, 0.6, 0.5, 0.5, 1, 1}, c.precisions(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 2.0 / 3, 1.0 / 3, 1.0 / 3, 0}, c.recalls(), 1e-15);
        assertArrayEquals(new double[] {0.1f, 0.35f, 0.4f, 0.7f, 0.8f}, c.thresholds(), 0);
        assertEquals(6, c.points());
        assertEquals(0.7, c.averagePrecision(), 1e-15, "average_precision_score");
        assertEquals(AveragePrecision.of(SCORES, 1, LABELS).score(), c.averagePrecision(), 0, "to the bit");
        assertEquals(0.5, c.chanceLevel(), 0);

        // Two softmax columns: class 1's column is the score.
        float[] two = new float[12];
        for (int i = 0; i < 6; i++) {
            two[2 * i] = 1 - SCORES[i];
            two[2 * i + 1] = SCORES[i];
        }
        assertArrayEquals(c.precisions(), PrecisionRecallCurve.of(two, 2, LABELS, null).precisions(), 0);
    }

    @Test
    void weightedPointsAreScikitLearnsRowsOfWeightZeroGiveNone() {
        double[] weights = {1, 2, 0.5, 1, 3, 0};
        PrecisionRecallCurve c = PrecisionRecallCurve.of(SCORES, 1, LABELS, weights);
        assertArrayEquals(new double[] {0.6, 9.0 / 13, 2.0 / 3, 1, 1}, c.precisions(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 8.0 / 9, 2.0 / 9, 0}, c.recalls(), 1e-15);
        assertArrayEquals(new double[] {0.1f, 0.35f, 0.4f, 0.8f}, c.thresholds(), 0, "0.7 weighs 0: no point");
        assertEquals(0.7435897435897436, c.averagePrecision(), 1e-15, "average_precision_score with sample_weight");
        assertEquals(AveragePrecision.of(SCORES, 1, LABELS, weights).score(), c.averagePrecision(), 0);
        assertEquals(0.6, c.chanceLevel(), 1e-15, "4.5 of 7.5");
    }

    @Test
    void aCurveNeedsPositivesButNotNegatives() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecallCurve.of(new float[] {0.2f, 0.9f}, 1, new int[] {0, 0}, null));
        assertTrue(none.getMessage().contains("class 1 has no rows"), none.getMessage());
        PrecisionRecallCurve all = PrecisionRecallCurve.of(new float[] {0.2f, 0.9f}, 1, new int[] {1, 1}, null);
        assertArrayEquals(new double[] {1, 1, 1}, all.precisions(), 0);
        assertEquals(1, all.averagePrecision(), 0);
        assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecallCurve.of(new float[6], 3, new int[] {0, 1}, null));
    }

    /**
     * Class 0 as the positive one: scikit-learn's {@code precision_recall_curve(1 - y, 1 - s)} (its pos_label), from
     * one sigmoid output or two softmax columns alike; the area is class 0's one-vs-rest average precision.
     */
    @Test
    void classZeroAsThePositiveOneIsScikitLearnsPosLabel() {
        Predictions p = Predictions.of(SCORES, 1, LABELS);
        PrecisionRecallCurve c = p.precisionRecallCurve(0);
        assertArrayEquals(new double[] {0.5, 0.6, 0.5, 0.5, 1, 1}, c.precisions(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 2.0 / 3, 1.0 / 3, 1.0 / 3, 0}, c.recalls(), 1e-15);
        assertArrayEquals(new double[] {1 - 0.8f, 1 - 0.7f, 1 - 0.4f, 1 - 0.35f, 1 - 0.1f}, c.thresholds(), 1e-7);
        assertEquals(p.averagePrecision().forClass(0), c.averagePrecision(), 0);
        assertEquals(0.6111111111111112, p.rocCurve(0).area(), 1e-15, "roc_auc_score(1 - y, 1 - s)");
        float[] two = new float[12];
        for (int i = 0; i < 6; i++) {
            two[2 * i] = 1 - SCORES[i];
            two[2 * i + 1] = SCORES[i];
        }
        assertArrayEquals(c.precisions(), Predictions.of(two, 2, LABELS).precisionRecallCurve(0).precisions(), 0);
        assertArrayEquals(p.precisionRecallCurve().precisions(), p.precisionRecallCurve(1).precisions(), 0);
        assertThrows(IllegalArgumentException.class, () -> p.rocCurve(2));
    }

    @Test
    void predictionsDrawTheCurveOfTheirRowsWeightedWhenTheyAre() {
        Predictions p = Predictions.of(SCORES, 1, LABELS);
        assertArrayEquals(PrecisionRecallCurve.of(SCORES, 1, LABELS, null).precisions(),
                p.precisionRecallCurve().precisions(), 0);
        double[] weights = {1, 2, 0.5, 1, 3, 0};
        assertEquals(p.withSampleWeights(weights).averagePrecision().score(),
                p.withSampleWeights(weights).precisionRecallCurve().averagePrecision(), 0);
    }
}
