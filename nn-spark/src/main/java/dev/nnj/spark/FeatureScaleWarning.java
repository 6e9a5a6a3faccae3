package dev.nnj.spark;

import dev.nnj.api.data.DataChecks;
import java.util.List;
import java.util.Locale;

/**
 * The warning nnj's {@code Trainer.fit} gives of features far from unit scale, for nn-spark's {@code fit}, on the
 * thresholds of {@link DataChecks#UNSCALED_FEATURE} and {@link DataChecks#VANISHING_FEATURES}: the network reads the
 * features as they come, where MLlib's {@code LogisticRegression} standardizes them inside (raw breast-cancer
 * features, up to 2501, trained to 0.872 training accuracy against 0.967 after a {@code StandardScaler}; the same
 * data scaled by 1e-30 to chance, 0.333). Each block reports its columns' count, means and squared deviations, which
 * the driver merges as the label's moments are merged; vectors wider than {@value #MAX_COLUMNS} (hashed text) are
 * not looked at.
 */
final class FeatureScaleWarning {
    /** Widest vector whose columns are summarized. */
    static final int MAX_COLUMNS = 4096;

    private FeatureScaleWarning() {
    }

    /**
     * A block's column moments, {@code {n, mean_0 … mean_{w−1}, M2_0 … M2_{w−1}}} in double (two passes).
     *
     * @param x    {@code (rows, w)} row-major
     * @param rows rows in the block
     * @param w    columns
     * @return the moments, or null for a block without rows or wider than {@value #MAX_COLUMNS}
     */
    static double[] moments(float[] x, int rows, int w) {
        if (rows == 0 || w > MAX_COLUMNS) {
            return null;
        }
        double[] m = new double[1 + 2 * w];
        m[0] = rows;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < w; j++) {
                m[1 + j] += x[i * w + j];
            }
        }
        for (int j = 0; j < w; j++) {
            m[1 + j] /= rows;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < w; j++) {
                double d = x[i * w + j] - m[1 + j];
                m[1 + w + j] += d * d;
            }
        }
        return m;
    }

    /**
     * The warning, or null: the first column whose mean or standard deviation is beyond
     * {@link DataChecks#UNSCALED_FEATURE}, or every column within {@link DataChecks#VANISHING_FEATURES} of 0.
     *
     * @param blocks      each block's {@link #moments}, null for those without
     * @param featuresCol the column's name, for the message
     * @return the warning naming the column and the cure, or null
     */
    static String warning(List<double[]> blocks, String featuresCol) {
        double[] merged = null;
        for (double[] m : blocks) {
            if (m == null) {
                continue;
            }
            if (merged == null) {
                merged = new double[m.length];   // n = 0, then the first part merged in, as the label's moments are
            }
            TrainingData.mergeInto(merged, m, (m.length - 1) / 2);
        }
        if (merged == null) {
            return null;
        }
        int w = (merged.length - 1) / 2;
        double[] means = java.util.Arrays.copyOfRange(merged, 1, 1 + w);
        double[] stds = new double[w];
        for (int j = 0; j < w; j++) {
            stds[j] = Math.sqrt(merged[1 + w + j] / merged[0]);
        }
        int far = DataChecks.firstUnscaledFeature(means, stds);
        if (far >= 0) {
            return String.format(Locale.ROOT, "column '%s' (featuresCol): feature %d has mean %.4g and standard "
                    + "deviation %.4g: the network reads features as they are, and ones far from unit scale train "
                    + "poorly or diverge; put a StandardScaler (setWithMean(true)) before it in the pipeline",
                    featuresCol, far, means[far], stds[far]);
        }
        if (DataChecks.featuresVanish(means, stds)) {
            return String.format(Locale.ROOT, "column '%s' (featuresCol): every feature is within %.0e of 0 (largest "
                    + "standard deviation %.4g): the network's first layer hardly sees them; put a StandardScaler "
                    + "before it in the pipeline", featuresCol, DataChecks.VANISHING_FEATURES,
                    java.util.Arrays.stream(stds).max().orElse(0));
        }
        return null;
    }
}
