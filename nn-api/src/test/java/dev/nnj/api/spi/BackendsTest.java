package dev.nnj.api.spi;

import dev.nnj.api.BackendProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nnj.api.Backends;
import dev.nnj.api.ProviderStatus;
import dev.nnj.api.InvalidSettingException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Backend discovery and selection against the fake providers registered for these tests. */
class BackendsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger backendsLogger = (Logger) LoggerFactory.getLogger(Backends.class);

    @BeforeEach
    void captureLog() {
        System.clearProperty(Backends.PROPERTY);
        log.start();
        backendsLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        backendsLogger.detachAppender(log);
        System.clearProperty(Backends.PROPERTY);
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

    @Test
    void unknownNameListsTheProviders() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("tpu"));
        assertTrue(e.getMessage().startsWith("no backend named 'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-missing (priority 50): unavailable: no fake device"), e.getMessage());
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
}
