package dev.nnj.spark;

import java.util.OptionalInt;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML estimator that trains an nnj feed-forward classifier data-parallel on the executors, each
 * running nnj on its own backend.
 *
 * <pre>{@code
 * NnjClassifier nn = new NnjClassifier()
 *         .setLayers(new int[] {64}).setActivations(new String[] {"relu"})
 *         .setOptimizer("adam").setLearningRate(1e-3)
 *         .setEpochs(20).setBatchSize(32).setSeed(42);
 * PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, nn}).fit(train);
 * fitted.transform(test).select("label", "prediction", "probability").show();
 * }</pre>
 *
 * <p>The network is {@code features (N, d) → Dense(layers[0], activations[0]) → … → Dense(C, softmax)} with
 * {@code d} the features vector's size and {@code C} the number of classes the label column's metadata declares
 * (a {@code StringIndexer}'s output declares every label it was fitted on), or without metadata the largest label
 * plus one. Labels are class indices
 * 0, 1, 2, … (use a {@code StringIndexer} for other labels). {@link TrainingMode} explains the two ways
 * of combining the partitions' work. A seed gives the same model on every run with the same partitioning.
 *
 * <p>An optional {@link #setWeightCol weight column} weighs each row's loss: sample weights, or class weights
 * computed from the label (scikit-learn's "balanced" {@code w = n / (k · n_c)} for imbalanced classes).
 *
 * <p>The params, and their accessors, are {@link NnjClassifierParams}'; the fitted model carries their values.
 */
public final class NnjClassifier extends Estimator<NnjClassificationModel>
        implements DefaultParamsWritable, NnjClassifierParams {
    private static final long serialVersionUID = 1L;

    /** The stage's unique id, passed on to the fitted model. */
    private final String uid;
    /** The params' objects, shared in kind with the fitted model (see {@link NnjClassifierParams}). */
    private final ParamSet paramSet;
    /** Not a param: a test's hook into each training task; neither saved nor copied to the model. */
    private transient TaskHook taskHook = TaskHook.NONE;

    /** An estimator with a random uid. */
    public NnjClassifier() {
        this(Identifiable.randomUID("nnjClassifier"));
    }

    /**
     * An estimator with the given id and the params' defaults.
     *
     * @param uid the stage's unique id (Spark ML persistence calls this constructor)
     */
    public NnjClassifier(String uid) {
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
     * Sets the input column of ML vectors (default {@code features}).
     *
     * @param value the features column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    /**
     * Sets the label column: numeric class indices 0, 1, 2, … (default {@code label}).
     *
     * @param value the label column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setLabelCol(String value) {
        set(labelCol(), value);
        return this;
    }

    /**
     * Sets the column of per-row sample weights (default empty: every row weighs 1), Spark ML's {@code weightCol}.
     * Row {@code i}'s loss counts {@code w_i} times, so a batch of {@code N} rows steps along
     * {@code ∂L/∂θ = (1/N) Σ_i w_i ∂ℓ_i/∂θ}, as nnj's {@code Trainer.Builder.sampleWeights}; class weights are a
     * column computed from the label. The column must be numeric, each value finite and {@code >= 0} (checked as
     * the rows are read, naming the row), and at least one row's weight above 0. The losses {@code fit} reports
     * ({@link NnjClassificationModel#trainingHistory()}) stay the unweighted mean, as the {@code Trainer}'s do.
     *
     * @param value the weight column's name, or empty for none
     * @return this estimator, for chaining
     */
    public NnjClassifier setWeightCol(String value) {
        set(weightCol(), value);
        return this;
    }

    /**
     * Sets the output column of the predicted class index (default {@code prediction}; empty for none).
     *
     * @param value the prediction column's name, or empty
     * @return this estimator, for chaining
     */
    public NnjClassifier setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    /**
     * Sets the output column of the softmax class probabilities (default {@code probability}; empty for none).
     *
     * @param value the probability column's name, or empty
     * @return this estimator, for chaining
     */
    public NnjClassifier setProbabilityCol(String value) {
        set(probabilityCol(), value);
        return this;
    }

    /**
     * Sets the output column of the raw class scores, the log-probabilities (default {@code rawPrediction}; empty
     * for none), which MLlib's {@code BinaryClassificationEvaluator} reads by default.
     *
     * @param value the raw prediction column's name, or empty
     * @return this estimator, for chaining
     */
    public NnjClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol(), value);
        return this;
    }

    /**
     * Sets per-class decision thresholds for the fitted model, as MLlib's {@code LogisticRegression} takes them: its
     * prediction is {@code argmax_k p_k / t_k} (see {@link #thresholds()}). Not set by default: the arg-max.
     *
     * @param value one threshold per class, each {@code >= 0}, at most one of them 0
     * @return this estimator, for chaining
     * @throws IllegalArgumentException if a value is negative or NaN, or two are 0 ({@code fit} checks the length
     *                                  against the data's classes before it trains)
     */
    public NnjClassifier setThresholds(double[] value) {
        set(thresholds(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the hidden layers' widths; the softmax output layer is added (default {@code {64}}).
     *
     * @param value width of each hidden layer, input side first, e.g. {@code {128, 64}}; empty for softmax regression
     * @return this estimator, for chaining
     */
    public NnjClassifier setLayers(int[] value) {
        set(layers(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the hidden layers' activations (default {@code {"relu"}}).
     *
     * @param value one name for all hidden layers or one per layer: relu, sigmoid, tanh, leaky_relu, elu, identity
     * @return this estimator, for chaining
     */
    public NnjClassifier setActivations(String[] value) {
        set(activations(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the training loss (default {@code categorical_crossentropy}).
     *
     * @param value {@code categorical_crossentropy} or {@code mse}
     * @return this estimator, for chaining
     */
    public NnjClassifier setLoss(String value) {
        set(loss(), value);
        return this;
    }

    /**
     * Sets the optimizer (default {@code adam}).
     *
     * @param value sgd, nesterov, adam, adamw, rmsprop or adagrad (case-insensitive)
     * @return this estimator, for chaining
     */
    public NnjClassifier setOptimizer(String value) {
        set(optimizer(), value);
        return this;
    }

    /**
     * Sets the optimizer's step size {@code η} (default {@code 1e-3}).
     *
     * @param value the learning rate, {@code > 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setLearningRate(double value) {
        set(learningRate(), value);
        return this;
    }

    /**
     * Sets the momentum {@code μ} of sgd, nesterov and rmsprop (default 0, none).
     *
     * @param value the momentum, in [0, 1]
     * @return this estimator, for chaining
     */
    public NnjClassifier setMomentum(double value) {
        set(momentum(), value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's first-moment decay rate (default 0.9).
     *
     * @param value {@code β₁}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjClassifier setBeta1(double value) {
        set(beta1(), value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's second-moment decay rate, also RMSProp's {@code α} (default 0.999).
     *
     * @param value {@code β₂}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjClassifier setBeta2(double value) {
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
    public NnjClassifier setEpsilon(double value) {
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
    public NnjClassifier setDropout(double value) {
        set(dropout(), value);
        return this;
    }

    /**
     * Sets the L2 penalty, decoupled from the gradient for adamw (default 0, none).
     *
     * @param value the weight decay coefficient, {@code >= 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setWeightDecay(double value) {
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
    public NnjClassifier setDecayBiases(boolean value) {
        set(decayBiases(), value);
        return this;
    }

    /**
     * Sets AMSGrad for adam and adamw (default false; PyTorch's {@code amsgrad=True}).
     *
     * @param value true for AMSGrad
     * @return this estimator, for chaining
     */
    public NnjClassifier setAmsgrad(boolean value) {
        set(amsgrad(), value);
        return this;
    }

    /**
     * Sets adagrad's starting sum of squared gradients (default 0, PyTorch's; Keras's is 0.1).
     *
     * @param value the initial accumulator value, {@code >= 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setInitialAccumulatorValue(double value) {
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
    public NnjClassifier setLearningRateSchedule(String value) {
        set(learningRateSchedule(), value);
        return this;
    }

    /**
     * Sets the number of passes over the training data (default 10).
     *
     * @param value epochs, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setEpochs(int value) {
        set(epochs(), value);
        return this;
    }

    /**
     * Sets the maximum number of passes over the training data, MLlib's name for {@link #setEpochs} (its
     * {@code MultilayerPerceptronClassifier}'s {@code maxIter}).
     *
     * @param value epochs, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setMaxIter(int value) {
        return setEpochs(value);
    }

    /**
     * Sets the global batch size, summed over all partitions (default 32).
     *
     * @param value rows per global batch, or 0 for full batch
     * @return this estimator, for chaining
     */
    public NnjClassifier setBatchSize(int value) {
        set(batchSize(), value);
        return this;
    }

    /**
     * Sets the seed of the weight initialisation and the batch order (default 0).
     *
     * @param value the seed; the same seed and partitioning give the same model
     * @return this estimator, for chaining
     */
    public NnjClassifier setSeed(long value) {
        set(seed(), value);
        return this;
    }

    /**
     * Sets the nnj backend used on the executors (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this estimator, for chaining
     */
    public NnjClassifier setBackend(String value) {
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
    public NnjClassifier setHandleInvalid(String value) {
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
    public NnjClassifier setTrainingMode(String value) {
        set(trainingMode(), value);
        return this;
    }

    /**
     * Sets the local steps between averages in {@code average} mode (default 8).
     *
     * @param value local optimizer steps per partition between averages, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setAveragingSteps(int value) {
        set(averagingSteps(), value);
        return this;
    }

    /**
     * Sets the number of partitions (parallel training tasks) to train on (default 0).
     *
     * @param value the partition count, or 0 to keep the input DataFrame's partitioning
     * @return this estimator, for chaining
     */
    public NnjClassifier setNumPartitions(int value) {
        set(numPartitions(), value);
        return this;
    }

    /**
     * Sets the depth of the {@code treeAggregate} combining the partitions' results (default 2).
     *
     * @param value the tree depth, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setAggregationDepth(int value) {
        set(aggregationDepth(), value);
        return this;
    }

    /**
     * Installs a hook run in every training task after it computed (not a param: not saved, not copied).
     *
     * @param hook the hook
     * @return this
     */
    NnjClassifier setTaskHook(TaskHook hook) {
        this.taskHook = hook == null ? TaskHook.NONE : hook;
        return this;
    }

    private String str(Param<String> p) {
        return $(p);
    }

    /** The optimizer these params describe; validated with the optimizer's own messages. */
    OptimizerSpec optimizerSpec() {
        return TrainingParams.optimizerSpec(this);
    }

    /**
     * The network these params describe for the given data shape.
     *
     * @param inputWidth features per row
     * @param classes    number of classes
     * @return the architecture
     */
    NetworkSpec networkSpec(int inputWidth, int classes) {
        return new NetworkSpec(inputWidth, $(layers()), TrainingParams.hiddenActivations(this), classes,
                NetworkSpec.parseLoss(str(loss()))).withDropout((float) (double) (Double) $(dropout()));
    }

    /** The loop's settings from these params, checked. */
    TrainingSettings settings() {
        return TrainingParams.settings(this);
    }

    @Override
    public NnjClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        TrainingSettings settings = settings();
        OptimizerSpec optimizerSpec = optimizerSpec();
        TrainingParams.warnOfIgnoredParams(this, NnjClassifier.class);
        int partitions = TrainingParams.partitions(this);
        OptionalInt declared = SchemaChecks.declaredClasses(dataset.schema(), str(labelCol()));
        try (TrainingData data = TrainingData.from(dataset, new TrainingData.Columns(str(featuresCol()),
                str(labelCol()), str(weightCol())), partitions, declared)) {
            NetworkSpec spec = networkSpec(data.featureCount, data.classes);
            // Before the training job, not when the model first predicts: MLlib's LogisticRegression checks here too.
            Thresholds.requireOnePerClass(Thresholds.setOn(this), data.classes, "the training data");
            DataParallelTrainer.Result result = DataParallelTrainer.train(data, spec, optimizerSpec, settings,
                    taskHook);
            NnjClassificationModel model = new NnjClassificationModel(uid, spec, result.parameters, result.epochs);
            // As MLlib's estimators do: the model gets every param's value and default, so it says how it was trained.
            copyValues(model, ParamMap.empty());
            return model.setParent(this);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, str(featuresCol()));
        SchemaChecks.requireNumeric(schema, str(labelCol()));
        if (!str(weightCol()).isEmpty()) {
            SchemaChecks.requireWeights(schema, str(weightCol()));
        }
        // The class count is the data's, unknown before fit: the columns get their ML attributes from the model.
        return SchemaChecks.appendOutputs(schema, str(predictionCol()), str(probabilityCol()), str(rawPredictionCol()),
                0);
    }

    @Override
    public NnjClassifier copy(ParamMap extra) {
        NnjClassifier copy = (NnjClassifier) defaultCopy(extra);
        copy.taskHook = taskHook;
        return copy;
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** {@return a reader of saved (unfitted) estimators} */
    public static MLReader<NnjClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * {@return the estimator with its params}
     *
     * @param path where {@link #save} wrote the estimator
     * @throws IllegalArgumentException if another stage was saved there, naming it and the load that reads it
     */
    public static NnjClassifier load(String path) {
        SavedStages.requireSaved(path, NnjClassifier.class);   // the class Spark's reader will make
        return read().load(path);
    }
}
