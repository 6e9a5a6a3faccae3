package dev.nnj.examples;

import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * A progress bar's output that remembers whether the bar ended its line. {@code ProgressBar.close()} only ends
 * the line from its redraw thread's second run: a run shorter than one redraw interval (or a redraw thread
 * starved on a busy machine) closes the bar after its first drawing, and the line would stay open, so the
 * next output would continue it. {@link #endLine()} closes what the bar did not.
 */
final class LineEndingConsumer implements ProgressBarConsumer {
    private final ProgressBarConsumer target;
    private volatile boolean closed;

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

    @Override
    public void accept(String rendered) {
        target.accept(rendered);
    }

    @Override
    public void close() {
        closed = true;
        target.close();
    }

    /** Ends the bar's line if the bar has not (call after {@code ProgressBar.close()}, which waits for its redraw). */
    void endLine() {
        if (!closed) {
            close();
        }
    }
}
