package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitted model as MLlib's models behave: on streams, with their output columns, attributes and params. */
class ModelTransformTest {
    private static NnjClassificationModel model;

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    /** A small digits model, trained once for the class: one full-batch step. */
    private static synchronized NnjClassificationModel model(SparkSession spark) {
        if (model == null) {
            model = new NnjClassifier().setLayers(new int[] {8}).setEpochs(1).setBatchSize(0).setSeed(5)
                    .fit(DigitsFrames.train(spark, 2));
        }
        return model;
    }

    private static void assertMessage(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** One row outside a DataFrame gets what transform gives its row: the probabilities, their logs, the arg-max. */
    @Test
    void aSingleVectorIsPredictedAsTransformPredictsItsRow() {
        NnjClassificationModel m = model(spark);
        List<Row> rows = m.transform(DigitsFrames.test(spark, 2).limit(20))
                .select("features", "prediction", "probability", "rawPrediction").collectAsList();
        for (Row r : rows) {
            org.apache.spark.ml.linalg.Vector features = r.getAs(0);
            double[] p = ((org.apache.spark.ml.linalg.Vector) r.getAs(2)).toArray();
            assertArrayEquals(p, m.predictProbability(features).toArray(), 1e-6);
            assertArrayEquals(((org.apache.spark.ml.linalg.Vector) r.getAs(3)).toArray(),
                    m.predictRaw(features).toArray(), 1e-5);
            assertEquals(r.getDouble(1), m.predict(features));
        }
        assertMessage(() -> m.predict(Vectors.dense(1, 2)), "the features vector has 2 values, the model takes 64");
        assertTrue(m.toString().startsWith("NnjClassificationModel: uid=" + m.uid() + ", network=")
                && m.toString().endsWith(", numClasses=10, numFeatures=64"), m.toString());
        double[] nan = new double[64];
        nan[3] = Double.NaN;
        assertMessage(() -> m.predictProbability(Vectors.dense(nan)), "feature 3 is NaN");
    }

    /** MLlib's rule for {@code p} and {@code t}, written out here on its own: the first k of the largest p_k / t_k. */
    private static int expectedPrediction(double[] p, double[] t) {
        int best = -1;
        double max = 0;
        for (int k = 0; k < p.length; k++) {
            double scaled = p[k] / t[k];
            if (!Double.isNaN(scaled) && (best < 0 || scaled > max)) {
                best = k;
                max = scaled;
            }
        }
        return best;
    }

    /**
     * Per-class thresholds decide as in MLlib's probabilistic models ({@code LogisticRegression}'s
     * {@code thresholds}): {@code argmax_k p_k / t_k}, in transform as in predict, set on the model or on the
     * estimator; the probabilities do not change.
     */
    @Test
    void thresholdsDecideAsMllibsProbabilisticModelsDo() {
        NnjClassificationModel plain = model(spark);
        Dataset<Row> test = DigitsFrames.test(spark, 2).limit(80);
        double[] t = {1, 0.5, 2, 1, 1, 3, 0.25, 1, 1.5, 1};
        NnjClassificationModel m = plain.copy(ParamMap.empty()).setThresholds(t);
        assertArrayEquals(t, m.getThresholds());
        assertThrows(java.util.NoSuchElementException.class, plain::getThresholds);
        List<Row> before = plain.transform(test).select("prediction", "probability").collectAsList();
        List<Row> after = m.transform(test).select("features", "prediction", "probability").collectAsList();
        int changed = 0;
        for (int i = 0; i < after.size(); i++) {
            org.apache.spark.ml.linalg.Vector features = after.get(i).getAs(0);
            double[] p = ((org.apache.spark.ml.linalg.Vector) after.get(i).getAs(2)).toArray();
            assertArrayEquals(((org.apache.spark.ml.linalg.Vector) before.get(i).getAs(1)).toArray(), p,
                    "the probabilities of row " + i + " do not depend on the thresholds");
            double expected = expectedPrediction(p, t);
            assertEquals(expected, after.get(i).getDouble(1), "row " + i);
            assertEquals(expected, m.predict(features), "row " + i);
            if (expected != before.get(i).getDouble(0)) {
                changed++;
            }
        }
        assertTrue(changed > 0, "these thresholds change some predictions of this model");

        // Equal thresholds are the arg-max; a 0 threshold predicts its class wherever its probability is not 0.
        double[] equal = new double[10];
        Arrays.fill(equal, 2.5);
        assertEquals(before.stream().map(r -> r.getDouble(0)).toList(),
                plain.copy(ParamMap.empty()).setThresholds(equal).transform(test).select("prediction").collectAsList()
                        .stream().map(r -> r.getDouble(0)).toList());
        double[] always7 = new double[10];
        Arrays.fill(always7, 1);
        always7[7] = 0;
        for (Row r : plain.copy(ParamMap.empty()).setThresholds(always7).transform(test)
                .select("prediction", "probability").collectAsList()) {
            assertTrue(((org.apache.spark.ml.linalg.Vector) r.getAs(1)).apply(7) > 0);
            assertEquals(7.0, r.getDouble(0));
        }

        // Cleared, the model predicts the arg-max again.
        NnjClassificationModel cleared = m.copy(ParamMap.empty());
        cleared.clear(cleared.thresholds());
        assertEquals(before.get(0).getDouble(0), cleared.transform(test).select("prediction").first().getDouble(0));

        // Set on the estimator, they reach the fitted model (the same seed trains the same network).
        NnjClassificationModel fitted = new NnjClassifier().setLayers(new int[] {8}).setEpochs(1).setBatchSize(0)
                .setSeed(5).setThresholds(t).fit(DigitsFrames.train(spark, 2));
        assertArrayEquals(t, fitted.getThresholds());
        assertEquals(after.stream().map(r -> r.getDouble(1)).toList(),
                fitted.transform(test).select("prediction").collectAsList().stream().map(r -> r.getDouble(0)).toList());

        // One per class: refused when the model transforms (its schema, before any job) or predicts.
        NnjClassificationModel three = plain.copy(ParamMap.empty()).setThresholds(new double[] {1, 1, 1});
        String oneEach = "thresholds has 3 values, one per class is needed: the model has 10 classes";
        assertMessage(() -> three.transformSchema(test.schema()), oneEach);
        assertMessage(() -> three.transform(test), oneEach);
        assertMessage(() -> three.predict(Vectors.dense(new double[64])), oneEach);
    }

    /** Saved and loaded, a model keeps its thresholds and predicts by them. */
    @Test
    void thresholdsAreSavedAndLoaded() throws IOException {
        SparkTestSession.assumeHadoopFileSystems();
        Dataset<Row> test = DigitsFrames.test(spark, 2).limit(80);
        double[] t = {1, 0.5, 2, 1, 1, 3, 0.25, 1, 1.5, 1};
        NnjClassificationModel m = model(spark).copy(ParamMap.empty()).setThresholds(t);
        String path = dir.resolve("thresholds").toString();
        m.write().save(path);
        NnjClassificationModel loaded = NnjClassificationModel.load(path);
        assertArrayEquals(t, loaded.getThresholds());
        assertEquals(m.transform(test).select("prediction").collectAsList(),
                loaded.transform(test).select("prediction").collectAsList());
    }

    /**
     * Column names are taken literally, dots included, in fit as in transform: fit used to pass the schema check and
     * then fail with UNRESOLVED_COLUMN, reading {@code f.vec} as field {@code vec} of a struct {@code f}.
     */
    @Test
    void columnNamesWithDotsAreTakenLiterally() {
        Dataset<Row> dotted = DigitsFrames.train(spark, 2).withColumnRenamed("features", "f.vec")
                .withColumnRenamed("label", "y.label");
        NnjClassificationModel m = new NnjClassifier().setFeaturesCol("f.vec").setLabelCol("y.label")
                .setPredictionCol("out.prediction").setLayers(new int[] {8}).setEpochs(1).setBatchSize(0).setSeed(5)
                .fit(dotted);
        assertEquals(10, m.numClasses());
        assertEquals(64, m.numFeatures());
        Dataset<Row> out = m.transform(dotted);
        assertEquals(dotted.count(), out.filter(functions.col("`out.prediction`").isNotNull()).count());
    }

    /**
     * A joined frame holds two columns named {@code id}, which a select by name refuses as ambiguous; and a string
     * column keeps its collation (the row encoder drops it). Both pass through transform as MLlib's models pass them.
     */
    @Test
    void duplicateColumnNamesAndCollationsPassThrough() {
        NnjClassificationModel m = model(spark);
        Dataset<Row> digits = DigitsFrames.test(spark, 2).limit(30)
                .withColumn("id", functions.monotonically_increasing_id());
        Dataset<Row> ids = digits.select(functions.col("id"),
                functions.expr("collate('ABC', 'UTF8_LCASE')").as("tag"));
        Dataset<Row> joined = digits.join(ids, digits.col("id").equalTo(ids.col("id")));
        Dataset<Row> out = m.transform(joined);
        assertEquals(30, out.count());
        assertEquals(joined.schema().fields().length + 3, out.schema().fields().length);
        assertEquals(joined.schema().apply("tag").dataType(), out.schema().apply("tag").dataType(), "its collation");
        assertEquals(30, out.filter("tag = 'abc'").count(), "compared as its collation says");
    }

    /**
     * A confident row's float32 probability rounds to exactly 1, its log to 0, and rows the logits rank apart would
     * tie in rawPrediction (BinaryClassificationEvaluator's AUC then came out low): the scores are the logits'
     * log-softmax in double, so they keep the logits' order, and their softmax is the probability column.
     */
    @Test
    void confidentRowsKeepTheirRankInTheRawScores() {
        double[] a = SoftmaxScores.logProbabilities(new float[] {0f, 20f, 0f, 30f}, 0, 2);
        double[] b = SoftmaxScores.logProbabilities(new float[] {0f, 20f, 0f, 30f}, 1, 2);
        assertTrue(a[1] < 0 && b[1] < 0 && a[1] < b[1], Arrays.toString(a) + " " + Arrays.toString(b));
        assertEquals(-20, a[0], 1e-8);
        assertEquals(-30, b[0], 1e-8);
        double[] p = SoftmaxScores.probabilities(a);
        assertEquals(1, p[0] + p[1], 1e-15);
        assertTrue(p[1] < 1 && (float) p[1] == 1f, "float32 would have said 1: " + p[1]);
        NnjClassificationModel m = model(spark);
        for (Row r : m.transform(DigitsFrames.test(spark, 2).limit(20)).select("probability", "rawPrediction")
                .collectAsList()) {
            double[] prob = ((org.apache.spark.ml.linalg.Vector) r.getAs(0)).toArray();
            double[] raw = ((org.apache.spark.ml.linalg.Vector) r.getAs(1)).toArray();
            assertArrayEquals(prob, SoftmaxScores.probabilities(raw), 1e-15,
                    "the probabilities are the raw scores' softmax");
        }
    }

    /** MLlib's models transform streaming DataFrames; this one used to fail, leaving the query plan for an RDD. */
    @Test
    void aStreamingDataFrameGetsTheBatchPredictions() throws Exception {
        SparkTestSession.assumeHadoopFileSystems();
        NnjClassificationModel m = model(spark);
        String parquet = dir.resolve("features").toString();
        DigitsFrames.test(spark, 2).withColumn("id", functions.monotonically_increasing_id()).write().parquet(parquet);
        Dataset<Row> batch = spark.read().parquet(parquet);
        Dataset<Row> stream = spark.readStream().schema(batch.schema()).parquet(parquet);
        Dataset<Row> predicted = m.transform(stream);
        assertTrue(predicted.isStreaming());
        assertEquals(m.transformSchema(stream.schema()), predicted.schema());
        StreamingQuery query = predicted.writeStream().format("memory").queryName("nnj_streamed").start();
        try {
            query.processAllAvailable();
        } finally {
            query.stop();
        }
        String[] outputs = {"prediction", "probability", "rawPrediction"};
        List<Row> streamed = spark.table("nnj_streamed").orderBy("id").select("id", outputs).collectAsList();
        List<Row> expected = m.transform(batch).orderBy("id").select("id", outputs).collectAsList();
        assertEquals(360, streamed.size());
        assertEquals(expected, streamed);
    }

    /** As MLlib's classifiers: an empty name leaves a column out, and a name used twice is refused. */
    @Test
    void outputColumnsFollowMllib() {
        Dataset<Row> test = DigitsFrames.test(spark, 2);
        NnjClassificationModel m = model(spark).copy(ParamMap.empty());
        Row full = m.transform(test).select("prediction", "probability", "rawPrediction").first();
        m.setProbabilityCol("");
        Dataset<Row> noProbability = m.transform(test);
        assertEquals(List.of("features", "label", "prediction", "rawPrediction"),
                Arrays.asList(noProbability.columns()));
        assertEquals(full.get(2), noProbability.first().get(3), "the raw scores without the probabilities");
        m.setProbabilityCol("probability").setPredictionCol("");
        Dataset<Row> noPrediction = m.transform(test);
        assertEquals(List.of("features", "label", "probability", "rawPrediction"),
                Arrays.asList(noPrediction.columns()));
        assertEquals(full.get(1), noPrediction.first().get(2));
        m.setProbabilityCol("").setRawPredictionCol("");
        assertEquals(List.of("features", "label"), Arrays.asList(m.transform(test).columns()), "nothing to add");

        m.setPredictionCol("out").setProbabilityCol("out").setRawPredictionCol("rawPrediction");
        assertMessage(() -> m.transformSchema(test.schema()), "predictionCol and probabilityCol are both 'out'");
        assertMessage(() -> m.transform(test), "predictionCol and probabilityCol are both 'out'");
        m.setPredictionCol("prediction").setProbabilityCol("rawPrediction");
        assertMessage(() -> m.transform(test), "probabilityCol and rawPredictionCol are both 'rawPrediction'");
        m.setProbabilityCol("label");
        assertMessage(() -> m.transform(test), "output column 'label' (probabilityCol) already exists");
        // Spark resolves names ignoring case: 'Label' would be an ambiguous reference in the first query to read it.
        m.setProbabilityCol("Label");
        assertMessage(() -> m.transform(test), "output column 'Label' (probabilityCol) already exists in [features, "
                + "label] as 'label' (Spark resolves column names ignoring case)");
        m.setProbabilityCol("Out").setPredictionCol("out");
        assertMessage(() -> m.transform(test), "predictionCol and probabilityCol are both 'Out'");
        m.setPredictionCol("prediction").setProbabilityCol("probability");
        // A Pipeline checks every stage's schema before it fits any: the estimator refuses the same names.
        NnjClassifier nn = new NnjClassifier().setPredictionCol("out").setRawPredictionCol("out");
        assertMessage(() -> new Pipeline().setStages(new PipelineStage[] {nn}).fit(test),
                "predictionCol and rawPredictionCol are both 'out'");
    }

    /** The ML attributes MLlib's classifiers give their outputs, and the input columns' kept. */
    @Test
    void theOutputsCarryMllibsAttributesAndTheInputsKeepTheirs() {
        org.apache.spark.sql.types.Metadata labels = NominalAttribute.defaultAttr().withName("label")
                .withNumValues(10).toMetadata();
        Dataset<Row> test = DigitsFrames.test(spark, 2).withMetadata("label", labels);
        NnjClassificationModel m = model(spark);
        Dataset<Row> out = m.transform(test);
        Attribute prediction = Attribute.fromStructField(out.schema().apply("prediction"));
        assertTrue(prediction instanceof NominalAttribute, String.valueOf(prediction));
        assertEquals(10, (int) (Integer) ((NominalAttribute) prediction).getNumValues().get());
        assertEquals(10, AttributeGroup.fromStructField(out.schema().apply("probability")).size());
        assertEquals(10, AttributeGroup.fromStructField(out.schema().apply("rawPrediction")).size());
        assertEquals(labels, out.schema().apply("label").metadata());
        assertEquals(m.transformSchema(test.schema()), out.schema(), "transformSchema says what transform gives");
    }

    /**
     * A model file's model takes the raw features its own {@code predict} takes: its scaler folded into the first
     * layer, min-max or standard, the probabilities equal to float32 rounding. Its network alone takes scaled ones,
     * and on raw features answers otherwise: the case the folding is for. An imputer is refused.
     */
    @Test
    void aModelFilesModelTakesItsRawFeatures() {
        NetworkSpec spec = new NetworkSpec(3, new int[] {5}, new Activation[] {Activation.TANH}, 2,
                LossKind.CATEGORICAL_CROSS_ENTROPY);
        java.util.Random r = new java.util.Random(4);
        int rows = 40;
        float[] raw = new float[rows * 3];
        for (int i = 0; i < raw.length; i++) {
            // Columns far from zero, around it, and negative: each scaler's offset matters.
            raw[i] = (float) (i % 3 == 0 ? 100 + 50 * r.nextDouble() : i % 3 == 1 ? r.nextGaussian()
                    : -8 * r.nextDouble());
        }
        List<Row> frame = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            frame.add(RowFactory.create(Vectors.dense(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]), 0.0));
        }
        Dataset<Row> data = spark.createDataFrame(frame, DigitsFrames.SCHEMA);
        try (Backend backend = Backends.get("cpu"); Sequential network = spec.build(backend, 5L)) {
            for (dev.nnj.api.data.ColumnScaler scaler : List.of(new dev.nnj.api.data.MinMaxScaler(),
                    new dev.nnj.api.data.StandardScaler())) {
                scaler.fit(raw, 3);
                dev.nnj.api.io.SavedModel saved = new dev.nnj.api.io.SavedModel(network,
                        dev.nnj.api.io.Preprocessing.none().withScaler(scaler), Map.of());
                float[] expected = saved.predict(raw, rows);
                List<Row> out = NnjClassificationModel.of(spec, saved).transform(data).select("probability")
                        .collectAsList();
                List<Row> unscaled = NnjClassificationModel.of(spec, network).transform(data).select("probability")
                        .collectAsList();
                double most = 0;
                double apart = 0;
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < 2; k++) {
                        double p = ((org.apache.spark.ml.linalg.Vector) out.get(i).get(0)).apply(k);
                        most = Math.max(most, Math.abs(p - expected[2 * i + k]));
                        apart = Math.max(apart, Math.abs(((org.apache.spark.ml.linalg.Vector) unscaled.get(i).get(0))
                                .apply(k) - expected[2 * i + k]));
                    }
                }
                assertTrue(most < 1e-5, scaler + ": " + most);
                assertTrue(apart > 0.01, scaler + ": the network alone on raw features differs by " + apart);
            }
            dev.nnj.api.io.SavedModel imputing = new dev.nnj.api.io.SavedModel(network,
                    dev.nnj.api.io.Preprocessing.none().withImputer(new dev.nnj.api.data.SimpleImputer(
                            dev.nnj.api.data.SimpleImputer.Strategy.MEAN).fit(raw, 3)),
                    Map.of());
            assertMessage(() -> NnjClassificationModel.of(spec, imputing), "fills in missing values with its imputer");
            // A timestamp column: folded into float32 weights it would cancel, where the file scales it in double.
            float[] stamped = raw.clone();
            for (int i = 0; i < rows; i++) {
                stamped[3 * i] = (float) (1.7e9 + 25_000 * r.nextGaussian());
            }
            dev.nnj.api.io.SavedModel timestamps = new dev.nnj.api.io.SavedModel(network,
                    dev.nnj.api.io.Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler()
                            .fit(stamped, 3)).withFeatureNames(List.of("time", "b", "c")), Map.of());
            assertMessage(() -> NnjClassificationModel.of(spec, timestamps), "feature 'time' (column 1) lies ");
        }
    }

    /** A network whose parameters have the spec's names and sizes is still refused if its layers differ. */
    @Test
    void ofRefusesANetworkThatIsNotTheSpecs() {
        NetworkSpec relu = new NetworkSpec(4, new int[] {3}, new Activation[] {Activation.RELU}, 2,
                LossKind.CATEGORICAL_CROSS_ENTROPY);
        try (Backend backend = Backends.get("cpu"); Sequential network = relu.build(backend, 1L);
             Sequential leaky = new Sequential(backend, 4, 1L)
                     .add(new Dense(3, Activation.LEAKY_RELU, 0.2f, Initializer.glorotUniform(), Initializer.zeros()))
                     .add(new Dense(2, Activation.SOFTMAX))) {
            assertEquals(relu, NnjClassificationModel.of(relu, network).networkSpec());
            assertMessage(() -> NnjClassificationModel.of(new NetworkSpec(4, new int[] {3},
                    new Activation[] {Activation.TANH}, 2, LossKind.CATEGORICAL_CROSS_ENTROPY), network),
                    "is not the network of the spec 4 → 3 tanh → 2 softmax, categorical_crossentropy: "
                            + "layer 1 (dense_1) has activation relu, the spec tanh");
            assertMessage(() -> NnjClassificationModel.of(new NetworkSpec(5, new int[] {3},
                    new Activation[] {Activation.RELU}, 2, LossKind.CATEGORICAL_CROSS_ENTROPY), network),
                    "the model takes 4 features, the spec 5");
            assertMessage(() -> NnjClassificationModel.of(new NetworkSpec(4, new int[] {3, 3},
                    new Activation[] {Activation.RELU, Activation.RELU}, 2, LossKind.CATEGORICAL_CROSS_ENTROPY),
                    network), "layer 2 (dense_2) has 2 units, the spec 3");
            NetworkSpec leakySpec = new NetworkSpec(4, new int[] {3}, new Activation[] {Activation.LEAKY_RELU}, 2,
                    LossKind.CATEGORICAL_CROSS_ENTROPY);
            assertMessage(() -> NnjClassificationModel.of(leakySpec, leaky),
                    "layer 1 (dense_1) has leaky_relu alpha 0.2, the spec 0.01");
        }
    }

    /**
     * The model carries the estimator's params, as MLlib's do: after a cross-validation the best model says which
     * grid point won, and it keeps them when saved. A model saved before it had them still loads.
     */
    @Test
    void theModelCarriesTheTrainingParams() throws IOException {
        SparkTestSession.assumeHadoopFileSystems();
        List<Row> rows = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < 120; i++) {
            double x = 2 * r.nextDouble() - 1;
            rows.add(RowFactory.create(Vectors.dense(x, r.nextDouble()), x > 0 ? 1.0 : 0.0));
        }
        Dataset<Row> data = spark.createDataFrame(rows, DigitsFrames.SCHEMA).coalesce(1);
        NnjClassifier nn = new NnjClassifier().setLayers(new int[] {4}).setBatchSize(0).setLearningRate(0.05)
                .setSeed(3);
        ParamMap[] grid = new ParamGridBuilder().addGrid(nn.epochs(), new int[] {1, 3}).build();
        CrossValidatorModel cv = new CrossValidator().setEstimator(nn).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator()).setNumFolds(2).setSeed(1).fit(data);
        int winner = cv.avgMetrics()[0] >= cv.avgMetrics()[1] ? 0 : 1;
        NnjClassificationModel best = (NnjClassificationModel) cv.bestModel();
        assertEquals(grid[winner].apply(nn.epochs()), best.getOrDefault(best.epochs()));
        assertTrue(best.extractParamMap().contains(best.learningRate()));
        assertEquals(0.05, best.getOrDefault(best.learningRate()));
        assertEquals(3L, best.getOrDefault(best.seed()));
        assertEquals("adam", best.getOrDefault(best.optimizer()), "a default, as the estimator had it");

        String path = dir.resolve("best").toString();
        best.write().save(path);
        NnjClassificationModel loaded = NnjClassificationModel.load(path);
        for (org.apache.spark.ml.param.Param<?> p : best.params()) {
            if (!best.isDefined(p)) {
                // thresholds: no default, and not set here; not set after loading either.
                assertFalse(loaded.isDefined(loaded.getParam(p.name())), p.name());
                continue;
            }
            Object expected = best.getOrDefault(p);
            Object actual = loaded.getOrDefault(loaded.getParam(p.name()));
            if (expected instanceof int[]) {
                assertArrayEquals((int[]) expected, (int[]) actual, p.name());
            } else if (expected instanceof String[]) {
                assertArrayEquals((String[]) expected, (String[]) actual, p.name());
            } else {
                assertEquals(expected, actual, p.name());
            }
        }

        // Metadata as models wrote it before they carried the training params: only the columns and the backend.
        Path metadata = Path.of(path, "metadata");
        Path part;
        try (Stream<Path> files = Files.list(metadata)) {
            part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode saved = (ObjectNode) json.readTree(Files.readString(part));
        Set<String> oldParams = Set.of("featuresCol", "predictionCol", "probabilityCol", "rawPredictionCol",
                "backend");
        ((ObjectNode) saved.get("paramMap")).retain(oldParams);
        ((ObjectNode) saved.get("defaultParamMap")).retain(oldParams);
        Files.writeString(part, json.writeValueAsString(saved) + "\n");
        try (Stream<Path> files = Files.list(metadata)) {
            for (Path crc : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(crc);
            }
        }
        NnjClassificationModel old = NnjClassificationModel.load(path);
        assertFalse(old.isSet(old.epochs()));
        assertEquals(10, old.getOrDefault(old.epochs()), "not recorded: the estimator's default");
        assertArrayEquals(new int[] {4}, old.getOrDefault(old.layers()), "what the network itself says");
        assertNotNull(old.transform(data).first());
    }
}
