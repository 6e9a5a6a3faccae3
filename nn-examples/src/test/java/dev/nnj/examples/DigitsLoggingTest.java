package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
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
        assertEquals(1, context.getTurboFilterList().size());
        assertTrue(context.getTurboFilterList().get(0) instanceof RepeatedWarnings);
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

    /**
     * A fold's warning with other figures is the same warning: shown once. Other words, another logger's, INFO
     * lines and warnings from outside the library all pass.
     */
    @Test
    void eachLibraryWarningPassesOncePerRun() {
        LoggerContext context = new LoggerContext();
        RepeatedWarnings filter = new RepeatedWarnings();
        Logger trainer = context.getLogger("dev.nnj.api.train.Trainer");
        String fold1 = "training set: feature column 0 has mean 4.986e+05 and standard deviation 8811: scale them";
        String fold2 = "training set: feature column 0 has mean 4.989e+05 and standard deviation 8699: scale them";
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, trainer, Level.WARN, fold1, null, null));
        assertEquals(FilterReply.DENY, filter.decide(null, trainer, Level.WARN, fold2, null, null));
        assertEquals(FilterReply.DENY, filter.decide(null, trainer, Level.WARN, "{}: feature column {} has mean "
                + "-3.5 and standard deviation {}: scale them", new Object[] {"training set", 2, 1e9}, null),
                "the same words, formatted by SLF4J");
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, trainer, Level.WARN,
                fold1.replace("training set", "validation set"), null, null));
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, context.getLogger("dev.nnj.api.data.CsvReader"),
                Level.WARN, fold1, null, null), "another logger's");
        for (int i = 0; i < 2; i++) {
            assertEquals(FilterReply.NEUTRAL, filter.decide(null, trainer, Level.INFO, "fold 1 done", null, null));
            assertEquals(FilterReply.NEUTRAL, filter.decide(null, context.getLogger("org.other.Lib"), Level.WARN,
                    fold1, null, null));
        }
    }

    /**
     * While a run fits its target scaler, the scaler's own warning is left out (the run words it, naming the target):
     * counted, it was a repeat of a feature's warning in the same words, or the feature's was taken for it. The
     * scaler's warnings of the features pass, before and after.
     */
    @Test
    void theTargetScalersWarningIsTheRunsOwn() {
        LoggerContext context = new LoggerContext();
        RepeatedWarnings filter = new RepeatedWarnings();
        Logger scaler = context.getLogger("dev.nnj.api.data.ColumnScaler");
        String target = "StandardScaler.fit: column 0 has mean 1.000e+08 and standard deviation 3.488: as float32";
        assertEquals(FilterReply.DENY, RepeatedWarnings.targetScalerFit(
                () -> filter.decide(null, scaler, Level.WARN, target, null, null)));
        assertEquals(FilterReply.NEUTRAL, RepeatedWarnings.targetScalerFit(() -> filter.decide(null,
                context.getLogger("dev.nnj.api.train.Trainer"), Level.WARN, target, null, null)), "another logger's");
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, scaler, Level.WARN, target.replace("1.000e+08",
                "1.000e+06"), null, null), "a feature's, after the target's fit");
    }

    /**
     * The wiring: a regression's target scaler is fitted without the scaler's own float32 warning reaching the log
     * (the run gives its own, naming the target), while a feature scaler's still does.
     */
    @Test
    void aRegressionsTargetScalerFitsWithoutTheScalersWarning() {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        RepeatedWarnings filter = new RepeatedWarnings();
        context.addTurboFilter(filter);
        Logger scaler = context.getLogger("dev.nnj.api.data.ColumnScaler");
        ch.qos.logback.core.read.ListAppender<ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        scaler.addAppender(seen);
        try {
            float[] targets = new float[40];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = 1e8f + i % 7;   // 1e8 plus a spread of 2: a handful of distinct float32 values
            }
            dev.nnj.api.data.Dataset rows = new dev.nnj.api.data.Dataset(new float[40], 1, targets, 1);
            RegressionTargets fitted = RegressionTargets.fit(java.util.List.of("y"), rows, null, rows);
            assertTrue(seen.list.isEmpty(), "the scaler's own warning: " + seen.list);
            assertTrue(fitted.warnings().get(0).startsWith("target y has mean 1.000e+08"), fitted.warnings().get(0));
            new dev.nnj.api.data.StandardScaler().fit(targets, 1);
            assertEquals(1, seen.list.size(), "a feature scaler's warning passes");
        } finally {
            scaler.detachAppender(seen);
            context.getTurboFilterList().remove(filter);
        }
    }

    /** Past its memory, every new warning passes rather than the set growing. */
    @Test
    void aLongRunsWarningsPassOnceTheMemoryIsFull() {
        LoggerContext context = new LoggerContext();
        RepeatedWarnings filter = new RepeatedWarnings();
        Logger logger = context.getLogger("dev.nnj.api.io.ModelFiles");
        for (int i = 0; i < RepeatedWarnings.REMEMBERED; i++) {
            assertEquals(FilterReply.NEUTRAL, filter.decide(null, logger, Level.WARN, "file " + letters(i) + " is odd",
                    null, null));
        }
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, logger, Level.WARN, "file b is odd", null, null));
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, logger, Level.WARN, "file b is odd", null, null));
    }

    /** {@code i} in letters (0 is "a", 26 is "ba"): names without digits, which the filter would read as one. */
    private static String letters(int i) {
        StringBuilder s = new StringBuilder();
        do {
            s.insert(0, (char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return s.toString();
    }

    /**
     * A {@code -Dlogback.configurationFile} that names nothing (a typo) is not handed to logback, whose fallback is
     * DEBUG lines on stdout, into predict's CSV: only a URL, resource or file that exists counts.
     */
    @Test
    void aConfigurationFileThatDoesNotExistIsNotTheUsers() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("logback", ".xml");
        try {
            assertTrue(DigitsLogging.configurationExists(file.toString()));
            assertTrue(DigitsLogging.configurationExists(file.toUri().toString()));
            assertTrue(DigitsLogging.configurationExists("dev/nnj/examples/digits-logback.xml"), "a resource");
            assertTrue(DigitsLogging.configurationExists("https://example.org/logback.xml"), "logback's to fetch");
            assertFalse(DigitsLogging.configurationExists(file + ".typo"));
            assertFalse(DigitsLogging.configurationExists("file:/no/such/logback.xml"));
            assertFalse(DigitsLogging.configurationExists("dev/nnj/examples/no-such-logback.xml"));
            assertFalse(DigitsLogging.configurationExists(""), "the class path's root, or the working directory");
            assertFalse(DigitsLogging.configurationExists(file.getParent().toString()), "a folder");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void stackTracesAreTakenOutOfWhatLogbackPrintsAsItStarts() {
        String printed = "digits: logback error: Could not open URL [http://h/x.xml]. (java.net.ConnectException: "
                + "Connection refused)\n"
                + "ch.qos.logback.core.joran.spi.JoranException: Could not open URL [http://h/x.xml].\n"
                + "\tat ch.qos.logback.core.joran.GenericXMLConfigurator.doConfigure(GenericXMLConfigurator.java:66)\n"
                + "Caused by: java.net.ConnectException: Connection refused\n"
                + "\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)\n"
                + "\t... 26 more\n"
                + "a line of the user's listener\n";
        assertEquals("digits: logback error: Could not open URL [http://h/x.xml]. (java.net.ConnectException: "
                + "Connection refused)\na line of the user's listener\n", DigitsLogging.withoutStackTraces(printed));
        // As logback's status printer writes a trace (OnErrorConsoleStatusListener): its status line, ending with the
        // exception, stays; the trace, each line after "\tat ", goes.
        String status = "07:34:25,917 |-ERROR in ch.qos.logback.core.FileAppender[F] - openFile(/proc/x.log,true) call "
                + "failed. java.io.FileNotFoundException: /proc/x.log (No such file or directory)\n";
        assertEquals(status, DigitsLogging.withoutStackTraces(status
                + "\tat java.io.FileNotFoundException: /proc/x.log (No such file or directory)\n"
                + "\tat \tat java.base/java.io.FileOutputStream.open0(Native Method)\n"));
        assertEquals("SLF4J(E): Failed to auto configure\n", DigitsLogging.withoutStackTraces(
                "SLF4J(E): Failed to auto configure\nSLF4J(E): Reported exception:\n"
                        + "ch.qos.logback.core.joran.spi.JoranException: Problem parsing XML document.\n"
                        + "\tat ch.qos.logback.core.joran.event.SaxEventRecorder.recordEvents(Unknown Source)\n"));
        assertEquals("", DigitsLogging.withoutStackTraces(""));
        assertEquals("no trace", DigitsLogging.withoutStackTraces("no trace"));
    }

    /**
     * End to end, in a JVM of its own: with a logback configuration that names nothing (a missing file: URL, an empty
     * name, a folder), or one that fails (a URL that does not answer, a file that is not valid XML, an appender class
     * that does not exist, a file appender that cannot open its file), stdout holds the results alone. Logback's
     * fallback put DEBUG lines there, and its status dump, stack traces included. On stderr, a failed one gets
     * logback's reasons, a line each and each once, without the stack trace logback prints of a file it cannot read,
     * also under a status listener of the user's; and the run logs as without it rather than not at all, also where
     * only a logger of another program's keeps an appender (one on a library logger is kept). One without
     * appenders and without errors stays silent; one that keeps an appender keeps it, and says what failed.
     */
    @Test
    void aMissingConfigurationLeavesStdoutToTheResults() throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("logback");
        java.nio.file.Path broken = java.nio.file.Files.writeString(folder.resolve("broken.xml"),
                "<configuration><root");
        java.nio.file.Path noAppender = java.nio.file.Files.writeString(folder.resolve("no-appender.xml"),
                "<configuration><appender name='X' class='no.such.Appender'/><root level='info'>"
                        + "<appender-ref ref='X'/></root></configuration>");
        java.nio.file.Path noFile = java.nio.file.Files.writeString(folder.resolve("no-file.xml"),
                "<configuration><appender name='F' class='ch.qos.logback.core.FileAppender'><file>/proc/no/x.log"
                        + "</file><encoder><pattern>%msg%n</pattern></encoder></appender><root level='info'>"
                        + "<appender-ref ref='F'/></root></configuration>");
        java.nio.file.Path silent = java.nio.file.Files.writeString(folder.resolve("silent.xml"),
                "<configuration><root level='info'/></configuration>");
        java.nio.file.Path partly = java.nio.file.Files.writeString(folder.resolve("partly.xml"),
                "<configuration><appender name='E' class='ch.qos.logback.core.ConsoleAppender'><target>System.err"
                        + "</target><encoder><pattern>MINE %msg%n</pattern></encoder></appender><root level='info'>"
                        + "<appender-ref ref='E'/></root><logger name='com.other'><appender-ref ref='BAD'/></logger>"
                        + "<appender name='BAD' class='no.such.Appender'/></configuration>");
        // The root's appender cannot open its file; another logger's works, but the program's events never reach it.
        java.nio.file.Path rootLost = java.nio.file.Files.writeString(folder.resolve("root-lost.xml"),
                "<configuration><appender name='F' class='ch.qos.logback.core.FileAppender'><file>/proc/no/x.log"
                        + "</file><encoder><pattern>%msg%n</pattern></encoder></appender><appender name='E' "
                        + "class='ch.qos.logback.core.ConsoleAppender'><target>System.err</target><encoder><pattern>"
                        + "OTHER %msg%n</pattern></encoder></appender><logger name='com.other'><appender-ref ref='E'/>"
                        + "</logger><root level='info'><appender-ref ref='F'/></root></configuration>");
        // The same failed root, with a working appender on a library logger: kept, as the user's choice.
        java.nio.file.Path libraryKept = java.nio.file.Files.writeString(folder.resolve("library-kept.xml"),
                java.nio.file.Files.readString(rootLost).replace("<logger name='com.other'>",
                        "<logger name='dev.nnj.api'>"));
        java.nio.file.Path err = folder.resolve("stderr.txt");
        String nop = "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener";
        List<String> failing = List.of("http://127.0.0.1:9/logback.xml", broken.toString(), noAppender.toString(),
                noFile.toString(), broken + " " + nop, rootLost.toString());
        java.util.regex.Pattern trace = java.util.regex.Pattern.compile(
                "(?m)^(\tat |Caused by: |[a-z]+\\.[\\w.$]+(Exception|Error)\\b)");
        try {
            List<String> values = new java.util.ArrayList<>(List.of("file:///no/such/logback.xml", "",
                    folder.toString(), silent.toString(), partly.toString(), libraryKept.toString()));
            values.addAll(failing);
            for (String value : values) {
                java.nio.file.Path javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
                List<String> command = new java.util.ArrayList<>(List.of(javaBin.toString(),
                        "-Dlogback.configurationFile=" + value.split(" ")[0]));
                if (value.endsWith(nop)) {
                    command.add(nop);
                }
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), DigitsTrainer.class.getName(),
                        "--backend", "cpu", "--epochs", "1", "--progress-every", "0"));
                Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the run ends");
                assertEquals(0, p.exitValue(), value + ": " + out);
                assertTrue(out.startsWith("nnj digits trainer, preset article"), value + ": " + out);
                assertFalse(out.contains("DEBUG") || out.contains("logback"), value + ": " + out);
                String errors = java.nio.file.Files.readString(err);
                assertFalse(trace.matcher(errors).find(), value + ": " + errors);
                assertFalse(errors.contains("No appenders present"), value + ": " + errors);
                boolean fellBack = errors.contains("failed with errors and left nothing to log to; logging as usual "
                        + "(to stderr)");
                assertEquals(failing.contains(value), fellBack, value + ": " + errors);
                if (failing.contains(value) && !value.endsWith(nop)) {
                    assertTrue(errors.contains("digits: logback error: "), value + ": " + errors);
                }
                if (value.equals(silent.toString())) {
                    assertFalse(errors.contains("logback"), value + ": " + errors);
                }
                if (value.equals(partly.toString())) {
                    assertEquals(1, errors.split("Could not create an Appender of type \\[no.such.Appender]", -1).length
                            - 1, "each error once: " + errors);
                }
            }
        } finally {
            for (java.nio.file.Path file : List.of(broken, noAppender, noFile, silent, partly, rootLost, libraryKept,
                    err, folder)) {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }
}
