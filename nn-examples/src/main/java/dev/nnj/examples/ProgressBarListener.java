package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live terminal progress bar of a training run, drawn by the progressbar library: epochs done out of
 * epochs requested, elapsed time and estimated time left, then the last epoch's loss and accuracy on both
 * sets and the throughput in batches per second (the part after the bar is cut at the terminal's width).
 * <pre>
 *   Training  37% |███████▍            | 370/1000 epochs (0:00:02 / 0:00:03) loss 0.1022 acc 0.9833  test loss 0.1376 acc 0.9611  8230 batches/s
 * </pre>
 * The bar advances after every batch ({@link TrainingListener#onBatchEnd}, which only moves its position: no
 * text is formatted in the training loop), counted in epochs so that a bar half-way through epoch 3 stands at
 * 2.5; the message after it is refreshed once per epoch. Its library redraws it from a background thread a few
 * times a second.
 */
final class ProgressBarListener implements TrainingListener {
    /** Redraws per second are capped by this; the terminal gets at most ten lines a second. */
    private static final int REDRAW_MILLIS = 100;

    private final ProgressBar bar;
    private final LineEndingConsumer output;
    private final int batches;
    private final String checkedName;
    private final int epochs;

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
        this.batches = batches;
        this.checkedName = checkedName;
        this.epochs = epochs;
        this.output = new LineEndingConsumer(width > 0
                ? new ConsoleProgressBarConsumer(terminal, width) : new ConsoleProgressBarConsumer(terminal));
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax((long) epochs * batches)
                .setUnit(" epochs", batches)
                .setStyle(unicode ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(REDRAW_MILLIS)
                .setConsumer(output)
                .build();
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        double seconds = Math.max(s.elapsedMillis(), 1) / 1000.0;
        StringBuilder message = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d loss %.4f acc %.4f",
                s.epoch(), epochs, s.trainLoss(), s.trainAccuracy()));
        if (s.hasValidation()) {
            message.append(String.format(Locale.ROOT, "  %s loss %.4f acc %.4f", checkedName, s.validationLoss(),
                    s.validationAccuracy()));
        }
        message.append(String.format(Locale.ROOT, "  %.0f batches/s", (double) s.epoch() * batches / seconds));
        bar.setExtraMessage(message.toString());
        bar.stepTo((long) s.epoch() * batches);
    }

    @Override
    public boolean wantsBatchEvents() {
        return true;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches) {
        bar.stepTo((long) (epoch - 1) * this.batches + batch);
    }

    @Override
    public void onTrainingEnd(History h) {
        // An early stop shows as a bar short of its end; the result lines after it say which epoch was kept.
        bar.close();       // draws the final state (and usually ends the line)
        output.endLine();  // ends it when the bar closed before its redraw thread's second run
    }
}
