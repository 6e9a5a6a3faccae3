package dev.nnj.cuda;

import dev.nnj.api.Availability;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * The probe's last step: do what the backend does first — retain the device's primary context, create a cuBLAS
 * handle on it — and undo it. Finding the libraries is not enough: with cuBLAS 13 and an older driver, for
 * instance, every library loads and only {@code cublasCreate} fails. Without this step the probe would say
 * "available", {@code Backends.best()} would pick cuda and then fail instead of moving on to the next backend.
 */
final class CublasStartCheck {
    /** The native steps, separate so that the order and the clean-up can be tested without a GPU. */
    interface Steps {
        /** Retains the primary context and makes it current. */
        void retainContext();

        /** Creates a cuBLAS handle on the current context. */
        void createHandle();

        /** Destroys the handle created above. */
        void destroyHandle();

        /** Releases the context retained above. */
        void releaseContext();
    }

    private CublasStartCheck() {
    }

    /**
     * Runs the steps; whatever was set up is undone whether or not a later step fails.
     *
     * @param deviceName the device, for the reason
     * @param steps      the native steps
     * @return available (reason "cuBLAS starts"), or unavailable with "cuBLAS cannot start on ..." and the error
     */
    static Availability check(String deviceName, Steps steps) {
        boolean retained = false;
        boolean created = false;
        try {
            steps.retainContext();
            retained = true;
            steps.createHandle();
            created = true;
            return Availability.available("cuBLAS starts on " + deviceName);
        } catch (CudaException e) {
            return Availability.unavailable("cuBLAS cannot start on " + deviceName + ": " + CudaErrors.describe(e)
                    + " (a cuBLAS that needs a newer driver than this one?)");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("cuBLAS cannot start on " + deviceName + ": " + e);
        } finally {
            if (created) {
                quietly(steps::destroyHandle);
            }
            if (retained) {
                quietly(steps::releaseContext);
            }
        }
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError ignored) {
            // clean-up of a probe: the verdict is already made
        }
    }

    /** The real steps on {@code ordinal} through JCuda (exceptions enabled by the probe). */
    static Steps onDevice(int ordinal) {
        return new Steps() {
            private final CUdevice device = new CUdevice();
            private final CUcontext context = new CUcontext();
            private final cublasHandle handle = new cublasHandle();

            @Override
            public void retainContext() {
                JCudaDriver.cuDeviceGet(device, ordinal);
                JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
                JCudaDriver.cuCtxSetCurrent(context);
            }

            @Override
            public void createHandle() {
                JCublas2.cublasCreate(handle);
            }

            @Override
            public void destroyHandle() {
                JCublas2.cublasDestroy(handle);
            }

            @Override
            public void releaseContext() {
                JCudaDriver.cuDevicePrimaryCtxRelease(device);
            }
        };
    }
}
