package dev.nnj.api.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * A warning about the caller's data logged at WARN the first time a process gives it, and at DEBUG after that.
 *
 * <p>A hyperparameter search fits hundreds of models on the same data, and the data's warnings ("feature column 3
 * has mean 4.986e+05 ...") came once per fit, each with its fold's own figures, so that no log deduplicator merged
 * them: 500 lines of the same advice. Two warnings that differ only in figures of the same size count as one here
 * ({@link #key}), as Python's {@code warnings} module shows a warning once per place by default; another column, or
 * figures of another size (most often another data set), make another warning. At most {@value #REMEMBERED}
 * distinct warnings are remembered; beyond that every one is logged at WARN.
 */
public final class WarnOnce {
    /** Distinct warnings remembered, at most. */
    static final int REMEMBERED = 1_000;
    /**
     * A number as nnj's messages write one (digits with an optional point, exponent or sign), not inside a word
     * ({@code float32}), and whether a column's name precedes it ({@code column 3}: an index, kept as it is).
     */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])(column |columns )?([-+]?\\d+(?:\\.\\d+)?"
            + "(?:[eE][-+]?\\d+)?)");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private WarnOnce() {
    }

    /**
     * What makes two warnings one: the words, each column index as it is, and each other figure's sign and power
     * of ten. A fold's mean of 4.986e+05 and the next fold's 4.989e+05 are one warning; another data set's column,
     * or a mean a thousand times larger, is another.
     */
    static String key(String message) {
        Matcher m = NUMBER.matcher(message);
        StringBuilder key = new StringBuilder();
        while (m.find()) {
            String figure = m.group(2);
            String kept = m.group(1) != null ? m.group(1) + figure : magnitude(figure);
            m.appendReplacement(key, Matcher.quoteReplacement(kept));
        }
        return m.appendTail(key).toString();
    }

    /** A figure's sign and power of ten: {@code 8811} is {@code 1e3}, {@code -2.5e6} is {@code -1e6}. */
    private static String magnitude(String figure) {
        double v = Double.parseDouble(figure);
        if (v == 0 || !Double.isFinite(v)) {
            return figure;
        }
        return (v < 0 ? "-" : "") + "1e" + (int) Math.floor(Math.log10(Math.abs(v)));
    }

    /**
     * Logs {@code message} at WARN the first time, at DEBUG when the same words (other figures) came before.
     *
     * @param log     the logger
     * @param message the warning
     */
    public static void warn(Logger log, String message) {
        String key = log.getName() + ' ' + key(message);
        if (SEEN.size() >= REMEMBERED || SEEN.add(key)) {
            log.warn(message);
        } else {
            log.debug("{} (said before in this process, with other figures)", message);
        }
    }
}
