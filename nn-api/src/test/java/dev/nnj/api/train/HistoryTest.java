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

    /** In a line: the epochs, the last losses, the best epoch where it is not the last, and how the run ended. */
    @Test
    void printedItSaysTheEpochsTheLastLossesAndTheBest() {
        History h = new History(10);
        for (int e = 1; e <= 3; e++) {
            h.record(new EpochStats(e, 10, 1.0 / e, 0.5, e == 2 ? 0.1 : 0.2, 0.75, e, 0.01));
        }
        h.finish(3, null, false);
        assertEquals("History(epochs 1-3, last loss 0.3333 val_loss 0.2000)", h.toString());
        h.finish(2, "early stopping: no improvement of VALIDATION_LOSS for 1 epoch", true);
        assertEquals("History(epochs 1-3, last loss 0.3333 val_loss 0.2000, best epoch 2, its weights restored, "
                + "stopped early)", h.toString());
        History none = new History(10);
        none.record(new EpochStats(1, 10, 0.5, 0.25, Double.NaN, Double.NaN, 1, 0.01));
        none.finish(1, null, false);
        assertEquals("History(epoch 1, last loss 0.5000)", none.toString());
    }
}
