package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CsvLogger} on its own: the rows it writes, a restart, and what it refuses. */
class CsvLoggerTest {

    @Test
    void writesOneRowPerEpochAndStartsAfreshForANewRun(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        Files.writeString(file, "old content\n");
        // A clock that stands still: every rewrite seems to take no time, so the file is rewritten after every epoch.
        CsvLogger logger = new CsvLogger(file, false, () -> 0L);
        logger.onTrainingStart(null);
        logger.onEpochEnd(new EpochStats(1, 2, 0.5, 0.25, Double.NaN, Double.NaN, 1500, 0.1));
        logger.onEpochEnd(new EpochStats(2, 2, 0.125, 0.75, 0.375, 0.5, 3000, 0.05));
        assertEquals(List.of(CsvLogger.HEADER, "1,0.5,0.25,,,0.1,1.500", "2,0.125,0.75,0.375,0.5,0.05,3.000"),
                Files.readAllLines(file));
        // The optimizer's rate is a float: its shortest decimal, not its widening to double (0.05000000074505806).
        logger.onEpochEnd(new EpochStats(3, 2, 0.125, 0.75, 0.375, 0.5, 4000, 0.05f));
        assertEquals("3,0.125,0.75,0.375,0.5,0.05,4.000", Files.readAllLines(file).get(3));
        logger.onTrainingStart(null);   // a second fit with the same listener
        logger.onEpochEnd(new EpochStats(1, 1, 1.0, 0.0, Double.NaN, Double.NaN, 10, Double.NaN));
        assertEquals(List.of(CsvLogger.HEADER, "1,1.0,0.0,,,,0.010"), Files.readAllLines(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary files left behind");
        }
    }

    /**
     * Fast epochs do not rewrite the file after each of them, which cost 1-3 ms each on ext4 (the rename starts
     * writing the new file out) where an epoch took 0.7: the file is rewritten while the rewrites so far took at most
     * a {@value CsvLogger#WRITE_SHARE}th of the time since training started. On the stepped clock (a second a
     * reading, a rewrite two readings, an epoch's check one) that is after epochs 1, 18 and 36 of 40. The rows held
     * back are written when asked, and when the run ends or fails.
     */
    @Test
    void fastEpochsRewriteTheFileEveryFewOnesAndTheRestIsWrittenWhenAskedOrAtTheEnd(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("log.csv");
        for (String end : List.of("ends", "fails", "flush")) {
            CsvLogger logger = SteppedClockLogs.logger(file);
            logger.onTrainingStart(null);
            List<Integer> rewrittenAfter = new java.util.ArrayList<>();
            for (int epoch = 1; epoch <= 40; epoch++) {
                logger.onEpochEnd(stats(epoch));
                if (Files.readAllLines(file).size() == epoch + 1) {
                    rewrittenAfter.add(epoch);
                }
            }
            assertEquals(List.of(1, 18, 36), rewrittenAfter, end);
            switch (end) {
                case "ends" -> logger.onTrainingEnd(null);
                case "fails" -> logger.onTrainingFailed(new IllegalStateException("diverged"));
                default -> logger.flush();
            }
            List<String> lines = Files.readAllLines(file);
            assertEquals(41, lines.size(), end);
            assertTrue(lines.get(40).startsWith("40,"), end + ": " + lines);
            long mtime = Files.getLastModifiedTime(file).toMillis();
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(mtime - 60_000));
            logger.flush();   // nothing held back: not rewritten
            assertEquals(mtime - 60_000, Files.getLastModifiedTime(file).toMillis(), end);
        }
    }

    /**
     * A thread interrupted during training (a cancelled search task) failed at its next rewrite, which the interrupt
     * closed; held back, the rows since the last rewrite were lost with it. They are written, and then the run
     * fails, naming the epoch, with the interrupt set again.
     */
    @Test
    void anInterruptedThreadGetsTheLogUpToItsEpochAndThenFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        CsvLogger logger = SteppedClockLogs.logger(file);
        logger.onTrainingStart(null);
        for (int epoch = 1; epoch <= 5; epoch++) {
            logger.onEpochEnd(stats(epoch));
        }
        assertEquals(2, Files.readAllLines(file).size(), "epochs 2-5 held back");
        Thread.currentThread().interrupt();
        try {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> logger.onEpochEnd(stats(6)));
            assertEquals("writing the training log " + file + ": the thread training was interrupted after epoch 6, "
                    + "which the log holds, and every epoch before it", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is set again");
        } finally {
            Thread.interrupted();
        }
        assertEquals(7, Files.readAllLines(file).size(), "epochs 1-6");
        logger.onTrainingFailed(new IllegalStateException("interrupted"));
        assertEquals(7, Files.readAllLines(file).size());
    }

    private static EpochStats stats(int epoch) {
        return new EpochStats(epoch, 100, 0.5, 0.25, Double.NaN, Double.NaN, 10L * epoch, 0.1);
    }

    /**
     * An interrupt that comes during a rewrite closes its channel (a verifier's 3 of 150 cancelled runs lost their
     * held-back rows so): the rewrite is made again with the interrupt set aside, and then the run fails with it.
     */
    @Test
    void anInterruptDuringARewriteStillLeavesTheRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        int[] readings = {0};
        // A clock that stands still, so that every epoch rewrites; its sixth reading, the start of epoch 2's
        // rewrite, interrupts the thread, as a cancel arriving then would.
        CsvLogger logger = new CsvLogger(file, false, () -> {
            if (++readings[0] == 6) {
                Thread.currentThread().interrupt();
            }
            return 0L;
        });
        logger.onTrainingStart(null);
        logger.onEpochEnd(stats(1));
        try {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> logger.onEpochEnd(stats(2)));
            assertTrue(e.getMessage().contains("interrupted after epoch 2, which the log holds"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(3, Files.readAllLines(file).size(), "epochs 1 and 2");
    }

    /** A log that cannot be written (a full device) is named once, at the head of the reason. */
    @Test
    void aFailedWriteNamesTheLogOnce() {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full here");
        CsvLogger logger = new CsvLogger(full);
        logger.onTrainingStart(null);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> logger.onEpochEnd(new EpochStats(1, 2, 0.5, 0.25, Double.NaN, Double.NaN, 1500, 0.1)));
        assertEquals("writing the training log /dev/full: no space left on device", e.getMessage());
    }

    @Test
    void refusesADirectoryThatDoesNotExist(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("log.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CsvLogger(file));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anAppendingLoggerContinuesTheLogOfAResumedRun(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        CsvLogger first = new CsvLogger(file);
        first.onTrainingStart(null);
        for (int e = 1; e <= 4; e++) {
            first.onEpochEnd(new EpochStats(e, 6, 1.0 / e, 0.5, Double.NaN, Double.NaN, 100L * e, 0.1));
        }
        first.flush();   // as the trainer asks before a checkpoint; the run is then killed
        // Resumed from the checkpoint of epoch 3: epoch 4 runs again and replaces the row the first run wrote, and
        // the times continue from epoch 3's 0.3 s rather than starting over.
        CsvLogger resumed = CsvLogger.appending(file);
        resumed.onTrainingStart(null);
        resumed.onEpochEnd(new EpochStats(4, 6, 0.2, 0.6, Double.NaN, Double.NaN, 100, 0.1));
        resumed.onEpochEnd(new EpochStats(5, 6, 0.1, 0.7, Double.NaN, Double.NaN, 200, 0.1));
        resumed.onTrainingEnd(null);
        assertEquals(List.of(CsvLogger.HEADER, "1,1.0,0.5,,,0.1,0.100", "2,0.5,0.5,,,0.1,0.200",
                "3,0.3333333333333333,0.5,,,0.1,0.300", "4,0.2,0.6,,,0.1,0.400", "5,0.1,0.7,,,0.1,0.500"),
                Files.readAllLines(file));
        // Without a file to continue it starts one; a file of another kind is refused, not overwritten.
        Path fresh = dir.resolve("fresh.csv");
        CsvLogger appendingNew = CsvLogger.appending(fresh);
        appendingNew.onTrainingStart(null);
        appendingNew.onEpochEnd(new EpochStats(1, 1, 1.0, 0.0, Double.NaN, Double.NaN, 10, 0.1));
        assertEquals(List.of(CsvLogger.HEADER, "1,1.0,0.0,,,0.1,0.010"), Files.readAllLines(fresh));
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvLogger.appending(other).onTrainingStart(null));
        assertTrue(e.getMessage().contains("not a log to continue"), e.getMessage());
        assertEquals("a,b\n1,2\n", Files.readString(other));
    }

    /**
     * A log that ends before the epoch a run resumes after is another run's (or none of this one's): continued, it
     * would join two runs' rows (1, 2, then 5, 6) without a word. It is refused when the run starts, and by
     * {@link CsvLogger#requireContinues} before; a log that reaches that epoch, or no file, is continued.
     */
    @Test
    void anAppendingLoggerRefusesALogThatEndsBeforeTheResumedEpoch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        CsvLogger first = new CsvLogger(file);
        first.onTrainingStart(null);
        for (int e = 1; e <= 2; e++) {
            first.onEpochEnd(new EpochStats(e, 6, 1.0 / e, 0.5, Double.NaN, Double.NaN, 100L * e, 0.1));
        }
        first.flush();
        List<String> written = Files.readAllLines(file);
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> CsvLogger.appending(file).onTrainingStart(resumedAfter(4)));
        assertTrue(gap.getMessage().contains(" holds epochs up to 2, but the run resumes after epoch 4: it is not "
                + "this run's log (it lacks epochs 3-4)"), gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvLogger.requireContinues(file, 4));
        assertEquals(written, Files.readAllLines(file), "refused, not overwritten");
        CsvLogger.requireContinues(file, 2);   // resumed after epoch 2: the log reaches it
        CsvLogger.appending(file).onTrainingStart(resumedAfter(2));
        CsvLogger.requireContinues(dir.resolve("none.csv"), 4);   // no log yet: one is started
    }

    /**
     * A log continued must be whole up to the epoch the run resumes after: a row deleted (epochs 1, 3, 4 continued as
     * 1, 3, 4, 5, ...) or cut short (five values of seven) was continued without a word. Rows after that epoch are the
     * resumed run's to replace, whatever values they hold.
     */
    @Test
    void anAppendingLoggerRefusesALogWithARowMissingOrCutShort(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        String header = CsvLogger.HEADER + "\n";
        String[] rows = {"1,1.0,0.5,,,0.1,0.100\n", "2,0.5,0.5,,,0.1,0.200\n", "3,0.25,0.5,,,0.1,0.300\n"};
        Files.writeString(file, header + rows[0] + rows[2]);
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> CsvLogger.requireContinues(file, 3));
        assertTrue(gap.getMessage().contains("the row of epoch 3 follows epoch 1, without the epochs between"),
                gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvLogger.appending(file).onTrainingStart(resumedAfter(3)));
        CsvLogger.requireContinues(file, 1);   // resumed after epoch 1: the row of 3 is replaced, not continued

        Files.writeString(file, header + rows[0] + rows[1] + "3,0.25,0.5,,\n");
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> CsvLogger.requireContinues(file, 3));
        assertTrue(cut.getMessage().contains("the row of epoch 3 has 5 values, and the header 7 columns (a row cut "
                + "short?)"), cut.getMessage());
        CsvLogger.requireContinues(file, 2);

        // A log of no rows, as a power cut soon after its first write may leave it, is started anew.
        Files.writeString(file, "");
        CsvLogger.requireContinues(file, 3);
        Files.writeString(file, header);
        CsvLogger.requireContinues(file, 3);

        Files.writeString(file, header + rows[0] + rows[1] + rows[1] + rows[2]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvLogger.requireContinues(file, 3))
                .getMessage().contains("the row of epoch 2 follows epoch 2;"), "a row twice");
    }

    /** A run's control that says only which epoch it resumes after. */
    private static TrainingControl resumedAfter(int epoch) {
        return new StubControl(null, 6, epoch);
    }

    /**
     * A named pipe gets each row once, as it comes, through one opening until training ends: rewriting the whole log
     * each epoch sent its reader every earlier row again, and opening it again each epoch hung the run once a reader
     * such as {@code cat}, which took the first close for the end, had left.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aPipeGetsEachRowOnceThroughOneOpening(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("log.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no mkfifo here: " + e.getMessage());
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        // One read to the end, as cat does: the end comes when the logger closes the pipe.
        java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CsvLogger logger = new CsvLogger(fifo);
        logger.onTrainingStart(null);
        for (int epoch = 1; epoch <= 3; epoch++) {
            logger.onEpochEnd(new EpochStats(epoch, 3, 0.5, 0.25, Double.NaN, Double.NaN, 1000L * epoch, 0.1));
            Thread.sleep(200);   // time for a reader to see an end, had the epoch's write closed the pipe
        }
        logger.onTrainingEnd(null);
        List<String> lines = read.get(30, java.util.concurrent.TimeUnit.SECONDS).lines().toList();
        assertEquals(List.of(CsvLogger.HEADER, "1,0.5,0.25,,,0.1,1.000", "2,0.5,0.25,,,0.1,2.000",
                "3,0.5,0.25,,,0.1,3.000"), lines);

        // A run that trains no epoch, or fails before its first ends, still ends the pipe for its reader.
        for (boolean fails : new boolean[] {false, true}) {
            java.util.concurrent.CompletableFuture<String> empty = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return Files.readString(fifo);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            logger.onTrainingStart(null);
            if (fails) {
                logger.onTrainingFailed(new IllegalStateException("diverged"));
            } else {
                logger.onTrainingEnd(null);
            }
            assertEquals("", empty.get(30, java.util.concurrent.TimeUnit.SECONDS), fails ? "failed" : "no epoch");
        }
    }
}
