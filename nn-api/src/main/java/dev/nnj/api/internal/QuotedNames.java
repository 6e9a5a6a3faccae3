package dev.nnj.api.internal;

import java.util.List;

/**
 * Internal, not API: names (columns, categories) as a refusal lists them, each in single quotes, comma-separated,
 * the first {@value #SHOWN} and then how many more: {@code 'x', 'color', 'y'}, or {@code 'c0', ..., 'c29' and 970
 * more}, so that a file of a thousand columns does not make a message of a thousand names.
 */
public final class QuotedNames {
    /** Names a message lists before it says how many more there are. */
    public static final int SHOWN = 30;

    private QuotedNames() {
    }

    /**
     * {@code names} listed.
     *
     * @param names the names, in the order to list them
     * @return {@code 'a', 'b'}, with {@code " and N more"} past {@value #SHOWN}
     */
    public static String of(List<String> names) {
        List<String> shown = names.subList(0, Math.min(names.size(), SHOWN));
        return "'" + String.join("', '", shown) + "'" + (names.size() > SHOWN ? " and " + (names.size() - SHOWN)
                + " more" : "");
    }
}
