package dev.nnj.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import dev.nnj.api.model.Sequential;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A trained nnj classifier as a Spark ML transformer: {@link #transform} adds the predicted class index
 * ({@code predictionCol}, the arg-max) and the softmax probabilities ({@code probabilityCol}) to each row,
 * computing them with nnj on the executors in batches of {@value #PREDICT_BATCH} rows.
 *
 * <p>Saved and loaded through Spark ML persistence ({@link #write()}, {@link #read()}, also inside a
 * {@code PipelineModel}): params as Spark ML metadata, the network through {@link NetworkCodec}.
 */
public final class NnjClassificationModel extends Model<NnjClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
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
    /** Param: input column of ML vectors, as wide as the network's input; default {@code features}. */
    private final Param<String> featuresCol;
    /** Param: output column of the predicted class index (a double); default {@code prediction}. */
    private final Param<String> predictionCol;
    /** Param: output column of the softmax class probabilities (an ML vector); default {@code probability}. */
    private final Param<String> probabilityCol;
    /** Param: output column of the raw scores, log-probabilities (an ML vector); default {@code rawPrediction}. */
    private final Param<String> rawPredictionCol;
    /** Param: nnj backend used on the executors ({@code cpu}, {@code cuda}); default empty, the best available. */
    private final Param<String> backend;

    /**
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
        featuresCol = new Param<>(this, "featuresCol", "features column (an ML vector)");
        predictionCol = new Param<>(this, "predictionCol", "output column of the predicted class index");
        probabilityCol = new Param<>(this, "probabilityCol", "output column of the class probabilities (softmax)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "output column of the raw class scores, the log-probabilities (their softmax is the probabilities); empty "
                        + "for none");
        backend = new Param<>(this, "backend", "nnj backend on the executors (cpu, cuda); empty = best available");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(backend, "");
        // Fails here, not on an executor, when names or sizes do not fit the architecture.
        checkParameters(spec, this.parameters);
    }

    /**
     * A model from a network built elsewhere (for example trained by nnj on one machine).
     *
     * @param spec  the architecture
     * @param model a model of that architecture
     * @return a Spark ML model with a fresh uid
     */
    public static NnjClassificationModel of(NetworkSpec spec, Sequential model) {
        return new NnjClassificationModel(Identifiable.randomUID("nnjClassificationModel"), spec, model.stateDict(),
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

    /** @return the param: input column of ML vectors (default {@code features}) */
    public Param<String> featuresCol() {
        return featuresCol;
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

    /** @return the param: nnj backend on the executors, empty for the best available (default empty) */
    public Param<String> backend() {
        return backend;
    }

    /**
     * Sets the input column of ML vectors (default {@code features}).
     *
     * @param value the features column's name
     * @return this model, for chaining
     */
    public NnjClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /**
     * Sets the output column of the predicted class index (default {@code prediction}).
     *
     * @param value the prediction column's name
     * @return this model, for chaining
     */
    public NnjClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /**
     * Sets the output column of the softmax class probabilities (default {@code probability}).
     *
     * @param value the probability column's name
     * @return this model, for chaining
     */
    public NnjClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
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
        set(rawPredictionCol, value);
        return this;
    }

    /**
     * Sets the nnj backend used on the executors for prediction (default empty: the best available).
     *
     * @param value {@code cpu}, {@code cuda}, or empty for the best available
     * @return this model, for chaining
     */
    public NnjClassificationModel setBackend(String value) {
        set(backend, value);
        return this;
    }

    /** @return the architecture */
    public NetworkSpec networkSpec() {
        return spec;
    }

    /** @return the trained parameters by name ({@code dense_1.weight}, …), in model order; read-only map */
    public Map<String, float[]> parameters() {
        return parameters;
    }

    /** @return per epoch {mean training loss, training accuracy, milliseconds since the start}; empty after load */
    public List<double[]> trainingHistory() {
        return trainingHistory;
    }

    /** @return number of classes */
    public int numClasses() {
        return spec.classes();
    }

    /** @return features per row */
    public int numFeatures() {
        return spec.inputWidth();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, $(featuresCol));
        return SchemaChecks.appendOutputs(schema, $(predictionCol), $(probabilityCol), $(rawPredictionCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int featuresIndex = dataset.schema().fieldIndex($(featuresCol));
        NetworkSpec network = spec;
        Map<String, float[]> state = parameters;
        String backendName = $(backend);
        boolean raw = !$(rawPredictionCol).isEmpty();
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(
                it -> new PredictingIterator(it, featuresIndex, network, state, backendName, raw));
        return dataset.sparkSession().createDataFrame(rows, out);
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

    /** @return a reader of saved models */
    public static MLReader<NnjClassificationModel> read() {
        return new NnjModelReader(new SafeTensorsCodec());
    }

    /**
     * @param path where {@link #save} wrote the model
     * @return the model
     */
    public static NnjClassificationModel load(String path) {
        return read().load(path);
    }

    /**
     * Appends prediction and probabilities to each row, predicting {@value #PREDICT_BATCH} rows per nnj call.
     * Borrows an executor slot only for the duration of each batch.
     */
    private static final class PredictingIterator implements Iterator<Row> {
        private final Iterator<Row> input;
        private final int featuresIndex;
        private final NetworkSpec spec;
        private final Map<String, float[]> state;
        private final String backendName;
        private final List<Row> pending = new ArrayList<>();
        private float[] probabilities;
        private int next;
        /** Rows of the partition in earlier batches, so that an error names a row of the partition. */
        private long rowsBefore;
        /** Whether to append the raw scores (the log-probabilities). */
        private final boolean raw;

        PredictingIterator(Iterator<Row> input, int featuresIndex, NetworkSpec spec, Map<String, float[]> state,
                           String backendName, boolean raw) {
            this.raw = raw;
            this.input = input;
            this.featuresIndex = featuresIndex;
            this.spec = spec;
            this.state = state;
            this.backendName = backendName;
        }

        @Override
        public boolean hasNext() {
            if (next < pending.size()) {
                return true;
            }
            pending.clear();
            next = 0;
            while (pending.size() < PREDICT_BATCH && input.hasNext()) {
                pending.add(input.next());
            }
            if (pending.isEmpty()) {
                return false;
            }
            int width = spec.inputWidth();
            float[] x = new float[pending.size() * width];
            for (int i = 0; i < pending.size(); i++) {
                Row r = pending.get(i);
                long row = rowsBefore + i;   // counted over the partition, not the batch
                if (r.isNullAt(featuresIndex)) {
                    throw new IllegalArgumentException("row " + row + " of the partition has null features");
                }
                Vector v = (Vector) r.get(featuresIndex);
                if (v.size() != width) {
                    throw new IllegalArgumentException("features vector has " + v.size() + " values, the model takes "
                            + width + " (row " + row + " of the partition)");
                }
                for (int j = 0; j < width; j++) {
                    x[i * width + j] = TrainingData.finiteFloat(v.apply(j), row, j, "of the partition");
                }
            }
            rowsBefore += pending.size();
            try (WorkerSlot slot = WorkerSlot.borrow(backendName, spec)) {
                Sequential model = slot.model();
                model.loadStateDict(state);
                probabilities = model.predict(x, pending.size());
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = pending.get(next);
            int classes = spec.classes();
            double[] p = new double[classes];
            int best = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = probabilities[next * classes + c];
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            Object[] values = new Object[r.length() + (raw ? 3 : 2)];
            for (int i = 0; i < r.length(); i++) {
                values[i] = r.get(i);
            }
            values[r.length()] = (double) best;
            values[r.length() + 1] = Vectors.dense(p);
            if (raw) {
                // log p: scores whose softmax gives p back exactly (Σ p = 1), as MLlib's rawPrediction of a softmax
                // classifier is; a probability of 0 (float underflow) gets the log of the smallest float.
                double[] logP = new double[classes];
                for (int c = 0; c < classes; c++) {
                    logP[c] = Math.log(Math.max(p[c], Float.MIN_VALUE));
                }
                values[r.length() + 2] = Vectors.dense(logP);
            }
            next++;
            return RowFactory.create(values);
        }
    }
}
