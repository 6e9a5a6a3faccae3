package dev.nnj.api.train;

import java.nio.file.Path;

/**
 * {@link CsvLogger}s for tests whose rewrites are timed by a clock that moves one second at every reading, so that
 * which epochs rewrite the file does not depend on the machine: training's start is a reading, a rewrite takes one
 * reading's step (its start and its end), and an epoch's check is one more reading. The file is rewritten while the
 * rewrites so far took at most a {@value CsvLogger#WRITE_SHARE}th of the readings since the start (after epochs 1, 18
 * and 36 of a run without checkpoints), and when asked ({@link CsvLogger#flush}).
 */
public final class SteppedClockLogs {
    private SteppedClockLogs() {
    }

    /**
     * @param file the log to write
     * @return a logger of {@code file} on a stepped clock
     */
    public static CsvLogger logger(Path file) {
        long[] now = {0};
        return new CsvLogger(file, false, () -> now[0] += 1_000_000_000L);
    }
}
