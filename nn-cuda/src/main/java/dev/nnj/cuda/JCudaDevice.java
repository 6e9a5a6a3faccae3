package dev.nnj.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;

/**
 * The real {@link Device}: JCuda's driver API on the device's primary context, cuBLAS for SGEMM, and the
 * committed PTX kernels. Everything runs on the legacy default stream, so every op is ordered after the
 * previous one, and a device-to-host copy waits for all of them.
 *
 * <p>Created only after {@link CudaProbe} found the device available (the JNI libraries are loaded, JCuda's
 * exceptions are enabled, so every failing call below throws {@link CudaException}).
 */
final class JCudaDevice implements Device {
    private final CudaProbe.DeviceInfo info;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final cublasHandle cublas = new cublasHandle();
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final boolean tf32;
    private final CachingAllocator.Memory<CUdeviceptr> memory = new DeviceMemory();
    private boolean retained;
    private boolean cublasCreated;
    private boolean moduleLoaded;

    /**
     * Retains the primary context, creates the cuBLAS handle (bound to that context) and loads the kernels;
     * undoes whatever succeeded if a later step fails.
     */
    JCudaDevice(CudaProbe.DeviceInfo info, boolean tf32) {
        this.info = info;
        this.tf32 = tf32;
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCublas2.setExceptionsEnabled(true);
            JCudaDriver.cuDeviceGet(device, info.ordinal());
            JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
            retained = true;
            JCudaDriver.cuCtxSetCurrent(context);
            JCublas2.cublasCreate(cublas);
            cublasCreated = true;
            // Default math keeps SGEMM in full FP32; TF32 (10-bit mantissa inputs) only when asked for.
            JCublas2.cublasSetMathMode(cublas,
                    tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH);
            loadKernels();
        } catch (CudaException e) {
            close();
            throw new IllegalStateException("cuda backend could not start on " + info.name() + ": "
                    + CudaErrors.describe(e) + hint(e), e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private static String hint(CudaException e) {
        int code = CudaErrors.driverCode(e);
        if (code == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION || code == CUresult.CUDA_ERROR_INVALID_PTX) {
            return " (the driver cannot JIT nnj's PTX; it needs a CUDA 12.0 or newer driver)";
        }
        return "";
    }

    private void loadKernels() {
        byte[] ptx = ptxBytes();
        JCudaDriver.cuModuleLoadData(module, ptx);
        moduleLoaded = true;
        for (Kernel k : Kernel.values()) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, k.symbol());
            functions.put(k, f);
        }
    }

    /** The committed PTX, NUL-terminated as {@code cuModuleLoadData} expects of text images. */
    static byte[] ptxBytes() {
        try (InputStream in = JCudaDevice.class.getResourceAsStream(Kernel.PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(Kernel.PTX_RESOURCE + " is missing from the nn-cuda jar");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + Kernel.PTX_RESOURCE, e);
        }
    }

    @Override
    public CachingAllocator.Memory<CUdeviceptr> memory() {
        return memory;
    }

    @Override
    public void makeCurrent() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    public void upload(float[] src, int offset, CUdeviceptr dst, int count) {
        // Synchronous from pageable memory: JCuda pins the array only for the duration of the call.
        JCudaDriver.cuMemcpyHtoD(dst, Pointer.to(src).withByteOffset((long) offset * Sizeof.FLOAT),
                (long) count * Sizeof.FLOAT);
    }

    @Override
    public void download(CUdeviceptr src, float[] dst, int offset, int count) {
        JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) offset * Sizeof.FLOAT), src,
                (long) count * Sizeof.FLOAT);
    }

    @Override
    public void copy(CUdeviceptr src, CUdeviceptr dst, int count) {
        JCudaDriver.cuMemcpyDtoD(dst, src, (long) count * Sizeof.FLOAT);
    }

    @Override
    public void zero(CUdeviceptr dst, int count) {
        JCudaDriver.cuMemsetD32(dst, 0, count);
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int blockY, KernelArgs args) {
        args.check(kernel);
        NativePointerObject[] params = new NativePointerObject[args.size()];
        for (int i = 0; i < params.length; i++) {
            switch (args.type(i)) {
                case 'P':
                    CUdeviceptr p = args.pointer(i);
                    params[i] = p == null ? Pointer.to(new long[] {0L}) : Pointer.to(p);
                    break;
                case 'I':
                    params[i] = Pointer.to(new int[] {args.intValue(i)});
                    break;
                case 'F':
                    params[i] = Pointer.to(new float[] {args.floatValue(i)});
                    break;
                default:
                    params[i] = Pointer.to(new long[] {args.longValue(i)});
                    break;
            }
        }
        JCudaDriver.cuLaunchKernel(functions.get(kernel), gridX, 1, 1, blockX, blockY, 1, 0, null,
                Pointer.to(params), null);
    }

    @Override
    public void sgemm(GemmPlan plan, float alpha, CUdeviceptr b, CUdeviceptr a, float beta, CUdeviceptr c) {
        JCublas2.cublasSgemm(cublas,
                plan.transposeFirst() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                plan.transposeSecond() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                plan.cublasM(), plan.cublasN(), plan.cublasK(), Pointer.to(new float[] {alpha}), b, plan.ldFirst(),
                a, plan.ldSecond(), Pointer.to(new float[] {beta}), c, plan.ldc());
    }

    @Override
    public void synchronize() {
        JCudaDriver.cuCtxSynchronize();
    }

    @Override
    public int multiprocessors() {
        return info.multiprocessors();
    }

    @Override
    public String description() {
        return info.name() + " (device " + info.ordinal() + ", compute capability " + info.ccMajor() + "."
                + info.ccMinor() + "), cuBLAS " + info.cublasVersion() + " SGEMM in " + (tf32 ? "TF32" : "FP32")
                + ", nnj PTX kernels";
    }

    /**
     * Waits for the device, then unloads the kernels, destroys the cuBLAS handle and releases the context, each
     * step on its own; a fault left by an earlier asynchronous kernel is then thrown as a
     * {@link CudaDeviceFaultException} naming the device.
     */
    @Override
    public void close() {
        boolean wait = retained;
        DeviceShutdown.run(info.name() + " (device " + info.ordinal() + ")",
                () -> {
                    if (wait) {
                        JCudaDriver.cuCtxSetCurrent(context);
                        JCudaDriver.cuCtxSynchronize();
                    }
                },
                () -> {
                    if (moduleLoaded) {
                        moduleLoaded = false;
                        JCudaDriver.cuModuleUnload(module);
                    }
                },
                () -> {
                    if (cublasCreated) {
                        cublasCreated = false;
                        JCublas2.cublasDestroy(cublas);
                    }
                },
                () -> {
                    if (retained) {
                        retained = false;
                        JCudaDriver.cuDevicePrimaryCtxRelease(device);
                    }
                });
    }

    /** {@code cuMemAlloc}/{@code cuMemFree} for the caching allocator; out of memory is a null, not a throw. */
    private final class DeviceMemory implements CachingAllocator.Memory<CUdeviceptr> {
        @Override
        public CUdeviceptr allocate(long bytes) {
            CUdeviceptr p = new CUdeviceptr();
            try {
                JCudaDriver.cuMemAlloc(p, bytes);
                return p;
            } catch (CudaException e) {
                if (CudaErrors.driverCode(e) == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                    return null;
                }
                throw new CudaOperationException("cuda allocate " + CachingAllocator.bytes(bytes) + " on "
                        + info.name() + ": " + CudaErrors.describe(e), e);
            }
        }

        @Override
        public void free(CUdeviceptr block) {
            JCudaDriver.cuMemFree(block);
        }

        @Override
        public long freeBytes() {
            try {
                long[] free = new long[1];
                long[] total = new long[1];
                JCudaDriver.cuMemGetInfo(free, total);
                return free[0];
            } catch (CudaException e) {
                return Long.MAX_VALUE;   // unknown: the allocation itself will report out of memory
            }
        }

        @Override
        public String describeDevice() {
            String where = info.name() + " (device " + info.ordinal() + ")";
            try {
                long[] free = new long[1];
                long[] total = new long[1];
                JCudaDriver.cuMemGetInfo(free, total);
                return where + ", which reports " + CachingAllocator.bytes(free[0]) + " free of "
                        + CachingAllocator.bytes(total[0]);
            } catch (CudaException e) {
                return where;
            }
        }
    }
}
