package dev.nnj.plots;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * A regression's predictions against the true values, one point per row: the true value across, the prediction
 * up, and the dashed line {@code y = x} where a perfect prediction falls, with R² and the number of rows in the
 * title, as scikit-learn's {@code PredictionErrorDisplay(kind="actual_vs_predicted")} shows it.
 *
 * <p><b>Reading it.</b> A good model's points lie along the diagonal, the tighter the better. A model that learned
 * nothing and predicts about the mean draws a horizontal band: the same prediction whatever the truth. Points above
 * the line are over-predictions, below it under-predictions; a cloud flatter than the diagonal (too high on the left,
 * too low on the right) is a model that shrinks towards the mean, as a too strongly regularised one does, and a
 * bend away from the line at one end a relation the model did not capture there. Both axes run over the same range,
 * that of the true and the predicted values together with a small margin, and {@link #write} makes the plot
 * square, so that the diagonal runs at 45 degrees and a distance reads the same across and up.
 *
 * <p><b>Many rows.</b> The markers are small and semi-transparent, fainter the more there are, so that where rows
 * crowd shows darker. Above {@value RegressionPoints#MAX_DRAWN} rows a fixed random sample of that many is drawn
 * (the same rows on every run; the legend says how many of how many), which keeps a chart of a million rows as fast
 * as one of twenty thousand; R² and the row count in the title are over every row.
 */
public final class PredictedVsActualChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** Width and height of the written PNG, in pixels: square, as the ROC curve's. */
    public static final int SIZE = 640;

    private static final String NAME = "PredictedVsActualChart";
    private static final Color DIAGONAL = new Color(90, 90, 90);

    private PredictedVsActualChart() {
    }

    /**
     * Writes the chart as a {@value #SIZE}x{@value #SIZE} PNG, its plot area made square so that the diagonal runs
     * at 45 degrees.
     *
     * @param predicted the model's prediction for each row, in the target's units
     * @param actual    each row's true value, in the same order
     * @param target    what the values are, for the axis labels, e.g. {@code "price"}: the axes read
     *                  "actual price" and "predicted price"
     * @param title     the chart's title, e.g. {@code "Predicted vs actual, test set"}; R² and the row count are
     *                  added to it
     * @param file      the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than 2 rows, or hold a NaN or an
     *         infinity (named by its row)
     */
    public static void write(float[] predicted, float[] actual, String target, String title, Path file)
            throws IOException {
        write(chart(predicted, actual, target, title), file);
    }

    /**
     * Writes a chart {@link #chart} made, restyled or with a subtitle added, as {@link #write} writes its own:
     * {@value #SIZE}x{@value #SIZE}, the plot area made square so that the diagonal runs at 45 degrees.
     *
     * @param chart a chart of {@link #chart}
     * @param file  the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void write(JFreeChart chart, Path file) throws IOException {
        squarePlotArea(Objects.requireNonNull(chart, "chart"), SIZE, SIZE);
        PngFiles.write(chart, SIZE, SIZE, file);
    }

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere. Its plot area is square only when drawn as
     * {@link #write} draws it; drawn at another size, the diagonal runs at another angle.
     *
     * @param predicted the model's prediction for each row, in the target's units
     * @param actual    each row's true value, in the same order
     * @param target    what the values are, for the axis labels, e.g. {@code "price"}
     * @param title     the chart's title; R² and the row count are added to it
     * @return the chart
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than 2 rows, or hold a NaN or an
     *         infinity (named by its row)
     */
    public static JFreeChart chart(float[] predicted, float[] actual, String target, String title) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(title, "title");
        PngFiles.headless();
        RegressionPoints points = RegressionPoints.of(NAME, predicted, actual);
        int[] drawn = points.drawn();
        double[][] xy = new double[2][drawn.length];
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < drawn.length; k++) {
            xy[0][k] = points.actual(drawn[k]);
            xy[1][k] = points.predicted(drawn[k]);
        }
        // The range of every row, drawn or not: a sample must not cut off the extremes the full set reaches.
        for (int i = 0; i < points.rows(); i++) {
            low = Math.min(low, Math.min(points.actual(i), points.predicted(i)));
            high = Math.max(high, Math.max(points.actual(i), points.predicted(i)));
        }
        double[] range = ValueAxes.padded(low, high);

        DefaultXYDataset rows = new DefaultXYDataset();
        rows.addSeries("rows", xy);
        DefaultXYDataset diagonal = new DefaultXYDataset();
        diagonal.addSeries("y = x", new double[][] {{range[0], range[1]}, {range[0], range[1]}});

        String what = target.isBlank() ? "value" : target.strip();
        NumberAxis across = ValueAxes.axis("actual " + what, range[0], range[1]);
        NumberAxis up = ValueAxes.axis("predicted " + what, range[0], range[1]);
        XYPlot plot = TrainingCharts.whiteGrid(new XYPlot(diagonal, across, up, diagonalRenderer()));
        plot.setDataset(1, rows);
        plot.setRenderer(1, ScatterRenderers.points(points));
        // The line first, the points over it: it shows through the translucent points, and hides none of them.
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(ScatterRenderers.pointsLegend(points.legendLabel("rows")));
        legend.add(ScatterRenderers.referenceLegend("perfect prediction (y = x)", DIAGONAL));
        plot.setFixedLegendItems(legend);
        return TrainingCharts.titled(title + String.format(Locale.ROOT, " (R² %.4f, %d rows)",
                points.report().r2(), points.rows()), plot);
    }

    private static XYLineAndShapeRenderer diagonalRenderer() {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, DIAGONAL);
        renderer.setSeriesStroke(0, TrainingCharts.DASHED);
        return renderer;
    }

    /**
     * Widens the plot's insets on the longer side until its data area, drawn at {@code width x height}, is square:
     * the title and legend above and the axis labels beside take more room one way than the other, which would
     * tilt the diagonal off 45 degrees. Measured by drawing the chart without its points; a few rounds, since a
     * shorter axis may choose narrower tick labels.
     */
    static void squarePlotArea(JFreeChart chart, int width, int height) {
        XYPlot plot = chart.getXYPlot();
        BufferedImage scratch = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        plot.getRenderer(1).setSeriesVisible(0, false);
        try {
            for (int round = 0; round < 3; round++) {
                ChartRenderingInfo info = new ChartRenderingInfo();
                java.awt.Graphics2D g = scratch.createGraphics();
                try {
                    chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
                } finally {
                    g.dispose();
                }
                Rectangle2D area = info.getPlotInfo().getDataArea();
                double excess = area.getWidth() - area.getHeight();
                if (Math.abs(excess) < 0.5) {
                    return;
                }
                RectangleInsets in = plot.getInsets();
                plot.setInsets(excess > 0
                        ? new RectangleInsets(in.getTop(), in.getLeft() + excess / 2, in.getBottom(),
                                in.getRight() + excess / 2)
                        : new RectangleInsets(in.getTop() - excess / 2, in.getLeft(), in.getBottom() - excess / 2,
                                in.getRight()));
            }
        } finally {
            plot.getRenderer(1).setSeriesVisible(0, true);
        }
    }
}
