package dev.nnj.plots;

import dev.nnj.api.metrics.PrecisionRecallCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A binary classifier's precision-recall curve ({@link PrecisionRecallCurve}): precision against recall as the
 * threshold falls, drawn in steps so that the area under it is the average precision in the title, as
 * scikit-learn's {@code PrecisionRecallDisplay} draws it ({@code drawstyle="steps-post"}), with the flat line a
 * classifier that guesses would draw at the positives' share. On imbalanced data, where the ROC curve of a fair
 * model hugs the top left, this one shows what each positive found costs in false alarms.
 */
public final class PrecisionRecallChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    private static final Color CHANCE = new Color(150, 150, 150);

    private PrecisionRecallChart() {
    }

    /** Width and height of the written PNG, in pixels, as the ROC curve's. */
    public static final int SIZE = RocCurveChart.SIZE;

    /**
     * Writes the chart as a {@value #SIZE}x{@value #SIZE} PNG.
     *
     * @param curve the curve
     * @param title the chart's title, e.g. {@code "Precision-recall curve, test set"}; the average precision is
     *              added to it
     * @param file  the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void write(PrecisionRecallCurve curve, String title, Path file) throws IOException {
        PngFiles.write(chart(curve, title), SIZE, SIZE, file);
    }

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere.
     *
     * @param curve the curve
     * @param title the chart's title; the average precision is added to it
     * @return the chart
     */
    public static JFreeChart chart(PrecisionRecallCurve curve, String title) {
        Objects.requireNonNull(curve, "curve");
        PngFiles.headless();
        double[] recall = curve.recalls();
        double[] precision = curve.precisions();
        // Recall falls along the points: each step runs flat at a point's precision to the next point's recall,
        // then drops or rises to its precision, so the area under the line is Σ (R_k − R_{k+1}) P_k.
        XYSeries steps = new XYSeries("the model's scores", false, true);
        for (int k = 0; k < recall.length; k++) {
            steps.add(recall[k], precision[k]);
        }
        XYSeries chance = new XYSeries(String.format(Locale.ROOT, "chance (positives' share %.4f)",
                curve.chanceLevel()), false, true);
        chance.add(0, curve.chanceLevel());
        chance.add(1, curve.chanceLevel());
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(steps);
        data.addSeries(chance);

        NumberAxis[] axes = TrainingCharts.rateAxes("recall (positives scored at or above the threshold)",
                "precision (positives among the rows scored at or above it)");
        XYStepRenderer renderer = new XYStepRenderer();   // horizontal first: steps-post
        renderer.setSeriesPaint(0, TrainingCharts.TRAINING);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        renderer.setSeriesPaint(1, CHANCE);
        renderer.setSeriesStroke(1, TrainingCharts.DASHED);
        XYPlot plot = TrainingCharts.whiteGrid(new XYPlot(data, axes[0], axes[1], renderer));
        return TrainingCharts.titled(Objects.requireNonNull(title, "title")
                + String.format(Locale.ROOT, " (AP %.4f)", curve.averagePrecision()), plot);
    }
}
