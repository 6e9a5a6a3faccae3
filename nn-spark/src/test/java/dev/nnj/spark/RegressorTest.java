package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NnjRegressor} on a small synthetic regression ({@link RegressionFrames}: {@code y ≈ 1000 + 300 x0 − 200 x1},
 * label std about 360, noise std 20): R² on held-out rows by MLlib's {@code RegressionEvaluator}, against nnj's own
 * {@code Trainer} on one machine, with and without label standardization, through save/load and in a pipeline.
 */
class RegressorTest {
    static final long SEED = 5;
    static final int EPOCHS = 20;
    static final int BATCH = 50;
    static final float RATE = 0.01f;

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    /** 16 relu units, Adam 1e-2, 20 epochs of batches of 50 (120 steps), synchronous. */
    static NnjRegressor regressor() {
        return new NnjRegressor().setLayers(new int[] {16}).setActivations(new String[] {"relu"})
                .setLearningRate(RATE).setEpochs(EPOCHS).setBatchSize(BATCH).setSeed(SEED).setBackend("cpu");
    }

    private static double r2(org.apache.spark.sql.Dataset<Row> predicted) {
        return new RegressionEvaluator().setMetricName("r2").evaluate(predicted);
    }

    /** The same network, seed, batches and standardized label, trained by nnj's Trainer on one machine. */
    private static double localR2() {
        double[][] rows = RegressionFrames.rows();
        int n = RegressionFrames.TRAIN;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (float) rows[i][2];
        }
        mean /= n;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            m2 += ((float) rows[i][2] - mean) * ((float) rows[i][2] - mean);
        }
        double std = Math.sqrt(m2 / n);
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) rows[i][0];
            x[2 * i + 1] = (float) rows[i][1];
            y[i] = (float) (((float) rows[i][2] - mean) / std);
        }
        NetworkSpec spec = NetworkSpec.regression(2, new int[] {16}, new Activation[] {Activation.RELU}, 0f);
        try (Backend backend = Backends.get("cpu");
             Sequential model = spec.build(backend, SEED);
             Adam adam = new Adam(RATE, 0.9f, 0.999f, 1e-7f, 0f)) {
            Trainer.builder().epochs(EPOCHS).batchSize(BATCH).shuffle(true).seed(SEED).build()
                    .fit(model, spec.loss(), adam, new Dataset(x, 2, y, 1), null);
            int t = RegressionFrames.TEST;
            float[] xt = new float[2 * t];
            for (int i = 0; i < t; i++) {
                xt[2 * i] = (float) rows[n + i][0];
                xt[2 * i + 1] = (float) rows[n + i][1];
            }
            float[] p = model.predict(xt, t);
            double testMean = 0;
            for (int i = 0; i < t; i++) {
                testMean += rows[n + i][2];
            }
            testMean /= t;
            double ssRes = 0;
            double ssTot = 0;
            for (int i = 0; i < t; i++) {
                double yi = rows[n + i][2];
                double d = yi - (p[i] * std + mean);
                ssRes += d * d;
                ssTot += (yi - testMean) * (yi - testMean);
            }
            return 1 - ssRes / ssTot;
        }
    }

    @Test
    void fitsHeldOutRowsAsTheSingleMachineTrainerDoes() {
        long start = System.nanoTime();
        NnjRegressionModel model = regressor().fit(RegressionFrames.train(spark));
        double seconds = (System.nanoTime() - start) / 1e9;
        double r2 = r2(model.transform(RegressionFrames.test(spark)));
        double local = localR2();
        System.out.printf("NnjRegressor: R² %.4f on held-out rows in %.1f s; nnj Trainer: R² %.4f%n", r2, seconds,
                local);
        assertTrue(r2 > 0.98, "R² " + r2);
        assertEquals(local, r2, 2e-3, "R² against nnj's Trainer on one machine");
        assertEquals(1000, model.labelMean(), 50);
        assertEquals(360, model.labelStd(), 40);
        assertEquals(EPOCHS, model.trainingHistory().size());
        double[] row = RegressionFrames.rows()[RegressionFrames.TRAIN];
        double one = model.predict(Vectors.dense(row[0], row[1]));
        double fromTransform = model.transform(RegressionFrames.test(spark)).select("prediction").head().getDouble(0);
        assertEquals(fromTransform, one, 1e-9, "predict(Vector) as transform");
        assertTrue(model.toString().contains("labelMean="), model.toString());
    }

    /**
     * Without standardization the same settings learn a label of mean 1000 from outputs near 0: Adam moves each
     * weight by about the learning rate per step, so after 120 steps of 0.01 the predictions are still far below the
     * label, and R² is below 0 (the mean would do better).
     */
    @Test
    void anUnstandardizedLabelOfThousandsIsNotLearnedInTheSameSteps() {
        NnjRegressionModel model = regressor().setStandardizeLabel(false).fit(RegressionFrames.train(spark));
        double r2 = r2(model.transform(RegressionFrames.test(spark)));
        System.out.printf("NnjRegressor, standardizeLabel false: R² %.4f%n", r2);
        assertTrue(r2 < 0, "R² " + r2);
        assertEquals(0, model.labelMean());
        assertEquals(1, model.labelStd());
    }

    @Test
    void aSavedModelLoadsAndPredictsTheSame() throws java.io.IOException {
        SparkTestSession.assumeHadoopFileSystems();
        NnjRegressionModel model = regressor().setEpochs(2).setDropout(0.1).fit(RegressionFrames.train(spark));
        String path = dir.resolve("regressor").toString();
        model.write().save(path);
        NnjRegressionModel loaded = NnjRegressionModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.networkSpec(), loaded.networkSpec());
        assertEquals(model.labelMean(), loaded.labelMean());
        assertEquals(model.labelStd(), loaded.labelStd());
        assertEquals(2, loaded.getEpochs());
        List<Row> before = model.transform(RegressionFrames.test(spark)).select("prediction").collectAsList();
        List<Row> after = loaded.transform(RegressionFrames.test(spark)).select("prediction").collectAsList();
        assertEquals(before, after);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NnjClassificationModel.load(path));
        assertTrue(e.getMessage().contains("NnjRegressionModel") || e.getMessage().contains("class"), e.getMessage());
    }

    /** Raw columns of very different scales, assembled and standardized in the pipeline, as MLlib users do. */
    @Test
    void trainsInAPipelineWithVectorAssemblerAndStandardScaler() throws java.io.IOException {
        SparkTestSession.assumeHadoopFileSystems();
        org.apache.spark.sql.Dataset<Row> train = RegressionFrames.train(spark)
                .withColumn("a", functions.udf((org.apache.spark.ml.linalg.Vector v) -> 100 * v.apply(0),
                        org.apache.spark.sql.types.DataTypes.DoubleType).apply(functions.col("features")))
                .withColumn("b", functions.udf((org.apache.spark.ml.linalg.Vector v) -> v.apply(1) / 100,
                        org.apache.spark.sql.types.DataTypes.DoubleType).apply(functions.col("features")))
                .drop("features");
        org.apache.spark.sql.Dataset<Row> test = RegressionFrames.test(spark)
                .withColumn("a", functions.udf((org.apache.spark.ml.linalg.Vector v) -> 100 * v.apply(0),
                        org.apache.spark.sql.types.DataTypes.DoubleType).apply(functions.col("features")))
                .withColumn("b", functions.udf((org.apache.spark.ml.linalg.Vector v) -> v.apply(1) / 100,
                        org.apache.spark.sql.types.DataTypes.DoubleType).apply(functions.col("features")))
                .drop("features");
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("raw");
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, regressor()})
                .fit(train);
        double r2 = r2(fitted.transform(test));
        System.out.printf("Pipeline(VectorAssembler, StandardScaler, NnjRegressor): R² %.4f%n", r2);
        assertTrue(r2 > 0.98, "R² " + r2);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        assertEquals(fitted.transform(test).select("prediction").collectAsList(),
                PipelineModel.load(path).transform(test).select("prediction").collectAsList());
    }

    /**
     * A quarter of the training rows are corrupted to a label of 1e5 and weighted 0: with the weight column the model
     * ignores them (and so do the label's weighted mean and std), without it they ruin the fit.
     */
    @Test
    void weightColLeavesRowsOfWeightZeroOut() {
        org.apache.spark.sql.Dataset<Row> corrupted = RegressionFrames.train(spark)
                .withColumn("id", functions.monotonically_increasing_id())
                .withColumn("bad", functions.col("id").mod(4).equalTo(0))
                .withColumn("label", functions.when(functions.col("bad"), 1e5).otherwise(functions.col("label")))
                .withColumn("weight", functions.when(functions.col("bad"), 0.0).otherwise(1.0));
        NnjRegressionModel weighted = regressor().setWeightCol("weight").fit(corrupted);
        NnjRegressionModel unweighted = regressor().fit(corrupted);
        double r2Weighted = r2(weighted.transform(RegressionFrames.test(spark)));
        double r2Unweighted = r2(unweighted.transform(RegressionFrames.test(spark)));
        System.out.printf("25%% corrupted rows: weighted 0, R² %.4f; unweighted, R² %.4f%n", r2Weighted,
                r2Unweighted);
        assertTrue(r2Weighted > 0.97, "R² " + r2Weighted);
        assertTrue(r2Unweighted < 0, "R² " + r2Unweighted);
        assertEquals(1000, weighted.labelMean(), 50, "the weighted mean leaves the corrupted labels out");
        assertEquals("weight", weighted.getWeightCol());
    }

    @Test
    void huberLossTrains() {
        NnjRegressionModel model = regressor().setLoss("huber").setHuberDelta(0.5).fit(RegressionFrames.train(spark));
        double r2 = r2(model.transform(RegressionFrames.test(spark)));
        System.out.printf("NnjRegressor, huber δ 0.5: R² %.4f%n", r2);
        assertTrue(r2 > 0.95, "R² " + r2);
        assertEquals(0.5f, model.networkSpec().huberDelta());
    }

    @Test
    void badParamsAreRefusedNamingTheParamAndItsBounds() {
        NnjRegressor nn = new NnjRegressor();
        assertEquals("loss must be squaredError or huber, got 'absolute'",
                assertThrows(IllegalArgumentException.class, () -> nn.setLoss("absolute")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nn.setHuberDelta(0)).getMessage()
                .startsWith("huberDelta must be a positive finite number"));
        assertEquals("epochs must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> nn.setMaxIter(0)).getMessage());
        assertEquals("predictionCol must not be empty: it is the regressor's one output",
                assertThrows(IllegalArgumentException.class, () -> nn.setPredictionCol("")).getMessage());
        assertEquals("labelCol must not be null",
                assertThrows(IllegalArgumentException.class, () -> nn.setLabelCol(null)).getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> regressor().fit(
                RegressionFrames.train(spark).withColumn("label", functions.lit("x"))));
        assertTrue(label.getMessage().startsWith("column 'label' (labelCol) must be numeric"), label.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> regressor().setEpochs(1)
                .fit(RegressionFrames.train(spark).withColumn("label", functions.lit(Double.NaN))));
        assertTrue(nan.getMessage().contains("holds NaN at row 0 of partition")
                && nan.getMessage().contains("a regression label must be a finite number"), nan.getMessage());
    }

    @Test
    void aConstantLabelTrainsWithStdOne() {
        NnjRegressionModel model = regressor().setEpochs(2).fit(RegressionFrames.train(spark)
                .withColumn("label", functions.lit(7.0)));
        assertEquals(7.0, model.labelMean());
        assertEquals(1.0, model.labelStd(), "scikit-learn's rule for a zero scale");
        // Equal labels whose double sums round: 1000000.3 gave a std of 1e-9, treated as a scale before.
        NnjRegressionModel rounded = regressor().setEpochs(1).fit(RegressionFrames.train(spark)
                .withColumn("label", functions.lit(1000000.3)));
        assertEquals(1.0, rounded.labelStd(), "a spread below float32's resolution of the label is none");
        // A label far from 0 that varies by a few float32 steps still varies: a mean of 1e8 and a std of 50 (six
        // steps of 8) was taken for constant by a rule on the std relative to the mean, and trained unstandardized.
        NnjRegressionModel far = regressor().setEpochs(1).fit(RegressionFrames.train(spark)
                .withColumn("label", functions.col("label").divide(7.2).plus(1e8)));
        assertEquals(1e8, far.labelMean(), 1e3);
        assertTrue(far.labelStd() > 30 && far.labelStd() < 80, "std " + far.labelStd());
    }

    /** Loading one kind's saved estimator as the other says which was saved, not a ClassCastException. */
    @Test
    void aSavedRegressorLoadedAsAClassifierIsRefusedNamingIt() throws java.io.IOException {
        SparkTestSession.assumeHadoopFileSystems();
        String path = dir.resolve("estimator").toString();
        regressor().write().save(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NnjClassifier.load(path));
        assertTrue(e.getMessage().contains("does not hold a saved NnjClassifier but a NnjRegressor "
                + "(dev.nnj.spark.NnjRegressor); load it with NnjRegressor.load"), e.getMessage());
        // A fitted model's directory given to the estimator's load, and a pipeline's: NoSuchMethodException and
        // "Param stageUids does not exist" came out of Spark's reflection before (a Spark trial).
        String model = dir.resolve("model").toString();
        regressor().setEpochs(1).fit(RegressionFrames.train(spark)).write().save(model);
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> NnjRegressor.load(model));
        assertTrue(m.getMessage().contains("but a NnjRegressionModel (dev.nnj.spark.NnjRegressionModel); load it with "
                + "NnjRegressionModel.load"), m.getMessage());
        String pipeline = dir.resolve("pipeline").toString();
        new org.apache.spark.ml.Pipeline().setStages(new org.apache.spark.ml.PipelineStage[] {regressor()}).write()
                .save(pipeline);
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> NnjClassifier.load(pipeline));
        assertTrue(p.getMessage().contains("but a Pipeline (org.apache.spark.ml.Pipeline); load it with Pipeline.load"),
                p.getMessage());
        assertTrue(NnjRegressionModel.load(model).labelStd() > 0, "the right load still reads it");
    }

    /**
     * A regression model file becomes a Spark model that takes the raw features and predicts in the target's units,
     * as {@code SavedModel.predict}: its feature scaler folded into the first layer, its target scaler (standard or
     * min-max) into the last. The network alone ({@code of(spec, network)}) predicts its own, scaled, units.
     */
    @Test
    void aRegressionModelFileTakesRawFeaturesAndPredictsInTheTargetsUnits() {
        double[][] rows = RegressionFrames.rows();
        int t = RegressionFrames.TEST;
        int from = RegressionFrames.TRAIN;
        float[] x = new float[2 * t];
        float[] y = new float[t];
        for (int i = 0; i < t; i++) {
            x[2 * i] = (float) (50 + 10 * rows[from + i][0]);   // a column far from zero: the offset matters
            x[2 * i + 1] = (float) rows[from + i][1];
            y[i] = (float) rows[from + i][2];
        }
        java.util.List<Row> frame = new java.util.ArrayList<>();
        for (int i = 0; i < t; i++) {
            frame.add(org.apache.spark.sql.RowFactory.create(Vectors.dense(x[2 * i], x[2 * i + 1]), 0.0));
        }
        org.apache.spark.sql.Dataset<Row> data = spark.createDataFrame(frame, new org.apache.spark.sql.types
                .StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", org.apache.spark.sql.types.DataTypes.DoubleType));
        NetworkSpec spec = NetworkSpec.regression(2, new int[] {8}, new Activation[] {Activation.TANH}, 0f);
        try (Backend backend = Backends.get("cpu"); Sequential network = spec.build(backend, SEED)) {
            for (dev.nnj.api.data.ColumnScaler target : List.of(new dev.nnj.api.data.StandardScaler(),
                    new dev.nnj.api.data.MinMaxScaler())) {
                dev.nnj.api.io.SavedModel saved = new dev.nnj.api.io.SavedModel(network, dev.nnj.api.io.Preprocessing
                        .none().withScaler(new dev.nnj.api.data.StandardScaler().fit(x, 2))
                        .withTargetScaler(target.fit(y, 1)), java.util.Map.of());
                float[] expected = saved.predict(x, t);
                List<Row> out = NnjRegressionModel.of(spec, saved).transform(data).select("prediction")
                        .collectAsList();
                List<Row> alone = NnjRegressionModel.of(spec, network).transform(data).select("prediction")
                        .collectAsList();
                double most = 0;
                double apart = 0;
                double largest = 0;
                for (int i = 0; i < t; i++) {
                    most = Math.max(most, Math.abs(out.get(i).getDouble(0) - expected[i]));
                    apart = Math.max(apart, Math.abs(alone.get(i).getDouble(0) - expected[i]));
                    largest = Math.max(largest, Math.abs(expected[i]));
                }
                // float32 rounding of outputs of the target's size: both ways round h·W at that scale.
                assertTrue(most < 1e-5 * largest, target + ": " + most + " apart, the largest value " + largest);
                assertTrue(apart > 100, target + ": the network alone gives scaled values, " + apart + " apart");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> NnjRegressionModel.of(new NetworkSpec(2, new int[] {4},
                new Activation[] {Activation.RELU}, 2, LossKind.CATEGORICAL_CROSS_ENTROPY), (Sequential) null));
    }
}
