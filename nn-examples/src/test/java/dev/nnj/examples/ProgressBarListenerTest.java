package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.nnj.api.train.EpochStats;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.Test;

/**
 * How the bar's line ends: once when training ends, and with a message when the JVM is interrupted; and how a log
 * line takes its place while it is drawn.
 */
class ProgressBarListenerTest {
    private static final String NL = System.lineSeparator();

    @Test
    void theLineEndsOnceAndNothingIsDrawnAfterIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LineEndingConsumer output = new LineEndingConsumer(new ConsoleProgressBarConsumer(terminal, 40), terminal);
        output.accept("Training 100%");
        output.close();
        output.accept("Training 100%");   // what the library's last redraw does after one that closed the bar
        output.close();
        assertEquals("\rTraining 100%" + NL, bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * The double last line, as the library made it: the bar closes while a redraw is under way (held here in the
     * middle of its writing), so that redraw and the bar's own last one both find it closed.
     */
    @Test
    void aBarClosedDuringARedrawPrintsItsLastLineOnce() throws Exception {
        HeldStream terminal = new HeldStream("100%");
        ProgressBarListener listener = new ProgressBarListener(new PrintStream(terminal, true, StandardCharsets.UTF_8),
                "Training", 2, 10, "test", false, 80);
        try {
            assertTrue(terminal.firstWrite.await(10, TimeUnit.SECONDS), "the bar's first drawing");
            // The library notes the position it drew just after the writing: a step before that goes unseen.
            Thread.sleep(50);
            listener.onEpochEnd(new EpochStats(2, 2, 0.5, 0.75, 0.6, 0.7, 1000));
            assertTrue(terminal.held.await(10, TimeUnit.SECONDS), "a redraw of the final state is under way");
            Thread closing = new Thread(listener::close, "closing");
            closing.start();
            waitUntilWaiting(closing);   // in ProgressBar.close(), past marking the bar closed
            terminal.release.countDown();
            closing.join(10_000);
            assertFalse(closing.isAlive(), "the bar closed");
        } finally {
            terminal.release.countDown();
            listener.close();
        }
        String drawn = terminal.toString();
        assertTrue(drawn.endsWith(NL), drawn);
        assertEquals(drawn.indexOf(NL), drawn.lastIndexOf(NL), "one line: " + drawn.replace("\r", "\\r"));
    }

    @Test
    void anInterruptEndsTheLineWhereTrainingStands() throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ProgressBarListener listener = new ProgressBarListener(
                new PrintStream(terminal, true, StandardCharsets.UTF_8), "Training", 500, 45, "test", false, 80);
        String drawn;
        try {
            listener.onTrainingStart(null);
            listener.onEpochEnd(new EpochStats(36, 500, 0.5, 0.75, 0.6, 0.7, 1000));
            listener.onBatchEnd(37, 20, 45);   // no redraw since: the interrupt draws this position
            listener.endLine();   // what the run's Interruption hook does before its message
            drawn = terminal.toString(StandardCharsets.UTF_8);
            assertTrue(drawn.endsWith(NL), "the bar's line ended: " + drawn);
            assertTrue(drawn.substring(drawn.lastIndexOf('\r')).contains("]  36/500 00:"), "36 epochs done: " + drawn);

            listener.onBatchEnd(37, 40, 45);
            Thread.sleep(250);   // the redraw thread runs on until the JVM halts, and draws nothing
            assertEquals(drawn, terminal.toString(StandardCharsets.UTF_8));
        } finally {
            listener.close();
        }
        assertEquals(drawn, terminal.toString(StandardCharsets.UTF_8), "closing adds nothing");
    }

    /**
     * A log line while the bar is drawn (the plateau rule's, from the trainer's thread) takes the bar's line, blanked
     * first, and the bar goes on on the line below: it used to run on from the bar, mid-line. The program's console
     * appender does this; after the bar is closed, it only writes.
     */
    @Test
    void aLogLineTakesTheBarsPlaceAndTheBarGoesOnBelowIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());   // as logback's own start-up gives one
        ch.qos.logback.core.ConsoleAppender<ILoggingEvent> appender = DigitsLogging.stderrAppender(context);
        appender.setOutputStream(terminal);   // stderr and stdout, one terminal: one stream here, to see the order
        Logger log = context.getLogger("dev.nnj.api.train.ReduceLROnPlateau");
        log.addAppender(appender);
        log.setAdditive(false);

        // The bar's output as the bar draws it (its redraws come from the library's one shared thread, whose timing a
        // test cannot hold): a drawing, the log line, the next drawing.
        LineEndingConsumer output = new LineEndingConsumer(new ConsoleProgressBarConsumer(terminal, 60), terminal);
        output.drawing();
        output.accept("Training  22% [===           ] 18/80 00:00<00:00 loss 0.5000");
        log.info("epoch 29: learning rate 1.0000e-02 -> 1.0000e-03");
        output.accept("Training  37% [=====         ] 30/80 00:00<00:00 loss 0.4000");
        output.close();
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        String logLine = "INFO  ReduceLROnPlateau - epoch 29: learning rate 1.0000e-02 -> 1.0000e-03" + NL;
        // The bar at epoch 18, blanked; the log line in its place; the bar again, on the next line.
        assertEquals("\rTraining  22% [===           ] 18/80 00:00<00:00 loss 0.5000\r" + " ".repeat(60) + "\r"
                + logLine + "\rTraining  37% [=====         ] 30/80 00:00<00:00 loss 0.4000" + NL, drawn,
                drawn.replace("\r", "\\r"));

        log.info("after the bar");   // closed: written as it is, no blanks
        assertEquals(drawn + "INFO  ReduceLROnPlateau - after the bar" + NL, bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * A resumed run's bar counts its speed and time left from its checkpoint's epoch: after --resume at epoch 130
     * the bar said 1855 batches/s where 13 epochs of 45 batches had taken 3.6 s (a charts trial). And the epoch's last
     * batch leaves the counter at the epoch before, whose figures the bar still shows until the epoch's are evaluated.
     */
    @Test
    void aResumedRunCountsItsSpeedFromItsCheckpoint() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener listener = new ProgressBarListener(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "Training", 143, 45, "test", false, 160);
        String drawn;
        try {
            listener.onTrainingStart(new dev.nnj.api.train.TrainingControl() {
                @Override
                public void requestStop(String reason) {
                }

                @Override
                public boolean stopRequested() {
                    return false;
                }

                @Override
                public dev.nnj.api.optim.Optimizer optimizer() {
                    return null;
                }

                @Override
                public int epochs() {
                    return 143;
                }

                @Override
                public int initialEpoch() {
                    return 130;
                }
            });
            listener.onEpochEnd(new EpochStats(131, 143, 0.5, 0.75, 0.6, 0.7, 1000));
            listener.onBatchEnd(132, 45, 45);
            listener.endLine();
            drawn = bytes.toString(StandardCharsets.UTF_8);
        } finally {
            listener.close();
        }
        String last = drawn.substring(drawn.lastIndexOf('\r'));
        assertTrue(last.contains(" 45 batches/s"), "one epoch of 45 batches in 1 s: " + last);
        assertTrue(last.contains("] 131/143 "), "epoch 132's last batch, before its evaluation: " + last);
    }

    /** A --monitor figure the trainer computes shows in the bar, named as in the history, beside the accuracy. */
    @Test
    void theBarShowsTheWatchedFigure() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener listener = new ProgressBarListener(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "Training", 2, 10, "val", false, 160);
        listener.onEpochEnd(new EpochStats(2, 2, 0.5, 0.75, 0.6, 0.7, 1000, 0.01,
                java.util.Map.of("macro_f1", 0.81234)));
        listener.close();
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("val acc 0.7000") && drawn.contains("val macro_f1 0.8123"), drawn);
    }

    private static void waitUntilWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(Thread.State.WAITING, thread.getState());
    }

    /** A terminal whose first write containing {@code marker} waits until the test releases it. */
    private static final class HeldStream extends OutputStream {
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final String marker;

        HeldStream(String marker) {
            this.marker = marker;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            String text = new String(b, off, len, StandardCharsets.UTF_8);
            if (text.contains(marker) && held.getCount() > 0) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
            firstWrite.countDown();
        }

        @Override
        public String toString() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
