package dev.nnj.plots;

import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * A regression's residuals, actual minus predicted, against the prediction, one point per row, with the dashed line
 * of zero error, as scikit-learn's {@code PredictionErrorDisplay(kind="residual_vs_predicted")} shows it; the root
 * mean squared error and the number of rows in the title.
 *
 * <p><b>Reading it.</b> A good model leaves a narrow band centred on the zero line, as wide at every prediction.
 * Points above the line are rows the model under-predicted, below it over-predicted. A band that slopes or bends
 * is structure the model missed; a funnel, wider at large predictions, errors that grow with the value (a log of the
 * target often helps); a band off zero, a bias. The predicted axis spans the predictions only: a model that predicts
 * about the mean shows as residuals spread as widely as the targets over a predicted axis that covers a small part of
 * that spread. The residual axis is symmetric about zero, so that a bias shows as a band off the middle.
 *
 * <p>Above {@value RegressionPoints#MAX_DRAWN} rows a fixed random sample of that many is drawn, as
 * {@link PredictedVsActualChart} does; the axes and the figures in the title cover every row.
 */
public final class ResidualsChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** Width of the written PNG, in pixels, as the line charts': a band reads best wide. */
    public static final int WIDTH = TrainingCharts.WIDTH;
    /** Height of the written PNG, in pixels. */
    public static final int HEIGHT = TrainingCharts.HEIGHT;

    private static final String NAME = "ResidualsChart";
    private static final Color ZERO = new Color(90, 90, 90);

    private ResidualsChart() {
    }

    /**
     * Writes the chart as a {@value #WIDTH}x{@value #HEIGHT} PNG.
     *
     * @param predicted the model's prediction for each row, in the target's units
     * @param actual    each row's true value, in the same order
     * @param target    what the values are, for the axis labels, e.g. {@code "price"}
     * @param title     the chart's title, e.g. {@code "Residuals, test set"}; the RMSE and the row count are added
     * @param file      the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than 2 rows, or hold a NaN or an
     *         infinity (named by its row)
     */
    public static void write(float[] predicted, float[] actual, String target, String title, Path file)
            throws IOException {
        PngFiles.write(chart(predicted, actual, target, title), WIDTH, HEIGHT, file);
    }

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere.
     *
     * @param predicted the model's prediction for each row, in the target's units
     * @param actual    each row's true value, in the same order
     * @param target    what the values are, for the axis labels, e.g. {@code "price"}
     * @param title     the chart's title; the RMSE and the row count are added to it
     * @return the chart
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than 2 rows, or hold a NaN or an
     *         infinity (named by its row)
     */
    public static JFreeChart chart(float[] predicted, float[] actual, String target, String title) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(title, "title");
        PngFiles.headless();
        RegressionPoints points = RegressionPoints.of(NAME, predicted, actual);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        double largest = 0;
        for (int i = 0; i < points.rows(); i++) {
            low = Math.min(low, points.predicted(i));
            high = Math.max(high, points.predicted(i));
            largest = Math.max(largest, Math.abs(residual(points, i)));
        }
        int[] drawn = points.drawn();
        double[][] xy = new double[2][drawn.length];
        for (int k = 0; k < drawn.length; k++) {
            xy[0][k] = points.predicted(drawn[k]);
            xy[1][k] = residual(points, drawn[k]);
        }
        DefaultXYDataset rows = new DefaultXYDataset();
        rows.addSeries("rows", xy);

        String what = target.isBlank() ? "value" : target.strip();
        double[] across = ValueAxes.padded(low, high);
        double[] up = ValueAxes.padded(-largest, largest);
        NumberAxis predictedAxis = ValueAxes.axis("predicted " + what, across[0], across[1]);
        NumberAxis residualAxis = ValueAxes.axis("residual: actual − predicted " + what, up[0], up[1]);
        XYPlot plot = TrainingCharts.whiteGrid(new XYPlot(rows, predictedAxis, residualAxis,
                ScatterRenderers.points(points)));
        // Behind the points, so that it hides none of them and shows through where they crowd.
        plot.addRangeMarker(new ValueMarker(0, ZERO, TrainingCharts.DASHED), Layer.BACKGROUND);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(ScatterRenderers.pointsLegend(points.legendLabel("rows")));
        legend.add(ScatterRenderers.referenceLegend("perfect prediction (residual 0)", ZERO));
        plot.setFixedLegendItems(legend);
        return TrainingCharts.titled(title + String.format(Locale.ROOT, " (RMSE %s, %d rows)",
                fourDigits(points.report().rootMeanSquaredError()), points.rows()), plot);
    }

    /**
     * Four significant digits, in plain digits across the sizes a target's error takes ({@code 0.5550},
     * {@code 90390}; {@code %.4g} wrote {@code 9.039e+04}), in powers of ten beyond them.
     */
    static String fourDigits(double value) {
        double size = Math.abs(value);
        if (value == 0) {
            return "0";   // perfect predictions: not "0.0"
        }
        if (size >= 1e-4 && size < 1e9) {
            return BigDecimal.valueOf(value).round(new MathContext(4)).toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", value);
    }

    /** Actual minus predicted, as scikit-learn's display: positive where the model predicted too little. */
    private static double residual(RegressionPoints points, int i) {
        return points.actual(i) - points.predicted(i);
    }
}
