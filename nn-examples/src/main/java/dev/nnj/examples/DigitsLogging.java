package dev.nnj.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
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
 * <p>{@code -Dnnj.log=LEVEL} sets the level of the library's loggers ({@code dev.nnj}; default INFO, DEBUG for
 * per-epoch and kernel detail); {@code -Dlogback.configurationFile=FILE} replaces all of this with the user's
 * own configuration.
 */
final class DigitsLogging {
    /** System property with the level of the {@code dev.nnj} loggers. */
    static final String LEVEL_PROPERTY = "nnj.log";

    private DigitsLogging() {
    }

    /**
     * The {@code dev.nnj} loggers' level, set by {@link #request} before anything calls SLF4J: the digits program
     * asks for its configuration, which {@link AtStart} then hands logback as it starts, on whichever thread first
     * asks SLF4J for a logger. Any other program with this jar on its class path leaves it null and gets logback's
     * own start-up, untouched.
     */
    private static volatile Level requested;
    /** Whether this configuration is in place, from logback's start or applied afterwards. */
    private static volatile boolean applied;

    /**
     * Asks for the digits configuration at logback's start, unless {@code -Dlogback.configurationFile} names
     * another; called first thing in {@code main}, before any logger exists. Logback then never builds its default
     * configuration, whose {@code PatternLayout} with a date (some seventy converter classes, {@code java.time}'s
     * formatters, method handles spun for its lambdas) a cold JVM spent tens of milliseconds on, only for this one
     * to replace it.
     *
     * @throws IllegalArgumentException if {@code -Dnnj.log} is not a level
     */
    static void request() {
        if (System.getProperty("logback.configurationFile") == null) {
            requested = libraryLevel(System.getProperty(LEVEL_PROPERTY));
        }
    }

    /**
     * Applies the digits configuration, unless {@code -Dlogback.configurationFile} names another or SLF4J is
     * bound to something other than logback: as logback starts when {@link #request} came first, else by replacing
     * what logback set up.
     *
     * @throws IllegalArgumentException if {@code -Dnnj.log} is not a level
     */
    static void configure() {
        request();
        if (requested == null) {
            return;   // the user's own configuration wins
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!applied && factory instanceof LoggerContext context) {
            context.reset();
            apply(context);
        }
    }

    /** Sets up the digits configuration in {@code context}: stderr, WARN for all, {@code -Dnnj.log} for nnj. */
    private static void apply(LoggerContext context) {
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.nnj").setLevel(requested);
        applied = true;
    }

    /**
     * Logback's configurator hook ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}), which logback
     * asks before its own defaults: the digits configuration when {@link #configure} asked for it, else nothing,
     * and logback goes on as it would without this jar.
     */
    public static final class AtStart extends ContextAwareBase implements Configurator {
        /** Created by logback's service loader. */
        public AtStart() {
        }

        @Override
        public ExecutionStatus configure(LoggerContext context) {
            if (requested == null) {
                return ExecutionStatus.INVOKE_NEXT_IF_ANY;
            }
            apply(context);
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
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
