package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class DigitsLoggingTest {

    @Test
    void libraryLevelDefaultsToInfoAndReadsAnyCase() {
        assertEquals(Level.INFO, DigitsLogging.libraryLevel(null));
        assertEquals(Level.INFO, DigitsLogging.libraryLevel(" "));
        assertEquals(Level.DEBUG, DigitsLogging.libraryLevel("debug"));
        assertEquals(Level.WARN, DigitsLogging.libraryLevel(" WARN "));
        assertEquals(Level.OFF, DigitsLogging.libraryLevel("off"));
    }

    @Test
    void unknownLevelIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitsLogging.libraryLevel("loud"));
        assertTrue(e.getMessage().contains("-Dnnj.log=loud"), e.getMessage());
        assertTrue(e.getMessage().contains("debug"), e.getMessage());
    }

    @Test
    void lineLayoutWritesLevelSimpleNameAndMessage() {
        LoggerContext context = new LoggerContext();
        DigitsLogging.LineLayout layout = new DigitsLogging.LineLayout();
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("dev.nnj.api.Backends"), Level.INFO,
                "Skipped [{}] backend", null, new Object[] {"cuda"});
        assertEquals("INFO  Backends - Skipped [cuda] backend" + System.lineSeparator(), layout.doLayout(event));
        LoggingEvent failure = new LoggingEvent("fqcn", context.getLogger("x.Y"), Level.ERROR, "broke",
                new IllegalStateException("because"), null);
        String text = layout.doLayout(failure);
        assertTrue(text.startsWith("ERROR Y - broke" + System.lineSeparator() + "java.lang.IllegalStateException: because"),
                text);
    }
}
