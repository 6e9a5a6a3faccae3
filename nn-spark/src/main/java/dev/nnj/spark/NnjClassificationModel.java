package dev.nnj.spark;

import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.model.Sequential;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained nnj classifier as a Spark ML transformer: {@link #transform} adds the predicted class index
 * ({@code predictionCol}: the arg-max, or MLlib's rule when {@link #thresholds()} are set), the softmax
 * probabilities ({@code probabilityCol}) and their logs ({@code rawPredictionCol}) to each row, each left out when
 * its column name is empty, computing them with nnj on the executors in batches of {@value #PREDICT_BATCH} rows, on a
 * batch or a streaming DataFrame.
 *
 * <p>The model has the params of the estimator that fitted it ({@link NnjClassifierParams}), with their values: it
 * reads its columns and {@code backend}, which can be set here; the training params record how it was trained.
 *
 * <p>{@link #predictProbability}, {@link #predictRaw} and {@link #predict} give one vector's outputs outside a
 * DataFrame. The class is not an MLlib {@code ProbabilisticClassificationModel}, though it decides as one does with
 * {@code thresholds}; {@code OneVsRest} does not take its estimator ({@code docs/spark.md} says why).
 *
 * <p>Saved and loaded through Spark ML persistence ({@link #write()}, {@link #read()}, also inside a
 * {@code PipelineModel}): params as Spark ML metadata, the network through {@link NetworkCodec}.
 */
public final class NnjClassificationModel extends Model<NnjClassificationModel>
        implements MLWritable, NnjClassifierParams {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NnjClassificationModel.class);
    /** Rows per nnj forward pass in {@link #transform}. */
    static final int PREDICT_BATCH = 512;

    /** The stage's unique id; the same as the estimator's that fitted it. */
    private final String uid;
    /** The network's architecture. */
    private final NetworkSpec spec;
    /** Trained parameter values by name, in model order; read-only. */
    private final Map<String, float[]> parameters;
    /** Per epoch {mean training loss, training accuracy, milliseconds since the start}; read-only. */
    private final List<double[]> trainingHistory;
    /** The params' objects: the estimator's, whose values {@code fit} copies here. */
    private final ParamSet paramSet;

    /**
     * A model of the network {@code spec} with trained parameters.
     *
     * @param uid             the stage's unique id
     * @param spec            the architecture
     * @param parameters      trained parameter values by name, in model order
     * @param trainingHistory per epoch {mean loss, accuracy, milliseconds since the start}; may be empty
     */
    public NnjClassificationModel(String uid, NetworkSpec spec, Map<String, float[]> parameters,
                                  List<double[]> trainingHistory) {
        this.uid = uid;
        this.spec = spec;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.trainingHistory = List.copyOf(trainingHistory);
        paramSet = new ParamSet(this);
        paramSet.setDefaults(this::setDefault);
        // What the network itself says of its training params, for a model that no estimator fitted (of(), or one
        // saved before models kept the estimator's params); fit's copyValues puts the estimator's defaults here.
        setDefault(layers(), spec.hiddenUnits());
        String[] activationNames = new String[spec.hiddenUnits().length];
        for (int i = 0; i < activationNames.length; i++) {
            activationNames[i] = spec.hiddenActivations()[i].label();
        }
        setDefault(activations(), activationNames);
        setDefault(loss(), spec.lossName());
        // Fails here, not on an executor, when names or sizes do not fit the architecture.
        checkParameters(spec, this.parameters);
    }

    /**
     * A model from a network built elsewhere (for example trained by nnj on one machine). Its layers must be exactly
     * those {@code spec} builds: parameters of the right names and sizes under another activation would predict
     * something else, silently. The network's own input is what the Spark model takes: for a model file's network
     * ({@code SavedModel.model()}), features scaled as its saved scaler scales them. To take the raw features a model
     * file's {@code predict} takes, use {@link #of(NetworkSpec, SavedModel)}.
     *
     * @param spec  the architecture
     * @param model a model of that architecture
     * @return a Spark ML model with a fresh uid
     * @throws IllegalArgumentException naming the first difference between the model and the spec (the input width,
     *                                  a layer's kind, width, activation or alpha, the number of layers)
     */
    public static NnjClassificationModel of(NetworkSpec spec, Sequential model) {
        spec.requireNetworkOf(model);
        return new NnjClassificationModel(Identifiable.randomUID("nnjClassificationModel"), spec, model.stateDict(),
                List.of());
    }

    /**
     * A model from a model file ({@code ModelFiles.load(file, backend)}) that takes the raw features the file's own
     * {@code SavedModel.predict} takes: a feature scaler saved with it is folded into the first layer
     * ({@link ScalerFolding}), so that the probabilities equal the file's to float32 rounding. The prediction column
     * holds the output's index {@code k}; the file's name of that class is
     * {@code saved.preprocessing().className(k)}.
     *
     * @param spec  the architecture, as for {@link #of(NetworkSpec, Sequential)}
     * @param saved a loaded model file; it stays open and the caller's to close (the Spark model copies its
     *              parameters)
     * @return a Spark ML model with a fresh uid
     * @throws IllegalArgumentException as {@link #of(NetworkSpec, Sequential)}, or for preprocessing a Spark model
     *         cannot carry: an imputer (put Spark's {@code Imputer} first and load the network alone), categorical
     *         columns (one-hot encoded by nnj's CSV reader), or a scaler whose folding would cost the outputs their
     *         precision (a column far from zero against its spread, such as a timestamp)
     */
    public static NnjClassificationModel of(NetworkSpec spec, SavedModel saved) {
        java.util.Objects.requireNonNull(saved, "saved");
        Preprocessing p = saved.preprocessing();
        ScalerFolding.requireFoldable(p);
        spec.requireNetworkOf(saved.model());
        Map<String, float[]> parameters = saved.model().stateDict();
        if (p.scaler() != null) {
            parameters = ScalerFolding.intoFirstLayer(parameters, p.scaler(), spec.inputWidth(), p.featureNames());
        }
        return new NnjClassificationModel(Identifiable.randomUID("nnjClassificationModel"), spec, parameters,
                List.of());
    }

    private static void checkParameters(NetworkSpec spec, Map<String, float[]> parameters) {
        try (WorkerSlot slot = WorkerSlot.borrow("", spec)) {
            Sequential model = slot.model();
            if (!model.stateDict().keySet().equals(parameters.keySet())) {
                throw new IllegalArgumentException("parameters " + parameters.keySet() + " do not match the network "
                        + spec + ", which has " + model.stateDict().keySet());
            }
            model.loadStateDict(parameters);
        }
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
     * @return this model, for chaining
     */
    public NnjClassificationModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    /**
     * Sets the output column of the predicted class index (default {@code prediction}; empty for none).
     *
     * @param value the prediction column's name, or empty
     * @return this model, for chaining
     */
    public NnjClassificationModel setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    /**
     * Sets the output column of the softmax class probabilities (default {@code probability}; empty for none).
     *
     * @param value the probability column's name, or empty
     * @return this model, for chaining
     */
    public NnjClassificationModel setProbabilityCol(String value) {
        set(probabilityCol(), value);
        return this;
    }

    /**
     * Sets the output column of the raw class scores, the log-probabilities (default {@code rawPrediction}; empty
     * for none), which MLlib's {@code BinaryClassificationEvaluator} reads by default.
     *
     * @param value the raw prediction column's name, or empty
     * @return this model, for chaining
     */
    public NnjClassificationModel setRawPredictionCol(String value) {
        set(rawPredictionCol(), value);
        return this;
    }

    /**
     * Sets per-class decision thresholds, as MLlib's probabilistic models take them: the prediction becomes
     * {@code argmax_k p_k / t_k} (see {@link #thresholds()}); {@code clear(thresholds())} goes back to the arg-max.
     *
     * @param value one threshold per class, each {@code >= 0}, at most one of them 0
     * @return this model, for chaining
     * @throws IllegalArgumentException if a value is negative or NaN, or two are 0 (the length is checked against
     *                                  {@link #numClasses()} when the model transforms or predicts)
     */
    public NnjClassificationModel setThresholds(double[] value) {
        set(thresholds(), value == null ? null : value.clone());   // a copy: the caller may reuse its array
        return this;
    }

    /**
     * Sets the nnj backend used on the executors for prediction (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this model, for chaining
     */
    public NnjClassificationModel setBackend(String value) {
        set(backend(), value);
        return this;
    }

    /**
     * Sets what {@link #transform} does with a row of invalid features (see {@link #handleInvalid()}).
     *
     * @param value {@code error} (default), {@code skip} or {@code keep}
     * @return this model, for chaining
     */
    public NnjClassificationModel setHandleInvalid(String value) {
        set(handleInvalid(), value);
        return this;
    }

    /** {@return the architecture} */
    public NetworkSpec networkSpec() {
        return spec;
    }

    /** {@return the trained parameters by name ({@code dense_1.weight}, …), in model order; read-only map} */
    public Map<String, float[]> parameters() {
        return parameters;
    }

    /**
     * {@return per epoch {mean training loss, training accuracy, milliseconds since the start}; empty after load. With
     * a {@code weightCol} the loss and the accuracy are still the plain means over the rows, unweighted, as
     * nnj's {@code Trainer} reports them, so they compare with an unweighted run's}
     */
    public List<double[]> trainingHistory() {
        return trainingHistory;
    }

    /** {@return number of classes} */
    public int numClasses() {
        return spec.classes();
    }

    /** {@return features per row} */
    public int numFeatures() {
        return spec.inputWidth();
    }

    /**
     * The softmax class probabilities of one feature vector, as {@link #transform} computes a row's
     * {@code probabilityCol}, with nnj in the calling JVM (the driver, usually) on the model's {@code backend}: for a
     * few rows outside a DataFrame, e.g. a request in a serving loop. Each call is one forward pass of one row;
     * {@link #transform} batches {@value #PREDICT_BATCH} rows per pass.
     *
     * @param features {@link #numFeatures()} values, each a finite float
     * @return {@link #numClasses()} probabilities summing to 1
     * @throws IllegalArgumentException for a vector of another size, or a value that is NaN, infinite or beyond
     *                                  float32's range (naming its index)
     */
    public Vector predictProbability(Vector features) {
        return Vectors.dense(SoftmaxScores.probabilities(logProbabilitiesOf(features)));
    }

    /** One vector's log-probabilities, from the logits of one forward pass (see {@link SoftmaxScores}). */
    private double[] logProbabilitiesOf(Vector features) {
        int width = spec.inputWidth();
        if (features == null || features.size() != width) {
            throw new IllegalArgumentException("the features vector has " + (features == null ? "no"
                    : String.valueOf(features.size())) + " values, the model takes " + width);
        }
        float[] x = new float[width];
        for (int j = 0; j < width; j++) {
            x[j] = TrainingData.finiteFloat(features.apply(j), 0, j, "given to predict");
        }
        float[] logits;
        try (WorkerSlot slot = WorkerSlot.borrow($(backend()), spec.scores())) {
            Sequential model = slot.model();
            model.loadStateDict(parameters);
            logits = model.predict(x, 1);
        }
        return SoftmaxScores.logProbabilities(logits, 0, spec.classes());
    }

    /**
     * The raw class scores of one feature vector, as {@link #transform} computes a row's {@code rawPredictionCol}: the
     * natural logs of {@link #predictProbability}'s values, {@code z_c − logsumexp(z)} of the logits {@code z} in
     * double, so that a confident row keeps its rank where a float32 probability would have rounded to 1.
     *
     * @param features {@link #numFeatures()} values, each a finite float
     * @return {@link #numClasses()} log-probabilities
     * @throws IllegalArgumentException as {@link #predictProbability} does
     */
    public Vector predictRaw(Vector features) {
        return Vectors.dense(logProbabilitiesOf(features));
    }

    /**
     * The predicted class index of one feature vector, as {@link #transform} computes a row's {@code predictionCol}:
     * the arg-max of {@link #predictProbability}'s values, the lowest index on a tie, or with {@link #thresholds()}
     * set the class {@code k} whose {@code p_k / t_k} is largest.
     *
     * @param features {@link #numFeatures()} values, each a finite float
     * @return the class index, as a double as in MLlib
     * @throws IllegalArgumentException as {@link #predictProbability} does, or if the thresholds set are not one per
     *                                  class
     */
    public double predict(Vector features) {
        double[] t = checkedThresholds();
        return Thresholds.predict(predictProbability(features).toArray(), t);
    }

    /** The thresholds set, checked to be one per class, or {@code null} for the arg-max. */
    private double[] checkedThresholds() {
        double[] t = Thresholds.setOn(this);
        Thresholds.requireOnePerClass(t, spec.classes(), "the model");
        return t;
    }

    /**
     * Checks the features column and appends the outputs whose names are not empty: the prediction as a nominal
     * attribute of {@link #numClasses()} values, the probabilities and raw scores as vectors of that size, the ML
     * attributes MLlib's classifiers give theirs.
     *
     * @param schema the input schema
     * @return the output schema
     * @throws IllegalArgumentException if the features column is missing or not a vector, an output column exists
     *                                  already, two outputs have the same name, or the thresholds set are not one
     *                                  per class
     */
    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, $(featuresCol()));
        checkedThresholds();
        return SchemaChecks.appendOutputs(schema, $(predictionCol()), $(probabilityCol()), $(rawPredictionCol()),
                spec.classes());
    }

    /**
     * Appends the outputs to each row, computing them with nnj on the executors, {@value #PREDICT_BATCH} rows per
     * forward pass. The work is a step of the DataFrame's query plan ({@code mapPartitions}), so a streaming
     * DataFrame gives a streaming result, as with MLlib's models.
     *
     * @param dataset rows with the features column
     * @return the rows with the outputs appended; the input itself when every output's name is empty
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> input = dataset.toDF();
        Outputs outputs = new Outputs(!$(predictionCol()).isEmpty(), !$(probabilityCol()).isEmpty(),
                !$(rawPredictionCol()).isEmpty());
        if (outputs.count() == 0) {
            // As MLlib's classifiers do: nothing asked for, nothing computed.
            LOG.warn("{}: predictionCol, probabilityCol and rawPredictionCol are all empty; transform adds nothing",
                    uid);
            return input;
        }
        int featuresIndex = input.schema().fieldIndex($(featuresCol()));
        String featuresName = $(featuresCol());
        NetworkSpec network = spec;
        Map<String, float[]> state = parameters;
        String backendName = $(backend());
        double[] decisionThresholds = checkedThresholds();
        InvalidRows invalidRows = InvalidRows.parse($(handleInvalid()));
        // Locals only: the function travels to the executors without the model (and its params) around it.
        MapPartitionsFunction<Row, Row> predict = rows -> new PredictingIterator(rows, featuresIndex, featuresName,
                network, state, backendName, outputs, decisionThresholds, invalidRows);
        return SchemaChecks.withSchema(input.mapPartitions(predict, Encoders.row(out)), out);
    }

    /** {@return the uid, network and sizes, as MLlib's classification models describe themselves} */
    @Override
    public String toString() {
        return "NnjClassificationModel: uid=" + uid + ", network=" + spec + ", numClasses=" + numClasses()
                + ", numFeatures=" + numFeatures();
    }

    @Override
    public NnjClassificationModel copy(ParamMap extra) {
        NnjClassificationModel copy = new NnjClassificationModel(uid, spec, parameters, trainingHistory);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new NnjModelWriter(this, new SafeTensorsCodec());
    }

    /** {@return a reader of saved models} */
    public static MLReader<NnjClassificationModel> read() {
        return new NnjModelReader<>(new SafeTensorsCodec());
    }

    /**
     * {@return the model}
     *
     * @param path where {@link #save} wrote the model
     * @throws IllegalArgumentException if another stage was saved there, naming it and the load that reads it
     */
    public static NnjClassificationModel load(String path) {
        SavedStages.requireSaved(path, NnjClassificationModel.class);   // the class Spark's reader will make
        return read().load(path);
    }

    /** Which outputs {@link #transform} appends, in this order; an empty column name leaves one out. */
    private static final class Outputs implements Serializable {
        private static final long serialVersionUID = 1L;
        final boolean prediction;
        final boolean probability;
        final boolean raw;

        Outputs(boolean prediction, boolean probability, boolean raw) {
            this.prediction = prediction;
            this.probability = probability;
            this.raw = raw;
        }

        int count() {
            return (prediction ? 1 : 0) + (probability ? 1 : 0) + (raw ? 1 : 0);
        }
    }

    /**
     * A partition's rows with the chosen outputs appended: the class, the softmax probabilities and their logs, from
     * the network's logits ({@link NetworkSpec#scores}, the output layer without its softmax); NaN for an invalid row
     * kept.
     */
    private static final class PredictingIterator extends BatchPredictingIterator {
        private final NetworkSpec spec;
        private final Outputs outputs;
        /** One per class, or {@code null} for the arg-max. */
        private final double[] thresholds;

        PredictingIterator(Iterator<Row> input, int featuresIndex, String featuresName, NetworkSpec spec,
                           Map<String, float[]> state, String backendName, Outputs outputs, double[] thresholds,
                           InvalidRows invalidRows) {
            super(input, featuresIndex, featuresName, spec.scores(), state, backendName, invalidRows,
                    outputs.count());
            this.spec = spec;
            this.outputs = outputs;
            this.thresholds = thresholds;
        }

        @Override
        void appendOutputs(Object[] values, int at, float[] logits, int row, boolean kept) {
            double[] logP = SoftmaxScores.logProbabilities(logits, row, spec.classes());
            double[] p = SoftmaxScores.probabilities(logP);
            if (kept) {
                java.util.Arrays.fill(logP, Double.NaN);
                java.util.Arrays.fill(p, Double.NaN);
            }
            int k = at;
            if (outputs.prediction) {
                values[k++] = kept ? Double.NaN : (double) Thresholds.predict(p, thresholds);
            }
            if (outputs.probability) {
                values[k++] = Vectors.dense(p);
            }
            if (outputs.raw) {
                values[k] = Vectors.dense(logP);
            }
        }
    }
}
