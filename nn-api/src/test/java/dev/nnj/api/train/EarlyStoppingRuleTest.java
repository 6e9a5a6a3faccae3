package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule's arithmetic and names, as Keras 3's {@code EarlyStopping} computes them. */
class EarlyStoppingRuleTest {

    @Test
    void anImprovementIsComputedAsKerasComputesIt() {
        EarlyStopping loss = new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 1, 0.1, false);
        // 0.3 + 0.1 is 0.4 exactly, not below it (0.3 < 0.4 - 0.1 = 0.30000000000000004 said it was).
        assertFalse(loss.improves(0.3, 0.4), "a tie of decimals is no improvement");
        assertTrue(loss.improves(0.29, 0.4));
        EarlyStopping score = new EarlyStopping(EarlyStopping.Monitor.validationMetric("f1", true), 1, 0.1, false);
        assertTrue(score.improves(0.45, 0.3), "0.45 - 0.1 = 0.35000000000000003 > 0.3");
        assertTrue(score.improves(0.4, 0.3), "0.4 - 0.1 = 0.30000000000000004 > 0.3: Keras counts it, so does nnj");
    }

    @Test
    void fromNoBestAnyNumberButTheWorstInfinityImproves() {
        EarlyStopping loss = EarlyStopping.onValidationLoss(2, false);
        assertTrue(loss.improves(5.0, Double.NaN));
        assertTrue(loss.improves(Double.NEGATIVE_INFINITY, Double.NaN));
        assertFalse(loss.improves(Double.POSITIVE_INFINITY, Double.NaN), "Keras starts a loss's best at +inf");
        assertFalse(loss.improves(Double.NaN, Double.NaN));
        EarlyStopping score = new EarlyStopping(EarlyStopping.Monitor.validationMetric("auc", true), 1, 0, false);
        assertFalse(score.improves(Double.NEGATIVE_INFINITY, Double.NaN));
        assertTrue(score.improves(Double.POSITIVE_INFINITY, Double.NaN));
    }

    @Test
    void aCheckpointTellsAMetricsDirectionApart() {
        EarlyStopping.Monitor max = EarlyStopping.Monitor.validationMetric("mae", true);
        EarlyStopping.Monitor min = EarlyStopping.Monitor.validationMetric("mae", false);
        assertEquals("val_mae", max.name());
        assertEquals(max.name(), min.name());
        assertEquals("val_mae (max)", max.savedName());
        assertEquals("val_mae (min)", min.savedName());
        assertNotEquals(max, min);
        assertEquals("VALIDATION_LOSS", EarlyStopping.Monitor.VALIDATION_LOSS.savedName(), "as files have it");
    }
}
