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
 * <p>Several targets ({@code --label y1,y2}) are {@code k} columns of every array, row-major {@code (rows, k)}, each
 * standardized with its own mean and deviation, as scikit-learn's {@code StandardScaler} does a 2-D {@code y}.
 *
 * @param name       the target column as messages name it ({@link RegressionTarget#name}); the targets,
 *                   comma-separated, for several
 * @param scaler     the standardization, fitted on the training rows; saved with the model, whose
 *                   {@code SavedModel.predict} then gives values in the target's units
 * @param train      the training rows' targets as read
 * @param validation the validation rows' targets as read, or null without a validation split
 * @param test       the test rows' targets as read
 * @param names      each target as messages name it, in output order: {@code name} alone for one
 */
record RegressionTargets(String name, StandardScaler scaler, float[] train, float[] validation, float[] test,
                         List<String> names) {

    /**
     * One target's.
     *
     * @param name       the target column as messages name it
     * @param scaler     the standardization, fitted on the training rows
     * @param train      the training rows' targets as read
     * @param validation the validation rows' targets as read, or null
     * @param test       the test rows' targets as read
     */
    RegressionTargets(String name, StandardScaler scaler, float[] train, float[] validation, float[] test) {
        this(name, scaler, train, validation, test, List.of(name));
    }

    /**
     * Fits the standardization on the training rows' targets and keeps every part's targets as read.
     *
     * @param names      each target column, for messages
     * @param train      the training rows, targets {@code (rows, k)}
     * @param validation the validation rows, or null
     * @param test       the test rows
     * @return the targets
     */
    static RegressionTargets fit(List<String> names, Dataset train, Dataset validation, Dataset test) {
        return fit(names, values(train), validation == null ? null : values(validation), values(test));
    }

    private static float[] values(Dataset rows) {
        return Arrays.copyOf(rows.targets(), rows.size() * rows.targetCount());
    }

    private static RegressionTargets fit(List<String> names, float[] train, float[] validation, float[] test) {
        return new RegressionTargets(String.join(", ", names), RepeatedWarnings.targetScalerFit(
                () -> new StandardScaler().fit(train, names.size())), train,
                validation, test, List.copyOf(names));
    }

    /** {@return the number of targets: the network's outputs} */
    int count() {
        return names.size();
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
        return fit(names, gather(fold.train()), null, gather(fold.test()));
    }

    private float[] gather(int[] rows) {
        int k = count();
        float[] out = new float[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(train, rows[i] * k, out, i * k, k);
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
     * @param values their targets as read, {@code k} per row
     * @return the rows to train or check on
     */
    Dataset standardized(Dataset rows, float[] values) {
        int k = count();
        float[] z = scaler.transform(values, k);
        return rows.allowsNonFinite() ? Dataset.allowingNonFinite(rows.features(), rows.featureCount(), z, k, null)
                : new Dataset(rows.features(), rows.featureCount(), z, k);
    }

    /**
     * Predictions of the network, in standardized units, turned into the target's: {@code y = z * std + mean}.
     *
     * @param standardized one prediction per row and target
     * @return the same in the target's units, a new array
     */
    float[] inTargetUnits(float[] standardized) {
        return scaler.inverseTransform(standardized, count());
    }

    /** {@return the training rows' mean of the target: what scikit-learn's DummyRegressor predicts for every row} */
    double trainingMean() {
        return trainingMean(0);
    }

    /**
     * One target's training mean.
     *
     * @param target the target, from 0 in output order
     * @return its mean over the training rows
     */
    double trainingMean(int target) {
        return scaler.mean()[target];
    }

    /**
     * The baseline on the test rows: the training mean predicted for every one, as scikit-learn's
     * {@code DummyRegressor(strategy="mean")}, whose R² is about 0 (exactly 0 on the training rows).
     *
     * @return its figures, in the target's units
     */
    RegressionReport testBaseline() {
        int k = count();
        float[] mean = new float[test.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) trainingMean(i % k);
        }
        return RegressionReport.of(mean, test, k);
    }

    /**
     * The training rows' standard deviation of the target (population, as StandardScaler's): 0 for a constant target,
     * which the scaler divides by 1 instead.
     *
     * @return the standard deviation
     */
    double trainingStd() {
        return trainingStd(0);
    }

    private double trainingStd(int target) {
        return Math.sqrt(scaler.variance()[target]);
    }

    /** {@return whether a target is the same in every training row: nothing to learn of it} */
    boolean constant() {
        return constantTarget() >= 0;
    }

    /** {@return the first target the same in every training row, from 0; -1 where each varies} */
    int constantTarget() {
        for (int j = 0; j < count(); j++) {
            if (constant(j)) {
                return j;
            }
        }
        return -1;
    }

    /** {@return whether target {@code j} (from 0) is the same in every training row} */
    boolean constant(int j) {
        return scaler.variance()[j] == 0;
    }

    /**
     * What a user must know of the target before trusting the figures: a target the same in every training row
     * (nothing to learn), one whose range a few values dominate ({@link FeatureColumnChecks#dominatedRange}: a 1e30
     * among values near 1), or one too coarse in float32 for its spread ({@link DataChecks#float32Coarse}: a value of
     * 1e8 + y rounded to steps of 8), whose figures then compare predictions with the rounded values.
     *
     * @return the warnings, each naming the target; empty for none
     */
    List<String> warnings() {
        List<String> warnings = new java.util.ArrayList<>();
        for (int j = 0; j < count(); j++) {
            String target = names.get(j);
            if (scaler.variance()[j] == 0) {
                warnings.add("target " + target + " is " + train[j] + " in every training row: there is nothing to "
                        + "learn, and R2, the share of the target's variance a model explains, is not defined on it "
                        + "(scikit-learn gives 1 for an exact fit, 0 otherwise)");
                continue;
            }
            String squeezed = train.length / count() < 2 ? null : FeatureColumnChecks.dominatedRange(train, count(), j);
            if (squeezed != null) {
                warnings.add("a few values dominate the range of target " + target + " " + squeezed + ": "
                        + "standardized, the other rows' targets are squeezed together and hardly learned, and the "
                        + "figures after training are those few values' errors; look for a mistyped or sentinel value "
                        + "(1e30, -999999), or drop those rows");
            }
            String coarse = DataChecks.float32Coarse(trainingMean(j), trainingStd(j));
            if (coarse != null) {
                warnings.add("target " + target + " " + coarse + "; the figures after training compare predictions "
                        + "with those rounded values, not the file's");
            }
        }
        return warnings;
    }

    /** {@return the lines that say how the targets are scaled, for the data's description: one per target} */
    List<String> description() {
        List<String> lines = new java.util.ArrayList<>();
        for (int j = 0; j < count(); j++) {
            lines.add(String.format(Locale.ROOT, "  target %s standardized on the training rows (mean %.6g, standard "
                    + "deviation %.6g); the results after training are in its units", names.get(j),
                    trainingMean(j), trainingStd(j)));
        }
        return lines;
    }
}
