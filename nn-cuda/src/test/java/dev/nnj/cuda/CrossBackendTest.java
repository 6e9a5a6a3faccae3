package dev.nnj.cuda;

import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import org.junit.jupiter.api.Nested;

/**
 * CPU against CUDA on the same seeded data ({@link CrossBackendChecks} states the tolerances): on the GPU in
 * FP32 and, separately, with TF32 SGEMM and its looser GEMM tolerance — both skip with the probe's reason
 * where there is no GPU — and on the emulated device, which runs everywhere, in FP32 and in TF32.
 */
class CrossBackendTest {

    @Nested
    class GpuFp32 extends CrossBackendChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider(() -> CudaBackendProvider.probe().availability(),
                    () -> CudaBackend.create(false));
        }
    }

    @Nested
    class GpuTf32 extends CrossBackendChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider(() -> CudaBackendProvider.probe().availability(),
                    () -> CudaBackend.create(true));
        }

        @Override
        double gemmTolerance() {
            return GEMM_TF32;
        }
    }

    @Nested
    class Emulated extends CrossBackendChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider(() -> Availability.available("available: emulated device"),
                    () -> new CudaBackend(new EmulatedDevice()));
        }
    }

    /** The TF32 tolerance held to an SGEMM that cuts its inputs to TF32, as the GPU's tensor cores do. */
    @Nested
    class EmulatedTf32 extends CrossBackendChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider(() -> Availability.available("available: emulated device, TF32"),
                    () -> new CudaBackend(EmulatedDevice.tf32()));
        }

        @Override
        double gemmTolerance() {
            return GEMM_TF32;
        }
    }
}
