package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LdCache} and its two readers: cuBLAS's paths and the driver's name. */
class LdCacheTest {
    private static final String CACHE = "ld.so-1.7.0\0\0\1\0glibc-ld.so.cache1.1\0libcublas.so.12\0"
            + "/usr/local/cuda/lib64/libcublas.so.12\0libcublasLt.so.12\0/usr/local/cuda/lib64/libcublasLt.so.12\0"
            + "libcuda.so.1\0/usr/lib/x86_64-linux-gnu/libcuda.so.1\0";

    @TempDir
    Path tmp;

    @Test
    void stringsAreTheNulTerminatedRunsHoldingThePart() {
        byte[] cache = "lib\0libcuda.so.1\0\0/x/libcuda.so.1\0libcudart.so.12\0libcuda.so"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("libcuda.so.1", "/x/libcuda.so.1"), LdCache.strings(cache, "libcuda.so.1"));
        assertEquals(List.of("libcuda.so.1", "/x/libcuda.so.1", "libcuda.so"), LdCache.strings(cache, "libcuda.so"));
    }

    @Test
    void cublasTakesItsAbsolutePathsAndTheDriverItsName() throws IOException {
        Path cache = Files.write(tmp.resolve("ld.so.cache"), CACHE.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(Path.of("/usr/local/cuda/lib64/libcublas.so.12")), CublasLibrary.ldCacheEntries(cache));
        assertEquals(true, DriverLibrary.cacheNames(CACHE.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
