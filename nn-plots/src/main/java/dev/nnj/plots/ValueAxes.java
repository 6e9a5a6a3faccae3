package dev.nnj.plots;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;

/**
 * Axes for values in the caller's units (a regression's target: prices, degrees, anything from 1e-6 to 1e9), with
 * a fixed range and a tick every 1, 2 or 5 times a power of ten, written alike in every locale.
 */
final class ValueAxes {
    /** The most ticks along an axis: enough to read a value off, few enough that long labels keep apart. */
    static final int MAX_TICKS = 7;

    /** A share of the span added at each end, so that the extreme points are drawn whole inside the frame. */
    static final double MARGIN = 0.04;

    private ValueAxes() {
    }

    /**
     * {@code [low, high]} widened by {@link #MARGIN} of its span at each end; a single value (every row alike) gets
     * 5 % of its size, or 1 for 0, either side, so that it is drawn in the middle of a real axis.
     *
     * @return {lower bound, upper bound}
     */
    static double[] padded(double low, double high) {
        double span = high - low;
        double margin = span > 0 ? span * MARGIN : low != 0 ? Math.abs(low) * 0.05 : 1;
        return new double[] {low - margin, high + margin};
    }

    /**
     * An axis over exactly {@code [low, high]}, in the line charts' fonts, with ticks of {@link #tickUnit}.
     *
     * @param label the axis's label
     * @return the axis
     */
    static NumberAxis axis(String label, double low, double high) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        axis.setRange(low, high);
        axis.setTickUnit(tickUnit(high - low, Math.max(Math.abs(low), Math.abs(high))));
        TrainingCharts.styleAxes(axis);
        return axis;
    }

    /**
     * The smallest step of 1, 2 or 5 times a power of ten giving at most {@link #MAX_TICKS} ticks over {@code span}:
     * the same step for the same span, so that two axes over one range are ticked alike (JFreeChart's own choice
     * differs across and down, by the labels' widths and heights). Written with the decimals the step needs
     * ({@code 0.05} reads {@code 0.90, 0.95}), and in powers of ten where plain digits would run long
     * ({@code 2.5E7}, not {@code 25000000}).
     *
     * @param span    the axis's length in its units, positive
     * @param largest the largest magnitude on the axis, to choose the notation by
     * @return the tick unit
     */
    static NumberTickUnit tickUnit(double span, double largest) {
        double size = Math.pow(10, Math.floor(Math.log10(span / MAX_TICKS)));
        for (int k = 0; span / size > MAX_TICKS; k++) {
            size *= k % 3 == 1 ? 2.5 : 2;   // 1, 2, 5, 10, 20, 50, ...
        }
        DecimalFormatSymbols root = DecimalFormatSymbols.getInstance(Locale.ROOT);
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(size) + 1e-9));
        String pattern = largest >= 1e7 || decimals > 6 ? "0.###E0" : decimals == 0 ? "0" : "0." + "0".repeat(decimals);
        return new NumberTickUnit(size, new DecimalFormat(pattern, root));
    }
}
