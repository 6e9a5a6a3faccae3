package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
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

    /**
     * digits-logback.xml (for other programs run from the jar) says what DigitsLogging sets up in code: the
     * same levels, one console appender on stderr, and lines formatted alike.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theXmlConfigurationAgreesWithTheOneInCode() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(DigitsLogging.class.getResource("digits-logback.xml"));
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertEquals(DigitsLogging.libraryLevel(System.getProperty(DigitsLogging.LEVEL_PROPERTY)),
                context.getLogger("dev.nnj").getLevel());
        ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertEquals("System.err", appender.getTarget());
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(((ch.qos.logback.classic.encoder.PatternLayoutEncoder) appender.getEncoder()).getPattern());
        pattern.start();
        DigitsLogging.LineLayout line = new DigitsLogging.LineLayout();
        line.setContext(context);
        line.start();
        for (LoggingEvent event : new LoggingEvent[] {
            new LoggingEvent("fqcn", context.getLogger("dev.nnj.api.Backends"), Level.INFO, "Skipped [{}]", null,
                    new Object[] {"cuda"}),
            new LoggingEvent("fqcn", context.getLogger("dev.nnj.cpu.Vectorization"), Level.WARN, "scalar kernels",
                    null, null),
            new LoggingEvent("fqcn", context.getLogger("Plain"), Level.ERROR, "no package", null, null)}) {
            assertEquals(pattern.doLayout(event), line.doLayout(event));
        }
    }
}
