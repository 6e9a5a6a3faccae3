package dev.nnj.examples;

import dev.nnj.api.internal.Printable;
import java.util.Arrays;
import java.util.List;

/**
 * Names (columns, classes, categories) as the messages list them: each as it is unless it would blur into its
 * neighbours, and no more than ten before a count of the rest.
 */
final class NameLists {
    private NameLists() {
    }

    /**
     * The first ten names, then how many more: {@code a, b, …, j, … (5 more)}. A name that would not read as one in
     * such a list (a comma in it, a line break, spaces at its ends, nothing at all) is quoted, its breaks escaped.
     */
    static String abbreviate(String[] names) {
        return abbreviate(Arrays.asList(names));
    }

    /**
     * As {@link #abbreviate(String[])}.
     *
     * @param names the names, in order
     * @return the list as text
     */
    static String abbreviate(List<String> names) {
        int shown = Math.min(names.size(), 10);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(listed(names.get(i)));
        }
        return names.size() > shown ? sb + ", … (" + (names.size() - shown) + " more)" : sb.toString();
    }

    /** A name as a comma-separated list shows it: as it is, or quoted where it would blur into its neighbours. */
    static String listed(String name) {
        boolean plain = !name.isEmpty() && name.equals(name.strip()) && name.indexOf(',') < 0
                && name.codePoints().noneMatch(Printable::unsafe);
        return plain ? name : "'" + Printable.of(name) + "'";
    }
}
