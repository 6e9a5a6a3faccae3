package dev.nnj.cpu;

import dev.nnj.api.Backend;
import dev.nnj.api.spi.AbstractTensor;

/**
 * A tensor in a Java heap {@code float[]}, row-major and contiguous: element {@code (i, j)} of a
 * {@code (rows, cols)} tensor is {@code data[i * cols + j]}.
 *
 * <p>The array is reachable only inside this package ({@link #data()}), so the kernels read and write it
 * directly while users go through {@link #copyTo} and {@link #copyFrom}.
 */
final class CpuTensor extends AbstractTensor {
    private final CpuBackend backend;
    private float[] data;

    CpuTensor(CpuBackend backend, int... shape) {
        super(shape);
        this.backend = backend;
        this.data = new float[size()];
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The storage; throws {@link IllegalStateException} naming the shape once the tensor is closed. */
    float[] data() {
        checkOpen();
        return data;
    }

    @Override
    public void copyTo(float[] dst, int offset) {
        checkHostRange("copyTo", dst, offset);
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    @Override
    public void copyFrom(float[] src, int offset) {
        checkHostWrite(src, offset);
        System.arraycopy(src, offset, data, 0, data.length);
    }

    @Override
    protected void release() {
        // Drop the array so that a closed tensor held by someone frees its memory to the GC.
        data = null;
    }
}
