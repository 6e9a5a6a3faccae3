package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The driver's mean of the partitions' results: by the weight each result stands for. */
class PartitionResultsTest {

    private static PartitionResult result(int partition, int rows, double weight, float... values) {
        float[][][] state = {{values.clone()}};
        return new PartitionResult(partition, rows, weight, new float[][] {values}, state, 0, 0);
    }

    @Test
    void theMeanWeighsEachPartitionByItsWeightNotItsRows() {
        // Averaging mode with sample weights: 10 rows of total weight 3 against 10 rows of total weight 1.
        PartitionResults r = new PartitionResults().add(result(0, 10, 3, 1f, 8f)).add(result(1, 10, 1, 5f, 0f));
        assertArrayEquals(new float[] {2f, 6f}, r.weightedMeanValues(2)[0], "(3·v0 + 1·v1) / 4, not (v0 + v1) / 2");
        assertArrayEquals(new float[] {2f, 6f}, r.weightedMeanOptimizerState(2)[0][0], "the optimizer state too");
    }

    @Test
    void aPartitionWhoseRowsAllWeighNothingDoesNotPullTheAverage() {
        // Its model only moved by momentum; by rows it would take half the average.
        PartitionResults r = new PartitionResults().add(result(0, 5, 5, 0.25f, -3f)).add(result(1, 5, 0, 9f, 9f));
        assertArrayEquals(new float[] {0.25f, -3f}, r.weightedMeanValues(2)[0], "exactly partition 0's model");
    }

    @Test
    void withoutSampleWeightsTheWeightIsTheRowsAsBefore() {
        PartitionResults r = new PartitionResults().add(result(0, 1, 1, 0f)).add(result(1, 3, 3, 4f))
                .add(PartitionResult.empty(2));
        assertArrayEquals(new float[] {3f}, r.weightedMeanValues(3)[0]);
        assertEquals(4, r.rows());
    }

    @Test
    void aRoundWhoseRowsAllWeighNothingIsAveragedByRows() {
        PartitionResults r = new PartitionResults().add(result(0, 1, 0, 0f)).add(result(1, 3, 0, 4f));
        assertArrayEquals(new float[] {3f}, r.weightedMeanValues(2)[0], "by rows: (1·0 + 3·4) / 4");
    }

    @Test
    void resultsThatDifferOnlyInWeightAreDifferentResults() {
        assertEquals(false, result(0, 2, 2, 1f).sameAs(result(0, 2, 1.5, 1f)));
        assertEquals(true, result(0, 2, 2, 1f).sameAs(result(0, 2, 2, 1f)));
    }
}
