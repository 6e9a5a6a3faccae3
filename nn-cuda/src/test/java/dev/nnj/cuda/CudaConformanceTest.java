package dev.nnj.cuda;

import dev.nnj.api.conformance.BackendConformanceTest;
import dev.nnj.api.BackendProvider;

/**
 * The shared conformance suite on the real GPU. Where the backend is not available (no NVIDIA driver, no
 * device, no cuBLAS) every test is skipped with the probe's reason.
 */
class CudaConformanceTest extends BackendConformanceTest {
    @Override
    protected BackendProvider provider() {
        return new CudaBackendProvider();
    }
}
