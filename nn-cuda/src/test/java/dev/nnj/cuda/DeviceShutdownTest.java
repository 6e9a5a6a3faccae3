package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import org.junit.jupiter.api.Test;

/** Closing a device with fake native steps: synchronise first, release everything, then report a fault once. */
class DeviceShutdownTest {

    @Test
    void aHealthyDeviceSynchronisesThenReleasesInOrder() {
        List<String> log = new ArrayList<>();
        DeviceShutdown.run("Fake GPU (device 0)", () -> log.add("sync"), () -> log.add("module"),
                () -> log.add("cublas"), () -> log.add("context"));
        assertEquals(List.of("sync", "module", "cublas", "context"), log);
    }

    @Test
    void aFaultFoundBySynchronisingIsThrownAfterEveryReleaseNamingTheDevice() {
        List<String> log = new ArrayList<>();
        CudaDeviceFaultException e = assertThrows(CudaDeviceFaultException.class, () -> DeviceShutdown.run(
                "Fake GPU (device 1)",
                () -> {
                    log.add("sync");
                    throw new CudaException("CUDA_ERROR_ILLEGAL_ADDRESS");
                },
                () -> {
                    log.add("module");
                    throw new CudaException("CUDA_ERROR_ILLEGAL_ADDRESS");
                },
                () -> log.add("cublas"),
                () -> log.add("context")));
        assertEquals(List.of("sync", "module", "cublas", "context"), log, "every release still runs");
        assertEquals("Fake GPU (device 1)", e.device());
        assertEquals("close", e.operation());
        assertTrue(e.getMessage().startsWith("cuda device fault on Fake GPU (device 1), found at close: "
                + "CUDA_ERROR_ILLEGAL_ADDRESS"), e.getMessage());
        assertTrue(e.getCause() instanceof CudaException, "JCuda's exception is the cause");
    }

    @Test
    void aFailedReleaseAloneIsNotReported() {
        List<String> log = new ArrayList<>();
        DeviceShutdown.run("Fake GPU (device 0)", () -> log.add("sync"), () -> {
            throw new CudaException("CUDA_ERROR_DEINITIALIZED");
        }, () -> log.add("context"));
        assertEquals(List.of("sync", "context"), log);
    }
}
