package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What a run stopped by a signal (Ctrl-C, {@code kill}, a CI job cancelled) says: one line on standard error naming
 * where it stood and what it had written, in every output mode, e.g.
 * <pre>
 *   digits: interrupted at epoch 37 of 500; nothing written
 *   digits: interrupted while writing plots/accuracy.png; written: m.safetensors, plots/loss.png
 * </pre>
 * The JVM runs shutdown hooks on such a signal and then halts, with no {@code finally} block run: the hook is the
 * only place to say it. It is registered for the length of a run ({@link #start}) and removed when the run returns
 * or fails ({@link #close}), so that the exit after a finished run says nothing. The run tells it what it is doing
 * ({@link #stage}) and what it has written ({@link #wrote}); a progress bar's line is ended before the message
 * ({@link #display}), and what a run created and left empty (the {@code --plots} folder) is removed
 * ({@link #onInterrupt}).
 */
final class Interruption implements AutoCloseable {
    /** Set once any run's hook has fired: a failure the halting JVM then causes is no error worth a line. */
    private static volatile boolean interrupted;

    /** The registered hook: marks the JVM as halting on a signal ({@link #happened}), then runs {@link #report}. */
    final Thread hook = new Thread(() -> {
        interrupted = true;
        report();
    }, "digits-interrupted");
    private final PrintWriter err;
    private volatile Supplier<String> stage = () -> "before training";
    private volatile Runnable display;
    /** The files written, each once, in the order first written. */
    private final java.util.Set<String> written = new java.util.LinkedHashSet<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private volatile Supplier<String> note = () -> null;
    private boolean registered;
    /** Held by a guarded listener while it writes, and by the hook to end such writes: see {@link #guard}. */
    private final java.util.concurrent.locks.ReentrantLock writes = new java.util.concurrent.locks.ReentrantLock();
    /** The guarded listeners that hold back what they write ({@link java.io.Flushable}), for the hook to write out. */
    private final List<Guarded> heldBack = new ArrayList<>();
    /**
     * How long the hook waits for a guarded write under way: a write to a named pipe whose reader has gone blocks
     * for good, and waiting for it kept the JVM from ever halting (only SIGKILL ended such a run).
     */
    static final long WRITE_WAIT_SECONDS = 10;
    private final long writeWaitMillis;
    /** Set by the hook under {@link #writes}, or without it where a write would not end. */
    private volatile boolean halting;

    /**
     * @param err where the line goes
     */
    Interruption(PrintWriter err) {
        this(err, WRITE_WAIT_SECONDS * 1000);
    }

    /**
     * @param err             where the line goes
     * @param writeWaitMillis how long the hook waits for a write under way
     */
    Interruption(PrintWriter err, long writeWaitMillis) {
        this.err = err;
        this.writeWaitMillis = writeWaitMillis;
    }

    /**
     * An interruption report registered as a shutdown hook until {@link #close}.
     *
     * @param err where the line goes
     * @return the registered report
     */
    static Interruption start(PrintWriter err) {
        Interruption i = new Interruption(err);
        try {
            Runtime.getRuntime().addShutdownHook(i.hook);
            i.registered = true;
        } catch (IllegalStateException exiting) {
            // interrupted already: the JVM is on its way out
        }
        return i;
    }

    /**
     * Whether a run's hook has fired: the JVM is halting on a signal.
     *
     * @return true once a hook has run
     */
    static boolean happened() {
        return interrupted;
    }

    /**
     * What the run is doing now, as the message's "interrupted ..." says it: {@code "while saving the model to m.st"}.
     *
     * @param where the words after "interrupted ", computed when the signal comes
     */
    void stage(Supplier<String> where) {
        stage = where;
    }

    /**
     * A file or folder the run has finished writing, named in the message (once, however often it is written).
     *
     * @param file the file
     */
    void wrote(Path file) {
        synchronized (written) {
            written.add(file.toString());
        }
    }

    /**
     * One more entry of the written files, found when the signal comes: the last checkpoint, written by the trainer
     * after every epoch.
     *
     * @param text the entry, or a supplier of null while there is none
     */
    void note(Supplier<String> text) {
        note = text;
    }

    /**
     * What ends a live display's line before the message (a progress bar's), or null when there is none.
     *
     * @param endLine draws the display's last state and ends its line
     */
    void display(Runnable endLine) {
        display = endLine;
    }

    /**
     * Something to undo when interrupted, before the message: an empty folder the run created.
     *
     * @param cleanup the action; its failure is ignored
     */
    void onInterrupt(Runnable cleanup) {
        synchronized (cleanups) {
            cleanups.add(cleanup);
        }
    }

    /**
     * A listener that keeps the stage at the epoch running: {@code "at epoch 37 of 500"}, with the run's
     * {@code label} (e.g. {@code " (seed 3, run 2 of 5)"}) after it.
     *
     * @param firstEpoch the epoch training starts at (after a resumed checkpoint's, else 1)
     * @param epochs     the epoch it ends at
     * @param label      put after the epoch; may be empty
     * @return the listener to add to the trainer
     */
    TrainingListener training(int firstEpoch, int epochs, String label) {
        int[] running = {firstEpoch};
        stage(() -> String.format(Locale.ROOT, "at epoch %d of %d%s", running[0], epochs, label));
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                running[0] = Math.min(s.epoch() + 1, epochs);   // the one running now; the last stays the last
            }
        };
    }

    /**
     * A listener that writes files (the checkpoints) made safe from the hook: the hook waits for a write under way to
     * finish, and after it the listener is not called again. The JVM halts only once its hooks are done, and the
     * training thread goes on until then; unguarded, it could finish an epoch and write a newer checkpoint after the
     * message had named the epoch the last one held, or be halted halfway through writing one.
     *
     * @param delegate the listener
     * @return the listener, each call of it skipped once the hook has fired
     */
    TrainingListener guard(TrainingListener delegate) {
        return guard(delegate, null);
    }

    /**
     * As {@link #guard(TrainingListener)}, for a listener that writes {@code file} after every epoch (a
     * {@code CsvLogger}): the file is named among the written ones from its first write on, so that a run interrupted
     * halfway does not deny the log it leaves.
     *
     * @param delegate the listener
     * @param file     what it writes
     * @return the listener, each call of it skipped once the hook has fired
     */
    TrainingListener guardWriting(TrainingListener delegate, Path file) {
        return guard(delegate, file);
    }

    private TrainingListener guard(TrainingListener delegate, Path file) {
        Guarded guarded = new Guarded(delegate, file);
        if (delegate instanceof java.io.Flushable) {
            synchronized (heldBack) {
                heldBack.add(guarded);
            }
        }
        return guarded;
    }

    /** A guarded listener ({@link #guard}); a {@link java.io.Flushable} one stays so, as the trainer asks for it. */
    private final class Guarded implements TrainingListener, java.io.Flushable {
        private final TrainingListener delegate;
        private final Path file;

        Guarded(TrainingListener delegate, Path file) {
            this.delegate = delegate;
            this.file = file;
        }

        @Override
        public void onTrainingStart(dev.nnj.api.train.TrainingControl control) {
            delegate.onTrainingStart(control);
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            writes.lock();
            Supplier<String> before = stage;
            try {
                if (!halting) {
                    if (file != null) {
                        // A write that stalls (a pipe's reader gone quiet) is where the run stands, not the
                        // next epoch the stage already names.
                        stage = () -> "while writing " + file + " after epoch " + stats.epoch();
                    }
                    delegate.onEpochEnd(stats);
                    if (file != null) {
                        wrote(file);
                    }
                }
            } finally {
                if (file != null) {
                    stage = before;
                }
                writes.unlock();
            }
        }

        /** Writes out what the listener held back (a log's last rows), unless the hook has taken over. */
        @Override
        public void flush() throws java.io.IOException {
            writes.lock();
            try {
                if (!halting) {
                    flushDelegate();
                }
            } finally {
                writes.unlock();
            }
        }

        /** The delegate's own flush, where it has one; the hook calls it past {@link #halting}, under the lock. */
        void flushDelegate() throws java.io.IOException {
            if (delegate instanceof java.io.Flushable log) {
                log.flush();
            }
        }

        @Override
        public void onTrainingEnd(dev.nnj.api.train.History history) {
            writes.lock();
            try {
                if (!halting) {
                    delegate.onTrainingEnd(history);
                }
            } finally {
                writes.unlock();
            }
        }

        @Override
        public void onTrainingFailed(Throwable failure) {
            delegate.onTrainingFailed(failure);
        }
    }

    /**
     * The hook's part of a guarded listener that holds back what it writes: a training log rewritten every few fast
     * epochs gets its last rows, as a run that ends does. Called under {@link #writes}, so no write of theirs is under
     * way. A failure is said in the line: the file then holds the epochs of its last rewrite.
     */
    private String flushHeldBack() {
        List<Guarded> all;
        synchronized (heldBack) {
            all = new ArrayList<>(heldBack);
        }
        for (Guarded g : all) {
            try {
                g.flushDelegate();
            } catch (java.io.IOException | RuntimeException e) {
                return " (" + (g.file != null ? g.file + "'s last rows" : "a log's last rows") + " could not be "
                        + "written: " + e.getMessage() + ")";
            }
        }
        return "";
    }

    /** The hook's work: the display's line ended, what the run made and left empty removed, then the line. */
    void report() {
        String where;
        boolean waited = false;
        try {
            // Waits for a guarded write under way; none starts after this, so the note below stays true.
            waited = writes.tryLock(writeWaitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            halting = true;
            // Where training stood when writes ended: it goes on until the JVM halts, and ending the bar's line and the
            // cleanups took long enough (12 keras epochs in a trial) for the message to name an epoch well past the
            // last checkpoint's, as if those epochs had been lost.
            where = stage.get();
            if (waited) {
                where += flushHeldBack();
            }
        } finally {
            if (waited) {
                writes.unlock();
            }
        }
        if (!waited) {
            where += " (a file was still being written after " + writeWaitMillis / 1000.0 + " s, a pipe no one reads "
                    + "or a stalled disk, and was left unfinished)";
        }
        Runnable endLine = display;
        if (endLine != null) {
            try {
                endLine.run();
            } catch (RuntimeException e) {
                // the message matters more than the bar
            }
        }
        synchronized (cleanups) {
            for (Runnable cleanup : cleanups) {
                try {
                    cleanup.run();
                } catch (RuntimeException e) {
                    // best effort: the JVM is halting
                }
            }
        }
        List<String> files;
        synchronized (written) {
            files = new ArrayList<>(written);
        }
        String extra = note.get();
        if (extra != null) {
            files.add(extra);
        }
        // While a file is written, the stage names it and what it may hold: "nothing written" would deny it, where
        // the signal came as its atomic write had just ended.
        String none = where.startsWith("while ") ? "nothing else written" : "nothing written";
        err.println("digits: interrupted " + where + "; "
                + (files.isEmpty() ? none : "written: " + String.join(", ", files)));
        err.flush();
    }

    /** Removes the hook: the run is over, and a later exit is no interruption of it. */
    @Override
    public void close() {
        if (!registered) {
            return;
        }
        registered = false;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // interrupted while closing: the hook runs, or has run, and says so
        }
    }
}
