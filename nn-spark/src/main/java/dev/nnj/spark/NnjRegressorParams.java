package dev.nnj.spark;

import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params {@link NnjRegressor} and its fitted {@link NnjRegressionModel} share, as MLlib's
 * {@code LinearRegressionParams}: {@link NnjNetworkParams}' (the network, the optimizer, the loop) and the regressor's
 * own, its label, prediction, loss and label standardization. {@code fit} copies the estimator's values to the model,
 * whose saved metadata keeps them.
 */
public sealed interface NnjRegressorParams extends NnjNetworkParams permits NnjRegressor, NnjRegressionModel {

    /**
     * The stage's own param objects, which the accessors of this interface return.
     *
     * @return the param objects, created with the stage
     */
    @Override
    ParamSet paramSet();

    /** {@return the param: label column, a real number per row of any numeric type (default {@code label})} */
    default Param<String> labelCol() {
        return paramSet().labelCol;
    }

    /** {@return the param: output column of the predicted value, a double (default {@code prediction})} */
    default Param<String> predictionCol() {
        return paramSet().predictionCol;
    }

    /**
     * The training loss, by the names of MLlib's {@code LinearRegression}: {@code squaredError} (the default; nnj's
     * {@code Loss.meanSquaredError()}, {@code (1/N) Σ (ŷ − y)²}) or {@code huber} (nnj's {@code Loss.huber(δ)},
     * PyTorch's {@code HuberLoss(delta)}: quadratic within {@link #huberDelta()} of the target, linear beyond, so that
     * outliers pull with a bounded force). Both are computed on the standardized label when {@link #standardizeLabel()}
     * is on.
     *
     * @return the param: the loss (default {@code squaredError})
     */
    default Param<String> loss() {
        return paramSet().loss;
    }

    /**
     * The Huber loss's {@code δ}, where it turns from quadratic to linear, read with {@code loss = huber} only. It is
     * in the units of the training target: standard deviations of the label when {@link #standardizeLabel()} is on (the
     * default 1 then treats residuals beyond one std as outliers), the label's own units when it is off. MLlib's
     * {@code LinearRegression} calls its counterpart {@code epsilon} (1.35, on residuals it scales by an estimated
     * σ); here {@code epsilon} is already the optimizer's.
     *
     * @return the param: Huber {@code δ > 0} (default 1.0)
     */
    default DoubleParam huberDelta() {
        return paramSet().huberDelta;
    }

    /**
     * Whether {@code fit} standardizes the label, training on {@code (y − mean) / std} with the label's (weighted) mean
     * and population std over the training rows, as MLlib's {@code LinearRegression} does internally; the model folds
     * the scaling back into its output layer, so its predictions are in the label's units. Off, the network learns the
     * label as it is: a label far from unit scale (thousands) then starts from a loss of millions, and the default
     * learning rate needs many more steps to reach it, or diverges with plain SGD.
     *
     * @return the param: standardize the label (default true)
     */
    default BooleanParam standardizeLabel() {
        return paramSet().standardizeLabel;
    }

    /** {@return the label column: the value set, or the default} */
    default String getLabelCol() {
        return (String) getOrDefault(labelCol());
    }

    /** {@return the prediction column: the value set, or the default} */
    default String getPredictionCol() {
        return (String) getOrDefault(predictionCol());
    }

    /** {@return the loss: the value set, or the default} */
    default String getLoss() {
        return (String) getOrDefault(loss());
    }

    /** {@return the Huber δ: the value set, or the default} */
    default double getHuberDelta() {
        return (Double) getOrDefault(huberDelta());
    }

    /** {@return whether the label is standardized: the value set, or the default} */
    default boolean getStandardizeLabel() {
        return (Boolean) getOrDefault(standardizeLabel());
    }

    /**
     * Parses a regressor's loss name.
     *
     * @param name {@code squaredError} or {@code huber}, in any case
     * @return whether it is the Huber loss
     * @throws IllegalArgumentException naming the accepted values
     */
    static boolean isHuber(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "squarederror":
                return false;
            case "huber":
                return true;
            default:
                throw new IllegalArgumentException("loss must be squaredError or huber, got '" + name + "'");
        }
    }

    /** The regressor's param objects: {@link NnjNetworkParams.NetworkParamSet}'s and its own, with their validators. */
    final class ParamSet extends NetworkParamSet {
        private static final long serialVersionUID = 1L;

        /** Label column of real numbers. */
        final Param<String> labelCol;
        /** Output column of the predicted value. */
        final Param<String> predictionCol;
        /** Training loss: squaredError or huber. */
        final Param<String> loss;
        /** The Huber loss's delta. */
        final DoubleParam huberDelta;
        /** Whether fit standardizes the label. */
        final BooleanParam standardizeLabel;

        /** @param owner the stage whose params these are; its uid must already be set */
        ParamSet(Params owner) {
            super(owner);
            labelCol = new Param<>(owner, "labelCol", "label column: a real number per row",
                    ParamRules.notNull("labelCol", ""));
            predictionCol = new Param<>(owner, "predictionCol", "output column of the predicted value",
                    ParamRules.notNull("predictionCol", "", name -> {
                        if (name.isEmpty()) {
                            throw new IllegalArgumentException("predictionCol must not be empty: it is the "
                                    + "regressor's one output");
                        }
                    }));
            loss = new Param<>(owner, "loss", "squaredError or huber (quadratic within huberDelta, linear beyond)",
                    ParamRules.parsedBy("loss", NnjRegressorParams::isHuber));
            huberDelta = new DoubleParam(owner, "huberDelta", "where the huber loss turns linear, in the training "
                    + "target's units (stds of the label when standardizeLabel), > 0",
                    ParamRules.positiveFinite("huberDelta"));
            standardizeLabel = new BooleanParam(owner, "standardizeLabel", "train on (label - mean) / std; "
                    + "predictions are in the label's units either way");
        }

        @Override
        void setDefaults(Defaults owner) {
            super.setDefaults(owner);
            owner.put(labelCol, "label");
            owner.put(predictionCol, "prediction");
            owner.put(loss, "squaredError");
            owner.put(huberDelta, 1.0);
            owner.put(standardizeLabel, true);
        }
    }
}
