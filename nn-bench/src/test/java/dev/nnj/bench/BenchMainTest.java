package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The jar's defaults: fail on error and the backends that can run here, unless the command line says otherwise. */
class BenchMainTest {
    /** The providers the tests pretend to find, whatever the class path holds. */
    private static final Supplier<List<String>> KNOWN = () -> List.of("cuda", "cpu");

    private static String[] run(List<String> available, List<String> added, String... args) {
        return BenchMain.arguments(args, () -> available, KNOWN, null, added);
    }

    @Test
    void addsFailOnErrorAndTheBackendsHere() {
        List<String> added = new ArrayList<>();
        assertArrayEquals(new String[] {"Gemm", "-prof", "gc", "-foe", "true", "-p", "backend=cpu"},
                run(List.of("cpu"), added, "Gemm", "-prof", "gc"));
        assertEquals(List.of("-foe true", "-p backend=cpu"), added);
        assertArrayEquals(new String[] {"-foe", "true", "-p", "backend=cuda,cpu"}, run(List.of("cuda", "cpu"),
                new ArrayList<>()));
    }

    @Test
    void keepsWhatTheCommandLineGives() {
        List<String> added = new ArrayList<>();
        String[] given = {"-foe", "false", "-p", "backend=cuda", "Epoch"};
        assertArrayEquals(given, run(List.of("cuda", "cpu"), added, given));
        assertEquals(List.of(), added);
        assertArrayEquals(new String[] {"-pbackend=cpu", "-foe", "true"}, run(List.of("cpu"), new ArrayList<>(),
                "-pbackend=cpu"));
    }

    /**
     * A -p backend= that names a backend that cannot run here, or none at all, is refused in one line: JMH printed a
     * stack trace per fork (70 lines for -p backend=cuda without a GPU), the reason inside it.
     */
    @Test
    void aGivenBackendThatCannotRunHereIsRefused() {
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> run(List.of("cpu"),
                new ArrayList<>(), "Gemm", "-p", "backend=cuda"));
        assertTrue(absent.getMessage().startsWith("-p backend=cuda asks for backend 'cuda', which cannot run here "
                + "(available: cpu;"), absent.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run(List.of("cpu"),
                new ArrayList<>(), "-pbackend=cpu,bogus"));
        assertTrue(unknown.getMessage().startsWith("-p backend=cpu,bogus: no backend named 'bogus' exists"),
                unknown.getMessage());
    }

    @Test
    void listingOptionsPassThroughWithoutAskingForBackends() {
        for (String listing : new String[] {"-h", "-l", "-lp", "-lprof", "-lrf"}) {
            String[] args = {listing};
            assertArrayEquals(args, BenchMain.arguments(args, () -> {
                throw new AssertionError("backends probed for " + listing);
            }, KNOWN, new String[] {"cuda", "-Dnnj.backend=cuda"}, new ArrayList<>()));
        }
    }

    @Test
    void noBackendHereAndNoneGivenIsRefused() {
        assertNull(run(List.of(), new ArrayList<>(), "Gemm"));
    }

    /** -Dnnj.backend / NNJ_BACKEND name the backend for the jar as for every nnj program: measured, or refused. */
    @Test
    void measuresTheBackendThePropertyOrEnvironmentNames() {
        List<String> added = new ArrayList<>();
        String[] requested = {"cuda", "-Dnnj.backend=cuda"};
        assertArrayEquals(new String[] {"Gemm", "-foe", "true", "-p", "backend=cuda"},
                BenchMain.arguments(new String[] {"Gemm"}, () -> List.of("cuda", "cpu"), KNOWN, requested, added));
        assertEquals(List.of("-foe true", "-p backend=cuda (from -Dnnj.backend=cuda)"), added);
        // Not silently the cpu backend's figures under the name the user asked for.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.arguments(
                new String[] {"Gemm"}, () -> List.of("cpu"), KNOWN, new String[] {"cuda", "NNJ_BACKEND=cuda"},
                new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("NNJ_BACKEND=cuda asks for backend 'cuda', which cannot run here "
                + "(available: cpu;"), e.getMessage());
        // The command line's own -p backend=... still wins over the property.
        String[] given = {"-p", "backend=cpu", "-foe", "true"};
        assertArrayEquals(given, BenchMain.arguments(given, () -> List.of("cpu"), KNOWN, requested, new ArrayList<>()));
    }

    /** A name no provider has is a typo, not a backend without its hardware: it is said so, with the real names. */
    @Test
    void namesTheKnownBackendsForAnUnknownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.arguments(
                new String[] {"Gemm"}, () -> List.of("cpu"), KNOWN, new String[] {"bogus", "-Dnnj.backend=bogus"},
                new ArrayList<>()));
        assertEquals("-Dnnj.backend=bogus: no backend named 'bogus' exists (known: cuda, cpu)", e.getMessage());
    }
}
