package dev.nnj.examples;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * A progress bar's output that ends the bar's line exactly once and draws nothing after it. Three cases need
 * this, two of them from the progressbar library (0.10.1):
 * <ul>
 *   <li>{@code ProgressBar.close()} ends the line only from its redraw thread's second run: a run shorter than
 *       one redraw interval (or a redraw thread starved on a busy machine) closes the bar after its first
 *       drawing, and the next output would continue the line. The listener's own {@link #close()} ends it.</li>
 *   <li>{@code ProgressBar.close()} cancels the periodic redraw without waiting for one in progress, then runs a
 *       last redraw of its own. A redraw in progress when the bar closes sees it closed too, and both draw the
 *       final state and end the line: the last line printed twice. The second one is dropped here.</li>
 *   <li>On Ctrl-C the listener's shutdown hook ends the line while the redraw thread still runs: a later drawing
 *       would write over the message printed after it.</li>
 * </ul>
 * The methods are synchronized, on this object, so that a drawing under way finishes before the line ends; a
 * caller holding the lock draws a last line and ends it with no redraw in between.
 *
 * <p>A log line written while the bar is drawn (the library's {@code ReduceLROnPlateau} cutting the rate, a
 * warning) would start where the bar's line stops, on another stream to the same terminal. The program's console
 * appender writes through {@link #logOver} instead: the bar's line is blanked, the log line takes its place, and
 * the next redraw draws the bar on the line below, as {@code tqdm.write} does.
 */
final class LineEndingConsumer implements ProgressBarConsumer {
    /** The bar being drawn, if any: the one a log line takes the place of. */
    private static final AtomicReference<LineEndingConsumer> DRAWING = new AtomicReference<>();

    private final ProgressBarConsumer target;
    private final PrintStream terminal;
    private boolean ended;
    /** Whether the line holds a drawing of the bar (not yet blanked for a log line). */
    private boolean drawn;

    /**
     * @param target   where the bar is drawn
     * @param terminal the stream {@code target} writes to, which a log line's blanks go to as well
     */
    LineEndingConsumer(ProgressBarConsumer target, PrintStream terminal) {
        this.target = target;
        this.terminal = terminal;
    }

    /** Makes this the bar that log lines take the place of, until {@link #close}. */
    void drawing() {
        DRAWING.set(this);
    }

    /**
     * Writes a log line ({@code write} does) where a bar being drawn would otherwise run into it: over its blanked
     * line, with no redraw in between. Without a bar, it only writes.
     *
     * @param write writes the log line, ending with its line separator
     */
    static void logOver(Runnable write) {
        LineEndingConsumer bar = DRAWING.get();
        if (bar == null) {
            write.run();
        } else {
            bar.writeOver(write);
        }
    }

    private synchronized void writeOver(Runnable write) {
        if (drawn && !ended) {
            // Blanks rather than an ANSI erase: the bar itself draws with a carriage return alone.
            terminal.print("\r" + " ".repeat(target.getMaxRenderedLength()) + "\r");
            terminal.flush();   // before the log line, which goes to another stream
            drawn = false;
        }
        write.run();
    }

    @Override
    public int getMaxRenderedLength() {
        return target.getMaxRenderedLength();
    }

    /** Draws the bar, unless its line has ended. */
    @Override
    public synchronized void accept(String rendered) {
        if (!ended) {
            target.accept(rendered);
            terminal.flush();
            drawn = true;
        }
    }

    /** Ends the bar's line, the first time only; called by the bar, the listener and its shutdown hook. */
    @Override
    public synchronized void close() {
        if (!ended) {
            ended = true;
            target.close();
        }
        DRAWING.compareAndSet(this, null);
    }
}
