package dev.nnj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.metrics.ConfusionMatrix;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.HostTensor;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.OptimizerState;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Public methods given a bad argument say which and why, rather than failing inside with an index or a null the
 * caller never passed; value types compare by value. (Found by reading the API as a new user would.)
 */
class PublicApiArgumentsTest {

    @Test
    void classIndicesOutOfRangeAreNamed() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, new int[] {1, 1}, 2);
        assertEquals(1, m.count(0, 1));
        assertEquals("class 5 is not in [0, 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> m.count(5, 0)).getMessage());
        assertEquals("class -1 is not in [0, 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> m.count(0, -1)).getMessage());
        ClassWeights w = ClassWeights.of(1, 2);
        assertEquals(2f, w.weight(1));
        assertEquals("class 5 is not in [0, 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> w.weight(5)).getMessage());
    }

    @Test
    void aDatasetNamesTheCallThatWasMade() {
        Dataset d = Dataset.ofLabels(new float[] {1, 2, 3}, 1, new int[] {0, 1, 0}, 2);
        assertEquals("subset: order[1] = 7 is not a row of this dataset of 3 rows",
                assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {0, 7})).getMessage());
        assertEquals("loss", assertThrows(NullPointerException.class, () -> d.requireUsableWith("x", null))
                .getMessage());
        d.requireUsableWith("x", LossKind.CATEGORICAL_CROSS_ENTROPY);
    }

    @Test
    void anOptimizerStepOfNoParametersIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Adam().step(null));
        assertEquals("step: argument 'parameters' is null", e.getMessage());
    }

    @Test
    void aReaderRefusesADelimiterThatNumbersAreWrittenWith() {
        for (char c : new char[] {'1', '0', '.', '-', '+', 'e', 'E'}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CsvReader.numeric().withDelimiter(c));
            assertEquals("'" + c + "' cannot be a delimiter: numbers are written with it (a field of 2151 would be "
                    + "split at it)", e.getMessage());
        }
        CsvReader.numeric().withDelimiter('|');
        CsvReader.Table t = CsvReader.numeric().withLabelColumn(-1).read(new StringReader("1,0\n2,1\n"), "t.csv");
        assertEquals("toDataset: classes is 1; a classifier tells at least 2 classes apart",
                assertThrows(IllegalArgumentException.class, () -> t.toDataset(1)).getMessage());
        assertEquals(2, t.toDataset(2).size());
    }

    @Test
    void evaluationsHoldFiguresThatCanBe() {
        assertThrows(IllegalArgumentException.class, () -> new Evaluation(0.5, 0.5, -1));
        assertThrows(IllegalArgumentException.class, () -> new Evaluation(0.5, 7, 10));
        assertEquals("loss=0.5000 (10 samples)", new Evaluation(0.5, Double.NaN, 10).toString());
        assertEquals(new Evaluation(0.5, 1, 3), new Evaluation(0.5, 1, 3));
    }

    @Test
    void hostTensorsAndOptimizerStatesCompareByValue() {
        HostTensor a = HostTensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        HostTensor b = HostTensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, HostTensor.of(new float[] {1, 2, 3, 4}, 4));
        assertNotEquals(a, HostTensor.of(new float[] {1, 2, 3, 5}, 2, 2));

        OptimizerState s = new OptimizerState("Adam", 3, 0.01f, Map.of("w", List.of(new float[] {1, 2})));
        OptimizerState t = new OptimizerState("Adam", 3, 0.01f, Map.of("w", List.of(new float[] {1, 2})));
        assertEquals(s, t);
        assertEquals(s.hashCode(), t.hashCode());
        assertNotEquals(s, new OptimizerState("Adam", 3, 0.01f, Map.of("w", List.of(new float[] {1, 3}))));
        assertNotEquals(s, new OptimizerState("Adam", 4, 0.01f, Map.of("w", List.of(new float[] {1, 2}))));
        assertEquals("OptimizerState[Adam, 3 steps, learning rate 0.01, state of 1 parameter]", s.toString());
    }
}
