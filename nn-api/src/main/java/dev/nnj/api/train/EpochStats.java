package dev.nnj.api.train;

import java.util.Locale;
import java.util.Map;

/**
 * What one epoch of training measured. Training loss and accuracy are averaged over the epoch's batches as
 * they were seen (before each batch's update), as Keras reports them; validation figures are computed after
 * the epoch's last update, and are {@code NaN} without a validation set.
 *
 * <p>An accuracy is measured only for a set whose targets are classes
 * ({@link dev.nnj.api.data.Dataset#hasClassTargets}); for any other (a regression's real values) it is NaN,
 * {@link #hasAccuracy()} or {@link #hasValidationAccuracy()} is false, and {@link #toString()} leaves it out.
 * See {@link dev.nnj.api.model.Evaluation} for the rule.
 *
 * @param epoch              1-based epoch number
 * @param epochs             epochs requested
 * @param trainLoss          mean training loss
 * @param trainAccuracy      training accuracy, or NaN when the training targets are not classes
 * @param validationLoss     mean validation loss, or NaN
 * @param validationAccuracy validation accuracy, or NaN without a validation set or when its targets are not
 *                           classes
 * @param elapsedMillis      time since training started
 * @param learningRate       the optimizer's learning rate during the epoch's last step, or NaN where unknown; from
 *                           {@link Trainer}, that float's shortest decimal ({@code 8.0E-4}, not its widening
 *                           {@code 7.999999797903001E-4}), which rounds back to it exactly
 * @param validationMetrics  the validation metrics the trainer was asked for
 *                           ({@link Trainer.Builder#validationMetric}), by name, in the order they were added; empty
 *                           when there are none
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, long elapsedMillis, double learningRate,
                         Map<String, Double> validationMetrics) {

    /**
     * Copies the metrics, keeping their order.
     *
     * @param epoch              1-based epoch number
     * @param epochs             epochs requested
     * @param trainLoss          mean training loss
     * @param trainAccuracy      training accuracy, or NaN
     * @param validationLoss     mean validation loss, or NaN
     * @param validationAccuracy validation accuracy, or NaN
     * @param elapsedMillis      time since training started
     * @param learningRate       the learning rate, or NaN
     * @param validationMetrics  the validation metrics by name, or empty
     */
    public EpochStats {
        validationMetrics = validationMetrics.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validationMetrics));
    }

    /**
     * Stats without validation metrics.
     *
     * @param epoch              1-based epoch number
     * @param epochs             epochs requested
     * @param trainLoss          mean training loss
     * @param trainAccuracy      training accuracy, or NaN
     * @param validationLoss     mean validation loss, or NaN
     * @param validationAccuracy validation accuracy, or NaN
     * @param elapsedMillis      time since training started
     * @param learningRate       the learning rate, or NaN
     */
    public EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                      double validationAccuracy, long elapsedMillis, double learningRate) {
        this(epoch, epochs, trainLoss, trainAccuracy, validationLoss, validationAccuracy, elapsedMillis, learningRate,
                Map.of());
    }

    /**
     * Stats without a learning rate (NaN).
     *
     * @param epoch              1-based epoch number
     * @param epochs             epochs requested
     * @param trainLoss          mean training loss
     * @param trainAccuracy      training accuracy, or NaN
     * @param validationLoss     mean validation loss, or NaN
     * @param validationAccuracy validation accuracy, or NaN
     * @param elapsedMillis      time since training started
     */
    public EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                      double validationAccuracy, long elapsedMillis) {
        this(epoch, epochs, trainLoss, trainAccuracy, validationLoss, validationAccuracy, elapsedMillis, Double.NaN);
    }

    /**
     * A validation metric's value this epoch.
     *
     * @param name the name it was added under ({@link Trainer.Builder#validationMetric})
     * @return its value, or NaN when the run computes no metric of that name
     */
    public double validationMetric(String name) {
        Double v = validationMetrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /**
     * Whether the epoch was evaluated on a validation set.
     *
     * @return true when the validation figures are numbers
     */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    /**
     * Whether the training accuracy was measured, which it is when the training targets are classes.
     *
     * @return true when {@link #trainAccuracy()} is a number
     */
    public boolean hasAccuracy() {
        return !Double.isNaN(trainAccuracy);
    }

    /**
     * Whether the validation accuracy was measured: there is a validation set and its targets are classes.
     *
     * @return true when {@link #validationAccuracy()} is a number
     */
    public boolean hasValidationAccuracy() {
        return !Double.isNaN(validationAccuracy);
    }

    /**
     * The Keras-style line, {@code epoch 3/10  loss 0.4213  acc 0.9137  val_loss 0.4465  val_acc 0.9000
     * val_prc 0.5087  (0.31 s)}; an accuracy that was not measured is left out, not printed as NaN.
     *
     * @return the epoch's figures on one line
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs,
                trainLoss));
        if (hasAccuracy()) {
            s.append(String.format(Locale.ROOT, "  acc %.4f", trainAccuracy));
        }
        if (hasValidation()) {
            s.append(String.format(Locale.ROOT, "  val_loss %.4f", validationLoss));
            if (hasValidationAccuracy()) {
                s.append(String.format(Locale.ROOT, "  val_acc %.4f", validationAccuracy));
            }
        }
        validationMetrics.forEach((name, v) -> s.append(String.format(Locale.ROOT, "  val_%s %.4f", name, v)));
        return s.append(String.format(Locale.ROOT, "  (%.2f s)", elapsedMillis / 1000.0)).toString();
    }
}
