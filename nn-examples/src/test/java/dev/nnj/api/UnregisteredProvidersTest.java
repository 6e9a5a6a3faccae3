package dev.nnj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.onnx.OnnxExporter;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A fat jar whose service files were not merged keeps one backend's {@code META-INF/services} file and drops the
 * others': {@code Backends.best()} then says which of nnj's providers is on the class path without being listed, and
 * how to merge the files. (In this module's tests both backends' classes are on the class path.)
 */
class UnregisteredProvidersTest {

    @Test
    void aProviderOnTheClassPathButNotFoundAsAServiceIsNamedWithTheFix() {
        String hint = Backends.unregisteredHint(List.of());
        assertTrue(hint.contains("dev.nnj.cpu.CpuBackendProvider is on the class path but not listed in "
                + "META-INF/services/dev.nnj.api.BackendProvider"), hint);
        assertTrue(hint.contains("dev.nnj.cuda.CudaBackendProvider is on the class path"), hint);
        assertTrue(hint.endsWith("in a fat jar, merge the service files (maven-shade's ServicesResourceTransformer, "
                + "Gradle shadow's mergeServiceFiles(), maven-assembly's metaInf-services container descriptor "
                + "handler)"), hint);
        assertEquals("", Backends.unregisteredHint(Backends.providers()), "every provider found: no hint");
    }

    /** A provider of one's own named {@code CPU}, at {@code priority}: it takes the name from nnj's. */
    abstract static class OwnCpu implements BackendProvider {
        @Override
        public String name() {
            return "CPU";
        }

        @Override
        public Availability availability() {
            return Availability.available("wraps the cpu backend");
        }

        @Override
        public Backend create() {
            return Backends.get("cpu");
        }
    }

    /** Above nnj's cpu provider: nnj's is left out as a duplicate. */
    public static final class HigherCpu extends OwnCpu {
        @Override
        public int priority() {
            return 5;
        }
    }

    /** Below nnj's cpu provider, which would win were it listed. */
    public static final class LowerCpu extends OwnCpu {
        @Override
        public int priority() {
            return -1;
        }
    }

    /**
     * nnj's cpu provider, found and left out for a provider of one's own named {@code CPU}, is not called unlisted
     * (an extension trial saw the duplicate's warning and that one too); where it is unlisted, and one's own is
     * below it, the hint is given, as it is the fix. A discovery's list alone cannot tell the two apart, so
     * {@code unregisteredHint} of such a list says nothing of the cpu provider.
     */
    @Test
    void aProviderLeftOutForOneOfItsNameIsNotCalledUnlisted(@TempDir Path dir) throws Exception {
        // nn-cuda's provider listed in both: its own hint is another test's, logged once per JVM.
        List<String> shadowed = warnings(dir, Backends::providers, "dev.nnj.cpu.CpuBackendProvider",
                "dev.nnj.cuda.CudaBackendProvider", HigherCpu.class.getName());
        assertTrue(shadowed.stream().anyMatch(w -> w.startsWith("Two backend providers are named 'cpu'")),
                shadowed.toString());
        assertFalse(shadowed.stream().anyMatch(w -> w.contains("CpuBackendProvider is on the class path")),
                shadowed.toString());
        List<String> unlisted = warnings(dir, Backends::providers, "dev.nnj.cuda.CudaBackendProvider",
                LowerCpu.class.getName());
        assertTrue(unlisted.stream().anyMatch(w -> w.contains("dev.nnj.cpu.CpuBackendProvider is on the class path "
                + "but not listed")), unlisted.toString());
        String hint = Backends.unregisteredHint(List.of(new LowerCpu()));
        assertFalse(hint.contains("CpuBackendProvider"), hint);
        assertTrue(hint.contains("dev.nnj.cuda.CudaBackendProvider is on the class path"), hint);
    }

    /** The WARN lines of {@code discovery} where the service file lists {@code classNames} only. */
    private static List<String> warnings(Path dir, Runnable discovery, String... classNames) throws IOException {
        Path services = Files.write(Files.createTempFile(dir, "providers", ""), List.of(classNames));
        String resource = "META-INF/services/" + BackendProvider.class.getName();
        ClassLoader only = new ClassLoader(UnregisteredProvidersTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(resource) ? Collections.enumeration(List.of(services.toUri().toURL()))
                        : super.getResources(name);
            }
        };
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Backends.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(only);
        try {
            discovery.run();
        } finally {
            thread.setContextClassLoader(before);
            logger.detachAppender(log);
        }
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /**
     * A fat jar that kept only nn-cpu's service file still holds nn-cuda's classes: asking for cuda by name says
     * that its provider is there but unlisted, not that nn-cuda is missing from the class path.
     */
    @Test
    void aNamedBackendWhoseProviderIsUnlistedIsNotCalledMissing() {
        List<BackendProvider> cpuOnly = Backends.providers().stream()
                .filter(p -> p.name().equals("cpu")).toList();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("cuda", cpuOnly));
        assertTrue(e.getMessage().contains("'cuda' is the backend of nnj's nn-cuda module:\n"
                + "dev.nnj.cuda.CudaBackendProvider is on the class path but not listed"), e.getMessage());
        assertFalse(e.getMessage().contains("which is not on the class path"), e.getMessage());
    }

    /**
     * A class path whose service file lists only nn-cpu's provider, nn-cuda's classes beside it (a fat jar built
     * without merging the service files): choosing the best backend takes the cpu, and a warning says that the cuda
     * backend is left out and how to merge the files, rather than nothing at all on a GPU machine.
     */
    @Test
    void discoveryWarnsOnceThatAnUnlistedProviderIsLeftOut(@TempDir Path dir) throws Exception {
        List<String> warnings = warnings(dir, () -> {
            assertEquals(List.of("cpu"), Backends.providers().stream().map(BackendProvider::name).toList());
            Backends.providers();
        }, "dev.nnj.cpu.CpuBackendProvider");
        assertEquals(List.of("A backend is left out: dev.nnj.cuda.CudaBackendProvider is on the class path but not "
                + "listed in META-INF/services/dev.nnj.api.BackendProvider: in a fat jar, merge the service files "
                + "(maven-shade's ServicesResourceTransformer, Gradle shadow's mergeServiceFiles(), maven-assembly's "
                + "metaInf-services container descriptor handler)"), warnings, "once, however often asked");
    }

    /**
     * nnj's services are looked for through nnj's own class loader too, not only the thread's context class loader:
     * a thread whose context loader cannot see nnj (a plugin host's, an application server's, the common fork-join
     * pool's in a Spring Boot jar) still finds both backends and reads an ONNX file.
     */
    @Test
    void aContextClassLoaderThatCannotSeeNnjStillFindsItsServices(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("m.onnx");
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 3, 1).add(new Dense(2, Activation.SOFTMAX))) {
            OnnxExporter.export(model, onnx);
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader blind = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(blind);
            List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
            assertTrue(names.contains("cpu") && names.contains("cuda"), names.toString());
            try (Backend backend = Backends.get("cpu"); SavedModel loaded = ModelFiles.load(onnx, backend)) {
                assertEquals(3, loaded.model().inputWidth());
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
