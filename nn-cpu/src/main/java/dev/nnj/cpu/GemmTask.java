package dev.nnj.cpu;

/**
 * A GEMM {@code c = alpha · op(a) · op(b) + beta · c} computed in parts ({@link ParallelTask}): the operands
 * of the call in progress, kept in fields so that the parts can read them without a lambda capturing them
 * per call. {@link #begin} sets them before the parts run, {@link #end} lets go of the caller's arrays after.
 */
abstract class GemmTask implements ParallelTask {
    /** Whether {@code a} is read transposed: {@code op(a)[i, p] = a[p * m + i]} rather than {@code a[i * k + p]}. */
    boolean transA;
    /** Rows of C. */
    int m;
    /** Columns of C. */
    int n;
    /** The shared dimension. */
    int k;
    /** Scale of the product. */
    float alpha;
    /** Scale of the old C; 0 sets C without reading it. */
    float beta;
    /** The left operand. */
    float[] a;
    /** The right operand, as the parts read it. */
    float[] b;
    /** The result. */
    float[] c;

    /**
     * Records the operands of a call for its parts.
     *
     * @param transposeA whether {@code a} is {@code (k, m)} and read transposed
     * @param m rows of C
     * @param n columns of C
     * @param k the shared dimension
     * @param alpha scale of the product
     * @param a the left operand
     * @param b the right operand, in the layout the parts read
     * @param beta scale of the old C
     * @param c the result, {@code (m, n)}
     */
    final void begin(boolean transposeA, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
                     float[] c) {
        this.transA = transposeA;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** Drops the references to the caller's arrays, so that a long-lived kernel does not keep them alive. */
    final void end() {
        this.a = null;
        this.b = null;
        this.c = null;
    }
}
