package dev.nnj.examples;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logback's own warnings and errors about a configuration of the user's ({@code -Dlogback.configurationFile}) on
 * stderr, one line each. Without a status listener logback prints its whole status, INFO lines and stack traces
 * included, on stdout when a configuration fails (an unreachable URL, a file that is not valid XML), where it ran
 * into the results: 48 lines ahead of {@code predict --output -}'s CSV in a trial. Installed by
 * {@link DigitsLogging#dropMissingConfiguration} through {@code -Dlogback.statusListenerClass}, unless the user names
 * a listener of their own; logback makes it by reflection, so it is public.
 */
public final class LogbackStatusToStderr implements StatusListener {
    /**
     * Logback's warning of a configuration without appenders: the user's way to ask for silence when it comes without
     * errors (one with errors gets the digits configuration instead, {@link DigitsLogging#failedWithoutAppenders}).
     */
    static final String NO_APPENDERS = "No appenders present";

    /** The lines printed, each once: logback 1.5 reads an appender's model twice and reports its failure each time. */
    private final Set<String> printed = ConcurrentHashMap.newKeySet();

    /** The listener logback instantiates. */
    public LogbackStatusToStderr() {
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN || String.valueOf(status.getMessage()).startsWith(NO_APPENDERS)) {
            return;
        }
        Throwable cause = status.getThrowable();
        String line = "digits: logback " + (status.getEffectiveLevel() == Status.ERROR ? "error" : "warning")
                + ": " + status.getMessage() + (cause == null ? "" : " (" + cause + ")");
        if (printed.add(line)) {
            System.err.println(line);
        }
    }
}
