package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cache-blocked, multithreaded GEMM on the incubating Vector API, after Goto and van de Geijn, "Anatomy of
 * High-Performance Matrix Multiplication" (ACM TOMS 2008), as in BLIS and OpenBLAS:
 * <pre>
 *   for jc in steps of NC:                       columns of C and B
 *     for pc in steps of KC:                     the shared dimension
 *       pack B[pc.., jc..] into slivers of KC x NR, unless B is read in place   (shared by the threads)
 *       for ic in steps of MC (this thread's rows):
 *         pack alpha · A[ic.., pc..] into rows of stride KA                     (L2 resident)
 *         for jr in steps of NR:                                                (B sliver in L1)
 *           for ir in steps of MR:
 *             C[ic+ir.., jc+jr..] += Ã · B̃      micro-kernel: an MR x NR tile of C in registers
 * </pre>
 * <b>Packing.</b> A is copied into rows of a fixed stride {@link #KA}, a compile-time constant, so the
 * kernel's {@code MR} loads of column {@code p} are one index register plus constant displacements (HotSpot
 * also drops their bounds checks, the index being the loop variable plus an invariant); without a
 * transpose the copy is a vector copy. B is read by rows of {@code NR} floats with a stride {@code ldb}:
 * either packed slivers ({@code ldb = NR}: contiguous, so large power-of-two strides do not alias in the
 * caches) or, when B is not transposed and little reused, the caller's array itself ({@code ldb = n}),
 * which saves the copy. {@code alpha} is folded into packed A; {@code beta} other than 0 or 1 scales C
 * once up front, so the kernels only set (first block when {@code beta = 0}) or add.
 *
 * <p><b>Register tile.</b> {@code MR} rows by two vectors: with 512-bit vectors (32 registers) 12 x 32,
 * 24 accumulators; with 256-bit vectors (16 registers) 6 x 16, 12 accumulators. The last tile of rows
 * uses a shorter kernel (8 or 4 rows); tiles cut by the edge of C are computed into a scratch tile.
 *
 * <p><b>Threads.</b> The rows of C are split between threads when there are enough of them (a packed B
 * is then packed by all and shared, with a barrier after packing), otherwise the columns (each thread
 * packs its own B part and all of the small A). Products under {@link #PARALLEL_FLOPS} stay on the
 * calling thread. All buffers are kept between calls and only grow.
 */
final class VectorGemm implements ParallelTask {

    /**
     * System property limiting the vector width to 256 bits ({@code -Dnnj.cpu.vector.bits=256}), to test the
     * 256-bit kernels on a machine that prefers 512.
     */
    static final String BITS_PROPERTY = "nnj.cpu.vector.bits";

    /** The vector shape of all fast-path kernels: the preferred one, 512 or 256 bits. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 16
            && !"256".equals(System.getProperty(BITS_PROPERTY)) ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /** Floats per vector. */
    static final int L = S.length();
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Rows of the register tile: as many as the register file holds beside the B vectors. */
    static final int MR = L >= 16 ? 12 : 6;

    /**
     * Depth of a block. A KC x NR sliver of B (64 KiB at 512 bits) streams from L2 while the kernel sweeps
     * the A block; measured on Zen 5 (48 KiB L1, 1 MiB L2), 512 beat 256 and 384 by 3-5 % at n ≥ 1024 on two
     * threads (fewer passes over C and fewer barriers) and was level elsewhere.
     */
    static final int KC = 512;
    /**
     * Row stride of packed A: KC plus one cache line, so that the MR rows a kernel reads fall in different
     * L1 sets (a stride of exactly 2 KiB would map every second row to the same set).
     */
    static final int KA = KC + 16;
    /** Rows of a packed A block, a multiple of MR: MC x KA floats (about 300 KiB) stay in L2. */
    static final int MC = 12 * MR;
    /** Columns of a B block, a multiple of NR: KC x NC floats stay in L3. */
    static final int NC = 128 * NR;

    /** Products with fewer flops ({@code 2mnk}) than this run on one thread: more would cost more to share. */
    static final long PARALLEL_FLOPS = 1L << 17;

    /**
     * B (not transposed) is read in place rather than packed when C has at most this many rows, as each
     * packed element would then be used too few times to repay its copy.
     */
    static final int DIRECT_B_MAX_M = 4 * MC;

    private final WorkerPool pool;
    private final int threads;

    /** Packed B block, shared by the threads. */
    private float[] packedB = new float[0];
    /** Per-thread packed A blocks. */
    private final float[][] packedA;
    /** Per-thread scratch tile for tiles cut by the edge of C. */
    private final float[][] edgeC;
    /** Per-thread scratch sliver for the last, partial sliver of a B read in place. */
    private final float[][] edgeB;

    // The current call, set by gemm() before the parts run.
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float beta;
    private float[] a;
    private float[] b;
    private float[] c;
    private boolean splitRows;
    private boolean directB;

    VectorGemm(WorkerPool pool) {
        this.pool = pool;
        this.threads = pool == null ? 1 : pool.threads();
        packedA = new float[threads][0];
        edgeC = new float[threads][MR * NR];
        edgeB = new float[threads][KC * NR];
    }

    /** Bits per vector of the micro-kernel, for descriptions. */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    /** {@code c = alpha · op(a) · op(b) + beta · c}, as {@link Kernels#gemm}. */
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
              float beta, float[] c) {
        this.transA = transposeA;
        this.transB = transposeB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.b = b;
        this.c = c;
        directB = !transposeB && m <= DIRECT_B_MAX_M;
        int tilesM = (m + MR - 1) / MR;
        int slivers = (Math.min(n, NC) + NR - 1) / NR;
        int parts = 1;
        splitRows = true;
        if (threads > 1 && 2L * m * n * k >= PARALLEL_FLOPS) {
            // Rows give each thread its own A block and share B; with few rows split the columns instead.
            splitRows = tilesM >= 2 * threads || tilesM >= slivers;
            parts = Math.min(threads, splitRows ? tilesM : slivers);
        }
        ensureBuffers(parts);
        if (beta != 0f && beta != 1f) {
            // The kernels either set C or add to it: scale C by beta once up front.
            scale(c, m * n, beta);
        }
        try {
            if (parts == 1) {
                run(0, 1);
            } else {
                pool.run(this, parts);
            }
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    private void ensureBuffers(int parts) {
        if (!directB) {
            int size = Math.min(k, KC) * roundUp(Math.min(n, NC), NR);
            if (packedB.length < size) {
                packedB = new float[size];
            }
        }
        int rows = splitRows ? Math.min(roundUp(m, MR), MC) : roundUp(m, MR);
        for (int t = 0; t < parts; t++) {
            if (packedA[t].length < rows * KA) {
                packedA[t] = new float[rows * KA];
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** {@code x[0 .. n) *= factor}. */
    private static void scale(float[] x, int n, float factor) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(factor).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= factor;
        }
    }

    @Override
    public void run(int part, int parts) {
        float[] pa = packedA[part];
        int tilesM = (m + MR - 1) / MR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // The first block of the shared dimension sets C when beta = 0; all others add to it.
                boolean accumulate = pc > 0 || beta != 0f;
                int s0 = slivers * part / parts;
                int s1 = slivers * (part + 1) / parts;
                if (splitRows) {
                    if (!directB) {
                        // All parts pack a share of the B block, then compute their rows from all of it.
                        packB(pc, kc, jc, s0 * NR, Math.min(s1 * NR, nc));
                        if (parts > 1) {
                            pool.barrier();
                        }
                    }
                    int i0 = tilesM * part / parts * MR;
                    int i1 = Math.min(tilesM * (part + 1) / parts * MR, m);
                    for (int ic = i0; ic < i1; ic += MC) {
                        int mc = Math.min(MC, i1 - ic);
                        packA(ic, mc, pc, kc, pa);
                        block(part, ic, mc, pc, kc, jc, 0, nc, accumulate);
                    }
                    if (!directB && parts > 1 && (pc + KC < k || jc + NC < n)) {
                        // Nobody may repack B while another part still reads it.
                        pool.barrier();
                    }
                } else {
                    // Each part owns a range of slivers and packs its B part and all of (the small) A itself.
                    int j0 = s0 * NR;
                    int j1 = Math.min(s1 * NR, nc);
                    if (j0 < j1) {
                        if (!directB) {
                            packB(pc, kc, jc, j0, j1);
                        }
                        packA(0, m, pc, kc, pa);
                        block(part, 0, m, pc, kc, jc, j0, j1, accumulate);
                    }
                }
            }
        }
    }

    /**
     * The macro-kernel: rows {@code ic .. ic+mc} of C against block columns {@code jc+j0 .. jc+j1}, the B
     * sliver outermost so that it stays in L1 while the A tiles stream from L2.
     */
    private void block(int part, int ic, int mc, int pc, int kc, int jc, int j0, int j1, boolean accumulate) {
        float[] pa = packedA[part];
        float[] tile = edgeC[part];
        for (int jr = j0; jr < j1; jr += NR) {
            int nr = Math.min(NR, j1 - jr);
            float[] pb;
            int bo;
            int ldb;
            if (!directB) {
                pb = packedB;
                bo = jr * kc;
                ldb = NR;
            } else if (nr == NR) {
                pb = b;
                bo = pc * n + jc + jr;
                ldb = n;
            } else {
                // The last sliver of an in-place B would read past the row: copy it, zero padded.
                pb = edgeB[part];
                bo = 0;
                ldb = NR;
                copySliver(pc, kc, jc + jr, nr, pb, 0);
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int h = tileHeight(mr);
                int ao = ir * KA;
                int co = (ic + ir) * n + jc + jr;
                if (mr == h && nr == NR) {
                    micro(h, kc, pa, ao, pb, bo, ldb, c, co, n, accumulate);
                } else {
                    // Edge tile: compute the whole tile into scratch, then add or copy the part inside C.
                    micro(h, kc, pa, ao, pb, bo, ldb, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int cr = co + r * n;
                        int tr = r * NR;
                        for (int j = 0; j < nr; j++) {
                            c[cr + j] = accumulate ? c[cr + j] + tile[tr + j] : tile[tr + j];
                        }
                    }
                }
            }
        }
    }

    /** Rows of the kernel used for a tile of {@code rows ≤ MR} rows: MR, or 8 / 4 for the last tile. */
    static int tileHeight(int rows) {
        if (rows >= MR) {
            return MR;
        }
        if (rows <= 4) {
            return 4;
        }
        if (MR > 8 && rows <= 8) {
            return 8;
        }
        return MR;
    }

    private static void micro(int h, int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co,
                              int ldc, boolean accumulate) {
        switch (h) {
            case 12:
                kernel12(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 8:
                kernel8(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 6:
                kernel6(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            default:
                kernel4(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
        }
    }

    // ---------------------------------------------------------------- packing

    /**
     * Packs {@code alpha · op(A)[i0 .. i0+mc, p0 .. p0+kc]} as rows of stride {@link #KA}: row {@code r} of
     * the block starts at {@code r * KA}. Rows past {@code mc} in the last tile keep stale values: they only
     * produce rows of the scratch tile that are never copied into C.
     */
    private void packA(int i0, int mc, int p0, int kc, float[] pa) {
        if (!transA) {
            // op(A)[i, p] = a[i * k + p]: each row is a contiguous run, copied a vector at a time.
            int bound = S.loopBound(kc);
            for (int r = 0; r < mc; r++) {
                int src = (i0 + r) * k + p0;
                int dst = r * KA;
                int p = 0;
                for (; p < bound; p += L) {
                    FloatVector.fromArray(S, a, src + p).mul(alpha).intoArray(pa, dst + p);
                }
                for (; p < kc; p++) {
                    pa[dst + p] = alpha * a[src + p];
                }
            }
        } else {
            // op(A)[i, p] = a[p * m + i]: each p holds a contiguous run of the block's rows, written down column p.
            for (int p = 0; p < kc; p++) {
                int src = (p0 + p) * m + i0;
                for (int r = 0; r < mc; r++) {
                    pa[r * KA + p] = alpha * a[src + r];
                }
            }
        }
    }

    /**
     * Packs rows {@code p0 .. p0+kc} and block columns {@code j0 .. j1} (relative to {@code jc}) of
     * {@code op(B)} as slivers of NR columns: the sliver at column {@code jr} starts at {@code jr * kc} and
     * holds, for each {@code p}, NR values, zero beyond {@code n}.
     */
    private void packB(int p0, int kc, int jc, int j0, int j1) {
        float[] pb = packedB;
        for (int jr = j0; jr < j1; jr += NR) {
            int cols = Math.min(NR, j1 - jr);
            int base = jr * kc;
            int col = jc + jr;
            if (!transB && cols == NR) {
                // op(B)[p, j] = b[p * n + j]: each sliver row is two contiguous vectors.
                for (int p = 0; p < kc; p++) {
                    int src = (p0 + p) * n + col;
                    int dst = base + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(pb, dst + L);
                }
            } else if (!transB) {
                copySliver(p0, kc, col, cols, pb, base);
            } else {
                // op(B)[p, j] = b[j * k + p]: read each row of b sequentially, write with stride NR.
                for (int j = 0; j < cols; j++) {
                    int src = (col + j) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /** Copies {@code cols < NR} columns from {@code col} of rows {@code p0 .. p0+kc} of B (not transposed), zero padded. */
    private void copySliver(int p0, int kc, int col, int cols, float[] pb, int base) {
        for (int p = 0; p < kc; p++) {
            int src = (p0 + p) * n + col;
            int dst = base + p * NR;
            for (int j = 0; j < cols; j++) {
                pb[dst + j] = b[src + j];
            }
            for (int j = cols; j < NR; j++) {
                pb[dst + j] = 0f;
            }
        }
    }

    // ---------------------------------------------------------------- micro-kernels

    /**
     * 12 rows x 2 vectors: 24 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads the 2 vectors of B row {@code p}, broadcasts 12 values of A column {@code p} and issues 24
     * independent FMAs. Starts from the tile of C when {@code accumulate}, else from zero; stores it back.
     */
    private static void kernel12(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co,
                                 int ldc, boolean accumulate) {
        FloatVector c0a; FloatVector c0b;
        FloatVector c1a; FloatVector c1b;
        FloatVector c2a; FloatVector c2b;
        FloatVector c3a; FloatVector c3b;
        FloatVector c4a; FloatVector c4b;
        FloatVector c5a; FloatVector c5b;
        FloatVector c6a; FloatVector c6b;
        FloatVector c7a; FloatVector c7b;
        FloatVector c8a; FloatVector c8b;
        FloatVector c9a; FloatVector c9b;
        FloatVector c10a; FloatVector c10b;
        FloatVector c11a; FloatVector c11b;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co); c0b = FloatVector.fromArray(S, c, co + L);
            c1a = FloatVector.fromArray(S, c, co + ldc); c1b = FloatVector.fromArray(S, c, co + ldc + L);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc); c2b = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc); c3b = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc); c4b = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc); c5b = FloatVector.fromArray(S, c, co + 5 * ldc + L);
            c6a = FloatVector.fromArray(S, c, co + 6 * ldc); c6b = FloatVector.fromArray(S, c, co + 6 * ldc + L);
            c7a = FloatVector.fromArray(S, c, co + 7 * ldc); c7b = FloatVector.fromArray(S, c, co + 7 * ldc + L);
            c8a = FloatVector.fromArray(S, c, co + 8 * ldc); c8b = FloatVector.fromArray(S, c, co + 8 * ldc + L);
            c9a = FloatVector.fromArray(S, c, co + 9 * ldc); c9b = FloatVector.fromArray(S, c, co + 9 * ldc + L);
            c10a = FloatVector.fromArray(S, c, co + 10 * ldc); c10b = FloatVector.fromArray(S, c, co + 10 * ldc + L);
            c11a = FloatVector.fromArray(S, c, co + 11 * ldc); c11b = FloatVector.fromArray(S, c, co + 11 * ldc + L);
        } else {
            c0a = FloatVector.zero(S); c0b = FloatVector.zero(S);
            c1a = FloatVector.zero(S); c1b = FloatVector.zero(S);
            c2a = FloatVector.zero(S); c2b = FloatVector.zero(S);
            c3a = FloatVector.zero(S); c3b = FloatVector.zero(S);
            c4a = FloatVector.zero(S); c4b = FloatVector.zero(S);
            c5a = FloatVector.zero(S); c5b = FloatVector.zero(S);
            c6a = FloatVector.zero(S); c6b = FloatVector.zero(S);
            c7a = FloatVector.zero(S); c7b = FloatVector.zero(S);
            c8a = FloatVector.zero(S); c8b = FloatVector.zero(S);
            c9a = FloatVector.zero(S); c9b = FloatVector.zero(S);
            c10a = FloatVector.zero(S); c10b = FloatVector.zero(S);
            c11a = FloatVector.zero(S); c11b = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4 * KA]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5 * KA]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6 * KA]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7 * KA]);
            c7a = a7.fma(b0, c7a); c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(S, pa[a + 8 * KA]);
            c8a = a8.fma(b0, c8a); c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(S, pa[a + 9 * KA]);
            c9a = a9.fma(b0, c9a); c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(S, pa[a + 10 * KA]);
            c10a = a10.fma(b0, c10a); c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(S, pa[a + 11 * KA]);
            c11a = a11.fma(b0, c11a); c11b = a11.fma(b1, c11b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
        c4a.intoArray(c, co + 4 * ldc); c4b.intoArray(c, co + 4 * ldc + L);
        c5a.intoArray(c, co + 5 * ldc); c5b.intoArray(c, co + 5 * ldc + L);
        c6a.intoArray(c, co + 6 * ldc); c6b.intoArray(c, co + 6 * ldc + L);
        c7a.intoArray(c, co + 7 * ldc); c7b.intoArray(c, co + 7 * ldc + L);
        c8a.intoArray(c, co + 8 * ldc); c8b.intoArray(c, co + 8 * ldc + L);
        c9a.intoArray(c, co + 9 * ldc); c9b.intoArray(c, co + 9 * ldc + L);
        c10a.intoArray(c, co + 10 * ldc); c10b.intoArray(c, co + 10 * ldc + L);
        c11a.intoArray(c, co + 11 * ldc); c11b.intoArray(c, co + 11 * ldc + L);
    }

    /**
     * 8 rows x 2 vectors: 16 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads the 2 vectors of B row {@code p}, broadcasts 8 values of A column {@code p} and issues 16
     * independent FMAs. Starts from the tile of C when {@code accumulate}, else from zero; stores it back.
     */
    private static void kernel8(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co,
                                 int ldc, boolean accumulate) {
        FloatVector c0a; FloatVector c0b;
        FloatVector c1a; FloatVector c1b;
        FloatVector c2a; FloatVector c2b;
        FloatVector c3a; FloatVector c3b;
        FloatVector c4a; FloatVector c4b;
        FloatVector c5a; FloatVector c5b;
        FloatVector c6a; FloatVector c6b;
        FloatVector c7a; FloatVector c7b;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co); c0b = FloatVector.fromArray(S, c, co + L);
            c1a = FloatVector.fromArray(S, c, co + ldc); c1b = FloatVector.fromArray(S, c, co + ldc + L);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc); c2b = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc); c3b = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc); c4b = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc); c5b = FloatVector.fromArray(S, c, co + 5 * ldc + L);
            c6a = FloatVector.fromArray(S, c, co + 6 * ldc); c6b = FloatVector.fromArray(S, c, co + 6 * ldc + L);
            c7a = FloatVector.fromArray(S, c, co + 7 * ldc); c7b = FloatVector.fromArray(S, c, co + 7 * ldc + L);
        } else {
            c0a = FloatVector.zero(S); c0b = FloatVector.zero(S);
            c1a = FloatVector.zero(S); c1b = FloatVector.zero(S);
            c2a = FloatVector.zero(S); c2b = FloatVector.zero(S);
            c3a = FloatVector.zero(S); c3b = FloatVector.zero(S);
            c4a = FloatVector.zero(S); c4b = FloatVector.zero(S);
            c5a = FloatVector.zero(S); c5b = FloatVector.zero(S);
            c6a = FloatVector.zero(S); c6b = FloatVector.zero(S);
            c7a = FloatVector.zero(S); c7b = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4 * KA]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5 * KA]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6 * KA]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7 * KA]);
            c7a = a7.fma(b0, c7a); c7b = a7.fma(b1, c7b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
        c4a.intoArray(c, co + 4 * ldc); c4b.intoArray(c, co + 4 * ldc + L);
        c5a.intoArray(c, co + 5 * ldc); c5b.intoArray(c, co + 5 * ldc + L);
        c6a.intoArray(c, co + 6 * ldc); c6b.intoArray(c, co + 6 * ldc + L);
        c7a.intoArray(c, co + 7 * ldc); c7b.intoArray(c, co + 7 * ldc + L);
    }

    /**
     * 6 rows x 2 vectors: 12 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads the 2 vectors of B row {@code p}, broadcasts 6 values of A column {@code p} and issues 12
     * independent FMAs. Starts from the tile of C when {@code accumulate}, else from zero; stores it back.
     */
    private static void kernel6(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co,
                                 int ldc, boolean accumulate) {
        FloatVector c0a; FloatVector c0b;
        FloatVector c1a; FloatVector c1b;
        FloatVector c2a; FloatVector c2b;
        FloatVector c3a; FloatVector c3b;
        FloatVector c4a; FloatVector c4b;
        FloatVector c5a; FloatVector c5b;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co); c0b = FloatVector.fromArray(S, c, co + L);
            c1a = FloatVector.fromArray(S, c, co + ldc); c1b = FloatVector.fromArray(S, c, co + ldc + L);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc); c2b = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc); c3b = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc); c4b = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc); c5b = FloatVector.fromArray(S, c, co + 5 * ldc + L);
        } else {
            c0a = FloatVector.zero(S); c0b = FloatVector.zero(S);
            c1a = FloatVector.zero(S); c1b = FloatVector.zero(S);
            c2a = FloatVector.zero(S); c2b = FloatVector.zero(S);
            c3a = FloatVector.zero(S); c3b = FloatVector.zero(S);
            c4a = FloatVector.zero(S); c4b = FloatVector.zero(S);
            c5a = FloatVector.zero(S); c5b = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4 * KA]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5 * KA]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
        c4a.intoArray(c, co + 4 * ldc); c4b.intoArray(c, co + 4 * ldc + L);
        c5a.intoArray(c, co + 5 * ldc); c5b.intoArray(c, co + 5 * ldc + L);
    }

    /**
     * 4 rows x 2 vectors: 8 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads the 2 vectors of B row {@code p}, broadcasts 4 values of A column {@code p} and issues 8
     * independent FMAs. Starts from the tile of C when {@code accumulate}, else from zero; stores it back.
     */
    private static void kernel4(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co,
                                 int ldc, boolean accumulate) {
        FloatVector c0a; FloatVector c0b;
        FloatVector c1a; FloatVector c1b;
        FloatVector c2a; FloatVector c2b;
        FloatVector c3a; FloatVector c3b;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co); c0b = FloatVector.fromArray(S, c, co + L);
            c1a = FloatVector.fromArray(S, c, co + ldc); c1b = FloatVector.fromArray(S, c, co + ldc + L);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc); c2b = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc); c3b = FloatVector.fromArray(S, c, co + 3 * ldc + L);
        } else {
            c0a = FloatVector.zero(S); c0b = FloatVector.zero(S);
            c1a = FloatVector.zero(S); c1b = FloatVector.zero(S);
            c2a = FloatVector.zero(S); c2b = FloatVector.zero(S);
            c3a = FloatVector.zero(S); c3b = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
    }
}
