package dev.nnj.plots;

import dev.nnj.api.train.LearningRateFinder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The learning-rate range test's curve ({@link LearningRateFinder}): each batch's loss, faint, and its smoothed
 * loss against the learning rate on a log axis, with the suggested rate marked, as fast.ai's {@code lr_find} plots
 * it. The loss axis spans the smoothed loss up to its lowest point and a little more, so the run-away tail does not
 * flatten the part worth reading.
 */
public final class LearningRateFinderChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    static final Color RAW = new Color(31, 119, 180, 90);

    private LearningRateFinderChart() {
    }

    /**
     * Writes the chart as a {@value TrainingCharts#WIDTH}x{@value TrainingCharts#HEIGHT} PNG.
     *
     * @param result the test's curve
     * @param file   the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the test took fewer than 2 steps
     */
    public static void write(LearningRateFinder.Result result, Path file) throws IOException {
        PngFiles.write(chart(result), TrainingCharts.WIDTH, TrainingCharts.HEIGHT, file);
    }

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere.
     *
     * @param result the test's curve
     * @return the chart
     * @throws IllegalArgumentException if the test took fewer than 2 steps
     */
    public static JFreeChart chart(LearningRateFinder.Result result) {
        Objects.requireNonNull(result, "result");
        PngFiles.headless();
        if (result.steps() < 2) {
            throw new IllegalArgumentException("the range test took " + result.steps() + " step"
                    + (result.steps() == 1 ? "" : "s") + "; a curve needs 2");
        }
        double[] rates = result.learningRates();
        double[] losses = result.losses();
        double[] smoothed = result.smoothedLosses();
        XYSeries raw = new XYSeries("batch loss", false, true);
        XYSeries average = new XYSeries("smoothed loss", false, true);
        int lowest = 0;
        for (int t = 0; t < rates.length; t++) {
            // A loss that is not finite (the step that ran away) leaves a gap rather than a point off the chart.
            raw.add(rates[t], Double.isFinite(losses[t]) ? (Number) losses[t] : null);
            average.add(rates[t], Double.isFinite(smoothed[t]) ? (Number) smoothed[t] : null);
            if (Double.isFinite(smoothed[t]) && !(smoothed[t] >= smoothed[lowest])) {
                lowest = t;
            }
        }
        // Down to the lowest batch loss too: the smoothed curve lags behind it, and a full-batch run's batch losses,
        // which have no noise to smooth, fell to about 1.0 under an axis that ended at 4.15 (the article's network).
        double lowestBatch = smoothed[lowest];
        for (double loss : losses) {
            lowestBatch = Double.isFinite(loss) ? Math.min(lowestBatch, loss) : lowestBatch;
        }
        double high = smoothed[lowest];
        for (int t = 0; t <= lowest; t++) {
            high = Double.isFinite(smoothed[t]) ? Math.max(high, smoothed[t]) : high;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(average);
        data.addSeries(raw);

        LogAxis rateAxis = TrainingCharts.learningRateAxis();
        rateAxis.setRange(rates[0], rates[rates.length - 1]);
        NumberAxis lossAxis = new NumberAxis("loss (mean over the batch)");
        lossAxis.setStandardTickUnits(TrainingCharts.decimalTickUnits());
        lossAxis.setAutoRangeIncludesZero(false);
        // A noisy batch far below the curve (mini-batches) would flatten the valley the suggestion comes from: the
        // axis goes down to the lowest batch loss by at most the curve's own height again.
        double low = Math.max(lowestBatch, smoothed[lowest] - (high - smoothed[lowest]));
        double span = Math.max(high - low, 1e-6);
        lossAxis.setRange(Math.max(0, low - 0.1 * span), high + 0.25 * span);
        TrainingCharts.styleAxes(rateAxis, lossAxis);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, TrainingCharts.TRAINING);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        renderer.setSeriesPaint(1, RAW);
        renderer.setSeriesStroke(1, new BasicStroke(1f));

        XYPlot plot = TrainingCharts.whiteGrid(new XYPlot(data, rateAxis, lossAxis, renderer));
        if (Double.isFinite(result.suggestion())) {
            ValueMarker marker = new ValueMarker(result.suggestion(), TrainingCharts.CHECKED, new BasicStroke(2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            marker.setLabel(String.format(Locale.ROOT, "suggested %.2g", result.suggestion()));
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        }

        return TrainingCharts.titled("Learning-rate range test" + (result.diverged()
                ? " (stopped where the loss ran away)" : ""), plot);
    }
}
