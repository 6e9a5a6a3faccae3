package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A run's record grows with the epochs it runs, not with the epochs it may run. */
class HistoryTest {

    /**
     * {@code --epochs 100000000} took 2.4 GB before the first epoch (five arrays of 10^8 entries); the arrays now
     * start small and grow, every epoch kept.
     */
    @Test
    void aRunAllowedAHundredMillionEpochsKeepsEveryOneItRanWithoutReservingThemAll() {
        History h = new History(100_000_000);
        for (int e = 1; e <= 3000; e++) {
            h.record(new EpochStats(e, 100_000_000, e, 0.5, 2 * e, 0.25, e, 0.01 * e));
        }
        assertEquals(3000, h.epochs());
        assertEquals(1, h.firstEpoch());
        float[] loss = h.trainLoss();
        assertEquals(3000, loss.length);
        for (int i = 0; i < loss.length; i++) {
            assertEquals(i + 1, loss[i]);
        }
        assertEquals(2 * 3000, h.validationLoss()[2999]);
        assertEquals(0.01 * 3000, h.learningRate()[2999], 1e-12);
    }
}
