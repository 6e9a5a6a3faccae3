/**
 * Native loading for the CUDA backend, kept apart from it: JCuda's JNI libraries unpacked into a per-user
 * cache ({@link dev.nnj.cuda.loader.NativeCache}, {@link dev.nnj.cuda.loader.JCudaNatives}) and the cuBLAS
 * found on the machine made loadable by JCuda's JNI library ({@link dev.nnj.cuda.loader.CublasSetup}), by
 * reading and retargeting ELF dynamic sections where the installed cuBLAS is newer than the one JCuda was
 * built against. Not an API for users.
 */
package dev.nnj.cuda.loader;
