package dev.nnj.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Lets each of the library's warnings through once per run, however many times a run trains.
 *
 * <p>{@code --cv 5} and {@code --seeds 0-9} train five or ten networks, and the library checks each training set
 * afresh: a feature far from unit scale was named once per fold, with the fold's own mean and spread, the same
 * advice five times between the folds' results. Two warnings that differ only in their figures count as one
 * here (the digits of each number are read as one "#"), as Python's {@code warnings} module shows a warning once
 * per place by default; the first one, with its figures, is the one shown. Warnings with other words (another
 * file, the validation set rather than the training set) are new and shown.
 *
 * <p>Only WARN and above from the library's loggers ({@code dev.nnj}) are counted; INFO lines, which say what
 * each fold is doing, all pass. At most {@value #REMEMBERED} distinct warnings are remembered; beyond that every
 * new one passes, repeated or not, rather than the memory growing with a long run.
 */
public final class RepeatedWarnings extends TurboFilter {
    /** Distinct warnings remembered, at most. */
    static final int REMEMBERED = 1_000;
    /** A number as the library writes one: digits with an optional point, exponent or sign. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

    /** The scaler's logger, whose float32 warning a run words itself for its targets. */
    private static final String SCALER_LOGGER = "dev.nnj.api.data.ColumnScaler";
    /** Set on the thread fitting a regression's target scaler ({@link #targetScalerFit}). */
    private static final ThreadLocal<Boolean> FITTING_TARGETS = ThreadLocal.withInitial(() -> false);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** A filter that has seen no warning yet (logback makes one from digits-logback.xml). */
    public RepeatedWarnings() {
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        // Level and logger first: a disabled DEBUG call reaches every turbo filter, and must stay cheap.
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null
                || !logger.getName().startsWith("dev.nnj")) {
            return FilterReply.NEUTRAL;
        }
        if (FITTING_TARGETS.get() && logger.getName().equals(SCALER_LOGGER)) {
            return FilterReply.DENY;
        }
        String message = MessageFormatter.arrayFormat(format, params).getMessage();
        String key = logger.getName() + ' ' + NUMBER.matcher(message).replaceAll("#");
        if (seen.size() >= REMEMBERED) {
            return FilterReply.NEUTRAL;
        }
        return seen.add(key) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /**
     * Fits a regression's target scaler without the scaler's own float32 warning, which the run gives itself naming
     * the target ({@link RegressionTargets#warnings}). The scaler's says "column 0", which reads as the first feature,
     * and it counts as a repeat of a feature's warning of the same words: the target's was then dropped, or the
     * feature's taken for it.
     */
    static <T> T targetScalerFit(java.util.function.Supplier<T> fit) {
        FITTING_TARGETS.set(true);
        try {
            return fit.get();
        } finally {
            FITTING_TARGETS.remove();
        }
    }
}
