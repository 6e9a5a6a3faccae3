package dev.nnj.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A confusion matrix as a heat map with the count written in every cell: row {@code i} is the true class,
 * column {@code j} the predicted one, so the diagonal holds the correct predictions (scikit-learn's
 * {@code confusion_matrix} layout). A cell's colour is its share of its row, the true class's rows
 * ({@code ConfusionMatrixDisplay}'s {@code normalize="true"}: the diagonal is each class's recall), so that a class of
 * 6 rows shows as plainly as one of 575: coloured by count, the minority's whole row was near white, whatever the
 * model did with it. Above {@value #LABELLED_CLASSES} classes a cell is too small for its count: the
 * counts are left out, and every cell with a count is drawn in at least a light blue and a few pixels wide, so that
 * a single misclassification among 1000 classes still shows; the axes then name every n-th class (every 5th of 100
 * across, every 50th of 1000), as many names as fit side by side.
 *
 * <pre>{@code
 * int[][] counts = ConfusionMatrixChart.count(trueLabels, predictedLabels, 10);
 * ConfusionMatrixChart.write(counts, new String[] {"0", "1", ..., "9"}, "Test set", Path.of("confusion.png"));
 * }</pre>
 */
public final class ConfusionMatrixChart {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** Width of the written PNG, in pixels. */
    public static final int WIDTH = 760;
    /** Height of the written PNG, in pixels. */
    public static final int HEIGHT = 680;

    /**
     * The most classes whose counts are written in the cells: at 40 a cell of the {@value #WIDTH}-pixel chart is about
     * 15 pixels and its count still reads; at 100 (6 pixels) the counts ran together into grey.
     */
    public static final int LABELLED_CLASSES = 40;

    /** Width of the plot area in pixels, near enough: what a cell must cover to be seen. */
    private static final int PLOT_PIXELS = 600;
    /** Pixels a cell with a count covers at least when there are more classes than that. */
    private static final int MIN_CELL_PIXELS = 3;
    /** The most class names the horizontal axis shows side by side, however short (20 names a cell each). */
    static final int MAX_LABELS_ACROSS = 20;
    /** The longest class names turned upright under the plot when they do not fit side by side. */
    static final int MAX_UPRIGHT_CHARACTERS = 16;
    /** The most class names turned upright under the plot (20 pixels each: type's height and a gap). */
    static final int MAX_UPRIGHT_LABELS = 30;
    /** The longest class names written down the side of the matrix, where they lie flat. */
    static final int MAX_NAME_DOWN = 28;
    /** The most class names the vertical axis shows one above the other (15 pixels each, in 10-point type). */
    static final int MAX_LABELS_DOWN = 40;
    /** The shade of a count of 1 when counts are not written: light blue, never the white of zero. */
    private static final double UNLABELLED_FLOOR = 0.3;

    private ConfusionMatrixChart() {
    }

    /**
     * Counts predictions: {@code counts[t][p]} is the number of rows whose true class is {@code t} and
     * predicted class is {@code p}.
     *
     * @param trueLabels      true class of each row, in {@code [0, classes)}
     * @param predictedLabels predicted class of each row, in {@code [0, classes)}
     * @param classes         number of classes
     * @return a {@code classes x classes} matrix of counts
     */
    public static int[][] count(int[] trueLabels, int[] predictedLabels, int classes) {
        Objects.requireNonNull(trueLabels, "trueLabels");
        Objects.requireNonNull(predictedLabels, "predictedLabels");
        if (trueLabels.length != predictedLabels.length) {
            throw new IllegalArgumentException(trueLabels.length + " true labels but " + predictedLabels.length
                    + " predicted labels");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < trueLabels.length; i++) {
            int t = trueLabels[i];
            int p = predictedLabels[i];
            if (t < 0 || t >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("row " + i + ": true label " + t + ", predicted " + p
                        + "; both must be in [0, " + classes + ")");
            }
            counts[t][p]++;
        }
        return counts;
    }

    /**
     * Writes the heat map as a {@value #WIDTH}x{@value #HEIGHT} PNG.
     *
     * @param counts      square matrix, {@code counts[true][predicted]}, no negative entries
     * @param classLabels one name per class, in index order
     * @param title       the chart title, e.g. {@code "Confusion matrix, test set (360 images)"}
     * @param file        the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void write(int[][] counts, String[] classLabels, String title, Path file) throws IOException {
        PngFiles.write(chart(counts, classLabels, title), WIDTH, HEIGHT, file);
    }

    /**
     * The chart of {@link #write}, to restyle or draw elsewhere.
     *
     * @param counts      square matrix, {@code counts[true][predicted]}, no negative entries
     * @param classLabels one name per class, in index order
     * @param title       the chart title
     * @return the chart
     */
    public static JFreeChart chart(int[][] counts, String[] classLabels, String title) {
        PngFiles.headless();
        int k = checkSquare(counts, classLabels);
        boolean labelled = k <= LABELLED_CLASSES;
        // Sums in long: counts aggregated over a cluster can pass 2^31 together.
        long total = 0;
        int nonZero = 0;
        long[] rowTotals = new long[k];
        for (int t = 0; t < k; t++) {
            for (int c : counts[t]) {
                rowTotals[t] += c;
                total += c;
                nonZero += c > 0 ? 1 : 0;
            }
        }
        // Unlabelled, only the cells with a count are drawn, on the white of zero: a cell enlarged to be seen then
        // covers no other cell's colour with a zero's, and 1000 classes draw thousands of blocks, not a million.
        double[][] xyz = new double[3][labelled ? k * k : nonZero];
        int i = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                if (labelled || counts[t][p] > 0) {
                    xyz[0][i] = p;
                    xyz[1][i] = t;
                    xyz[2][i] = share(counts, rowTotals, t, p);
                    i++;
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", xyz);

        // Tick names at most MAX_UPRIGHT_CHARACTERS long: a 113-character name had squeezed the matrix to nothing.
        // Down the side there is room for longer names than across, where they stand upright.
        String[] ticks = tickNames(classLabels);
        warnOfMissingGlyphs(classLabels);
        SymbolAxis predicted = new SymbolAxis("predicted class", ticks.clone());
        predicted.setGridBandsVisible(false);
        predicted.setRange(-0.5, k - 0.5);
        SymbolAxis actual = new SymbolAxis("true class", tickNames(classLabels, MAX_NAME_DOWN));
        actual.setGridBandsVisible(false);
        actual.setRange(-0.5, k - 0.5);
        actual.setInverted(true);   // class 0 on the top row, as the matrix is printed
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, k <= 20 ? 14 : 10);
        predicted.setTickLabelFont(tickFont);
        actual.setTickLabelFont(tickFont);
        // JFreeChart's own choice of tick spacing measures names like "k17" too narrowly (at 100 classes they ran
        // together as "k0k2k4k6k8") and gives up at 1000: every n-th class named instead, as many as fit. Names too
        // wide to stand side by side are turned upright, as long as they are short enough not to squeeze the plot.
        int across = labelsAcross(ticks, tickFont.getSize());
        boolean upright = across < k && longest(ticks) <= MAX_UPRIGHT_CHARACTERS;
        predicted.setVerticalTickLabels(upright);
        fixTickStep(predicted, tickStep(k, upright ? MAX_UPRIGHT_LABELS : across));
        fixTickStep(actual, tickStep(k, MAX_LABELS_DOWN));
        predicted.setLabelFont(TrainingCharts.AXIS_LABEL_FONT);
        actual.setLabelFont(TrainingCharts.AXIS_LABEL_FONT);

        Blues scale = new Blues(1, labelled ? 0 : UNLABELLED_FLOOR);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        if (!labelled) {
            // A cell narrower than a few pixels would vanish (1000 classes: 0.6 pixels each): drawn at least that wide.
            double cell = Math.max(1, (double) MIN_CELL_PIXELS * k / PLOT_PIXELS);
            renderer.setBlockWidth(cell);
            renderer.setBlockHeight(cell);
        }
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlinePaint(Color.GRAY);

        // The count in each cell, white on dark cells so it stays readable; smaller type for many classes.
        Font countFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, Math.min(18, 240 / k)));
        for (int t = 0; labelled && t < k; t++) {
            for (int p = 0; p < k; p++) {
                XYTextAnnotation a = new XYTextAnnotation(Integer.toString(counts[t][p]), p, t);
                a.setFont(countFont);
                a.setPaint(share(counts, rowTotals, t, p) > 0.55 ? Color.WHITE
                        : counts[t][p] == 0 ? new Color(160, 160, 160) : Color.BLACK);
                plot.addAnnotation(a);
            }
        }

        JFreeChart chart = new JFreeChart(Objects.requireNonNull(title, "title")
                + String.format(java.util.Locale.ROOT, " (%d samples)", total),
                new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis legendAxis = new NumberAxis("share of the true class's rows");
        legendAxis.setRange(0, 1);
        legendAxis.setTickUnit(TrainingCharts.tenths());
        legendAxis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        legendAxis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(40, 10, 60, 10));
        legend.setStripWidth(18);
        legend.setSubdivisionCount(64);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        return chart;
    }

    /**
     * Class names as the axes show them: a name longer than {@value #MAX_UPRIGHT_CHARACTERS} characters keeps its
     * start and its end around an ellipsis ({@code category_n…er_10}: names that differ at the end, as numbered ones
     * do, stay apart), and where two names still come out alike, each is prefixed with its class index. Whole
     * characters are kept (an emoji is not split), and line breaks and tabs become spaces.
     */
    static String[] tickNames(String[] classLabels) {
        return tickNames(classLabels, MAX_UPRIGHT_CHARACTERS);
    }

    /**
     * {@link #tickNames(String[])} in at most {@code max} characters. A name too long first loses what every name
     * shares at its start and end ({@code quarterly_report_north_region_total} among others of that form becomes
     * {@code …north…}), as that tells no class from another.
     */
    static String[] tickNames(String[] classLabels, int max) {
        String[] clean = new String[classLabels.length];
        for (int c = 0; c < clean.length; c++) {
            clean[c] = classLabels[c].replaceAll("[\\r\\n\\t]+", " ");
        }
        int[] shared = sharedEnds(clean);
        String[] ticks = new String[clean.length];
        for (int c = 0; c < ticks.length; c++) {
            ticks[c] = shortened(withoutSharedEnds(clean[c], shared, max), max);
        }
        if (java.util.Arrays.stream(ticks).distinct().count() < ticks.length) {
            for (int c = 0; c < ticks.length; c++) {
                String index = c + " ";
                int room = Math.max(4, max - index.length());
                ticks[c] = index + shortened(withoutSharedEnds(clean[c], shared, room), room);
            }
        }
        return ticks;
    }

    /** The code points every name shares at its start and at its end (none below 3, or for a single name). */
    private static int[] sharedEnds(String[] names) {
        if (names.length < 2) {
            return new int[] {0, 0};
        }
        int[][] cps = new int[names.length][];
        int shortest = Integer.MAX_VALUE;
        for (int c = 0; c < names.length; c++) {
            cps[c] = names[c].codePoints().toArray();
            shortest = Math.min(shortest, cps[c].length);
        }
        int prefix = 0;
        while (prefix < shortest - 1 && sameAt(cps, true, prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (prefix + suffix < shortest - 1 && sameAt(cps, false, suffix)) {
            suffix++;
        }
        return new int[] {prefix >= 3 ? prefix : 0, suffix >= 3 ? suffix : 0};
    }

    /** Whether every name has the same code point {@code at} places from its start (or from its end). */
    private static boolean sameAt(int[][] cps, boolean fromStart, int at) {
        int first = fromStart ? cps[0][at] : cps[0][cps[0].length - 1 - at];
        for (int[] name : cps) {
            if ((fromStart ? name[at] : name[name.length - 1 - at]) != first) {
                return false;
            }
        }
        return true;
    }

    /** {@code name} without the shared start and end, marked "…", when it is longer than {@code max}. */
    private static String withoutSharedEnds(String name, int[] shared, int max) {
        int[] cps = name.codePoints().toArray();
        if (cps.length <= max || shared[0] + shared[1] == 0) {
            return name;
        }
        return (shared[0] > 0 ? "…" : "") + new String(cps, shared[0], cps.length - shared[0] - shared[1])
                + (shared[1] > 0 ? "…" : "");
    }

    /** {@code name} in at most {@code max} characters (code points): its start, "…", its last third (six at most). */
    private static String shortened(String name, int max) {
        int[] cps = name.codePoints().toArray();
        if (cps.length <= max) {
            return name;
        }
        int tail = Math.min(6, max / 3);
        int head = max - 1 - tail;
        return new String(cps, 0, head) + "…" + new String(cps, cps.length - tail, tail);
    }

    /**
     * Logs one warning when the fonts the chart is drawn with lack glyphs of some class names (CJK names where only
     * DejaVu is installed): they would be drawn as empty boxes, without a word.
     */
    private static void warnOfMissingGlyphs(String[] classLabels) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        for (String label : classLabels) {
            if (font.canDisplayUpTo(label) >= 0) {
                org.slf4j.LoggerFactory.getLogger(ConfusionMatrixChart.class).warn("the installed fonts lack "
                        + "characters of the class name '{}': the confusion matrix draws them as empty boxes "
                        + "(install a font that has them, such as Noto CJK for Chinese, Japanese or Korean)", label);
                return;
            }
        }
    }

    /**
     * The spacing of named classes on an axis of {@code classes} so that at most {@code maxLabels} are named: the
     * smallest of 1, 2, 5, 10, 20, 50, … that is enough (every 5th of 100 classes across, every 50th of 1000).
     */
    static int tickStep(int classes, int maxLabels) {
        for (int decade = 1; ; decade *= 10) {
            for (int step : new int[] {decade, 2 * decade, 5 * decade}) {
                if ((classes + step - 1) / step <= maxLabels) {
                    return step;
                }
            }
        }
    }

    /**
     * How many class names fit side by side under the plot: a character is about 0.6 of the type's size wide, and
     * names need a gap; longer names, fewer of them (at least 2, the first and one more).
     */
    static int labelsAcross(String[] classLabels, int fontSize) {
        return Math.max(2, Math.min(MAX_LABELS_ACROSS,
                PLOT_PIXELS * 10 / (6 * fontSize * longest(classLabels) + 120)));
    }

    private static int longest(String[] classLabels) {
        int longest = 1;
        for (String label : classLabels) {
            longest = Math.max(longest, label.codePointCount(0, label.length()));   // as tickNames counts
        }
        return longest;
    }

    private static void fixTickStep(SymbolAxis axis, int step) {
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(step));
    }

    private static int checkSquare(int[][] counts, String[] classLabels) {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(classLabels, "classLabels");
        int k = counts.length;
        if (k == 0) {
            throw new IllegalArgumentException("the confusion matrix is empty");
        }
        if (classLabels.length != k) {
            throw new IllegalArgumentException(k + "x" + k + " counts but " + classLabels.length + " class labels");
        }
        for (int c = 0; c < k; c++) {
            if (classLabels[c] == null) {
                throw new NullPointerException("classLabels[" + c + "]");
            }
        }
        for (int t = 0; t < k; t++) {
            if (counts[t] == null || counts[t].length != k) {
                throw new IllegalArgumentException("row " + t + " of the confusion matrix has "
                        + (counts[t] == null ? "no" : Integer.toString(counts[t].length)) + " entries, expected " + k);
            }
            for (int p = 0; p < k; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("count [" + t + "][" + p + "] is negative: " + counts[t][p]);
                }
            }
        }
        return k;
    }

    /**
     * White to dark blue through matplotlib's "Blues" colour map, which scikit-learn's plots use: ColorBrewer's nine
     * blues, evenly spaced and blended between neighbours (a straight blend of the two ends made the middle counts
     * greyish). A count above 0 starts at {@code floor} of the way, so that where counts are not written a 1 is still
     * told from a 0.
     */
    /** Cell {@code (t, p)}'s share of row {@code t}: 0 for a row without rows (a class never true). */
    private static double share(int[][] counts, long[] rowTotals, int t, int p) {
        return rowTotals[t] == 0 ? 0 : (double) counts[t][p] / rowTotals[t];
    }

    private static final class Blues implements PaintScale {
        private static final Color[] STOPS = {new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef),
            new Color(0x9ecae1), new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c),
            new Color(0x08306b)};
        private final double max;
        private final double floor;

        Blues(double max, double floor) {
            this.max = max;
            this.floor = floor;
        }

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return max;
        }

        @Override
        public Paint getPaint(double value) {
            double f = Math.max(0, Math.min(1, value / max));
            f = f > 0 ? floor + (1 - floor) * f : 0;
            double at = f * (STOPS.length - 1);
            int i = Math.min(STOPS.length - 2, (int) at);
            double g = at - i;
            Color a = STOPS[i];
            Color b = STOPS[i + 1];
            return new Color(mix(a.getRed(), b.getRed(), g), mix(a.getGreen(), b.getGreen(), g),
                    mix(a.getBlue(), b.getBlue(), g));
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round(a + (b - a) * f);
        }
    }
}
