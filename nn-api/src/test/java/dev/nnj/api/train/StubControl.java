package dev.nnj.api.train;

import dev.nnj.api.optim.Optimizer;

/**
 * A run's control for a listener or rule tested outside {@link Trainer}: its optimizer, epochs and the epoch it
 * resumes after; it never asks to stop.
 *
 * @param optimizer    the optimizer, or null where the listener does not read it
 * @param epochs       the epochs the run trains to
 * @param initialEpoch the epoch it resumes after, 0 for a fresh run
 */
record StubControl(Optimizer optimizer, int epochs, int initialEpoch) implements TrainingControl {

    @Override
    public void requestStop(String reason) {
    }

    @Override
    public boolean stopRequested() {
        return false;
    }
}
