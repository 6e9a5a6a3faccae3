package dev.nnj.examples;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The digits program's logging: warnings and the library's INFO lines on stderr, results on stdout. The
 * configuration is a resource under this package ({@code digits-logback.xml}), applied by {@code main}, not a
 * root {@code logback.xml}: a root file in this jar would take over the logging of every application that has
 * nn-examples on its class path.
 */
final class DigitsLogging {
    private static final String CONFIGURATION = "digits-logback.xml";

    private DigitsLogging() {
    }

    /**
     * Applies the digits configuration, unless {@code -Dlogback.configurationFile} names another or SLF4J is
     * bound to something other than logback.
     */
    static void configure() {
        if (System.getProperty("logback.configurationFile") != null) {
            return;   // the user's own configuration wins
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        URL configuration = DigitsLogging.class.getResource(CONFIGURATION);
        if (!(factory instanceof LoggerContext) || configuration == null) {
            return;
        }
        LoggerContext context = (LoggerContext) factory;
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            System.err.println("digits: warning: cannot read the logging configuration " + configuration + ": "
                    + e.getMessage());
        }
    }
}
