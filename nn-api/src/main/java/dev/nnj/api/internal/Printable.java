package dev.nnj.api.internal;

import java.util.Locale;

/**
 * Internal, not API: text from a file (a value, a class name, a column name) as a message or a terminal shows it,
 * one line of plain text. Control characters (C0, DEL, C1) and the bidirectional embeddings, overrides and isolates
 * are escaped (a line break as backslash-n, ESC as backslash-u001B), so that a hand-made file cannot print as lines,
 * colours, a cleared screen or reversed text of the program's own (a class name of {@code ESC[2J} cleared the
 * terminal).
 */
public final class Printable {
    private Printable() {
    }

    /**
     * {@code text} with every {@link #unsafe} character escaped; the same string when it has none.
     *
     * @param text any text
     * @return one line of plain text
     */
    public static String of(String text) {
        if (text.codePoints().noneMatch(Printable::unsafe)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!unsafe(c)) {
                sb.appendCodePoint(c);
            } else {
                sb.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                        : String.format(Locale.ROOT, "\\u%04X", c));
            }
        });
        return sb.toString();
    }

    /**
     * Whether a code point would act on a terminal rather than show: a control character or a bidirectional
     * control.
     *
     * @param c a code point
     * @return true for C0, DEL, C1 and U+202A-U+202E, U+2066-U+2069
     */
    public static boolean unsafe(int c) {
        return Character.isISOControl(c) || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }
}
