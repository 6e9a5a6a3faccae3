package dev.nnj.plots;

import dev.nnj.api.metrics.RocCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A binary classifier's ROC curve ({@link RocCurve}): the true-positive rate against the false-positive rate as the
 * threshold falls, with the diagonal a classifier that guesses would draw, and the area under the curve in the
 * title, as scikit-learn's {@code RocCurveDisplay} shows it. Where accuracy hides a minority class (1 % positives are
 * 99 % accuracy for a model that never predicts one), the curve shows how well the scores rank it.
 */
public final class RocCurveChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    private static final Color DIAGONAL = new Color(150, 150, 150);

    private RocCurveChart() {
    }

    /**
     * Writes the chart as a {@value #SIZE}x{@value #SIZE} PNG: square, so that the diagonal is one.
     *
     * @param curve the curve
     * @param title the chart's title, e.g. {@code "ROC curve, test set"}; the area is added to it
     * @param file  the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void write(RocCurve curve, String title, Path file) throws IOException {
        PngFiles.write(chart(curve, title), SIZE, SIZE, file);
    }

    /** Width and height of the written PNG, in pixels. */
    public static final int SIZE = 640;

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere.
     *
     * @param curve the curve
     * @param title the chart's title; the area is added to it
     * @return the chart
     */
    public static JFreeChart chart(RocCurve curve, String title) {
        Objects.requireNonNull(curve, "curve");
        PngFiles.headless();
        double[] fpr = curve.falsePositiveRates();
        double[] tpr = curve.truePositiveRates();
        XYSeries roc = new XYSeries("the model's scores", false, true);
        for (int k = 0; k < fpr.length; k++) {
            roc.add(fpr[k], tpr[k]);
        }
        XYSeries chance = new XYSeries("chance", false, true);
        chance.add(0, 0);
        chance.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(roc);
        data.addSeries(chance);

        NumberAxis[] axes = TrainingCharts.rateAxes("false-positive rate (negatives scored at or above the threshold)",
                "true-positive rate (recall of the positives)");
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, TrainingCharts.TRAINING);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        renderer.setSeriesPaint(1, DIAGONAL);
        renderer.setSeriesStroke(1, TrainingCharts.DASHED);
        XYPlot plot = TrainingCharts.whiteGrid(new XYPlot(data, axes[0], axes[1], renderer));
        return TrainingCharts.titled(Objects.requireNonNull(title, "title")
                + String.format(Locale.ROOT, " (AUC %.4f)", curve.area()), plot);
    }
}
