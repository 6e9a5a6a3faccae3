/**
 * The CUDA backend, {@link dev.nnj.cuda.CudaBackend}, found through {@link dev.nnj.cuda.CudaBackendProvider}:
 * tensors in device memory from a caching allocator, SGEMM in cuBLAS, every other op in nnj's own kernels
 * (shipped as PTX), all on one stream. The provider's probe explains in one line why CUDA cannot run when
 * it cannot (no driver, no device, no cuBLAS), and never crashes the JVM.
 */
package dev.nnj.cuda;
