package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar's defaults: fail on error and the backends that can run here, unless the command line says otherwise. */
class BenchMainTest {

    private static String[] run(List<String> available, List<String> added, String... args) {
        return BenchMain.arguments(args, () -> available, added);
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
        assertArrayEquals(given, run(List.of("cpu"), added, given));
        assertEquals(List.of(), added);
        assertArrayEquals(new String[] {"-pbackend=cpu", "-foe", "true"}, run(List.of(), new ArrayList<>(),
                "-pbackend=cpu"));
    }

    @Test
    void listingOptionsPassThroughWithoutAskingForBackends() {
        for (String listing : new String[] {"-h", "-l", "-lp", "-lprof", "-lrf"}) {
            String[] args = {listing};
            assertArrayEquals(args, BenchMain.arguments(args, () -> {
                throw new AssertionError("backends probed for " + listing);
            }, new ArrayList<>()));
        }
    }

    @Test
    void noBackendHereAndNoneGivenIsRefused() {
        assertNull(run(List.of(), new ArrayList<>(), "Gemm"));
    }
}
