package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.TrainingControl;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --history} written to a pipe or to standard output whose reader has gone ({@code --history /dev/stdout |
 * head -3}): said once, and the run goes on without its log, as it goes on when standard output itself is closed
 * (status 141 at the end). Without this, the log's broken pipe failed the run with status 1 and cost its model and
 * figures. Any other failure to write the log still fails the run.
 */
final class PipedLog implements TrainingListener {
    private final TrainingListener log;
    private final Path file;
    private final PrintWriter err;
    private boolean gone;
    /** Nanoseconds the log's start took: the wait for a pipe's reader, which is no training time. */
    private long startWait;

    /**
     * @param log  the training log's writer
     * @param file where it writes, a pipe or device, for the message
     * @param err  where the message goes
     */
    PipedLog(TrainingListener log, Path file, PrintWriter err) {
        this.log = log;
        this.file = file;
        this.err = err;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        gone = false;
        long t0 = System.nanoTime();
        log.onTrainingStart(control);
        startWait = System.nanoTime() - t0;
    }

    /** {@return seconds the run waited for the pipe's reader when it started} */
    double startWaitSeconds() {
        return startWait / 1e9;
    }

    /** {@return whether the reader left during the run, so that the log stops short} */
    boolean readerGone() {
        return gone;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (gone) {
            return;
        }
        try {
            log.onEpochEnd(stats);
        } catch (UncheckedIOException e) {
            if (!brokenPipe(e)) {
                throw e;
            }
            gone = true;
            err.printf(Locale.ROOT, "digits: warning: the reader of --history %s has gone (broken pipe) at epoch %d; "
                    + "training goes on without the log%n", file, stats.epoch());
            err.flush();
        }
    }

    @Override
    public void onTrainingEnd(History history) {
        log.onTrainingEnd(history);   // closes the pipe, quietly where its reader has gone
    }

    @Override
    public void onTrainingFailed(Throwable failure) {
        log.onTrainingFailed(failure);
    }

    /** Whether {@code e} comes of a pipe whose reader has gone (EPIPE, "Broken pipe" in the JDK's words). */
    static boolean brokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }
}
