package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bar on a terminal, lines elsewhere, never both; checked on short real runs of the trainer. */
class ProgressOptionsTest {

    @Test
    void withoutATerminalAutoPrintsLines() {
        assumeFalse(ProgressOptions.outputIsTerminal(), "the tests' output is a terminal");
        TrainingListener l = new ProgressOptions().listener(new PrintWriter(new StringWriter()), "", 10, 100, 45, "test");
        assertInstanceOf(ProgressLines.class, l);
    }

    @Test
    void linesLeaveOutAnAccuracyThatWasNotMeasured() {
        StringWriter text = new StringWriter();
        ProgressLines lines = new ProgressLines(new PrintWriter(text), "", 1, "val");
        lines.onEpochEnd(new EpochStats(1, 2, 0.5, 0.75, 0.6, 0.7, 1000));
        lines.onEpochEnd(new EpochStats(2, 2, 0.5, Double.NaN, 0.6, Double.NaN, 2000));   // a regression's epoch
        String[] printed = text.toString().split("\\R");
        assertEquals("epoch 1/2  train loss 0.5000 acc 0.7500  val loss 0.6000 acc 0.7000  elapsed 1.00 s", printed[0]);
        assertEquals("epoch 2/2  train loss 0.5000  val loss 0.6000  elapsed 2.00 s", printed[1]);
    }

    @Test
    void aBarRunRedrawsOneLineAndPrintsNoEpochLines() {
        DigitsTrainer t = new DigitsTrainer();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        t.progress.terminal = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        t.progress.width = 200;
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--progress", "bar", "--progress-every", "1");
        assertEquals(0, o.status(), o.err());
        String bar = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("\r"), "redrawn in place: " + bar);
        assertTrue(bar.contains(" 3/3 00:"), "epochs done, then the time: " + bar);
        assertTrue(bar.contains("test loss"), bar);
        assertTrue(bar.contains("batches/s"), bar);
        assertFalse(bar.contains("epoch 3/3"), "the counter is the bar's own: " + bar);
        assertTrue(bar.endsWith(System.lineSeparator()), "the finished bar ends its line");
        assertFalse(o.out().contains("epoch 1/3"), "no lines beside the bar: " + o.out());
        assertTrue(o.out().contains("test   loss"), o.out());
    }

    @Test
    void aFailedRunEndsTheBarsLineBeforeTheErrorAndStopsDrawing() throws InterruptedException {
        DigitsTrainer t = new DigitsTrainer();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        t.progress.terminal = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        t.progress.width = 200;
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "50", "--learning-rate", "1e12", "--progress", "bar", "--progress-every", "1");
        assertEquals(DigitsTrainer.EXIT_DIVERGED, o.status(), o.err());
        String bar = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(bar.endsWith(System.lineSeparator()), "the bar's line ends before the error: " + bar);
        Thread.sleep(250);   // two redraw intervals
        assertEquals(bar, terminal.toString(StandardCharsets.UTF_8), "the bar is no longer drawn");
    }

    @Test
    void onAnEightyColumnTerminalTheBarKeepsItsWidthAndTheLossAndAccuracy() {
        DigitsTrainer t = new DigitsTrainer();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        t.progress.terminal = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        t.progress.width = 79;   // what the library draws on 80 columns: one column is its right margin
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--progress", "bar", "--progress-every", "1");
        assertEquals(0, o.status(), o.err());
        String[] drawn = terminal.toString(StandardCharsets.UTF_8).strip().split("\r");
        String last = drawn[drawn.length - 1];
        // The least important fields (train accuracy, test loss, batches/s) give way to the bar's 12 cells,
        // drawn in blocks or, where the output is not UTF-8, in ASCII.
        assertTrue(last.matches("Training 100% (\\|█{12,}\\||\\[={12,}]) 3/3 \\d\\d:\\d\\d<00:00 loss \\d\\.\\d{4}"
                + " test acc \\d\\.\\d{4}"), last);
        assertTrue(last.length() <= 79, last.length() + ": " + last);
    }

    @Test
    void aLinesRunPrintsNoBar() {
        DigitsTrainer t = new DigitsTrainer();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        t.progress.terminal = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--progress", "lines", "--progress-every", "1");
        assertEquals(0, o.status(), o.err());
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
        assertTrue(o.out().contains("epoch 1/3  train loss"), o.out());
        assertTrue(o.out().contains("epoch 3/3  train loss"), o.out());
        assertFalse(o.out().contains("\r"), o.out());
    }

    @Test
    void progressEveryZeroShowsNoBarEither() {
        DigitsTrainer t = new DigitsTrainer();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        t.progress.terminal = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--backend", "cpu",
                "--epochs", "2", "--progress", "bar", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
    }

    /** A bar drawn to a pipe takes the width COLUMNS asks for, when it is one; the terminal's own is asked otherwise. */
    @Test
    void aColumnsVariableSetsTheWidthOfABarDrawnToAPipe() {
        assertEquals(50, ProgressOptions.columnsVariable("50"));
        assertEquals(132, ProgressOptions.columnsVariable(" 132 "));
        assertEquals(0, ProgressOptions.columnsVariable(null));
        assertEquals(0, ProgressOptions.columnsVariable("wide"));
        assertEquals(0, ProgressOptions.columnsVariable("5"), "too narrow for a bar");
        assertEquals(0, ProgressOptions.columnsVariable("100000"));
    }
}
