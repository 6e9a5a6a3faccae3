package dev.nnj.cuda.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA 13 path against NVIDIA's real {@code libcublas.so.13} (which loads without a GPU): every function
 * JCublas2 imports is exported by cuBLAS 13 under its version node, the retargeted JNI library loads with all
 * 494 imports bound at once, JCublas2 initialises and calls into cuBLAS; JCuda's unmodified library does not
 * load there.
 */
class Cublas13LoadTest {
    private static Path dir;

    @BeforeAll
    static void findCublas13() throws Exception {
        dir = Cublas13Fixture.directory();
    }

    @Test
    void cublas13ExportsEveryFunctionJCublas2Imports() throws Exception {
        assumeTrue(dir != null, Cublas13Fixture.whyMissing());
        CublasLibrary target = new CublasLibrary(13, dir.resolve("libcublas.so.13"));
        assertEquals(List.of(), target.missingFunctions(CublasSetup.BACKEND_FUNCTIONS));
        NativeCache cache = new NativeCache(ChildJvm.scratch("natives"));
        Path jni = CublasSetup.jniLibraryFor(cache, target);
        List<String> imports = ElfFile.map(jni).importsWithVersion("libcublas.so.13");
        assertEquals(494, imports.size());
        assertEquals(List.of(), target.missingFunctions(imports));
        // And the check does catch a gap: a name cuBLAS 13 does not have.
        assertEquals(List.of("cublasNoSuchFunction"), target.missingFunctions(List.of("cublasNoSuchFunction")));
    }

    @Test
    void retargetedJCublas2LoadsAndCallsCublas13() throws Exception {
        assumeTrue(dir != null, Cublas13Fixture.whyMissing());
        Path natives = ChildJvm.scratch("natives");
        ChildJvm.Result r = ChildJvm.run(LoadCublasMain.class, List.of("-Dnnj.cuda.nativeDir=" + natives),
                Map.of("LD_BIND_NOW", "1"), "retargeted", dir.resolve("libcublas.so.13").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("OUTCOME ok=true"), r.output());
        assertTrue(r.output().contains("CUBLAS-VERSION 13."), r.output());
    }

    @Test
    void unmodifiedJCublas2DoesNotLoadAgainstCublas13() throws Exception {
        assumeTrue(dir != null, Cublas13Fixture.whyMissing());
        Path natives = ChildJvm.scratch("natives");
        ChildJvm.Result r = ChildJvm.run(LoadCublasMain.class, List.of("-Dnnj.cuda.nativeDir=" + natives),
                Map.of(), "original", dir.resolve("libcublas.so.13").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("ORIGINAL-FAILED") && r.output().contains("libcublas.so.12"), r.output());
    }

    @Test
    void locatorFindsCublas13AndPrefers12() throws Exception {
        assumeTrue(dir != null, Cublas13Fixture.whyMissing());
        Path empty = ChildJvm.scratch("empty");
        CublasLibrary.Search s = CublasLibrary.find(List.of(empty, dir), empty.resolve("no-ld.so.cache"));
        assertTrue(s.found().isPresent());
        assertEquals(13, s.found().get().major());
        Path with12 = ChildJvm.scratch("cuda12");
        java.nio.file.Files.write(with12.resolve("libcublas.so.12"), new byte[] {0});
        assertEquals(12, CublasLibrary.find(List.of(dir, with12), empty.resolve("x")).found().get().major());
    }
}
