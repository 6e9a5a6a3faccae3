package dev.nnj.api.train;

import java.util.Locale;

/**
 * What one epoch of training measured. Training loss and accuracy are averaged over the epoch's batches as
 * they were seen (before each batch's update), as Keras reports them; validation figures are computed after
 * the epoch's last update, and are {@code NaN} without a validation set.
 *
 * @param epoch              1-based epoch number
 * @param epochs             epochs requested
 * @param trainLoss          mean training loss
 * @param trainAccuracy      training accuracy
 * @param validationLoss     mean validation loss, or NaN
 * @param validationAccuracy validation accuracy, or NaN
 * @param elapsedMillis      time since training started
 * @param learningRate       the optimizer's learning rate during the epoch's last step, or NaN where unknown
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, long elapsedMillis, double learningRate) {

    /**
     * Stats without a learning rate (NaN).
     *
     * @param epoch              1-based epoch number
     * @param epochs             epochs requested
     * @param trainLoss          mean training loss
     * @param trainAccuracy      training accuracy
     * @param validationLoss     mean validation loss, or NaN
     * @param validationAccuracy validation accuracy, or NaN
     * @param elapsedMillis      time since training started
     */
    public EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                      double validationAccuracy, long elapsedMillis) {
        this(epoch, epochs, trainLoss, trainAccuracy, validationLoss, validationAccuracy, elapsedMillis, Double.NaN);
    }

    /**
     * Whether the epoch was evaluated on a validation set.
     *
     * @return true when the validation figures are numbers
     */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %.4f", epoch, epochs, trainLoss,
                trainAccuracy);
        if (hasValidation()) {
            s += String.format(Locale.ROOT, "  val_loss %.4f  val_acc %.4f", validationLoss, validationAccuracy);
        }
        return s + String.format(Locale.ROOT, "  (%.2f s)", elapsedMillis / 1000.0);
    }
}
