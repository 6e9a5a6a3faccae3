package dev.nnj.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds of a multi-seed run, in the order given: {@code 0-4}, {@code 1,3,7} or a mix such as
 * {@code 0-2,10}; at most {@value #MAX_SEEDS} seeds. The {@code digits --seeds} option and the benchmarks
 * parse their seed lists here.
 *
 * @param seeds the seeds, in order
 */
public record SeedList(long[] seeds) {
    /** The most seeds one list may name. */
    public static final int MAX_SEEDS = 1000;

    /**
     * Parses a seed list.
     *
     * @param text ranges and single seeds separated by commas, such as {@code 0-2,10}
     * @return the seeds, in order
     * @throws IllegalArgumentException quoting {@code text} if it is not a seed list, a range goes down, or it
     *         names more than {@value #MAX_SEEDS} seeds
     */
    public static SeedList parse(String text) {
        List<Long> seeds = new ArrayList<>();
        String bad = "'" + text + "' is not a seed list such as 0-4 or 1,3,7";
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            long from;
            long to;
            if (!p.matches("[+-]?[0-9]+(\\s*-\\s*[+-]?[0-9]+)?")) {
                // ASCII digits only: Long.parseLong also reads other scripts' digits ('٣' as 3), as --seed does not.
                throw new IllegalArgumentException(bad);
            }
            try {
                int dash = p.indexOf('-', 1);   // from 1: a leading '-' is a sign
                from = Long.parseLong(dash < 0 ? p : p.substring(0, dash).trim());
                to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(bad, e);
            }
            String outside = Converters.outsideSeedRange(from, Long.toString(from));
            outside = outside != null ? outside : Converters.outsideSeedRange(to, Long.toString(to));
            if (outside != null) {
                throw new IllegalArgumentException(outside);
            }
            if (to < from) {
                throw new IllegalArgumentException(bad + " (ranges go up: " + to + "-" + from + ")");
            }
            if (seeds.size() + (to - from + 1) > MAX_SEEDS) {
                // Counted with what came before: '0-999,5' is 1001 seeds too. (Seeds are within 48 bits: no overflow.)
                throw new IllegalArgumentException("'" + text + "' lists at least " + (seeds.size() + (to - from + 1))
                        + " seeds; " + MAX_SEEDS + " at most");
            }
            for (long s = from; s <= to; s++) {
                seeds.add(s);   // a seed may repeat: 0,0,0 trains the same run three times in one JVM, warm
            }
        }
        long[] out = new long[seeds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = seeds.get(i);
        }
        return new SeedList(out);
    }
}
