package dev.nnj.api.metrics;

/**
 * One row of a {@link ClassificationReport}: a class's scores, or an average over classes. In a report made with
 * sample weights, {@code TP}, {@code FP} and {@code FN} are sums of the samples' weights, not counts.
 *
 * @param precision       {@code TP / (TP + FP)}: of the samples predicted as the class, the fraction that are
 * @param recall          {@code TP / (TP + FN)}: of the samples of the class, the fraction found
 * @param f1              {@code 2 · precision · recall / (precision + recall)}, their harmonic mean
 * @param support         samples of the class in the true labels (all samples for an average), however they weigh
 * @param weightedSupport the sum of those samples' weights, scikit-learn's {@code support} with
 *                        {@code sample_weight} (the total weight for an average); {@code support} without weights
 */
public record ClassScores(double precision, double recall, double f1, int support, double weightedSupport) {
    /**
     * Scores without sample weights: the weighted support is the support.
     *
     * @param precision {@code TP / (TP + FP)}
     * @param recall    {@code TP / (TP + FN)}
     * @param f1        the harmonic mean of the two
     * @param support   samples of the class in the true labels
     */
    public ClassScores(double precision, double recall, double f1, int support) {
        this(precision, recall, f1, support, support);
    }
}
