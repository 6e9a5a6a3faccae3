package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.train.LearningRateFinder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --find-lr}: the learning-rate range test on a fresh preset model, its curve and suggestion printed as the
 * library computes them, its chart with {@code --plots}, and the options it does not go with refused.
 */
class FindLearningRateTest {
    @TempDir
    Path dir;

    @Test
    void theRangeTestPrintsTheLibrarysCurveAndSuggestion() throws IOException {
        Path plots = dir.resolve("plots");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--find-lr", "--plots", plots.toString());
        assertEquals(0, o.status(), o.err());
        String out = o.out();
        assertTrue(out.contains("Learning-rate range test (fast.ai's lr_find): Adam(lr=0.001"), out);
        assertTrue(out.contains("100 batches of 32, rates growing from 1e-07 to 10"), out);
        assertFalse(out.contains("result:") || out.contains("Training:"), "no training: " + out);

        // The same test through the library: the CLI's suggestion, to the digit printed.
        LearningRateFinder.Result expected;
        try (Backend be = Backends.get("cpu");
             Sequential model = DigitsPreset.KERAS.buildModel(be, 64, 64, 10, 0)) {
            expected = LearningRateFinder.builder().range(1e-7, 10).steps(100).batchSize(32).seed(0).build()
                    .run(model, Loss.categoricalCrossEntropy(), () -> OptimizerName.ADAM.create(1e-3f),
                            DigitsData.scaledArticleSplit().train());
        }
        String suggestion = RangeTestReport.rate(expected.suggestion());
        assertTrue(out.contains("Suggested learning rate: " + suggestion + " (fast.ai's valley"), out);
        assertTrue(out.contains("train with it: --learning-rate " + suggestion + ", or as the peak of a one-cycle "
                + "schedule: --lr-schedule one-cycle --learning-rate " + suggestion + "\n"), out);
        double rate = Double.parseDouble(suggestion);
        assertTrue(rate > 1e-7 && rate < 10, suggestion);
        assertTrue(out.contains(String.format(Locale.ROOT, "  %5d  %9.2e  %10.4f  %9.4f", 1,
                expected.learningRates()[0], expected.losses()[0], expected.smoothedLosses()[0])), out);

        BufferedImage chart = ImageIO.read(plots.resolve("lr-finder.png").toFile());
        assertEquals(900, chart.getWidth());
        assertEquals(540, chart.getHeight());
        assertTrue(out.contains("wrote " + plots.resolve("lr-finder.png")), out);
    }

    /** The article's full batches: the suggestion is the lowest smoothed loss's rate over 10, and says so. */
    @Test
    void aFullBatchRunSuggestsTheMinimumOverTen() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "article", "--backend", "cpu",
                "--find-lr");
        assertEquals(0, o.status(), o.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Suggested learning rate: (\\S+) \\(the lowest "
                + "smoothed loss's rate / 10: a full batch's loss falls over the whole range").matcher(o.out());
        assertTrue(m.find(), o.out());
        double rate = Double.parseDouble(m.group(1));
        assertTrue(rate > 0.05 && rate < 5, "not the range's midpoint (0.0013 before): " + rate);
    }

    /**
     * Batches of rows: the valley is the suggestion, and the minimum's rate / 10 is offered beside it unless the
     * minimum came in the sweep's first tenth, before the loss moved (a regression's standardized target did that).
     */
    @Test
    void theMinimumsRuleIsLeftOutWhenTheMinimumCameBeforeTheLossMoved() {
        double[] rates = new double[20];
        double[] flatThenFalling = new double[20];
        double[] fallingThenRising = new double[20];
        for (int t = 0; t < 20; t++) {
            rates[t] = 1e-7 * Math.pow(10, 8.0 * t / 19);
            flatThenFalling[t] = t == 0 ? 0.9 : 1.0 + 0.001 * t;
            fallingThenRising[t] = Math.abs(t - 12) + 1;
        }
        StringWriter early = new StringWriter();
        RangeTestReport.print(new PrintWriter(early), new LearningRateFinder.Result(rates, flatThenFalling,
                flatThenFalling, false, 1e-3, rates[0] / 10), 20, false);
        assertTrue(early.toString().contains("; the smoothed loss was lowest in the sweep's first tenth, before it "
                + "moved, so its rate / 10 says nothing"), early.toString());
        StringWriter late = new StringWriter();
        RangeTestReport.print(new PrintWriter(late), new LearningRateFinder.Result(rates, fallingThenRising,
                fallingThenRising, false, 1e-3, rates[12] / 10), 20, false);
        assertTrue(late.toString().contains("; the lowest smoothed loss's rate / 10: "
                + RangeTestReport.rate(rates[12] / 10)), late.toString());
    }

    @Test
    void ratesArePrintedAsTheCommandLineTakesThemBack() {
        assertEquals("0.0023", RangeTestReport.rate(0.0023456));
        assertEquals("3.2e-5", RangeTestReport.rate(3.2e-5));
        assertEquals("10", RangeTestReport.rate(10));
        assertEquals(3.2e-5, Double.parseDouble(RangeTestReport.rate(3.2e-5)), 0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--find-lr --cv=3                  | option '--find-lr' does not go with '--cv'",
        "--find-lr --learning-rate=0.01    | option '--find-lr' does not go with '--learning-rate': the test sweeps the rates itself",
        "--find-lr --epochs=5              | option '--find-lr' does not go with '--epochs'",
        "--find-lr --save=m.safetensors    | option '--find-lr' does not go with '--save': no model is kept",
        "--find-lr --class-weight=balanced | option '--find-lr' does not go with '--class-weight': the test weighs every row alike",
    })
    void whatCannotApplyIsRefusedInOneLine(String args, String expected) {
        DigitsTrainerOptionsTest.assertOneLineUsageError(args + " --backend=cpu", expected);
    }
}
