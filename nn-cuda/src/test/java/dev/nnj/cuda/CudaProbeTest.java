package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backends;
import dev.nnj.api.Availability;
import dev.nnj.cuda.loader.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The probe on whatever machine runs the tests: on one without a GPU (CI) it says why in one of the documented
 * words, twice the same, and the JVM carries on; naming {@code cuda} then fails with that reason. On a GPU
 * machine it says "available: " and what it found.
 */
class CudaProbeTest {
    static final List<String> REASONS = List.of("available: ", "no NVIDIA driver", "no CUDA device",
            "cuBLAS not found", "no usable NVIDIA driver", "NVIDIA driver too old", "cuBLAS at ",
            "cuBLAS cannot start on ");

    @Test
    void probeAnswersTheSameTwiceInOneOfTheDocumentedWords() {
        Availability first = CudaProbe.run().availability();
        Availability second = CudaProbe.run().availability();
        assertEquals(first, second);
        assertTrue(REASONS.stream().anyMatch(first.reason()::startsWith)
                || first.reason().contains("compute capability"), first.reason());
        assertEquals(first.available(), first.reason().startsWith("available: "));
        if (first.available()) {
            assertTrue(first.reason().matches(
                    "available: .+ \\(device \\d+ of \\d+\\), compute capability \\d+\\.\\d+, .+ SMs, driver CUDA \\d+\\.\\d+,"
                            + " cuBLAS \\d+\\.\\d+\\.\\d+ .*"), first.reason());
        }
    }

    @Test
    void namingCudaWhenUnavailableFailsWithTheReason() {
        Availability a = new CudaBackendProvider().availability();
        org.junit.jupiter.api.Assumptions.assumeFalse(a.available(), "a GPU is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("cuda"));
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class, () -> new CudaBackendProvider().create());
        assertTrue(direct.getMessage().contains(a.reason()), direct.getMessage());
    }

    @Test
    void providerIsCudaAbovePriorityZero() {
        CudaBackendProvider p = new CudaBackendProvider();
        assertEquals("cuda", p.name());
        assertEquals(100, p.priority());
        assertTrue(Backends.providers().stream().anyMatch(x -> x instanceof CudaBackendProvider));
    }

    @Test
    void freshJvmLoadsNothingUntilProbedAndCarriesOnAfterAFailedProbe() throws Exception {
        Path natives = ChildJvm.scratch("probe").resolve("natives");
        ChildJvm.Result r = ChildJvm.run(ProbeMain.class, List.of("-Dnnj.cuda.nativeDir=" + natives), Map.of());
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("PROVIDER cuda 100"), out);
        assertTrue(out.contains("NATIVES-BEFORE-PROBE false"), "constructing providers must load nothing:\n" + out);
        String first = line(out, "FIRST ");
        assertEquals(first, line(out, "SECOND "), "a second probe answers the same");
        if (first.startsWith("false")) {
            assertTrue(out.contains("Skipped [cuda] backend (unavailable): "), out);
            assertTrue(out.contains("BEST cpu"), out);
        }
        assertTrue(out.contains("CONTINUES"), out);
    }

    private static String line(String out, String prefix) {
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        throw new AssertionError("no line " + prefix + " in\n" + out);
    }
}
