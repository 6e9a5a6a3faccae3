package dev.nnj.api.metrics;

/**
 * The fraction of samples whose true class is among the {@code k} highest scores: scikit-learn's
 * {@code top_k_accuracy_score(y_true, y_score, k=k, labels=range(classes))} for multi-class scores. Ties are
 * broken as scikit-learn breaks them (a stable ascending sort, reversed): among equal scores the higher class
 * index ranks first. {@code k = 1} is ordinary accuracy when no scores tie. With sample weights {@code w} it is the
 * weight of those samples over the total, {@code Σ_i w_i [y_i in top k] / Σ_i w_i}:
 * {@code top_k_accuracy_score(..., sample_weight=w)}.
 * Math: {@code docs/math.md#9-classification-metrics}.
 */
public final class TopKAccuracy {
    private TopKAccuracy() {
    }

    /**
     * Top-k accuracy of row-major scores.
     *
     * @param scores     {@code (samples, classes)} row-major, higher means more likely (probabilities or logits)
     * @param classes    number of classes (columns of {@code scores}, ≥ 2)
     * @param trueLabels the true class of each sample, in {@code [0, classes)}
     * @param k          how many of the best classes count (≥ 1; {@code k ≥ classes} gives 1)
     * @return the fraction of samples whose true class ranks in the top {@code k}
     */
    public static double of(float[] scores, int classes, int[] trueLabels, int k) {
        return of(scores, classes, trueLabels, k, null);
    }

    /**
     * Top-k accuracy of row-major scores, each sample counting as its weight.
     *
     * @param scores        {@code (samples, classes)} row-major, higher means more likely (probabilities or logits)
     * @param classes       number of classes (columns of {@code scores}, ≥ 2)
     * @param trueLabels    the true class of each sample, in {@code [0, classes)}
     * @param k             how many of the best classes count (≥ 1; {@code k ≥ classes} gives 1)
     * @param sampleWeights one weight per sample, finite, ≥ 0 and not all 0; null for none
     * @return the fraction of the total weight whose true class ranks in the top {@code k}
     * @throws IllegalArgumentException if the lengths disagree, a label is not a class, {@code k < 1}, or the
     *         weights are not one finite weight ≥ 0 per sample, not all 0
     * @throws dev.nnj.api.data.InvalidDataException (an {@code IllegalArgumentException}) if a score is NaN or
     *         infinite, named by row and column, as scikit-learn refuses them
     */
    public static double of(float[] scores, int classes, int[] trueLabels, int k, double[] sampleWeights) {
        if (scores == null || trueLabels == null) {
            throw new NullPointerException(scores == null ? "scores" : "trueLabels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (trueLabels.length == 0 || (long) trueLabels.length * classes != scores.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " values; " + trueLabels.length
                    + " samples x " + classes + " classes need " + (long) trueLabels.length * classes
                    + " (and at least one sample)");
        }
        // A NaN compares false with everything, so it would rank first, its own class a hit whatever the rest.
        dev.nnj.api.data.DataChecks.requireFinite("TopKAccuracy.of: scores", scores, classes);
        SampleWeights.check("TopKAccuracy.of", sampleWeights, trueLabels.length);
        double hits = 0;
        double total = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            int label = trueLabels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("trueLabels[" + i + "] = " + label + " is not a class in [0, "
                        + classes + ")");
            }
            double w = SampleWeights.of(sampleWeights, i);
            if (rank(scores, i * classes, classes, label) < k) {
                hits += w;
            }
            total += w;
        }
        return hits / total;
    }

    /** 0-based position of {@code label} in row {@code offset}'s scores sorted best first, ties: higher index first. */
    private static int rank(float[] scores, int offset, int classes, int label) {
        float own = scores[offset + label];
        int ahead = 0;
        for (int j = 0; j < classes; j++) {
            float s = scores[offset + j];
            if (s > own || (s == own && j > label)) {
                ahead++;
            }
        }
        return ahead;
    }
}
