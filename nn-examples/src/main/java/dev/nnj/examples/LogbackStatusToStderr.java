package dev.nnj.examples;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.PrintStream;

/**
 * Logback's own warnings and errors about a configuration of the user's ({@code -Dlogback.configurationFile}) on
 * stderr, one line each. Without a status listener logback prints its whole status, INFO lines and stack traces
 * included, on stdout when a configuration fails (an unreachable URL, a file that is not valid XML), where it ran
 * into the results: 48 lines ahead of {@code predict --output -}'s CSV in a trial. Installed by
 * {@link DigitsLogging#dropMissingConfiguration} through {@code -Dlogback.statusListenerClass}, unless the user names
 * a listener of their own; logback makes it by reflection, so it is public.
 */
public final class LogbackStatusToStderr implements StatusListener {
    /** Where the lines go: stderr as it was before logback started (which silences {@code System.err} meanwhile). */
    private static volatile PrintStream target;

    /** The listener logback instantiates. */
    public LogbackStatusToStderr() {
    }

    /**
     * Sends the lines to {@code err} rather than to {@code System.err} as it is when logback reports.
     *
     * @param err the standard error stream
     */
    static void writeTo(PrintStream err) {
        target = err;
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN) {
            return;
        }
        Throwable cause = status.getThrowable();
        PrintStream err = target != null ? target : System.err;
        err.println("digits: logback " + (status.getEffectiveLevel() == Status.ERROR ? "error" : "warning")
                + ": " + status.getMessage() + (cause == null ? "" : " (" + cause + ")"));
    }
}
