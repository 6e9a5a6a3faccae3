package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DriverLibrary}: "certainly absent" only when no place the dynamic linker looks holds libcuda.so.1. */
class DriverLibraryTest {
    @TempDir
    Path tmp;

    private Path cache(String... entries) throws IOException {
        StringBuilder sb = new StringBuilder("glibc-ld.so.cache1.1\0\0\0\0");   // a header, then the strings
        for (String e : entries) {
            sb.append(e).append('\0');
        }
        Path cache = tmp.resolve("ld.so.cache");
        Files.write(cache, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        return cache;
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void absentEverywhereIsCertain() throws IOException {
        Path cache = cache("libcudart.so.12", "/usr/local/cuda/lib64/libcudart.so.12", "libcuda.so.10x",
                "/opt/libcuda.so.1.bak");
        assertFalse(DriverLibrary.mayBeFound(Map.of("LD_LIBRARY_PATH", dir("ld").toString()), cache,
                List.of(dir("system"))));
    }

    @Test
    void foundInTheCacheBySonameOrPath() throws IOException {
        assertTrue(DriverLibrary.mayBeFound(Map.of(), cache("libcuda.so.1"), List.of()));
        assertTrue(DriverLibrary.mayBeFound(Map.of(), cache("/usr/lib/wsl/lib/libcuda.so.1"), List.of()));
    }

    @Test
    void foundInALibraryPathDirectoryOrItsHardwareSubdirectories() throws IOException {
        Path cache = cache();
        Path ld = dir("ld");
        Files.createFile(Files.createDirectories(ld.resolve("glibc-hwcaps/x86-64-v3")).resolve("libcuda.so.1"));
        assertTrue(DriverLibrary.mayBeFound(Map.of("LD_LIBRARY_PATH", "/nowhere::" + ld), cache, List.of()));
        Path plain = dir("plain");
        Files.createFile(plain.resolve("libcuda.so.1"));
        assertTrue(DriverLibrary.mayBeFound(Map.of("LD_LIBRARY_PATH", plain.toString()), cache, List.of()));
        Path tls = dir("tlsdir");
        Files.createFile(Files.createDirectories(tls.resolve("tls")).resolve("libcuda.so.1"));
        assertTrue(DriverLibrary.mayBeFound(Map.of(), cache, List.of(tls)));
    }

    @Test
    void uncertainWithoutACacheOrWithAPreload() throws IOException {
        assertTrue(DriverLibrary.mayBeFound(Map.of(), tmp.resolve("no-such-cache"), List.of()));
        assertTrue(DriverLibrary.mayBeFound(Map.of("LD_PRELOAD", "/opt/nvidia/libcuda.so.1"), cache(), List.of()));
    }

    @Test
    void onThisMachineCertainAbsenceAgreesWithTheLinker() throws IOException {
        // The direct way, as the probe did it before: write JCuda's driver bindings and ask the linker to load
        // them. When DriverLibrary says the driver is certainly absent, that must fail, for want of it.
        org.junit.jupiter.api.Assumptions.assumeTrue(JCudaNatives.supportedPlatform(), "not Linux x86-64");
        org.junit.jupiter.api.Assumptions.assumeFalse(DriverLibrary.mayBeFound(), "libcuda.so.1 may be here");
        Path bindings = JCudaNatives.install(new NativeCache(tmp.resolve("natives")), JCudaNatives.Library.DRIVER);
        UnsatisfiedLinkError e = org.junit.jupiter.api.Assertions.assertThrows(UnsatisfiedLinkError.class,
                () -> System.load(bindings.toRealPath().toString()));
        assertTrue(String.valueOf(e.getMessage()).contains("libcuda.so.1"), e.getMessage());
    }
}
