package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Several JVMs starting at the same instant on one empty native directory all load JCuda's runtime library;
 * so do they after a killed run left a truncated library and a half-written temporary behind. (JCuda's own
 * tmpdir extraction crashed 12 of 14 such rounds with SIGBUS/SIGSEGV.) Each child also points
 * {@code java.io.tmpdir} at an empty directory, which must stay free of JCuda files: JCuda's loader never
 * extracts anything.
 */
class ConcurrentJvmLoadTest {
    private static final int JVMS = 6;

    @Test
    void sixJvmsOnAnEmptyDirectoryAllLoad() throws Exception {
        Path natives = ChildJvm.scratch("natives");
        Path tmp = ChildJvm.scratch("tmp");
        runRound(natives, tmp);
        byte[] expected = NativeCache.readResource(JCudaNatives.Library.RUNTIME.resource());
        assertArrayEquals(expected, Files.readAllBytes(natives.resolve(JCudaNatives.Library.RUNTIME.fileName())));
        assertNoJCudaFiles(tmp);
    }

    @Test
    void sixJvmsAfterAKilledRunAllLoad() throws Exception {
        Path natives = ChildJvm.scratch("natives");
        Path tmp = ChildJvm.scratch("tmp");
        String name = JCudaNatives.Library.RUNTIME.fileName();
        byte[] expected = NativeCache.readResource(JCudaNatives.Library.RUNTIME.resource());
        Files.write(natives.resolve(name), java.util.Arrays.copyOf(expected, expected.length / 3));
        Files.write(natives.resolve("." + name + ".4242.tmp"), java.util.Arrays.copyOf(expected, 1000));
        runRound(natives, tmp);
        assertArrayEquals(expected, Files.readAllBytes(natives.resolve(name)));
        assertNoJCudaFiles(tmp);
    }

    private static void runRound(Path natives, Path tmp) throws Exception {
        long startAt = System.currentTimeMillis() + 2500;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            children.add(ChildJvm.start(LoadRuntimeMain.class,
                    List.of("-D" + NativeCache.DIR_PROPERTY + "=" + natives, "-Djava.io.tmpdir=" + tmp), Map.of(),
                    Long.toString(startAt)));
        }
        for (int i = 0; i < JVMS; i++) {
            ChildJvm.Result r = ChildJvm.finish(children.get(i), 120);
            assertEquals(0, r.exitCode(), "child " + i + " exited with " + r.exitCode() + ":\n" + r.output());
            assertTrue(r.output().contains("RUNTIME-LOADED"), r.output());
            assertTrue(r.output().contains("DRIVER-UNAVAILABLE") || r.output().contains("DRIVER-LOADED"), r.output());
            assertTrue(r.output().contains("DONE"), r.output());
        }
    }

    private static void assertNoJCudaFiles(Path tmp) throws Exception {
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> jcuda = files.filter(f -> f.getFileName().toString().contains("JCuda")).toList();
            assertEquals(List.of(), jcuda, "JCuda's loader must not extract into java.io.tmpdir");
        }
    }
}
