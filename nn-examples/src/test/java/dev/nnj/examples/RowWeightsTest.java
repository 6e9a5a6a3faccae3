package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RowWeightsTest {
    @Test
    void numbersKeepFourSignificantDigitsAndDropOnlyTrailingZerosAfterThePoint() {
        assertEquals("0.5291", RowWeights.number(0.52911));
        assertEquals("9.091", RowWeights.number(9.0909));
        assertEquals("1", RowWeights.number(1));
        assertEquals("0.5", RowWeights.number(0.5));
        assertEquals("10", RowWeights.number(10));
        assertEquals("100", RowWeights.number(100));
        assertEquals("1000", RowWeights.number(1000));
        assertEquals("1.235e+04", RowWeights.number(12345));
        assertEquals("1e-05", RowWeights.number(1e-5));
        assertEquals("2.5e+06", RowWeights.number(2.5e6));
    }

    @Test
    void theDescriptionGivesTheTrainingRowsRangeAndMean() {
        assertEquals("  row weights from column 'w' (training rows: 0.5 to 1000, mean 333.8); the losses shown stay "
                + "unweighted", RowWeights.describe(" w ", new float[] {0.5f, 1000f, 1f}));
    }
}
