package dev.nnj.api.data;

/**
 * Reads a decimal number from a slice of characters exactly as {@link Float#parseFloat} would, without making
 * a string, for the numbers data files are made of ({@code 16}, {@code -0.25}, {@code 0.0313725490196078},
 * {@code 1.5e-3}); anything else is left to {@code parseFloat} and its errors.
 *
 * <p>The text {@code [+-] digits [. digits] [(e|E) [+-] digits]} is an integer mantissa {@code m} (at most 18
 * significant digits, the point left out) times {@code 10^k}, {@code |k| ≤ 44}. With {@code m ≤ 2^53} and
 * {@code |k| ≤ 22} both are exact doubles, and one multiplication or division gives {@code d}, the double
 * nearest the decimal value x (Clinger's fast path). Rounding {@code d} to a float gives the float nearest x
 * unless {@code d} lies exactly halfway between two floats: every such midpoint is itself a double, so x and d
 * lie on the same side of it whenever d is not on it. A longer mantissa (the 17 digits Python writes) or a
 * larger power (two steps of at most 10^22) adds a rounding or two, so d may be up to three of its ulps from x:
 * the float is still x's unless a midpoint lies within eight ulps of d, a chance of about one in 2^25. Those
 * cases, and results that overflow or fall below the normal floats, go to {@code parseFloat}.
 */
final class DecimalText {
    /** What {@link #parse} returns for text it leaves to {@code Float.parseFloat}. */
    static final float NOT_FAST = Float.NaN;

    /** Digits of the mantissa, leading zeros included, that a long holds without overflow. */
    private static final int MAX_DIGITS = 18;
    /** Every integer up to 2^53 is an exact double. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** The largest power of ten that is an exact double. */
    private static final int MAX_EXACT_POWER = 22;
    /**
     * How near (in ulps of the double) an inexact path's double may come to a midpoint between floats before the
     * text goes to parseFloat: more than twice the three ulps its roundings can be off by.
     */
    private static final int INEXACT_MARGIN_ULPS = 8;
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
        // The mantissa's digits, point left out. Leading zeros carry no value and are not counted: up to 18
        // significant digits fit a long, more are left to parseFloat.
        long mantissa = 0;
        int integerFrom = i;
        while (i < to && text[i] == '0') {
            i++;
        }
        int significantFrom = i;
        for (; i < to; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            mantissa = mantissa * 10 + d;
        }
        int digits = i - significantFrom;
        boolean anyDigit = i > integerFrom;
        int exponent = 0;       // the power of ten of the mantissa's last digit
        if (i < to && text[i] == '.') {
            int fractionFrom = ++i;
            if (digits == 0) {
                while (i < to && text[i] == '0') {
                    i++;        // 0.00123: zeros after the point only scale the value
                }
            }
            int fractionDigitsFrom = i;
            for (; i < to; i++) {
                int d = text[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                mantissa = mantissa * 10 + d;
            }
            exponent = fractionFrom - i;
            digits += i - fractionDigitsFrom;
            anyDigit |= i > fractionFrom;
        }
        if (!anyDigit || digits > MAX_DIGITS) {
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
        if (exponent < -2 * MAX_EXACT_POWER || exponent > 2 * MAX_EXACT_POWER) {
            return NOT_FAST;
        }
        double d;
        if (exponent > MAX_EXACT_POWER) {
            d = mantissa * POWERS_OF_TEN[MAX_EXACT_POWER] * POWERS_OF_TEN[exponent - MAX_EXACT_POWER];
        } else if (exponent < -MAX_EXACT_POWER) {
            d = mantissa / POWERS_OF_TEN[MAX_EXACT_POWER] / POWERS_OF_TEN[-exponent - MAX_EXACT_POWER];
        } else {
            d = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
        }
        float f = (float) d;
        if (f != d) {
            if (Float.isInfinite(f) || f < Float.MIN_NORMAL) {
                return NOT_FAST;
            }
            if (mantissa <= MAX_EXACT_MANTISSA && Math.abs(exponent) <= MAX_EXACT_POWER) {
                // d is the double nearest x: only a midpoint between two floats leaves the side of x unknown.
                float neighbour = d > f ? Math.nextUp(f) : Math.nextDown(f);
                if (d == ((double) f + neighbour) / 2) {
                    return NOT_FAST;
                }
            } else {
                // The 16 to 18 digits Python and pandas write, or a power of ten beyond 10^22: the mantissa or
                // a second step was rounded too, so d is within about three of its ulps of x. f is x's float
                // unless a midpoint between floats lies that close to d.
                double below = ((double) f + Math.nextDown(f)) / 2;
                double above = ((double) f + Math.nextUp(f)) / 2;
                double margin = INEXACT_MARGIN_ULPS * Math.ulp(d);
                if (d - below <= margin || above - d <= margin) {
                    return NOT_FAST;
                }
            }
        }
        return negative ? -f : f;
    }
}
