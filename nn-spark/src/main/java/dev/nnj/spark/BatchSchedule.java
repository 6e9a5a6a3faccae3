package dev.nnj.spark;

import java.io.Serializable;
import java.util.Random;

/**
 * Which global rows form each batch of each epoch: exactly the order nnj's single-machine {@code Trainer}
 * uses for the same seed (a {@code java.util.Random(seed)} driving one Fisher–Yates shuffle of the previous
 * epoch's order at the start of every epoch, batch {@code b} = positions {@code [b·B, (b+1)·B)}), so
 * synchronous data-parallel training computes the same batch gradients as one machine, up to the order of
 * float additions.
 *
 * <p>Every executor derives the order itself from {@code (seed, rows, batchSize)}: nothing but those three
 * numbers travels, and a retried task derives the same order. The latest epoch's order is cached per JVM,
 * since replaying {@code e} shuffles costs {@code O(e·rows)}.
 */
final class BatchSchedule implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Object LOCK = new Object();
    /** Cache of one schedule's latest order in this JVM; guarded by {@link #LOCK}. */
    private static CachedOrder cached;

    private final long seed;
    private final int rows;
    private final int batchSize;

    /**
     * @param seed      the shuffle seed (the {@code Trainer}'s seed)
     * @param rows      number of training rows {@code n}
     * @param batchSize rows per batch; {@code <= 0} or {@code >= n} means one full batch, never shuffled
     */
    BatchSchedule(long seed, int rows, int batchSize) {
        if (rows <= 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        this.seed = seed;
        this.rows = rows;
        this.batchSize = batchSize <= 0 || batchSize >= rows ? rows : batchSize;
    }

    /** @return rows per batch (the last batch of an epoch may be smaller) */
    int batchSize() {
        return batchSize;
    }

    /** @return {@code ceil(n / B)} */
    int batchesPerEpoch() {
        return (rows + batchSize - 1) / batchSize;
    }

    /**
     * The number of a global batch among all the run's steps, from 0: {@code (epoch - 1) · batchesPerEpoch + batch},
     * the count nnj's {@code Trainer} and its {@code Dropout} layers have reached at that step.
     *
     * @param epoch 1-based epoch
     * @param batch 0-based batch of the epoch
     * @return the step's number
     */
    long step(int epoch, int batch) {
        return (long) (epoch - 1) * batchesPerEpoch() + batch;
    }

    /** @return number of training rows */
    int rows() {
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BatchSchedule)) {
            return false;
        }
        BatchSchedule s = (BatchSchedule) o;
        return seed == s.seed && rows == s.rows && batchSize == s.batchSize;
    }

    @Override
    public int hashCode() {
        return Long.hashCode((seed * 1_000_003L + rows) * 1_000_003L + batchSize);
    }

    /**
     * The row order of {@code epoch}: position → global row index. Shared, do not modify.
     *
     * @param epoch 1-based epoch
     * @return the order, {@code rows} entries
     */
    int[] order(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, got " + epoch);
        }
        synchronized (LOCK) {
            CachedOrder c = cached;
            if (c == null || !c.schedule.equals(this) || c.epoch > epoch) {
                c = new CachedOrder(this);
            }
            boolean shuffle = batchSize < rows;   // a full batch is never shuffled, as in Trainer
            while (c.epoch < epoch) {
                // A new array per epoch: callers may still hold the previous epoch's order.
                int[] next = c.order.clone();
                if (shuffle) {
                    for (int i = next.length - 1; i > 0; i--) {
                        int j = c.random.nextInt(i + 1);
                        int t = next[i];
                        next[i] = next[j];
                        next[j] = t;
                    }
                }
                c.order = next;
                c.epoch++;
            }
            cached = c;
            return c.order;
        }
    }

    /** One schedule's order after {@code epoch} shuffles, and the generator positioned for the next. */
    private static final class CachedOrder {
        final BatchSchedule schedule;
        final Random random;
        int[] order;
        int epoch;

        CachedOrder(BatchSchedule schedule) {
            this.schedule = schedule;
            this.random = new Random(schedule.seed);
            this.order = new int[schedule.rows];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
    }
}
