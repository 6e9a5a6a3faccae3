package dev.nnj.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Everything {@link CudaBackend} asks of a GPU: memory, copies, kernel launches and SGEMM, all in issue order
 * on one stream. {@link JCudaDevice} is the real one; tests run the backend's Java side (argument checks,
 * launch shapes, kernel arguments, the row-major GEMM mapping) against an emulation of this interface.
 *
 * <p>Called only from inside a {@link ThreadGuard}-entered op, except {@link #memory()}'s bookkeeping.
 */
interface Device {

    /** Device memory for the caching allocator. */
    CachingAllocator.Memory<CUdeviceptr> memory();

    /** Makes this device's context current on the calling thread. */
    void makeCurrent();

    /** Host → device: {@code count} floats from {@code src[offset ..]}; returns when {@code src} may be reused. */
    void upload(float[] src, int offset, CUdeviceptr dst, int count);

    /** Device → host, after all work issued before it has finished. */
    void download(CUdeviceptr src, float[] dst, int offset, int count);

    /** Device → device, {@code count} floats. */
    void copy(CUdeviceptr src, CUdeviceptr dst, int count);

    /** Sets {@code count} floats to +0.0. */
    void zero(CUdeviceptr dst, int count);

    /** Launches {@code kernel} on a {@code gridX} × ({@code blockX}, {@code blockY}) grid. */
    void launch(Kernel kernel, int gridX, int blockX, int blockY, KernelArgs args);

    /** Column-major {@code cublasSgemm} as described by {@code plan}: first operand {@code b}, second {@code a}. */
    void sgemm(GemmPlan plan, float alpha, CUdeviceptr b, CUdeviceptr a, float beta, CUdeviceptr c);

    /** Waits for all issued work. */
    void synchronize();

    /** Streaming multiprocessors, to size grids. */
    int multiprocessors();

    /** For {@link CudaBackend#description()}. */
    String description();

    /** Frees the device's own resources (handles, modules, the context reference). */
    void close();
}
