package dev.nnj.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The fast path on the incubating Vector API ({@code jdk.incubator.vector}): packed GEMM
 * ({@link VectorGemm}) and vectorised fused elementwise kernels. Loaded only by name from
 * {@link Vectorization}, so that nothing touches this class when the module is absent.
 */
final class VectorKernels extends ScalarKernels {
    private final VectorGemm gemm;

    VectorKernels(WorkerPool pool) {
        super(pool);
        this.gemm = new VectorGemm(pool);
    }

    /** Bits of the CPU's preferred vectors; the probe {@link Vectorization} calls by reflection. */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Override
    public String label() {
        return "Vector API fast path (" + VectorGemm.vectorBits() + "-bit)";
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        gemm.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }
}
