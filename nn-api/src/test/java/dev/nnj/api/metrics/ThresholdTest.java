package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Predictions#withThreshold}: a row is class 1 where class 1's score is at least the threshold, so that each
 * threshold of the ROC curve scores to that curve point's rates, with one output or two, with weights or without.
 */
class ThresholdTest {
    private static final int[] LABELS = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0};
    /** Class 1's scores, one tie (0.6 twice) across the classes. */
    private static final float[] P1 = {0.1f, 0.9f, 0.6f, 0.6f, 0.35f, 0.2f, 0.8f, 0.55f, 0.7f, 0.4f};
    private static final double[] WEIGHTS = {1, 2, 0.5, 1, 3, 1, 0.25, 1, 1, 2};

    private static float[] twoColumns() {
        float[] two = new float[P1.length * 2];
        for (int i = 0; i < P1.length; i++) {
            two[2 * i] = 1 - P1[i];
            two[2 * i + 1] = P1[i];
        }
        return two;
    }

    @Test
    void eachCurveThresholdScoresToItsPointsRates() {
        for (Predictions p : new Predictions[] {Predictions.of(P1, 1, LABELS), Predictions.of(twoColumns(), 2, LABELS),
                Predictions.of(P1, 1, LABELS).withSampleWeights(WEIGHTS)}) {
            RocCurve roc = p.rocCurve();
            for (int k = 0; k < roc.points(); k++) {
                ConfusionMatrix m = p.withThreshold(roc.thresholds()[k]).confusionMatrix();
                double positives = m.supportWeight(1);
                double negatives = m.supportWeight(0);
                assertEquals(roc.truePositiveRates()[k], m.weight(1, 1) / positives, 1e-12, "TPR at point " + k);
                assertEquals(roc.falsePositiveRates()[k], m.weight(0, 1) / negatives, 1e-12, "FPR at point " + k);
            }
        }
    }

    @Test
    void theClassesAreDecidedAtTheThresholdAndTheScoresFiguresStay() {
        Predictions p = Predictions.of(P1, 1, LABELS);
        Predictions strict = p.withThreshold(0.6);
        assertArrayEquals(new int[] {0, 1, 1, 1, 0, 0, 1, 0, 1, 0}, strict.predictedLabels(), "0.6 itself is class 1");
        assertEquals(p.logLoss(), strict.logLoss(), 0);
        assertEquals(p.rocAuc().score(), strict.rocAuc().score(), 0);
        assertEquals(p.topKAccuracy(1), strict.topKAccuracy(1), 0, "top-1 ranks the scores (0.75 became 0.5)");
        assertEquals(p.topKAccuracy(1), p.withThreshold(0.05).topKAccuracy(1), 0);
        assertArrayEquals(new int[10], p.withThreshold(Double.POSITIVE_INFINITY).predictedLabels());
        // A score of exactly 0.5: class 0 by the default rule (above 0.5), class 1 at the threshold 0.5.
        Predictions half = Predictions.of(new float[] {0.5f, 0.7f}, 1, new int[] {1, 1});
        assertArrayEquals(new int[] {0, 1}, half.predictedLabels());
        assertArrayEquals(new int[] {1, 1}, half.withThreshold(0.5).predictedLabels());
        // Weights are kept.
        assertTrue(p.withSampleWeights(WEIGHTS).withThreshold(0.5).hasSampleWeights());
    }

    @Test
    void severalClassesOrANaNThresholdAreRefused() {
        Predictions three = Predictions.of(new float[] {0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f}, 3, new int[] {2, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> three.withThreshold(0.5));
        assertTrue(e.getMessage().contains("have 3 classes; a threshold decides between two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(P1, 1, LABELS).withThreshold(Double.NaN));
    }
}
