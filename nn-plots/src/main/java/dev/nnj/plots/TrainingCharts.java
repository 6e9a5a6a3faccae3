package dev.nnj.plots;

import dev.nnj.api.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line charts of a training run, one value per epoch: the loss and the accuracy on the training set and
 * on the set checked after every epoch (a validation split, or the test split where a run has no other), and the
 * learning rate where a schedule moved it.
 *
 * <pre>{@code
 * History h = trainer.fit(model, loss, optimizer, train, validation);
 * TrainingCharts.writeLoss(h, "validation", Path.of("plots/loss.png"));
 * TrainingCharts.writeAccuracy(h, "validation", Path.of("plots/accuracy.png"));
 * }</pre>
 * Training figures are the means over each epoch's batches as they were seen (see
 * {@link dev.nnj.api.train.EpochStats}); the other set's are measured after the epoch's last update.
 * Accuracy exists only for targets that are classes ({@link History#hasAccuracy()}); a regression's run has
 * a loss chart and no accuracy chart.
 */
public final class TrainingCharts {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** Width of the written PNGs, in pixels. */
    public static final int WIDTH = 900;
    /** Height of the written PNGs, in pixels. */
    public static final int HEIGHT = 540;

    static final Color TRAINING = new Color(31, 119, 180);
    static final Color CHECKED = new Color(255, 127, 14);
    static final Font AXIS_LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private TrainingCharts() {
    }

    /**
     * Writes the loss per epoch, training and {@code checkedSetName}, as a {@value #WIDTH}x{@value #HEIGHT} PNG.
     *
     * @param history        the run
     * @param checkedSetName what the per-epoch evaluation ran on, e.g. {@code "validation"} or {@code "test"}
     * @param file           the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void writeLoss(History history, String checkedSetName, Path file) throws IOException {
        PngFiles.write(lossChart(history, checkedSetName), WIDTH, HEIGHT, file);
    }

    /**
     * Writes the accuracy per epoch, training and {@code checkedSetName}, as a {@value #WIDTH}x{@value #HEIGHT} PNG.
     *
     * @param history        the run
     * @param checkedSetName what the per-epoch evaluation ran on, e.g. {@code "validation"} or {@code "test"}
     * @param file           the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException when the run measured no accuracy (its targets are not classes)
     */
    public static void writeAccuracy(History history, String checkedSetName, Path file) throws IOException {
        PngFiles.write(accuracyChart(history, checkedSetName), WIDTH, HEIGHT, file);
    }

    /**
     * The loss chart of {@link #writeLoss}, to restyle or draw elsewhere.
     *
     * @param history        the run
     * @param checkedSetName what the per-epoch evaluation ran on
     * @return the chart
     */
    public static JFreeChart lossChart(History history, String checkedSetName) {
        Objects.requireNonNull(history, "history");
        return chart("Loss per epoch", "loss (mean over samples)", history.trainLoss(), history.validationLoss(),
                checkedSetName, history, false);
    }

    /**
     * The accuracy chart of {@link #writeAccuracy}, to restyle or draw elsewhere.
     *
     * @param history        the run
     * @param checkedSetName what the per-epoch evaluation ran on
     * @return the chart
     * @throws IllegalArgumentException when the run measured no accuracy (its targets are not classes)
     */
    public static JFreeChart accuracyChart(History history, String checkedSetName) {
        Objects.requireNonNull(history, "history");
        if (history.epochs() > 0 && !history.hasAccuracy() && !history.hasValidationAccuracy()) {
            throw new IllegalArgumentException("the run has no accuracy: neither its training nor its "
                    + checkedSetName + " targets are classes (one-hot rows, 0/1 values or labelled rows); "
                    + "draw its loss chart only");
        }
        return chart("Accuracy per epoch", "accuracy", history.trainAccuracy(), history.validationAccuracy(),
                checkedSetName, history, true);
    }

    /**
     * Writes the learning rate per epoch (what a schedule or {@code ReduceLROnPlateau} set; the rate of each
     * epoch's last step) on a logarithmic axis, as a {@value #WIDTH}x{@value #HEIGHT} PNG.
     *
     * @param history the run
     * @param file    the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException when the run recorded no learning rate, or one that is not positive
     */
    public static void writeLearningRate(History history, Path file) throws IOException {
        PngFiles.write(learningRateChart(history), WIDTH, HEIGHT, file);
    }

    /**
     * The chart of {@link #writeLearningRate}, to restyle or draw elsewhere.
     *
     * @param history the run
     * @return the chart
     * @throws IllegalArgumentException when the run recorded no learning rate, or one that is not positive
     */
    public static JFreeChart learningRateChart(History history) {
        Objects.requireNonNull(history, "history");
        PngFiles.headless();
        double[] rates = history.learningRate();
        if (rates.length == 0) {
            throw new IllegalArgumentException("the history has no epochs to draw");
        }
        XYSeries series = new XYSeries("learning rate (last step of the epoch)", false, false);
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (int i = 0; i < rates.length; i++) {
            // A log axis has no place for 0, and a rate that is not positive never trained anything.
            if (!(rates[i] > 0) || Double.isInfinite(rates[i])) {
                throw new IllegalArgumentException("epoch " + (history.firstEpoch() + i) + " has the learning rate "
                        + rates[i] + "; a learning-rate chart needs positive rates");
            }
            series.add(history.firstEpoch() + i, rates[i]);
            low = Math.min(low, rates[i]);
            high = Math.max(high, rates[i]);
        }
        NumberAxis epochAxis = epochAxis(history);
        LogAxis rateAxis = learningRateAxis();
        // A constant rate still gets a band to sit in: a factor of 2 either side.
        rateAxis.setRange(low / (high > low ? 1.5 : 2), high * (high > low ? 1.5 : 2));
        styleAxes(epochAxis, rateAxis);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, rates.length <= 30);
        renderer.setSeriesPaint(0, TRAINING);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        return titled("Learning rate per epoch", whiteGrid(new XYPlot(new XYSeriesCollection(series), epochAxis,
                rateAxis, renderer)));
    }

    /** The training line's name: its values are taken during each epoch's steps, not after the epoch. */
    static final String TRAINING_SERIES = "training (during the epoch)";

    private static JFreeChart chart(String title, String valueLabel, float[] training, float[] checked,
                                    String checkedSetName, History history, boolean accuracy) {
        PngFiles.headless();
        Objects.requireNonNull(checkedSetName, "checkedSetName");
        if (training.length == 0) {
            throw new IllegalArgumentException("the history has no epochs to draw");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        // A set without values (no validation set; targets that are not classes, for accuracy) gets no line.
        List<Color> colours = new ArrayList<>();
        if (!accuracy || hasValue(training)) {
            // Keras's figures: each batch's before its update, so the line runs above the set checked after it.
            data.addSeries(series(TRAINING_SERIES, training, history.firstEpoch()));
            colours.add(TRAINING);
        }
        if (hasValue(checked)) {
            data.addSeries(series(checkedSetName, checked, history.firstEpoch()));
            colours.add(CHECKED);
        }

        NumberAxis epochAxis = epochAxis(history);
        NumberAxis valueAxis = new NumberAxis(valueLabel);
        valueAxis.setAutoRangeIncludesZero(false);
        valueAxis.setStandardTickUnits(decimalTickUnits());   // 0.95 and 0.90 in every locale
        if (accuracy) {
            // Up to 1 exactly, down to a little below the lowest value: the interesting part is near the top.
            double low = 1;
            for (float[] values : new float[][] {training, checked}) {
                for (float v : values) {
                    low = Float.isNaN(v) ? low : Math.min(low, v);
                }
            }
            // A little above 1, so that a training accuracy of exactly 1 is drawn inside the frame, not on it.
            valueAxis.setRange(Math.max(0, Math.floor((low - 0.02) * 20) / 20), 1.005);
        }
        styleAxes(epochAxis, valueAxis);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, training.length <= 30);
        for (int i = 0; i < colours.size(); i++) {
            renderer.setSeriesPaint(i, colours.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }

        XYPlot plot = whiteGrid(new XYPlot(data, epochAxis, valueAxis, renderer));
        if (history.restoredBestWeights() || history.stoppedEarly()) {
            // Where the kept weights come from: the epoch the run scored best on the checked set.
            ValueMarker best = new ValueMarker(history.bestEpoch(), Color.GRAY,
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            best.setLabel("best epoch " + history.bestEpoch() + (history.restoredBestWeights() ? " (kept)" : ""));
            best.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            best.setLabelBackgroundColor(new Color(255, 255, 255, 210));   // readable over the lines it crosses
            // At the top of the loss chart, where its curves are low; at the bottom of the accuracy chart, where they
            // are high: the label then sits where no curve runs.
            best.setLabelAnchor(accuracy ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.TOP_LEFT);
            best.setLabelTextAnchor(accuracy ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(best);
        }

        return titled(title, plot);
    }

    /**
     * Tick units for a value axis written alike in every locale, each with the decimals its size needs: steps of
     * 0.05 read {@code 0.90, 0.95, 1.00}, steps of 0.1 read {@code 1.9, 2.0, 2.1}.
     *
     * @return the units, from 0.0001 to a million
     */
    /** Ticks every 0.1, written 0.0 to 1.0 with a point in every locale (JFreeChart's default takes the locale's). */
    static org.jfree.chart.axis.NumberTickUnit tenths() {
        return new org.jfree.chart.axis.NumberTickUnit(0.1,
                new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    }

    static org.jfree.chart.axis.TickUnits decimalTickUnits() {
        org.jfree.chart.axis.TickUnits units = new org.jfree.chart.axis.TickUnits();
        DecimalFormatSymbols root = DecimalFormatSymbols.getInstance(Locale.ROOT);
        for (int exponent = -4; exponent <= 6; exponent++) {
            for (int mantissa : new int[] {1, 2, 5}) {
                double size = mantissa * Math.pow(10, exponent);
                String pattern = exponent >= 0 ? "0" : "0." + "0".repeat(-exponent);
                units.add(new org.jfree.chart.axis.NumberTickUnit(size, new DecimalFormat(pattern, root)));
            }
        }
        return units;
    }

    /** A learning-rate axis: logarithmic, base 10, ticks as {@code 1E-7} rather than {@code 0.0000001}. */
    static LogAxis learningRateAxis() {
        LogAxis axis = new LogAxis("learning rate");
        axis.setBase(10);
        axis.setNumberFormatOverride(new DecimalFormat("0.#E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return axis;
    }

    /** A dashed line, for a reference drawn beside the data (a best epoch, chance on a curve chart). */
    static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    /**
     * Two axes of rates from 0 to 1 (a ROC or precision-recall curve's), ticked every 0.1, with a margin so that a
     * line along 0 or 1 is drawn whole, in the line charts' fonts.
     *
     * @param x the horizontal axis's label
     * @param y the vertical axis's label
     * @return the horizontal and the vertical axis
     */
    static NumberAxis[] rateAxes(String x, String y) {
        NumberAxis[] axes = {new NumberAxis(x), new NumberAxis(y)};
        for (NumberAxis axis : axes) {
            axis.setRange(-0.01, 1.01);
            axis.setTickUnit(tenths());
        }
        styleAxes(axes);
        return axes;
    }

    /** The line charts' axis fonts: labels at {@link #AXIS_LABEL_FONT}, ticks at {@link #TICK_FONT}. */
    static void styleAxes(ValueAxis... axes) {
        for (ValueAxis axis : axes) {
            axis.setLabelFont(AXIS_LABEL_FONT);
            axis.setTickLabelFont(TICK_FONT);
        }
    }

    /** The epochs of {@code history} as an integer axis. */
    private static NumberAxis epochAxis(History history) {
        NumberAxis axis = new NumberAxis("epoch");
        // Whole epochs, written alike in every locale (1000, not 1,000 or 1.000, which reads as one).
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        axis.setNumberFormatOverride(new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        // The history's own epochs: from 1, or past it for a resumed run (the series are drawn at those numbers),
        // with a margin of a fraction of an epoch so that the first and last points are drawn whole.
        int first = history.firstEpoch();
        int last = history.lastEpoch();
        double margin = first == last ? 0.5 : Math.min(0.5, (last - first) * 0.01);
        axis.setRange(first - margin, last + margin);
        return axis;
    }

    /** The line charts' plot style: white, light grey grid lines, axes against the plot. */
    static XYPlot whiteGrid(XYPlot plot) {
        // Room on the right for the last tick label, which is centred on the plot's edge (1000 was cut to "1,00").
        plot.setInsets(new RectangleInsets(4, 8, 4, 24));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    /** The line charts' frame: a bold title over {@code plot}, the legend at the top without a border. */
    static JFreeChart titled(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        return chart;
    }

    private static boolean hasValue(float[] values) {
        for (float v : values) {
            if (!Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** One value per epoch from {@code firstEpoch} on (past 1 for a resumed run). */
    private static XYSeries series(String name, float[] values, int firstEpoch) {
        XYSeries s = new XYSeries(name, false, false);
        for (int i = 0; i < values.length; i++) {
            // NaN (an epoch without a value) leaves a gap rather than a point at 0.
            s.add(firstEpoch + i, Float.isNaN(values[i]) ? null : (Number) values[i]);
        }
        return s;
    }
}
