package dev.nnj.cuda;

import dev.nnj.api.Backend;
import dev.nnj.api.spi.AbstractTensor;
import java.lang.ref.Cleaner;
import jcuda.driver.CUdeviceptr;

/**
 * A tensor in device memory: one block of the backend's {@link CachingAllocator}, {@code size() * 4} bytes,
 * row-major. Host copies go through the backend ({@link #copyTo}, {@link #copyFrom}, {@code item()}); ops
 * never copy to the host.
 *
 * <p>{@link #close()} hands the block back to the allocator's cache at once. A tensor that is never closed
 * is handed back when it becomes unreachable (a {@link Cleaner}, which only does bookkeeping: its thread has
 * no CUDA context). Either way the memory stays with the backend until {@link CudaBackend#emptyCache()} or
 * {@link CudaBackend#close()}.
 */
final class CudaTensor extends AbstractTensor {
    private final CudaBackend backend;
    private final CachingAllocator.Block<CUdeviceptr> block;
    private final Cleaner.Cleanable cleanable;

    CudaTensor(CudaBackend backend, CachingAllocator.Block<CUdeviceptr> block, int... shape) {
        super(shape);
        this.backend = backend;
        this.block = block;
        this.cleanable = CudaCleaner.CLEANER.register(this, new Release(backend.allocator(), block));
    }

    /** The device address; throws if closed. */
    CUdeviceptr pointer() {
        checkOpen();
        return block.handle();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void copyTo(float[] dst, int offset) {
        checkHostRange("copyTo", dst, offset);
        backend.download(this, dst, offset);
    }

    @Override
    public void copyFrom(float[] src, int offset) {
        checkHostWrite(src, offset);
        backend.upload(src, offset, this);
    }

    @Override
    protected void release() {
        cleanable.clean();
    }

    /** The cleaning action; holds the block, never the tensor (or it would never become unreachable). */
    private static final class Release implements Runnable {
        private final CachingAllocator<CUdeviceptr> allocator;
        private final CachingAllocator.Block<CUdeviceptr> block;

        Release(CachingAllocator<CUdeviceptr> allocator, CachingAllocator.Block<CUdeviceptr> block) {
            this.allocator = allocator;
            this.block = block;
        }

        @Override
        public void run() {
            allocator.release(block);
        }
    }

}
