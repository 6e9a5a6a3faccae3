package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.Trainer;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data-parallel training against nnj on one machine: the same initial network, the same batches
 * in the same order, the batch gradient assembled from two partitions' shares.
 */
class SyncTrainingTest {
    static final int EPOCHS = 10;
    static final long SEED = 7;
    static final NetworkSpec SPEC = new NetworkSpec(64, new int[] {64}, new Activation[] {Activation.RELU}, 10,
            LossKind.CATEGORICAL_CROSS_ENTROPY);

    private final SparkSession spark = SparkTestSession.get();

    /** nnj's Trainer on one machine; returns the trained parameters, the test accuracy in {@code testAccuracy[0]}. */
    static Map<String, float[]> trainLocally(Optimizer optimizer, int epochs, int batchSize, double[] testAccuracy) {
        return trainLocally(optimizer, epochs, batchSize, null, testAccuracy);
    }

    /** As above, with a learning-rate schedule (null for none). */
    static Map<String, float[]> trainLocally(Optimizer optimizer, int epochs, int batchSize,
                                             LearningRateSchedule schedule, double[] testAccuracy) {
        return trainLocally(SPEC, optimizer, epochs, batchSize, schedule, testAccuracy);
    }

    /** As above, for the network {@code spec}. */
    static Map<String, float[]> trainLocally(NetworkSpec spec, Optimizer optimizer, int epochs, int batchSize,
                                             LearningRateSchedule schedule, double[] testAccuracy) {
        IndexSplit.Datasets split = DigitsFrames.split();
        try (Backend backend = Backends.get("cpu");
             Sequential model = spec.build(backend, SEED);
             Optimizer o = optimizer) {
            Trainer.builder().epochs(epochs).batchSize(batchSize).shuffle(true).seed(SEED).schedule(schedule).build()
                    .fit(model, spec.loss(), o, split.train(), null);
            testAccuracy[0] = model.evaluate(split.test(), spec.loss(), 512).accuracy();
            return model.stateDict();
        }
    }

    static NnjClassifier classifier() {
        return new NnjClassifier().setLayers(new int[] {64}).setActivations(new String[] {"relu"})
                .setSeed(SEED).setBackend("cpu");
    }

    @Test
    void oneEpochOfSgdGivesSingleMachineParameters() {
        double[] ignored = new double[1];
        Map<String, float[]> local = trainLocally(new Sgd(0.1f), 1, 64, ignored);
        NnjClassificationModel distributed = classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(1)
                .setBatchSize(64).fit(DigitsFrames.train(spark, 2));
        double maxDiff = maxDiff(local, distributed.parameters());
        // 23 steps whose batch gradients differ only in the order of float additions.
        assertTrue(maxDiff < 1e-4, "max |θ_spark - θ_local| = " + maxDiff);
    }

    /**
     * A schedule gives each global step the rate nnj's Trainer gives it: after 2 epochs of SGD under one-cycle, and
     * under cosine, the parameters are one machine's up to the order of float additions, and not the constant rate's.
     */
    @Test
    void learningRateSchedulesGiveSingleMachineParameters() {
        int batches = (DigitsFrames.split().train().size() + 63) / 64;
        double[] ignored = new double[1];
        Map<String, float[]> constant = trainLocally(new Sgd(0.1f), 2, 64, ignored);
        LearningRateSchedule[] local = {LearningRateSchedule.oneCycle(0.1f, 2 * batches),
            LearningRateSchedule.cosineWithWarmup(0, 2, 1.0, 0.0)};
        String[] names = {"one-cycle", "cosine"};
        for (int s = 0; s < names.length; s++) {
            Map<String, float[]> expected = trainLocally(new Sgd(0.1f), 2, 64, local[s], ignored);
            NnjClassificationModel distributed = classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(2)
                    .setBatchSize(64).setLearningRateSchedule(names[s]).fit(DigitsFrames.train(spark, 2));
            double maxDiff = maxDiff(expected, distributed.parameters());
            assertTrue(maxDiff < 1e-4, names[s] + ": max |θ_spark - θ_local| = " + maxDiff);
            assertTrue(maxDiff(constant, distributed.parameters()) > 1e-3, names[s] + " is not the constant rate");
            assertEquals(names[s], distributed.getOrDefault(distributed.learningRateSchedule()));
        }
    }

    /**
     * With dropout, each row of a global batch gets the mask row nnj's Dropout draws for it on one machine, wherever
     * the row is: on 1, 2 and 3 partitions, 2 epochs of SGD give one machine's parameters up to the order of float
     * additions, and not those of the same network without dropout.
     */
    @Test
    void dropoutGivesSingleMachineParametersOnAnyPartitioning() {
        double[] ignored = new double[1];
        NetworkSpec withDropout = SPEC.withDropout(0.25f);
        Map<String, float[]> expected = trainLocally(withDropout, new Sgd(0.1f), 2, 64, null, ignored);
        Map<String, float[]> without = trainLocally(new Sgd(0.1f), 2, 64, ignored);
        for (int partitions = 1; partitions <= 3; partitions++) {
            NnjClassificationModel distributed = classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(2)
                    .setBatchSize(64).setDropout(0.25).fit(DigitsFrames.train(spark, partitions));
            double maxDiff = maxDiff(expected, distributed.parameters());
            assertTrue(maxDiff < 1e-4, partitions + " partitions: max |θ_spark - θ_local| = " + maxDiff);
            assertTrue(maxDiff(without, distributed.parameters()) > 1e-3, "dropout changed the steps");
            assertEquals(withDropout, distributed.networkSpec());
        }
    }

    /** The largest |a - b| over every parameter; the two must hold the same names and shapes. */
    static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        double max = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            assertEquals(x.length, y.length, e.getKey());
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    @Test
    void digitsAccuracyMatchesSingleMachineWithinHalfAPoint() {
        double[] local = new double[1];
        trainLocally(new Adam(3e-3f, 0.9f, 0.999f, 1e-7f, 0f), EPOCHS, 64, local);
        NnjClassificationModel model = classifier().setOptimizer("adam").setLearningRate(3e-3).setEpsilon(1e-7)
                .setEpochs(EPOCHS).setBatchSize(64).fit(DigitsFrames.train(spark, 2));
        double distributed = DigitsFrames.accuracy(model.transform(DigitsFrames.test(spark, 2)));
        System.out.printf("digits, %d epochs of Adam, batch 64: single machine %.4f, Spark local[2] sync %.4f%n", EPOCHS,
                local[0], distributed);
        assertTrue(local[0] > 0.9, "single machine learned: " + local[0]);
        assertEquals(local[0], distributed, 0.005, "test accuracy, Spark vs one machine");
        assertEquals(EPOCHS, model.trainingHistory().size());
    }

    @Test
    void aSeedGivesIdenticalModelsAndAnotherSeedDoesNot() {
        NnjClassifier nn = classifier().setEpochs(2).setBatchSize(128);
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        NnjClassificationModel a = nn.fit(train);
        NnjClassificationModel b = nn.fit(train);
        NnjClassificationModel c = nn.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(SEED + 1).fit(train);
        assertTrue(DigitsFrames.sameParameters(a, b), "same seed, same parameters");
        assertFalse(DigitsFrames.sameParameters(a, c), "another seed, other parameters");
    }
}
