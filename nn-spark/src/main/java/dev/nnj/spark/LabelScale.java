package dev.nnj.spark;

import java.io.Serializable;

/**
 * How a regression label is standardized for training, {@code z = (y − mean) / std}, as scikit-learn's
 * {@code StandardScaler} (population std, {@code ddof = 0}) does to a column, and MLlib's {@code LinearRegression} to
 * its label internally: the network learns a target of mean 0 and variance 1, whatever the label's units, so that the
 * initial weights, the learning rate and the Huber {@code δ} mean the same on every data set. With a weight column the
 * mean and the variance are weighted, as MLlib's summarizer weighs them.
 *
 * @param mean the label's (weighted) mean, subtracted; 0 for no scaling
 * @param std  the label's (weighted) population standard deviation, divided by; 1 for no scaling, and 1 for a
 *             constant label (scikit-learn's rule for a zero scale)
 */
record LabelScale(double mean, double std) implements Serializable {
    /** No scaling: the network learns the label itself. */
    static final LabelScale IDENTITY = new LabelScale(0, 1);

    /**
     * The scaling of labels whose weighted moments are given.
     *
     * @param weightSum {@code Σ w_i}, above 0
     * @param mean      {@code Σ w_i y_i / Σ w_i}
     * @param m2        {@code Σ w_i (y_i − mean)²}
     * @param constant  whether every label of weight above 0 is the same value (its least equals its greatest)
     * @return the scale; a constant label's std becomes 1, as scikit-learn's scalers treat a zero scale
     */
    static LabelScale of(double weightSum, double mean, double m2, boolean constant) {
        // Told by the extremes, not the moments: equal float32 labels sum with rounding in double (0.1 weighted gave
        // a std of 3e-17, 1000000.3 one of 1e-9), and a rule on the std relative to the mean (a millionth) took a
        // label of mean 1e8 and std 50, six float32 steps, for constant: trained unstandardized, R² 0.946, not 0.989.
        double std = Math.sqrt(Math.max(0, m2) / weightSum);
        return new LabelScale(mean, constant || !(std > 0) ? 1 : std);
    }

    /** {@return the training target of label {@code y}, {@code (y − mean) / std} in double, rounded to float} */
    float scale(float y) {
        return (float) ((y - mean) / std);
    }
}
