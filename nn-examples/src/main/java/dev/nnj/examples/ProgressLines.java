package dev.nnj.examples;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress as plain lines, for output that is not a terminal: epoch 1, every {@code every}-th epoch and the
 * last one; {@code every = 0} prints none.
 * <pre>
 *   epoch  100/1000  train loss 0.4213 acc 0.9137  test loss 0.4465 acc 0.9000  elapsed 0.31 s
 * </pre>
 * An accuracy the trainer did not measure (targets that are not classes) is left out of the line; a validation
 * metric it computes ({@code --monitor balanced-accuracy}) follows the checked set's accuracy.
 */
final class ProgressLines implements TrainingListener {
    private final PrintWriter out;
    private final String prefix;
    private final int every;
    private final String checkedName;

    /**
     * @param out         where the lines go
     * @param prefix      put before every line; may be empty
     * @param every       a line every this many epochs; 0 for none
     * @param checkedName the set evaluated after every epoch, {@code "test"} or {@code "val"}
     */
    ProgressLines(PrintWriter out, String prefix, int every, String checkedName) {
        this.out = out;
        this.prefix = prefix;
        this.every = every;
        this.checkedName = checkedName;
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (every <= 0 || !(s.epoch() == 1 || s.epoch() % every == 0 || s.epoch() == s.epochs())) {
            return;
        }
        int width = Integer.toString(s.epochs()).length();
        StringBuilder metrics = new StringBuilder();   // a --monitor figure: " balanced_accuracy 0.7631"
        s.validationMetrics().forEach((name, value) -> metrics.append(' ').append(name).append(' ')
                .append(Fixed.four(value)));
        out.print(Fixed.format("%sepoch %" + width + "d/%d  train loss %.4f%s  %s loss %.4f%s%s  elapsed %.2f s%n",
                prefix, s.epoch(), s.epochs(), s.trainLoss(), accuracy(s.trainAccuracy()), checkedName,
                s.validationLoss(), accuracy(s.validationAccuracy()), metrics, s.elapsedMillis() / 1000.0));
        out.flush();
    }

    /** {@code " acc 0.9137"}, or nothing for an accuracy that was not measured (NaN). */
    private static String accuracy(double value) {
        return Double.isNaN(value) ? "" : " acc " + Fixed.four(value);
    }

    @Override
    public void onTrainingEnd(History h) {
        if (every > 0 && h.stoppedEarly() && h.lastEpoch() % every != 0) {
            out.printf(Locale.ROOT, "%sstopped early after epoch %d (%s)%n", prefix, h.lastEpoch(),
                    h.bestEpoch() == 0 ? "no epoch better than the start" : "best epoch " + h.bestEpoch());
            out.flush();
        }
    }
}
