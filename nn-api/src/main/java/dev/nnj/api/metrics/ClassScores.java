package dev.nnj.api.metrics;

/**
 * One row of a {@link ClassificationReport}: a class's scores, or an average over classes.
 *
 * @param precision {@code TP / (TP + FP)}: of the samples predicted as the class, the fraction that are
 * @param recall    {@code TP / (TP + FN)}: of the samples of the class, the fraction found
 * @param f1        {@code 2 · precision · recall / (precision + recall)}, their harmonic mean
 * @param support   samples of the class in the true labels (all samples for an average)
 */
public record ClassScores(double precision, double recall, double f1, int support) {
}
