package dev.nnj.api.metrics;

/**
 * How many columns a string fills on a terminal in a monospaced font, so that a text table of class names lines up:
 * East Asian wide and fullwidth characters (CJK ideographs, Hangul, kana, most emoji) take two, combining marks and
 * invisible format characters none, every other character one. The ranges are Markus Kuhn's {@code wcwidth}'s,
 * widened to the emoji blocks terminals now draw two columns wide.
 *
 * An emoji followed by the variation selector VS16 takes two; emoji joined by the zero-width joiner (a family, a
 * flag of several) count as the first alone.
 *
 * <p>{@code String.length()} counts UTF-16 units instead: an emoji is two of them and one or two columns, an
 * ideograph one unit and two columns, {@code "é"} written as {@code e} plus a combining accent two units and one
 * column.
 */
final class TerminalWidth {
    /** Code point ranges {first, last} drawn two columns wide, in order. */
    private static final int[][] WIDE = {
            {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
            {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
            {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
            {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
            {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
            {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
            {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
            {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
            {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
            {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
            {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
            {0x1F200, 0x1F2FF}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
            {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
            {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
            {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
            {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5},
            {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6EB, 0x1F6EC},
            {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
            {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };

    private TerminalWidth() {
    }

    /**
     * The columns {@code s} fills on a terminal.
     *
     * @param s the text, one line
     * @return its width: 2 per wide character, 0 per combining mark or format character, 1 per other character
     */
    static int of(String s) {
        int width = 0;
        int last = 0;   // the columns of the last character drawn, which a selector may widen
        boolean joined = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0xFE0F && last == 1) {
                width++;   // emoji presentation: "❤" with VS16 is drawn two columns wide
                last = 2;
            } else if (joined) {
                joined = false;   // joined to the emoji before the zero-width joiner: drawn as one
            } else {
                last = columns(cp);
                width += last;
            }
            joined = cp == 0x200D;
        }
        return width;
    }

    private static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || cp == 0x200B || (cp >= 0x1160 && cp <= 0x11FF)) {
            return 0; // combining accents, zero-width joiners and spaces, Hangul's medial and final jamo
        }
        return isWide(cp) ? 2 : 1;
    }

    private static boolean isWide(int cp) {
        int lo = 0;
        int hi = WIDE.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < WIDE[mid][0]) {
                hi = mid - 1;
            } else if (cp > WIDE[mid][1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
