package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Averaging parameters and optimizer state every K local steps. */
class AveragingModeTest {
    private final SparkSession spark = SparkTestSession.get();

    @Test
    void averagingEveryStepWithPlainSgdIsSynchronousTraining() {
        // mean_p(θ - η g_p) = θ - η mean_p(g_p): the two modes differ only in float rounding.
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        NnjClassifier nn = SyncTrainingTest.classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(1)
                .setBatchSize(128);
        NnjClassificationModel sync = nn.fit(train);
        NnjClassificationModel averaged = nn.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("average").setAveragingSteps(1).fit(train);
        double maxDiff = SyncTrainingTest.maxDiff(sync.parameters(), averaged.parameters());
        assertTrue(maxDiff < 1e-5, "max |θ_sync - θ_average| = " + maxDiff);
    }

    /** Every partition's local step takes the schedule's rate for its global step: K = 1 is still sync mode. */
    @Test
    void averagingEveryStepUnderAScheduleIsSynchronousTraining() {
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        NnjClassifier nn = SyncTrainingTest.classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(2)
                .setBatchSize(128).setLearningRateSchedule("one-cycle");
        NnjClassificationModel sync = nn.fit(train);
        NnjClassificationModel averaged = nn.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("average").setAveragingSteps(1).fit(train);
        NnjClassificationModel constant = nn.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("average").setAveragingSteps(1).setLearningRateSchedule("constant").fit(train);
        double maxDiff = SyncTrainingTest.maxDiff(sync.parameters(), averaged.parameters());
        double fromConstant = SyncTrainingTest.maxDiff(sync.parameters(), constant.parameters());
        assertTrue(maxDiff < 1e-5, "max |θ_sync - θ_average| = " + maxDiff);
        assertTrue(fromConstant > 1e-3, "the schedule changed the steps: " + fromConstant);
    }

    /** Each partition's local step drops its rows' units as the synchronous step does: K = 1 is still sync mode. */
    @Test
    void averagingEveryStepWithDropoutIsSynchronousTraining() {
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 3);
        NnjClassifier nn = SyncTrainingTest.classifier().setOptimizer("sgd").setLearningRate(0.1).setEpochs(2)
                .setBatchSize(128).setDropout(0.3);
        NnjClassificationModel sync = nn.fit(train);
        NnjClassificationModel averaged = nn.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("average").setAveragingSteps(1).fit(train);
        double maxDiff = SyncTrainingTest.maxDiff(sync.parameters(), averaged.parameters());
        assertTrue(maxDiff < 1e-5, "max |θ_sync - θ_average| = " + maxDiff);
    }

    /** More partitions than a batch has rows leave each a share under one row: warned of, with the way out. */
    @Test
    void partitionsBeyondTheBatchAreWarnedOf() {
        assertEquals(null, DataParallelTrainer.thinShares(2, 1437, 32));
        assertEquals(null, DataParallelTrainer.thinShares(32, 1437, 32));
        assertEquals("300 partitions for 150 rows in batches of 32: each partition's share of a batch is under one "
                + "row, so its local steps see one row or none; use fewer partitions (numPartitions) or larger batches",
                DataParallelTrainer.thinShares(300, 150, 32));
    }

    @Test
    void adamWithAveragedMomentsLearnsTheDigits() {
        NnjClassificationModel model = SyncTrainingTest.classifier().setOptimizer("adam").setLearningRate(3e-3)
                .setEpochs(SyncTrainingTest.EPOCHS).setBatchSize(64).setTrainingMode("average").setAveragingSteps(4)
                .fit(DigitsFrames.train(spark, 2));
        double accuracy = DigitsFrames.accuracy(model.transform(DigitsFrames.test(spark, 2)));
        System.out.printf("digits, %d epochs of Adam averaged every 4 steps: %.4f%n", SyncTrainingTest.EPOCHS,
                accuracy);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    }
}
