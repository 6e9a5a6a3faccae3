package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.TrainingControl;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A live terminal progress bar of a training run, redrawn by the progressbar library and laid out by
 * {@link TrainingBarRenderer}: epochs done out of epochs requested, elapsed time and estimated time left, then
 * the last epoch's loss and accuracy on both sets and the throughput in batches per second. On 120 columns:
 * <pre>
 *   Training  37% |█████████▉                 |  370/1000 00:02&lt;00:03 loss 0.1022 acc 0.9833 test acc 0.9611 8230 batches/s
 * </pre>
 * Where the width runs short the fields go, least important first: the checked set's loss, the training
 * accuracy, the throughput, the checked set's accuracy, and the training loss last (80 columns keep the last
 * two). An accuracy the trainer did not measure (targets that are not classes) is no field at all.
 * <p>
 * The bar advances after every batch ({@link TrainingListener#onBatchEnd}, which only moves its position: no
 * text is formatted in the training loop), counted in epochs so that a bar half-way through epoch 3 stands at
 * 2.5; the fields after it are refreshed once per epoch. Its library redraws it from a background thread a few
 * times a second.
 * <p>
 * Ctrl-C would end the JVM with the bar's line half drawn, and the shell's prompt after it. The run's
 * {@link Interruption} hook calls {@link #endLine} first, which ends the line where training stands, and then says
 * on standard error where the run stopped ({@code digits: interrupted at epoch 37 of 500; nothing written}).
 */
final class ProgressBarListener implements TrainingListener, AutoCloseable {
    /** Redraws per second are capped by this; the terminal gets at most ten lines a second. */
    private static final int REDRAW_MILLIS = 100;

    /** Ranks of the fields after the time: the lower, the longer a narrow terminal keeps it. */
    private static final int LOSS = 0;
    private static final int CHECKED_ACCURACY = 1;
    private static final int SPEED = 2;
    private static final int ACCURACY = 3;
    private static final int CHECKED_LOSS = 4;

    private final ProgressBar bar;
    private final TrainingBarRenderer renderer;
    private final LineEndingConsumer output;
    private final int epochs;
    private final int batches;
    private final String checkedName;
    /** Epochs a resumed run's checkpoint had done; 0 for a fresh run. */
    private int epochsBefore;
    /** Held while an epoch's fields and position change together, and while an interrupt draws them. */
    private final Object epochLock = new Object();
    private boolean closed;

    /**
     * Starts the bar; {@link #onTrainingEnd} closes it.
     *
     * @param terminal    where the bar is drawn
     * @param task        the bar's label, e.g. {@code "Training"} or {@code "seed 3"}
     * @param epochs      epochs requested (the bar's end)
     * @param batches     batches per epoch
     * @param checkedName the set evaluated after every epoch
     * @param unicode     draw with Unicode blocks rather than ASCII
     * @param width       characters the line may take, or 0 for the terminal's width
     */
    ProgressBarListener(PrintStream terminal, String task, int epochs, int batches, String checkedName,
                        boolean unicode, int width) {
        this.epochs = epochs;
        this.batches = batches;
        this.checkedName = checkedName;
        this.renderer = new TrainingBarRenderer(batches, unicode);
        this.output = new LineEndingConsumer(width > 0
                ? new ConsoleProgressBarConsumer(terminal, width) : new ConsoleProgressBarConsumer(terminal), terminal);
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax((long) epochs * batches)
                .setRenderer(renderer)
                .setUpdateIntervalMillis(REDRAW_MILLIS)
                .setConsumer(output)
                .build();
        output.drawing();   // a log line takes the bar's line rather than running on from it
    }

    /** A resumed run's bar starts where its checkpoint stood, and counts its speed and time left from there. */
    @Override
    public void onTrainingStart(TrainingControl control) {
        epochsBefore = control == null ? 0 : control.initialEpoch();
        renderer.startAt((long) epochsBefore * batches);
        bar.stepTo((long) epochsBefore * batches);
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        double seconds = Math.max(s.elapsedMillis(), 1) / 1000.0;
        // Each field names what it shows, since any of them may be dropped; the epoch is the bar's counter.
        List<TrainingBarRenderer.Field> fields = new ArrayList<>(6);
        fields.add(field(LOSS, "loss %.4f", s.trainLoss()));
        if (s.hasAccuracy()) {
            fields.add(field(ACCURACY, "acc %.4f", s.trainAccuracy()));
        }
        if (s.hasValidation()) {
            fields.add(field(CHECKED_LOSS, "%s loss %.4f", checkedName, s.validationLoss()));
        }
        if (s.hasValidationAccuracy()) {
            fields.add(field(CHECKED_ACCURACY, "%s acc %.4f", checkedName, s.validationAccuracy()));
        }
        // A --monitor figure, as important as the accuracy: what early stopping and the best checkpoint watch.
        s.validationMetrics().forEach((name, value) -> fields.add(field(CHECKED_ACCURACY, "%s %s %.4f", checkedName,
                name, value)));
        fields.add(field(SPEED, "%.0f batches/s", (double) (s.epoch() - epochsBefore) * batches / seconds));
        synchronized (epochLock) {   // an interrupt draws the epoch's figures beside its number, not the last one's
            renderer.show(fields);
            bar.stepTo((long) s.epoch() * batches);
        }
    }

    private static TrainingBarRenderer.Field field(int rank, String format, Object... values) {
        return new TrainingBarRenderer.Field(Fixed.format(format, values), rank);
    }

    @Override
    public boolean wantsBatchEvents() {
        return true;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches) {
        // The epoch's last batch leaves the counter at the epoch before, whose figures the bar shows until this
        // epoch's are evaluated (onEpochEnd completes it).
        bar.stepTo((long) (epoch - 1) * this.batches + Math.min(batch, this.batches - 1));
    }

    @Override
    public void onTrainingEnd(History h) {
        // An early stop shows as a bar short of its end, saying so in place of the time left; the result lines after
        // it say which epoch was kept.
        if (h.stoppedEarly()) {
            renderer.stoppedEarly();
        }
        close();
    }

    /**
     * Draws the bar's final state and ends its line; does nothing the second time.
     * {@link #onTrainingEnd} calls it, and the trainer when training fails (then there is no
     * {@code onTrainingEnd}).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bar.close();      // draws the final state (and usually ends the line)
        output.close();   // ends it when the bar closed before its redraw thread's second run
    }

    /**
     * What an interrupted run does first ({@link Interruption#display}): draws the bar where training stands (its last
     * redraw may be 100 ms old) and ends its line, so that the message comes on a line of its own. The bar draws
     * nothing more, though its redraw thread, like training, runs on until the JVM halts.
     */
    void endLine() {
        String line;
        synchronized (epochLock) {
            line = renderer.render(bar, bar.getCurrent(), output.getMaxRenderedLength());
        }
        synchronized (output) {   // no redraw between the two: the line ends on this drawing
            output.accept(line);
            output.close();
        }
    }
}
