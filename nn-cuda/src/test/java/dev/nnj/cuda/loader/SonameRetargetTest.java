package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CUDA 13 rewrite, checked on JCuda's real {@code libJCublas2} from the jcublas-natives jar: the pure-Java
 * ELF reader, the rewrite itself, and — where binutils is installed — readelf's independent reading of the
 * result.
 */
class SonameRetargetTest {
    private static final String FROM = "libcublas.so.12";
    private static final String TO = "libcublas.so.13";

    private static byte[] jcublas2() throws IOException {
        return NativeCache.readResource(JCudaNatives.Library.CUBLAS2.resource());
    }

    @Test
    void elfHashMatchesTheSystemVDefinition() {
        // glibc's own version nodes carry these hashes in every binary that needs them.
        assertEquals(0x09691a75L, ElfFile.elfHash("GLIBC_2.2.5"));
        assertEquals(0x0d696913L, ElfFile.elfHash("GLIBC_2.3"));
        assertEquals(0L, ElfFile.elfHash(""));
    }

    @Test
    void originalNeedsCublas12WithItsVersionNode() throws IOException {
        ElfFile elf = ElfFile.of(jcublas2());
        assertTrue(elf.needed().contains(FROM), elf.needed().toString());
        ElfFile.VersionNeed need = needOf(elf, FROM);
        assertEquals(FROM, need.versions().get(0).name());
        assertEquals(ElfFile.elfHash(FROM), need.versions().get(0).hash(), "our hash agrees with the linker's");
        List<String> imports = elf.importsWithVersion(FROM);
        assertEquals(494, imports.size(), "JCublas2 12.6.0 imports 494 cuBLAS functions");
        assertTrue(imports.containsAll(CublasSetup.BACKEND_FUNCTIONS),
                "every function the backend calls is one JCublas2 imports: " + CublasSetup.BACKEND_FUNCTIONS);
    }

    @Test
    void retargetRewritesNeededAndVersionNeedAndHash() throws IOException {
        byte[] original = jcublas2();
        byte[] patched = SonameRetarget.retarget(original, FROM, TO);
        assertEquals(original.length, patched.length);
        ElfFile elf = ElfFile.of(patched);
        assertTrue(elf.needed().contains(TO));
        assertFalse(elf.needed().contains(FROM));
        ElfFile.VersionNeed need = needOf(elf, TO);
        assertEquals(TO, need.versions().get(0).name());
        assertEquals(ElfFile.elfHash(TO), need.versions().get(0).hash());
        assertEquals(494, elf.importsWithVersion(TO).size());
        assertEquals(0, elf.importsWithVersion(FROM).size());
        // Nothing else moved: the other libraries and the JNI exports are untouched.
        assertEquals(ElfFile.of(original).needed().size(), elf.needed().size());
        assertEquals(ElfFile.of(original).exports(), elf.exports());
        // "…12" → "…13" changes one byte per copy of the string; the hash 0x0ef62132 → 0x0ef62133 one more.
        int changed = differingBytes(original, patched);
        assertTrue(changed >= 2 && changed <= 3, changed + " bytes changed");
    }

    @Test
    void readelfReadsTheRewriteTheSameWay() throws Exception {
        Path readelf = Path.of("/usr/bin/readelf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(readelf), "binutils' readelf not installed");
        Path dir = ChildJvm.scratch("readelf");
        Path lib = dir.resolve("libJCublas2-patched.so");
        Files.write(lib, SonameRetarget.retarget(jcublas2(), FROM, TO));
        String dynamic = run(readelf.toString(), "-d", lib.toString());
        assertTrue(dynamic.contains("Shared library: [" + TO + "]"), dynamic);
        assertFalse(dynamic.contains(FROM), dynamic);
        String versions = run(readelf.toString(), "-V", lib.toString());
        assertTrue(versions.contains("File: " + TO), versions);
        assertTrue(versions.contains("Name: " + TO), versions);
        String symbols = run(readelf.toString(), "--dyn-syms", "-W", lib.toString());
        assertTrue(symbols.contains("cublasSgemm_v2@" + TO), "symbols now bind to the CUDA 13 version node");
    }

    @Test
    void rejectsNamesOfDifferentLengthAndLibrariesThatDoNotNeedTheName() throws IOException {
        byte[] lib = jcublas2();
        assertThrows(IllegalArgumentException.class, () -> SonameRetarget.retarget(lib, FROM, "libcublas.so.130"));
        assertThrows(IllegalArgumentException.class,
                () -> SonameRetarget.retarget(lib, "libcufft.so.11", "libcufft.so.12"));
        assertThrows(IllegalArgumentException.class, () -> ElfFile.of(new byte[] {1, 2, 3}));
        byte[] truncated = java.util.Arrays.copyOf(lib, 4096);
        assertThrows(IllegalArgumentException.class, () -> ElfFile.of(truncated).needed());
    }

    private static int differingBytes(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    private static ElfFile.VersionNeed needOf(ElfFile elf, String file) {
        for (ElfFile.VersionNeed n : elf.versionNeeds()) {
            if (n.file().equals(file)) {
                return n;
            }
        }
        throw new AssertionError("no version need for " + file + " in " + elf.versionNeeds());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
