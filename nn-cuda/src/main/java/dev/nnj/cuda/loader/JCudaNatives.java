package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads JCuda's JNI libraries from a {@link NativeCache} by absolute path, and only then lets JCuda's classes
 * initialise.
 *
 * <p>How JCuda loads (its {@code LibUtils}, read from the 12.6.0 jar): a class such as {@code JCudaDriver}
 * calls, from its static initialiser, {@code System.loadLibrary("JCudaDriver-12.6.0-linux-x86_64")}, and when
 * that fails (it is not on {@code java.library.path}, which cannot be changed at run time) looks for
 * {@code ${java.io.tmpdir}/libJCudaDriver-12.6.0-linux-x86_64.so}, writes it from the jar if absent, and
 * {@code System.load}s it. {@code java.io.tmpdir} is read at that moment. So:
 * <ol>
 *   <li>we {@code System.load} the cached, verified file ourselves first: a missing dependency
 *       ({@code libcuda.so.1}, {@code libcublas.so.12}) fails here, as a catchable
 *       {@link UnsatisfiedLinkError}, before any JCuda class exists — no class is left broken;</li>
 *   <li>we initialise the JCuda class while {@code java.io.tmpdir} names the cache directory, so its loader
 *       finds the complete file it expects there and loads the same canonical path again, which the JDK
 *       treats as already loaded. JCuda never writes a file, and never reads one another JVM is writing.</li>
 * </ol>
 * The property is restored at once; both steps run under one JVM-wide lock.
 */
public final class JCudaNatives {

    /** The JNI libraries the backend uses, with the JCuda class whose initialiser loads each. */
    public enum Library {
        /** CUDA runtime bindings; cudart is linked in statically, so this loads on any Linux machine. */
        RUNTIME("JCudaRuntime", "jcuda.runtime.JCuda", "/lib/"),
        /** Driver API bindings; needs {@code libcuda.so.1} from an NVIDIA driver. */
        DRIVER("JCudaDriver", "jcuda.driver.JCudaDriver", "/lib/"),
        /** cuBLAS v2 bindings; needs {@code libcublas.so.12} (or a retargeted copy, see {@link SonameRetarget}). */
        CUBLAS2("JCublas2", "jcuda.jcublas.JCublas2", "/lib/");

        private final String baseName;
        private final String jcudaClass;
        private final String resourceDir;

        Library(String baseName, String jcudaClass, String resourceDir) {
            this.baseName = baseName;
            this.jcudaClass = jcudaClass;
            this.resourceDir = resourceDir;
        }

        /**
         * The file name JCuda's loader looks for, e.g. {@code libJCudaDriver-12.6.0-linux-x86_64.so}.
         *
         * @return the platform-specific file name
         */
        public String fileName() {
            return "lib" + baseName + "-" + version() + "-linux-x86_64.so";
        }

        /**
         * Where the library lies in the natives jar.
         *
         * @return the class-path resource name
         */
        public String resource() {
            return resourceDir + fileName();
        }

        /**
         * The JCuda class that loads this library when it initialises.
         *
         * @return the fully qualified class name
         */
        public String jcudaClass() {
            return jcudaClass;
        }
    }

    private static final Object LOCK = new Object();

    private JCudaNatives() {
    }

    /**
     * JCuda's version, e.g. {@code 12.6.0} (a constant in a class with no native code).
     *
     * @return the version string
     */
    public static String version() {
        return jcuda.JCudaVersion.get();
    }

    /**
     * True on the only platform whose natives the backend ships: Linux on x86-64.
     *
     * @return whether this JVM runs on Linux x86-64
     */
    public static boolean supportedPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * Installs the jar's copy of {@code library} in {@code cache} and returns its path.
     *
     * @param cache the directory to install into
     * @param library the library to install
     * @return the installed file
     * @throws IOException if the resource is missing or the file cannot be written
     */
    public static Path install(NativeCache cache, Library library) throws IOException {
        return cache.installResource(library.resource(), library.fileName());
    }

    /**
     * Loads {@code file} (named {@link Library#fileName()}) and then initialises the JCuda class that uses it.
     *
     * @throws UnsatisfiedLinkError if the library or one of its dependencies cannot be loaded; nothing of
     *         JCuda has been touched in that case, so a later call may succeed
     * @param library the library {@code file} holds
     * @param file the installed library
     */
    public static void load(Library library, Path file) {
        if (!file.getFileName().toString().equals(library.fileName())) {
            throw new IllegalArgumentException(file + " must be named " + library.fileName()
                    + " for JCuda's loader to find it");
        }
        synchronized (LOCK) {
            Path canonical;
            try {
                canonical = file.toRealPath();
            } catch (IOException e) {
                throw new UnsatisfiedLinkError("cannot resolve " + file + ": " + e.getMessage());
            }
            System.load(canonical.toString());
            initialiseWithTmpdir(library.jcudaClass(), canonical.getParent());
        }
    }

    private static void initialiseWithTmpdir(String className, Path dir) {
        String previous = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.toString());
        try {
            Class.forName(className, true, JCudaNatives.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NoClassDefFoundError(className + " is not on the class path (jcuda / jcublas jar missing?)");
        } finally {
            if (previous == null) {
                System.clearProperty("java.io.tmpdir");
            } else {
                System.setProperty("java.io.tmpdir", previous);
            }
        }
    }
}
