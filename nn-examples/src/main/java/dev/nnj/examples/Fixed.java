package dev.nnj.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures to four decimals as Python and scikit-learn print them: {@code format(x, '.4f')} rounds the double's exact
 * binary value half to even, as {@code ClassificationReport} does. Java's {@code %.4f} rounds the double's shortest
 * decimal half up instead, so an accuracy of 3477/4000 (the double just below 0.86925) was 0.8693 on the result line
 * and 0.8692 in the report under it.
 */
final class Fixed {
    /** A format specifier without an argument index (the trainer's lines use none): flags, width, precision. */
    private static final Pattern SPECIFIER = Pattern.compile("%[-#+ 0,(]*\\d*(\\.\\d+)?[a-zA-Z%]");

    private Fixed() {
    }

    /**
     * {@link String#format} in {@link Locale#ROOT}, with every {@code %.4f} rounded as {@link #four} rounds it, so
     * that a line of many figures needs no conversion at each: {@code format("loss %.4f  acc %.4f", loss, acc)}.
     * Other conversions are Java's own.
     *
     * @param format a format string; its {@code %.4f} conversions take a number each, in order, as Java's do
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
            if (conversion.equals("%.4f") && arg < shown.length && shown[arg] instanceof Number n) {
                shown[arg] = four(n.doubleValue());
                conversion = "%s";
            }
            if (!conversion.equals("%%") && !conversion.equals("%n")) {
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
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return new BigDecimal(x).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }
}
