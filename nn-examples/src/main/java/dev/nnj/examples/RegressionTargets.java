package dev.nnj.examples;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.metrics.RegressionReport;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A regression run's targets, in two forms. The network trains on them standardized with the training rows'
 * statistics, {@code z = (y - mean) / std}, as scikit-learn's {@code TransformedTargetRegressor} with a
 * {@code StandardScaler} does: a target of mean 180,000 and spread 80,000 (a house price) would otherwise start
 * every squared error near 10¹⁰ and take a learning rate no preset has. The report compares predictions, turned back
 * into the target's units ({@code y = z * std + mean}), with the values as read, so that its figures are the file's
 * own and equal scikit-learn's on the same numbers.
 *
 * @param name       the target column as messages name it ({@link RegressionTarget#name})
 * @param scaler     the standardization, fitted on the training rows; saved with the model, whose
 *                   {@code SavedModel.predict} then gives values in the target's units
 * @param train      the training rows' targets as read
 * @param validation the validation rows' targets as read, or null without a validation split
 * @param test       the test rows' targets as read
 */
record RegressionTargets(String name, StandardScaler scaler, float[] train, float[] validation, float[] test) {

    /**
     * Fits the standardization on the training rows' targets and keeps every part's targets as read.
     *
     * @param name       the target column, for messages
     * @param train      the training rows, targets {@code (rows, 1)}
     * @param validation the validation rows, or null
     * @param test       the test rows
     * @return the targets
     */
    static RegressionTargets fit(String name, Dataset train, Dataset validation, Dataset test) {
        return fit(name, RegressionTarget.values(train), validation == null ? null
                : RegressionTarget.values(validation), RegressionTarget.values(test));
    }

    private static RegressionTargets fit(String name, float[] train, float[] validation, float[] test) {
        return new RegressionTargets(name, new StandardScaler().fit(train, 1), train, validation, test);
    }

    /**
     * A {@code --cv} fold's targets: the training rows' values split by the fold, and the standardization fitted
     * again on the fold's own training rows, so that nothing of the rows it holds out shapes it (as a scikit-learn
     * pipeline's target scaler is refitted in each fold of {@code cross_val_score}).
     *
     * @param fold row indices into the training rows
     * @return the fold's targets: {@link #train} its training rows', {@link #test} its held-out rows'
     */
    RegressionTargets fold(IndexSplit fold) {
        return fit(name, gather(train, fold.train()), null, gather(train, fold.test()));
    }

    private static float[] gather(float[] values, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    /**
     * The same rows with standardized targets (a new target array; the features are shared).
     *
     * @param rows rows of this run, or null
     * @return the rows to train or check on, or null for null
     */
    Dataset standardized(Dataset rows) {
        return rows == null ? null : standardized(rows, rows.targets());
    }

    /**
     * {@code rows}' features with {@code values} standardized as their targets.
     *
     * @param rows   rows of this run
     * @param values their targets as read, one per row
     * @return the rows to train or check on
     */
    Dataset standardized(Dataset rows, float[] values) {
        float[] z = scaler.transform(values, 1);
        return rows.allowsNonFinite() ? Dataset.allowingNonFinite(rows.features(), rows.featureCount(), z, 1, null)
                : new Dataset(rows.features(), rows.featureCount(), z, 1);
    }

    /**
     * Predictions of the network, in standardized units, turned into the target's: {@code y = z * std + mean}.
     *
     * @param standardized one prediction per row
     * @return the same in the target's units, a new array
     */
    float[] inTargetUnits(float[] standardized) {
        return scaler.inverseTransform(standardized, 1);
    }

    /** {@return the training rows' mean of the target: what scikit-learn's DummyRegressor predicts for every row} */
    double trainingMean() {
        return scaler.mean()[0];
    }

    /**
     * The baseline on the test rows: the training mean predicted for every one, as scikit-learn's
     * {@code DummyRegressor(strategy="mean")}, whose R² is about 0 (exactly 0 on the training rows).
     *
     * @return its figures, in the target's units
     */
    RegressionReport testBaseline() {
        float[] mean = new float[test.length];
        Arrays.fill(mean, (float) trainingMean());
        return RegressionReport.of(mean, test, 1);
    }

    /**
     * The training rows' standard deviation of the target (population, as StandardScaler's): 0 for a constant target,
     * which the scaler divides by 1 instead.
     *
     * @return the standard deviation
     */
    double trainingStd() {
        return Math.sqrt(scaler.variance()[0]);
    }

    /** {@return whether the target is the same in every training row: nothing to learn} */
    boolean constant() {
        return scaler.variance()[0] == 0;
    }

    /**
     * What a user must know of the target before trusting the figures: a target the same in every training row
     * (nothing to learn), or one too coarse in float32 for its spread ({@link DataChecks#float32Coarse}: a value of
     * 1e8 + y rounded to steps of 8), whose figures then compare predictions with the rounded values.
     *
     * @return the warnings, each naming the target; empty for none
     */
    List<String> warnings() {
        if (constant()) {
            return List.of("target " + name + " is " + train[0] + " in every training row: there is nothing to learn, "
                    + "and R2, the share of the target's variance a model explains, is not defined on it (scikit-learn "
                    + "gives 1 for an exact fit, 0 otherwise)");
        }
        String coarse = DataChecks.float32Coarse(trainingMean(), trainingStd());
        return coarse == null ? List.of() : List.of("target " + name + " " + coarse + "; the figures after training "
                + "compare predictions with those rounded values, not the file's (the StandardScaler warning above, "
                + "about its column 0, is this one)");
    }

    /** {@return the line that says how the target is scaled, for the data's description} */
    String description() {
        return String.format(Locale.ROOT, "  target %s standardized on the training rows (mean %.6g, standard "
                + "deviation %.6g); the results after training are in its units", name,
                trainingMean(), trainingStd());
    }
}
