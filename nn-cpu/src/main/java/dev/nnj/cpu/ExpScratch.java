package dev.nnj.cpu;

/**
 * The working arrays of {@link VectorExp} and of the kernels built on it, for one thread at a time: a run of
 * exponentials or logarithms beside the kernel's inputs ({@link #values}), and the powers of two between the
 * exponential's two passes ({@link #powers}).
 *
 * <p>Who owns one: a {@link VectorKernels} instance, which one op at a time borrows ({@link PooledKernels}), holds
 * one per part of a split op, made when first needed ({@link #ofPart}); part 0, which runs on the borrowing
 * thread, has the one that the ops run whole (the losses) use too. A part of a split op runs on one thread at a
 * time ({@link RangeTask}), so no two threads ever write one scratch at once.
 *
 * <p>Why not one per thread ({@code ThreadLocal}), as until now: a service that predicts from a new virtual thread
 * per request then allocated both arrays (32 KB) on every request, at its first sigmoid or softmax; a JFR profile
 * of such requests showed 1.17 GB of them per 20,000. Lent with the kernels, they are made once per instance.
 */
final class ExpScratch {
    /**
     * Floats in each array: room for a kernel's run of exponentials beside its inputs (an activation whose
     * {@code out} may be its {@code z}: {@link VectorActivationKernel#CHUNK} of them), or of logarithms (a loss,
     * which must not change its predictions), and for the powers of {@link VectorExp#expNonPositiveInPlace}, which
     * takes longer runs in pieces of this many.
     */
    static final int SIZE = 4096;

    /** The exponentials or logarithms a kernel computes in place, beside its inputs. */
    final float[] values = new float[SIZE];
    /** {@link VectorExp#expNonPositiveInPlace}'s powers of two, between its two passes. */
    final float[] powers = new float[SIZE];

    /**
     * Part {@code part}'s scratch, made when the part first needs one: most kernels instances never split an op, a
     * serving one need not hold a scratch per pool thread, and one that only multiplies matrices needs none.
     *
     * @param byPart one slot per part of a split op, written only by the thread running that part
     * @param part   the part, from 0
     * @return {@code byPart[part]}, made now if it was null
     */
    static ExpScratch ofPart(ExpScratch[] byPart, int part) {
        ExpScratch scratch = byPart[part];
        if (scratch == null) {
            scratch = new ExpScratch();
            byPart[part] = scratch;
        }
        return scratch;
    }
}
