package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JitDirectives}: HotSpot accepts the directives file, and the cpu backend adds it once its vector kernels
 * compute a product of more than three rows, not for one-row predictions however wide, and not when told not to.
 * ({@code KernelInliningTest} checks that C2's code for the kernels is the same under the directives.)
 */
class JitDirectivesTest {
    private static final String ADDED = "2 compiler directives added";

    /** A fat jar that relocates nnj gets directives that match its relocated classes, and the JDK's unchanged. */
    @Test
    void theDirectivesMatchThePackageTheBackendIsIn() throws Exception {
        String resource;
        try (java.io.InputStream in = JitDirectives.class.getResourceAsStream(JitDirectives.RESOURCE)) {
            resource = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertEquals(resource, JitDirectives.forPackage(resource, "dev.nnj.cpu"), "not relocated: as written");
        String relocated = JitDirectives.forPackage(resource, "com.example.shaded.nnj.cpu");
        assertEquals(resource.replace("match: \"dev/nnj/cpu/*.*\"", "match: \"com/example/shaded/nnj/cpu/*.*\""),
                relocated);
        assertTrue(relocated.contains("match: \"jdk/incubator/vector/*.*\""), relocated);
        assertFalse(relocated.contains("dev/nnj"), relocated);
    }

    @Test
    void hotSpotAcceptsBothDirectives() {
        assumeTrue(hotSpot(), "not a HotSpot JVM");
        // A file HotSpot cannot parse is refused whole ("Syntax error ...", no directives added).
        assertEquals(ADDED, JitDirectives.install());
    }

    @Test
    void aBatchProductAddsThemOnceOneRowProductsDoNotHoweverWide() throws Exception {
        assumeTrue(Vectorization.enabled(), "the Vector API fast path is not enabled");
        assumeTrue(hotSpot(), "not a HotSpot JVM");
        String out = ChildJvm.run(List.of(), JitDirectivesTest.class);
        assertTrue(out.contains("after one-row products: no thread"), out);
        assertTrue(out.contains("after a batch product: " + ADDED), out);
        assertTrue(out.contains("after another: no new thread"), out);
    }

    @Test
    void falseLeavesTheJvmsDirectivesAlone() throws Exception {
        assumeTrue(Vectorization.enabled(), "the Vector API fast path is not enabled");
        String out = ChildJvm.run(List.of("-Dnnj.cpu.jitDirectives=false"), JitDirectivesTest.class);
        assertTrue(out.contains("after a batch product: no thread"), out);
        assertFalse(out.contains(ADDED), out);
    }

    /** "OpenJDK 64-Bit Server VM", "Java HotSpot(TM) 64-Bit Server VM": the JVMs whose diagnostic command this is. */
    private static boolean hotSpot() {
        String vm = System.getProperty("java.vm.name", "");
        return vm.contains("HotSpot") || vm.contains("OpenJDK");
    }

    /** Computes one-row products (one through a layer too wide for SmallOps), then a batch product, then another, saying after each what the directives did. */
    public static void main(String[] args) throws Exception {
        Kernels k = Vectorization.create(null);
        float[] a = new float[64];
        float[] b = new float[64 * 64];
        float[] c = new float[64];
        for (int i = 0; i < 100; i++) {
            k.gemm(false, false, 1, 64, 64, 1f, a, b, 0f, c);
        }
        float[] wide = new float[784 * 256];
        float[] wideOut = new float[256];
        k.gemm(false, false, 1, 256, 784, 1f, new float[784], wide, 0f, wideOut);   // beyond SmallOps: vector kernels
        System.out.println("after one-row products: " + (JitDirectives.started() ? "a thread" : "no thread"));
        float[] batchA = new float[100 * 64];
        float[] batchC = new float[100 * 64];
        k.gemm(false, false, 100, 64, 64, 1f, batchA, b, 0f, batchC);
        String answer = JitDirectives.awaitAnswer();
        System.out.println("after a batch product: " + (answer == null ? "no thread" : answer));
        k.gemm(false, false, 100, 64, 64, 1f, batchA, b, 0f, batchC);
        long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("nnj-jit-directives")).count();
        System.out.println("after another: " + (threads == 0 ? "no new thread" : threads + " new threads"));
    }
}
