package dev.nnj.cpu;

/**
 * The tuned kernels in plain Java: blocked multithreaded GEMM ({@link ScalarGemm}); the other ops are the
 * reference loops, which are single passes over memory already.
 */
class ScalarKernels extends ReferenceKernels {
    private final ScalarGemm gemm;

    ScalarKernels(WorkerPool pool) {
        this.gemm = new ScalarGemm(pool);
    }

    @Override
    public String label() {
        return "scalar kernels";
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        gemm.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
    }
}
