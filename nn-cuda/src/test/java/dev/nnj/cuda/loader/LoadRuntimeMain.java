package dev.nnj.cuda.loader;

import java.nio.file.Path;

/**
 * Child-JVM entry point for {@link ConcurrentJvmLoadTest}: waits until a common start time so that every
 * child reaches the native cache in the same instant, loads JCudaRuntime through {@link JCudaNatives} (it links
 * cudart statically, so it loads on any Linux machine), calls into it, then tries JCudaDriver, which must fail
 * cleanly without a driver. Prints one line per step; any crash shows as a missing line and an odd exit code.
 */
public final class LoadRuntimeMain {
    private LoadRuntimeMain() {
    }

    public static void main(String[] args) throws Exception {
        long startAt = Long.parseLong(args[0]);
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        NativeCache cache = NativeCache.defaultCache(JCudaNatives.version());
        Path runtime = JCudaNatives.install(cache, JCudaNatives.Library.RUNTIME);
        JCudaNatives.load(JCudaNatives.Library.RUNTIME, runtime);
        int[] count = new int[1];
        // Without a driver this returns an error code (exceptions are off by default); the point is that the
        // JNI call runs at all.
        int status = jcuda.runtime.JCuda.cudaGetDeviceCount(count);
        System.out.println("RUNTIME-LOADED status=" + status + " devices=" + count[0]);
        Path driver = JCudaNatives.install(cache, JCudaNatives.Library.DRIVER);
        try {
            JCudaNatives.load(JCudaNatives.Library.DRIVER, driver);
            System.out.println("DRIVER-LOADED");
        } catch (UnsatisfiedLinkError e) {
            System.out.println("DRIVER-UNAVAILABLE " + e.getMessage().replace('\n', ' '));
        }
        System.out.println("DONE");
    }
}
