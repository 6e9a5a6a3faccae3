package dev.nnj.api.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * A warning about the caller's data logged at WARN the first time a process gives it, and at DEBUG after that.
 *
 * <p>A hyperparameter search fits hundreds of models on the same data, and the data's warnings ("feature column 3
 * has mean 4.986e+05 ...") came once per fit, each with its fold's own figures, so that no log deduplicator merged
 * them: 500 lines of the same advice. Two warnings that differ only in their figures count as one here (the digits
 * of each number are read as one "#"), as Python's {@code warnings} module shows a warning once per place by
 * default. At most {@value #REMEMBERED} distinct warnings are remembered; beyond that every one is logged at WARN.
 */
public final class WarnOnce {
    /** Distinct warnings remembered, at most. */
    static final int REMEMBERED = 1_000;
    /** A number as nnj's messages write one: digits with an optional point, exponent or sign. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private WarnOnce() {
    }

    /**
     * Logs {@code message} at WARN the first time, at DEBUG when the same words (other figures) came before.
     *
     * @param log     the logger
     * @param message the warning
     */
    public static void warn(Logger log, String message) {
        String key = log.getName() + ' ' + NUMBER.matcher(message).replaceAll("#");
        if (SEEN.size() >= REMEMBERED || SEEN.add(key)) {
            log.warn(message);
        } else {
            log.debug("{} (said before in this process, with other figures)", message);
        }
    }
}
