package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.IndexSplit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The digits trainer's reading of nn-api's built-in {@link Digits}: the same data, read ahead on a thread of its own
 * ({@link #prefetch()}) while the trainer starts up.
 */
public final class DigitsData {
    /** Set by {@link #prefetch()}, taken by the next {@link #load()}. */
    private static final AtomicReference<FutureTask<Dataset>> PREFETCHED = new AtomicReference<>();

    private DigitsData() {
    }

    /**
     * {@link Digits#load()}, or the images {@link #prefetch()} is reading, once they are read.
     *
     * @return the full data set, {@code (1797, 64)} features and {@code (1797, 10)} targets
     */
    public static Dataset load() {
        FutureTask<Dataset> prefetched = PREFETCHED.getAndSet(null);
        if (prefetched == null) {
            return Digits.load();
        }
        try {
            return prefetched.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + Digits.RESOURCE_DIR + Digits.DATA_FILE, e);
        }
    }

    /**
     * Starts reading the images on a daemon thread, for the next {@link #load()} to take: the digits trainer calls
     * it first thing, and sets up its logging, command line and backend meanwhile. On a cold JVM that is a tenth
     * of a second of parsing moved onto the core the JIT compilers leave idle at that point. Calling it again
     * before a {@code load()} does nothing.
     */
    public static void prefetch() {
        FutureTask<Dataset> task = new FutureTask<>(Digits::load);
        if (PREFETCHED.compareAndSet(null, task)) {
            Thread reader = new Thread(task, "digits-prefetch");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * {@link Digits#scaledArticleSplit()} of the images {@link #load()} gives.
     *
     * @return the scaled training and test sets
     */
    public static IndexSplit.Datasets scaledArticleSplit() {
        Dataset all = load();
        return Digits.scaledArticleSplit(Digits.articleScaler(all), all);
    }
}
