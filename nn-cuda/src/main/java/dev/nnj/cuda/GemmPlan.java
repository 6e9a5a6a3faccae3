package dev.nnj.cuda;

/**
 * How a row-major product {@code C = op(A) · op(B)} is handed to column-major cuBLAS.
 *
 * <p>A row-major {@code (r, c)} matrix has the same bytes as a column-major {@code (c, r)} one — its
 * transpose. So instead of {@code C = op(A)·op(B)} cuBLAS computes {@code Cᵀ = op(B)ᵀ · op(A)ᵀ}, which needs
 * no copies: swap the operands, swap {@code m} and {@code n}, and keep each operand's own transpose flag.
 * <pre>
 *   cublasSgemm(opB, opA, n, m, k, α, B, ldb, A, lda, β, C, n)
 *   lda = transposeA ? m : k        (A is stored (m, k), or (k, m) when transposed)
 *   ldb = transposeB ? k : n        (B is stored (k, n), or (n, k) when transposed)
 * </pre>
 * For Dense this gives the three products of the notes: {@code Y = X·W} is {@code (N, N, out, b, in, W, out,
 * X, in, Y, out)}; {@code dX = dY·Wᵀ} is {@code (T, N, in, b, out, W, out, dY, out, dX, in)}; {@code dW = Xᵀ·dY}
 * is {@code (N, T, out, in, b, dY, out, X, in, dW, out)}.
 *
 * @param transposeFirst  cuBLAS {@code transa}: whether B (cuBLAS's first operand) is transposed
 * @param transposeSecond cuBLAS {@code transb}: whether A (cuBLAS's second operand) is transposed
 * @param cublasM         cuBLAS {@code m} = our {@code n}
 * @param cublasN         cuBLAS {@code n} = our {@code m}
 * @param cublasK         {@code k}
 * @param ldFirst         leading dimension of B
 * @param ldSecond        leading dimension of A
 * @param ldc             leading dimension of C ({@code n})
 */
record GemmPlan(boolean transposeFirst, boolean transposeSecond, int cublasM, int cublasN, int cublasK, int ldFirst,
                int ldSecond, int ldc) {

    /** The plan for row-major {@code C (m, n) = op(A) (m, k) · op(B) (k, n)}. */
    static GemmPlan rowMajor(boolean transposeA, boolean transposeB, int m, int n, int k) {
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        return new GemmPlan(transposeB, transposeA, n, m, k, ldb, lda, n);
    }
}
