package dev.nnj.spark;

/**
 * MLlib's decision rule for per-class thresholds ({@code ProbabilisticClassificationModel.probability2prediction}),
 * which {@link NnjClassificationModel} applies to the softmax probabilities {@code p} of a row:
 * <pre>
 *   prediction = argmax_k  p_k / t_k        (the lowest k on a tie)
 * </pre>
 * Without thresholds it is the plain arg-max. At most one {@code t_k} is 0: that class's ratio is {@code +∞}
 * whenever {@code p_k > 0}, so it is predicted, and NaN when {@code p_k = 0}, which never compares larger, so it is
 * not.
 */
final class Thresholds {
    private Thresholds() {
    }

    /**
     * The thresholds set on a stage.
     *
     * @param stage the estimator or the model
     * @return its thresholds, or {@code null} when none are set (the arg-max)
     */
    static double[] setOn(NnjClassifierParams stage) {
        return stage.isDefined(stage.thresholds()) ? stage.getOrDefault(stage.thresholds()) : null;
    }

    /**
     * The predicted class of one row.
     *
     * @param p          the row's class probabilities
     * @param thresholds one per class, or {@code null} for the arg-max
     * @return the class index
     */
    static int predict(double[] p, double[] thresholds) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.length; k++) {
            double scaled = thresholds == null ? p[k] : p[k] / thresholds[k];
            // Strictly larger: the first of equal scores wins, and a NaN (0 / 0) never does.
            if (scaled > max) {
                max = scaled;
                best = k;
            }
        }
        return best;
    }

    /**
     * The param's own bounds, checked when a value is set: each value {@code >= 0} (NaN is not), at most one 0.
     *
     * @param thresholds the values being set
     * @throws IllegalArgumentException naming the first value out of bounds, or the two zeros
     */
    static void requireValid(double[] thresholds) {
        int zero = -1;
        for (int k = 0; k < thresholds.length; k++) {
            double t = thresholds[k];
            if (!(t >= 0)) {
                throw new IllegalArgumentException("thresholds must each be >= 0, got " + t + " for class " + k);
            }
            if (t == 0) {
                if (zero >= 0) {
                    throw new IllegalArgumentException("thresholds may have at most one 0 (the class always predicted"
                            + "), got 0 for classes " + zero + " and " + k);
                }
                zero = k;
            }
        }
    }

    /**
     * Checks that there is one threshold per class.
     *
     * @param thresholds the values set, or {@code null} for none
     * @param classes    the model's (or the data's) number of classes
     * @param whose      what has that many classes, for the message: "the model", "the training data"
     * @throws IllegalArgumentException if the lengths differ
     */
    static void requireOnePerClass(double[] thresholds, int classes, String whose) {
        if (thresholds != null && thresholds.length != classes) {
            throw new IllegalArgumentException("thresholds has " + thresholds.length + " values, one per class is "
                    + "needed: " + whose + " has " + classes + " classes");
        }
    }
}
