package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code jcuda.jcublas.JCublas2} usable on this host, or says why not — before its class is touched.
 *
 * <ul>
 *   <li>{@code libcublas.so.12} found (CUDA 12): it is loaded by path, then JCuda's own {@code libJCublas2}.</li>
 *   <li>only {@code libcublas.so.13} found (CUDA 13): a copy of {@code libJCublas2} retargeted to it
 *       ({@link SonameRetarget}) is written to the {@code cuda13/} subdirectory of the cache under its original
 *       file name, and loaded after {@code libcublas.so.13}.</li>
 * </ul>
 * Either way the target's exports are read first: if a function the backend calls ({@link #BACKEND_FUNCTIONS})
 * is missing, the result is a reason, never a JVM exit at the first call.
 */
public final class CublasSetup {
    private static final Logger LOG = LoggerFactory.getLogger(CublasSetup.class);

    /**
     * The C functions behind the {@code JCublas2} methods the backend calls ({@code cublasCreate} →
     * {@code cublasCreate_v2}, …), as imported by {@code libJCublas2}; a test checks this list against the
     * JNI library's imports.
     */
    public static final List<String> BACKEND_FUNCTIONS = List.of(
            "cublasCreate_v2", "cublasDestroy_v2", "cublasSetMathMode",
            "cublasGetProperty", "cublasSgemm_v2");

    /**
     * What was loaded, or why nothing was.
     *
     * @param ok      whether cuBLAS loaded
     * @param reason  what was loaded and from where, or why nothing was
     * @param library the library loaded, or null
     */
    public record Outcome(boolean ok, String reason, CublasLibrary library) {
        static Outcome failed(String reason) {
            return new Outcome(false, reason, null);
        }
    }

    private CublasSetup() {
    }

    /**
     * Searches the default places and loads cuBLAS + JCublas2; never throws.
     *
     * @param cache where native libraries are installed
     * @return the library loaded, or why none could be
     */
    public static Outcome prepare(NativeCache cache) {
        CublasLibrary.Search search = CublasLibrary.find();
        if (search.found().isEmpty()) {
            return Outcome.failed("cuBLAS not found (looked for libcublas.so.12 and libcublas.so.13 in "
                    + String.join(", ", search.lookedIn()) + "; set -D" + CublasLibrary.DIR_PROPERTY + "=<dir>)");
        }
        return prepare(cache, search.found().get());
    }

    /**
     * Loads {@code target} and the JCublas2 JNI library that fits it; never throws.
     *
     * @param cache where native libraries are installed
     * @param target the cuBLAS library to load
     * @return the library loaded, or why it could not be
     */
    public static Outcome prepare(NativeCache cache, CublasLibrary target) {
        try {
            Path jni = jniLibraryFor(cache, target);
            List<String> missing = target.missingFunctions(BACKEND_FUNCTIONS);
            if (!missing.isEmpty()) {
                return Outcome.failed("cuBLAS at " + target.path() + " lacks " + missing + " (version node "
                        + target.soname() + ")");
            }
            List<String> unused = target.missingFunctions(
                    ElfFile.map(jni).importsWithVersion(target.soname()));
            if (!unused.isEmpty()) {
                // Harmless while nobody calls them: glibc binds lazily. Worth a line for anyone using JCublas2 directly.
                LOG.debug("{} lacks {} functions that JCublas2 binds but nnj never calls: {}", target.path(),
                        unused.size(), unused);
            }
            // Loading cuBLAS by path first lets glibc satisfy the JNI library's DT_NEEDED by soname.
            System.load(target.path().toRealPath().toString());
            JCudaNatives.load(JCudaNatives.Library.CUBLAS2, jni);
            return new Outcome(true, target.soname() + " at " + target.path()
                    + (target.major() == 12 ? "" : " (JCublas2 retargeted from libcublas.so.12)"), target);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Outcome.failed("cuBLAS at " + target.path() + " cannot be loaded: " + e);
        }
    }

    /**
     * The JNI library to load with {@code target}: JCuda's own for cuBLAS 12, a retargeted copy for 13.
     *
     * @param cache where a retargeted copy is installed
     * @param target the cuBLAS library the JNI library must link against
     * @return the path of the JNI library
     * @throws IOException if the library cannot be read or written
     */
    public static Path jniLibraryFor(NativeCache cache, CublasLibrary target) throws IOException {
        JCudaNatives.Library lib = JCudaNatives.Library.CUBLAS2;
        if (target.major() == 12) {
            return JCudaNatives.install(cache, lib);
        }
        byte[] original = NativeCache.readResource(lib.resource());
        byte[] patched = SonameRetarget.retarget(original, CublasLibrary.soname(12), target.soname());
        return cache.subdirectory("cuda" + target.major()).install(lib.fileName(), patched);
    }
}
