package dev.nnj.examples;

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
 */
final class LineEndingConsumer implements ProgressBarConsumer {
    private final ProgressBarConsumer target;
    private boolean ended;

    /**
     * @param target where the bar is drawn
     */
    LineEndingConsumer(ProgressBarConsumer target) {
        this.target = target;
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
        }
    }

    /** Ends the bar's line, the first time only; called by the bar, the listener and its shutdown hook. */
    @Override
    public synchronized void close() {
        if (!ended) {
            ended = true;
            target.close();
        }
    }
}
