package dev.nnj.cuda;

import jcuda.CudaException;

/**
 * The order in which a device is given back: first wait for everything queued on it, so that a fault left by
 * an asynchronous kernel is reported as a {@link CudaDeviceFaultException} naming the device, instead of as a
 * raw error from whichever release happens to run first; then every release step, each on its own (a broken
 * context must not keep the others from running); then the fault, if there was one.
 */
final class DeviceShutdown {
    /** One native step that may fail with a JCuda exception. */
    interface Step {
        /** Runs the step. */
        void run();
    }

    private DeviceShutdown() {
    }

    /**
     * Synchronises, then runs every release step.
     *
     * @param device      the device's description, for the message
     * @param synchronize waits for the device (e.g. {@code cuCtxSynchronize})
     * @param releases    unload the module, destroy the cuBLAS handle, release the context, ... in order
     * @throws CudaDeviceFaultException after the releases, when synchronising reported a fault
     */
    static void run(String device, Step synchronize, Step... releases) {
        CudaDeviceFaultException fault = null;
        try {
            synchronize.run();
        } catch (CudaException e) {
            fault = new CudaDeviceFaultException(device, "close", CudaErrors.describe(e), e);
        }
        for (Step release : releases) {
            try {
                release.run();
            } catch (CudaException ignored) {
                // The context may be gone already; the fault above (if any) is what the caller needs to know.
            }
        }
        if (fault != null) {
            throw fault;
        }
    }
}
