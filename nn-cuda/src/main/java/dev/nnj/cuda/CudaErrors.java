package dev.nnj.cuda;

import dev.nnj.api.Tensor;
import dev.nnj.api.spi.Checks;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import jcuda.CudaException;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Turns JCuda's exceptions (which carry only a constant's name, e.g. {@code CUDA_ERROR_ILLEGAL_ADDRESS}) into
 * messages that name the operation, its tensors' shapes and the driver's own description of the error.
 */
final class CudaErrors {
    private CudaErrors() {
    }

    /** The driver error code behind a JCuda driver exception, or -1 if the message is not a CUresult name. */
    static int driverCode(CudaException e) {
        String name = e.getMessage();
        if (name == null) {
            return -1;
        }
        for (Field f : CUresult.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().equals(name.trim())) {
                try {
                    return f.getInt(null);
                } catch (IllegalAccessException ignored) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** {@code CUDA_ERROR_OUT_OF_MEMORY (out of memory)}, or the message alone for cuBLAS errors. */
    static String describe(CudaException e) {
        int code = driverCode(e);
        if (code < 0) {
            return String.valueOf(e.getMessage());
        }
        try {
            String[] text = new String[1];
            JCudaDriver.cuGetErrorString(code, text);
            return text[0] == null ? e.getMessage() : e.getMessage() + " (" + text[0] + ")";
        } catch (RuntimeException | LinkageError ignored) {
            return e.getMessage();
        }
    }

    /** {@code cuda gemm [a (2, 3), b (3, 4), c (2, 4)]: CUDA_ERROR_… (…)} */
    static CudaOperationException wrap(String op, String[] names, Tensor[] tensors, CudaException e) {
        return new CudaOperationException("cuda " + op + " " + shapes(names, tensors) + ": " + describe(e)
                + " (CUDA errors of earlier asynchronous ops surface at the next op that waits; run with -D"
                + CudaBackend.SYNC_PROPERTY + "=true to pin them to their op)", e);
    }

    static String shapes(String[] names, Tensor[] tensors) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(names[i]).append(' ').append(Checks.toString(tensors[i].shape()));
        }
        return sb.append(']').toString();
    }
}
