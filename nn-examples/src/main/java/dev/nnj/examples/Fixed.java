package dev.nnj.examples;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures as Python and scikit-learn print them: {@code format(x, '.4f')} and {@code '.4e'} round the double's exact
 * binary value half to even, as {@code ClassificationReport} does. Java's {@code %.4f} rounds the double's shortest
 * decimal half up instead, so an accuracy of 3477/4000 (the double just below 0.86925) was 0.8693 on the result line
 * and 0.8692 in the report under it.
 */
final class Fixed {
    /** A format specifier without an argument index (the trainer's lines use none): flags, width, precision. */
    private static final Pattern SPECIFIER = Pattern.compile("%([-#+ 0,(]*)(\\d*)(?:\\.(\\d+))?([a-zA-Z%])");

    private Fixed() {
    }

    /**
     * {@link String#format} in {@link Locale#ROOT}, with every {@code %.Nf} and {@code %.Ne} of a number (a width
     * and the {@code -} flag allowed) rounded as Python rounds it, so that a line of many figures needs no conversion
     * at each: {@code format("loss %.4f  acc %.4f", loss, acc)}. Other conversions are Java's own.
     *
     * @param format a format string; its conversions take an argument each, in order, as Java's do
     * @param args   the arguments
     * @return the formatted text
     */
    static String format(String format, Object... args) {
        Object[] shown = args.clone();
        StringBuilder javaFormat = new StringBuilder();
        Matcher m = SPECIFIER.matcher(format);
        int arg = 0;
        while (m.find()) {
            String conversion = m.group();
            String flags = m.group(1);
            String kind = m.group(4);
            boolean figure = (kind.equals("f") || kind.equals("e")) && m.group(3) != null
                    && (flags.isEmpty() || flags.equals("-"));
            if (figure && arg < shown.length && shown[arg] instanceof Number n) {
                int digits = Integer.parseInt(m.group(3));
                double x = n.doubleValue();
                shown[arg] = kind.equals("f") ? fixed(x, digits) : scientific(x, digits);
                conversion = "%" + flags + m.group(2) + "s";   // the width and alignment as they were
            }
            if (!kind.equals("%") && !kind.equals("n")) {
                arg++;
            }
            m.appendReplacement(javaFormat, Matcher.quoteReplacement(conversion));
        }
        m.appendTail(javaFormat);
        return String.format(Locale.ROOT, javaFormat.toString(), shown);
    }

    /**
     * {@code x} with four decimals, rounded as Python rounds it.
     *
     * @param x the figure
     * @return for example {@code "0.8692"}; {@code "NaN"} or {@code "Infinity"} as Java writes them
     */
    static String four(double x) {
        return fixed(x, 4);
    }

    /** Python's {@code format(x, '.Nf')}: the exact value rounded half to even, a negative zero's sign kept. */
    private static String fixed(double x, int digits) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return signed(x, new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString());
    }

    /** Python's {@code format(x, '.Ne')}: {@code N + 1} significant digits, half to even, Java's exponent form. */
    private static String scientific(double x, int digits) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
        return signed(x, String.format(Locale.ROOT, "%." + digits + "e", rounded));   // exact now: no more rounding
    }

    /** {@code text} with the minus sign of a negative {@code x} that rounded to zero (a decimal zero has none). */
    private static String signed(double x, String text) {
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        return negative && !text.startsWith("-") ? "-" + text : text;
    }
}
