package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.CA;
import static dev.nnj.cpu.VectorGemm.KA;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.MR;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The register-tile kernels of {@link VectorGemm}: {@code C[tile] (+)= Ã[h rows, kc] · B[kc, nv vectors]}.
 *
 * <p>Each keeps its {@code h x nv} accumulators in vector registers for the whole {@code kc} loop; each
 * step loads {@code nv} vectors of B row {@code p} (at {@code bo + p * ldb}), broadcasts the {@code h}
 * values of A column {@code p} and issues {@code h x nv} independent FMAs, enough to hide the FMA latency
 * on two pipes. The tile starts from C when {@code accumulate}, else from zero, and is stored back.
 *
 * <p>Two layouts of packed A, both a plain copy of the caller's array (see {@code VectorGemm.packA}):
 * {@code rowA} kernels read row {@code r} of the tile at {@code ao + r * KA + p} (A not transposed), and
 * {@code colA} kernels read column {@code p} at {@code ao + p * CA + r} (A transposed). {@code KA} and
 * {@code CA} are compile-time constants, so the {@code h} loads of a step share one index register with
 * constant displacements and HotSpot removes their bounds checks.
 *
 * <p>Heights: 12 (the full tile at 512 bits), 6 (the full tile at 256 bits) and 8 and 4 for the last rows
 * of C; one-vector kernels serve slivers at most {@code L} wide (a 10-class output layer), which would
 * otherwise compute mostly padding. The code is unrolled by hand, written out by a small generator, as
 * every accumulator must be its own local variable for the JIT to keep it in a register; a helper call
 * taking vectors would box them.
 */
final class VectorMicroKernels {
    private VectorMicroKernels() {
    }


    /** Runs the rowA kernel of {@code h} rows ({@link VectorGemm#tileHeight}) and {@code nv} vectors. */
    static void rowA(int h, int nv, int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c,
            int co, int ldc, boolean accumulate) {
        if (nv == 1) {
            // Always the full MR rows: the tile is computed into scratch and only its valid rows are copied.
            if (MR == 12) {
                rowA12x1(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
            } else {
                rowA6x1(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
            }
            return;
        }
        switch (h) {
            case 12:
                rowA12x2(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 8:
                rowA8x2(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 6:
                rowA6x2(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
            default:
                rowA4x2(kc, pa, ao, b, bo, ldb, c, co, ldc, accumulate);
                break;
        }
    }

    /** 12 rows x 2 vectors, 24 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA12x2(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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

    /** 8 rows x 2 vectors, 16 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA8x2(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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

    /** 6 rows x 2 vectors, 12 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA6x2(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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

    /** 4 rows x 2 vectors, 8 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA4x2(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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

    /** 12 rows x 1 vector, 12 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA12x1(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector c0a;
        FloatVector c1a;
        FloatVector c2a;
        FloatVector c3a;
        FloatVector c4a;
        FloatVector c5a;
        FloatVector c6a;
        FloatVector c7a;
        FloatVector c8a;
        FloatVector c9a;
        FloatVector c10a;
        FloatVector c11a;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co);
            c1a = FloatVector.fromArray(S, c, co + ldc);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc);
            c6a = FloatVector.fromArray(S, c, co + 6 * ldc);
            c7a = FloatVector.fromArray(S, c, co + 7 * ldc);
            c8a = FloatVector.fromArray(S, c, co + 8 * ldc);
            c9a = FloatVector.fromArray(S, c, co + 9 * ldc);
            c10a = FloatVector.fromArray(S, c, co + 10 * ldc);
            c11a = FloatVector.fromArray(S, c, co + 11 * ldc);
        } else {
            c0a = FloatVector.zero(S);
            c1a = FloatVector.zero(S);
            c2a = FloatVector.zero(S);
            c3a = FloatVector.zero(S);
            c4a = FloatVector.zero(S);
            c5a = FloatVector.zero(S);
            c6a = FloatVector.zero(S);
            c7a = FloatVector.zero(S);
            c8a = FloatVector.zero(S);
            c9a = FloatVector.zero(S);
            c10a = FloatVector.zero(S);
            c11a = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4 * KA]);
            c4a = a4.fma(b0, c4a);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5 * KA]);
            c5a = a5.fma(b0, c5a);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6 * KA]);
            c6a = a6.fma(b0, c6a);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7 * KA]);
            c7a = a7.fma(b0, c7a);
            FloatVector a8 = FloatVector.broadcast(S, pa[a + 8 * KA]);
            c8a = a8.fma(b0, c8a);
            FloatVector a9 = FloatVector.broadcast(S, pa[a + 9 * KA]);
            c9a = a9.fma(b0, c9a);
            FloatVector a10 = FloatVector.broadcast(S, pa[a + 10 * KA]);
            c10a = a10.fma(b0, c10a);
            FloatVector a11 = FloatVector.broadcast(S, pa[a + 11 * KA]);
            c11a = a11.fma(b0, c11a);
        }
        c0a.intoArray(c, co);
        c1a.intoArray(c, co + ldc);
        c2a.intoArray(c, co + 2 * ldc);
        c3a.intoArray(c, co + 3 * ldc);
        c4a.intoArray(c, co + 4 * ldc);
        c5a.intoArray(c, co + 5 * ldc);
        c6a.intoArray(c, co + 6 * ldc);
        c7a.intoArray(c, co + 7 * ldc);
        c8a.intoArray(c, co + 8 * ldc);
        c9a.intoArray(c, co + 9 * ldc);
        c10a.intoArray(c, co + 10 * ldc);
        c11a.intoArray(c, co + 11 * ldc);
    }

    /** 6 rows x 1 vector, 6 accumulators; row {@code r} of A at {@code ao + r * KA + p}. */
    static void rowA6x1(int kc, float[] pa, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector c0a;
        FloatVector c1a;
        FloatVector c2a;
        FloatVector c3a;
        FloatVector c4a;
        FloatVector c5a;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co);
            c1a = FloatVector.fromArray(S, c, co + ldc);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc);
        } else {
            c0a = FloatVector.zero(S);
            c1a = FloatVector.zero(S);
            c2a = FloatVector.zero(S);
            c3a = FloatVector.zero(S);
            c4a = FloatVector.zero(S);
            c5a = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + KA]);
            c1a = a1.fma(b0, c1a);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2 * KA]);
            c2a = a2.fma(b0, c2a);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3 * KA]);
            c3a = a3.fma(b0, c3a);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4 * KA]);
            c4a = a4.fma(b0, c4a);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5 * KA]);
            c5a = a5.fma(b0, c5a);
        }
        c0a.intoArray(c, co);
        c1a.intoArray(c, co + ldc);
        c2a.intoArray(c, co + 2 * ldc);
        c3a.intoArray(c, co + 3 * ldc);
        c4a.intoArray(c, co + 4 * ldc);
        c5a.intoArray(c, co + 5 * ldc);
    }

    /** Runs the colA kernel of {@code h} rows ({@link VectorGemm#tileHeight}) and {@code nv} vectors. */
    static void colA(int h, int nv, int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c,
            int co, int ldc, boolean accumulate) {
        if (nv == 1) {
            // Always the full MR rows: the tile is computed into scratch and only its valid rows are copied.
            if (MR == 12) {
                colA12x1(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
            } else {
                colA6x1(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
            }
            return;
        }
        switch (h) {
            case 12:
                colA12x2(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 8:
                colA8x2(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
                break;
            case 6:
                colA6x2(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
                break;
            default:
                colA4x2(kc, pa, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
                break;
        }
    }

    /** 12 rows x 2 vectors, 24 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA12x2(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7]);
            c7a = a7.fma(b0, c7a); c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(S, pa[a + 8]);
            c8a = a8.fma(b0, c8a); c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(S, pa[a + 9]);
            c9a = a9.fma(b0, c9a); c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(S, pa[a + 10]);
            c10a = a10.fma(b0, c10a); c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(S, pa[a + 11]);
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

    /** 8 rows x 2 vectors, 16 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA8x2(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7]);
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

    /** 6 rows x 2 vectors, 12 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA6x2(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
        c4a.intoArray(c, co + 4 * ldc); c4b.intoArray(c, co + 4 * ldc + L);
        c5a.intoArray(c, co + 5 * ldc); c5b.intoArray(c, co + 5 * ldc + L);
    }

    /** 4 rows x 2 vectors, 8 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA4x2(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
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
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
        }
        c0a.intoArray(c, co); c0b.intoArray(c, co + L);
        c1a.intoArray(c, co + ldc); c1b.intoArray(c, co + ldc + L);
        c2a.intoArray(c, co + 2 * ldc); c2b.intoArray(c, co + 2 * ldc + L);
        c3a.intoArray(c, co + 3 * ldc); c3b.intoArray(c, co + 3 * ldc + L);
    }

    /** 12 rows x 1 vector, 12 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA12x1(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector c0a;
        FloatVector c1a;
        FloatVector c2a;
        FloatVector c3a;
        FloatVector c4a;
        FloatVector c5a;
        FloatVector c6a;
        FloatVector c7a;
        FloatVector c8a;
        FloatVector c9a;
        FloatVector c10a;
        FloatVector c11a;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co);
            c1a = FloatVector.fromArray(S, c, co + ldc);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc);
            c6a = FloatVector.fromArray(S, c, co + 6 * ldc);
            c7a = FloatVector.fromArray(S, c, co + 7 * ldc);
            c8a = FloatVector.fromArray(S, c, co + 8 * ldc);
            c9a = FloatVector.fromArray(S, c, co + 9 * ldc);
            c10a = FloatVector.fromArray(S, c, co + 10 * ldc);
            c11a = FloatVector.fromArray(S, c, co + 11 * ldc);
        } else {
            c0a = FloatVector.zero(S);
            c1a = FloatVector.zero(S);
            c2a = FloatVector.zero(S);
            c3a = FloatVector.zero(S);
            c4a = FloatVector.zero(S);
            c5a = FloatVector.zero(S);
            c6a = FloatVector.zero(S);
            c7a = FloatVector.zero(S);
            c8a = FloatVector.zero(S);
            c9a = FloatVector.zero(S);
            c10a = FloatVector.zero(S);
            c11a = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c4a = a4.fma(b0, c4a);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c5a = a5.fma(b0, c5a);
            FloatVector a6 = FloatVector.broadcast(S, pa[a + 6]);
            c6a = a6.fma(b0, c6a);
            FloatVector a7 = FloatVector.broadcast(S, pa[a + 7]);
            c7a = a7.fma(b0, c7a);
            FloatVector a8 = FloatVector.broadcast(S, pa[a + 8]);
            c8a = a8.fma(b0, c8a);
            FloatVector a9 = FloatVector.broadcast(S, pa[a + 9]);
            c9a = a9.fma(b0, c9a);
            FloatVector a10 = FloatVector.broadcast(S, pa[a + 10]);
            c10a = a10.fma(b0, c10a);
            FloatVector a11 = FloatVector.broadcast(S, pa[a + 11]);
            c11a = a11.fma(b0, c11a);
        }
        c0a.intoArray(c, co);
        c1a.intoArray(c, co + ldc);
        c2a.intoArray(c, co + 2 * ldc);
        c3a.intoArray(c, co + 3 * ldc);
        c4a.intoArray(c, co + 4 * ldc);
        c5a.intoArray(c, co + 5 * ldc);
        c6a.intoArray(c, co + 6 * ldc);
        c7a.intoArray(c, co + 7 * ldc);
        c8a.intoArray(c, co + 8 * ldc);
        c9a.intoArray(c, co + 9 * ldc);
        c10a.intoArray(c, co + 10 * ldc);
        c11a.intoArray(c, co + 11 * ldc);
    }

    /** 6 rows x 1 vector, 6 accumulators; column {@code p} of A at {@code ao + p * lda + r}. */
    static void colA6x1(int kc, float[] pa, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector c0a;
        FloatVector c1a;
        FloatVector c2a;
        FloatVector c3a;
        FloatVector c4a;
        FloatVector c5a;
        if (accumulate) {
            c0a = FloatVector.fromArray(S, c, co);
            c1a = FloatVector.fromArray(S, c, co + ldc);
            c2a = FloatVector.fromArray(S, c, co + 2 * ldc);
            c3a = FloatVector.fromArray(S, c, co + 3 * ldc);
            c4a = FloatVector.fromArray(S, c, co + 4 * ldc);
            c5a = FloatVector.fromArray(S, c, co + 5 * ldc);
        } else {
            c0a = FloatVector.zero(S);
            c1a = FloatVector.zero(S);
            c2a = FloatVector.zero(S);
            c3a = FloatVector.zero(S);
            c4a = FloatVector.zero(S);
            c5a = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb;
            int a = ao + p * lda;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector a0 = FloatVector.broadcast(S, pa[a]);
            c0a = a0.fma(b0, c0a);
            FloatVector a1 = FloatVector.broadcast(S, pa[a + 1]);
            c1a = a1.fma(b0, c1a);
            FloatVector a2 = FloatVector.broadcast(S, pa[a + 2]);
            c2a = a2.fma(b0, c2a);
            FloatVector a3 = FloatVector.broadcast(S, pa[a + 3]);
            c3a = a3.fma(b0, c3a);
            FloatVector a4 = FloatVector.broadcast(S, pa[a + 4]);
            c4a = a4.fma(b0, c4a);
            FloatVector a5 = FloatVector.broadcast(S, pa[a + 5]);
            c5a = a5.fma(b0, c5a);
        }
        c0a.intoArray(c, co);
        c1a.intoArray(c, co + ldc);
        c2a.intoArray(c, co + 2 * ldc);
        c3a.intoArray(c, co + 3 * ldc);
        c4a.intoArray(c, co + 4 * ldc);
        c5a.intoArray(c, co + 5 * ldc);
    }
}
