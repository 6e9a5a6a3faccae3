package dev.nnj.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Figures to four decimals as Python and scikit-learn print them: {@code format(x, '.4f')} rounds the double's exact
 * binary value half to even, as {@code ClassificationReport} does. Java's {@code %.4f} rounds the double's shortest
 * decimal half up instead, so an accuracy of 3477/4000 (the double just below 0.86925) was 0.8693 on the result line
 * and 0.8692 in the report under it.
 */
final class Fixed {
    private Fixed() {
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
