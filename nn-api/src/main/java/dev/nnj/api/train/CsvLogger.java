package dev.nnj.api.train;

import dev.nnj.api.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the training history to a CSV file, one row per epoch (Keras' {@code CSVLogger}):
 * <pre>
 *   epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,elapsed_s
 *   1,2.2931,0.1503,2.2817,0.1694,0.1,0.012
 * </pre>
 * Values without a validation set are empty cells, and so are the accuracies of a set whose targets are not
 * classes (see {@link EpochStats}). A run with validation metrics ({@link Trainer.Builder#validationMetric}) has a
 * column {@code val_NAME} for each, after {@code val_accuracy}.
 * <p>
 * <b>When the file is written.</b> The whole file is rewritten atomically ({@link AtomicFile}), so a reader, or a run
 * that is killed, always sees a complete file, never a half-written line; unsynced ({@link AtomicFile#writeUnsynced}),
 * as a sync per epoch cost more than a fast epoch (a power cut soon after a write may leave the log as it was before
 * it, or empty). It is rewritten after an epoch while the rewrites so far have taken at most a {@value #WRITE_SHARE}th
 * of the time since training started, so that the log costs at most about that share of the run, however the
 * rewrites' times vary: after every epoch where epochs are slow, every few epochs where they are fast. A rewrite is
 * not cheap: on ext4 the rename over the old file starts writing the new one out, 1-3 ms on a small virtual machine
 * (up to 100 ms under load), where an article epoch takes 0.7 ms and a log of 3000 epochs rewritten after each of
 * them doubled the run. Rows held back are written when training ends or fails, and when asked ({@link #flush}): the
 * trainer asks before a checkpoint records the run's progress ({@link TrainingControl#progress}), so that the log of
 * a run resumed from it holds every epoch before the checkpoint's. A run killed outright ({@code SIGKILL}) loses the
 * rows since the last rewrite, epochs its checkpoint, if any, does not cover either. A thread interrupted during
 * training ({@link Thread#interrupt}) gets the log written up to that epoch, then fails with the interrupt. A named
 * pipe or a device ({@code /dev/stdout}) is opened once, when training starts (a pipe waits there for its reader),
 * gets each row once, as it comes, and is closed when training ends or fails. {@link #appending appending} continues
 * the log of a run that is resumed.
 */
public final class CsvLogger implements TrainingListener, java.io.Flushable {
    /** The header row of a run without validation metrics. */
    public static final String HEADER =
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,elapsed_s";
    /** {@link #HEADER} with the columns of validation metrics after {@code val_accuracy}, as a log may have. */
    private static final java.util.regex.Pattern ANY_HEADER = java.util.regex.Pattern.compile(
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy(,val_[A-Za-z][A-Za-z0-9_]*)*,learning_rate,"
                    + "elapsed_s");

    /**
     * The file is rewritten while the rewrites so far took at most 1 / WRITE_SHARE of the time since training
     * started: that bounds the log's share of the run, where a rule on the last rewrite alone did not when rewrites'
     * times varied tenfold (13-17 % of a loaded machine's run in a verifier's measurement).
     */
    static final int WRITE_SHARE = 20;

    private final Path file;
    private final boolean append;
    /** Nanoseconds, {@link System#nanoTime} but in tests, which time the rewrites. */
    private final java.util.function.LongSupplier clock;
    /** When training started (the first epoch's end, for a logger used without a trainer), or -1 before. */
    private long started = -1;
    /** The time the run's rewrites have taken so far. */
    private long writing;
    /** Whether {@link #text} holds rows the file does not have yet. */
    private boolean pending;
    /** The epoch of {@link #text}'s last row, for the message of an interrupted write. */
    private int lastEpoch;
    /** Whether the last rewrite failed: the run fails with it, and is not to fail with it again at its end. */
    private boolean failed;
    /** Set while {@link #writeInterrupted} writes: an interrupt that comes then is not set aside twice. */
    private boolean settingInterruptAside;
    /** Whether the log is a pipe or device, streamed a row at a time, with nothing ever held back. */
    private volatile boolean streams;
    private final StringBuilder text = new StringBuilder();
    /** How much of {@link #text} a pipe or device has had: it gets only the rest. */
    private int streamed;
    /** A pipe or device, opened when training starts and kept open until it ends; null for a file. */
    private java.io.OutputStream inPlace;
    /** Rows of an earlier run read for {@link #appending appending}, kept up to the first epoch this run writes. */
    private List<String> earlier = List.of();
    /** The header of the log {@link #earlier} came from, or null: this run's must be the same to continue it. */
    private String earlierHeader;
    /** Seconds the kept rows of an earlier run took (their last elapsed_s), which this run's times continue. */
    private double elapsedBefore;

    /**
     * A logger that will write {@code file} (its directory must exist; an existing file is replaced when the
     * first epoch ends).
     *
     * @param file the CSV file to write
     * @throws IllegalArgumentException if the file's directory does not exist
     */
    public CsvLogger(Path file) {
        this(file, false);
    }

    private CsvLogger(Path file, boolean append) {
        this(file, append, System::nanoTime);
    }

    /** A logger whose rewrites are timed by {@code clock} (nanoseconds), for tests. */
    CsvLogger(Path file, boolean append, java.util.function.LongSupplier clock) {
        if (file == null) {
            throw new NullPointerException("file");
        }
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
            throw new IllegalArgumentException("CSV log " + file + ": directory " + absolute.getParent()
                    + " does not exist");
        }
        this.file = absolute;
        this.append = append;
        this.clock = clock;
    }

    /**
     * A logger that continues an existing log (Keras' {@code CSVLogger(append=True)}), for a run resumed with {@link
     * Trainer.Builder#initialEpoch Builder.initialEpoch}: the file's rows of the epochs before the run's first one
     * are kept, and later ones, which the resumed run writes again, are replaced; {@code elapsed_s} continues from
     * the last kept row's. A missing file starts a new log.
     *
     * @param file the CSV file to continue
     * @return the logger
     * @throws IllegalArgumentException if the file's directory does not exist
     */
    public static CsvLogger appending(Path file) {
        return new CsvLogger(file, true);
    }

    /**
     * Starts the log; for {@link #appending appending}, reads the rows of the log it continues.
     *
     * @param control the run
     * @throws UncheckedIOException if an existing log to continue cannot be read, or a pipe or device cannot be opened
     * @throws IllegalArgumentException if it is not a log of this format (its first line is not {@link #HEADER}), or
     *         a resumed run's log lacks epochs before the one the run resumes after ({@link #requireContinues})
     */
    @Override
    public void onTrainingStart(TrainingControl control) {
        synchronized (this) {
            start(control);
        }
        if (streams) {
            // Opened here, as Keras's CSVLogger opens its file, and closed when the run ends: a run that trains no
            // epoch, or fails before its first ends, still ends the pipe, where its reader waited for good. Not under
            // the lock: a pipe's open waits for its reader, and a signal's hook that asks for a flush meanwhile
            // must not wait with it (the run then never ended).
            java.io.OutputStream opened = openInPlace();
            synchronized (this) {
                inPlace = opened;
            }
        }
    }

    private void start(TrainingControl control) {
        closeInPlace();   // a second fit with the same listener starts its stream afresh
        text.setLength(0);
        streamed = 0;
        pending = false;
        failed = false;
        started = clock.getAsLong();
        writing = 0;
        earlier = List.of();
        earlierHeader = null;
        elapsedBefore = 0;
        if (append && Files.isRegularFile(file)) {
            try {
                earlierHeader = headerOf(file);
                earlier = rows(file);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the training log " + file + ": " + e.getMessage(), e);
            }
            if (control != null) {
                requireNoGap(file, earlierHeader, earlier, control.initialEpoch());
            }
        }
        streams = AtomicFile.writesInPlace(file);
    }

    /** The pipe or device, opened; its failure names the log once ("the training log /dev/tty: cannot write…"). */
    private java.io.OutputStream openInPlace() {
        try {
            return AtomicFile.openInPlace(file);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new UncheckedIOException((m.startsWith(file.toString()) ? "the training log " + m
                    : "opening the training log " + file + ": " + m), e);
        }
    }

    /**
     * Refuses a log that a run resumed after epoch {@code resumedAfter} would continue with a gap: one whose last
     * epoch is before it, another run's log (or none of this run's epochs), which continued would join two runs' rows
     * without a word, and one whose rows up to it skip an epoch or are cut short. A log that is not there starts anew,
     * and so is not refused; {@link #appending appending}'s {@link #onTrainingStart} makes this check itself, and a
     * program may make it before its run starts.
     *
     * @param file         the log a resumed run is to continue
     * @param resumedAfter the epoch the run resumes after ({@link Trainer.Builder#initialEpoch}); 0 for a fresh run
     * @throws IOException              if the log cannot be read
     * @throws IllegalArgumentException if it is not a log of this format, lacks epochs before {@code resumedAfter}, or
     *         has a row up to it that skips an epoch or has another number of values than the header has columns
     */
    public static void requireContinues(Path file, int resumedAfter) throws IOException {
        if (Files.isRegularFile(file)) {
            requireNoGap(file, headerOf(file), rows(file), resumedAfter);
        }
    }

    /**
     * The rows of an earlier log, after its header, which must be {@link #HEADER} or it with validation metrics'
     * columns; none for an empty file.
     */
    private static List<String> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return List.of();
        }
        if (!ANY_HEADER.matcher(lines.get(0)).matches()) {
            throw new IllegalArgumentException("training log " + file + " does not start with the header " + HEADER
                    + " (or it with val_ columns of validation metrics); it is not a log to continue");
        }
        return lines.subList(1, lines.size());
    }

    /** The first line of an earlier log, or null for an empty file. */
    private static String headerOf(Path file) throws IOException {
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return in.readLine();
        }
    }

    /** The header of a run with {@code metrics}: {@link #HEADER} with a {@code val_NAME} column for each. */
    static String header(java.util.Collection<String> metrics) {
        StringBuilder columns = new StringBuilder();
        for (String m : metrics) {
            columns.append("val_").append(m).append(',');
        }
        return HEADER.replace(",learning_rate,", "," + columns + "learning_rate,");
    }

    /**
     * Refuses a log that would not continue whole: one that ends before {@code resumedAfter}, or whose rows up to it,
     * which the resumed run keeps, skip an epoch or have fewer or more values than the header has columns (a row
     * deleted or cut short by hand, or a log joined from two).
     */
    private static void requireNoGap(Path file, String header, List<String> rows, int resumedAfter) {
        int last = 0;
        int previous = -1;
        boolean any = false;
        int columns = header == null ? -1 : header.split(",", -1).length;
        for (String row : rows) {
            if (row.isEmpty()) {
                continue;
            }
            int epoch = epochOf(file, row);
            last = Math.max(last, epoch);
            any = true;
            if (epoch > resumedAfter) {
                continue;   // replaced by the resumed run's own row
            }
            if (previous >= 0 && epoch != previous + 1) {
                throw new IllegalArgumentException("training log " + file + ": the row of epoch " + epoch
                        + " follows epoch " + previous + (epoch > previous + 1 ? ", without the epochs between"
                        : "") + "; a resumed run would continue a log that is not whole: give the log the "
                        + "checkpoint's run wrote, or a new file");
            }
            int values = row.split(",", -1).length;
            if (columns > 0 && values != columns) {
                throw new IllegalArgumentException("training log " + file + ": the row of epoch " + epoch + " has "
                        + values + " values, and the header " + columns + " columns (a row cut short?); a resumed "
                        + "run would continue a log that is not whole: give the log the checkpoint's run wrote, or a "
                        + "new file");
            }
            previous = epoch;
        }
        // A log of no rows (empty, as a power cut soon after its first write may leave it) is started anew.
        if (resumedAfter > 0 && any && last < resumedAfter) {
            throw new IllegalArgumentException("training log " + file + " holds epochs up to " + last + ", but the "
                    + "run resumes after epoch " + resumedAfter + ": it is not this run's log (it lacks epochs "
                    + (last + 1) + "-" + resumedAfter + "); give the log the checkpoint's run wrote, or a new file");
        }
    }

    @Override
    public synchronized void onEpochEnd(EpochStats s) {
        if (text.length() == 0) {
            String header = header(s.validationMetrics().keySet());
            if (earlierHeader != null && !earlierHeader.equals(header)) {
                throw new IllegalArgumentException("training log " + file + " has the columns " + earlierHeader
                        + ", and this run writes " + header + ": continued, its rows would not line up; give the run "
                        + "the same validation metrics, or a new log");
            }
            text.append(header).append('\n');
            for (String row : earlier) {
                if (!row.isEmpty() && epochOf(file, row) < s.epoch()) {
                    text.append(row).append('\n');
                    elapsedBefore = elapsedOf(row);
                }
            }
            earlier = List.of();
        }
        text.append(s.epoch()).append(',')
                .append(number(s.trainLoss())).append(',')
                .append(number(s.trainAccuracy())).append(',')
                .append(number(s.validationLoss())).append(',')
                .append(number(s.validationAccuracy())).append(',');
        for (double v : s.validationMetrics().values()) {
            text.append(number(v)).append(',');
        }
        text.append(rate(s.learningRate())).append(',')
                .append(String.format(Locale.ROOT, "%.3f", elapsedBefore + s.elapsedMillis() / 1000.0))
                .append('\n');
        try {
            if (started < 0 && inPlace == null && AtomicFile.writesInPlace(file)) {
                // Called without onTrainingStart, as a caller outside Trainer may: asked once, at the first epoch.
                streams = true;
                inPlace = openInPlace();
            }
            if (inPlace != null) {
                // A pipe cannot be rewritten: its reader would get every earlier row again, each epoch. Nor opened
                // again each epoch: a reader that took the first close for the end has left, and the next open waits
                // for another for good.
                inPlace.write(text.substring(streamed).getBytes(StandardCharsets.UTF_8));
                inPlace.flush();
                streamed = text.length();
            } else {
                pending = true;
                lastEpoch = s.epoch();
                if (Thread.currentThread().isInterrupted()) {
                    writeInterrupted();
                }
                long now = clock.getAsLong();
                if (started < 0) {
                    started = now;   // used without onTrainingStart
                }
                if ((long) WRITE_SHARE * writing <= now - started) {
                    rewrite();
                }
            }
        } catch (IOException e) {
            throw failedWrite(e);
        }
    }

    /**
     * A thread interrupted during training (a cancelled task) used to fail at its next rewrite, the interrupt
     * closing the write; held back, the rows since the last rewrite were lost with it. They are written with the
     * interrupt set aside, and then the run fails, the interrupt set again for its caller.
     */
    private void writeInterrupted() throws IOException {
        Thread.interrupted();
        settingInterruptAside = true;
        try {
            rewrite();
        } finally {
            settingInterruptAside = false;
            Thread.currentThread().interrupt();
        }
        throw new java.io.InterruptedIOException(file + ": the thread training was interrupted after epoch "
                + lastEpoch + ", which the log holds, and every epoch before it");
    }

    /**
     * Writes the file whole, counting the time it took against the log's share of the run. An interrupt that comes
     * during the write closes its channel: the write is made again with the interrupt set aside, and then fails
     * with it ({@link #writeInterrupted}), so that the rows are not lost with it.
     */
    private void rewrite() throws IOException {
        long start = clock.getAsLong();
        try {
            AtomicFile.writeUnsynced(file, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted() && !settingInterruptAside) {
                writeInterrupted();
            }
            failed = true;
            throw e;
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        writing += clock.getAsLong() - start;
        pending = false;
        failed = false;
    }

    private UncheckedIOException failedWrite(IOException e) {
        // AtomicFile's message begins with the file ("FILE: no space left on device (FILE is as it was)").
        String m = String.valueOf(e.getMessage());
        return new UncheckedIOException("writing the training log " + (m.startsWith(file.toString()) ? m
                : file + ": " + m), e);
    }

    /**
     * Writes the rows held back since the last rewrite (see the class's "When the file is written"), so that the file
     * holds every epoch this logger has seen; nothing when it already does, and nothing for a pipe or device, which
     * has had every row as it came. The trainer calls it before a checkpoint records the run's progress; a program
     * about to stop may call it too.
     *
     * @throws IOException if the file cannot be written; it is then as it was
     */
    @Override
    public void flush() throws IOException {
        if (streams) {
            return;   // not waiting for the lock, which a pipe's open may hold until its reader comes
        }
        synchronized (this) {
            if (pending) {   // only ever set for a file: a stream has had every row
                rewrite();
            }
        }
    }

    /** The epoch of a row of an earlier log; a row that does not start with one is refused. */
    private static int epochOf(Path file, String row) {
        int comma = row.indexOf(',');
        try {
            return Integer.parseInt(comma < 0 ? row : row.substring(0, comma));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("training log " + file + ": row '" + row + "' does not start with an "
                    + "epoch number; it is not a log to continue", e);
        }
    }

    /** The elapsed_s of a row of an earlier log (its last cell); 0 for an empty or unreadable one. */
    private static double elapsedOf(String row) {
        try {
            return Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
        } catch (NumberFormatException e) {
            return 0;   // a time is not worth refusing the log for; the next rows then count from the resumed start
        }
    }

    /** Shortest decimal that reads back as the same double; empty for NaN (a missing value). */
    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /**
     * A learning rate as the optimizer holds it, a float: written as that float's shortest decimal ({@code 0.05}),
     * not as its double widening ({@code 0.05000000074505806}, noise to a reader and to Keras's CSVLogger's
     * {@code 0.05}). Parsed back as a float it is the same rate, bit for bit.
     */
    private static String rate(double value) {
        if (!Double.isNaN(value) && (double) (float) value == value) {
            return Float.toString((float) value);
        }
        return number(value);
    }

    /**
     * Writes the rows held back ({@link #flush}), and closes a pipe or device the log was written to: the run is
     * over, and its reader sees the end.
     *
     * @param history the finished run's history
     * @throws UncheckedIOException if the held-back rows cannot be written
     */
    @Override
    public synchronized void onTrainingEnd(History history) {
        try {
            flush();
        } catch (IOException e) {
            throw failedWrite(e);
        } finally {
            closeInPlace();
        }
    }

    /**
     * As {@link #onTrainingEnd}, for a failed run: the rows held back are written, so that the log shows the epochs
     * that led to the failure.
     *
     * @param failure what ended the run
     */
    @Override
    public synchronized void onTrainingFailed(Throwable failure) {
        try {
            if (!failed) {   // the run's own failure is the log's: one message, not the same again
                flush();
            }
        } catch (IOException e) {
            throw failedWrite(e);   // kept by the trainer beside the run's own failure
        } finally {
            closeInPlace();
        }
    }

    private void closeInPlace() {
        if (inPlace == null) {
            return;
        }
        try {
            inPlace.close();
        } catch (IOException e) {
            // its reader has gone: nothing was lost that a later row would have reached
        } finally {
            inPlace = null;
        }
    }

    /** {@return the log it writes, e.g. {@code CsvLogger(/runs/history.csv)}, for messages that name it} */
    @Override
    public String toString() {
        return "CsvLogger(" + file + ")";
    }

    /**
     * The file this logger writes.
     *
     * @return its absolute path
     */
    public Path file() {
        return file;
    }
}
