package dev.nnj.cpu;

import java.util.function.BooleanSupplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cache-blocked, multithreaded GEMM on the incubating Vector API: the same {@code c = alpha · op(a) · op(b) +
 * beta · c} as the reference's triple loop, {@link ReferenceKernels#gemm} (one dot product per element, 15 lines;
 * read that first), reordered for the caches and the vector registers, so its sums round differently (agreement
 * to float precision, not bit for bit: {@code GemmKernelsTest}). After Goto and van de Geijn, "Anatomy of
 * High-Performance Matrix Multiplication" (ACM TOMS 2008), as in BLIS and OpenBLAS:
 * <pre>
 *   for jc in steps of NC:                       columns of C and B
 *     for pc in steps of KC:                     the shared dimension
 *       pack B[pc.., jc..] into slivers of KC x NR, unless B is read in place   (shared by the threads)
 *       for ic in steps of MC (this thread's rows):
 *         pack alpha · A[ic.., pc..]                                            (L2 resident)
 *         for jr in steps of NR:                                                (B sliver in L1)
 *           for ir in steps of MR:
 *             C[ic+ir.., jc+jr..] += Ã · B̃      micro-kernel: an MR x NR tile of C in registers
 * </pre>
 * <b>Packing.</b> A is copied in whichever layout is a plain vector copy of the caller's array: rows of a
 * fixed stride {@link #KA} when A is not transposed, columns of {@link #CA} values when it is; the row
 * stride is a compile-time constant, so the kernel's MR loads of one step are one index register plus
 * constant displacements, and HotSpot drops their bounds checks (the index is the loop variable plus an
 * invariant). A transposed A that only a sliver or two of C will use is read in place instead. B is read by rows of {@code NR} floats with a stride {@code ldb}: either packed slivers
 * ({@code ldb = NR}: contiguous, so large power-of-two strides do not alias in the caches) or, when B is
 * not transposed and little reused, the caller's array itself ({@code ldb = n}), which saves the copy.
 * {@code alpha} is folded into packed A; {@code beta} other than 0 or 1 scales C once up front, so the
 * kernels only set (first block when {@code beta = 0}) or add.
 *
 * <p><b>Register tile</b> ({@link VectorMicroKernels}). {@code MR} rows by two vectors: with 512-bit
 * vectors (32 registers) 12 x 32, 24 accumulators; with 256-bit vectors (16 registers) 6 x 16, 12
 * accumulators. The last tile of rows uses a shorter kernel (8 or 4 rows), a sliver at most one vector
 * wide a one-vector kernel; tiles cut by the edge of C are computed into a scratch tile.
 *
 * <p><b>Threads.</b> The rows of C are split between threads when there are enough of them (a packed B
 * is then packed by all and shared, with a barrier after packing), otherwise the columns (each thread
 * packs its own B part, into a buffer of its own, and all of the small A). A column split must not share
 * the packed B: a part that runs ahead into the next block of the shared dimension (a different depth
 * {@code kc}) or of columns (a different split of the slivers) would overwrite slivers another part is
 * still reading. Products under {@link #PARALLEL_FLOPS} stay on the
 * calling thread. All buffers are kept between calls and only grow.
 *
 * <p><b>Short kernel calls while the JIT is busy.</b> A micro-kernel is one long loop over {@code kc}, run
 * hundreds of times per product. HotSpot counts a method's calls and its loop iterations: when the iterations
 * reach their threshold first (as with {@code kc} in the hundreds), C2 compiles the loop alone, entered from
 * the running frame (on-stack replacement), and compiles the whole method again later. For these kernels the
 * loop version is the expensive one: in a cold digits run, 0.11-0.18 s of C2 time for {@code colA12x2} alone
 * against 0.04-0.07 s for the whole method (JFR, five runs), about 0.3 s for the five kernels the digits shapes use, all of it
 * on the one C2 thread that every other kernel is waiting for. So while the compilers are busy
 * ({@link JitActivity#recentlyBusy()}), a product deeper than {@code 2 · COLD_KSTEP} computes each tile in
 * calls of at most {@link #COLD_KSTEP} steps of {@code p}, each continuing from the tile the last one
 * stored, so the counts reach the call threshold first and C2 compiles each kernel once. Each element of C
 * still gets the same chain of FMAs in the same order, so the results are the same bits either way; once
 * the JIT is idle the kernels run the whole {@code kc} in one call again (the extra loads and stores of the
 * tile cost 7-35 % at n = 1024). A product of depth 33 to 64 is cut in two as well when it is tall, more than
 * {@link #COLD_TALL_ROWS} rows: at 64 steps per call a kernel's loop count and its call count reach their
 * thresholds at about the same time, and a tall product makes hundreds of such calls at once (the article's
 * forward products over 1437 rows, 120 tiles each), enough to tip a kernel into a loop compile. In a plain
 * {@code java -jar} article run, where C2 falls further behind than under the launcher, the one-vector kernel
 * {@code rowA12x1} had a loop compile (38-66 ms of C2, then its whole-method compile) in two of three runs, and
 * none in three runs with this cut; the run allocates 460-500 MB instead of 620-660 and takes 0.04-0.3 s less
 * (medians of four sets of alternating pairs); the launcher's runs are level. Short products do not even
 * ask: a batch-32 training step that asked at every product and cut its depth-64 products in two ran the
 * keras preset 0.15-0.3 s slower cold, while the article preset, whose backward products run over all 1437
 * rows, gains about 0.1 s.
 */
final class VectorGemm extends GemmTask {

    /**
     * System property limiting the vector width to 256 bits ({@code -Dnnj.cpu.vector.bits=256}), to test the
     * 256-bit kernels on a machine that prefers 512.
     */
    static final String BITS_PROPERTY = "nnj.cpu.vector.bits";

    /** The vector shape of all fast-path kernels: the preferred one, 512 or 256 bits. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 16
            && !"256".equals(System.getProperty(BITS_PROPERTY, "").trim()) ? FloatVector.SPECIES_512
            : FloatVector.SPECIES_256;
    /** Floats per vector. */
    static final int L = S.length();
    /**
     * The species' vector class, a final class: {@code EXACT.cast(v)} tells C2 that {@code v} is exactly of it.
     * A Vector API operation becomes machine code only where C2 knows the exact class of the vector it is called
     * on; elsewhere it stays a call and boxes every vector, an allocation each. C2 knows it for a vector made by
     * an operation it inlined while parsing, but not for one loaded from an array (the Java code returns a
     * {@code FloatVector}), carried around a loop, merged from two branches or reinterpreted, nor for anything
     * past its parse-time inlining budget (about 45 Vector API operations per compile on JDK 17, later ones are
     * inlined late, on the declared types). There it falls back on a type profile, which it stops trusting after
     * some JIT histories ({@code ActivationJitHistoryAllocationTest}). So every such vector an operation is called
     * on is cast first, which costs nothing once compiled (C2 proves the cast), and {@code KernelInliningTest}
     * checks every kernel's compile for calls that still depend on a profile.
     */
    @SuppressWarnings("unchecked")
    static final Class<FloatVector> EXACT = (Class<FloatVector>) (Class<?>) S.vectorType();
    /** Int lanes of the same shape (the exponential and logarithm build floats from their bits). */
    static final VectorSpecies<Integer> INT_S = S.withLanes(int.class);
    /** {@link #INT_S}'s vector class (final), for {@link #EXACT}'s cast on int vectors. */
    @SuppressWarnings("unchecked")
    static final Class<IntVector> INT_EXACT = (Class<IntVector>) (Class<?>) INT_S.vectorType();
    /**
     * All lanes +0, as an operand (a constant costs C2 no operation where {@code 0f} is broadcast at every use).
     * Not as an accumulator's start: C2 cannot keep a loop's vector unboxed when one of its values is a
     * constant object, so accumulators start from {@code FloatVector.zero(S)}.
     */
    static final FloatVector ZERO = FloatVector.zero(S);
    /** All lanes 1. */
    static final FloatVector ONE = FloatVector.broadcast(S, 1f);
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
    /**
     * Stride between the columns of a tile of transposed A: MR rounded up to a whole vector, so that
     * packing stores whole, non-overlapping vectors (the rounding costs a third more buffer at 512 bits).
     */
    static final int CA = Math.max(MR, L);
    /** Rows of a packed A block, a multiple of MR: MC x KA floats (about 300 KiB) stay in L2. */
    static final int MC = 12 * MR;
    /** Columns of a B block, a multiple of NR: KC x NC floats stay in L3. */
    static final int NC = 128 * NR;

    /**
     * Products with fewer flops ({@code 2mnk}) than this run on one thread: sharing them costs more than it
     * saves. Measured on 2 cores (AVX-512), each product repeated warm: a batch of 32 through a 64-unit layer
     * ({@code 2^18} flops) took 1.7 µs on one thread and 2.1 µs on two; 64 x 64 x 64 ({@code 2^19}) 3.3 µs and
     * 3.0 µs. The keras preset, whose every product is a batch of 32, trains a third faster than with the
     * earlier {@code 2^17}.
     */
    static final long PARALLEL_FLOPS = 1L << 19;

    /**
     * Steps of {@code p} per micro-kernel call while the JIT compilers are busy (see the class comment). It
     * must stay under HotSpot's ratio of its loop threshold to its call threshold: tiered C1 code reports
     * every 8,192 loop iterations, and C2 compiles the loop alone once a method has looped 40,000 times, the
     * whole method once it has been called 600 times and looped 15,000 times (JDK 17's defaults), so at 64
     * or more steps per call the loop threshold can come first.
     */
    static final int COLD_KSTEP = 32;

    /**
     * Products with a depth over {@code COLD_KSTEP} that are more than this many rows tall take short calls
     * while the compilers are busy, as deep ones do (see the class comment). Above the 360 rows of the digits
     * test set, below the 1437 of its training set; batches stay under it.
     */
    static final int COLD_TALL_ROWS = 512;

    /**
     * Deep or tall products of this instance (see the class comment) that may take short calls: enough for
     * HotSpot to have compiled the kernels (the article's digits training makes four per epoch, two deep and two
     * tall, and C2 has compiled its kernels by about epoch 100). Later products take whole calls even while the
     * JIT is busy with other code, as a process's JIT stays busy now and then for seconds after its kernels are
     * compiled, and short calls cost compiled kernels time: without this limit the third to fifth trainings of
     * one digits JVM ran 4-13 % slower in one set of nine interleaved pairs (level in another).
     */
    static final int COLD_PRODUCTS = 1000;

    /**
     * B (not transposed) is read in place rather than packed when C has at most this many rows, as each
     * packed element would then be used too few times to repay its copy.
     */
    static final int DIRECT_B_MAX_M = 4 * MC;

    /**
     * A transposed A is read in place, not packed, when C has at most this many slivers: its columns are
     * then contiguous runs the kernel reads with stride {@code m} (a few percent slower than the packed
     * stride), and a copy used by so few slivers would cost more than it saves. Only the last, partial
     * tile of rows is still packed, as the kernel would read past the end of A.
     */
    static final int DIRECT_A_MAX_SLIVERS = 2;

    private final WorkerPool pool;
    private final int threads;
    /** Whether the JIT compilers are busy ({@link JitActivity#recentlyBusy()} in a backend). */
    private final BooleanSupplier compilersBusy;

    /** Packed B block, shared by the threads when they split the rows of C. */
    private float[] packedB = new float[0];
    /** Per-thread packed B slivers when the threads split the columns of C. */
    private final float[][] partB;
    /** Per-thread packed A blocks. */
    private final float[][] packedA;
    /** Per-thread scratch tile for tiles cut by the edge of C. */
    private final float[][] edgeC;
    /** Per-thread scratch sliver for the last, partial sliver of a B read in place. */
    private final float[][] edgeB;
    /** The transposed result of a narrow product ({@link #gemm}). */
    private float[] narrowC = new float[0];

    // The current call beside the operands of GemmTask, set by gemm() before the parts run.
    private boolean transB;
    private boolean splitRows;
    private boolean directB;
    private boolean directA;
    /** Steps of {@code p} per micro-kernel call in this product: {@link #KC}, or {@link #COLD_KSTEP}. */
    private int kstep;
    /** Deep or tall products so far, up to {@link #COLD_PRODUCTS}. */
    private int coldCandidates;

    /**
     * @param pool          the threads to split large products between; null runs them on the caller
     * @param compilersBusy whether the JIT compilers are busy now: the kernels then run in short calls
     */
    VectorGemm(WorkerPool pool, BooleanSupplier compilersBusy) {
        this.pool = pool;
        this.compilersBusy = compilersBusy;
        this.threads = pool == null ? 1 : pool.threads();
        packedA = new float[threads][0];
        partB = new float[threads][0];
        edgeC = new float[threads][MR * NR];
        // Allocated when a part first needs one, at the depth it needs: most callers never copy an edge sliver,
        // and a full-depth sliver for every pool thread cost each calling thread 64 KB per pool thread.
        edgeB = new float[threads][];
    }

    /** Bits per vector of the micro-kernel, for descriptions. */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    /**
     * {@code c = alpha · op(a) · op(b) + beta · c}, as {@link Kernels#gemm}. A narrow weight gradient
     * ({@link #asTranspose}) is computed as its transpose.
     */
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
              float beta, float[] c) {
        if (asTranspose(transposeA, transposeB, m, n, k, alpha, beta)) {
            float[] t = transposedC(m * n);
            product(true, false, n, m, k, 1f, b, a, 0f, t, false);   // Cᵀ = (aᵀ · b)ᵀ = bᵀ · a, set
            transpose(t, n, m, c);                                    // C = (Cᵀ)ᵀ, set
            return;
        }
        product(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, true);
    }

    /**
     * Whether {@link #gemm} computes {@code C = aᵀ · b} as {@code Cᵀ = bᵀ · a}, then transposes it: for a C at
     * most one vector wide and at least a sliver tall,
     * {@code alpha = 1}, {@code beta = 0}, and enough flops to repay the transpose ({@link #PARALLEL_FLOPS}). That
     * is the weight gradient of a narrow layer, {@code xᵀ · dZ} for a 10-class output over a whole batch:
     * (64, 1437) x (1437, 10) in the digits trainer. Computed directly,
     * its slivers are 10 columns wide, and the one-vector kernels it needs load one B vector and broadcast twelve
     * values of A for every twelve FMAs (six of sixteen lanes idle); transposed, its 64 columns fill the two-vector
     * kernels, B (the layer's input) is read in place, and it takes about half the time (15 against 30 µs on one
     * thread, 16 against 21 µs on two). The same bits: every element is the same chain of FMAs over {@code p} in
     * the same order, {@code fma(a, b, c)} being {@code fma(b, a, c)}, from +0 and on through every block of depth,
     * in whole tiles and edge tiles alike (see {@link #block}). With {@code alpha} other than 1 the scaling would round on
     * the other operand, with {@code beta} other than 0 the old C would join the chain at its end rather than its
     * start. The transposed product runs on the calling thread: split, each thread would read its columns of every
     * row of b, the layer's input, which the layer's forward pass left half in the other core's cache. In the
     * digits trainer it took 25.0-25.7 µs alone against 30.9-31.4 µs split, and the products after it ran faster
     * too (xᵀ · dZ of the 64-wide layer 60.6-62.1 against 69.1-79.4 µs; three alternating pairs of runs, medians
     * of 10,000 epochs each); on its own, operands warm, the split gained nothing either (15 µs both ways).
     * Not for A read untransposed (a forward product): its transpose would need B packed by a transposing copy, and
     * took half as long again (53 against 35 µs for (1437, 64) x (64, 10)).
     */
    static boolean asTranspose(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float beta) {
        return transposeA && !transposeB && n <= L && m >= NR && alpha == 1f && beta == 0f
                && 2L * m * n * k >= PARALLEL_FLOPS;
    }

    /** A buffer of at least {@code size} floats for {@link #gemm}'s transposed products, kept between calls. */
    private float[] transposedC(int size) {
        if (narrowC.length < size) {
            narrowC = new float[size];
        }
        return narrowC;
    }

    /** {@code dst[i * rows + j] = src[j * cols + i]}: {@code dst} (cols x rows) is the transpose of {@code src}. */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int i = 0; i < cols; i++) {
            int d = i * rows;
            for (int j = 0; j < rows; j++) {
                dst[d + j] = src[j * cols + i];
            }
        }
    }

    /**
     * {@link #gemm} computed as asked: A, B and C in the given layouts, split between threads when large and
     * {@code split}; with {@code split} false on the calling thread alone (a narrow product's transpose,
     * {@link #asTranspose}).
     */
    void product(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a, float[] b,
                 float beta, float[] c, boolean split) {
        begin(transposeA, m, n, k, alpha, a, b, beta, c);
        this.transB = transposeB;
        directB = !transposeB && m <= DIRECT_B_MAX_M;
        // alpha is folded into packed A, so A read in place needs alpha = 1 (as in every Dense product).
        directA = transposeA && alpha == 1f && (n + NR - 1) / NR <= DIRECT_A_MAX_SLIVERS;
        // Only the first deep or tall products ask (see the class comment); k is the whole depth, kc at most KC.
        kstep = KC;
        boolean longLoops = k > 2 * COLD_KSTEP || k > COLD_KSTEP && m > COLD_TALL_ROWS;
        if (longLoops && coldCandidates < COLD_PRODUCTS) {
            coldCandidates++;
            kstep = compilersBusy.getAsBoolean() ? COLD_KSTEP : KC;
        }
        int tilesM = (m + MR - 1) / MR;
        int slivers = (Math.min(n, NC) + NR - 1) / NR;
        int parts = 1;
        splitRows = true;
        int now = split && threads > 1 && 2L * m * n * k >= PARALLEL_FLOPS ? pool.threadsNow() : 1;
        if (now > 1) {
            // Rows give each thread its own A block and share B; with few rows split the columns instead.
            splitRows = tilesM >= 2 * now || tilesM >= slivers;
            parts = Math.min(now, splitRows ? tilesM : slivers);
        }
        ensureBuffers(parts);
        if (beta != 0f && beta != 1f) {
            // The kernels either set C or add to it: scale C by beta once up front.
            VectorClipping.scale(c, m * n, beta);
        }
        try {
            if (parts == 1) {
                run(0, 1);
            } else {
                // Parts that share a packed B wait for each other at barriers; the others may be stolen.
                pool.run(this, parts, !(splitRows && !directB));
            }
        } finally {
            end();
        }
    }

    private void ensureBuffers(int parts) {
        // Row-major A needs rows x KA floats, column-major rows x KC: KA is the larger. A vector copy may
        // write up to L floats past the last row.
        if (!directB && splitRows) {
            int size = Math.min(k, KC) * roundUp(Math.min(n, NC), NR) + L;
            if (packedB.length < size) {
                packedB = new float[size];
            }
        } else if (!directB) {
            // A part owns at most ceil(slivers / parts) slivers of a column block.
            int slivers = (Math.min(n, NC) + NR - 1) / NR;
            int size = Math.min(k, KC) * ((slivers + parts - 1) / parts) * NR + L;
            for (int t = 0; t < parts; t++) {
                if (partB[t].length < size) {
                    partB[t] = new float[size];
                }
            }
        }
        int rows = splitRows ? Math.min(roundUp(m, MR), MC) : roundUp(m, MR);
        for (int t = 0; t < parts; t++) {
            int size = Math.max(rows * KA, rows / MR * CA * KC) + L;
            if (packedA[t].length < size) {
                packedA[t] = new float[size];
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
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
                        packB(packedB, 0, pc, kc, jc, s0 * NR, Math.min(s1 * NR, nc));
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
                            packB(partB[part], j0, pc, kc, jc, j0, j1);
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
     *
     * <p>Every element of C is one chain of FMAs over {@code p} in order, from +0 ({@code beta = 0}) or from
     * {@code beta · C}, carried on from block to block of depth, whether its tile is whole or cut by the edge of C
     * (an edge tile starts from C's values copied into the scratch tile). So an element's bits do not depend on
     * where its row falls: a row predicted alone gets the bits it gets in any batch, whatever the depth.
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
                // Shared slivers are indexed from column 0 of the block, a part's own from its first column.
                pb = splitRows ? packedB : partB[part];
                bo = (splitRows ? jr : jr - j0) * kc;
                ldb = NR;
            } else if (nr == NR) {
                pb = b;
                bo = pc * n + jc + jr;
                ldb = n;
            } else {
                // The last sliver of an in-place B is narrower than the kernel's loads: copy it into a sliver.
                pb = edgeSliver(part, kc);
                bo = 0;
                ldb = NR;
                copySliver(pc, kc, jc + jr, nr, pb, 0);
            }
            // A sliver at most one vector wide (a 10-class output) runs the one-vector kernels.
            int nv = nr <= L ? 1 : 2;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int h = tileHeight(mr);
                int co = (ic + ir) * n + jc + jr;
                if (mr == h && nr == NR) {
                    micro(h, 2, pc, kc, pa, ic, ir, mr, pb, bo, ldb, c, co, n, accumulate);
                } else {
                    // Edge tile: computed whole in scratch, starting from C's part when accumulating (as a whole
                    // tile's chains start from C), then its part inside C copied back.
                    if (accumulate) {
                        copyTile(c, co, n, tile, 0, NR, mr, nr);
                    }
                    micro(h, nv, pc, kc, pa, ic, ir, mr, pb, bo, ldb, tile, 0, NR, accumulate);
                    copyTile(tile, 0, NR, c, co, n, mr, nr);
                }
            }
        }
    }

    /**
     * {@code dst[d + r·ldd + j] = src[s + r·lds + j]} for {@code r < rows}, {@code j < cols}: the part of an edge tile
     * inside C, between C and the scratch tile (row stride NR). A method of its own, so that HotSpot counts its
     * loops here and not in {@link #block}: a 10-column output makes every tile an edge tile, and these copies'
     * iterations would otherwise make the macro-kernel hot as a loop, compiled on stack again and again (see the
     * class comment).
     */
    private static void copyTile(float[] src, int s, int lds, float[] dst, int d, int ldd, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, s + r * lds, dst, d + r * ldd, cols);
        }
    }

    /**
     * The kernel for this call's layout of A; the tile's rows are {@code ic + ir ..} of C ({@code mr} of
     * them), its columns of A {@code pc ..}. The {@code kc} steps go in calls of at most {@link #kstep}, each
     * after the first continuing from the tile the one before stored (see the class comment).
     */
    private void micro(int h, int nv, int pc, int kc, float[] pa, int ic, int ir, int mr, float[] pb, int bo, int ldb,
                       float[] c, int co, int ldc, boolean accumulate) {
        for (int p = 0; p < kc; p += kstep) {
            int steps = Math.min(kstep, kc - p);
            boolean add = accumulate || p > 0;
            int b0 = bo + p * ldb;
            if (transA && directA && mr == MR) {
                // Column pc + p of A, read in place.
                VectorMicroKernels.colA(h, nv, steps, a, (pc + p) * m + ic + ir, m, pb, b0, ldb, c, co, ldc, add);
            } else if (transA) {
                VectorMicroKernels.colA(h, nv, steps, pa, ir / MR * CA * kc + p * CA, CA, pb, b0, ldb, c, co, ldc,
                        add);
            } else {
                VectorMicroKernels.rowA(h, nv, steps, pa, ir * KA + p, pb, b0, ldb, c, co, ldc, add);
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

    // ---------------------------------------------------------------- packing

    /**
     * Packs {@code alpha · op(A)[i0 .. i0+mc, p0 .. p0+kc]} in the layout that is a plain copy of the
     * caller's array. A not transposed: by rows of stride {@link #KA}, row {@code r} of the block at
     * {@code r * KA}. A transposed: by tiles of MR rows, the tile at row {@code ir} starting at
     * {@code ir / MR * CA * kc} and holding column {@code p} at {@code p * CA}. Rows past {@code mc} in the last tile
     * keep stale values: they only produce rows of the scratch tile that are never copied into C.
     */
    private void packA(int i0, int mc, int p0, int kc, float[] pa) {
        if (!transA) {
            // op(A)[i, p] = a[i * k + p]: each row is a contiguous run.
            for (int r = 0; r < mc; r++) {
                copyRun(a, (i0 + r) * k + p0, pa, r * KA, kc, alpha);
            }
        } else {
            // op(A)[i, p] = a[p * m + i]: for each p, the tile's rows are a contiguous run. Read in place,
            // only a last, partial tile needs the copy.
            for (int ir = directA ? mc / MR * MR : 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int base = ir / MR * CA * kc;
                for (int p = 0; p < kc; p++) {
                    copyRun(a, (p0 + p) * m + i0 + ir, pa, base + p * CA, rows, alpha);
                }
            }
        }
    }

    /**
     * {@code dst[d ..] = alpha · src[s ..]} for {@code len} floats, a whole vector at a time, the last vector
     * reaching up to {@code L - 1} floats past the run on both sides: the extra source floats are whatever
     * follows in the array (unless that is its end, where a scalar tail takes over), and the extra
     * destination floats must be padding that no kernel reads into C or that a later copy overwrites.
     */
    private static void copyRun(float[] src, int s, float[] dst, int d, int len, float alpha) {
        int i = 0;
        for (; i < len && s + i + L <= src.length; i += L) {
            EXACT.cast(FloatVector.fromArray(S, src, s + i)).mul(alpha).intoArray(dst, d + i);
        }
        // Scalar tail, only at the very end of the source array.
        for (; i < len; i++) {
            dst[d + i] = alpha * src[s + i];
        }
    }

    /**
     * Packs rows {@code p0 .. p0+kc} and block columns {@code j0 .. j1} (relative to {@code jc}) of
     * {@code op(B)} into {@code pb} as slivers of NR columns: the sliver at column {@code jr} starts at
     * {@code (jr - origin) * kc} and holds, for each {@code p}, NR values; columns past {@code n} only feed
     * scratch-tile columns that are never copied into C.
     */
    private void packB(float[] pb, int origin, int p0, int kc, int jc, int j0, int j1) {
        for (int jr = j0; jr < j1; jr += NR) {
            int cols = Math.min(NR, j1 - jr);
            int base = (jr - origin) * kc;
            int col = jc + jr;
            if (!transB && cols == NR) {
                // op(B)[p, j] = b[p * n + j]: each sliver row is two contiguous vectors.
                for (int p = 0; p < kc; p++) {
                    int src = (p0 + p) * n + col;
                    int dst = base + p * NR;
                    EXACT.cast(FloatVector.fromArray(S, b, src)).intoArray(pb, dst);
                    EXACT.cast(FloatVector.fromArray(S, b, src + L)).intoArray(pb, dst + L);
                }
            } else if (!transB) {
                copySliver(p0, kc, col, cols, pb, base);
            } else {
                // op(B)[p, j] = b[j * k + p]: a full sliver goes as L x L blocks transposed in registers.
                int p = 0;
                if (cols == NR) {
                    for (; p + L <= kc; p += L) {
                        VectorTranspose.transpose(b, col * k + p0 + p, k, pb, base + p * NR, NR);
                        VectorTranspose.transpose(b, (col + L) * k + p0 + p, k, pb, base + p * NR + L, NR);
                    }
                }
                // Scalar tail: the last kc mod L rows, or a partial sliver (zero padded).
                for (int j = 0; j < cols; j++) {
                    int src = (col + j) * k + p0;
                    for (int q = p; q < kc; q++) {
                        pb[base + q * NR + j] = b[src + q];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int q = p; q < kc; q++) {
                        pb[base + q * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Part {@code part}'s scratch sliver for {@code kc} steps of depth, allocated on first use and grown for a deeper
     * product; a vector copy may write up to {@link #L} floats past its last step.
     */
    private float[] edgeSliver(int part, int kc) {
        float[] sliver = edgeB[part];
        if (sliver == null || sliver.length < kc * NR + L) {
            sliver = new float[kc * NR + L];
            edgeB[part] = sliver;
        }
        return sliver;
    }

    /**
     * Copies the last, partial sliver ({@code cols < NR} columns from {@code col}) of rows
     * {@code p0 .. p0+kc} of B (not transposed) with sliver stride NR. The columns past {@code cols} get
     * whatever follows in B: they only feed columns of the scratch tile that are never copied into C.
     */
    private void copySliver(int p0, int kc, int col, int cols, float[] pb, int base) {
        for (int p = 0; p < kc; p++) {
            copyRun(b, (p0 + p) * n + col, pb, base + p * NR, cols, 1f);
        }
    }
}
