package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A task that fails after computing its result, on its first attempt only, is retried by Spark; the combine
 * step must count the retry's result exactly once, so the model equals the one trained without failures
 * bit for bit.
 */
class RetriedTaskTest {
    /** Local mode runs tasks in this JVM, so the hook can count into a static. */
    private static final AtomicInteger INJECTED = new AtomicInteger();

    private final SparkSession spark = SparkTestSession.get();

    /** Fails the first attempt of partition 1 in round 3 and of partition 0 in round 10. */
    private static void failFirstAttempts(int round, int partition, int attempt) {
        if (attempt == 0 && ((round == 3 && partition == 1) || (round == 10 && partition == 0))) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure of round " + round + ", partition " + partition);
        }
    }

    private void checkRetriesChangeNothing(NnjClassifier nn) {
        org.apache.spark.sql.Dataset<Row> train = DigitsFrames.train(spark, 2);
        NnjClassificationModel clean = nn.fit(train);
        INJECTED.set(0);
        NnjClassificationModel retried = nn.copy(new ParamMap()).setTaskHook(RetriedTaskTest::failFirstAttempts)
                .fit(train);
        assertEquals(2, INJECTED.get(), "both injected failures happened (and were retried)");
        assertTrue(DigitsFrames.sameParameters(clean, retried), "retried tasks changed the model");
    }

    @Test
    void synchronousStepsIgnoreAFailedAttempt() {
        checkRetriesChangeNothing(SyncTrainingTest.classifier().setEpochs(1).setBatchSize(64));
    }

    @Test
    void averagingRoundsIgnoreAFailedAttempt() {
        // 23 batches per epoch, rounds of 4 steps: 6 rounds per epoch, rounds 3 and 10 in epochs 1 and 2.
        checkRetriesChangeNothing(SyncTrainingTest.classifier().setEpochs(2).setBatchSize(64)
                .setTrainingMode("average").setAveragingSteps(4));
    }

    @Test
    void conflictingResultsForOnePartitionAreAnErrorNotAnAverage() {
        PartitionResults a = new PartitionResults().add(new PartitionResult(0, 3, 3, new float[][] {{1f}}, null, 0, 0));
        PartitionResults same =
                new PartitionResults().add(new PartitionResult(0, 3, 3, new float[][] {{1f}}, null, 0, 0));
        PartitionResults other =
                new PartitionResults().add(new PartitionResult(0, 3, 3, new float[][] {{2f}}, null, 0, 0));
        a.merge(same);   // a duplicate of the same result counts once
        assertEquals(1, a.partitions());
        assertEquals(3, a.rows());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> a.merge(other));
        assertTrue(e.getMessage().contains("partition 0"), e.getMessage());
    }

    @Test
    void theMeanIsWeightedByRowsAndIndependentOfMergeOrder() {
        PartitionResult p0 = new PartitionResult(0, 1, 1, new float[][] {{0.1f, 3f}}, null, 0, 0);
        PartitionResult p1 = new PartitionResult(1, 2, 2, new float[][] {{0.2f, 6f}}, null, 0, 0);
        PartitionResult p2 = new PartitionResult(2, 3, 3, new float[][] {{0.3f, -1f}}, null, 0, 0);
        float[] forward = new PartitionResults().add(p0).add(p1).add(p2).weightedMeanValues(3)[0];
        float[] backward = new PartitionResults().add(p2).merge(new PartitionResults().add(p1).add(p0))
                .weightedMeanValues(3)[0];
        assertEquals((1 * 0.1 + 2 * 0.2 + 3 * 0.3) / 6, forward[0], 1e-7);
        assertEquals((1 * 3 + 2 * 6 + 3 * -1) / 6.0, forward[1], 1e-7);
        assertEquals(Float.floatToIntBits(forward[0]), Float.floatToIntBits(backward[0]));
        assertEquals(Float.floatToIntBits(forward[1]), Float.floatToIntBits(backward[1]));
    }
}
