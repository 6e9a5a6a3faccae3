package dev.nnj.cpu;

/**
 * A pass over {@code count} items (rows, or elements with {@code width = 1}), run on the calling thread or,
 * from {@link #PARALLEL_ELEMENTS} elements, split in contiguous ranges between the pool's threads. Ranges
 * are cut where the flat element offset is a multiple of {@code grain} (the vector length) so that only the
 * last part has a scalar tail ({@link #rowGrain}).
 *
 * <p>Subclasses are created once per backend and carry the op's arguments in fields, set by a method that
 * then calls {@link #dispatch} and clears the array references: dispatching allocates nothing, and the task
 * holds no caller's array between calls. Not reentrant: one op at a time, each lent its own kernels ({@link PooledKernels}).
 * A part runs on one thread at a time, so state that a part writes (the exponential's {@link ExpScratch}) can be
 * kept per part, indexed by the {@code part} that {@link #range} is given.
 */
abstract class RangeTask implements ParallelTask {
    /**
     * Work is split between threads from this many elements (rows x cols for the row-wise ops): below it,
     * waking a worker costs more than the pass itself.
     */
    static final int PARALLEL_ELEMENTS = 1 << 15;

    private final WorkerPool pool;
    private final int grain;
    private int count;
    private int width;

    /**
     * @param pool  the threads to split between; null runs everything on the caller
     * @param grain element ranges start at multiples of it (the vector length in floats)
     */
    RangeTask(WorkerPool pool, int grain) {
        this.pool = pool;
        this.grain = grain;
    }

    /**
     * Runs {@link #range} over all {@code count} items, split between threads when large.
     *
     * @param count items: rows, or elements when {@code width = 1}
     * @param width elements per item
     */
    final void dispatch(int count, int width) {
        this.count = count;
        this.width = width;
        long elements = (long) count * width;
        int parts = pool == null || elements < PARALLEL_ELEMENTS ? 1 : Math.min(pool.threadsNow(), count);
        if (parts == 1) {
            range(0, 0, count);
        } else {
            pool.run(this, parts, true);
        }
    }

    @Override
    public final void run(int part, int parts) {
        int g = rowGrain(width, grain);
        int units = (count + g - 1) / g;
        int from = Math.min(count, units * part / parts * g);
        int to = Math.min(count, units * (part + 1) / parts * g);
        if (from < to) {
            range(part, from, to);
        }
    }

    /**
     * Items per unit of the split: parts start at multiples of it. Elements ({@code width = 1}) go by whole
     * vectors; rows by the fewest whose elements fill whole vectors ({@code grain / gcd(width, grain)}: 8 rows of
     * 10 columns, 1 row of 64). A kernel that runs short rows as one flat run (the 10-class softmax, an
     * activation of a narrow layer) then puts the same elements in whole vectors, and the same in its scalar
     * tail, however the rows are split: the scalar formulas ({@code Math.exp}, {@code Math.tanh}) need not
     * round like the vector ones, and a result must not depend on how many threads were free.
     *
     * @param width elements per item
     * @param grain the vector length in floats
     * @return items per unit
     */
    static int rowGrain(int width, int grain) {
        int a = width;
        int b = grain;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return grain / a;
    }

    /**
     * The op on items {@code [from, to)}.
     *
     * @param part which part of the op this is, from 0 (0 when it runs whole): no other thread runs the same part
     *             of this task meanwhile
     * @param from first item
     * @param to   one past the last item
     */
    abstract void range(int part, int from, int to);
}
