package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class loader that loaded nnj, created a cpu backend, trained on it and closed it, is collected once dropped, as
 * an application server's or plugin host's loader is on a redeploy: nothing of nnj's (a cleaner's daemon thread, a
 * shutdown hook) keeps it. Each loader used to stay for the life of the JVM with a cleaner thread of its own: the
 * thread held the context class loader it was created under, and on JDK 17 the access-control context too. One
 * whose backend was never closed is collected too, its worker threads ended by the cleaner: they used to stay, as
 * the cleaner logged its warning first, and the logger's classes could not load from the closed loader.
 */
class ClassLoaderReleaseTest {
    @Test
    void aClosedBackendsClassLoaderIsCollected() throws Exception {
        String out = ChildJvm.run(ClassLoaderReleaseTest.class);
        assertTrue(out.contains("collected 5 of 5 loaders; nnj threads left: []"), out);
    }

    /** Five redeploys, two not closing their backend; prints how many loaders were collected, which threads left. */
    public static void main(String[] args) throws Exception {
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            loaders.add(deployTrainAndUndeploy(i < 3 ? "run" : "runWithoutClosing"));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (loaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        long collected = loaders.stream().filter(r -> r.get() == null).count();
        List<String> threads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nnj")) {
                threads.add(t.getName());
            }
        }
        System.out.println("collected " + collected + " of " + loaders.size() + " loaders; nnj threads left: "
                + threads);
    }

    /**
     * What a redeployed application does: loads nnj in a loader of its own, made its threads' context loader, trains
     * a small model, writes a file atomically, closes the backend, and lets go of the loader.
     */
    private static WeakReference<ClassLoader> deployTrainAndUndeploy(String method) throws Exception {
        URLClassLoader loader = new URLClassLoader(nnjClassPath(), ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> app = loader.loadClass(Deployed.class.getName());
            app.getMethod(method).invoke(null);
        } finally {
            thread.setContextClassLoader(previous);
        }
        loader.close();
        return new WeakReference<>(loader);
    }

    /** nn-api, nn-cpu (with this test's classes), SLF4J and logback: the entries of this JVM's class path. */
    private static URL[] nnjClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.contains("nn-api") || name.contains("nn-cpu/target/") || name.contains("slf4j-api")
                    || name.contains("logback-")) {   // a binding whose classes load as it first logs
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** Loaded by each deployment's own loader (its class path holds this test's classes). */
    public static final class Deployed {
        private Deployed() {
        }

        /** A backend left for the garbage collector, after a product on its worker pool. */
        public static void runWithoutClosing() {
            dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu");
            dev.nnj.api.Tensor a = backend.tensor(new float[256 * 256], 256, 256);
            backend.gemm(false, false, 1f, a, a, 0f, backend.zeros(256, 256));
        }

        /** A backend, a product on its worker pool, an atomic file write, and the backend closed. */
        public static void run() throws Exception {
            try (dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu");
                 dev.nnj.api.Tensor a = backend.tensor(new float[256 * 256], 256, 256);
                 dev.nnj.api.Tensor c = backend.zeros(256, 256)) {
                backend.gemm(false, false, 1f, a, a, 0f, c);
                File file = File.createTempFile("nnj-release", ".bin");
                try {
                    dev.nnj.api.io.AtomicFile.write(file.toPath(), out -> out.write(c.toArray().length));
                } finally {
                    Files.deleteIfExists(file.toPath());
                }
            }
        }
    }
}
