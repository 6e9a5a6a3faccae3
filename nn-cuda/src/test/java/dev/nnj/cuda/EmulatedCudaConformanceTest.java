package dev.nnj.cuda;

import dev.nnj.api.conformance.BackendConformanceTest;
import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;

/**
 * The shared conformance suite against the CUDA backend's Java side over {@link EmulatedDevice}: every op's
 * argument checks, launch shapes, kernel arguments, GEMM mapping and the kernels' algorithms (as ported to
 * Java) meet the same double-precision references as every backend. Runs everywhere; the same suite runs on
 * the real device in {@link CudaConformanceTest}.
 */
class EmulatedCudaConformanceTest extends BackendConformanceTest {
    @Override
    protected BackendProvider provider() {
        return new CudaBackendProvider(() -> Availability.available("available: emulated device"),
                () -> new CudaBackend(new EmulatedDevice()));
    }
}
