package dev.nnj.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateFinder;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes every chart to a temporary folder and reads it back with ImageIO: the files are real PNGs of the
 * documented size, drawn without a display, and the pictures have content where it belongs.
 */
class PlotsTest {
    private static History history;

    @TempDir
    Path dir;

    /** A real run: three Gaussian blobs, 12 epochs, validation on held-out rows, early stopping armed. */
    @BeforeAll
    static void train() {
        int n = 150;
        Dataset all = blobs(n, 7);
        int[] trainRows = new int[120];
        int[] validationRows = new int[30];
        for (int i = 0; i < n; i++) {
            if (i < 120) {
                trainRows[i] = i;
            } else {
                validationRows[i - 120] = i;
            }
        }
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 2, 1);
             Adam adam = new Adam(0.05f)) {
            model.add(new Dense(8, Activation.RELU)).add(new Dense(3, Activation.SOFTMAX));
            history = Trainer.builder().epochs(12).batchSize(16).seed(3)
                    .earlyStopping(EarlyStopping.onValidationLoss(50, true)).build()
                    .fit(model, Loss.categoricalCrossEntropy(), adam, all.subset(trainRows), all.subset(validationRows));
        }
        assertEquals(12, history.epochs());
    }

    /** {@code n} points of three Gaussian blobs in the plane, the class {@code i % 3}. */
    private static Dataset blobs(int n, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[2 * i] = (float) (y[i] * 2 + rng.nextGaussian() * 0.6);
            x[2 * i + 1] = (float) ((y[i] == 1 ? 2 : 0) + rng.nextGaussian() * 0.6);
        }
        return Dataset.ofLabels(x, 2, y, 3);
    }

    @Test
    void writesHeadlessly() throws IOException {
        TrainingCharts.writeLoss(history, "validation", dir.resolve("loss.png"));
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void lossAndAccuracyChartsArePngsOfTheDocumentedSize() throws IOException {
        Path loss = dir.resolve("charts/loss.png");   // a missing folder is created
        Path accuracy = dir.resolve("charts/accuracy.png");
        TrainingCharts.writeLoss(history, "validation", loss);
        TrainingCharts.writeAccuracy(history, "validation", accuracy);
        for (Path p : new Path[] {loss, accuracy}) {
            BufferedImage image = read(p);
            assertEquals(TrainingCharts.WIDTH, image.getWidth(), p.toString());
            assertEquals(TrainingCharts.HEIGHT, image.getHeight(), p.toString());
            assertTrue(countColour(image, TrainingCharts.TRAINING.getRGB()) > 100, "training line drawn in " + p);
            assertTrue(countColour(image, TrainingCharts.CHECKED.getRGB()) > 100, "validation line drawn in " + p);
        }
        try (Stream<Path> files = Files.list(dir.resolve("charts"))) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    /**
     * The learning-rate chart: a run under a step schedule, drawn at the documented size with its line.
     */
    @Test
    void theLearningRateChartDrawsAScheduledRun() throws IOException {
        History scheduled;
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 2, 1);
             Adam adam = new Adam(0.05f)) {
            model.add(new Dense(8, Activation.RELU)).add(new Dense(3, Activation.SOFTMAX));
            scheduled = Trainer.builder().epochs(12).batchSize(16).seed(3)
                    .schedule(LearningRateSchedule.step(4, 0.1)).build()
                    .fit(model, Loss.categoricalCrossEntropy(), adam, blobs(120, 7), null);
        }
        assertEquals(5e-4, scheduled.learningRate()[11], 1e-9, "three steps: 0.05, 0.005, 0.0005");
        Path file = dir.resolve("learning-rate.png");
        TrainingCharts.writeLearningRate(scheduled, file);
        BufferedImage image = read(file);
        assertEquals(TrainingCharts.WIDTH, image.getWidth());
        assertEquals(TrainingCharts.HEIGHT, image.getHeight());
        assertTrue(countColour(image, TrainingCharts.TRAINING.getRGB()) > 100, "the rate is drawn");
    }

    /**
     * The range test's chart: a real test on the blobs, drawn at the documented size with its smoothed line and the
     * suggestion's marker; a test of one step is refused.
     */
    @Test
    void theLearningRateRangeTestIsDrawnWithItsSuggestion() throws IOException {
        LearningRateFinder.Result result;
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 2, 1)) {
            model.add(new Dense(8, Activation.RELU)).add(new Dense(3, Activation.SOFTMAX));
            result = LearningRateFinder.builder().range(1e-5, 100).steps(60).batchSize(16).build()
                    .run(model, Loss.categoricalCrossEntropy(), () -> new Adam(1e-3f), blobs(300, 5));
        }
        assertTrue(Double.isFinite(result.suggestion()), "a suggestion: " + result);
        Path file = dir.resolve("lr-finder.png");
        LearningRateFinderChart.write(result, file);
        BufferedImage image = read(file);
        assertEquals(TrainingCharts.WIDTH, image.getWidth());
        assertEquals(TrainingCharts.HEIGHT, image.getHeight());
        assertTrue(countColour(image, TrainingCharts.TRAINING.getRGB()) > 100, "the smoothed loss is drawn");
        int orange = 0;   // the dashed marker, antialiased: pixels near its colour
        for (int px = 0; px < image.getWidth(); px++) {
            for (int py = 0; py < image.getHeight(); py++) {
                int rgb = image.getRGB(px, py);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                orange += r > 200 && g > 90 && g < 190 && b < 120 ? 1 : 0;
            }
        }
        assertTrue(orange > 100, "the suggestion is marked: " + orange + " orange pixels");
        LearningRateFinder.Result one = new LearningRateFinder.Result(new double[] {1e-3}, new double[] {1},
                new double[] {1}, true, Double.NaN, 1e-4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateFinderChart.chart(one))
                .getMessage().contains("the range test took 1 step; a curve needs 2"));
    }

    /** 6 epochs of a 2 → 1 linear model with mean squared error on {@code train}, validated on {@code validation}. */
    private static History fitBriefly(Dataset train, Dataset validation) {
        return fitBriefly(train, validation, 0);
    }

    /** Six epochs after {@code initialEpoch}: a run resumed after that many. */
    private static History fitBriefly(Dataset train, Dataset validation, int initialEpoch) {
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 2, 1);
             Adam adam = new Adam(0.05f)) {
            model.add(new Dense(train.targetCount(), Activation.SIGMOID));
            return Trainer.builder().epochs(initialEpoch + 6).initialEpoch(initialEpoch).batchSize(8).build()
                    .fit(model, Loss.meanSquaredError(), adam, train, validation);
        }
    }

    @Test
    void aResumedRunIsDrawnAtItsOwnEpochs() {
        Random rng = new Random(13);
        float[] x = new float[20 * 2];
        float[] y = new float[20];
        for (int i = 0; i < 20; i++) {
            x[2 * i] = (float) rng.nextGaussian();
            x[2 * i + 1] = (float) rng.nextGaussian();
            y[i] = x[2 * i] > 0 ? 1 : 0;
        }
        Dataset data = new Dataset(x, 2, y, 1);
        History resumed = fitBriefly(data, data, 10);
        org.jfree.chart.plot.XYPlot plot = TrainingCharts.lossChart(resumed, "validation").getXYPlot();
        // Epochs 11..16: once drawn at 11..16 on an axis of 1..6, so the chart was empty.
        assertEquals(11.0, plot.getDataset().getXValue(0, 0), 0.0);
        assertEquals(16.0, plot.getDataset().getXValue(0, 5), 0.0);
        // The axis spans them, with a margin of 1 % of the run (0.05 epoch) so that the end points are drawn whole.
        assertEquals(10.95, plot.getDomainAxis().getLowerBound(), 1e-9);
        assertEquals(16.05, plot.getDomainAxis().getUpperBound(), 1e-9);
    }

    /**
     * Long class names are shortened on the confusion matrix's axes, keeping their start and end (numbered names stay
     * apart), whole characters, no line breaks; names that would still come out alike get their class index.
     */
    @Test
    void longClassNamesAreShortenedOnTheAxesAndStayApart() {
        String[] ticks = ConfusionMatrixChart.tickNames(new String[] {"category_number_00", "category_number_10",
            "short", "a 113-character name ".repeat(5) + "end", "line one\nline two", "\uD83D\uDE00".repeat(20)});
        assertEquals("category_n…er_00", ticks[0]);
        assertEquals("category_n…er_10", ticks[1]);
        assertEquals("short", ticks[2]);
        assertEquals(ConfusionMatrixChart.MAX_UPRIGHT_CHARACTERS, ticks[3].codePointCount(0, ticks[3].length()));
        assertTrue(ticks[4].startsWith("line one l") && !ticks[4].contains("\n"), "a line break becomes a space: "
                + ticks[4]);
        assertEquals(16, ticks[5].codePointCount(0, ticks[5].length()), "emoji kept whole: " + ticks[5]);
        String[] alike = ConfusionMatrixChart.tickNames(new String[] {"alpha_bravo_charlie_one_delta",
            "alpha_bravo_charlie_two_delta", "z"});
        assertTrue(alike[0].startsWith("0 ") && alike[1].startsWith("1 ") && alike[2].equals("2 z"),
                String.join(" | ", alike));
        // What every name shares at both ends tells no class apart: it goes first.
        String[] reports = new String[25];
        for (int c = 0; c < reports.length; c++) {
            reports[c] = "quarterly_report_" + "ABCDEFGHIJKLMNOPQRSTUVWXY".charAt(c) + "word_region_total";
        }
        String[] shortened = ConfusionMatrixChart.tickNames(reports);
        assertEquals("…A…", shortened[0], "the shared start and end, word_region_total included, go");
        assertEquals(25, java.util.Arrays.stream(shortened).distinct().count());
        assertEquals("malignant tumour present", ConfusionMatrixChart.tickNames(new String[] {"benign",
            "malignant tumour present"}, ConfusionMatrixChart.MAX_NAME_DOWN)[1], "down the side, 28 characters");
    }

    @Test
    void aRunWithoutAccuracyHasALossChartAndRefusesAnAccuracyChart() throws IOException {
        Random rng = new Random(11);
        float[] x = new float[40 * 2];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            x[2 * i] = (float) rng.nextGaussian();
            x[2 * i + 1] = (float) rng.nextGaussian();
            y[i] = 0.25f + 0.5f * rng.nextFloat();   // a regression's targets: not classes
        }
        Dataset regression = new Dataset(x, 2, y, 1);
        History h = fitBriefly(regression, regression);
        TrainingCharts.writeLoss(h, "validation", dir.resolve("loss.png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCharts.writeAccuracy(h, "validation", dir.resolve("accuracy.png")));
        assertTrue(e.getMessage().contains("no accuracy") && e.getMessage().contains("neither"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("accuracy.png")));

        // Training rows that are not classes, validation rows that are: the chart has the validation line only.
        float[] classes = new float[40];
        for (int i = 0; i < 40; i++) {
            classes[i] = y[i] > 0.5f ? 1 : 0;
        }
        History mixed = fitBriefly(regression, new Dataset(x.clone(), 2, classes, 1));
        org.jfree.chart.plot.XYPlot plot = TrainingCharts.accuracyChart(mixed, "validation").getXYPlot();
        assertEquals(1, plot.getDataset().getSeriesCount());
        assertEquals("validation", plot.getDataset().getSeriesKey(0));
        assertEquals(TrainingCharts.CHECKED, plot.getRenderer().getSeriesPaint(0), "keeps the validation colour");
    }

    @Test
    void aChartNamesBothSeriesInItsLegend() {
        org.jfree.chart.JFreeChart chart = TrainingCharts.lossChart(history, "test");
        org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
        assertEquals(2, plot.getDataset().getSeriesCount());
        assertEquals("training (during the epoch)", plot.getDataset().getSeriesKey(0));
        assertEquals("test", plot.getDataset().getSeriesKey(1));
        assertEquals(12, plot.getDataset().getItemCount(0));
        assertEquals(history.trainLoss()[4], plot.getDataset().getYValue(0, 4), 0.0);
        assertEquals(history.validationLoss()[11], plot.getDataset().getYValue(1, 11), 0.0);
    }

    @Test
    void confusionMatrixCountsAndDrawsEveryCell() throws IOException {
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] predicted = {0, 0, 1, 1, 1, 2, 2, 0, 2};
        int[][] counts = ConfusionMatrixChart.count(truth, predicted, 3);
        assertArrayEquals(new int[] {2, 1, 0}, counts[0]);
        assertArrayEquals(new int[] {0, 2, 0}, counts[1]);
        assertArrayEquals(new int[] {1, 0, 3}, counts[2]);
        Path file = dir.resolve("confusion.png");
        ConfusionMatrixChart.write(counts, new String[] {"setosa", "versicolor", "virginica"}, "Confusion matrix", file);
        BufferedImage image = read(file);
        assertEquals(ConfusionMatrixChart.WIDTH, image.getWidth());
        assertEquals(ConfusionMatrixChart.HEIGHT, image.getHeight());
        assertEquals(9, ConfusionMatrixChart.chart(counts, new String[] {"a", "b", "c"}, "t").getXYPlot()
                .getAnnotations().size(), "one count per cell");
        // The darkest cell (the whole of its row: versicolor's 2 of 2) is drawn in the scale's top colour.
        assertTrue(countColour(image, new java.awt.Color(8, 48, 107).getRGB()) > 1000);
    }

    /**
     * An imbalanced binary test set (575 and 19 / 0 and 6): coloured by count, the minority's row was near white
     * whatever the model did; coloured by the share of the true class's rows, its 6 of 6 is the top colour, as the
     * majority's 575 of 594 is nearly, and the 19 mistakes a pale blue.
     */
    @Test
    void aMinorityClassIsColouredByItsShareOfItsRows() {
        int[][] counts = {{575, 19}, {0, 6}};
        org.jfree.chart.JFreeChart chart = ConfusionMatrixChart.chart(counts, new String[] {"no", "yes"}, "t");
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        BufferedImage image = chart.createBufferedImage(ConfusionMatrixChart.WIDTH, ConfusionMatrixChart.HEIGHT,
                BufferedImage.TYPE_INT_RGB, info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        java.util.function.BiFunction<Integer, Integer, Integer> red = (t, p) -> (image.getRGB(
                (int) (area.getX() + (p + 0.2) / 2 * area.getWidth()),
                (int) (area.getY() + (t + 0.2) / 2 * area.getHeight())) >> 16) & 0xff;
        assertEquals(8, red.apply(1, 1), "the minority's 6 of 6: the top colour");
        assertTrue(red.apply(0, 0) < 20, "the majority's 575 of 594: nearly the top colour, red " + red.apply(0, 0));
        assertTrue(red.apply(0, 1) > 200, "19 of 594: pale, red " + red.apply(0, 1));
        assertTrue(red.apply(1, 0) > 240, "0 of 6: white, red " + red.apply(1, 0));
    }

    /** The ROC curve chart: the curve's points, the diagonal, the area in the title, a square PNG. */
    @Test
    void aRocCurveChartDrawsTheCurveTheDiagonalAndTheArea() throws IOException {
        dev.nnj.api.metrics.RocCurve curve = dev.nnj.api.metrics.RocCurve.of(
                new float[] {0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.7f}, 1, new int[] {0, 0, 1, 1, 1, 0}, null);
        org.jfree.chart.JFreeChart chart = RocCurveChart.chart(curve, "ROC curve");
        assertEquals("ROC curve (AUC 0.6111)", chart.getTitle().getText());
        org.jfree.data.xy.XYDataset data = chart.getXYPlot().getDataset();
        assertEquals(2, data.getSeriesCount());
        assertEquals(curve.points(), data.getItemCount(0));
        assertEquals(1.0 / 3, data.getXValue(0, 2), 1e-12);
        Path file = dir.resolve("roc.png");
        RocCurveChart.write(curve, "ROC curve", file);
        BufferedImage image = read(file);
        assertEquals(RocCurveChart.SIZE, image.getWidth());
        assertEquals(RocCurveChart.SIZE, image.getHeight());
    }

    /** The precision-recall chart: steps after each point, the chance line at the positives' share, the AP. */
    @Test
    void aPrecisionRecallChartDrawsStepsTheChanceLineAndTheAveragePrecision() throws IOException {
        dev.nnj.api.metrics.PrecisionRecallCurve curve = dev.nnj.api.metrics.PrecisionRecallCurve.of(
                new float[] {0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.7f}, 1, new int[] {0, 0, 1, 1, 1, 0}, null);
        org.jfree.chart.JFreeChart chart = PrecisionRecallChart.chart(curve, "Precision-recall curve");
        assertEquals("Precision-recall curve (AP 0.7000)", chart.getTitle().getText());
        org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
        org.jfree.chart.renderer.xy.XYStepRenderer steps =
                (org.jfree.chart.renderer.xy.XYStepRenderer) plot.getRenderer();
        assertEquals(1.0, steps.getStepPoint(), 0, "flat to the next recall, then up or down: steps-post");
        org.jfree.data.xy.XYDataset data = plot.getDataset();
        assertEquals(curve.points(), data.getItemCount(0));
        assertEquals(1.0, data.getXValue(0, 0), 0, "recall 1 first, as scikit-learn orders the points");
        assertEquals(0.5, data.getYValue(0, 0), 0);
        assertEquals(0.5, data.getYValue(1, 1), 0, "chance: 3 positives of 6");
        Path file = dir.resolve("pr.png");
        PrecisionRecallChart.write(curve, "Precision-recall curve", file);
        BufferedImage image = read(file);
        assertEquals(PrecisionRecallChart.SIZE, image.getWidth());
        assertEquals(PrecisionRecallChart.SIZE, image.getHeight());
    }

    @Test
    void aConfusionMatrixOfManyClassesLeavesOutTheCountsAndShowsASingleMistake() {
        // 40 classes: a count in every cell, still legible (15-pixel cells); 41 and more: none, they ran into grey.
        int[][] forty = new int[ConfusionMatrixChart.LABELLED_CLASSES][ConfusionMatrixChart.LABELLED_CLASSES];
        assertEquals(40 * 40, ((org.jfree.chart.plot.XYPlot) ConfusionMatrixChart.chart(forty, names(40), "t")
                .getPlot()).getAnnotations().size());
        int k = 1000;
        int[][] counts = new int[k][k];
        for (int c = 0; c < k; c++) {
            counts[c][c] = 10;
        }
        counts[500][700] = 1;   // one mistake among 10,001 rows: a tenth of the darkest count
        org.jfree.chart.JFreeChart chart = ConfusionMatrixChart.chart(counts, names(k), "t");
        assertTrue(((org.jfree.chart.plot.XYPlot) chart.getPlot()).getAnnotations().isEmpty());
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        BufferedImage image = chart.createBufferedImage(ConfusionMatrixChart.WIDTH, ConfusionMatrixChart.HEIGHT,
                BufferedImage.TYPE_INT_RGB, info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        int x = (int) (area.getX() + (700 + 0.5) / k * area.getWidth());
        int y = (int) (area.getY() + (500 + 0.5) / k * area.getHeight());   // true class 0 on the top row
        int darkest = 255;
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) {
                darkest = Math.min(darkest, (image.getRGB(x + dx, y + dy) >> 16) & 0xff);
            }
        }
        // Before: a 0.6-pixel cell of near-white blue under the grey "0"s of its neighbours.
        assertTrue(darkest < 180, "the mistake's cell shows in blue: red " + darkest);
        int white = image.getRGB((int) (area.getX() + 0.25 * area.getWidth()), (int) (area.getY() + 0.75
                * area.getHeight()));
        assertTrue(((white >> 16) & 0xff) > 240, "a cell of 0 stays white, no grey labels: "
                + Integer.toHexString(white));
    }

    @Test
    void manyClassesGetClassNamesThatDoNotRunTogether() {
        // At 100 classes JFreeChart's own tick choice wrote "k0k2k4k6k8" along the bottom, and at 1000 no names.
        for (String prefix : new String[] {"k", "class number "}) {
            for (int k : new int[] {3, 10, 20, 21, 40, 41, 100, 1000}) {
                String[] labels = new String[k];
                for (int i = 0; i < k; i++) {
                    labels[i] = prefix + i;
                }
                org.jfree.chart.JFreeChart chart = ConfusionMatrixChart.chart(new int[k][k], labels, "t");
                org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
                BufferedImage image = chart.createBufferedImage(ConfusionMatrixChart.WIDTH,
                        ConfusionMatrixChart.HEIGHT, BufferedImage.TYPE_INT_RGB, info);
                org.jfree.chart.axis.SymbolAxis across = (org.jfree.chart.axis.SymbolAxis) chart.getXYPlot()
                        .getDomainAxis();
                double step = across.getTickUnit().getSize();
                double pixelsBetweenNames = step * info.getPlotInfo().getDataArea().getWidth() / k;
                java.awt.FontMetrics metrics = image.createGraphics().getFontMetrics(across.getTickLabelFont());
                int widest = across.isVerticalTickLabels() ? metrics.getHeight() : metrics.stringWidth(labels[k - 1]);
                String what = k + " classes named " + prefix + "…, every " + step + "th"
                        + (across.isVerticalTickLabels() ? ", upright" : "");
                assertTrue(pixelsBetweenNames >= widest + 4, what + ": " + pixelsBetweenNames
                        + " pixels apart, " + widest + " wide");
                assertTrue((int) ((k - 1) / step) + 1 >= Math.min(k, 4), what + ": too few names to find a class by");
                if (k <= 20) {
                    assertEquals(1, step, what + ": every class named");
                }
                double stepDown = ((org.jfree.chart.axis.SymbolAxis) chart.getXYPlot().getRangeAxis()).getTickUnit()
                        .getSize();
                assertTrue(stepDown * info.getPlotInfo().getDataArea().getHeight() / k >= metrics.getHeight(),
                        what + ": the names down the side overlap");
            }
        }
        assertEquals(5, ConfusionMatrixChart.tickStep(100, 20));
        assertEquals(50, ConfusionMatrixChart.tickStep(1000, 20));
        assertEquals(1, ConfusionMatrixChart.tickStep(20, 20));
    }

    private static String[] names(int k) {
        String[] names = new String[k];
        for (int i = 0; i < k; i++) {
            names[i] = "c" + i;
        }
        return names;
    }

    @Test
    void confusionMatrixRejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrixChart.count(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().contains("row 1: true label 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrixChart.chart(new int[][] {{1, 2}, {3}}, new String[] {"a", "b"}, "t"));
        assertTrue(e.getMessage().contains("row 1 of the confusion matrix has 1 entries, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrixChart.chart(new int[][] {{1}}, new String[] {"a", "b"}, "t"));
        assertTrue(e.getMessage().contains("1x1 counts but 2 class labels"), e.getMessage());
        NullPointerException unnamed = assertThrows(NullPointerException.class,
                () -> ConfusionMatrixChart.chart(new int[][] {{1, 0}, {0, 1}}, new String[] {"a", null}, "t"));
        assertEquals("classLabels[1]", unnamed.getMessage());
    }

    /** Counts that pass 2^31 together (aggregated over a cluster) are summed as they are, not wrapped around. */
    @Test
    void countsBeyondTheIntRangeTogetherAreSummedAsTheyAre() {
        org.jfree.chart.JFreeChart chart = ConfusionMatrixChart.chart(new int[][] {{Integer.MAX_VALUE, 5},
            {1, Integer.MAX_VALUE}}, new String[] {"a", "b"}, "huge");
        assertEquals("huge (" + (2L * Integer.MAX_VALUE + 6) + " samples)", chart.getTitle().getText());
    }

    /** A chart's path under a file says so; ticks of tenths read 0.5 in every locale. */
    @Test
    void aFileWhereAFolderGoesIsNamedAndTenthsHaveAPoint() throws IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("afile"), "x");
        java.nio.file.FileAlreadyExistsException e = assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> PngFiles.write(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB),
                        file.resolve("cm.png")));
        assertTrue(e.getMessage().endsWith("is a file, not a folder"), e.getMessage());
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertEquals("0.5", TrainingCharts.tenths().valueToString(0.5));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void misclassifiedGridShowsOnlyTheWrongImagesEnlarged() throws IOException {
        int rows = 25;
        float[] images = new float[rows * 64];
        int[] truth = new int[rows];
        int[] predicted = new int[rows];
        for (int r = 0; r < rows; r++) {
            truth[r] = r % 10;
            predicted[r] = r % 2 == 0 ? truth[r] : (truth[r] + 1) % 10;   // 12 wrong
            for (int p = 0; p < 64; p++) {
                images[r * 64 + p] = (p + r) % 17;
            }
        }
        String[] names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
        Path file = dir.resolve("misclassified.png");
        MisclassifiedGrid.write(images, 8, 8, truth, predicted, names, "Misclassified test images", file);
        BufferedImage image = read(file);
        int[] expected = MisclassifiedGrid.size(12, 8, 8);
        assertEquals(expected[0], image.getWidth());
        assertEquals(expected[1], image.getHeight());
        assertTrue(image.getHeight() > MisclassifiedGrid.size(10, 8, 8)[1], "12 images need two rows");
        // Each 8x8 image is blown up to 80x80: a full-black block of ZOOM x ZOOM pixels exists.
        assertTrue(countColour(image, 0xFF000000) >= 12 * MisclassifiedGrid.ZOOM * MisclassifiedGrid.ZOOM);

        Path none = dir.resolve("none.png");
        MisclassifiedGrid.write(images, 8, 8, truth, truth, names, "Misclassified test images", none);
        BufferedImage empty = read(none);
        assertArrayEquals(MisclassifiedGrid.size(0, 8, 8), new int[] {empty.getWidth(), empty.getHeight()});
        assertNotEquals(image.getHeight(), empty.getHeight());
    }

    /** A long class name is shortened with an ellipsis until its caption fits its cell, not run into the next one. */
    @Test
    void misclassifiedCaptionsFitTheirCells() {
        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 15));
        java.awt.FontMetrics fm = g.getFontMetrics();
        assertEquals("3 -> 8", MisclassifiedGrid.caption("3", "8", fm, 90));
        // 160 px, as a 16-pixel-wide image's cell gives: the shared "Iris-" goes first, so that what is left tells the
        // classes apart.
        String caption = MisclassifiedGrid.caption("Iris-versicolor", "Iris-virginica", fm, 160);
        assertTrue(fm.stringWidth(caption) <= 160, caption + " is " + fm.stringWidth(caption) + " px");
        assertTrue(caption.startsWith("vers") && caption.contains(" -> virg"), caption);
        String narrow = MisclassifiedGrid.caption("Iris-versicolor", "Iris-virginica", fm, 90);
        assertTrue(fm.stringWidth(narrow) <= 90 && narrow.startsWith("v"), narrow);
        assertEquals("Iris-setosa -> Iris-virginica", MisclassifiedGrid.caption("Iris-setosa", "Iris-virginica", fm,
                260), "whole where it fits");
        // A character outside the BMP is kept whole or dropped whole, never half of its surrogate pair.
        String emoji = MisclassifiedGrid.caption("\uD83D\uDE00".repeat(6), "b", fm, 30);
        assertTrue(emoji.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE),
                "no lone surrogate in " + emoji);
        assertTrue(emoji.length() < 6 * 2 + 5, "shortened: " + emoji);
        assertTrue(emoji.startsWith("\uD83D\uDE00"), "one character at least is kept: " + emoji);
        g.dispose();
    }

    @Test
    void misclassifiedGridRejectsMismatchedSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MisclassifiedGrid.render(
                new float[63], 8, 8, new int[] {1}, new int[] {2}, new String[] {"a", "b", "c"}, "t"));
        assertTrue(e.getMessage().contains("expected 1 rows of 8x8 = 64 values"), e.getMessage());
    }

    private static BufferedImage read(Path file) throws IOException {
        assertTrue(Files.size(file) > 0, file + " is empty");
        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, file + " is not an image ImageIO can decode");
        return image;
    }

    private static int countColour(BufferedImage image, int argb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) == argb) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A chart is written where ImageIO's disk cache cannot be (a read-only java.io.tmpdir, as under a container's
     * read-only root): PngFiles caches in memory. Here the cache folder is one that is gone.
     */
    @Test
    void aPngIsWrittenWithoutImageIOsDiskCache() throws IOException {
        Path gone = Files.createDirectory(dir.resolve("cache"));
        javax.imageio.ImageIO.setCacheDirectory(gone.toFile());
        Files.delete(gone);
        try {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            Path png = dir.resolve("out/small.png");
            PngFiles.write(image, png);
            assertEquals(8, ImageIO.read(png.toFile()).getWidth());
        } finally {
            javax.imageio.ImageIO.setCacheDirectory(null);
        }
    }
}
