package dev.nnj.api.model;

/**
 * Loss and accuracy of a model on a data set.
 *
 * <p>Accuracy is the fraction of rows whose predicted class is the row's class. With {@code K > 1}
 * outputs that is {@code argmax a = argmax y} (the first maximum of each row); with one output, a binary
 * classifier's, {@code (a > 0.5) = (y > 0.5)}, an output of exactly 0.5 being class 0 as in scikit-learn and
 * Keras. It is defined only when the targets are classes (see
 * {@link dev.nnj.api.data.Dataset#hasClassTargets}): one-hot rows, 0/1 values, or rows with labels. For
 * other targets, such as a regression's real values, a threshold or an arg-max would count a number with no
 * meaning, so {@code accuracy} is NaN and {@link #hasAccuracy()} is false; Keras likewise reports no
 * accuracy unless asked. A classifier trained with mean squared error on one-hot targets keeps its accuracy.
 *
 * @param loss     mean loss over the samples
 * @param accuracy fraction of samples classified correctly, or NaN when the targets are not classes
 * @param samples  number of samples evaluated
 */
public record Evaluation(double loss, double accuracy, int samples) {

    /**
     * Checks the figures.
     *
     * @param loss     mean loss over the samples
     * @param accuracy fraction of samples classified correctly, or NaN when the targets are not classes
     * @param samples  number of samples evaluated
     * @throws IllegalArgumentException for a negative sample count, or an accuracy outside {@code [0, 1]}
     */
    public Evaluation {
        if (samples < 0) {
            throw new IllegalArgumentException("samples is " + samples + "; a count is not negative");
        }
        if (accuracy < 0 || accuracy > 1) {
            throw new IllegalArgumentException("accuracy is " + accuracy + "; a fraction of the samples is in [0, 1], "
                    + "or NaN for targets that are not classes");
        }
    }

    /**
     * Whether accuracy was measured, which it is exactly when the targets are classes.
     *
     * @return true when {@link #accuracy()} is a number
     */
    public boolean hasAccuracy() {
        return !Double.isNaN(accuracy);
    }

    /**
     * {@code loss=0.0566 accuracy=0.9775 (1000 samples)}, or without the accuracy when there is none.
     *
     * @return the figures, four decimals each
     */
    @Override
    public String toString() {
        return hasAccuracy()
                ? String.format(java.util.Locale.ROOT, "loss=%.4f accuracy=%.4f (%d samples)", loss, accuracy, samples)
                : String.format(java.util.Locale.ROOT, "loss=%.4f (%d samples)", loss, samples);
    }
}
