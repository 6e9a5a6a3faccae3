package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.examples.TrainingBarRenderer.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bar's line at ordinary and narrow widths: the bar keeps its cells, the least important fields go first. */
class TrainingBarRendererTest {
    /** As the trainer ranks them: loss 0, test acc 1, batches/s 2, acc 3, test loss 4; in display order. */
    private static final List<Field> FIELDS = List.of(new Field("loss 0.1022", 0), new Field("acc 0.9833", 3),
            new Field("test loss 0.1376", 4), new Field("test acc 0.9611", 1), new Field("8230 batches/s", 2));

    /** 370 of 1000 epochs, one batch each; the counter pads 370 to the width of 1000, so that it does not jump. */
    private static String line(int width) {
        return TrainingBarRenderer.line("Training", 370, 1000, 1, "00:02<00:03", FIELDS, true, width);
    }

    private static int barCells(String line) {
        return line.indexOf('|', line.indexOf('|') + 1) - line.indexOf('|') - 1;
    }

    @Test
    void eightyColumnsKeepTheBarTheTimeLossAndAccuracy() {
        String l = line(79);   // an 80-column terminal less the library's right margin
        assertEquals("Training  37% |████▊        |  370/1000 00:02<00:03 loss 0.1022 test acc 0.9611", l);
        assertEquals(79, l.length());
        assertTrue(barCells(l) >= TrainingBarRenderer.MIN_BAR, l);
    }

    @Test
    void widerTerminalsAddFieldsInOrderOfImportance() {
        assertEquals("Training  37% |██████▋           |  370/1000 00:02<00:03 loss 0.1022 test acc 0.9611"
                + " 8230 batches/s", line(99));
        assertEquals("Training  37% |█████████▉                 |  370/1000 00:02<00:03 loss 0.1022 acc 0.9833"
                + " test acc 0.9611 8230 batches/s", line(119));
        String all = line(199);
        assertTrue(all.endsWith("|  370/1000 00:02<00:03 loss 0.1022 acc 0.9833 test loss 0.1376 test acc 0.9611"
                + " 8230 batches/s"), all);
        assertEquals(199, all.length());
        assertEquals(90, barCells(all), "the rest of the width goes to the bar");
    }

    @Test
    void aLessImportantFieldNeverShowsWhileAMoreImportantOneIsDropped() {
        for (int width = 1; width <= 200; width++) {
            String l = line(width);
            assertTrue(l.length() <= width, width + ": " + l);
            boolean shown = true;
            for (String f : List.of("00:02<00:03", "loss 0.1022", "test acc 0.9611", "8230 batches/s", "acc 0.9833",
                    "test loss 0.1376")) {
                boolean has = l.contains(" " + f);
                assertTrue(shown || !has, width + ": " + f + " without a more important field: " + l);
                shown = has;
            }
            if (l.contains("00:02<00:03")) {
                assertTrue(barCells(l) >= TrainingBarRenderer.MIN_BAR, width + ": " + l);
            }
        }
    }

    /** Below a one-cell bar, whole pieces: never a counter cut to another number (370/1000 read as 370). */
    @Test
    void belowTheMinimumTheBarShrinksThenGoesAndWholePiecesRemain() {
        assertEquals("Training  37% |█▍  |  370/1000", line(30));
        assertEquals("Training  37% |▎|  370/1000", line(27));
        assertEquals("Training 37% 370/1000", line(26));
        assertEquals("Training 37% 370/1000", line(21));
        assertEquals("37% 370/1000", line(20));
        assertEquals("37% 370/1000", line(12));
        assertEquals("37%", line(11));
        assertEquals("37%", line(3));
        assertEquals("", line(2));
        assertEquals("", line(0));
    }

    @Test
    void asciiBarAndEpochCounterOfABatchedRun() {
        // 45 batches per epoch, 22 batches into epoch 3 of 10: 24.9 % done, 6.97 of 28 cells, 2 epochs finished.
        String l = TrainingBarRenderer.line("seed 3", 2 * 45 + 22, 10 * 45, 45, "00:01<00:03", List.of(), false, 60);
        assertEquals("seed 3  24% [======                      ]  2/10 00:01<00:03", l);
    }

    /** A run stopped early ends short of its bar: the time says so in place of a time left. */
    @Test
    void theTimeSaysWhenTheRunStoppedEarly() {
        assertEquals("00:01<00:03", TrainingBarRenderer.time(Duration.ofSeconds(1), Duration.ofSeconds(3), false));
        assertEquals("00:01<?", TrainingBarRenderer.time(Duration.ofSeconds(1), null, false));
        assertEquals("00:01 stopped early", TrainingBarRenderer.time(Duration.ofSeconds(1), Duration.ofSeconds(1),
                true));
    }

    @Test
    void intervalsAreMinutesAndSecondsThenHours() {
        assertEquals("00:00", TrainingBarRenderer.interval(Duration.ofMillis(999)));
        assertEquals("01:05", TrainingBarRenderer.interval(Duration.ofSeconds(65)));
        assertEquals("59:59", TrainingBarRenderer.interval(Duration.ofSeconds(3599)));
        assertEquals("1:00:00", TrainingBarRenderer.interval(Duration.ofSeconds(3600)));
        assertEquals("26:03:04", TrainingBarRenderer.interval(Duration.ofSeconds(26 * 3600 + 184)));
    }

    @Test
    void noTimeLeftIsEstimatedBeforeAnEpochIsDone() {
        // 50 epochs of 45 batches: 3 slow batches in (the JIT compiling) once read 0/50 00:00<1:40:09.
        assertEquals(null, TrainingBarRenderer.timeLeft(3, 2247, 2250, Duration.ofSeconds(8), 45));
        assertEquals(null, TrainingBarRenderer.timeLeft(44, 2206, 2250, Duration.ofSeconds(9), 45));
        assertEquals(Duration.ofSeconds(490), TrainingBarRenderer.timeLeft(45, 2205, 2250, Duration.ofSeconds(10), 45));
        // One epoch of 1000 batches: an estimate after a tenth of it, not only at its end.
        assertEquals(null, TrainingBarRenderer.timeLeft(99, 901, 1000, Duration.ofSeconds(1), 1000));
        assertEquals(Duration.ofSeconds(9), TrainingBarRenderer.timeLeft(100, 900, 1000, Duration.ofSeconds(1), 1000));
    }
}
