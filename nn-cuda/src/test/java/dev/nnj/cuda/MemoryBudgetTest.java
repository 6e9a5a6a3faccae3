package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.MemoryBudgetException;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's memory budget on the emulated device: free device memory plus the allocator's cache,
 * and a model that does not fit refused with its bytes before anything reaches the device.
 */
class MemoryBudgetTest {
    private static final long MB = 1L << 20;

    @Test
    void theBudgetIsFreeDeviceMemoryPlusTheCache() {
        EmulatedDevice device = new EmulatedDevice(64 * MB);
        try (CudaBackend b = new CudaBackend(device)) {
            assertEquals(64 * MB, b.memoryBudgetBytes(), "an empty device");
            Tensor t = b.zeros(1024, 1024);   // 4 MiB
            assertEquals(60 * MB, b.memoryBudgetBytes(), "less what a live tensor holds");
            t.close();
            assertEquals(64 * MB, b.memoryBudgetBytes(), "a closed tensor's cached block counts as free");
        }
    }

    @Test
    void aModelBeyondTheDeviceIsRefusedBeforeItAllocates() {
        EmulatedDevice device = new EmulatedDevice(64 * MB);
        try (CudaBackend b = new CudaBackend(device); Sequential m = new Sequential(b, 4096, 1)) {
            // 4096 x 4096 weights: 64 MiB each for the value and the gradient, 128 MiB in all.
            MemoryBudgetException e = assertThrows(MemoryBudgetException.class,
                    () -> m.add(new Dense(4096, Activation.RELU)));
            assertTrue(e.getMessage().contains("dense_1") && e.getMessage().contains("cuda backend's memory budget"),
                    e.getMessage());
            assertEquals(2L * (4096 * 4096 + 4096) * Float.BYTES, e.requiredBytes());
            assertEquals(64 * MB, e.budgetBytes());
            assertEquals(0, device.bytesOnDevice(), "nothing reached the device");
        }
    }
}
