package dev.nnj.plots;

import dev.nnj.api.metrics.RegressionReport;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * The rows a regression chart draws: the caller's predicted and actual values, checked (same length, at least two
 * rows, all finite), their {@link RegressionReport} over every row, and the rows drawn, a fixed random sample of at
 * most {@link #MAX_DRAWN} when there are more. The figures always cover every row; only the drawing is thinned.
 */
final class RegressionPoints {
    /**
     * Most points drawn. Past some thousands more points only darken the cloud further (the markers are
     * semi-transparent), while each one costs drawing time: 20,000 take about a quarter of a second to draw.
     */
    static final int MAX_DRAWN = 20_000;

    /** The sample's seed: the same rows give the same picture on every run and every machine. */
    private static final long SEED = 42;

    private final float[] predicted;
    private final float[] actual;
    private final RegressionReport report;
    private final int[] drawn;

    private RegressionPoints(float[] predicted, float[] actual, RegressionReport report, int[] drawn) {
        this.predicted = predicted;
        this.actual = actual;
        this.report = report;
        this.drawn = drawn;
    }

    /**
     * Checks the values and measures them.
     *
     * @param chart     the chart's name, to start every refusal with
     * @param predicted one prediction per row
     * @param actual    one true value per row
     * @return the points
     * @throws IllegalArgumentException if the lengths differ, there are fewer than 2 rows, or a value is NaN or
     *         infinite (named by its row)
     */
    static RegressionPoints of(String chart, float[] predicted, float[] actual) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(actual, "actual");
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(chart + ": " + predicted.length + " predicted values but "
                    + actual.length + " actual values; give one of each per row");
        }
        if (predicted.length < 2) {
            throw new IllegalArgumentException(chart + ": " + predicted.length + " row" + (predicted.length == 1
                    ? "" : "s") + "; the chart needs at least 2 (R² is not defined for fewer)");
        }
        requireFinite(chart, "predicted", predicted);
        requireFinite(chart, "actual", actual);
        RegressionReport report = RegressionReport.of(predicted, actual, 1);
        return new RegressionPoints(predicted, actual, report, sample(predicted.length, MAX_DRAWN));
    }

    /** Refuses a NaN or an infinity, naming the array, the row and the value. */
    private static void requireFinite(String chart, String which, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(chart + ": the " + which + " value of row " + i + " is "
                        + values[i] + "; every value must be a finite number");
            }
        }
    }

    /**
     * {@code k} of the rows {@code 0 .. n-1} in increasing order, each set of {@code k} as likely as another (Knuth's
     * selection sampling), from a fixed seed; all rows when {@code n <= k}. Random rather than every m-th row, so
     * that rows stored in a periodic order (sorted by a date, grouped by a category) are not sampled in step.
     */
    static int[] sample(int n, int k) {
        int size = Math.min(n, k);
        int[] rows = new int[size];
        if (n <= k) {
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
            return rows;
        }
        Random random = new Random(SEED);
        int taken = 0;
        for (int i = 0; i < n && taken < k; i++) {
            // Take row i with probability (still needed) / (still left): exactly k rows, uniformly.
            if (random.nextInt(n - i) < k - taken) {
                rows[taken++] = i;
            }
        }
        return rows;
    }

    /** The figures over every row. */
    RegressionReport report() {
        return report;
    }

    /** The number of rows, drawn or not. */
    int rows() {
        return predicted.length;
    }

    /** The rows drawn, in increasing order. */
    int[] drawn() {
        return drawn;
    }

    /** Whether fewer rows are drawn than there are. */
    boolean sampled() {
        return drawn.length < predicted.length;
    }

    /** The prediction of row {@code i}. */
    double predicted(int i) {
        return predicted[i];
    }

    /** The true value of row {@code i}. */
    double actual(int i) {
        return actual[i];
    }

    /**
     * What the legend calls the points: "rows", or, thinned, how many of how many were drawn.
     *
     * @param what the rows' name, e.g. {@code "rows"}
     */
    String legendLabel(String what) {
        return sampled() ? String.format(Locale.ROOT, "%s (%d of %d drawn, a fixed sample)", what, drawn.length,
                rows()) : what;
    }

    /**
     * The points' colour, more transparent the more there are: a few hundred are nearly solid, tens of thousands
     * faint enough that the dense band shows darker than the stragglers rather than as one blot.
     */
    java.awt.Color colour() {
        double alpha = Math.max(0.15, Math.min(0.85, Math.sqrt(300.0 / drawn.length)));
        java.awt.Color c = TrainingCharts.TRAINING;
        return new java.awt.Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(alpha * 255));
    }

    /** The points' diameter in pixels: smaller when there are many, so that they overlap less. */
    double markerSize() {
        return drawn.length <= 2_000 ? 6 : 4;
    }
}
