package dev.nnj.api.metrics;

/**
 * A ranking metric of every class against the rest, with its macro and support-weighted averages, as scikit-learn
 * computes it one class at a time: what {@link RocAuc} and {@link AveragePrecision} share. Each says how it scores
 * one class; this class holds the scores and reads them out.
 */
public abstract sealed class OneVsRestMetric permits RocAuc, AveragePrecision {
    private final OneVsRest scores;
    private final String name;

    /**
     * @param scores every class's score against the rest
     * @param name   the metric's name, for {@link #toString()}
     */
    OneVsRestMetric(OneVsRest scores, String name) {
        this.scores = scores;
        this.name = name;
    }

    /**
     * What scikit-learn's function gives on the scores as a user passes them: class 1's score for two classes
     * ({@code roc_auc_score(y, p)}, {@code average_precision_score(y, p)}), the macro average over the classes for
     * more.
     *
     * @return the score in [0, 1]
     */
    public double score() {
        return scores.classes() == 2 ? scores.forClass(1) : scores.macro();
    }

    /**
     * The unweighted mean of the classes' one-vs-rest scores ({@code average='macro'}). For two classes it
     * averages class 1's score with class 0's (ranked by {@code 1 − p} or column 0).
     *
     * @return the macro average
     */
    public double macroAverage() {
        return scores.macro();
    }

    /**
     * The mean of the classes' one-vs-rest scores weighted by their rows in the true labels
     * ({@code average='weighted'}).
     *
     * @return the weighted average
     */
    public double weightedAverage() {
        return scores.weighted();
    }

    /**
     * Class {@code c}'s score against the rest.
     *
     * @param c a class in {@code [0, classes())}
     * @return its score
     */
    public double forClass(int c) {
        return scores.forClass(c);
    }

    /**
     * Number of classes: the outputs, or 2 for one output.
     *
     * @return the class count
     */
    public int classes() {
        return scores.classes();
    }

    /**
     * The scores as one line: class 1's for two classes ({@code "ROC AUC 0.9983 (class 1 against class 0)"}), the
     * macro and weighted averages for more.
     */
    @Override
    public String toString() {
        return scores.describe(name);
    }
}
