package dev.nnj.spark;

import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

/**
 * A Spark ML estimator that trains an nnj feed-forward regression network data-parallel on the executors, used as
 * MLlib's {@code LinearRegression} or {@code GBTRegressor} is: a label column of real numbers, a features vector, a
 * {@code prediction} column of doubles, {@code RegressionEvaluator} to score it.
 *
 * <pre>{@code
 * NnjRegressor nn = new NnjRegressor()
 *         .setLayers(new int[] {32}).setActivations(new String[] {"relu"})
 *         .setOptimizer("adam").setLearningRate(1e-2)
 *         .setEpochs(30).setBatchSize(64).setSeed(42);
 * PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, nn}).fit(train);
 * double rmse = new RegressionEvaluator().evaluate(fitted.transform(test));
 * }</pre>
 *
 * <p>The network is {@code features (N, d) → Dense(layers[0], activations[0]) → … → Dense(1, identity)}, trained
 * with the squared error or the Huber loss ({@link #loss()}) by the same data-parallel loop as {@link NnjClassifier}
 * ({@link TrainingMode}, the same optimizers, schedules, dropout and weight column). The label is standardized for
 * training by default ({@link #standardizeLabel()}), as MLlib's {@code LinearRegression} does internally, and the
 * model predicts in the label's units. The features are used as they come, as by the classifier: scale them with a
 * {@code StandardScaler} in the pipeline when their ranges differ.
 *
 * <p>It is an {@code Estimator}, as {@link NnjClassifier} is, not an MLlib {@code Predictor}: the params and their
 * accessors are {@link NnjRegressorParams}', and the fitted model carries their values.
 */
public final class NnjRegressor extends Estimator<NnjRegressionModel>
        implements DefaultParamsWritable, NnjRegressorParams {
    private static final long serialVersionUID = 1L;

    /** The stage's unique id, passed on to the fitted model. */
    private final String uid;
    /** The params' objects, shared in kind with the fitted model (see {@link NnjRegressorParams}). */
    private final ParamSet paramSet;

    /** An estimator with a random uid. */
    public NnjRegressor() {
        this(Identifiable.randomUID("nnjRegressor"));
    }

    /**
     * An estimator with the given id and the params' defaults.
     *
     * @param uid the stage's unique id (Spark ML persistence calls this constructor)
     */
    public NnjRegressor(String uid) {
        this.uid = uid;
        paramSet = new ParamSet(this);
        paramSet.setDefaults(this::setDefault);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public ParamSet paramSet() {
        return paramSet;
    }

    /**
     * Sets the label column: a real number per row, of any numeric type (default {@code label}).
     *
     * @param value the label column's name
     * @return this estimator, for chaining
     */
    public NnjRegressor setLabelCol(String value) {
        set(labelCol(), value);
        return this;
    }

    /**
     * Sets the output column of the predicted value (default {@code prediction}).
     *
     * @param value the prediction column's name, not empty
     * @return this estimator, for chaining
     */
    public NnjRegressor setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    /**
     * Sets the training loss (default {@code squaredError}), by MLlib's {@code LinearRegression} names.
     *
     * @param value {@code squaredError} or {@code huber} (see {@link #huberDelta()})
     * @return this estimator, for chaining
     */
    public NnjRegressor setLoss(String value) {
        set(loss(), value);
        return this;
    }

    /**
     * Sets the Huber loss's {@code δ}, in the training target's units: stds of the label while
     * {@code standardizeLabel} is on (default 1.0).
     *
     * @param value {@code δ}, a finite number {@code > 0}
     * @return this estimator, for chaining
     */
    public NnjRegressor setHuberDelta(double value) {
        set(huberDelta(), value);
        return this;
    }

    /**
     * Sets whether {@code fit} trains on the standardized label {@code (y − mean) / std} (default true); predictions
     * are in the label's units either way.
     *
     * @param value true to standardize, false to learn the label as it is
     * @return this estimator, for chaining
     */
    public NnjRegressor setStandardizeLabel(boolean value) {
        set(standardizeLabel(), value);
        return this;
    }

    /**
     * Sets the maximum number of passes over the training data, MLlib's name for {@link #setEpochs}.
     *
     * @param value epochs, at least 1
     * @return this estimator, for chaining
     */
    public NnjRegressor setMaxIter(int value) {
        return setEpochs(value);
    }

    /**
     * Sets the input column of ML vectors (default {@code features}).
     *
     * @param value the features column's name
     * @return this estimator, for chaining
     */
    public NnjRegressor setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    /**
     * Sets the column of per-row sample weights (default empty: every row weighs 1), Spark ML's {@code weightCol},
     * as MLlib's {@code LinearRegression} reads it. Row {@code i}'s loss counts {@code w_i} times, so a batch of
     * {@code N} rows steps along {@code ∂L/∂θ = (1/N) Σ_i w_i ∂ℓ_i/∂θ}, as nnj's {@code Trainer.Builder.sampleWeights}.
     * The column must be numeric, each value finite and {@code >= 0} (checked as the rows are read, naming the row),
     * and at least one row's weight above 0. The losses {@code fit} reports
     * ({@link NnjRegressionModel#trainingHistory()}) stay the unweighted mean, as the {@code Trainer}'s do. With
     * {@link #setStandardizeLabel standardizeLabel}, the label's mean and std are weighted too.
     *
     * @param value the weight column's name, or empty for none
     * @return this estimator, for chaining
     */
    public NnjRegressor setWeightCol(String value) {
        set(weightCol(), value);
        return this;
    }

    /**
     * Sets the hidden layers' widths; the linear output unit is added (default {@code {64}}).
     *
     * @param value width of each hidden layer, input side first, e.g. {@code {128, 64}}; empty for linear regression
     * @return this estimator, for chaining
     */
    public NnjRegressor setLayers(int[] value) {
        set(layers(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the hidden layers' activations (default {@code {"relu"}}).
     *
     * @param value one name for all hidden layers or one per layer: relu, sigmoid, tanh, leaky_relu, elu, identity
     * @return this estimator, for chaining
     */
    public NnjRegressor setActivations(String[] value) {
        set(activations(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the optimizer (default {@code adam}).
     *
     * @param value sgd, nesterov, adam, adamw, rmsprop or adagrad (case-insensitive)
     * @return this estimator, for chaining
     */
    public NnjRegressor setOptimizer(String value) {
        set(optimizer(), value);
        return this;
    }

    /**
     * Sets the optimizer's step size {@code η} (default {@code 1e-3}).
     *
     * @param value the learning rate, {@code > 0}
     * @return this estimator, for chaining
     */
    public NnjRegressor setLearningRate(double value) {
        set(learningRate(), value);
        return this;
    }

    /**
     * Sets the momentum {@code μ} of sgd, nesterov and rmsprop (default 0, none).
     *
     * @param value the momentum, in [0, 1]
     * @return this estimator, for chaining
     */
    public NnjRegressor setMomentum(double value) {
        set(momentum(), value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's first-moment decay rate (default 0.9).
     *
     * @param value {@code β₁}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjRegressor setBeta1(double value) {
        set(beta1(), value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's second-moment decay rate, also RMSProp's {@code α} (default 0.999).
     *
     * @param value {@code β₂}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjRegressor setBeta2(double value) {
        set(beta2(), value);
        return this;
    }

    /**
     * Sets the denominator floor of adam, adamw, rmsprop and adagrad (default {@code 1e-7}). Unlike nnj's optimizers,
     * 0 is refused: it divides 0 by 0 for a weight whose gradient has been exactly 0 so far (a feature that is
     * always 0, a dead ReLU), which makes that weight NaN at the first step.
     *
     * @param value {@code ε}, a finite number {@code > 0} (also as a float)
     * @return this estimator, for chaining
     */
    public NnjRegressor setEpsilon(double value) {
        set(epsilon(), value);
        return this;
    }

    /**
     * Sets the rate of a dropout after each hidden layer while training (default 0, none): inverted dropout, as nnj's
     * {@code Dropout} layer, the identity when the model predicts. Every row of a global batch gets the row of the mask
     * that nnj's {@code Trainer} would draw for it on one machine with the same seed, wherever the row's partition
     * runs, so a {@code sync} run computes one machine's gradients with dropout too.
     *
     * @param value the probability that a hidden unit is zeroed, in {@code [0, 1)}; above 0 it needs a hidden layer
     * @return this estimator, for chaining
     */
    public NnjRegressor setDropout(double value) {
        set(dropout(), value);
        return this;
    }

    /**
     * Sets the L2 penalty, decoupled from the gradient for adamw (default 0, none).
     *
     * @param value the weight decay coefficient, {@code >= 0}
     * @return this estimator, for chaining
     */
    public NnjRegressor setWeightDecay(double value) {
        set(weightDecay(), value);
        return this;
    }

    /**
     * Sets whether the weight decay reaches the biases too (default true, PyTorch's {@code weight_decay}); false
     * spares them, as scikit-learn's {@code alpha} and Keras's {@code kernel_regularizer} do.
     *
     * @param value false to decay the weights only
     * @return this estimator, for chaining
     */
    public NnjRegressor setDecayBiases(boolean value) {
        set(decayBiases(), value);
        return this;
    }

    /**
     * Sets AMSGrad for adam and adamw (default false; PyTorch's {@code amsgrad=True}).
     *
     * @param value true for AMSGrad
     * @return this estimator, for chaining
     */
    public NnjRegressor setAmsgrad(boolean value) {
        set(amsgrad(), value);
        return this;
    }

    /**
     * Sets adagrad's starting sum of squared gradients (default 0, PyTorch's; Keras's is 0.1).
     *
     * @param value the initial accumulator value, {@code >= 0}
     * @return this estimator, for chaining
     */
    public NnjRegressor setInitialAccumulatorValue(double value) {
        set(initialAccumulatorValue(), value);
        return this;
    }

    /**
     * Sets how the learning rate moves during training (default {@code constant}): {@code one-cycle} is PyTorch's
     * {@code OneCycleLR(cycle_momentum=False)} over every global batch of the run with {@code learningRate} as its
     * peak, {@code cosine} its {@code CosineAnnealingLR} over the epochs, towards 0. Each step gets the rate nnj's
     * {@code Trainer} gives it with the same schedule, in both training modes.
     *
     * @param value {@code constant}, {@code one-cycle} or {@code cosine}
     * @return this estimator, for chaining
     */
    public NnjRegressor setLearningRateSchedule(String value) {
        set(learningRateSchedule(), value);
        return this;
    }

    /**
     * Sets the number of passes over the training data (default 10).
     *
     * @param value epochs, at least 1
     * @return this estimator, for chaining
     */
    public NnjRegressor setEpochs(int value) {
        set(epochs(), value);
        return this;
    }

    /**
     * Sets the global batch size, summed over all partitions (default 32).
     *
     * @param value rows per global batch, or 0 for full batch
     * @return this estimator, for chaining
     */
    public NnjRegressor setBatchSize(int value) {
        set(batchSize(), value);
        return this;
    }

    /**
     * Sets the seed of the weight initialisation and the batch order (default 0).
     *
     * @param value the seed; the same seed and partitioning give the same model
     * @return this estimator, for chaining
     */
    public NnjRegressor setSeed(long value) {
        set(seed(), value);
        return this;
    }

    /**
     * Sets the nnj backend used on the executors (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this estimator, for chaining
     */
    public NnjRegressor setBackend(String value) {
        set(backend(), value);
        return this;
    }

    /**
     * Sets what the fitted model's {@code transform} does with a row of invalid features (see
     * {@link #handleInvalid()}); {@code fit} refuses such rows whatever it says.
     *
     * @param value {@code error} (default), {@code skip} or {@code keep}
     * @return this estimator, for chaining
     */
    public NnjRegressor setHandleInvalid(String value) {
        set(handleInvalid(), value);
        return this;
    }

    /**
     * Sets how the partitions' work is combined, see {@link TrainingMode} (default {@code sync}).
     *
     * @param value {@code sync} (average gradients every step) or {@code average} (average parameters and
     *              optimizer state every {@code averagingSteps} local steps)
     * @return this estimator, for chaining
     */
    public NnjRegressor setTrainingMode(String value) {
        set(trainingMode(), value);
        return this;
    }

    /**
     * Sets the local steps between averages in {@code average} mode (default 8).
     *
     * @param value local optimizer steps per partition between averages, at least 1
     * @return this estimator, for chaining
     */
    public NnjRegressor setAveragingSteps(int value) {
        set(averagingSteps(), value);
        return this;
    }

    /**
     * Sets the number of partitions (parallel training tasks) to train on (default 0).
     *
     * @param value the partition count, or 0 to keep the input DataFrame's partitioning
     * @return this estimator, for chaining
     */
    public NnjRegressor setNumPartitions(int value) {
        set(numPartitions(), value);
        return this;
    }

    /**
     * Sets the depth of the {@code treeAggregate} combining the partitions' results (default 2).
     *
     * @param value the tree depth, at least 1
     * @return this estimator, for chaining
     */
    public NnjRegressor setAggregationDepth(int value) {
        set(aggregationDepth(), value);
        return this;
    }

    /**
     * The network these params describe for {@code inputWidth} features.
     *
     * @param inputWidth features per row
     * @return the architecture
     */
    NetworkSpec networkSpec(int inputWidth) {
        float delta = NnjRegressorParams.isHuber(getLoss()) ? (float) getHuberDelta() : 0f;
        return NetworkSpec.regression(inputWidth, getLayers(), TrainingParams.hiddenActivations(this), delta)
                .withDropout((float) getDropout());
    }

    @Override
    public NnjRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        TrainingSettings settings = TrainingParams.settings(this);
        OptimizerSpec optimizerSpec = TrainingParams.optimizerSpec(this);
        TrainingParams.warnOfIgnoredParams(this, NnjRegressor.class);
        if (isSet(huberDelta()) && !NnjRegressorParams.isHuber(getLoss())) {
            LoggerFactory.getLogger(NnjRegressor.class).warn("huberDelta is set ({}), but the loss is {}: it changes "
                    + "nothing in this fit", getHuberDelta(), getLoss());
        }
        int partitions = TrainingParams.partitions(this);
        try (TrainingData data = TrainingData.from(dataset, new TrainingData.Columns(getFeaturesCol(), getLabelCol(),
                getWeightCol(), true), partitions, java.util.OptionalInt.empty())) {
            NetworkSpec spec = networkSpec(data.featureCount);
            LabelScale scale = getStandardizeLabel() ? data.labelScale() : LabelScale.IDENTITY;
            LabelScale moments = data.labelScale();
            double spread = data.labelSpread();   // the label's own: a constant one's scale of 1 is no spread
            if (spread > 0 && Math.abs(moments.mean()) > FLOAT32_OFFSET * spread) {
                // Labels are read, and the network's outputs made, as float32: 24 bits, steps of 8 at 1e8. A label
                // of 1e8 + 10 x0 + noise trained to 8 distinct predictions (R² 0.90, scikit-learn 0.989).
                LoggerFactory.getLogger(NnjRegressor.class).warn("column '{}' (labelCol) has mean {} and std {}: "
                        + "labels and predictions are float32, which resolve about 1/16,000,000 of the mean, here {} "
                        + "of the std; subtract a constant near the mean from the label before fit, and add it to "
                        + "the predictions", getLabelCol(), moments.mean(), spread,
                        Math.abs(moments.mean()) * 0x1p-24 / spread);
            }
            LoggerFactory.getLogger(NnjRegressor.class).info("column '{}' (labelCol): mean {}, std {} over {} rows{}",
                    getLabelCol(), data.labelScale().mean(), data.labelSpread(), data.rows,
                    getStandardizeLabel() ? "; training on (label - mean) / std" : "; not standardized");
            DataParallelTrainer.Result result = DataParallelTrainer.train(data, spec, optimizerSpec, settings,
                    TaskHook.NONE, scale);
            Map<String, float[]> parameters = NnjRegressionModel.unscaled(result.parameters, scale);
            NnjRegressionModel model = new NnjRegressionModel(uid, spec, parameters, result.epochs, scale.mean(),
                    scale.std());
            // As MLlib's estimators do: the model gets every param's value and default, so it says how it was trained.
            copyValues(model, ParamMap.empty());
            return model.setParent(this);
        }
    }

    /** Label mean, in label stds, beyond which float32 labels and outputs resolve less than 1/170 of a std. */
    static final double FLOAT32_OFFSET = dev.nnj.api.data.DataChecks.FLOAT32_OFFSET;

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, getFeaturesCol());
        SchemaChecks.requireRealLabel(schema, getLabelCol());
        if (!getWeightCol().isEmpty()) {
            SchemaChecks.requireWeights(schema, getWeightCol());
        }
        return SchemaChecks.appendOutputs(schema, getPredictionCol(), "", "", 0);
    }

    @Override
    public NnjRegressor copy(ParamMap extra) {
        return (NnjRegressor) defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** {@return a reader of saved (unfitted) estimators} */
    public static MLReader<NnjRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * {@return the estimator with its params}
     *
     * @param path where {@link #save} wrote the estimator
     * @throws IllegalArgumentException if another stage was saved there, naming it and the load that reads it
     */
    public static NnjRegressor load(String path) {
        SavedStages.requireSaved(path, NnjRegressor.class);   // the class Spark's reader will make
        return read().load(path);
    }
}
