package dev.nnj.api.model;

/**
 * Loss and accuracy of a model on a data set.
 *
 * @param loss     mean loss over the samples
 * @param accuracy fraction of samples classified correctly (arg-max, or the 0.5 threshold for one output)
 * @param samples  number of samples evaluated
 */
public record Evaluation(double loss, double accuracy, int samples) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "loss=%.4f accuracy=%.4f (%d samples)", loss, accuracy, samples);
    }
}
