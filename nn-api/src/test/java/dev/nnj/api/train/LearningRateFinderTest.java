package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading the curve (steepest descent, the minimum over 10) and the builder's bounds, without a backend. */
class LearningRateFinderTest {

    /**
     * fast.ai's valley on a curve written out here: noise at the start, a long fall, a blow-up. Its longest
     * decreasing subsequence ends at step 11 and is 10 long, so it starts at 1, and the suggestion is
     * {@code 1 + ⌊10/3⌋ + ⌊10/6⌋ = 5}; fastai.callback.schedule.valley's python gives index 5 for these losses.
     */
    @Test
    void theSuggestionIsHalfWayAlongTheLongestFall() {
        double[] losses = {2.30, 2.35, 2.28, 2.33, 2.20, 2.00, 1.70, 1.40, 1.10, 0.90, 0.80, 0.75, 1.50, 4.00};
        double[] rates = new double[losses.length];
        for (int t = 0; t < rates.length; t++) {
            rates[t] = 1e-5 * Math.pow(10, t / 2.0);
        }
        assertEquals(rates[5], LearningRateFinder.valley(rates, losses), 0);
        assertEquals(rates[11] / 10, LearningRateFinder.minimumOverTen(rates, losses), 0);
        // suggest() leaves out the first tenth asked for and the last five taken: here 2 and 5 of 14.
        double[] mid = java.util.Arrays.copyOfRange(rates, 2, 9);
        double[] midLosses = java.util.Arrays.copyOfRange(losses, 2, 9);
        assertEquals(LearningRateFinder.valley(mid, midLosses), LearningRateFinder.suggest(rates, losses, 20), 0);
        assertTrue(Double.isNaN(LearningRateFinder.valley(new double[0], new double[0])));
        assertTrue(Double.isNaN(LearningRateFinder.minimumOverTen(new double[0], new double[0])));
        assertEquals(3.0, LearningRateFinder.valley(new double[] {3}, new double[] {1}), 0);
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        LearningRateFinder.Builder b = LearningRateFinder.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.range(0, 1)).getMessage()
                .contains("0 < min < max"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.range(1, 1)).getMessage()
                .contains("got [1.0, 1.0]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.range(1e-50, 1)).getMessage()
                .contains("min a float32 above 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.steps(1)).getMessage()
                .contains("steps must be at least 2, got 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.divergenceFactor(1)).getMessage()
                .contains("divergence factor must be a finite number above 1, got 1.0"));
    }
}
