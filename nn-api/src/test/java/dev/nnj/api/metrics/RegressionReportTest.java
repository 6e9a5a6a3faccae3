package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The figures scikit-learn 1.2.1 gives for the same float32 numbers ({@code mean_squared_error},
 * {@code mean_absolute_error}, {@code r2_score}, the root of each column's MSE averaged), to 1e-12.
 */
class RegressionReportTest {
    /** Six rows of two outputs, drawn once with numpy (seed 7). */
    private static final float[] TARGETS = {0.001230153371579945f, 1.8962366580963135f, -0.27413785457611084f,
        -1.6717755794525146f, -0.454670786857605f, -1.9749395847320557f, 0.0601436011493206f, 5.020645618438721f,
        -0.49220651388168335f, -0.8614246845245361f, 0.4898420572280884f, 2.0706610679626465f};
    private static final float[] PREDICTED = {0.03285442665219307f, 0.019605129957199097f, -0.2829133868217468f,
        -0.6820008754730225f, -0.8579351305961609f, -1.1289312839508057f, -0.5102232098579407f, 0.9533538818359375f,
        -1.0447269678115845f, -0.6910021901130676f, 0.10960811376571655f, 0.4382663071155548f};

    @Test
    void matchesScikitLearn() {
        RegressionReport r = RegressionReport.of(PREDICTED, TARGETS, 2);
        assertEquals(6, r.rows());
        assertEquals(2, r.outputs());
        assertEquals(2.116051891078501, r.meanSquaredError(), 1e-12, "mean_squared_error");
        assertEquals(1.207195987927389, r.rootMeanSquaredError(), 1e-12, "mean of the columns' roots");
        assertEquals(0.9607757402021282, r.meanAbsoluteError(), 1e-12, "mean_absolute_error");
        assertEquals(-0.00628730042251302, r.r2(), 1e-12, "r2_score");
        assertEquals(0.15647903973800872, r.column(0)[0], 1e-12, "column 0's MSE");
        assertEquals(-0.3549210584840661, r.column(0)[3], 1e-12, "column 0's R²");
        assertEquals(0.34234645763904004, r.column(1)[3], 1e-12, "column 1's R²");
        assertTrue(r.toString().contains("output 1") && r.toString().contains("average")
                && r.toString().contains("(6 rows)"), r.toString());
    }

    @Test
    void aConstantColumnHasTheR2ScikitLearnForcesFinite() {
        float[] constant = {2, 2, 2};
        assertEquals(1.0, RegressionReport.of(constant.clone(), constant, 1).r2(), 0, "exact: all explained");
        assertEquals(0.0, RegressionReport.of(new float[] {2.5f, 2.5f, 2.5f}, constant, 1).r2(), 0, "off: none");
        assertArrayEquals(new double[] {0.25, 0.5, 0.5, 0.0}, RegressionReport.of(new float[] {2.5f, 2.5f, 2.5f},
                constant, 1).column(0), 0);
    }

    @Test
    void r2OfFewerThanTwoRowsIsNaNAsScikitLearnGivesIt() {
        // r2_score([5.0], [4.0]) and r2_score([5.0], [5.0]) are both nan ("not well-defined with less than two
        // samples"); the errors are still defined.
        RegressionReport off = RegressionReport.of(new float[] {4}, new float[] {5}, 1);
        assertTrue(Double.isNaN(off.r2()), "one row, off: " + off.r2());
        assertTrue(Double.isNaN(RegressionReport.of(new float[] {5}, new float[] {5}, 1).r2()), "one row, exact");
        assertArrayEquals(new double[] {1, 1, 1}, java.util.Arrays.copyOf(off.column(0), 3), 0);
        RegressionReport twoColumns = RegressionReport.of(new float[] {1, 2}, new float[] {1, 3}, 2);
        assertTrue(Double.isNaN(twoColumns.column(0)[3]) && Double.isNaN(twoColumns.column(1)[3]));
        assertTrue(off.toString().contains("NaN"), off.toString());
        assertEquals(0.0, RegressionReport.of(new float[] {1, 1}, new float[] {2, 2}, 1).r2(), 0,
                "two rows of a constant column: force_finite's 0, not NaN");
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> RegressionReport.of(new float[4], new float[6], 2));
        assertTrue(lengths.getMessage().contains("4 predictions and 6 targets"), lengths.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> RegressionReport.of(new float[] {1, Float.NaN}, new float[2], 1));
        assertEquals("RegressionReport.of: predicted: row 1, column 0 is NaN; values must be finite numbers",
                nan.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> RegressionReport.of(new float[2], new float[2], 1)
                .column(1));
    }
}
