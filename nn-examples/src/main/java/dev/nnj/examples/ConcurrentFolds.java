package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.TrainingControl;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code --cv K --jobs N}: the K folds trained N at a time, each on a thread of its own, all on the one backend (whose
 * ops are safe for concurrent callers, and whose cpu kernels give the same bits however an op is split, so every fold
 * scores exactly what it scores alone).
 *
 * <p>Each fold writes its lines into a buffer of its own; they are printed in fold order, each fold's once it and the
 * folds before it are done, so the output reads as a run one fold at a time does, without per-epoch progress. An
 * interrupt names the folds running and their epochs. When a fold fails, the others stop at the end of their epoch
 * and the first failure, in fold order, is rethrown.
 */
final class ConcurrentFolds {
    /** One fold's training and scoring, writing its lines to {@code out}, with {@code control} among its listeners. */
    @FunctionalInterface
    interface Fold {
        CrossValidation.FoldResult train(int fold, PrintWriter out, TrainingListener control);
    }

    private final int folds;
    private final int jobs;
    private final int epochs;
    /** The epoch each fold is at: 0 before it starts, -1 when done. */
    private final AtomicIntegerArray at;
    private final AtomicBoolean failed = new AtomicBoolean();

    /**
     * @param folds  K
     * @param jobs   folds at a time, at least 2
     * @param epochs each fold's epochs, for the interrupt's line
     */
    ConcurrentFolds(int folds, int jobs, int epochs) {
        this.folds = folds;
        this.jobs = Math.min(jobs, folds);
        this.epochs = epochs;
        this.at = new AtomicIntegerArray(folds);
    }

    /**
     * Trains every fold and prints its lines to {@code out} in fold order.
     *
     * @param out  where the folds' lines go
     * @param stop the run's interrupt report, told which folds are running
     * @param fold the work of one fold
     * @return the folds' results, in fold order
     */
    List<CrossValidation.FoldResult> run(PrintWriter out, Interruption stop, Fold fold) {
        stop.stage(this::running);
        AtomicInteger named = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "digits-fold-" + named.incrementAndGet());
            t.setDaemon(true);   // an interrupt halts the JVM without waiting for a fold
            return t;
        });
        try {
            List<Future<Finished>> futures = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                int index = f;
                futures.add(threads.submit(() -> trainOne(index, fold)));
            }
            List<CrossValidation.FoldResult> results = new ArrayList<>();
            RuntimeException firstFailure = null;
            for (Future<Finished> future : futures) {
                Finished done = await(future);
                if (done.failure != null) {
                    firstFailure = firstFailure == null ? done.failure : firstFailure;
                    continue;
                }
                if (firstFailure == null) {
                    out.print(done.lines);
                    out.flush();
                    results.add(done.result);
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A fold's outcome: its result and lines, or how it failed. */
    private record Finished(CrossValidation.FoldResult result, String lines, RuntimeException failure) {
    }

    private Finished trainOne(int f, Fold fold) {
        StringWriter lines = new StringWriter();
        try (PrintWriter out = new PrintWriter(lines)) {
            at.set(f, 1);
            CrossValidation.FoldResult result = fold.train(f, out, listener(f));
            out.flush();
            return new Finished(result, lines.toString(), null);
        } catch (RuntimeException e) {
            failed.set(true);
            return new Finished(null, null, e);
        } finally {
            at.set(f, -1);
        }
    }

    private static Finished await(Future<Finished> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the folds", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Tracks fold {@code f}'s epoch, and stops it after the epoch in which another fold failed. */
    private TrainingListener listener(int f) {
        return new TrainingListener() {
            private TrainingControl control;

            @Override
            public void onTrainingStart(TrainingControl c) {
                control = c;
            }

            @Override
            public void onEpochEnd(EpochStats s) {
                at.set(f, Math.min(s.epoch() + 1, epochs));
                if (failed.get() && control != null) {
                    control.requestStop("another fold failed");
                }
            }
        };
    }

    /** The interrupt's stage: {@code "in folds 2 and 3 of 5 (at epochs 412 and 130 of 1000)"}. */
    String running() {
        List<String> which = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            int epoch = at.get(f);
            if (epoch > 0) {
                which.add(Integer.toString(f + 1));
                where.add(Integer.toString(epoch));
            }
        }
        if (which.isEmpty()) {
            return String.format(Locale.ROOT, "during %d-fold cross-validation, between folds", folds);
        }
        boolean one = which.size() == 1;
        return String.format(Locale.ROOT, "in fold%s %s of %d (at epoch%s %s of %d)", one ? "" : "s", join(which),
                folds, one ? "" : "s", join(where), epochs);
    }

    private static String join(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
