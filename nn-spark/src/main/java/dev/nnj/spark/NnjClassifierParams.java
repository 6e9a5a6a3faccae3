package dev.nnj.spark;

import java.util.NoSuchElementException;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params {@link NnjClassifier} and its fitted {@link NnjClassificationModel} share, as MLlib's estimators and
 * models share theirs ({@code LogisticRegressionParams}): {@code fit} copies the estimator's values to the model, so
 * a model says how it was trained ({@code bestModel.getOrDefault(nn.epochs())} after a {@code CrossValidator} names
 * the grid point that won), and its saved metadata keeps them. The model reads only its column names and
 * {@code backend}; the training params are a record there.
 *
 * <p>The params of the network and its training are {@link NnjNetworkParams}', shared with the regressor; these are
 * the classifier's own: its label, outputs, thresholds and loss.
 *
 * <p>Spark ML finds a stage's params through its public methods that return a {@link Param}, so each accessor below
 * is one; the param objects themselves belong to each stage (their parent is its uid) and live in its
 * {@link ParamSet}.
 */
public sealed interface NnjClassifierParams extends NnjNetworkParams permits NnjClassifier, NnjClassificationModel {

    /**
     * The stage's own param objects, which the accessors of this interface return.
     *
     * @return the param objects, created with the stage
     */
    @Override
    ParamSet paramSet();

    /** {@return the param: label column of class indices 0, 1, 2, … (default {@code label}); read by fit only} */
    default Param<String> labelCol() {
        return paramSet().labelCol;
    }

    /**
     * {@return the param: output column of the predicted class index (default {@code prediction}); empty for no such
     * column}
     */
    default Param<String> predictionCol() {
        return paramSet().predictionCol;
    }

    /**
     * {@return the param: output column of the softmax class probabilities (default {@code probability}); empty for no
     * such column}
     */
    default Param<String> probabilityCol() {
        return paramSet().probabilityCol;
    }

    /**
     * {@return the param: output column of the raw class scores (default {@code rawPrediction}): the natural logs of
     * the probabilities, as MLlib's evaluators read a {@code rawPrediction} (a probability of 0 gives the log
     * of the smallest float, about -103); empty for no such column}
     */
    default Param<String> rawPredictionCol() {
        return paramSet().rawPredictionCol;
    }

    /**
     * The param of per-class decision thresholds, MLlib's {@code thresholds} ({@code HasThresholds}, as
     * {@code LogisticRegression}'s): one value {@code t_k >= 0} per class, at most one of them 0. With it the predicted
     * class is the one whose probability is largest against its threshold,
     * <pre>
     *   prediction = argmax_k  p_k / t_k
     * </pre>
     * the lowest index on a tie, as MLlib's probabilistic models decide; a class with {@code t_k = 0} is predicted
     * whenever its probability is not 0 ({@code p_k / 0 = ∞}), and never when it is ({@code 0 / 0} is NaN). Equal
     * thresholds give the arg-max of the probabilities, which is the prediction while the param is not set (it has no
     * default). The probability and raw columns do not change. Its length must be the number of classes: {@code fit}
     * checks it against the data before training, the model when it transforms or predicts.
     *
     * @return the param: decision thresholds, one per class (not set by default)
     */
    default DoubleArrayParam thresholds() {
        return paramSet().thresholds;
    }

    /**
     * The thresholds set on this stage, as MLlib's {@code getThresholds}.
     *
     * @return a copy of the {@link #thresholds()} values
     * @throws NoSuchElementException if none are set (the prediction is then the arg-max)
     */
    default double[] getThresholds() {
        double[] set = Thresholds.setOn(this);
        if (set == null) {
            throw new NoSuchElementException("thresholds is not set: the prediction is the arg-max of the "
                    + "probabilities");
        }
        return set.clone();
    }

    /** {@return the param: training loss, {@code categorical_crossentropy} (default) or {@code mse}} */
    default Param<String> loss() {
        return paramSet().loss;
    }

    /** {@return the label column: the value set, or the default} */
    default String getLabelCol() {
        return (String) getOrDefault(labelCol());
    }

    /** {@return the prediction column, empty for none: the value set, or the default} */
    default String getPredictionCol() {
        return (String) getOrDefault(predictionCol());
    }

    /** {@return the probability column, empty for none: the value set, or the default} */
    default String getProbabilityCol() {
        return (String) getOrDefault(probabilityCol());
    }

    /** {@return the raw prediction column, empty for none: the value set, or the default} */
    default String getRawPredictionCol() {
        return (String) getOrDefault(rawPredictionCol());
    }

    /** {@return the loss: the value set, or the default} */
    default String getLoss() {
        return (String) getOrDefault(loss());
    }

    /**
     * The classifier's param objects: {@link NnjNetworkParams.NetworkParamSet}'s and its own, with their validators.
     */
    final class ParamSet extends NetworkParamSet {
        private static final long serialVersionUID = 1L;

        /** Label column of class indices. */
        final Param<String> labelCol;
        /** Output column of the predicted class index. */
        final Param<String> predictionCol;
        /** Output column of the softmax probabilities. */
        final Param<String> probabilityCol;
        /** Output column of the log-probabilities. */
        final Param<String> rawPredictionCol;
        /** Per-class decision thresholds; no default. */
        final DoubleArrayParam thresholds;
        /** Training loss. */
        final Param<String> loss;

        /** The hint of an output column's null: what leaves it out. */
        private static final String NO_COLUMN = "; an empty name leaves the column out";

        /** @param owner the stage whose params these are; its uid must already be set */
        ParamSet(Params owner) {
            super(owner);
            labelCol = new Param<>(owner, "labelCol", "label column: class indices 0, 1, 2, ...",
                    ParamRules.notNull("labelCol", ""));
            predictionCol = new Param<>(owner, "predictionCol", "output column of the predicted class index; empty "
                    + "for none", ParamRules.notNull("predictionCol", NO_COLUMN));
            probabilityCol = new Param<>(owner, "probabilityCol", "output column of the class probabilities "
                    + "(softmax); empty for none", ParamRules.notNull("probabilityCol", NO_COLUMN));
            rawPredictionCol = new Param<>(owner, "rawPredictionCol", "output column of the raw class scores, the "
                    + "log-probabilities (their softmax is the probabilities); empty for none",
                    ParamRules.notNull("rawPredictionCol", NO_COLUMN));
            thresholds = new DoubleArrayParam(owner, "thresholds", "per-class decision thresholds, each >= 0 and at "
                    + "most one 0: the prediction is the class k with the largest probability / thresholds[k]",
                    ParamRules.notNull("thresholds", "; clear() it for the arg-max of the probabilities",
                            Thresholds::requireValid));
            loss = new Param<>(owner, "loss", "categorical_crossentropy or mse",
                    ParamRules.parsedBy("loss", NetworkSpec::parseLoss));
        }

        @Override
        void setDefaults(Defaults owner) {
            super.setDefaults(owner);
            owner.put(labelCol, "label");
            owner.put(predictionCol, "prediction");
            owner.put(probabilityCol, "probability");
            owner.put(rawPredictionCol, "rawPrediction");
            owner.put(loss, "categorical_crossentropy");
        }
    }
}
