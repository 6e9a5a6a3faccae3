package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.LossKind;
import org.junit.jupiter.api.Test;

/** The log-floor rule on its own: where a finite loss counts as divergence. */
class DivergenceGuardTest {

    @Test
    void crossEntropyAtHalfTheFloorOrMoreHasDiverged() {
        for (LossKind kind : new LossKind[] {LossKind.CATEGORICAL_CROSS_ENTROPY, LossKind.BINARY_CROSS_ENTROPY}) {
            assertTrue(DivergenceGuard.atLogFloor(kind, 100), kind + " at the floor");
            assertTrue(DivergenceGuard.atLogFloor(kind, 87.5), kind + " as in a 1e3 learning-rate digits run");
            assertTrue(DivergenceGuard.atLogFloor(kind, 50), kind + " at half the floor");
            assertFalse(DivergenceGuard.atLogFloor(kind, 49.9), kind + " just below");
            assertFalse(DivergenceGuard.atLogFloor(kind, Math.log(10)), kind + " at chance level for 10 classes");
        }
    }

    @Test
    void meanSquaredErrorHasNoFloor() {
        assertFalse(DivergenceGuard.atLogFloor(LossKind.MSE, 1e6), "a large MSE is not a floor");
    }
}
