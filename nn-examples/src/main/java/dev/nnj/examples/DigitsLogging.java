package dev.nnj.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The digits program's logging: warnings and the library's INFO lines on stderr, results on stdout.
 *
 * <p>Set up in code by {@code main}, not by a root {@code logback.xml}: a root file in this jar would take
 * over the logging of every application that has nn-examples on its class path. In code rather than from an
 * XML resource, and with a small layout of its own rather than logback's {@code PatternLayout}: reading the XML
 * (logback's configuration model and the JDK's XML parser) and setting up {@code PatternLayout} (some seventy
 * converter classes, each spun from a lambda) cost a short program like this a tenth of a second or more.
 *
 * <p>The same configuration is in {@code digits-logback.xml} beside this class, for other programs run from the
 * jar ({@code -Dlogback.configurationFile=dev/nnj/examples/digits-logback.xml}); a test checks the two agree.
 *
 * <p>Each of the library's warnings is shown once per run ({@link RepeatedWarnings}), not once per fold or seed.
 *
 * <p>{@code -Dnnj.log=LEVEL} sets the level of the library's loggers ({@code dev.nnj}; default INFO, DEBUG for
 * per-epoch and kernel detail); {@code -Dlogback.configurationFile=FILE} replaces all of this with the user's
 * own configuration, where it names one that exists (else a warning, and this configuration) and it leaves logback
 * something to log to (one that fails and leaves this program's loggers no appender gets logback's errors, a line
 * each, a warning, and this configuration).
 */
final class DigitsLogging {
    /** Logback's system property naming a configuration of the user's own. */
    static final String CONFIGURATION_PROPERTY = "logback.configurationFile";
    /** Logback's system property naming a listener of its status messages. */
    static final String STATUS_LISTENER_PROPERTY = "logback.statusListenerClass";
    /** System property with the level of the {@code dev.nnj} loggers. */
    static final String LEVEL_PROPERTY = "nnj.log";
    /**
     * A stack frame's line: {@code \tat java.base/...}, or as logback's status printer writes a trace, each of its
     * lines after {@code \tat }, the exception's own too ({@code \tat \tat java.base/...}).
     */
    private static final Pattern FRAME = Pattern.compile("^\\s+at\\s");
    /** The other lines of a stack trace, but the exception's own; and SLF4J's line announcing one. */
    private static final Pattern TRACE_LINE = Pattern.compile(
            "^(\\s*(\\.\\.\\. \\d+ more|Caused by: |Suppressed: )|SLF4J\\(\\w\\): Reported exception:$)");
    /** An exception's own line, above its first frame: a class name with its package, then its message if any. */
    private static final Pattern EXCEPTION = Pattern.compile("^[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+(: .*)?$");

    private DigitsLogging() {
    }

    /**
     * Applies the digits configuration, unless {@code -Dlogback.configurationFile} names another or SLF4J is
     * bound to something other than logback.
     */
    static void configure() {
        if (System.getProperty(CONFIGURATION_PROPERTY) != null) {
            return;   // the user's own configuration wins (dropMissingConfiguration kept it: it exists)
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        context.addTurboFilter(new RepeatedWarnings());
        ConsoleAppender<ILoggingEvent> stderr = stderrAppender(context);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.nnj").setLevel(libraryLevel(System.getProperty(LEVEL_PROPERTY)));
    }

    /**
     * Drops a {@code -Dlogback.configurationFile} that names no file, resource or URL that exists (a typo), with a
     * warning on stderr, so that the digits configuration applies: logback would fall back to its default without a
     * word, DEBUG lines on stdout running into the results (predict's {@code --output -} CSV), and on a {@code file:}
     * URL print its own status and a stack trace there too. Called before the first logger starts logback, which
     * reads the property as it starts.
     */
    static void dropMissingConfiguration() {
        String own = System.getProperty(CONFIGURATION_PROPERTY);
        if (own != null && !configurationExists(own)) {
            System.err.println("digits: warning: -D" + CONFIGURATION_PROPERTY + "=" + own + " names no file, resource "
                    + "or URL that exists; logging as usual (to stderr)");
            System.clearProperty(CONFIGURATION_PROPERTY);
        } else if (own != null) {
            if (System.getProperty(STATUS_LISTENER_PROPERTY) == null) {
                // One that exists may still fail (a URL that does not answer, a file that is not valid XML):
                // logback's account of it goes to stderr (LogbackStatusToStderr), not its status dump on stdout.
                System.setProperty(STATUS_LISTENER_PROPERTY, LogbackStatusToStderr.class.getName());
            }
            startOwnConfiguration(own);
        }
    }

    /**
     * Starts logback on the user's configuration, which exists, and falls back to the digits configuration if it
     * failed and left no started appender for this program's loggers (all its logging lost, the library's warnings
     * included). Logback
     * prints the stack trace of a file it could not read or parse on {@code System.err} ({@code JoranException},
     * some 40 lines), after the status listener has given its reason in one line: what logback writes to
     * {@code System.err} while it starts is passed on without stack traces.
     */
    private static void startOwnConfiguration(String own) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        ILoggerFactory factory;
        try {
            factory = LoggerFactory.getILoggerFactory();
        } finally {
            System.setErr(err);
        }
        err.print(withoutStackTraces(captured.toString(StandardCharsets.UTF_8)));
        err.flush();
        if (factory instanceof LoggerContext context && failedWithoutAppenders(context)) {
            err.println("digits: warning: -D" + CONFIGURATION_PROPERTY + "=" + own + " failed with errors and left "
                    + "nothing to log to; logging as usual (to stderr)");
            System.clearProperty(CONFIGURATION_PROPERTY);
            try {
                configure();   // now, before a thread logs into no appender ("No appenders present" warnings)
            } catch (IllegalArgumentException e) {
                // a bad -Dnnj.log: main's own call says so, and exits
            }
        }
    }

    /**
     * {@code text} without its stack traces: each {@code at} frame, {@code ... N more}, {@code Caused by:} and
     * {@code Suppressed:} line, and the exception's own line above the first frame (a line that names a class; any
     * other line above a frame, such as a status line that ends with the exception, is kept).
     */
    static String withoutStackTraces(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            boolean exceptionLine = i + 1 < lines.length && FRAME.matcher(lines[i + 1]).find()
                    && EXCEPTION.matcher(lines[i].strip()).find();
            if (!exceptionLine && !FRAME.matcher(lines[i]).find() && !TRACE_LINE.matcher(lines[i]).find()) {
                kept.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
            }
        }
        return kept.toString();
    }

    /**
     * Whether logback recorded an error while configuring, and this program's events reach no appender that started:
     * none on {@code dev.nnj} or a logger below it (the library's and the program's own), nor on the loggers above
     * it as far as their additivity lets an event climb. A started appender on another logger ({@code com.other}) is
     * no help to them.
     */
    static boolean failedWithoutAppenders(LoggerContext context) {
        if (new StatusUtil(context).getHighestLevel(0) < Status.ERROR) {
            return false;   // a configuration without appenders, and no error: silence, as asked
        }
        for (Logger logger : context.getLoggerList()) {
            if ((logger.getName().equals("dev.nnj") || logger.getName().startsWith("dev.nnj.")) && started(logger)) {
                return false;   // some of this program's events reach it: the user's choice, kept
            }
        }
        Logger library = context.exists("dev.nnj");
        if (library != null && !library.isAdditive()) {
            return true;   // its events stop there, and none of its loggers has a started appender
        }
        for (String name : List.of("dev", Logger.ROOT_LOGGER_NAME)) {
            Logger logger = context.exists(name);
            if (logger == null) {
                continue;   // never configured: an event climbs past it
            }
            if (started(logger)) {
                return false;
            }
            if (!logger.isAdditive()) {
                break;   // the events stop here
            }
        }
        return true;
    }

    /** Whether the logger has an appender that started: one that failed to (a file it cannot open) drops events. */
    private static boolean started(Logger logger) {
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next().isStarted()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a {@code logback.configurationFile} value names something logback can read, looked for as logback does:
     * a URL, a class-path resource, or a file (a folder is none).
     */
    static boolean configurationExists(String name) {
        if (name.isBlank()) {
            return false;   // "" would read as the class path's root, or the working directory
        }
        try {
            java.net.URL url = new java.net.URL(name);
            if (!"file".equals(url.getProtocol())) {
                return true;   // http: and the like: logback's to fetch, and to complain of
            }
            return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(url.toURI()));
        } catch (java.net.MalformedURLException | java.net.URISyntaxException | IllegalArgumentException notAUrl) {
            // not a URL: a resource or a file
        }
        ClassLoader loader = DigitsLogging.class.getClassLoader();
        if (loader != null && loader.getResource(name) != null) {
            return true;
        }
        try {
            return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(name));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The level named by {@code -Dnnj.log}, INFO when unset; a name logback does not know is refused. */
    static Level libraryLevel(String name) {
        if (name == null || name.isBlank()) {
            return Level.INFO;
        }
        Level level = Level.toLevel(name.trim(), null);
        if (level == null) {
            throw new IllegalArgumentException("-D" + LEVEL_PROPERTY + "=" + name + " is not a log level; use one of"
                    + " " + String.join(", ", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF").toLowerCase(Locale.ROOT)
                    + " (any case)");
        }
        return level;
    }

    /**
     * The program's appender, started: {@link LineLayout}'s lines on stderr, each taking a live progress bar's line
     * ({@link BarSharingAppender}).
     *
     * @param context the logging context it belongs to
     * @return the appender
     */
    static ConsoleAppender<ILoggingEvent> stderrAppender(LoggerContext context) {
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new BarSharingAppender();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        return stderr;
    }

    /**
     * The console appender, whose lines take the place of a live progress bar's line rather than run on from it
     * ({@link LineEndingConsumer#logOver}): the bar is on stdout, the log on stderr, one terminal.
     */
    static final class BarSharingAppender extends ConsoleAppender<ILoggingEvent> {
        @Override
        protected void subAppend(ILoggingEvent event) {
            LineEndingConsumer.logOver(() -> super.subAppend(event));
        }
    }

    /**
     * One line per event, as the pattern {@code %-5level %logger{0} - %msg%n} would write it:
     * {@code WARN  Backends - message}, then the stack trace of an attached exception, if any.
     */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            String level = event.getLevel().toString();
            line.append(level);
            for (int pad = level.length(); pad < 5; pad++) {
                line.append(' ');
            }
            String logger = event.getLoggerName();
            line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length())
                    .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }
}
