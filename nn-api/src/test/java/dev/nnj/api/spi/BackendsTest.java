package dev.nnj.api.spi;

import dev.nnj.api.BackendProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nnj.api.Backends;
import dev.nnj.api.ProviderStatus;
import dev.nnj.api.InvalidSettingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Backend discovery and selection against the fake providers registered for these tests. */
class BackendsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger backendsLogger = (Logger) LoggerFactory.getLogger(Backends.class);

    private Level levelBefore;

    @TempDir
    Path dir;

    @BeforeEach
    void captureLog() {
        System.clearProperty(Backends.PROPERTY);
        log.start();
        levelBefore = backendsLogger.getLevel();
        backendsLogger.setLevel(Level.DEBUG);
        backendsLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        backendsLogger.detachAppender(log);
        backendsLogger.setLevel(levelBefore);
        System.clearProperty(Backends.PROPERTY);
    }

    /**
     * Runs {@code body} with a context class loader whose {@code META-INF/services} lists only
     * {@code classNames}, so that a test sees its own providers and not the three registered for all.
     */
    private <T> T withProviders(Supplier<T> body, String... classNames) {
        URL url;
        try {
            Path services = Files.write(dir.resolve("providers"), List.of(classNames));
            url = services.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String resource = "META-INF/services/" + BackendProvider.class.getName();
        ClassLoader only = new ClassLoader(BackendsTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(resource) ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(only);
        try {
            return body.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static String name(Class<?> provider) {
        return provider.getName();
    }

    private List<String> logged(Level level, String containing) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(containing)).toList();
    }

    @Test
    void providersAreFoundAndOrderedByPriority() {
        List<BackendProvider> providers = Backends.providers();
        assertEquals(List.of("fake-missing", "fake-throwing", "fake-ok"),
                providers.stream().map(BackendProvider::name).toList());
    }

    @Test
    void statusesReportEveryProviderAsDataWithoutThrowing() {
        List<ProviderStatus> statuses = Backends.statuses();
        assertEquals(List.of(
                new ProviderStatus("fake-missing", 50, false, "no fake device"),
                new ProviderStatus("fake-throwing", 20, false,
                        "probe failed: java.lang.UnsatisfiedLinkError: libfake.so: cannot open shared object file"),
                new ProviderStatus("fake-ok", 5, true, "available: fake device")), statuses);
        assertEquals("fake-missing (priority 50): unavailable: no fake device", statuses.get(0).describe());
    }

    @Test
    void bestSkipsUnavailableProvidersAndLogsEachReason() {
        Backends.Selection s = Backends.selectBest();
        assertEquals("fake-ok", s.provider().name());
        assertTrue(s.reason().contains("fake-missing (no fake device)"), s.reason());
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(lines.contains("Skipped [fake-missing] backend (unavailable): no fake device"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Skipped [fake-throwing] backend (unavailable): probe failed")
                && l.contains("libfake.so")), lines.toString());
    }

    @Test
    void namingAnUnavailableBackendFailsWithEveryReasonInsteadOfFallingBack() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("fake-missing"));
        assertTrue(e.getMessage().startsWith("backend 'fake-missing' is not available: no fake device"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-ok (priority 5): available: fake device"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-throwing (priority 20): unavailable: probe failed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Backends.get("fake-missing"));
    }

    /**
     * An application that depends on nn-cuda alone finds a backend that is unavailable without a GPU, and nothing
     * else: the failure says to add nn-cpu (the fake missing provider stands in for cuda here).
     */
    @Test
    void noAvailableBackendWithoutTheCpuBackendSaysToAddIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> withProviders(Backends::selectBest, name(FakeProviders.Missing.class)));
        assertTrue(e.getMessage().startsWith("no nnj backend is available; providers:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("add dev.nnj:nn-cpu, the pure-Java backend that runs on any machine, "
                + "beside the backends above"), e.getMessage());
    }

    @Test
    void unknownNameListsTheProviders() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("tpu"));
        assertTrue(e.getMessage().startsWith("no backend named 'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-missing (priority 50): unavailable: no fake device"), e.getMessage());
    }

    /** nnj's own backend names that no provider has: the module that is missing, not only the list. */
    @Test
    void namingCudaWithoutNnCudaSaysWhichModuleIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("CUDA"));
        assertTrue(e.getMessage().startsWith("no backend named 'cuda'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; 'cuda' is the backend of nnj's nn-cuda module, which is not on the class "
                + "path or module path"), e.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> Backends.select("tpu"));
        assertTrue(!other.getMessage().contains("module"), other.getMessage());
    }

    @Test
    void systemPropertyChoosesTheBackendCaseInsensitively() {
        System.setProperty(Backends.PROPERTY, " FAKE-OK ");
        Backends.Selection s = Backends.selectBest();
        assertEquals("fake-ok", s.provider().name());
        assertTrue(s.reason().startsWith("requested by -Dnnj.backend"), s.reason());

        System.setProperty(Backends.PROPERTY, "fake-missing");
        IllegalStateException e = assertThrows(IllegalStateException.class, Backends::selectBest);
        assertTrue(e.getMessage().contains("no fake device"), e.getMessage());
    }

    @Test
    void anUnknownNameInThePropertyNamesThePropertyAndTheAcceptedNames() {
        System.setProperty(Backends.PROPERTY, "gpu");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, Backends::selectBest);
        assertTrue(e.getMessage().startsWith("invalid setting -Dnnj.backend='gpu': accepted values are the backend"
                + " names "), e.getMessage());
        assertTrue(e.getMessage().contains("fake-ok"), e.getMessage());
        assertEquals("-Dnnj.backend", e.setting());
    }

    @Test
    void blankNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Backends.select(" "));
    }

    @Test
    void aProviderThatCannotBeLoadedIsReportedAndTheOthersStillWork() {
        String broken = name(FakeProviders.Broken.class);
        String staticBroken = name(FakeProviders.StaticBroken.class);
        String[] listed = {broken, name(FakeProviders.Working.class), staticBroken, "dev.nnj.api.spi.NoSuchProvider"};
        List<ProviderStatus> statuses = withProviders(Backends::statuses, listed);
        assertEquals(4, statuses.size(), statuses.toString());
        assertEquals(new ProviderStatus("fake-ok", 5, true, "available: fake device"), statuses.get(0));
        assertEquals("fake-ok (priority 5): available: fake device", statuses.get(0).describe());
        assertEquals("own (priority 1): available: wraps the cpu backend",
                new ProviderStatus("own", 1, true, "wraps the cpu backend").describe(), "the state said once");
        ProviderStatus b = statuses.stream().filter(s -> s.name().equals(broken)).findFirst().orElseThrow();
        assertEquals(new ProviderStatus(broken, ProviderStatus.UNKNOWN_PRIORITY, false, "provider " + broken
                + " could not be loaded: java.lang.UnsatisfiedLinkError: no fakeaccel in java.library.path"), b);
        assertTrue(b.describe().startsWith(broken + " (priority unknown): unavailable: provider " + broken),
                b.describe());
        ProviderStatus sb = statuses.stream().filter(s -> s.name().equals(staticBroken)).findFirst().orElseThrow();
        assertTrue(!sb.available()
                        && sb.reason().startsWith("provider " + staticBroken + " could not be loaded: java.lang."),
                sb.reason());
        // Its static initialiser threw: every later load says only "Could not initialize class", and the first
        // failure's cause is what each discovery reports.
        for (int call = 0; call < 2; call++) {
            ProviderStatus again = withProviders(Backends::statuses, listed).stream()
                    .filter(s -> s.name().equals(staticBroken)).findFirst().orElseThrow();
            assertTrue(again.reason().contains("UnsatisfiedLinkError: libfakeaccel.so: cannot open shared object "
                    + "file"), again.reason());
        }
        assertTrue(statuses.stream().anyMatch(s -> !s.available() && s.reason().contains("NoSuchProvider")),
                statuses.toString());

        Backends.Selection best = withProviders(Backends::selectBest, listed);
        assertEquals("fake-ok", best.provider().name());
        assertEquals("fake-ok", withProviders(() -> Backends.select("fake-ok"), listed).provider().name());
        // get reaches the provider's create(), which the fake refuses: discovery itself did not fail.
        assertThrows(UnsupportedOperationException.class, () -> withProviders(() -> Backends.get("fake-ok"), listed));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> withProviders(() -> Backends.select("fake-nothing"), listed));
        assertTrue(e.getMessage().contains("unavailable: provider " + broken + " could not be loaded"), e.getMessage());
        assertEquals(1, logged(Level.WARN, broken + " could not be loaded").size(), "warned once: " + log.list);
        // Asked for by the property, the backend that could not be loaded is unknown by name: the message says why.
        System.setProperty(Backends.PROPERTY, "fakeaccel");
        InvalidSettingException named = assertThrows(InvalidSettingException.class,
                () -> withProviders(Backends::selectBest, listed));
        assertTrue(named.getMessage().contains("the backend names fake-ok; ")
                && named.getMessage().contains("provider " + broken
                        + " could not be loaded: java.lang.UnsatisfiedLinkError"),
                named.getMessage());
    }

    @Test
    void namesAreMatchedIgnoringCase() {
        String[] listed = {name(FakeProviders.Working.class), name(FakeProviders.Capitalised.class)};
        assertEquals("Fake-Plain", withProviders(() -> Backends.select("fake-plain"), listed).provider().name());
        assertEquals("Fake-Plain", withProviders(() -> Backends.select("FAKE-PLAIN"), listed).provider().name());
        System.setProperty(Backends.PROPERTY, "fake-plain");
        assertEquals("Fake-Plain", withProviders(Backends::selectBest, listed).provider().name());
    }

    @Test
    void ofTwoProvidersWithOneNameTheHigherPriorityWinsWithOneWarning() {
        String[] listed = {name(FakeProviders.Working.class), name(FakeProviders.Shadowing.class)};
        List<BackendProvider> providers = withProviders(Backends::providers, listed);
        withProviders(Backends::statuses, listed);
        assertEquals(List.of(FakeProviders.Shadowing.class), providers.stream().map(Object::getClass).toList());
        assertEquals("FAKE-OK", withProviders(() -> Backends.select("fake-ok"), listed).provider().name());
        List<String> warnings = logged(Level.WARN, "Two backend providers are named 'fake-ok'");
        assertEquals(1, warnings.size(), log.list.toString());
        assertTrue(warnings.get(0).contains(name(FakeProviders.Working.class))
                && warnings.get(0).endsWith("; using " + name(FakeProviders.Shadowing.class)
                        + " (higher priority), ignoring " + name(FakeProviders.Working.class)), warnings.get(0));
    }

    @Test
    void ofTwoProvidersWithOneNameAndPriorityTheFirstClassNameWins() {
        String[] listed = {name(FakeProviders.Working.class), name(FakeProviders.Twin.class)};
        List<BackendProvider> providers = withProviders(Backends::providers, listed);
        assertEquals(List.of(FakeProviders.Twin.class), providers.stream().map(Object::getClass).toList());
        List<String> warnings = logged(Level.WARN, "Two backend providers are named 'fake-ok'");
        assertEquals(1, warnings.size(), log.list.toString());
        assertTrue(warnings.get(0).endsWith("; using " + name(FakeProviders.Twin.class)
                + " (equal priority, first by class name), ignoring " + name(FakeProviders.Working.class)),
                warnings.get(0));
    }

    @Test
    void equalPrioritiesAreOrderedByNameAndLoggedAtDebug() {
        String[] listed = {name(FakeProviders.Working.class), name(FakeProviders.Tied.class)};
        List<BackendProvider> providers = withProviders(Backends::providers, listed);
        assertEquals(List.of("fake-a", "fake-ok"), providers.stream().map(BackendProvider::name).toList());
        assertEquals(1, logged(Level.DEBUG, "have equal priority 5: fake-a ranks first").size(), log.list.toString());
    }

    @Test
    void eachCallLoadsTheProvidersOnce() {
        String[] listed = {name(FakeProviders.Counting.class)};
        int before = FakeProviders.Counting.INSTANCES.get();
        withProviders(Backends::statuses, listed);
        assertEquals(before + 1, FakeProviders.Counting.INSTANCES.get(), "statuses()");
        System.setProperty(Backends.PROPERTY, "fake-counting");
        withProviders(Backends::selectBest, listed);
        assertEquals(before + 2, FakeProviders.Counting.INSTANCES.get(), "selectBest() with a name requested");
    }
}
