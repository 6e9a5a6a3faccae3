package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.optim.OptimizerState;
import dev.nnj.api.train.LearningRateFinder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Value records keep what they were checked against and compare by content: a tensor's shape changed after it was
 * built wrote a file its own reader refused; two equal results or progresses were unequal, compared as arrays'
 * identity.
 */
class ValueContractsTest {
    @Test
    void aNamedTensorKeepsTheShapeItWasCheckedAgainst() {
        int[] shape = {2};
        NamedTensor t = new NamedTensor("a", shape, new float[] {1, 2});
        shape[0] = 3;
        t.shape()[0] = 3;
        assertArrayEquals(new int[] {2}, t.shape());
        assertEquals(new NamedTensor("a", new int[] {2}, new float[] {1, 2}), t);
    }

    @Test
    void resultsAndProgressCompareByTheirValues() {
        double[] x = {1e-3, 1e-2};
        assertEquals(new LearningRateFinder.Result(x, x, x, false, 1e-3, 1e-3),
                new LearningRateFinder.Result(x.clone(), x.clone(), x.clone(), false, 1e-3, 1e-3));
        assertEquals(new LearningRateFinder.Result(x, x, x, false, 1e-3, 1e-3).hashCode(),
                new LearningRateFinder.Result(x.clone(), x.clone(), x.clone(), false, 1e-3, 1e-3).hashCode());
        TrainerProgress.Best a = new TrainerProgress.Best("VALIDATION_LOSS", 0.5, 3, 1, Map.of("w", new float[] {1}));
        TrainerProgress.Best b = new TrainerProgress.Best("VALIDATION_LOSS", 0.5, 3, 1, Map.of("w", new float[] {1}));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(!a.equals(new TrainerProgress.Best("VALIDATION_LOSS", 0.5, 3, 1, Map.of("w", new float[] {2}))));
    }

    /** A scaler says what it is, as the imputer does: it printed as MinMaxScaler@33c7353a. */
    @Test
    void scalersSayWhatTheyAre() {
        assertEquals("MinMaxScaler[range (0.0, 1.0), not fitted]", new dev.nnj.api.data.MinMaxScaler().toString());
        assertEquals("StandardScaler[2 columns]",
                new dev.nnj.api.data.StandardScaler().fit(new float[] {1, 2, 3, 5}, 2).toString());
    }

    @Test
    void anOptimizerStateRefusesARateThatIsNotOne() {
        for (float bad : new float[] {Float.NaN, -1f, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new OptimizerState("Adam", 1, bad, Map.of()));
            assertTrue(e.getMessage().contains("the learning rate must be finite and >= 0, got " + bad),
                    e.getMessage());
        }
        assertEquals("OptimizerState: argument 'slots of p' is null", assertThrows(NullPointerException.class,
                () -> new OptimizerState("Adam", 1, 0.1f, java.util.Collections.singletonMap("p", null)))
                .getMessage());
        assertEquals(0f, new OptimizerState("Sgd", 0, 0f, Map.of("p", List.of())).learningRate());
    }
}
