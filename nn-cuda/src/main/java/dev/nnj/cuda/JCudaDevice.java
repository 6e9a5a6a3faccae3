package dev.nnj.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;
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
    /** Bytes of the JIT compiler's error log kept when the kernels fail to load. */
    private static final int JIT_LOG_BYTES = 16 * 1024;
    /** The oldest driver API version whose JIT takes nnj's PTX (ISA 8.0): CUDA 12.0. */
    private static final int OLDEST_DRIVER = 12000;

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
    /** Why the kernels did not load, in the JIT compiler's words; empty unless they failed. */
    private String jitLog = "";

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

    /**
     * What to add to a start failure: the JIT compiler's own log when the kernels did not load, and for PTX the
     * driver would not take, whether the driver is too old for ISA 8.0 (the usual reason) or not.
     */
    private String hint(CudaException e) {
        int code = CudaErrors.driverCode(e);
        if (code != CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION && code != CUresult.CUDA_ERROR_INVALID_PTX) {
            return jitLog;
        }
        int driver = driverVersion();
        String version = driver <= 0 ? "" : " " + driver / 1000 + "." + driver % 1000 / 10;
        if (driver > 0 && driver < OLDEST_DRIVER) {
            return " (the driver supports CUDA" + version + "; nnj's PTX needs a CUDA 12.0 or newer driver)" + jitLog;
        }
        return " (the CUDA" + version + " driver's JIT compiler refused nnj's PTX)" + jitLog;
    }

    private static int driverVersion() {
        try {
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            return version[0];
        } catch (CudaException e) {
            return 0;
        }
    }

    private void loadKernels() {
        byte[] ptx = ptxBytes();
        try {
            JCudaDriver.cuModuleLoadData(module, ptx);
        } catch (CudaException e) {
            jitLog = jitErrorLog(ptx);
            throw e;
        }
        moduleLoaded = true;
        for (Kernel k : Kernel.values()) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, k.symbol());
            functions.put(k, f);
        }
    }

    /**
     * Loads the PTX once more, asking the JIT compiler for its error log ({@code cuModuleLoadDataEx} with
     * {@code CU_JIT_ERROR_LOG_BUFFER}), only to say why the plain load failed; the plain load stays the normal
     * path. Returns {@code "; the JIT compiler said: …"}, or an empty string when there is nothing to add.
     */
    private static String jitErrorLog(byte[] ptx) {
        try {
            byte[] log = new byte[JIT_LOG_BYTES];
            JITOptions options = new JITOptions();
            options.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, log);
            options.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, log.length);
            CUmodule retry = new CUmodule();
            // JCuda returns this call's result instead of throwing, whatever setExceptionsEnabled says.
            int result = JCudaDriver.cuModuleLoadDataJIT(retry, Pointer.to(ptx), options);
            if (result == CUresult.CUDA_SUCCESS) {
                JCudaDriver.cuModuleUnload(retry);
                return "; loaded again with a log, it succeeded";
            }
            int end = 0;
            while (end < log.length && log[end] != 0) {
                end++;
            }
            String text = new String(log, 0, end, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "" : "; the JIT compiler said: " + text;
        } catch (RuntimeException e) {
            return "";   // the log only explains: the first load's own error is the one reported
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
