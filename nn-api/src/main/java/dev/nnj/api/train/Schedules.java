package dev.nnj.api.train;

/** Checks shared by the built-in {@link LearningRateSchedule}s. */
final class Schedules {
    private Schedules() {
    }

    /** Rejects a step outside {@code [0, steps)}, naming both. */
    static void checkStep(int step, int steps) {
        if (step < 0 || step >= steps) {
            throw new IllegalArgumentException("schedule step " + step + " is outside [0, " + steps + ")");
        }
    }
}
