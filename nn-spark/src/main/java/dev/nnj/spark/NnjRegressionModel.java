package dev.nnj.spark;

import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained nnj regression network as a Spark ML transformer, as MLlib's {@code LinearRegressionModel} or
 * {@code GBTRegressionModel}: {@link #transform} adds the predicted value ({@code predictionCol}, a double) to each
 * row, computing it with nnj on the executors in batches of {@value #PREDICT_BATCH} rows, on a batch or a streaming
 * DataFrame; {@link #predict} gives one vector's.
 *
 * <p>Predictions are in the label's units: the label standardization {@code fit} trained with
 * ({@link #labelMean()}, {@link #labelStd()}) is folded into the output layer, {@code W ← std·W},
 * {@code b ← std·b + mean}, so the saved network file predicts the label as it is in {@code ModelFiles.load} and in
 * PyTorch too. The mean and std are kept beside it, as a record.
 *
 * <p>Saved and loaded through Spark ML persistence ({@link #write()}, {@link #read()}, also inside a
 * {@code PipelineModel}): params as Spark ML metadata, the network as nnj's safetensors model file with the label's
 * mean and std in its metadata ({@value #MEAN_KEY}, {@value #STD_KEY}).
 */
public final class NnjRegressionModel extends Model<NnjRegressionModel> implements MLWritable, NnjRegressorParams {
    private static final long serialVersionUID = 1L;
    /** Rows per nnj forward pass in {@link #transform}. */
    static final int PREDICT_BATCH = 512;
    /** The network file's metadata key of the label's mean. */
    static final String MEAN_KEY = "spark.labelMean";
    /** The network file's metadata key of the label's std. */
    static final String STD_KEY = "spark.labelStd";

    /** The stage's unique id; the same as the estimator's that fitted it. */
    private final String uid;
    /** The network's architecture: one linear output. */
    private final NetworkSpec spec;
    /** Trained parameter values by name, in model order, the label scaling folded in; read-only. */
    private final Map<String, float[]> parameters;
    /** Per epoch {mean training loss on the scaled label, 0, milliseconds since the start}; read-only. */
    private final List<double[]> trainingHistory;
    /** The label standardization that training used. */
    private final LabelScale labelScale;
    /** The params' objects: the estimator's, whose values {@code fit} copies here. */
    private final ParamSet paramSet;

    /**
     * A model of the regression network {@code spec} with trained parameters.
     *
     * @param uid             the stage's unique id
     * @param spec            the architecture, a {@link NetworkSpec#regression regression} network
     * @param parameters      trained parameter values by name, in model order, predicting in the label's units
     * @param trainingHistory per epoch {mean loss, 0, milliseconds since the start}; may be empty
     * @param labelMean       the label mean that training subtracted (0 for none)
     * @param labelStd        the label std that training divided by (1 for none)
     * @throws IllegalArgumentException if {@code spec} is a classifier's, or the parameters are not its
     */
    public NnjRegressionModel(String uid, NetworkSpec spec, Map<String, float[]> parameters,
                              List<double[]> trainingHistory, double labelMean, double labelStd) {
        requireRegression(spec);
        this.uid = uid;
        this.spec = spec;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.trainingHistory = List.copyOf(trainingHistory);
        this.labelScale = new LabelScale(labelMean, labelStd);
        paramSet = new ParamSet(this);
        paramSet.setDefaults(this::setDefault);
        try (WorkerSlot slot = WorkerSlot.borrow("", spec)) {
            // Fails here, not on an executor, when names or sizes do not fit the architecture.
            Sequential model = slot.model();
            if (!model.stateDict().keySet().equals(this.parameters.keySet())) {
                throw new IllegalArgumentException("parameters " + this.parameters.keySet() + " do not match the "
                        + "network " + spec + ", which has " + model.stateDict().keySet());
            }
            model.loadStateDict(this.parameters);
        }
    }

    /** Refuses a classifier's spec: its network ends in a softmax, which {@link NnjClassificationModel} takes. */
    private static void requireRegression(NetworkSpec spec) {
        if (!spec.isRegression()) {
            throw new IllegalArgumentException("the network " + spec + " is a classifier's; NnjClassificationModel "
                    + "takes it");
        }
    }

    /**
     * A model from a regression network built elsewhere (trained by nnj on one machine, say), which predicts in its
     * own units: the Spark model's predictions are its outputs. Its layers must be exactly those {@code spec} builds,
     * as {@link NnjClassificationModel#of(NetworkSpec, Sequential)} checks them. For a model file, whose network may
     * take scaled features and give scaled targets, use {@link #of(NetworkSpec, SavedModel)}.
     *
     * @param spec  the architecture, a {@link NetworkSpec#regression regression} network
     * @param model a model of that architecture
     * @return a Spark ML model with a fresh uid, its label mean 0 and std 1
     * @throws IllegalArgumentException if {@code spec} is a classifier's, or naming the first difference between the
     *                                  model and the spec
     */
    public static NnjRegressionModel of(NetworkSpec spec, Sequential model) {
        requireRegression(spec);
        spec.requireNetworkOf(model);
        return new NnjRegressionModel(Identifiable.randomUID("nnjRegressionModel"), spec, model.stateDict(),
                List.of(), 0, 1);
    }

    /**
     * A model from a regression model file ({@code ModelFiles.load(file, backend)}) that takes the raw features and
     * gives the target in its units, as the file's own {@code SavedModel.predict} does: its feature scaler is folded
     * into the first layer, its target scaler into the output layer ({@link ScalerFolding}), to float32 rounding.
     * The target scaler's map {@code y = out·std + mean} is kept as the model's {@link #labelMean()} and
     * {@link #labelStd()} (a min-max target scaler's too, as that map).
     *
     * @param spec  the architecture, a regression network of one output
     * @param saved a loaded model file of one target; it stays open and the caller's to close
     * @return a Spark ML model with a fresh uid
     * @throws IllegalArgumentException as {@link #of(NetworkSpec, Sequential)}, or for preprocessing a Spark model
     *         cannot carry (an imputer, categorical columns, a scaler whose folding would cost the outputs their
     *         precision)
     */
    public static NnjRegressionModel of(NetworkSpec spec, SavedModel saved) {
        java.util.Objects.requireNonNull(saved, "saved");
        Preprocessing p = saved.preprocessing();
        ScalerFolding.requireFoldable(p);
        requireRegression(spec);
        spec.requireNetworkOf(saved.model());
        Map<String, float[]> parameters = saved.model().stateDict();
        if (p.scaler() != null) {
            parameters = ScalerFolding.intoFirstLayer(parameters, p.scaler(), spec.inputWidth(), p.featureNames());
        }
        LabelScale target = LabelScale.IDENTITY;
        if (p.targetScaler() != null) {
            target = ScalerFolding.outputMap(p.targetScaler());
            parameters = unscaled(parameters, target);
        }
        return new NnjRegressionModel(Identifiable.randomUID("nnjRegressionModel"), spec, parameters, List.of(),
                target.mean(), target.std());
    }

    /**
     * The network's parameters with a label standardization folded into its output layer (the last two entries,
     * weight and bias): {@code ŷ = std·(h·W + b) + mean = h·(std·W) + (std·b + mean)}, computed in double.
     *
     * @param trained the parameters as trained on {@code (y − mean) / std}, in model order
     * @param scale   the standardization
     * @return new parameters that predict {@code y} itself
     */
    static Map<String, float[]> unscaled(Map<String, float[]> trained, LabelScale scale) {
        List<String> names = new ArrayList<>(trained.keySet());
        String weight = names.get(names.size() - 2);
        String bias = names.get(names.size() - 1);
        Map<String, float[]> out = new LinkedHashMap<>(trained);
        float[] w = trained.get(weight).clone();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (scale.std() * w[i]);
        }
        float[] b = trained.get(bias).clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (scale.std() * b[i] + scale.mean());
        }
        out.put(weight, w);
        out.put(bias, b);
        return out;
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
    public NnjRegressionModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    /**
     * Sets the output column of the predicted value (default {@code prediction}).
     *
     * @param value the prediction column's name, not empty
     * @return this model, for chaining
     */
    public NnjRegressionModel setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    /**
     * Sets the nnj backend used on the executors for prediction (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this model, for chaining
     */
    public NnjRegressionModel setBackend(String value) {
        set(backend(), value);
        return this;
    }

    /**
     * Sets what {@link #transform} does with a row of invalid features (see {@link #handleInvalid()}): {@code keep}
     * gives it a NaN prediction.
     *
     * @param value {@code error} (default), {@code skip} or {@code keep}
     * @return this model, for chaining
     */
    public NnjRegressionModel setHandleInvalid(String value) {
        set(handleInvalid(), value);
        return this;
    }

    /** {@return the architecture} */
    public NetworkSpec networkSpec() {
        return spec;
    }

    /** {@return the parameters by name, the label scaling folded into the output layer; read-only map} */
    public Map<String, float[]> parameters() {
        return parameters;
    }

    /**
     * {@return per epoch {mean training loss, 0, milliseconds since the start}; empty after load. The loss is that of
     * the standardized label when {@code standardizeLabel} was on (multiply a squared error by {@code labelStd²} for
     * the label's units), unweighted by a weight column, as nnj's {@code Trainer} reports it}
     */
    public List<double[]> trainingHistory() {
        return trainingHistory;
    }

    /** {@return the label's (weighted) mean over the training rows that training subtracted; 0 without scaling} */
    public double labelMean() {
        return labelScale.mean();
    }

    /** {@return the label's (weighted) population std that training divided by; 1 without scaling} */
    public double labelStd() {
        return labelScale.std();
    }

    /** {@return features per row} */
    public int numFeatures() {
        return spec.inputWidth();
    }

    /**
     * The predicted value of one feature vector, as {@link #transform} computes a row's {@code predictionCol}, with
     * nnj in the calling JVM on the model's {@code backend}: for a few rows outside a DataFrame.
     *
     * @param features {@link #numFeatures()} values, each a finite float
     * @return the prediction, in the label's units
     * @throws IllegalArgumentException for a vector of another size, or a value that is NaN, infinite or beyond
     *                                  float32's range (naming its index)
     */
    public double predict(Vector features) {
        int width = spec.inputWidth();
        if (features == null || features.size() != width) {
            throw new IllegalArgumentException("the features vector has " + (features == null ? "no"
                    : String.valueOf(features.size())) + " values, the model takes " + width);
        }
        float[] x = new float[width];
        for (int j = 0; j < width; j++) {
            x[j] = TrainingData.finiteFloat(features.apply(j), 0, j, "given to predict");
        }
        try (WorkerSlot slot = WorkerSlot.borrow($(backend()), spec)) {
            Sequential model = slot.model();
            model.loadStateDict(parameters);
            return model.predict(x, 1)[0];
        }
    }

    /**
     * Checks the features column and appends the prediction, a double, as MLlib's regression models do.
     *
     * @param schema the input schema
     * @return the output schema
     * @throws IllegalArgumentException if the features column is missing or not a vector, or the prediction column
     *                                  exists already
     */
    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, $(featuresCol()));
        return SchemaChecks.appendOutputs(schema, $(predictionCol()), "", "", 0);
    }

    /**
     * Appends the prediction to each row, computing it with nnj on the executors, {@value #PREDICT_BATCH} rows per
     * forward pass, as a step of the DataFrame's query plan ({@code mapPartitions}).
     *
     * @param dataset rows with the features column
     * @return the rows with the prediction appended
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> input = dataset.toDF();
        int featuresIndex = input.schema().fieldIndex($(featuresCol()));
        String featuresName = $(featuresCol());
        NetworkSpec network = spec;
        Map<String, float[]> state = parameters;
        String backendName = $(backend());
        InvalidRows invalidRows = InvalidRows.parse($(handleInvalid()));
        // Locals only: the function travels to the executors without the model (and its params) around it.
        MapPartitionsFunction<Row, Row> predict = rows -> new PredictingIterator(rows, featuresIndex, featuresName,
                network, state, backendName, invalidRows);
        return SchemaChecks.withSchema(input.mapPartitions(predict, Encoders.row(out)), out);
    }

    /** {@return the uid, network, size and label scaling, as MLlib's regression models describe themselves} */
    @Override
    public String toString() {
        return "NnjRegressionModel: uid=" + uid + ", network=" + spec + ", numFeatures=" + numFeatures()
                + ", labelMean=" + labelMean() + ", labelStd=" + labelStd();
    }

    @Override
    public NnjRegressionModel copy(ParamMap extra) {
        NnjRegressionModel copy = new NnjRegressionModel(uid, spec, parameters, trainingHistory, labelMean(),
                labelStd());
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new NnjModelWriter(this, spec, parameters, Map.of(MEAN_KEY, Double.toString(labelMean()), STD_KEY,
                Double.toString(labelStd())), new SafeTensorsCodec());
    }

    /** {@return a reader of saved models} */
    public static MLReader<NnjRegressionModel> read() {
        return new NnjModelReader<>(new SafeTensorsCodec(), NnjRegressionModel.class, (uid, decoded, source) -> {
            if (!decoded.spec().isRegression()) {
                throw new IllegalArgumentException(source + ": a classifier's network (" + decoded.spec() + "); load "
                        + "it with NnjClassificationModel.load");
            }
            String mean = decoded.metadata().get(MEAN_KEY);
            String std = decoded.metadata().get(STD_KEY);
            if (mean == null || std == null) {
                throw new IllegalArgumentException(source + ": metadata has no '" + MEAN_KEY + "' or '" + STD_KEY
                        + "': not a regression network saved by nn-spark");
            }
            return new NnjRegressionModel(uid, decoded.spec(), decoded.parameters(), List.of(),
                    Double.parseDouble(mean), Double.parseDouble(std));
        });
    }

    /**
     * {@return the model}
     *
     * @param path where {@link #save} wrote the model
     * @throws IllegalArgumentException if another stage was saved there, naming it and the load that reads it
     */
    public static NnjRegressionModel load(String path) {
        SavedStages.requireSaved(path, NnjRegressionModel.class);   // the class Spark's reader will make
        return read().load(path);
    }

    /** A partition's rows with the predicted value appended; NaN for an invalid row kept. */
    private static final class PredictingIterator extends BatchPredictingIterator {
        PredictingIterator(Iterator<Row> input, int featuresIndex, String featuresName, NetworkSpec spec,
                           Map<String, float[]> state, String backendName, InvalidRows invalidRows) {
            super(input, featuresIndex, featuresName, spec, state, backendName, invalidRows, 1);
        }

        @Override
        void appendOutputs(Object[] values, int at, float[] outputs, int row, boolean kept) {
            values[at] = kept ? Double.NaN : (double) outputs[row];
        }
    }
}
