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
     * @return the scale; a std of 0 (every weighted label equal) becomes 1, as scikit-learn's scalers treat it
     */
    static LabelScale of(double weightSum, double mean, double m2) {
        double std = Math.sqrt(Math.max(0, m2) / weightSum);
        // Equal float32 labels sum with rounding in double: 0.1 weighted gave a std of 3e-17, 1000000.3 one of 1e-9.
        // A spread below a millionth of the mean is below float32's resolution of the labels: constant.
        return new LabelScale(mean, std > CONSTANT_SPREAD * Math.abs(mean) && std > 0 ? std : 1);
    }

    /** Spread, relative to the mean, at or below which a label counts as constant: ten float32 steps, about. */
    static final double CONSTANT_SPREAD = 1e-6;

    /** {@return the training target of label {@code y}, {@code (y − mean) / std} in double, rounded to float} */
    float scale(float y) {
        return (float) ((y - mean) / std);
    }
}
