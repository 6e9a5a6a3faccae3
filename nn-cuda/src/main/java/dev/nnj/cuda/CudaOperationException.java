package dev.nnj.cuda;

/**
 * A CUDA or cuBLAS call failed inside a backend op. The message names the op, the shapes of its tensors and
 * the driver's error text; the cause is JCuda's exception.
 */
public class CudaOperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception naming the operation and the CUDA error.
     *
     * @param message the operation, its arguments and the CUDA error
     * @param cause the JCuda exception, or null
     */
    public CudaOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
