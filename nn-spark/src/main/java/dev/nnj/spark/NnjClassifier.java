package dev.nnj.spark;

import dev.nnj.api.Activation;
import java.util.OptionalInt;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
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
 * {@code d} the features vector's size and {@code C} the largest label plus one. Labels are class indices
 * 0, 1, 2, … (use a {@code StringIndexer} for other labels). {@link TrainingMode} explains the two ways
 * of combining the partitions' work. A seed gives the same model on every run with the same partitioning.
 */
public final class NnjClassifier extends Estimator<NnjClassificationModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** The stage's unique id, passed on to the fitted model. */
    private final String uid;
    /** Param: input column of ML vectors; default {@code features}. */
    private final Param<String> featuresCol;
    /** Param: numeric label column holding class indices 0, 1, 2, …; default {@code label}. */
    private final Param<String> labelCol;
    /** Param: output column of the predicted class index; default {@code prediction}. */
    private final Param<String> predictionCol;
    /** Param: output column of the softmax class probabilities; default {@code probability}. */
    private final Param<String> probabilityCol;
    /** Param: output column of the raw scores, the log-probabilities; default {@code rawPrediction}, empty for none. */
    private final Param<String> rawPredictionCol;
    /** Param: width of each hidden layer (the softmax output layer is added); default {@code {64}}. */
    private final IntArrayParam layers;
    /** Param: activation of the hidden layers, one for all or one per layer; default {@code {"relu"}}. */
    private final StringArrayParam activations;
    /** Param: {@code categorical_crossentropy} or {@code mse}; default {@code categorical_crossentropy}. */
    private final Param<String> loss;
    /** Param: sgd, nesterov, adam, adamw, rmsprop or adagrad; default {@code adam}. */
    private final Param<String> optimizer;
    /** Param: optimizer step size {@code η > 0}; default {@code 1e-3}. */
    private final DoubleParam learningRate;
    /** Param: momentum of sgd, nesterov and rmsprop, in [0, 1]; default 0. */
    private final DoubleParam momentum;
    /** Param: Adam's first-moment decay rate; default 0.9. */
    private final DoubleParam beta1;
    /** Param: Adam's second-moment decay rate (RMSProp's {@code α}); default 0.999. */
    private final DoubleParam beta2;
    /** Param: denominator floor of adam, adamw, rmsprop and adagrad; default {@code 1e-7}. */
    private final DoubleParam epsilon;
    /** Param: L2 penalty coefficient (decoupled for adamw); default 0. */
    private final DoubleParam weightDecay;
    /** Param: passes over the training data (at least 1); default 10. */
    private final IntParam epochs;
    /** Param: rows per global batch, summed over all partitions, 0 for full batch; default 32. */
    private final IntParam batchSize;
    /** Param: seed of the weight initialisation and the batch order; default 0. */
    private final LongParam seed;
    /** Param: nnj backend on the executors ({@code cpu}, {@code cuda}); default empty, the best available. */
    private final Param<String> backend;
    /** Param: {@code sync} or {@code average}, see {@link TrainingMode}; default {@code sync}. */
    private final Param<String> trainingMode;
    /** Param: local steps between averages in {@code average} mode (at least 1); default 8. */
    private final IntParam averagingSteps;
    /** Param: partitions (parallel tasks) to train on, 0 to keep the input's partitioning; default 0. */
    private final IntParam numPartitions;
    /** Param: depth of the {@code treeAggregate} that combines the partitions' results; default 2. */
    private final IntParam aggregationDepth;
    private transient TaskHook taskHook = TaskHook.NONE;

    /** An estimator with a random uid. */
    public NnjClassifier() {
        this(Identifiable.randomUID("nnjClassifier"));
    }

    /**
     * @param uid the stage's unique id (Spark ML persistence calls this constructor)
     */
    public NnjClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column (an ML vector)");
        labelCol = new Param<>(this, "labelCol", "label column: class indices 0, 1, 2, ...");
        predictionCol = new Param<>(this, "predictionCol", "output column of the predicted class index");
        probabilityCol = new Param<>(this, "probabilityCol", "output column of the class probabilities (softmax)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "output column of the raw class scores, the log-probabilities (their softmax is the probabilities); empty "
                        + "for none");
        layers = new IntArrayParam(this, "layers", "width of each hidden layer (> 0); the output layer is added",
                ParamRules.<int[]>rule(widths -> {
                    for (int i = 0; i < widths.length; i++) {
                        if (widths[i] <= 0) {
                            throw new IllegalArgumentException("layers: hidden layer " + i
                                    + " must have a positive width, got " + widths[i]);
                        }
                    }
                }));
        activations = new StringArrayParam(this, "activations",
                "activation of each hidden layer (one for all, or one each): relu, sigmoid, tanh, leaky_relu, elu,"
                        + " identity", ParamRules.<String[]>rule(names -> {
                            // None is right for no hidden layer (softmax regression): the count is fit's to check.
                            for (String name : names) {
                                NetworkSpec.parseActivation(name);
                            }
                        }));
        loss = new Param<>(this, "loss", "categorical_crossentropy or mse",
                ParamRules.parsedBy("loss", NetworkSpec::parseLoss));
        optimizer = new Param<>(this, "optimizer", "sgd, nesterov, adam, adamw, rmsprop or adagrad",
                ParamRules.parsedBy("optimizer", OptimizerSpec::requireName));
        learningRate = new DoubleParam(this, "learningRate", "optimizer step size (> 0)",
                ParamRules.positiveFinite("learningRate"));
        // The ranges of momentum, beta1, beta2 and epsilon are those of the optimizers that use them, which fit checks
        // with the optimizer's own messages; the others ignore them, so no value of theirs is wrong on its own.
        momentum = new DoubleParam(this, "momentum", "momentum of sgd, nesterov and rmsprop, in [0, 1]");
        beta1 = new DoubleParam(this, "beta1", "Adam's first-moment decay, in [0, 1)");
        beta2 = new DoubleParam(this, "beta2", "Adam's second-moment decay, in [0, 1) (RMSProp's alpha, in [0, 1])");
        epsilon = new DoubleParam(this, "epsilon", "denominator floor of adam, adamw, rmsprop, adagrad (>= 0)");
        weightDecay = new DoubleParam(this, "weightDecay", "L2 penalty (decoupled for adamw), >= 0",
                ParamRules.nonNegativeFinite("weightDecay"));
        epochs = new IntParam(this, "epochs", "passes over the training data (> 0)", ParamRules.atLeast("epochs", 1));
        batchSize = new IntParam(this, "batchSize", "rows per global batch, over all partitions; 0 = full batch",
                ParamRules.atLeast("batchSize", 0));
        seed = new LongParam(this, "seed", "seed of the weight initialisation and the batch order");
        backend = new Param<>(this, "backend", "nnj backend on the executors (cpu, cuda); empty = best available");
        trainingMode = new Param<>(this, "trainingMode",
                "sync: average gradients every step; average: average parameters and optimizer state every"
                        + " averagingSteps local steps", ParamRules.parsedBy("trainingMode", TrainingMode::parse));
        averagingSteps = new IntParam(this, "averagingSteps", "local steps between averages in average mode (>= 1)",
                ParamRules.atLeast("averagingSteps", 1));
        numPartitions = new IntParam(this, "numPartitions",
                "partitions (parallel tasks) to train on; 0 = the DataFrame's own partitioning",
                ParamRules.atLeast("numPartitions", 0));
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 1)",
                ParamRules.atLeast("aggregationDepth", 1));
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(layers, new int[] {64});
        setDefault(activations, new String[] {"relu"});
        setDefault(loss, "categorical_crossentropy");
        setDefault(optimizer, "adam");
        setDefault(learningRate, 1e-3);
        setDefault(momentum, 0.0);
        setDefault(beta1, 0.9);
        setDefault(beta2, 0.999);
        setDefault(epsilon, 1e-7);
        setDefault(weightDecay, 0.0);
        setDefault(epochs, 10);
        setDefault(batchSize, 32);
        setDefault(seed, 0L);
        setDefault(backend, "");
        setDefault(trainingMode, "sync");
        setDefault(averagingSteps, 8);
        setDefault(numPartitions, 0);
        setDefault(aggregationDepth, 2);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the param: input column of ML vectors (default {@code features}) */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** @return the param: label column of class indices 0, 1, 2, … (default {@code label}) */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** @return the param: output column of the predicted class index (default {@code prediction}) */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** @return the param: output column of the softmax class probabilities (default {@code probability}) */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /**
     * @return the param: output column of the raw class scores (default {@code rawPrediction}): the natural logs of
     *         the probabilities, as MLlib's evaluators read a {@code rawPrediction} (a probability of 0 gives the log
     *         of the smallest float, about -103); empty for no such column
     */
    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    /** @return the param: hidden layers' widths (default {@code {64}}) */
    public IntArrayParam layers() {
        return layers;
    }

    /** @return the param: hidden layers' activations, one for all or one per layer (default {@code {"relu"}}) */
    public StringArrayParam activations() {
        return activations;
    }

    /** @return the param: training loss, {@code categorical_crossentropy} (default) or {@code mse} */
    public Param<String> loss() {
        return loss;
    }

    /** @return the param: optimizer name (default {@code adam}) */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** @return the param: optimizer's step size {@code η > 0} (default {@code 1e-3}) */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** @return the param: momentum of sgd, nesterov and rmsprop, in [0, 1] (default 0) */
    public DoubleParam momentum() {
        return momentum;
    }

    /** @return the param: Adam's first-moment decay rate (default 0.9) */
    public DoubleParam beta1() {
        return beta1;
    }

    /** @return the param: Adam's second-moment decay rate, RMSProp's {@code α} (default 0.999) */
    public DoubleParam beta2() {
        return beta2;
    }

    /** @return the param: optimizer's denominator floor (default {@code 1e-7}) */
    public DoubleParam epsilon() {
        return epsilon;
    }

    /** @return the param: L2 penalty coefficient, decoupled for adamw (default 0) */
    public DoubleParam weightDecay() {
        return weightDecay;
    }

    /** @return the param: number of passes over the training data (default 10) */
    public IntParam epochs() {
        return epochs;
    }

    /** @return the param: rows per global batch over all partitions, 0 for full batch (default 32) */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the param: seed of the weight initialisation and the batch order (default 0) */
    public LongParam seed() {
        return seed;
    }

    /** @return the param: nnj backend on the executors, empty for the best available (default empty) */
    public Param<String> backend() {
        return backend;
    }

    /** @return the param: training mode, {@code sync} or {@code average} (default {@code sync}) */
    public Param<String> trainingMode() {
        return trainingMode;
    }

    /** @return the param: local steps between averages in {@code average} mode (default 8) */
    public IntParam averagingSteps() {
        return averagingSteps;
    }

    /** @return the param: partitions to train on, 0 for the input's own (default 0) */
    public IntParam numPartitions() {
        return numPartitions;
    }

    /** @return the param: depth of the {@code treeAggregate} of the partitions' results (default 2) */
    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    /**
     * Sets the input column of ML vectors (default {@code features}).
     *
     * @param value the features column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /**
     * Sets the label column: numeric class indices 0, 1, 2, … (default {@code label}).
     *
     * @param value the label column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    /**
     * Sets the output column of the predicted class index (default {@code prediction}).
     *
     * @param value the prediction column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /**
     * Sets the output column of the softmax class probabilities (default {@code probability}).
     *
     * @param value the probability column's name
     * @return this estimator, for chaining
     */
    public NnjClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
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
        set(rawPredictionCol, value);
        return this;
    }

    /**
     * Sets the hidden layers' widths; the softmax output layer is added (default {@code {64}}).
     *
     * @param value width of each hidden layer, input side first, e.g. {@code {128, 64}}; empty for softmax regression
     * @return this estimator, for chaining
     */
    public NnjClassifier setLayers(int[] value) {
        set(layers, value);
        return this;
    }

    /**
     * Sets the hidden layers' activations (default {@code {"relu"}}).
     *
     * @param value one name for all hidden layers or one per layer: relu, sigmoid, tanh, leaky_relu, elu, identity
     * @return this estimator, for chaining
     */
    public NnjClassifier setActivations(String[] value) {
        set(activations, value);
        return this;
    }

    /**
     * Sets the training loss (default {@code categorical_crossentropy}).
     *
     * @param value {@code categorical_crossentropy} or {@code mse}
     * @return this estimator, for chaining
     */
    public NnjClassifier setLoss(String value) {
        set(loss, value);
        return this;
    }

    /**
     * Sets the optimizer (default {@code adam}).
     *
     * @param value sgd, nesterov, adam, adamw, rmsprop or adagrad (case-insensitive)
     * @return this estimator, for chaining
     */
    public NnjClassifier setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    /**
     * Sets the optimizer's step size {@code η} (default {@code 1e-3}).
     *
     * @param value the learning rate, {@code > 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    /**
     * Sets the momentum {@code μ} of sgd, nesterov and rmsprop (default 0, none).
     *
     * @param value the momentum, in [0, 1]
     * @return this estimator, for chaining
     */
    public NnjClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's first-moment decay rate (default 0.9).
     *
     * @param value {@code β₁}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjClassifier setBeta1(double value) {
        set(beta1, value);
        return this;
    }

    /**
     * Sets Adam's and AdamW's second-moment decay rate, also RMSProp's {@code α} (default 0.999).
     *
     * @param value {@code β₂}, in [0, 1)
     * @return this estimator, for chaining
     */
    public NnjClassifier setBeta2(double value) {
        set(beta2, value);
        return this;
    }

    /**
     * Sets the denominator floor of adam, adamw, rmsprop and adagrad (default {@code 1e-7}).
     *
     * @param value {@code ε}, {@code > 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setEpsilon(double value) {
        set(epsilon, value);
        return this;
    }

    /**
     * Sets the L2 penalty, decoupled from the gradient for adamw (default 0, none).
     *
     * @param value the weight decay coefficient, {@code >= 0}
     * @return this estimator, for chaining
     */
    public NnjClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    /**
     * Sets the number of passes over the training data (default 10).
     *
     * @param value epochs, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    /**
     * Sets the global batch size, summed over all partitions (default 32).
     *
     * @param value rows per global batch, or 0 for full batch
     * @return this estimator, for chaining
     */
    public NnjClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * Sets the seed of the weight initialisation and the batch order (default 0).
     *
     * @param value the seed; the same seed and partitioning give the same model
     * @return this estimator, for chaining
     */
    public NnjClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    /**
     * Sets the nnj backend used on the executors (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this estimator, for chaining
     */
    public NnjClassifier setBackend(String value) {
        set(backend, value);
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
        set(trainingMode, value);
        return this;
    }

    /**
     * Sets the local steps between averages in {@code average} mode (default 8).
     *
     * @param value local optimizer steps per partition between averages, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setAveragingSteps(int value) {
        set(averagingSteps, value);
        return this;
    }

    /**
     * Sets the number of partitions (parallel training tasks) to train on (default 0).
     *
     * @param value the partition count, or 0 to keep the input DataFrame's partitioning
     * @return this estimator, for chaining
     */
    public NnjClassifier setNumPartitions(int value) {
        set(numPartitions, value);
        return this;
    }

    /**
     * Sets the depth of the {@code treeAggregate} combining the partitions' results (default 2).
     *
     * @param value the tree depth, at least 1
     * @return this estimator, for chaining
     */
    public NnjClassifier setAggregationDepth(int value) {
        set(aggregationDepth, value);
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

    private int integer(IntParam p) {
        return (Integer) $(p);
    }

    private float real(DoubleParam p) {
        return (float) (double) (Double) $(p);
    }

    /** The optimizer these params describe; validated with the optimizer's own messages. */
    OptimizerSpec optimizerSpec() {
        return new OptimizerSpec(str(optimizer), real(learningRate), real(momentum), real(beta1), real(beta2),
                real(epsilon), real(weightDecay));
    }

    /**
     * The network these params describe for the given data shape.
     *
     * @param inputWidth features per row
     * @param classes    number of classes
     * @return the architecture
     */
    NetworkSpec networkSpec(int inputWidth, int classes) {
        int[] units = $(layers);
        String[] names = $(activations);
        if (names.length != 1 && names.length != units.length) {
            throw new IllegalArgumentException("activations: give one for all " + units.length
                    + " hidden layers or one per layer, got " + names.length);
        }
        Activation[] fs = new Activation[units.length];
        for (int i = 0; i < units.length; i++) {
            fs[i] = NetworkSpec.parseActivation(names[names.length == 1 ? 0 : i]);
        }
        return new NetworkSpec(inputWidth, units, fs, classes, NetworkSpec.parseLoss(str(loss)));
    }

    /** The loop's settings from these params, checked. */
    TrainingSettings settings() {
        int e = integer(epochs);
        if (e <= 0) {
            throw new IllegalArgumentException("epochs must be positive, got " + e);
        }
        int b = integer(batchSize);
        if (b < 0) {
            throw new IllegalArgumentException("batchSize must be 0 (full batch) or positive, got " + b);
        }
        int k = integer(averagingSteps);
        if (k < 1) {
            throw new IllegalArgumentException("averagingSteps must be at least 1, got " + k);
        }
        int depth = integer(aggregationDepth);
        if (depth < 1) {
            throw new IllegalArgumentException("aggregationDepth must be at least 1, got " + depth);
        }
        return new TrainingSettings(e, b, (Long) $(seed), TrainingMode.parse(str(trainingMode)), k,
                str(backend), depth);
    }

    @Override
    public NnjClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        TrainingSettings settings = settings();
        OptimizerSpec optimizerSpec = optimizerSpec();
        int partitions = integer(numPartitions);
        if (partitions < 0) {
            throw new IllegalArgumentException("numPartitions must be 0 (keep the input's) or positive, got "
                    + partitions);
        }
        OptionalInt declared = SchemaChecks.declaredClasses(dataset.schema(), str(labelCol));
        try (TrainingData data = TrainingData.from(dataset, str(featuresCol), str(labelCol), partitions, declared)) {
            NetworkSpec spec = networkSpec(data.featureCount, data.classes);
            DataParallelTrainer.Result result = DataParallelTrainer.train(data, spec, optimizerSpec, settings,
                    taskHook);
            NnjClassificationModel model = new NnjClassificationModel(uid, spec, result.parameters, result.epochs);
            copyValues(model, extractParamMap());
            return model.setParent(this);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, str(featuresCol));
        SchemaChecks.requireNumeric(schema, str(labelCol));
        return SchemaChecks.appendOutputs(schema, str(predictionCol), str(probabilityCol), str(rawPredictionCol));
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

    /** @return a reader of saved (unfitted) estimators */
    public static MLReader<NnjClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where {@link #save} wrote the estimator
     * @return the estimator with its params
     */
    public static NnjClassifier load(String path) {
        return read().load(path);
    }
}
