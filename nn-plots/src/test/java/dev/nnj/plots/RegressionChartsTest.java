package dev.nnj.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.metrics.RegressionReport;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression charts: predicted against actual values with the diagonal, and residuals against predictions with
 * the zero line. Figures in the titles are checked against scikit-learn's on the same five rows.
 */
class RegressionChartsTest {
    /** Five rows; scikit-learn's figures on them are below. */
    private static final float[] ACTUAL = {3, -0.5f, 2, 7, 4.2f};
    private static final float[] PREDICTED = {2.5f, 0, 2, 8, 4};
    /**
     * {@code r2_score(y, p)} and {@code np.sqrt(mean_squared_error(y, p))} of scikit-learn 1.2 on
     * {@code y = np.array([3, -0.5, 2, 7, 4.2], dtype=np.float32).astype(float)} and
     * {@code p = np.array([2.5, 0, 2, 8, 4], dtype=np.float32).astype(float)}.
     */
    private static final double SKLEARN_R2 = 0.9496600436695395;
    private static final double SKLEARN_RMSE = 0.554977463273256;

    @TempDir
    Path dir;

    @Test
    void predictedVsActualIsASquarePngWithRSquaredAndTheRowCountInItsTitle() throws IOException {
        Path file = dir.resolve("charts/predicted-vs-actual.png");
        PredictedVsActualChart.write(PREDICTED, ACTUAL, "price", "Predicted vs actual", file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(PredictedVsActualChart.SIZE, image.getWidth());
        assertEquals(PredictedVsActualChart.SIZE, image.getHeight());

        JFreeChart chart = PredictedVsActualChart.chart(PREDICTED, ACTUAL, "price", "Predicted vs actual");
        double r2 = RegressionReport.of(PREDICTED, ACTUAL, 1).r2();
        assertEquals(SKLEARN_R2, r2, 1e-9, "RegressionReport agrees with scikit-learn");
        assertEquals(String.format(Locale.ROOT, "Predicted vs actual (R² %.4f, 5 rows)", r2),
                chart.getTitle().getText());
        assertEquals("Predicted vs actual (R² 0.9497, 5 rows)", chart.getTitle().getText());
        XYPlot plot = chart.getXYPlot();
        assertEquals("actual price", plot.getDomainAxis().getLabel());
        assertEquals("predicted price", plot.getRangeAxis().getLabel());
        XYDataset rows = plot.getDataset(1);
        assertEquals(5, rows.getItemCount(0));
        assertEquals(-0.5, rows.getXValue(0, 1), 0, "x is the actual value");
        assertEquals(0.0, rows.getYValue(0, 1), 0, "y is the prediction");
        assertEquals("rows", plot.getFixedLegendItems().get(0).getLabel(), "all drawn: no sample mentioned");
    }

    @Test
    void bothAxesRunOverTheSameRangeWithTheSameTicks() {
        XYPlot plot = PredictedVsActualChart.chart(PREDICTED, ACTUAL, "y", "t").getXYPlot();
        NumberAxis across = (NumberAxis) plot.getDomainAxis();
        NumberAxis up = (NumberAxis) plot.getRangeAxis();
        // Values from -0.5 to 8, both arrays together, and 4 % of the span, 0.34, beyond each end.
        assertEquals(-0.84, across.getLowerBound(), 1e-9);
        assertEquals(8.34, across.getUpperBound(), 1e-9);
        assertEquals(across.getRange(), up.getRange());
        assertEquals(across.getTickUnit(), up.getTickUnit());
        assertEquals(2.0, across.getTickUnit().getSize(), 0, "at most 7 ticks over 9.18");
        // The diagonal runs corner to corner.
        XYDataset diagonal = plot.getDataset(0);
        assertEquals(-0.84, diagonal.getXValue(0, 0), 1e-9);
        assertEquals(8.34, diagonal.getYValue(0, 1), 1e-9);
    }

    @Test
    void theWrittenPlotAreaIsSquareSoTheDiagonalRunsAt45Degrees() {
        JFreeChart chart = PredictedVsActualChart.chart(PREDICTED, ACTUAL, "a long target name (units)", "t");
        Rectangle2D before = dataArea(chart, PredictedVsActualChart.SIZE, PredictedVsActualChart.SIZE);
        assertTrue(before.getHeight() < before.getWidth() - 10, "the title and legend take height: " + before);
        PredictedVsActualChart.squarePlotArea(chart, PredictedVsActualChart.SIZE, PredictedVsActualChart.SIZE);
        Rectangle2D after = dataArea(chart, PredictedVsActualChart.SIZE, PredictedVsActualChart.SIZE);
        assertEquals(after.getWidth(), after.getHeight(), 1.0, after.toString());
        assertEquals(before.getHeight(), after.getHeight(), 2.0, "narrowed, not shortened");
        assertTrue(chart.getXYPlot().getRenderer(1).isSeriesVisible(0), "the points are shown again");
    }

    @Test
    void aPointOffTheDiagonalIsDrawnInThePointsColour() {
        JFreeChart chart = PredictedVsActualChart.chart(PREDICTED, ACTUAL, "y", "t");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = chart.createBufferedImage(PredictedVsActualChart.SIZE, PredictedVsActualChart.SIZE,
                BufferedImage.TYPE_INT_RGB, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        // Row 1: actual -0.5, predicted 0, a few pixels above the line; five rows are drawn nearly solid.
        int x = (int) Math.round(plot.getDomainAxis().valueToJava2D(-0.5, area, plot.getDomainAxisEdge()));
        int y = (int) Math.round(plot.getRangeAxis().valueToJava2D(0, area, plot.getRangeAxisEdge()));
        int rgb = image.getRGB(x, y);
        int red = rgb >> 16 & 0xff;
        int blue = rgb & 0xff;
        assertTrue(blue > 150 && red < 120, "blue at the point: " + Integer.toHexString(rgb));
    }

    @Test
    void badInputIsRefusedNamingTheRowOrBothLengths() {
        Path file = dir.resolve("refused.png");
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> PredictedVsActualChart.write(new float[3], new float[2], "y", "t", file));
        assertEquals("PredictedVsActualChart: 3 predicted values but 2 actual values; give one of each per row",
                lengths.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> PredictedVsActualChart.chart(new float[1], new float[1], "y", "t"));
        assertEquals("PredictedVsActualChart: 1 row; the chart needs at least 2 (R² is not defined for fewer)",
                one.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResidualsChart.chart(new float[0],
                new float[0], "y", "t")).getMessage().startsWith("ResidualsChart: 0 rows;"));
        float[] nan = PREDICTED.clone();
        nan[2] = Float.NaN;
        assertEquals("PredictedVsActualChart: the predicted value of row 2 is NaN; every value must be a finite "
                + "number", assertThrows(IllegalArgumentException.class,
                        () -> PredictedVsActualChart.chart(nan, ACTUAL, "y", "t")).getMessage());
        float[] infinite = ACTUAL.clone();
        infinite[4] = Float.NEGATIVE_INFINITY;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResidualsChart.chart(PREDICTED, infinite,
                "y", "t")).getMessage().contains("the actual value of row 4 is -Infinity"));
        assertFalse(Files.exists(file), "nothing written");
    }

    @Test
    void theResidualsChartDrawsActualMinusPredictedAboutAZeroLine() throws IOException {
        Path file = dir.resolve("residuals.png");
        ResidualsChart.write(PREDICTED, ACTUAL, "price", "Residuals", file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(ResidualsChart.WIDTH, image.getWidth());
        assertEquals(ResidualsChart.HEIGHT, image.getHeight());

        JFreeChart chart = ResidualsChart.chart(PREDICTED, ACTUAL, "price", "Residuals");
        assertEquals(0.5549774, RegressionReport.of(PREDICTED, ACTUAL, 1).rootMeanSquaredError(), 1e-7);
        assertEquals(SKLEARN_RMSE, RegressionReport.of(PREDICTED, ACTUAL, 1).rootMeanSquaredError(), 1e-9);
        assertEquals("Residuals (RMSE 0.5550, 5 rows)", chart.getTitle().getText());
        XYPlot plot = chart.getXYPlot();
        XYDataset rows = plot.getDataset();
        assertEquals(8.0, rows.getXValue(0, 3), 0, "x is the prediction");
        assertEquals(-1.0, rows.getYValue(0, 3), 0, "y is actual 7 minus predicted 8");
        assertEquals(0.5, rows.getYValue(0, 0), 0, "3 - 2.5: under-predicted, above the line");
        // Symmetric about 0 over the largest residual, 1, and 4 % of the span 2 beyond.
        assertEquals(-1.08, plot.getRangeAxis().getLowerBound(), 1e-9);
        assertEquals(1.08, plot.getRangeAxis().getUpperBound(), 1e-9);
        assertEquals(1, plot.getRangeMarkers(org.jfree.chart.ui.Layer.BACKGROUND).size(), "the zero line, behind");
        assertEquals("residual: actual − predicted price", plot.getRangeAxis().getLabel());
    }

    /**
     * 100,000 rows: a fixed sample of 20,000 is drawn, the same on every call, the legend says so, and the title's
     * R² is over every row. Both charts draw in one to two seconds; the bound leaves room for a busy machine.
     */
    @Test
    void aHundredThousandRowsAreSampledAndDrawnQuickly() throws IOException {
        int n = 100_000;
        Random random = new Random(5);
        float[] actual = new float[n];
        float[] predicted = new float[n];
        for (int i = 0; i < n; i++) {
            actual[i] = (float) (10 + 3 * random.nextGaussian());
            predicted[i] = (float) (0.8 * actual[i] + 2 + random.nextGaussian());
        }
        long start = System.nanoTime();
        PredictedVsActualChart.write(predicted, actual, "y", "t", dir.resolve("big.png"));
        ResidualsChart.write(predicted, actual, "y", "t", dir.resolve("big-residuals.png"));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "two charts of %d rows drawn in %.2f s%n", n, seconds);
        assertTrue(seconds < 15, "drawn in " + seconds + " s");

        XYPlot plot = PredictedVsActualChart.chart(predicted, actual, "y", "t").getXYPlot();
        XYDataset rows = plot.getDataset(1);
        assertEquals(RegressionPoints.MAX_DRAWN, rows.getItemCount(0));
        assertEquals("rows (20000 of 100000 drawn, a fixed sample)", plot.getFixedLegendItems().get(0).getLabel());
        XYDataset again = PredictedVsActualChart.chart(predicted, actual, "y", "t").getXYPlot().getDataset(1);
        for (int k = 0; k < rows.getItemCount(0); k += 997) {
            assertEquals(rows.getXValue(0, k), again.getXValue(0, k), 0, "the same sample, item " + k);
        }
        JFreeChart chart = ResidualsChart.chart(predicted, actual, "y", "t");
        assertTrue(chart.getTitle().getText().endsWith(", 100000 rows)"), chart.getTitle().getText());
        String title = PredictedVsActualChart.chart(predicted, actual, "y", "t").getTitle().getText();
        assertEquals(String.format(Locale.ROOT, "t (R² %.4f, 100000 rows)", RegressionReport.of(predicted, actual,
                1).r2()), title);
    }

    @Test
    void theSampleIsExactlyKIncreasingRowsSpreadOverAll() {
        int[] rows = RegressionPoints.sample(100_000, 20_000);
        assertEquals(20_000, rows.length);
        int firstQuarter = 0;
        for (int k = 0; k < rows.length; k++) {
            assertTrue(k == 0 || rows[k] > rows[k - 1], "increasing and distinct at " + k);
            firstQuarter += rows[k] < 25_000 ? 1 : 0;
        }
        assertTrue(rows[rows.length - 1] >= 99_000, "reaches the end: " + rows[rows.length - 1]);
        assertEquals(5_000, firstQuarter, 150, "a quarter of the sample from the first quarter");
        assertArrayEquals(new int[] {0, 1, 2}, RegressionPoints.sample(3, 20_000), "few rows: all of them");
    }

    @Test
    void tickLabelsAreWrittenAlikeInEveryLocaleAtEveryScale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("-0.002", ValueAxes.tickUnit(0.0068, 0.006).valueToString(-0.002));
            assertEquals("250000", ValueAxes.tickUnit(6e5, 6e5).valueToString(250_000), "no grouping separator");
            assertEquals(100_000, ValueAxes.tickUnit(6e5, 6e5).getSize(), 0);
            assertEquals("2.5E7", ValueAxes.tickUnit(6e7, 6e7).valueToString(2.5e7), "powers of ten past 1e7");
            assertEquals(0.5, ValueAxes.tickUnit(3, 3).getSize(), 0, "1, 2, 5 steps: 0.5 for 3 over 7 ticks");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void theErrorInTheTitleHasFourDigitsInPlainNumbers() {
        assertEquals("90390", ResidualsChart.fourDigits(90_391.7));
        assertEquals("0.5550", ResidualsChart.fourDigits(SKLEARN_RMSE));
        assertEquals("0.0001235", ResidualsChart.fourDigits(1.2345e-4));
        assertEquals("0", ResidualsChart.fourDigits(0));
        assertEquals("1.235e+10", ResidualsChart.fourDigits(1.2345e10));
    }

    private static Rectangle2D dataArea(JFreeChart chart, int width, int height) {
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
        return info.getPlotInfo().getDataArea();
    }
}
