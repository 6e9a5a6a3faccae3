package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The cache's file protocol, within one JVM; {@link ConcurrentJvmLoadTest} covers several JVMs. */
class NativeCacheTest {

    @Test
    void writesOnceAndReusesAVerifiedFile() throws Exception {
        NativeCache cache = new NativeCache(ChildJvm.scratch("cache"));
        byte[] content = "not really a library".getBytes();
        Path p = cache.install("libX.so", content);
        assertArrayEquals(content, Files.readAllBytes(p));
        long modified = Files.getLastModifiedTime(p).toMillis();
        Thread.sleep(20);
        assertEquals(p, cache.install("libX.so", content));
        assertEquals(modified, Files.getLastModifiedTime(p).toMillis(), "a right file is not rewritten");
    }

    @Test
    void replacesTruncatedOrForeignFilesAndRemovesDeadTemporaries() throws Exception {
        Path dir = ChildJvm.scratch("cache");
        NativeCache cache = new NativeCache(dir);
        byte[] content = new byte[100_000];
        new java.util.Random(1).nextBytes(content);
        // What a killed JVM leaves: a truncated file under the final name, and a half-written temporary.
        Files.write(dir.resolve("libX.so"), java.util.Arrays.copyOf(content, 4096));
        Files.write(dir.resolve(".libX.so.12345.tmp"), new byte[10]);
        cache.install("libX.so", content);
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("libX.so")));
        // Same size, different bytes: only the hash can tell.
        byte[] other = content.clone();
        other[50_000] ^= 1;
        Files.write(dir.resolve("libX.so"), other);
        cache.install("libX.so", content);
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("libX.so")));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporaries left");
        }
    }

    @Test
    void manyThreadsInstallingTogetherAllSeeTheCompleteFile() throws Exception {
        NativeCache cache = new NativeCache(ChildJvm.scratch("cache"));
        byte[] content = NativeCache.readResource(JCudaNatives.Library.RUNTIME.resource());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                jobs.add(() -> Files.readAllBytes(cache.install(JCudaNatives.Library.RUNTIME.fileName(), content)));
            }
            for (Future<byte[]> f : pool.invokeAll(jobs)) {
                assertArrayEquals(content, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsPathsAndHiddenNames() throws Exception {
        NativeCache cache = new NativeCache(ChildJvm.scratch("cache"));
        assertThrows(IllegalArgumentException.class, () -> cache.install("../evil.so", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> cache.install(".lock", new byte[1]));
    }

    @Test
    void defaultDirectoryIsPrivateAndVersioned() {
        String saved = System.getProperty(NativeCache.DIR_PROPERTY);
        System.clearProperty(NativeCache.DIR_PROPERTY);
        try {
            Path dir = NativeCache.defaultCache("12.6.0").dir();
            assertTrue(dir.endsWith(Path.of("nnj", "natives", "12.6.0")), dir.toString());
            assertFalse(dir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))) && dir.getNameCount() < 3);
        } finally {
            if (saved != null) {
                System.setProperty(NativeCache.DIR_PROPERTY, saved);
            }
        }
    }

    @Test
    void jcudaVersionMatchesTheNativesOnTheClassPath() throws Exception {
        assertEquals("12.6.0", JCudaNatives.version());
        for (JCudaNatives.Library lib : JCudaNatives.Library.values()) {
            assertTrue(NativeCache.readResource(lib.resource()).length > 10_000, lib.resource());
        }
    }
}
