package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Availability;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast-path detection: the build's scalar-fallback execution runs without {@code jdk.incubator.vector}
 * and sets {@code nnj.test.expectVector=false}; the default execution has the module.
 */
class VectorizationTest {

    @Test
    void followsTheModuleLayer() {
        boolean module = ModuleLayer.boot().findModule(Vectorization.MODULE).isPresent();
        if ("false".equals(System.getProperty("nnj.test.expectVector"))) {
            assertFalse(module, "the scalar-fallback execution must run without the module");
        }
        Availability availability = new CpuBackendProvider().availability();
        assertTrue(availability.available());
        try (CpuBackend cpu = new CpuBackend(2)) {
            if (!module) {
                assertFalse(CpuBackend.vectorized());
                assertTrue(availability.reason().contains("--add-modules jdk.incubator.vector"),
                        availability.reason());
                assertTrue(cpu.description().contains("scalar"), cpu.description());
            } else {
                assumeTrue(CpuBackend.vectorized(), "vectors narrower than 256 bits: " + availability.reason());
                assertTrue(cpu.description().contains("Vector API"), cpu.description());
                assertTrue(availability.reason().startsWith("available: pure Java, "), availability.reason());
            }
            assertEquals(2, cpu.threads());
        }
    }

    /** Prints the probe's summary: run in a child JVM with the settings under test. */
    static final class PrintSummary {
        public static void main(String[] args) {
            System.out.println("summary: " + Vectorization.summary());
        }
    }

    @Test
    void aJvmWithoutItsC2CompilerGetsTheScalarKernels() throws Exception {
        assumeTrue(ModuleLayer.boot().findModule(Vectorization.MODULE).isPresent(), "the scalar-fallback execution");
        for (String setting : List.of("-Xint", "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=3",
                "-XX:CompilationMode=quick-only", "-XX:-UseCompiler")) {
            String out = ChildJvm.run(List.of(setting), PrintSummary.class);
            assertTrue(out.contains("summary: scalar kernels (the JVM runs without its C2 compiler"), setting + ": " + out);
        }
        for (String setting : List.of("-XX:TieredStopAtLevel=4", "-XX:+UseCompiler", "-XX:-TieredCompilation")) {
            String out = ChildJvm.run(List.of(setting), PrintSummary.class);
            assertTrue(out.contains("summary: "), setting + ": " + out);
            assertFalse(out.contains("C2"), setting + ": " + out);
        }
    }

    /**
     * A program with no SLF4J provider (SLF4J then discards every message) still gets the probe's one warning, on
     * stderr: before, all it saw was SLF4J's own "No SLF4J providers were found", and not why it ran slowly.
     */
    @Test
    void withoutAnSlf4jProviderTheOneWarningGoesToStderr() throws Exception {
        List<String> classPath = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("logback")) {
                classPath.add(entry);
            }
        }
        java.nio.file.Path javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", String.join(java.io.File.pathSeparator, classPath),
                PrintSummary.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("No SLF4J providers were found"), "the child really has no provider: " + out);
        String warning = "WARNING: nnj: Java Vector API not enabled, the cpu backend uses scalar kernels: pass "
                + "--add-modules jdk.incubator.vector to the java command to enable its fast path";
        assertEquals(1, out.lines().filter(line -> line.equals(warning)).count(), out);
    }
}
