package dev.nnj.cuda;

import java.util.Arrays;
import jcuda.driver.CUdeviceptr;

/**
 * The arguments of one kernel launch, in order, with their types recorded as a signature string
 * ({@code P}, {@code L}, {@code I}, {@code F}: see {@link Kernel#signature()}).
 */
final class KernelArgs {
    private Object[] values = new Object[16];
    private final StringBuilder signature = new StringBuilder(16);
    private int count;

    /** A device pointer; {@code null} passes a null pointer (an optional tensor). */
    KernelArgs ptr(CUdeviceptr p) {
        return add('P', p);
    }

    KernelArgs i(int v) {
        return add('I', v);
    }

    KernelArgs f(float v) {
        return add('F', v);
    }

    KernelArgs l(long v) {
        return add('L', v);
    }

    private KernelArgs add(char type, Object value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
        signature.append(type);
        return this;
    }

    int size() {
        return count;
    }

    String signature() {
        return signature.toString();
    }

    char type(int i) {
        return signature.charAt(i);
    }

    Object value(int i) {
        return values[i];
    }

    CUdeviceptr pointer(int i) {
        return (CUdeviceptr) values[i];
    }

    int intValue(int i) {
        return (Integer) values[i];
    }

    float floatValue(int i) {
        return (Float) values[i];
    }

    long longValue(int i) {
        return (Long) values[i];
    }

    /** Throws if these arguments do not match {@code kernel}'s parameter list. */
    void check(Kernel kernel) {
        if (!kernel.signature().contentEquals(signature)) {
            throw new IllegalStateException("kernel " + kernel.symbol() + " takes (" + kernel.signature()
                    + ") but was given (" + signature + ")");
        }
    }
}
