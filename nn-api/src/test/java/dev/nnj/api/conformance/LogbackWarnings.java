package dev.nnj.api.conformance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The warnings an SLF4J logger gives while an action runs, captured through logback: the one class of the suite
 * that uses logback's types. The suite runs with any SLF4J binding, or none, so a test calls {@link #during} only
 * after checking that logback is the binding ({@link ModelTestSupport#assumeLogbackCaptures} asks SLF4J for its
 * logger factory's class name); this class, and with it logback, is loaded only then. Its method takes and returns
 * JDK types alone, so that the classes calling it verify and load without logback on the class path.
 */
final class LogbackWarnings {
    private LogbackWarnings() {
    }

    /**
     * Runs {@code action} and returns the formatted messages of the warnings logged meanwhile by the logger of
     * {@code source}. Call only when SLF4J is bound to logback-classic.
     *
     * @param source the class whose logger is watched, such as {@code Trainer.class}
     * @param action what to run
     * @return the warnings' messages, in order
     */
    static List<String> during(Class<?> source, Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
            appender.stop();
        }
        return appender.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
