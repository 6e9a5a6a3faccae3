package dev.nnj.spark;

import dev.nnj.api.Activation;
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

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntArrayParam layers;
    private final StringArrayParam activations;
    private final Param<String> loss;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam momentum;
    private final DoubleParam beta1;
    private final DoubleParam beta2;
    private final DoubleParam epsilon;
    private final DoubleParam weightDecay;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final LongParam seed;
    private final Param<String> backend;
    private final Param<String> trainingMode;
    private final IntParam averagingSteps;
    private final IntParam numPartitions;
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
        layers = new IntArrayParam(this, "layers", "width of each hidden layer; the output layer is added");
        activations = new StringArrayParam(this, "activations",
                "activation of each hidden layer (one for all, or one each): relu, sigmoid, tanh, leaky_relu, elu,"
                        + " identity");
        loss = new Param<>(this, "loss", "categorical_crossentropy or mse");
        optimizer = new Param<>(this, "optimizer", "sgd, nesterov, adam, adamw, rmsprop or adagrad");
        learningRate = new DoubleParam(this, "learningRate", "optimizer step size (> 0)");
        momentum = new DoubleParam(this, "momentum", "momentum of sgd, nesterov and rmsprop, in [0, 1]");
        beta1 = new DoubleParam(this, "beta1", "Adam's first-moment decay");
        beta2 = new DoubleParam(this, "beta2", "Adam's second-moment decay (RMSProp's alpha)");
        epsilon = new DoubleParam(this, "epsilon", "denominator floor of adam, adamw, rmsprop, adagrad");
        weightDecay = new DoubleParam(this, "weightDecay", "L2 penalty (decoupled for adamw)");
        epochs = new IntParam(this, "epochs", "passes over the training data (> 0)");
        batchSize = new IntParam(this, "batchSize", "rows per global batch, over all partitions; 0 = full batch");
        seed = new LongParam(this, "seed", "seed of the weight initialisation and the batch order");
        backend = new Param<>(this, "backend", "nnj backend on the executors (cpu, cuda); empty = best available");
        trainingMode = new Param<>(this, "trainingMode",
                "sync: average gradients every step; average: average parameters and optimizer state every"
                        + " averagingSteps local steps");
        averagingSteps = new IntParam(this, "averagingSteps", "local steps between averages in average mode (>= 1)");
        numPartitions = new IntParam(this, "numPartitions",
                "partitions (parallel tasks) to train on; 0 = the DataFrame's own partitioning");
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 2)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
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

    /** @return the features column param */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** @return the label column param */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** @return the prediction column param */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** @return the probability column param */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** @return the hidden layer widths param */
    public IntArrayParam layers() {
        return layers;
    }

    /** @return the hidden activations param */
    public StringArrayParam activations() {
        return activations;
    }

    /** @return the loss param */
    public Param<String> loss() {
        return loss;
    }

    /** @return the optimizer name param */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** @return the learning rate param */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** @return the momentum param */
    public DoubleParam momentum() {
        return momentum;
    }

    /** @return Adam's beta1 param */
    public DoubleParam beta1() {
        return beta1;
    }

    /** @return Adam's beta2 param */
    public DoubleParam beta2() {
        return beta2;
    }

    /** @return the epsilon param */
    public DoubleParam epsilon() {
        return epsilon;
    }

    /** @return the weight decay param */
    public DoubleParam weightDecay() {
        return weightDecay;
    }

    /** @return the epochs param */
    public IntParam epochs() {
        return epochs;
    }

    /** @return the batch size param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the seed param */
    public LongParam seed() {
        return seed;
    }

    /** @return the backend name param */
    public Param<String> backend() {
        return backend;
    }

    /** @return the training mode param */
    public Param<String> trainingMode() {
        return trainingMode;
    }

    /** @return the averaging interval param */
    public IntParam averagingSteps() {
        return averagingSteps;
    }

    /** @return the partition count param */
    public IntParam numPartitions() {
        return numPartitions;
    }

    /** @return the tree depth param */
    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    /** @param value features column name @return this */
    public NnjClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /** @param value label column name @return this */
    public NnjClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    /** @param value prediction column name @return this */
    public NnjClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /** @param value probability column name @return this */
    public NnjClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** @param value hidden layer widths, e.g. {64} @return this */
    public NnjClassifier setLayers(int[] value) {
        set(layers, value);
        return this;
    }

    /** @param value hidden activations, one for all layers or one per layer @return this */
    public NnjClassifier setActivations(String[] value) {
        set(activations, value);
        return this;
    }

    /** @param value categorical_crossentropy or mse @return this */
    public NnjClassifier setLoss(String value) {
        set(loss, value);
        return this;
    }

    /** @param value optimizer name @return this */
    public NnjClassifier setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    /** @param value learning rate @return this */
    public NnjClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    /** @param value momentum @return this */
    public NnjClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    /** @param value Adam's beta1 @return this */
    public NnjClassifier setBeta1(double value) {
        set(beta1, value);
        return this;
    }

    /** @param value Adam's beta2 @return this */
    public NnjClassifier setBeta2(double value) {
        set(beta2, value);
        return this;
    }

    /** @param value epsilon @return this */
    public NnjClassifier setEpsilon(double value) {
        set(epsilon, value);
        return this;
    }

    /** @param value weight decay @return this */
    public NnjClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    /** @param value epochs @return this */
    public NnjClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    /** @param value rows per global batch, 0 for full batch @return this */
    public NnjClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** @param value seed @return this */
    public NnjClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    /** @param value backend name, empty for the best available @return this */
    public NnjClassifier setBackend(String value) {
        set(backend, value);
        return this;
    }

    /** @param value sync or average @return this */
    public NnjClassifier setTrainingMode(String value) {
        set(trainingMode, value);
        return this;
    }

    /** @param value local steps between averages @return this */
    public NnjClassifier setAveragingSteps(int value) {
        set(averagingSteps, value);
        return this;
    }

    /** @param value partitions to train on, 0 to keep the input's @return this */
    public NnjClassifier setNumPartitions(int value) {
        set(numPartitions, value);
        return this;
    }

    /** @param value treeAggregate depth @return this */
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
        try (TrainingData data = TrainingData.from(dataset, str(featuresCol), str(labelCol), partitions)) {
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
        return SchemaChecks.appendOutputs(schema, str(predictionCol), str(probabilityCol));
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
