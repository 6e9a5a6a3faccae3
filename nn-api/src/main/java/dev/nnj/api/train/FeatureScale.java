package dev.nnj.api.train;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import java.util.Locale;

/**
 * The warning {@link Trainer#fit} gives when the training features are far from unit scale, which it trains on
 * regardless. A first layer {@code z = x·W + b} with Glorot or He weights (of size {@code ~1/√fan_in}) expects
 * inputs of size about 1:
 * <ul>
 *   <li>a column of mean or spread beyond {@value #LARGE} (incomes, raw counts) saturates sigmoid and tanh units at
 *       once and makes every step on its weights hundreds of times too large for the others';</li>
 *   <li>features all within {@value #SMALL} of 0 leave {@code z ≈ b}: the network sees almost nothing of them (a
 *       trial's separable data scaled by 10⁻³⁰ trained to chance, 0.555, without a word).</li>
 * </ul>
 * scikit-learn's MLPClassifier documents the same ("sensitive to feature scaling") and says nothing at fit; a
 * scaler fitted on the training rows cures both. Constant columns, and spreads that differ between columns (a rare
 * one-hot category beside a wide column), are not warned of: scaled data has them too.
 */
final class FeatureScale {
    /** Mean or standard deviation of a feature column beyond which it is called unscaled. */
    static final double LARGE = DataChecks.UNSCALED_FEATURE;
    /** Largest mean and standard deviation below which all features are called vanishing. */
    static final double SMALL = DataChecks.VANISHING_FEATURES;
    /** Rows looked at, at most: evenly spaced through a larger set, enough for a mean and a spread. */
    static final int SAMPLE_ROWS = 100_000;

    private FeatureScale() {
    }

    /**
     * Why {@code train}'s features would train poorly, or null.
     *
     * @param train the training rows, finite
     * @return the warning, naming the column and the cure, or null when the features look scaled
     */
    static String warning(Dataset train) {
        int columns = train.featureCount();
        float[] x = train.features();
        int rows = train.size();
        double[][] moments = DataChecks.columnMoments(x, rows, columns, Math.max(1, rows / SAMPLE_ROWS));
        double[] means = moments[0];
        double[] stds = java.util.Arrays.stream(moments[1]).map(Math::sqrt).toArray();
        int far = DataChecks.firstUnscaledFeature(means, stds);
        if (far >= 0) {
            return String.format(Locale.ROOT, "training set: feature column %d has mean %.4g and standard "
                    + "deviation %.4g: features far from unit scale saturate the first layer or make its steps "
                    + "too large, and train poorly; scale them (a StandardScaler or MinMaxScaler fitted on the "
                    + "training features, saved with the model by Preprocessing.withScaler, which "
                    + "SavedModel.predict applies)", far, means[far], stds[far]);
        }
        if (DataChecks.featuresVanish(means, stds)) {
            return String.format(Locale.ROOT, "training set: every feature column is within %.0e of 0 (largest "
                    + "standard deviation %.4g): the first layer's outputs hardly move from its biases, and the "
                    + "network learns little; scale the features (a StandardScaler fitted on the training features, "
                    + "saved by Preprocessing.withScaler)", SMALL, java.util.Arrays.stream(stds).max().orElse(0));
        }
        return null;
    }
}
