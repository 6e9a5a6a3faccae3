package dev.nnj.cuda;

import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import org.junit.jupiter.api.Nested;

/** {@link ModelChecks} on the GPU (skips with the probe's reason where there is none) and on the emulated device. */
class ModelOnCudaTest {

    @Nested
    class Gpu extends ModelChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider();
        }
    }

    @Nested
    class Emulated extends ModelChecks {
        @Override
        BackendProvider cudaProvider() {
            return new CudaBackendProvider(() -> Availability.available("available: emulated device"),
                    () -> new CudaBackend(new EmulatedDevice()));
        }
    }
}
