package dev.nnj.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code weightCol} param: row {@code i}'s loss counts {@code w_i} times, so a batch of {@code N} rows steps
 * along {@code (1/N) Σ_i w_i ∂ℓ_i/∂θ}, exactly as nnj's {@code Trainer} with {@code sampleWeights}.
 */
class WeightColTest {
    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    /** A weight of 1 multiplies each row's loss gradient by 1.0f, which changes no bit, in either mode. */
    @Test
    void weightsOfOneTrainToTheSameBitsAsNoWeightColumn() {
        Dataset<Row> train = DigitsFrames.train(spark, 2);
        NnjClassifier sync = SyncTrainingTest.classifier().setEpochs(2).setBatchSize(64);
        NnjClassificationModel plain = sync.fit(train);
        NnjClassificationModel ones = sync.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w")
                .fit(train.withColumn("w", lit(1.0)));
        assertTrue(DigitsFrames.sameParameters(plain, ones), "sync: weights of 1.0 change no bit");
        for (int e = 0; e < plain.trainingHistory().size(); e++) {
            assertEquals(plain.trainingHistory().get(e)[0], ones.trainingHistory().get(e)[0], "loss of epoch " + e);
            assertEquals(plain.trainingHistory().get(e)[1], ones.trainingHistory().get(e)[1], "accuracy of epoch " + e);
        }
        // Any numeric type: an integer column of 1s, in average mode.
        NnjClassifier average = SyncTrainingTest.classifier().setEpochs(1).setBatchSize(64).setTrainingMode("average")
                .setAveragingSteps(4);
        NnjClassificationModel averaged = average.fit(train);
        NnjClassificationModel averagedOnes = average.copy(new org.apache.spark.ml.param.ParamMap())
                .setWeightCol("w").fit(train.withColumn("w", lit(1)));
        assertTrue(DigitsFrames.sameParameters(averaged, averagedOnes), "average: weights of 1 change no bit");
    }

    /**
     * On one partition the batch gradient is the partition's own, so a weight column trains to the bits of nnj's
     * {@code Trainer} with the same {@code sampleWeights} on the same rows, order, seed and optimizer. The weights
     * include 0 (rows that only count in N) and are not all equal, so ignoring them, or dividing by their sum
     * instead of by the rows, would give other bits.
     */
    @Test
    void onOnePartitionAWeightColumnTrainsToTheTrainersBitsWithSampleWeights() {
        IndexSplit.Datasets split = DigitsFrames.split();
        float[] weights = new float[split.train().size()];
        float[] cycle = {0f, 0.5f, 1f, 2.5f};
        for (int i = 0; i < weights.length; i++) {
            weights[i] = cycle[i % cycle.length];
        }
        int epochs = 2;
        int batchSize = 64;
        Map<String, float[]> local;
        History history;
        try (Backend backend = Backends.get("cpu");
             Sequential model = SyncTrainingTest.SPEC.build(backend, SyncTrainingTest.SEED);
             Adam adam = new Adam(3e-3f, 0.9f, 0.999f, 1e-7f, 0f)) {
            history = Trainer.builder().epochs(epochs).batchSize(batchSize).shuffle(true).seed(SyncTrainingTest.SEED)
                    .sampleWeights(weights).build().fit(model, SyncTrainingTest.SPEC.loss(), adam, split.train(), null);
            local = model.stateDict();
        }
        NnjClassificationModel spark1 = SyncTrainingTest.classifier().setOptimizer("adam").setLearningRate(3e-3)
                .setEpsilon(1e-7).setEpochs(epochs).setBatchSize(batchSize).setWeightCol("weight")
                .fit(DigitsFrames.frame(spark, split.train(), weights, 1));
        for (Map.Entry<String, float[]> e : local.entrySet()) {
            assertArrayEquals(e.getValue(), spark1.parameters().get(e.getKey()), e.getKey() + ", bit for bit");
        }
        // The reported losses are the unweighted means, as the Trainer's (summed in another order: not bits).
        for (int e = 0; e < epochs; e++) {
            assertEquals(history.trainLoss()[e], spark1.trainingHistory().get(e)[0], 1e-5 * history.trainLoss()[e],
                    "unweighted training loss of epoch " + (e + 1));
        }
        NnjClassificationModel unweighted = SyncTrainingTest.classifier().setOptimizer("adam").setLearningRate(3e-3)
                .setEpsilon(1e-7).setEpochs(epochs).setBatchSize(batchSize)
                .fit(DigitsFrames.frame(spark, split.train(), weights, 1));
        assertFalse(DigitsFrames.sameParameters(spark1, unweighted), "the weights reach training");
    }

    /**
     * Two overlapping Gaussian classes, 9:1. Unweighted, the network mostly predicts the majority; scikit-learn's
     * balanced class weights {@code n / (k · n_c)}, computed with Spark SQL as docs/spark.md shows, make it find most
     * of the minority class.
     */
    @Test
    void balancedClassWeightsRaiseTheMinorityRecallOnImbalancedClasses() {
        Dataset<Row> train = gaussians(900, 100, 11L, 2);
        Dataset<Row> test = gaussians(1800, 200, 12L, 2);
        long n = train.count();
        long k = train.select("label").distinct().count();
        Dataset<Row> perClass = train.groupBy("label").agg(lit((double) n).divide(lit(k).multiply(count(lit(1))))
                .as("weight"));
        Dataset<Row> weighted = train.join(broadcast(perClass), "label");
        NnjClassifier nn = new NnjClassifier().setLayers(new int[0]).setActivations(new String[0]).setBackend("cpu")
                .setOptimizer("adam").setLearningRate(0.3).setBatchSize(0).setEpochs(30).setSeed(3);
        double[] plain = recalls(nn.fit(train).transform(test));
        double[] balanced = recalls(nn.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("weight")
                .fit(weighted).transform(test));
        System.out.printf("9:1 Gaussians, test recall of class 0 / class 1: unweighted %.3f / %.3f, balanced weights "
                + "%.3f / %.3f%n", plain[0], plain[1], balanced[0], balanced[1]);
        assertTrue(plain[1] < 0.4, "unweighted, the minority is mostly missed: recall " + plain[1]);
        assertTrue(balanced[1] > 0.6, "balanced weights find most of the minority: recall " + balanced[1]);
        assertTrue(balanced[1] - plain[1] > 0.3, "minority recall " + plain[1] + " -> " + balanced[1]);
    }

    /** Missing, non-numeric, null, negative, NaN, infinite, too large and all-zero weights, each named. */
    @Test
    void badWeightsAreRefusedNamingTheColumnTheValueAndTheRow() {
        NnjClassifier nn = new NnjClassifier().setLayers(new int[] {4}).setEpochs(1).setWeightCol("w");
        Dataset<Row> noWeights = twoRows(DataTypes.DoubleType, 1.0, 1.0).drop("w");
        assertMessage(() -> nn.fit(noWeights),
                "no column 'w' (weightCol) in [features, label]; set weightCol to one of these");
        assertMessage(() -> nn.fit(twoRows(DataTypes.StringType, "1", "2")),
                "column 'w' (weightCol) must be numeric (a weight per row, finite and >= 0), got string");
        // Dropped, not imputed: an Imputer fills in features.
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, 1.0, null)), "row 1 of partition 0 has a null 'w' "
                + "(weightCol) (fit takes no such rows: drop them first, with "
                + "Dataset.na().drop(new String[] {\"w\"}))");
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, 1.0, -0.5)),
                "column 'w' (weightCol) holds -0.5 at row 1 of partition 0; a weight must be a finite number >= 0");
        assertMessage(() -> nn.fit(twoRows(DataTypes.IntegerType, -2, 1)),
                "column 'w' (weightCol) holds -2 at row 0 of partition 0; a weight must be a finite number >= 0");
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, Double.NaN, 1.0)),
                "column 'w' (weightCol) holds NaN at row 0 of partition 0; a weight must be a finite number >= 0");
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, 1.0, Double.POSITIVE_INFINITY)),
                "column 'w' (weightCol) holds Infinity at row 1 of partition 0; a weight must be a finite number >= 0");
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, 1e39, 1.0)), "column 'w' (weightCol) holds 1.0E39 at "
                + "row 0 of partition 0; a weight must be a finite number >= 0 within float32's range (3.4028235E38)");
        assertMessage(() -> nn.fit(twoRows(DataTypes.DoubleType, 0.0, 0.0)),
                "column 'w' (weightCol) gives every one of the 2 training rows weight 0; at least one row needs a "
                        + "weight above 0");
        // A row of weight 0 is fine, and so is a whole partition of them: its rows count in N as rows of weight 0.
        nn.fit(twoRows(DataTypes.DoubleType, 0.0, 1.0));
        Dataset<Row> zeroPartition = DigitsFrames.train(spark, 2).withColumn("w",
                org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.spark_partition_id().equalTo(0),
                        lit(0.0)).otherwise(lit(1.0)));
        NnjClassifier sync = SyncTrainingTest.classifier().setEpochs(1).setBatchSize(64).setNumPartitions(2);
        NnjClassificationModel plain = sync.fit(DigitsFrames.train(spark, 2));
        NnjClassificationModel weighted = sync.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w")
                .fit(zeroPartition);
        assertTrue(Double.isFinite(weighted.trainingHistory().get(0)[0]), "trains with a partition of zeros");
        assertFalse(DigitsFrames.sameParameters(plain, weighted), "the zero rows' gradients are left out");
    }

    /** weightCol is saved with the estimator and the model; the model transforms rows without the column. */
    @Test
    void weightColIsKeptBySaveAndLoad() throws IOException {
        SparkTestSession.assumeHadoopFileSystems();
        NnjClassifier nn = new NnjClassifier().setLayers(new int[] {4}).setEpochs(1).setWeightCol("w");
        String estimatorPath = dir.resolve("estimator").toString();
        nn.write().save(estimatorPath);
        NnjClassifier reloaded = NnjClassifier.load(estimatorPath);
        assertEquals("w", reloaded.getOrDefault(reloaded.weightCol()));
        String plainPath = dir.resolve("plain-estimator").toString();
        new NnjClassifier().write().save(plainPath);
        NnjClassifier plain = NnjClassifier.load(plainPath);
        assertEquals("", plain.getOrDefault(plain.weightCol()), "default: no weight column");

        Dataset<Row> train = twoRows(DataTypes.DoubleType, 2.0, 0.5);
        NnjClassificationModel model = nn.fit(train);
        assertEquals("w", model.getOrDefault(model.weightCol()), "fit copies weightCol to the model");
        String modelPath = dir.resolve("model").toString();
        model.write().save(modelPath);
        NnjClassificationModel loaded = NnjClassificationModel.load(modelPath);
        assertEquals("w", loaded.getOrDefault(loaded.weightCol()));
        assertEquals(2, loaded.transform(train.drop("w")).count(), "transform reads no weight column");
    }

    /** Two rows of classes 0 and 1, in one partition, with weights {@code w0, w1} in a column {@code w}. */
    private Dataset<Row> twoRows(org.apache.spark.sql.types.DataType weightType, Object w0, Object w1) {
        StructType schema = DigitsFrames.SCHEMA.add("w", weightType, true);
        return spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0, w0),
                RowFactory.create(Vectors.dense(2, 1), 1.0, w1)), schema).coalesce(1);
    }

    /**
     * {@code n0} rows of class 0 around (0, 0) and {@code n1} of class 1 around (1, 1), unit variance: for 9:1 the
     * Bayes boundary lies beyond class 1's mean, so an unweighted classifier misses most of class 1.
     */
    private Dataset<Row> gaussians(int n0, int n1, long seed, int partitions) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n0 + n1; i++) {
            double shift = i < n0 ? 0 : 1;
            rows.add(RowFactory.create(Vectors.dense(shift + random.nextGaussian(), shift + random.nextGaussian()),
                    i < n0 ? 0.0 : 1.0));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), DigitsFrames.SCHEMA);
    }

    /** Recall of classes 0 and 1: the fraction of each class's rows predicted as it. */
    private static double[] recalls(Dataset<Row> predictions) {
        double[] hits = new double[2];
        double[] totals = new double[2];
        for (Row r : predictions.select(col("label"), col("prediction")).collectAsList()) {
            int label = (int) r.getDouble(0);
            totals[label]++;
            if (r.getDouble(1) == label) {
                hits[label]++;
            }
        }
        return new double[] {hits[0] / totals[0], hits[1] / totals[1]};
    }

    /**
     * The refusal is an {@code IllegalArgumentException} with the message at the top, whether the driver found it or
     * an executor did (whose error reaches the driver wrapped in a SparkException, which fit unwraps).
     */
    private static void assertMessage(Runnable r, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(String.valueOf(e.getMessage()).contains(expected), String.valueOf(e));
    }
}
