package dev.nnj.cuda;

import dev.nnj.api.Availability;
import dev.nnj.cuda.loader.CublasSetup;
import dev.nnj.cuda.loader.DriverLibrary;
import dev.nnj.cuda.loader.JCudaNatives;
import dev.nnj.cuda.loader.NativeCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.libraryPropertyType;

/**
 * Finds out, step by step and without ever crashing the JVM, whether the backend can run here:
 * <ol>
 *   <li>Linux x86-64 (the only natives JCuda 12.6 ships that the backend loads);</li>
 *   <li>JCuda's driver bindings load, i.e. {@code libcuda.so.1} exists — else "no NVIDIA driver". When no place
 *       the dynamic linker looks holds it ({@link DriverLibrary}), that is the answer at once, without writing the
 *       bindings to the native cache or loading them;</li>
 *   <li>{@code cuInit} succeeds and the driver speaks CUDA 12.0 or newer;</li>
 *   <li>a device exists ({@value #DEVICE_PROPERTY}, default 0) with compute capability 7.5 or more (the
 *       lowest the committed PTX targets) — else "no CUDA device" or the reason;</li>
 *   <li>cuBLAS 12 or 13 is found, exports every function the backend calls, and loads
 *       ({@link CublasSetup}) — else "cuBLAS not found (looked in …)" or the gap;</li>
 *   <li>a cuBLAS handle can be created on the device's primary context and destroyed again
 *       ({@link CublasStartCheck}) — else "cuBLAS cannot start on …" with the error.</li>
 * </ol>
 * Each native library is loaded by path before its JCuda class is touched ({@link JCudaNatives}), so a failed
 * step leaves no half-initialised class behind and a later probe runs the same steps again.
 */
final class CudaProbe {
    /** System property choosing the device ordinal. */
    static final String DEVICE_PROPERTY = "nnj.cuda.device";
    /** The lowest compute capability the committed PTX ({@code .target sm_75}) can be JIT-compiled for. */
    static final int MIN_COMPUTE_CAPABILITY = 75;
    /** JCuda 12.6's natives call the CUDA 12.0 driver API. */
    static final int MIN_DRIVER_VERSION = 12000;

    /** What a successful probe found; {@code null} fields never occur in an available result. */
    record DeviceInfo(int ordinal, int deviceCount, String name, int ccMajor, int ccMinor, long totalMemory,
                      int multiprocessors, int driverVersion, String cublasVersion, String cublasLibrary,
                      Path nativeDir) {

        String summary() {
            return name + " (device " + ordinal + " of " + deviceCount + "), compute capability " + ccMajor + "."
                    + ccMinor + ", " + CachingAllocator.bytes(totalMemory) + ", " + multiprocessors
                    + " SMs, driver CUDA " + version(driverVersion) + ", cuBLAS " + cublasVersion + " ("
                    + cublasLibrary + ")";
        }
    }

    /** The probe's verdict, and the device when available. */
    record Result(Availability availability, DeviceInfo device) {
        static Result unavailable(String reason) {
            return new Result(Availability.unavailable(reason), null);
        }
    }

    private CudaProbe() {
    }

    /** Runs every step; never throws. */
    static Result run() {
        try {
            return probe();
        } catch (RuntimeException | LinkageError e) {
            return Result.unavailable("probe failed: " + e);
        }
    }

    private static Result probe() {
        if (!JCudaNatives.supportedPlatform()) {
            return Result.unavailable("no JCuda natives for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " (nnj's CUDA backend runs on Linux x86-64)");
        }
        if (!DriverLibrary.mayBeFound()) {
            return Result.unavailable("no NVIDIA driver (libcuda.so.1 not found)");
        }
        NativeCache cache = NativeCache.defaultCache(JCudaNatives.version());
        Path driverLib;
        try {
            driverLib = JCudaNatives.install(cache, JCudaNatives.Library.DRIVER);
        } catch (IOException e) {
            return Result.unavailable("cannot prepare JCuda's native libraries in " + cache.dir() + ": " + e.getMessage()
                    + " (set -D" + NativeCache.DIR_PROPERTY + " to a writable directory)");
        }
        try {
            JCudaNatives.load(JCudaNatives.Library.DRIVER, driverLib);
        } catch (UnsatisfiedLinkError e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("libcuda.so")) {
                return Result.unavailable("no NVIDIA driver (libcuda.so.1 not found)");
            }
            return Result.unavailable("no NVIDIA driver (JCuda's driver bindings did not load: " + msg + ")");
        }
        JCudaDriver.setExceptionsEnabled(true);
        try {
            JCudaDriver.cuInit(0);
        } catch (CudaException e) {
            int code = CudaErrors.driverCode(e);
            if (code == CUresult.CUDA_ERROR_NO_DEVICE) {
                return Result.unavailable("no CUDA device (the NVIDIA driver reports none)");
            }
            if (code == CUresult.CUDA_ERROR_STUB_LIBRARY) {
                return Result.unavailable("no NVIDIA driver (libcuda.so.1 is the CUDA toolkit's stub library;"
                        + " remove its stubs directory from LD_LIBRARY_PATH)");
            }
            return Result.unavailable("no usable NVIDIA driver: cuInit failed with " + CudaErrors.describe(e));
        }
        int[] value = new int[1];
        JCudaDriver.cuDriverGetVersion(value);
        int driverVersion = value[0];
        if (driverVersion < MIN_DRIVER_VERSION) {
            return Result.unavailable("NVIDIA driver too old: it supports CUDA " + version(driverVersion)
                    + ", JCuda " + JCudaNatives.version() + " needs CUDA " + version(MIN_DRIVER_VERSION) + " or newer");
        }
        JCudaDriver.cuDeviceGetCount(value);
        int count = value[0];
        if (count == 0) {
            return Result.unavailable("no CUDA device (the NVIDIA driver reports none)");
        }
        int ordinal = Integer.getInteger(DEVICE_PROPERTY, 0);
        if (ordinal < 0 || ordinal >= count) {
            return Result.unavailable("no CUDA device " + ordinal + " (-D" + DEVICE_PROPERTY + "); " + count
                    + " found");
        }
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        String name = deviceName(device);
        int ccMajor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int ccMinor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        long[] total = new long[1];
        JCudaDriver.cuDeviceTotalMem(total, device);
        if (ccMajor * 10 + ccMinor < MIN_COMPUTE_CAPABILITY) {
            return Result.unavailable(name + " has compute capability " + ccMajor + "." + ccMinor
                    + "; nnj's kernels need 7.5 or newer (Turing and later)");
        }
        CublasSetup.Outcome cublas = CublasSetup.prepare(cache);
        if (!cublas.ok()) {
            return Result.unavailable(cublas.reason());
        }
        JCublas2.setExceptionsEnabled(true);
        Availability starts = CublasStartCheck.check(name, CublasStartCheck.onDevice(ordinal));
        if (!starts.available()) {
            return Result.unavailable(starts.reason());
        }
        String cublasVersion = cublasProperty(libraryPropertyType.MAJOR_VERSION) + "."
                + cublasProperty(libraryPropertyType.MINOR_VERSION) + "."
                + cublasProperty(libraryPropertyType.PATCH_LEVEL);
        DeviceInfo info = new DeviceInfo(ordinal, count, name, ccMajor, ccMinor, total[0], sms, driverVersion,
                cublasVersion, cublas.reason(), cache.dir());
        return new Result(Availability.available("available: " + info.summary()), info);
    }

    private static String deviceName(CUdevice device) {
        byte[] bytes = new byte[256];
        JCudaDriver.cuDeviceGetName(bytes, bytes.length, device);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    private static int cublasProperty(int type) {
        int[] v = new int[1];
        JCublas2.cublasGetProperty(type, v);
        return v[0];
    }

    /** 12040 → "12.4". */
    static String version(int cudaVersion) {
        return String.format(Locale.ROOT, "%d.%d", cudaVersion / 1000, (cudaVersion % 1000) / 10);
    }
}
