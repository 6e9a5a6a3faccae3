package dev.nnj.cpu;

/**
 * Cache-blocked, multithreaded GEMM in plain Java, the fallback when the Vector API is not available: the
 * reference's {@link ReferenceKernels#gemm} reordered by rows of C (sums round differently, to float precision).
 *
 * <p>Each row of C is updated as a sum of scaled rows of {@code op(B)}:
 * {@code C[i, :] += (alpha · op(A)[i, p]) · op(B)[p, :]}. The inner loop runs along contiguous rows of C
 * and B (a candidate for HotSpot's superword pass, though on JDK 17 it measured about 8 GFLOP/s per core,
 * scalar speed); blocking keeps a {@code KC x NC} block of B in L2 while every row of this thread's range
 * passes over it. When B is transposed it is first copied into row-major order in a reused workspace.
 * Threads split the rows of C.
 */
final class ScalarGemm extends GemmTask {
    /** Rows of B per block. */
    static final int KC = 256;
    /** Columns of B per block: KC x NC floats (512 KiB) stay in L2. */
    static final int NC = 512;
    /** Products with fewer flops than this run on the calling thread. */
    static final long PARALLEL_FLOPS = 1L << 20;

    private final WorkerPool pool;
    private final int threads;
    private float[] transposedB = new float[0];

    ScalarGemm(WorkerPool pool) {
        this.pool = pool;
        this.threads = pool == null ? 1 : pool.threads();
    }

    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
              float beta, float[] c) {
        if (transposeB) {
            // op(B) = bᵀ with b (n, k): copy into a (k, n) row-major workspace once per call.
            if (transposedB.length < k * n) {
                transposedB = new float[k * n];
            }
            float[] bt = transposedB;
            for (int j = 0; j < n; j++) {
                int src = j * k;
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[src + p];
                }
            }
            b = bt;
        }
        begin(transposeA, m, n, k, alpha, a, b, beta, c);
        int parts = threads > 1 && 2L * m * n * k >= PARALLEL_FLOPS ? Math.min(pool.threadsNow(), m) : 1;
        try {
            if (parts == 1) {
                run(0, 1);
            } else {
                pool.run(this, parts, true);
            }
        } finally {
            end();
        }
    }

    @Override
    public void run(int part, int parts) {
        int i0 = (int) ((long) m * part / parts);
        int i1 = (int) ((long) m * (part + 1) / parts);
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            // beta = 0 sets: the old C is not read, so NaN there does not survive.
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            }
        }
        for (int jc = 0; jc < n; jc += NC) {
            int j1 = Math.min(n, jc + NC);
            for (int pc = 0; pc < k; pc += KC) {
                int p1 = Math.min(k, pc + KC);
                for (int i = i0; i < i1; i++) {
                    int ci = i * n;
                    for (int p = pc; p < p1; p++) {
                        float aip = alpha * (transA ? a[p * m + i] : a[i * k + p]);
                        int bp = p * n;
                        // Contiguous in j: one multiply-add per element of the row, no other work in the loop.
                        for (int j = jc; j < j1; j++) {
                            c[ci + j] += aip * b[bp + j];
                        }
                    }
                }
            }
        }
    }
}
