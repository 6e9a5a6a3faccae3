package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The expected values are scikit-learn's, worked out by hand from its formulas (MinMaxScaler:
 * {@code x · scale_ + min_} with {@code scale_ = 1 / (max - min)}, 1 for a constant column;
 * StandardScaler: population standard deviation, 1 for a constant column), on a 3 x 3 table whose middle
 * column is constant.
 */
class ScalerTest {
    //                                 col0  col1  col2
    private static final float[] DATA = {1, -2, 10,
                                         3, -2, 0,
                                         5, -2, 2.5f};

    @Test
    void minMaxMatchesScikitLearnIncludingAConstantColumn() {
        MinMaxScaler s = new MinMaxScaler();
        float[] out = s.fitTransform(DATA, 3);
        assertArrayEquals(new float[] {0, 0, 1,
                                       0.5f, 0, 0,
                                       1, 0, 0.25f}, out, 1e-7f);
        assertArrayEquals(new double[] {1, -2, 0}, s.dataMin());
        assertArrayEquals(new double[] {5, -2, 10}, s.dataMax());
        assertArrayEquals(new double[] {0.25, 1, 0.1}, s.scale(), 1e-15);
        assertArrayEquals(new double[] {-0.25, 2, 0}, s.offset(), 1e-15);
        // Unseen data: no clipping, and the constant column shifts by its minimum only (scale 1).
        assertArrayEquals(new float[] {1.5f, 1, 2}, s.transform(new float[] {7, -1, 20}, 3), 1e-6f);
        assertArrayEquals(DATA, s.inverseTransform(out, 3), 1e-6f);
    }

    @Test
    void minMaxHonoursAFeatureRange() {
        float[] out = new MinMaxScaler(-1, 1).fitTransform(DATA, 3);
        assertArrayEquals(new float[] {-1, -1, 1,
                                       0, -1, -1,
                                       1, -1, -0.5f}, out, 1e-6f);
    }

    @Test
    void minMaxOnRandomDataSpansZeroToOnePerColumn() {
        Random r = new Random(3);
        int rows = 57;
        int cols = 5;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 40 + 7);
        }
        float[] y = new MinMaxScaler().fitTransform(x, cols);
        for (int j = 0; j < cols; j++) {
            float mn = Float.MAX_VALUE;
            float mx = -Float.MAX_VALUE;
            for (int i = 0; i < rows; i++) {
                mn = Math.min(mn, y[i * cols + j]);
                mx = Math.max(mx, y[i * cols + j]);
            }
            assertEquals(0, mn, 1e-6);
            assertEquals(1, mx, 1e-6);
        }
    }

    @Test
    void standardMatchesScikitLearnIncludingAConstantColumn() {
        StandardScaler s = new StandardScaler();
        float[] out = s.fitTransform(DATA, 3);
        assertArrayEquals(new float[] {-1.2247449f, 0, 1.3728129f,
                                       0, 0, -0.9805807f,
                                       1.2247449f, 0, -0.3922323f}, out, 1e-6f);
        assertArrayEquals(new double[] {3, -2, 4.166666666666667}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {8.0 / 3, 0, 18.055555555555554}, s.variance(), 1e-12);
        assertArrayEquals(new double[] {1.632993161855452, 1, 4.249182927993987}, s.scale(), 1e-12);
        assertArrayEquals(DATA, s.inverseTransform(out, 3), 1e-5f);
    }

    /**
     * A restored min-max range that overflows (a file's data_min -1e308 and data_max 1e308, both finite) would scale
     * every value of the column to one constant; refused, naming the column.
     */
    @Test
    void aRestoredMinMaxRangeBeyondTheDoubleRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MinMaxScaler.fromStatistics(0, 1, new double[] {0, -1e308}, new double[] {1, 1e308}));
        assertTrue(e.getMessage().startsWith("column 1: ") && e.getMessage().contains("beyond the double range"),
                e.getMessage());
        MinMaxScaler.fromStatistics(0, 1, new double[] {-3.4e38}, new double[] {3.4e38});   // float32's reach: fine
    }

    /**
     * Restored statistics must agree: the divisor is {@code scale}, so a scale that is not √variance (an unbiased
     * standard deviation written beside a population variance, say) would scale silently otherwise. A fitted
     * scaler's own statistics, a constant column's scale of 1 and float32-rounded values pass.
     */
    @Test
    void restoredStandardStatisticsMustAgree() {
        StandardScaler fitted = new StandardScaler().fit(DATA, 3);
        StandardScaler restored = StandardScaler.fromStatistics(true, true, fitted.mean(), fitted.variance(),
                fitted.scale());
        assertArrayEquals(fitted.transform(DATA, 3), restored.transform(DATA, 3));
        double[] float32 = {(float) fitted.scale()[0], 1, (float) fitted.scale()[2]};
        StandardScaler.fromStatistics(true, true, fitted.mean(), fitted.variance(), float32);
        double[] unbiased = fitted.scale().clone();
        unbiased[2] *= Math.sqrt(3.0 / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardScaler.fromStatistics(true, true, fitted.mean(), fitted.variance(), unbiased));
        assertTrue(e.getMessage().contains("column 2") && e.getMessage().contains("square root of variance"),
                e.getMessage());
        double[] ones = {1, 1, 1};
        assertThrows(IllegalArgumentException.class,
                () -> StandardScaler.fromStatistics(true, true, fitted.mean(), fitted.variance(), ones));
        // Without scaling the divisor is not used, so it is not held to the variance.
        StandardScaler.fromStatistics(true, false, fitted.mean(), fitted.variance(), ones);
    }

    @Test
    void standardWithoutMeanOnlyDivides() {
        float[] out = new StandardScaler(false, true).fitTransform(new float[] {1, 3, 5}, 1);
        assertArrayEquals(new float[] {1 / 1.6329932f, 3 / 1.6329932f, 5 / 1.6329932f}, out, 1e-6f);
    }

    @Test
    void transformInPlaceAndDatasetVariants() {
        Dataset d = Dataset.ofLabels(DATA.clone(), 3, new int[] {0, 1, 0}, 2);
        Dataset scaled = new MinMaxScaler().fitTransform(d);
        assertArrayEquals(new float[] {0, 0, 1, 0.5f, 0, 0, 1, 0, 0.25f}, scaled.features(), 1e-7f);
        assertArrayEquals(DATA, d.features()); // original untouched
        float[] x = DATA.clone();
        new MinMaxScaler().fit(DATA, 3).transformInPlace(x, 3);
        assertArrayEquals(scaled.features(), x);
    }

    @Test
    void misuseFailsClearly() {
        IllegalStateException notFitted = assertThrows(IllegalStateException.class,
                () -> new StandardScaler().transform(DATA, 3));
        assertEquals("StandardScaler is not fitted yet: call fit first", notFitted.getMessage());
        MinMaxScaler s = new MinMaxScaler().fit(DATA, 3);
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                () -> s.transform(new float[] {1, 2}, 2));
        assertEquals("MinMaxScaler was fitted on 3 columns, got data with 2", cols.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> s.transform(new float[4], 3));
        assertTrue(ragged.getMessage().contains("not a whole number of rows"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler().fit(new float[0], 3));
    }

    @Test
    void aRangeThatIsNotFiniteIsRefused() {
        // [-inf, inf] was accepted and scaled every value to NaN.
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MinMaxScaler(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("finite with low < high"), e.getMessage());
    }
}
