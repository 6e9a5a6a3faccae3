package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad settings and bad data fail on the driver with a message naming the param or column. */
class ParamsTest {
    private final SparkSession spark = SparkTestSession.get();

    private static void assertMessage(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * An array handed to a setter is copied: changed by the caller afterwards, it changed the param, past the check
     * the setter made. And the classifier takes MLlib's maxIter, as the regressor does.
     */
    @Test
    void settersKeepCopiesAndMaxIterSetsTheEpochs() {
        int[] layers = {4};
        String[] activations = {"tanh"};
        double[] thresholds = {0.5, 0.5};
        NnjClassifier nn = new NnjClassifier().setLayers(layers).setActivations(activations)
                .setThresholds(thresholds).setMaxIter(7);
        layers[0] = -5;
        activations[0] = "nope";
        thresholds[0] = -1;
        assertEquals(4, nn.getLayers()[0]);
        assertEquals("tanh", nn.getActivations()[0]);
        assertEquals(0.5, nn.getThresholds()[0]);
        assertEquals(7, nn.getEpochs());
        NnjRegressor regressor = new NnjRegressor().setLayers(new int[] {4});
        int[] again = {8};
        regressor.setLayers(again);
        again[0] = 0;
        assertEquals(8, regressor.getLayers()[0]);
    }

    /** Every param has its MLlib-style getter: the default until set, then the value; arrays come back as copies. */
    @Test
    void eachParamHasAGetter() {
        NnjClassifier nn = new NnjClassifier();
        assertEquals("features", nn.getFeaturesCol());
        assertEquals("", nn.getWeightCol());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {64}, nn.getLayers());
        assertEquals(10, nn.getEpochs());
        assertEquals(32, nn.getBatchSize());
        assertEquals(0L, nn.getSeed());
        assertEquals("adam", nn.getOptimizer());
        assertEquals(1e-3, nn.getLearningRate());
        nn.setLayers(new int[] {16, 8}).setEpochs(3).setSeed(7).setLearningRate(0.05).setTrainingMode("average")
                .setProbabilityCol("p");
        nn.getLayers()[0] = 99;   // a copy
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {16, 8}, nn.getLayers());
        assertEquals(3, nn.getEpochs());
        assertEquals(7L, nn.getSeed());
        assertEquals(0.05, nn.getLearningRate());
        assertEquals("average", nn.getTrainingMode());
        assertEquals("p", nn.getProbabilityCol());
    }

    @Test
    void settingsAreCheckedBeforeAnyTraining() {
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        assertMessage(() -> new NnjClassifier().setActivations(new String[] {"swish"}).fit(train), "swish");
        assertMessage(() -> new NnjClassifier().setLayers(new int[] {8, 8}).setActivations(new String[] {"relu", "relu",
                "relu"}).fit(train), "activations");
        assertMessage(() -> new NnjClassifier().setOptimizer("lbfgs").fit(train), "lbfgs");
        assertMessage(() -> new NnjClassifier().setLearningRate(-1).fit(train), "learningRate");
        assertMessage(() -> new NnjClassifier().setEpochs(0).fit(train), "epochs");
        assertMessage(() -> new NnjClassifier().setTrainingMode("async").fit(train), "async");
        assertMessage(() -> new NnjClassifier().setLoss("hinge").fit(train), "hinge");
        assertMessage(() -> new NnjClassifier().setLayers(new int[0]).setActivations(new String[0]).setDropout(0.2)
                .fit(train), "dropout 0.2 needs a hidden layer to follow; this network has none (layers is empty)");
        assertMessage(() -> new NnjClassifier().setLabelCol("y").fit(train), "no column 'y'");
        assertMessage(() -> new NnjClassifier().setFeaturesCol("label").fit(train), "must be an ML vector");
        assertMessage(() -> new NnjClassifier().setPredictionCol("label").fit(train), "already exists");
        assertMessage(() -> new NnjClassifier().setThresholds(new double[] {1, 2}).fit(train),
                "thresholds has 2 values, one per class is needed: the training data has 10 classes");
    }

    /**
     * A bad value is refused when it is set, by a setter, a ParamMap or a grid, naming the param: not when a fit (or
     * the tenth fit of a cross-validation) has started.
     */
    @Test
    void badValuesAreRefusedWhenTheyAreSet() {
        NnjClassifier nn = new NnjClassifier();
        assertMessage(() -> nn.setEpochs(0), "epochs must be at least 1, got 0");
        assertMessage(() -> nn.setLearningRate(Double.NaN), "learningRate must be a positive finite number as a "
                + "float32 (from about 1.4e-45 to 3.4e38), got NaN");
        // Positive and finite as doubles, 0 and infinity as the float32 the optimizer gets: the message says so.
        assertMessage(() -> nn.setLearningRate(1e39), "learningRate must be a positive finite number as a float32 "
                + "(from about 1.4e-45 to 3.4e38), got 1.0E39");
        assertMessage(() -> nn.setWeightDecay(-0.1), "weightDecay must be a finite number >= 0 as a float32 (at most "
                + "about 3.4e38), got -0.1");
        assertMessage(() -> nn.setDropout(-0.1), "dropout must be in [0, 1), got -0.1");
        assertMessage(() -> nn.setDropout(1), "dropout must be in [0, 1), got 1.0");
        assertMessage(() -> nn.setDropout(Double.NaN), "dropout must be in [0, 1), got NaN");
        assertMessage(() -> nn.setDropout(0.99999999), "dropout must be in [0, 1), got 0.99999999");
        assertMessage(() -> nn.setLayers(new int[] {16, 0}), "hidden layer 1 must have a positive width, got 0");
        assertMessage(() -> nn.setActivations(new String[] {"relu", "softmax"}), "softmax");
        assertMessage(() -> nn.setOptimizer("lbfgs"), "use sgd, nesterov, adam, adamw, rmsprop or adagrad");
        assertMessage(() -> nn.setLearningRateSchedule("step"), "unknown learningRateSchedule 'step'; use constant, "
                + "one-cycle or cosine");
        assertMessage(() -> nn.setBatchSize(-32), "batchSize must be at least 0, got -32");
        assertMessage(() -> nn.setThresholds(new double[] {1, -0.5}),
                "thresholds must each be >= 0, got -0.5 for class 1");
        assertMessage(() -> nn.setThresholds(new double[] {Double.NaN}),
                "thresholds must each be >= 0, got NaN for class 0");
        assertMessage(() -> nn.setThresholds(new double[] {1, 0, 2, 0}), "at most one 0 (the class always predicted), "
                + "got 0 for classes 1 and 3");
        assertTrue(!nn.isDefined(nn.thresholds()), "a refused value leaves thresholds unset");
        // Adam with epsilon 0 makes NaN of a weight whose gradient is 0 (an always-0 pixel of the digits) at step 1.
        assertMessage(() -> nn.setEpsilon(0), "epsilon must be a positive finite number as a float32 (from about "
                + "1.4e-45 to 3.4e38), got 0.0");
        assertMessage(() -> nn.setEpsilon(1e-50), "epsilon must be a positive finite number as a float32 (from about "
                + "1.4e-45 to 3.4e38), got 1.0E-50");
        assertTrue(nn.explainParam(nn.epsilon()).contains("(> 0)"), nn.explainParam(nn.epsilon()));
        assertMessage(() -> new org.apache.spark.ml.param.ParamMap().put(nn.epochs(), 0), "epochs must be at least 1");
        assertMessage(() -> new org.apache.spark.ml.tuning.ParamGridBuilder()
                .addGrid(nn.learningRate(), new double[] {1e-3, -1e-3}).build(), "learningRate");
        assertEquals(10, (int) (Integer) nn.getOrDefault(nn.epochs()), "a refused value leaves the param as it was");
        // The bounds themselves are valid.
        nn.setEpochs(3).setLearningRate(0.01).setWeightDecay(0).setBatchSize(0).setEpsilon(Float.MIN_VALUE);
        // Values only some optimizers use, and only fit can judge (it knows the optimizer), are taken as before:
        // an adam estimator saved with momentum 1.5 (which adam ignores) still loads.
        nn.setLearningRateSchedule("One-Cycle").setLearningRateSchedule("cosine").setLearningRateSchedule("constant");
        nn.setOptimizer("adam").setMomentum(1.5).setBeta1(1.0);
        nn.setLayers(new int[0]).setActivations(new String[0]);   // no hidden layer: softmax regression
    }

    /**
     * Null, which Spark takes as a value, is refused when set for every string and array param of the estimator and
     * the model, naming the param: it used to fail in fit or transform with a NullPointerException naming nothing, or
     * as "no column 'null'".
     */
    @Test
    void nullIsRefusedForEveryStringAndArrayParamNamingIt() {
        NnjClassificationModel model;
        NetworkSpec spec = new NetworkSpec(2, new int[] {4}, new dev.nnj.api.Activation[] {dev.nnj.api.Activation.RELU},
                2, dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY);
        try (dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential network = spec.build(backend, 1)) {
            model = NnjClassificationModel.of(spec, network);
        }
        int checked = 0;
        for (org.apache.spark.ml.param.Params stage : new org.apache.spark.ml.param.Params[] {new NnjClassifier(),
                model}) {
            for (org.apache.spark.ml.param.Param<?> p : stage.params()) {
                if (!stage.isDefined(p)) {
                    assertEquals("thresholds", p.name(), "the one param with no default");
                    assertMessage(() -> new org.apache.spark.ml.param.ParamMap().put(p, null),
                            "thresholds must not be null");
                    continue;
                }
                Object value = stage.getOrDefault(p);
                if (value instanceof String || value.getClass().isArray()) {
                    @SuppressWarnings("unchecked")
                    org.apache.spark.ml.param.Param<Object> param = (org.apache.spark.ml.param.Param<Object>) p;
                    assertMessage(() -> new org.apache.spark.ml.param.ParamMap().put(param, null),
                            p.name() + " must not be null");
                    assertEquals(value, stage.getOrDefault(p), "a refused null leaves " + p.name() + " as it was");
                    checked++;
                }
            }
        }
        assertEquals(2 * 14, checked, "six columns, layers, activations, loss, optimizer, learningRateSchedule, "
                + "backend, trainingMode, handleInvalid");
        NnjClassifier nn = new NnjClassifier();
        assertMessage(() -> nn.setFeaturesCol(null), "featuresCol must not be null");
        assertMessage(() -> nn.setLabelCol(null), "labelCol must not be null");
        assertMessage(() -> nn.setWeightCol(null), "weightCol must not be null; an empty name for no weights");
        assertMessage(() -> nn.setPredictionCol(null), "predictionCol must not be null; an empty name leaves the column "
                + "out");
        assertMessage(() -> nn.setBackend(null), "backend must not be null; an empty name for the best available");
        assertMessage(() -> nn.setLayers(null), "layers must not be null");
        assertMessage(() -> nn.setActivations(null), "activations must not be null");
        assertMessage(() -> nn.setActivations(new String[] {"relu", null}), "activations: activation 1 must not be null");
        assertMessage(() -> model.setProbabilityCol(null), "probabilityCol must not be null");
        assertMessage(() -> model.setBackend(null), "backend must not be null");
        assertMessage(() -> model.setThresholds(null), "thresholds must not be null; clear() it for the arg-max");
    }

    /**
     * A label column made by a StringIndexer declares its classes in its metadata, as Spark's classifiers read it:
     * a training set that lacks the rarest class still gets an output for it.
     */
    @Test
    void aStringIndexersClassCountSizesTheOutput() {
        StructType schema = new StructType().add("features", DigitsFrames.SCHEMA.apply("features").dataType())
                .add("animal", DataTypes.StringType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(Vectors.dense(i % 2, 1 - i % 2, 0), i % 2 == 0 ? "cat" : "dog"));
        }
        rows.add(RowFactory.create(Vectors.dense(0, 0, 1), "axolotl"));   // the rarest: index 2
        org.apache.spark.sql.Dataset<Row> all = spark.createDataFrame(rows, schema);
        org.apache.spark.ml.feature.StringIndexerModel indexer = new org.apache.spark.ml.feature.StringIndexer()
                .setInputCol("animal").setOutputCol("label").fit(all);
        org.apache.spark.sql.Dataset<Row> withoutRarest = indexer.transform(all)
                .filter(org.apache.spark.sql.functions.col("animal").notEqual("axolotl"));
        NnjClassificationModel model = new NnjClassifier().setLayers(new int[] {4}).setEpochs(2).setSeed(1)
                .fit(withoutRarest);
        assertEquals(3, model.numClasses(), "the indexer's three labels, not the two in the data");
        org.apache.spark.ml.linalg.Vector p = (org.apache.spark.ml.linalg.Vector) model.transform(withoutRarest)
                .select("probability").first().get(0);
        assertEquals(3, p.size(), "a probability for each");
        // Metadata that contradicts the labels is refused, naming both.
        org.apache.spark.sql.types.Metadata two = org.apache.spark.ml.attribute.NominalAttribute.defaultAttr()
                .withName("label").withValues(new String[] {"cat", "dog"}).toMetadata();
        org.apache.spark.sql.Dataset<Row> contradicted = indexer.transform(all).withColumn("label",
                org.apache.spark.sql.functions.col("label").as("label", two));
        assertMessage(() -> new NnjClassifier().setEpochs(1).fit(contradicted),
                "has labels up to 2, but its metadata (a StringIndexer's, for instance) declares 2 classes");
        // A class may be absent, but one class alone is still refused: the declared count makes none appear.
        org.apache.spark.sql.Dataset<Row> dogsOnly = indexer.transform(all)
                .filter(org.apache.spark.sql.functions.col("animal").equalTo("dog"));
        assertMessage(() -> new NnjClassifier().setEpochs(1).fit(dogsOnly), "in its 20 training rows, of the 3 its "
                + "metadata declares; a classifier needs at least 2");
    }

    /** A run that a huge rate blows up ends on the driver, naming the epoch and the weight, in either mode. */
    @Test
    void aDivergedRunEndsOnTheDriverNamingTheWeight() {
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        for (String mode : new String[] {"sync", "average"}) {
            Exception e = assertThrows(Exception.class, () -> new NnjClassifier().setLayers(new int[] {8})
                    .setOptimizer("sgd").setLearningRate(1e30).setEpochs(3).setTrainingMode(mode).fit(train));
            assertTrue(e instanceof dev.nnj.api.train.DivergenceException, mode + ": " + e);
            assertTrue(e.getMessage().startsWith("training diverged in epoch ") && e.getMessage().contains("dense_")
                    && e.getMessage().contains("lower the learning rate"), mode + ": " + e.getMessage());
        }
    }

    /**
     * A step that blows up the weights at the end of an epoch, where no next step's broadcast checks them (full batch:
     * one step per epoch), ends the same way, in that epoch: it used to stop with a warning and fail in the model's
     * constructor with "parameter dense_1.weight: value NaN at index 1 is not finite".
     */
    @Test
    void aRunThatDivergesInAnEpochsLastStepEndsTheSameWay() {
        // Unscaled features, of the size of the wine data's (proline ~ 1000), and a rate that overflows a weight in the
        // first step.
        java.util.List<Row> rows = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 60; i++) {
            int y = i % 3;
            rows.add(RowFactory.create(Vectors.dense(500 + 300 * y + 50 * r.nextGaussian(), 100 + 10 * r.nextGaussian(),
                    10 + r.nextGaussian()), (double) y));
        }
        org.apache.spark.sql.Dataset<Row> train = spark.createDataFrame(rows, DigitsFrames.SCHEMA);
        for (int epochs : new int[] {1, 5}) {
            dev.nnj.api.train.DivergenceException e = assertThrows(dev.nnj.api.train.DivergenceException.class,
                    () -> new NnjClassifier().setOptimizer("sgd").setLearningRate(1e38).setBatchSize(0)
                            .setEpochs(epochs).fit(train));
            assertTrue(e.getMessage().startsWith("training diverged in epoch 1: dense_")
                    && e.getMessage().contains("after the epoch's last step (lower the learning rate?)"),
                    epochs + " epochs: " + e.getMessage());
            assertEquals(1, e.epoch());
            assertTrue(e.parameter().startsWith("dense_"), e.parameter());
        }
    }

    @Test
    void labelsMustBeClassIndices() {
        StructType schema = DigitsFrames.SCHEMA;
        org.apache.spark.sql.Dataset<Row> fractional = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, 1), 1.5)), schema);
        Exception e = assertThrows(Exception.class, () -> new NnjClassifier().fit(fractional));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("class indices"), String.valueOf(e));
        org.apache.spark.sql.Dataset<Row> oneClass = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, 1), 0.0)), schema);
        assertMessage(() -> new NnjClassifier().fit(oneClass), "column 'label' has a single class (0) in its 2 training "
                + "rows; a classifier needs at least 2");
        // The distinct labels count, not the largest: all 1s made two classes, one never seen, and trained silently.
        org.apache.spark.sql.Dataset<Row> onlyOnes = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 1.0), RowFactory.create(Vectors.dense(2, 1), 1.0)), schema);
        assertMessage(() -> new NnjClassifier().fit(onlyOnes), "column 'label' has a single class (1) in its 2 training "
                + "rows; a classifier needs at least 2");
        // A label that is an id, not a class index, would size the output layer by the largest one.
        org.apache.spark.sql.Dataset<Row> gaps = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, 1), 1.0),
                RowFactory.create(Vectors.dense(3, 1), 2e8)), schema);
        assertMessage(() -> new NnjClassifier().fit(gaps), "labels up to 200000000, which makes 200000001 classes, "
                + "more than the 3 training rows");
        StructType stringLabels = new StructType().add("features", schema.apply("features").dataType())
                .add("label", DataTypes.StringType);
        org.apache.spark.sql.Dataset<Row> strings = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), "cat")), stringLabels);
        assertMessage(() -> new NnjClassifier().fit(strings), "StringIndexer");
    }

    /** Vectors of size 0 (a VectorAssembler of no columns) are refused naming the column, not the network's input. */
    @Test
    void emptyFeatureVectorsAreRefusedNamingTheColumn() {
        org.apache.spark.sql.Dataset<Row> empty = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(new double[0]), 0.0), RowFactory.create(Vectors.dense(new double[0]),
                        1.0)), DigitsFrames.SCHEMA);
        assertMessage(() -> new NnjClassifier().setEpochs(1).fit(empty), "column 'features' holds vectors of size 0; "
                + "the network needs at least 1 feature");
    }

    /** Rows of two widths are named: by row within a partition, by partitions across them. */
    @Test
    void vectorsOfTwoSizesAreRefusedNamingWhere() {
        List<Row> rows = List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, 1), 1.0),
                RowFactory.create(Vectors.dense(3, 1, 4), 1.0), RowFactory.create(Vectors.dense(1, 5, 9), 0.0));
        org.apache.spark.api.java.JavaSparkContext jsc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        assertMessage(() -> new NnjClassifier().setEpochs(1).fit(spark.createDataFrame(jsc.parallelize(rows, 1),
                DigitsFrames.SCHEMA)), "holds vectors of sizes 2 and 3 (row 2 of partition 0)");
        // Two rows a partition: each partition is of one width.
        assertMessage(() -> new NnjClassifier().setEpochs(1).fit(spark.createDataFrame(jsc.parallelize(rows, 2),
                DigitsFrames.SCHEMA)), "holds vectors of sizes 2 and 3 (the rows of partitions 0 and 1)");
    }

    @Test
    void featuresThatAreNotFiniteFloatsAreNamedInFitAndTransform() {
        StructType schema = DigitsFrames.SCHEMA;
        // A NaN feature used to train into a NaN loss, reported as a divergence, then fail in the model's constructor.
        org.apache.spark.sql.Dataset<Row> nan = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, Double.NaN), 1.0)),
                schema).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> new NnjClassifier().setEpochs(1).fit(nan));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("row 1 of partition 0: feature 1 is NaN")
                && rootCause(e).getMessage().endsWith("(fit takes no such rows, whatever handleInvalid says: drop "
                + "them first, with Dataset.na().drop(), or fill them in with an Imputer)"),
                String.valueOf(rootCause(e)));
        org.apache.spark.sql.Dataset<Row> fine = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(2, 1), 1.0)), schema)
                .coalesce(1);
        NnjClassificationModel model = new NnjClassifier().setEpochs(1).setLayers(new int[] {4}).fit(fine);
        // A double beyond float32's range was reported as "Infinity", at a row counted within a batch of 512, and the
        // message did not say which partition the row is in: here the second of two, rows 600 .. 1199.
        java.util.List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            rows.add(RowFactory.create(Vectors.dense(1, i == 1199 ? 1e300 : 1), 0.0));
        }
        org.apache.spark.sql.Dataset<Row> huge = spark.createDataFrame(
                new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, 2), schema);
        Exception t = assertThrows(Exception.class, () -> model.transform(huge).collectAsList());
        assertTrue(String.valueOf(rootCause(t).getMessage()).contains("row 599 of partition 1: feature 1 is 1.0E300, "
                + "beyond float32's range") && rootCause(t).getMessage().endsWith("(featuresCol 'features'; with "
                + "handleInvalid 'skip' transform leaves such rows out, with 'keep' their outputs are NaN)"),
                String.valueOf(rootCause(t)));
        StructType nullable = new StructType().add("features", schema.apply("features").dataType(), true);
        org.apache.spark.sql.Dataset<Row> missing = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2)), RowFactory.create((Object) null)), nullable).coalesce(1);
        Exception n = assertThrows(Exception.class, () -> model.transform(missing).collectAsList());
        assertTrue(String.valueOf(rootCause(n).getMessage()).contains("row 1 of partition 0 has a null 'features'"),
                String.valueOf(rootCause(n)));

        // handleInvalid, by MLlib's names: skip leaves such rows out, keep gives them NaN outputs; the others
        // predict as they do alone.
        org.apache.spark.sql.Dataset<Row> mixed = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(1, 2)), RowFactory.create((Object) null),
                RowFactory.create(Vectors.dense(2, Double.NaN)), RowFactory.create(Vectors.dense(2, 1)),
                RowFactory.create(Vectors.dense(1, 2, 3))), nullable).coalesce(1);
        java.util.List<Row> valid = model.transform(mixed.filter("features is not null").limit(1)
                .union(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(2, 1))), nullable)))
                .select("prediction", "probability").collectAsList();
        java.util.List<Row> skipped = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("skip")
                .transform(mixed).select("prediction", "probability").collectAsList();
        assertEquals(valid, skipped, "the two valid rows, as predicted alone");
        java.util.List<Row> kept = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("KEEP")
                .transform(mixed).select("prediction", "probability", "rawPrediction").collectAsList();
        assertEquals(5, kept.size());
        assertEquals(valid.get(0), org.apache.spark.sql.RowFactory.create(kept.get(0).get(0), kept.get(0).get(1)));
        for (int i : new int[] {1, 2, 4}) {
            assertTrue(Double.isNaN(kept.get(i).getDouble(0)), "row " + i + ": " + kept.get(i));
            double[] p = ((org.apache.spark.ml.linalg.Vector) kept.get(i).get(1)).toArray();
            assertTrue(p.length == 2 && Double.isNaN(p[0]) && Double.isNaN(p[1]), "row " + i + ": " + kept.get(i));
        }
        assertMessage(() -> model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("drop"),
                "handleInvalid must be error, skip or keep, got 'drop'");
    }

    @Test
    void theRawScoresAreLogProbabilitiesThatMllibsEvaluatorsRead() {
        StructType schema = DigitsFrames.SCHEMA;
        java.util.List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double x = (i % 10) / 10.0;
            rows.add(RowFactory.create(Vectors.dense(x, 1 - x), i % 10 >= 5 ? 1.0 : 0.0));
        }
        org.apache.spark.sql.Dataset<Row> binary = spark.createDataFrame(rows, schema).coalesce(1);
        NnjClassificationModel model = new NnjClassifier().setEpochs(30).setLayers(new int[] {8}).setBatchSize(0)
                .setLearningRate(0.05).fit(binary);
        org.apache.spark.sql.Dataset<Row> out = model.transform(binary);
        for (Row r : out.select("probability", "rawPrediction").collectAsList()) {
            org.apache.spark.ml.linalg.Vector p = r.getAs(0);
            org.apache.spark.ml.linalg.Vector raw = r.getAs(1);
            for (int c = 0; c < 2; c++) {
                assertEquals(p.apply(c), Math.exp(raw.apply(c)), 1e-6 + 1e-6 * p.apply(c), "exp(raw) = p, class " + c);
            }
        }
        // The binary evaluator reads rawPrediction by default: no setRawPredictionCol("probability") needed.
        double auc = new org.apache.spark.ml.evaluation.BinaryClassificationEvaluator().evaluate(out);
        assertTrue(auc > 0.9, "area under ROC " + auc);
        // An empty name leaves the column out, as in MLlib.
        assertTrue(!java.util.Arrays.asList(model.setRawPredictionCol("").transform(binary).columns())
                .contains("rawPrediction"));
    }

    @Test
    void aTinyProblemTrainsWithEveryOptimizer() {
        // XOR-like: two classes by the sign of x·y, learnable with one hidden layer.
        java.util.List<Row> rows = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            double x = 2 * r.nextDouble() - 1;
            double y = 2 * r.nextDouble() - 1;
            rows.add(RowFactory.create(Vectors.dense(x, y), x * y > 0 ? 1.0 : 0.0));
        }
        org.apache.spark.sql.Dataset<Row> data = spark.createDataFrame(rows, DigitsFrames.SCHEMA);
        for (String optimizer : new String[] {"sgd", "nesterov", "adam", "adamw", "rmsprop", "adagrad"}) {
            NnjClassifier nn = new NnjClassifier().setLayers(new int[] {16}).setActivations(new String[] {"tanh"})
                    .setOptimizer(optimizer).setLearningRate(optimizer.startsWith("adam") || optimizer.equals("rmsprop")
                            ? 0.01 : 0.1).setMomentum(optimizer.equals("nesterov") ? 0.9 : 0.0)
                    .setEpochs(2).setBatchSize(50).setTrainingMode("average").setAveragingSteps(2).setSeed(1);
            NnjClassificationModel model = nn.fit(data);
            assertEquals(2, model.numClasses());
            assertEquals(2, model.trainingHistory().size(), optimizer);
            assertTrue(Double.isFinite(model.trainingHistory().get(1)[0]), optimizer + " loss");
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
    /**
     * The params fit warns of as unused by the chosen optimizer are exactly those that change nothing in the optimizer
     * it builds: moving one of them leaves its hyperparameters as they were, moving any other changes them.
     */
    @Test
    void theParamsAnOptimizerIgnoresAreThoseThatChangeNothingInIt() {
        // momentum, beta1, beta2, epsilon, amsgrad (0 off, 1 on), initialAccumulatorValue
        float[] base = {0.5f, 0.8f, 0.9f, 1e-6f, 0f, 0f};
        String[] names = {"momentum", "beta1", "beta2", "epsilon", "amsgrad", "initialAccumulatorValue"};
        for (String optimizer : new String[] {"sgd", "nesterov", "adam", "adamw", "rmsprop", "adagrad"}) {
            java.util.Map<String, String> before = spec(optimizer, base).create().hyperparameters();
            for (int k = 0; k < names.length; k++) {
                float[] moved = base.clone();
                moved[k] = k == 3 ? 1e-3f : k == 4 ? 1f : k == 5 ? 0.1f : moved[k] / 2;
                boolean changes = !spec(optimizer, moved).create().hyperparameters().equals(before);
                assertEquals(!changes, OptimizerSpec.ignoredBy(optimizer).contains(names[k]),
                        optimizer + " and " + names[k] + ": changes its hyperparameters " + changes);
            }
        }
    }

    private static OptimizerSpec spec(String optimizer, float[] p) {
        return new OptimizerSpec(optimizer, 0.01f, p[0], p[1], p[2], p[3], 0f, true, p[4] == 1f, p[5]);
    }

    /** The weight decay's scope, AMSGrad and AdaGrad's initial accumulator reach the optimizer each executor builds. */
    @Test
    void theDecayScopeAmsgradAndInitialAccumulatorReachTheOptimizer() {
        NnjClassifier defaults = new NnjClassifier();
        assertTrue(defaults.getDecayBiases() && !defaults.getAmsgrad(), "PyTorch's defaults");
        assertEquals(0.0, defaults.getInitialAccumulatorValue());
        String adamw = new NnjClassifier().setOptimizer("adamw").setWeightDecay(0.1).setDecayBiases(false)
                .setAmsgrad(true).optimizerSpec().toString();
        assertTrue(adamw.contains("weight_decay=0.1, biases not decayed, amsgrad=true"), adamw);
        String adagrad = TrainingParams.optimizerSpec(new NnjRegressor().setOptimizer("adagrad")
                .setInitialAccumulatorValue(0.1)).toString();
        assertTrue(adagrad.contains("initial_accumulator_value=0.1"), adagrad);
        assertMessage(() -> new NnjRegressor().setInitialAccumulatorValue(-1), "initialAccumulatorValue must be a "
                + "finite number >= 0");
    }
}
