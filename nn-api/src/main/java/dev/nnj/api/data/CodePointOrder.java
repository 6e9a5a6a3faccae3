package dev.nnj.api.data;

import java.util.Comparator;

/**
 * Text in the order numpy and scikit-learn sort it ({@code np.unique}, {@code LabelEncoder}, {@code OneHotEncoder}):
 * by Unicode code point. {@link String#compareTo} compares UTF-16 units instead, which puts a character beyond
 * U+FFFF (an emoji, a rare ideograph: a surrogate pair, D800-DFFF) before U+E000-U+FFFF (full-width forms, the
 * private use area): {@code "😀"} before {@code "～"}, where numpy has them the other way round. The orders agree on
 * every other pair of strings.
 */
final class CodePointOrder {
    /** Compares by code point, then by length. */
    static final Comparator<String> TEXT = CodePointOrder::compare;

    private CodePointOrder() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);   // equal code points take equal chars, so one index serves both
        }
        return Integer.compare(a.length(), b.length());
    }
}
