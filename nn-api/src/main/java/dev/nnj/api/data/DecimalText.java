package dev.nnj.api.data;

/**
 * Reads a decimal number from a slice of characters exactly as {@link Float#parseFloat} would, without making
 * a string, for the numbers data files are made of ({@code 16}, {@code -0.25}, {@code 0.0313725490196078},
 * {@code 1.5e-3}); anything else is left to {@code parseFloat} and its errors.
 *
 * <p>The text {@code [+-] digits [. digits] [(e|E) [+-] digits]} is an integer mantissa {@code m} (at most 18
 * digits, the point left out) times {@code 10^k}. With {@code m ≤ 2^53} and {@code |k| ≤ 22} both are exact doubles,
 * so one multiplication or division gives {@code d}, the double nearest the decimal value x (Clinger's fast
 * path). Rounding {@code d} to a float gives the float nearest x unless {@code d} lies exactly halfway between
 * two floats: every such midpoint is itself a double, so x and d lie on the same side of it whenever d is
 * not on it. That one case, and results that overflow or fall below the normal floats, go to
 * {@code parseFloat}.
 */
final class DecimalText {
    /** What {@link #parse} returns for text it leaves to {@code Float.parseFloat}. */
    static final float NOT_FAST = Float.NaN;

    /** Digits of the mantissa, leading zeros included, that a long holds without overflow. */
    private static final int MAX_DIGITS = 18;
    /** Every integer up to 2^53 is an exact double; a larger mantissa is left to parseFloat. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final int MAX_EXPONENT_DIGITS = 4;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    private DecimalText() {
    }

    /** {@link #parse(char[], int, int)} of a whole string. */
    static float parse(String text) {
        return parse(text.toCharArray(), 0, text.length());
    }

    /**
     * @return the float {@code Float.parseFloat} gives for {@code text[from, to)}, or {@link #NOT_FAST} (NaN)
     *         when the text is not a plain decimal this method reads exactly (it may still be a number:
     *         {@code NaN}, {@code 1e999}, a mantissa beyond 2^53, or not one at all)
     */
    static float parse(char[] text, int from, int to) {
        int i = from;
        if (i == to) {
            return NOT_FAST;
        }
        boolean negative = text[i] == '-';
        if (negative || text[i] == '+') {
            i++;
        }
        // The mantissa's digits, point left out: up to 18 fit a long; more are left to parseFloat unread.
        long mantissa = 0;
        int digitsFrom = i;
        for (; i < to; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            mantissa = mantissa * 10 + d;
        }
        int digits = i - digitsFrom;
        int exponent = 0;       // the power of ten of the mantissa's last digit
        if (i < to && text[i] == '.') {
            int fractionFrom = ++i;
            for (; i < to; i++) {
                int d = text[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                mantissa = mantissa * 10 + d;
            }
            exponent = fractionFrom - i;
            digits += i - fractionFrom;
        }
        if (digits == 0 || digits > MAX_DIGITS) {
            return NOT_FAST;    // no digit at all, or a mantissa that may have overflowed
        }
        if (i < to && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = i < to && text[i] == '-';
            if (i < to && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            int value = 0;
            int count = 0;
            for (; i < to; i++) {
                int d = text[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (++count > MAX_EXPONENT_DIGITS) {
                    return NOT_FAST;
                }
                value = value * 10 + d;
            }
            if (count == 0) {
                return NOT_FAST;
            }
            exponent += negativeExponent ? -value : value;
        }
        if (i != to) {
            return NOT_FAST;    // a suffix (1f), hex, a second point, text
        }
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        if (mantissa > MAX_EXACT_MANTISSA || exponent < -22 || exponent > 22) {
            return NOT_FAST;
        }
        double nearest = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
        float f = (float) nearest;
        if (f != nearest) {
            if (Float.isInfinite(f) || f < Float.MIN_NORMAL) {
                return NOT_FAST;
            }
            float neighbour = nearest > f ? Math.nextUp(f) : Math.nextDown(f);
            if (nearest == ((double) f + neighbour) / 2) {
                return NOT_FAST;   // on a midpoint: which float the decimal is nearer to, d cannot tell
            }
        }
        return negative ? -f : f;
    }
}
