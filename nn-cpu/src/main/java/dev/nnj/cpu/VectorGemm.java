package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, cache-blocked, multithreaded GEMM on the incubating Vector API, after Goto and van de Geijn,
 * "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 2008), as in BLIS and OpenBLAS:
 * <pre>
 *   for jc in steps of NC:                       columns of C and B
 *     for pc in steps of KC:                     the shared dimension
 *       pack B[pc.., jc..] into slivers of KC x NR               (L3 / L2 resident, shared by threads)
 *       for ic in steps of MC (this thread's rows):
 *         pack A[ic.., pc..] into tiles of MR x KC               (L2 resident)
 *         for jr in steps of NR:                                 (B sliver in L1)
 *           for ir in steps of MR:
 *             C[ic+ir.., jc+jr..] = alpha · Ã · B̃ + beta · C     (micro-kernel: MR x NR in registers)
 * </pre>
 * Packing copies each operand once per block into the exact order the micro-kernel reads it, so the
 * kernel's loads are sequential whatever the transposes and leading dimensions; zero padding at the
 * edges lets the kernel always compute a full tile.
 *
 * <p>The register tile is {@code MR} rows by two vectors: with 512-bit vectors (32 registers) 12 x 32,
 * 24 accumulators; with 256-bit vectors (16 registers) 6 x 16, 12 accumulators. Threads split the rows
 * of C when there are enough of them (sharing the packed B, with a barrier after packing) and otherwise
 * the columns (each packing its own B part); products under {@link #PARALLEL_FLOPS} run on the calling
 * thread alone. All buffers are kept between calls and only grow.
 */
final class VectorGemm implements ParallelTask {

    /** The vector shape of the micro-kernel: the preferred one, 512 or 256 bits. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /** Floats per vector. */
    static final int L = S.length();
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Rows of the register tile: as many as the register file holds beside the B vectors. */
    static final int MR = L >= 16 ? 12 : 6;

    /** Depth of a packed block: a KC x NR sliver of B stays in L1 while the kernel sweeps over A. */
    static final int KC = 256;
    /** Rows of a packed A block, a multiple of MR; MC x KC floats stay in L2. */
    static final int MC = 12 * MR;
    /** Columns of a packed B block, a multiple of NR; KC x NC floats stay in L3. */
    static final int NC = 128 * NR;

    /** Products with fewer flops ({@code 2mnk}) than this run on one thread: waking others costs more. */
    static final long PARALLEL_FLOPS = 1L << 21;

    private final WorkerPool pool;
    private final int threads;

    /** Packed B block, shared by the threads. */
    private float[] packedB = new float[0];
    /** Per-thread packed A blocks. */
    private final float[][] packedA;
    /** Per-thread scratch tile for edge tiles that do not fill MR x NR. */
    private final float[][] edge;

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

    VectorGemm(WorkerPool pool) {
        this.pool = pool;
        this.threads = pool == null ? 1 : pool.threads();
        packedA = new float[threads][0];
        edge = new float[threads][MR * NR];
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
        int kc = Math.min(k, KC);
        int nc = roundUp(Math.min(n, NC), NR);
        if (packedB.length < kc * nc) {
            packedB = new float[kc * nc];
        }
        int mc = splitRows ? Math.min(roundUp(m, MR), MC) : roundUp(m, MR);
        for (int t = 0; t < parts; t++) {
            if (packedA[t].length < kc * mc) {
                packedA[t] = new float[kc * mc];
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    @Override
    public void run(int part, int parts) {
        float[] pa = packedA[part];
        float[] tile = edge[part];
        int tilesM = (m + MR - 1) / MR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // The first block of the shared dimension applies the caller's beta; the others accumulate.
                float betaBlock = pc == 0 ? beta : 1f;
                if (splitRows) {
                    // All parts pack a share of the B block, then all compute their rows from the whole of it.
                    int s0 = slivers * part / parts;
                    int s1 = slivers * (part + 1) / parts;
                    packB(pc, kc, jc, s0 * NR, Math.min(s1 * NR, nc), packedB);
                    if (parts > 1) {
                        pool.barrier();
                    }
                    int i0 = tilesM * part / parts * MR;
                    int i1 = Math.min(tilesM * (part + 1) / parts * MR, m);
                    for (int ic = i0; ic < i1; ic += MC) {
                        int mc = Math.min(MC, i1 - ic);
                        packA(ic, mc, pc, kc, pa);
                        block(pa, ic, mc, packedB, jc, 0, nc, kc, betaBlock, tile);
                    }
                    if (parts > 1 && (pc + KC < k || jc + NC < n)) {
                        // Nobody may repack B while another part still reads it.
                        pool.barrier();
                    }
                } else {
                    // Each part owns a range of B slivers and packs all of A for itself (A is small here).
                    int s0 = slivers * part / parts;
                    int s1 = slivers * (part + 1) / parts;
                    int j0 = s0 * NR;
                    int j1 = Math.min(s1 * NR, nc);
                    if (j0 >= j1) {
                        continue;
                    }
                    packB(pc, kc, jc, j0, j1, packedB);
                    packA(0, m, pc, kc, pa);
                    block(pa, 0, m, packedB, jc, j0, j1, kc, betaBlock, tile);
                }
            }
        }
    }

    /**
     * The macro-kernel: rows {@code ic .. ic+mc} of C against packed columns {@code jc+j0 .. jc+j1}, the B
     * sliver outermost so that it stays in L1 while the A tiles stream from L2.
     */
    private void block(float[] pa, int ic, int mc, float[] pb, int jc, int j0, int j1, int kc, float betaBlock,
                       float[] tile) {
        for (int jr = j0; jr < j1; jr += NR) {
            int nr = Math.min(NR, j1 - jr);
            int bo = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int h = tileHeight(mr);
                int ao = ir * kc;
                int co = (ic + ir) * n + jc + jr;
                if (mr == h && nr == NR) {
                    micro(h, kc, pa, ao, pb, bo, c, co, n, alpha, betaBlock);
                } else {
                    // Edge tile: compute the padded tile into scratch, then copy the part inside C.
                    micro(h, kc, pa, ao, pb, bo, tile, 0, NR, 1f, 0f);
                    for (int r = 0; r < mr; r++) {
                        int cr = co + r * n;
                        int tr = r * NR;
                        for (int j = 0; j < nr; j++) {
                            c[cr + j] = betaBlock == 0f ? alpha * tile[tr + j]
                                    : alpha * tile[tr + j] + betaBlock * c[cr + j];
                        }
                    }
                }
            }
        }
    }

    /** Rows of the kernel used for a tile of {@code rows ≤ MR} rows: MR, or 8 / 6 / 4 for the last tile. */
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

    private static void micro(int h, int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                              float alpha, float beta) {
        switch (h) {
            case 12:
                kernel12(kc, pa, ao, pb, bo, c, co, ldc, alpha, beta);
                break;
            case 8:
                kernel8(kc, pa, ao, pb, bo, c, co, ldc, alpha, beta);
                break;
            case 6:
                kernel6(kc, pa, ao, pb, bo, c, co, ldc, alpha, beta);
                break;
            default:
                kernel4(kc, pa, ao, pb, bo, c, co, ldc, alpha, beta);
                break;
        }
    }

    // ---------------------------------------------------------------- packing

    /**
     * Packs rows {@code i0 .. i0+mc} and columns {@code p0 .. p0+kc} of {@code op(A)} as consecutive tiles:
     * tile at row {@code ir} starts at {@code ir * kc} and holds, for each {@code p}, its {@code h} rows
     * ({@link #tileHeight}), zero beyond {@code m}.
     */
    private void packA(int i0, int mc, int p0, int kc, float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int h = tileHeight(rows);
            int base = ir * kc;
            if (transA) {
                // op(A)[i, p] = a[p * m + i]: the h values of one p are contiguous.
                for (int p = 0; p < kc; p++) {
                    int src = (p0 + p) * m + i0 + ir;
                    int dst = base + p * h;
                    for (int r = 0; r < rows; r++) {
                        pa[dst + r] = a[src + r];
                    }
                    for (int r = rows; r < h; r++) {
                        pa[dst + r] = 0f;
                    }
                }
            } else {
                // op(A)[i, p] = a[i * k + p]: read each row sequentially, write with stride h.
                for (int r = 0; r < rows; r++) {
                    int src = (i0 + ir + r) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        pa[base + p * h + r] = a[src + p];
                    }
                }
                for (int r = rows; r < h; r++) {
                    for (int p = 0; p < kc; p++) {
                        pa[base + p * h + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code p0 .. p0+kc} and block columns {@code j0 .. j1} (relative to {@code jc}) of
     * {@code op(B)} as slivers of NR columns: the sliver at column {@code jr} starts at {@code jr * kc} and
     * holds, for each {@code p}, NR values, zero beyond {@code n}.
     */
    private void packB(int p0, int kc, int jc, int j0, int j1, float[] pb) {
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

    // ---------------------------------------------------------------- micro-kernels

    /**
     * 12 rows x 2 vectors: 24 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads 2 vectors of the packed B sliver, broadcasts 12 packed A values and issues 24 independent FMAs.
     */
    private static void kernel12(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                                 float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S); FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S); FloatVector c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S); FloatVector c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S); FloatVector c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S); FloatVector c101 = FloatVector.zero(S);
        FloatVector c110 = FloatVector.zero(S); FloatVector c111 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int b = bo + p * NR;
            int a = ao + p * 12;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, pa[a + 8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, pa[a + 9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, pa[a + 10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, pa[a + 11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        // Written out rather than calling a helper: a call would box the accumulators.
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, co); c01.mul(alpha).intoArray(c, co + L);
            c10.mul(alpha).intoArray(c, co + ldc); c11.mul(alpha).intoArray(c, co + ldc + L);
            c20.mul(alpha).intoArray(c, co + 2 * ldc); c21.mul(alpha).intoArray(c, co + 2 * ldc + L);
            c30.mul(alpha).intoArray(c, co + 3 * ldc); c31.mul(alpha).intoArray(c, co + 3 * ldc + L);
            c40.mul(alpha).intoArray(c, co + 4 * ldc); c41.mul(alpha).intoArray(c, co + 4 * ldc + L);
            c50.mul(alpha).intoArray(c, co + 5 * ldc); c51.mul(alpha).intoArray(c, co + 5 * ldc + L);
            c60.mul(alpha).intoArray(c, co + 6 * ldc); c61.mul(alpha).intoArray(c, co + 6 * ldc + L);
            c70.mul(alpha).intoArray(c, co + 7 * ldc); c71.mul(alpha).intoArray(c, co + 7 * ldc + L);
            c80.mul(alpha).intoArray(c, co + 8 * ldc); c81.mul(alpha).intoArray(c, co + 8 * ldc + L);
            c90.mul(alpha).intoArray(c, co + 9 * ldc); c91.mul(alpha).intoArray(c, co + 9 * ldc + L);
            c100.mul(alpha).intoArray(c, co + 10 * ldc); c101.mul(alpha).intoArray(c, co + 10 * ldc + L);
            c110.mul(alpha).intoArray(c, co + 11 * ldc); c111.mul(alpha).intoArray(c, co + 11 * ldc + L);
        } else {
            int r0 = co;
            c00.mul(alpha).add(FloatVector.fromArray(S, c, r0).mul(beta)).intoArray(c, r0);
            c01.mul(alpha).add(FloatVector.fromArray(S, c, r0 + L).mul(beta)).intoArray(c, r0 + L);
            int r1 = co + ldc;
            c10.mul(alpha).add(FloatVector.fromArray(S, c, r1).mul(beta)).intoArray(c, r1);
            c11.mul(alpha).add(FloatVector.fromArray(S, c, r1 + L).mul(beta)).intoArray(c, r1 + L);
            int r2 = co + 2 * ldc;
            c20.mul(alpha).add(FloatVector.fromArray(S, c, r2).mul(beta)).intoArray(c, r2);
            c21.mul(alpha).add(FloatVector.fromArray(S, c, r2 + L).mul(beta)).intoArray(c, r2 + L);
            int r3 = co + 3 * ldc;
            c30.mul(alpha).add(FloatVector.fromArray(S, c, r3).mul(beta)).intoArray(c, r3);
            c31.mul(alpha).add(FloatVector.fromArray(S, c, r3 + L).mul(beta)).intoArray(c, r3 + L);
            int r4 = co + 4 * ldc;
            c40.mul(alpha).add(FloatVector.fromArray(S, c, r4).mul(beta)).intoArray(c, r4);
            c41.mul(alpha).add(FloatVector.fromArray(S, c, r4 + L).mul(beta)).intoArray(c, r4 + L);
            int r5 = co + 5 * ldc;
            c50.mul(alpha).add(FloatVector.fromArray(S, c, r5).mul(beta)).intoArray(c, r5);
            c51.mul(alpha).add(FloatVector.fromArray(S, c, r5 + L).mul(beta)).intoArray(c, r5 + L);
            int r6 = co + 6 * ldc;
            c60.mul(alpha).add(FloatVector.fromArray(S, c, r6).mul(beta)).intoArray(c, r6);
            c61.mul(alpha).add(FloatVector.fromArray(S, c, r6 + L).mul(beta)).intoArray(c, r6 + L);
            int r7 = co + 7 * ldc;
            c70.mul(alpha).add(FloatVector.fromArray(S, c, r7).mul(beta)).intoArray(c, r7);
            c71.mul(alpha).add(FloatVector.fromArray(S, c, r7 + L).mul(beta)).intoArray(c, r7 + L);
            int r8 = co + 8 * ldc;
            c80.mul(alpha).add(FloatVector.fromArray(S, c, r8).mul(beta)).intoArray(c, r8);
            c81.mul(alpha).add(FloatVector.fromArray(S, c, r8 + L).mul(beta)).intoArray(c, r8 + L);
            int r9 = co + 9 * ldc;
            c90.mul(alpha).add(FloatVector.fromArray(S, c, r9).mul(beta)).intoArray(c, r9);
            c91.mul(alpha).add(FloatVector.fromArray(S, c, r9 + L).mul(beta)).intoArray(c, r9 + L);
            int r10 = co + 10 * ldc;
            c100.mul(alpha).add(FloatVector.fromArray(S, c, r10).mul(beta)).intoArray(c, r10);
            c101.mul(alpha).add(FloatVector.fromArray(S, c, r10 + L).mul(beta)).intoArray(c, r10 + L);
            int r11 = co + 11 * ldc;
            c110.mul(alpha).add(FloatVector.fromArray(S, c, r11).mul(beta)).intoArray(c, r11);
            c111.mul(alpha).add(FloatVector.fromArray(S, c, r11 + L).mul(beta)).intoArray(c, r11 + L);
        }
    }

    /**
     * 8 rows x 2 vectors: 16 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads 2 vectors of the packed B sliver, broadcasts 8 packed A values and issues 16 independent FMAs.
     */
    private static void kernel8(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                                 float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S); FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S); FloatVector c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int b = bo + p * NR;
            int a = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        // Written out rather than calling a helper: a call would box the accumulators.
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, co); c01.mul(alpha).intoArray(c, co + L);
            c10.mul(alpha).intoArray(c, co + ldc); c11.mul(alpha).intoArray(c, co + ldc + L);
            c20.mul(alpha).intoArray(c, co + 2 * ldc); c21.mul(alpha).intoArray(c, co + 2 * ldc + L);
            c30.mul(alpha).intoArray(c, co + 3 * ldc); c31.mul(alpha).intoArray(c, co + 3 * ldc + L);
            c40.mul(alpha).intoArray(c, co + 4 * ldc); c41.mul(alpha).intoArray(c, co + 4 * ldc + L);
            c50.mul(alpha).intoArray(c, co + 5 * ldc); c51.mul(alpha).intoArray(c, co + 5 * ldc + L);
            c60.mul(alpha).intoArray(c, co + 6 * ldc); c61.mul(alpha).intoArray(c, co + 6 * ldc + L);
            c70.mul(alpha).intoArray(c, co + 7 * ldc); c71.mul(alpha).intoArray(c, co + 7 * ldc + L);
        } else {
            int r0 = co;
            c00.mul(alpha).add(FloatVector.fromArray(S, c, r0).mul(beta)).intoArray(c, r0);
            c01.mul(alpha).add(FloatVector.fromArray(S, c, r0 + L).mul(beta)).intoArray(c, r0 + L);
            int r1 = co + ldc;
            c10.mul(alpha).add(FloatVector.fromArray(S, c, r1).mul(beta)).intoArray(c, r1);
            c11.mul(alpha).add(FloatVector.fromArray(S, c, r1 + L).mul(beta)).intoArray(c, r1 + L);
            int r2 = co + 2 * ldc;
            c20.mul(alpha).add(FloatVector.fromArray(S, c, r2).mul(beta)).intoArray(c, r2);
            c21.mul(alpha).add(FloatVector.fromArray(S, c, r2 + L).mul(beta)).intoArray(c, r2 + L);
            int r3 = co + 3 * ldc;
            c30.mul(alpha).add(FloatVector.fromArray(S, c, r3).mul(beta)).intoArray(c, r3);
            c31.mul(alpha).add(FloatVector.fromArray(S, c, r3 + L).mul(beta)).intoArray(c, r3 + L);
            int r4 = co + 4 * ldc;
            c40.mul(alpha).add(FloatVector.fromArray(S, c, r4).mul(beta)).intoArray(c, r4);
            c41.mul(alpha).add(FloatVector.fromArray(S, c, r4 + L).mul(beta)).intoArray(c, r4 + L);
            int r5 = co + 5 * ldc;
            c50.mul(alpha).add(FloatVector.fromArray(S, c, r5).mul(beta)).intoArray(c, r5);
            c51.mul(alpha).add(FloatVector.fromArray(S, c, r5 + L).mul(beta)).intoArray(c, r5 + L);
            int r6 = co + 6 * ldc;
            c60.mul(alpha).add(FloatVector.fromArray(S, c, r6).mul(beta)).intoArray(c, r6);
            c61.mul(alpha).add(FloatVector.fromArray(S, c, r6 + L).mul(beta)).intoArray(c, r6 + L);
            int r7 = co + 7 * ldc;
            c70.mul(alpha).add(FloatVector.fromArray(S, c, r7).mul(beta)).intoArray(c, r7);
            c71.mul(alpha).add(FloatVector.fromArray(S, c, r7 + L).mul(beta)).intoArray(c, r7 + L);
        }
    }

    /**
     * 6 rows x 2 vectors: 12 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads 2 vectors of the packed B sliver, broadcasts 6 packed A values and issues 12 independent FMAs.
     */
    private static void kernel6(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                                 float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int b = bo + p * NR;
            int a = ao + p * 6;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        // Written out rather than calling a helper: a call would box the accumulators.
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, co); c01.mul(alpha).intoArray(c, co + L);
            c10.mul(alpha).intoArray(c, co + ldc); c11.mul(alpha).intoArray(c, co + ldc + L);
            c20.mul(alpha).intoArray(c, co + 2 * ldc); c21.mul(alpha).intoArray(c, co + 2 * ldc + L);
            c30.mul(alpha).intoArray(c, co + 3 * ldc); c31.mul(alpha).intoArray(c, co + 3 * ldc + L);
            c40.mul(alpha).intoArray(c, co + 4 * ldc); c41.mul(alpha).intoArray(c, co + 4 * ldc + L);
            c50.mul(alpha).intoArray(c, co + 5 * ldc); c51.mul(alpha).intoArray(c, co + 5 * ldc + L);
        } else {
            int r0 = co;
            c00.mul(alpha).add(FloatVector.fromArray(S, c, r0).mul(beta)).intoArray(c, r0);
            c01.mul(alpha).add(FloatVector.fromArray(S, c, r0 + L).mul(beta)).intoArray(c, r0 + L);
            int r1 = co + ldc;
            c10.mul(alpha).add(FloatVector.fromArray(S, c, r1).mul(beta)).intoArray(c, r1);
            c11.mul(alpha).add(FloatVector.fromArray(S, c, r1 + L).mul(beta)).intoArray(c, r1 + L);
            int r2 = co + 2 * ldc;
            c20.mul(alpha).add(FloatVector.fromArray(S, c, r2).mul(beta)).intoArray(c, r2);
            c21.mul(alpha).add(FloatVector.fromArray(S, c, r2 + L).mul(beta)).intoArray(c, r2 + L);
            int r3 = co + 3 * ldc;
            c30.mul(alpha).add(FloatVector.fromArray(S, c, r3).mul(beta)).intoArray(c, r3);
            c31.mul(alpha).add(FloatVector.fromArray(S, c, r3 + L).mul(beta)).intoArray(c, r3 + L);
            int r4 = co + 4 * ldc;
            c40.mul(alpha).add(FloatVector.fromArray(S, c, r4).mul(beta)).intoArray(c, r4);
            c41.mul(alpha).add(FloatVector.fromArray(S, c, r4 + L).mul(beta)).intoArray(c, r4 + L);
            int r5 = co + 5 * ldc;
            c50.mul(alpha).add(FloatVector.fromArray(S, c, r5).mul(beta)).intoArray(c, r5);
            c51.mul(alpha).add(FloatVector.fromArray(S, c, r5 + L).mul(beta)).intoArray(c, r5 + L);
        }
    }

    /**
     * 4 rows x 2 vectors: 8 accumulators stay in registers for the whole {@code kc} loop; each step
     * loads 2 vectors of the packed B sliver, broadcasts 4 packed A values and issues 8 independent FMAs.
     */
    private static void kernel4(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                                 float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int b = bo + p * NR;
            int a = ao + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Written out rather than calling a helper: a call would box the accumulators.
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, co); c01.mul(alpha).intoArray(c, co + L);
            c10.mul(alpha).intoArray(c, co + ldc); c11.mul(alpha).intoArray(c, co + ldc + L);
            c20.mul(alpha).intoArray(c, co + 2 * ldc); c21.mul(alpha).intoArray(c, co + 2 * ldc + L);
            c30.mul(alpha).intoArray(c, co + 3 * ldc); c31.mul(alpha).intoArray(c, co + 3 * ldc + L);
        } else {
            int r0 = co;
            c00.mul(alpha).add(FloatVector.fromArray(S, c, r0).mul(beta)).intoArray(c, r0);
            c01.mul(alpha).add(FloatVector.fromArray(S, c, r0 + L).mul(beta)).intoArray(c, r0 + L);
            int r1 = co + ldc;
            c10.mul(alpha).add(FloatVector.fromArray(S, c, r1).mul(beta)).intoArray(c, r1);
            c11.mul(alpha).add(FloatVector.fromArray(S, c, r1 + L).mul(beta)).intoArray(c, r1 + L);
            int r2 = co + 2 * ldc;
            c20.mul(alpha).add(FloatVector.fromArray(S, c, r2).mul(beta)).intoArray(c, r2);
            c21.mul(alpha).add(FloatVector.fromArray(S, c, r2 + L).mul(beta)).intoArray(c, r2 + L);
            int r3 = co + 3 * ldc;
            c30.mul(alpha).add(FloatVector.fromArray(S, c, r3).mul(beta)).intoArray(c, r3);
            c31.mul(alpha).add(FloatVector.fromArray(S, c, r3 + L).mul(beta)).intoArray(c, r3 + L);
        }
    }

}
