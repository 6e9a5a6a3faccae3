/**
 * The pure-Java backend, {@link dev.nnj.cpu.CpuBackend}, found through
 * {@link dev.nnj.cpu.CpuBackendProvider}: heap tensors, a Vector API fast path (packed GEMM, fused
 * elementwise kernels on a small worker pool, with one- to three-row calls on plain Java that gives the same bits)
 * when {@code jdk.incubator.vector} is present, plain-Java kernels otherwise, and the naive documented reference
 * kernels on request ({@code -Dnnj.cpu.kernels=reference}).
 */
package dev.nnj.cpu;
