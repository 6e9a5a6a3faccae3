package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.conformance.Json;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The figures scikit-learn 1.2.1 gives for the same float32 numbers ({@code mean_squared_error},
 * {@code mean_absolute_error}, {@code r2_score}, {@code explained_variance_score}, the root of each column's MSE
 * averaged), without and with {@code sample_weight}, to 1e-12.
 */
class RegressionReportTest {
    private static final double TOLERANCE = 1e-12;
    /** The largest difference from scikit-learn seen in the golden cases, printed after the tests. */
    private static double largest;

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
                && r.toString().contains("(6 rows)") && r.toString().contains("expl_var"), r.toString());
    }

    @Test
    void aConstantColumnHasTheR2ScikitLearnForcesFinite() {
        float[] constant = {2, 2, 2};
        assertEquals(1.0, RegressionReport.of(constant.clone(), constant, 1).r2(), 0, "exact: all explained");
        assertEquals(0.0, RegressionReport.of(new float[] {2.5f, 2.5f, 2.5f}, constant, 1).r2(), 0, "off: none");
        assertArrayEquals(new double[] {0.25, 0.5, 0.5, 0.0, 1.0}, RegressionReport.of(new float[] {2.5f, 2.5f, 2.5f},
                constant, 1).column(0), 0);
    }

    /**
     * A constant column whose mean the sums do not give exactly (a weighted mean of 5.0, a mean of 442 rows of 0.1)
     * still has no variance: R² and explained variance 0 (1 for exact predictions, or equal errors), where the
     * rounding left a "variance" of about 1e-30 and an R² of about −1e27 (a trial: −5.43e27 weighted).
     */
    @Test
    void aConstantColumnStaysConstantThroughTheSumsRounding() {
        double[] weights = {0.1, 0.2, 0.4};
        RegressionReport weighted = RegressionReport.of(new float[] {5.1f, 4.9f, 5f}, new float[] {5, 5, 5}, 1,
                weights);
        assertEquals(0.0, weighted.r2(), 0);
        assertEquals(0.0, weighted.explainedVariance(), 0);
        float[] tenths = new float[442];
        float[] near = new float[442];
        float[] shifted = new float[442];
        for (int i = 0; i < tenths.length; i++) {
            tenths[i] = 0.1f;
            near[i] = 0.1f + (i % 3 - 1) * 0.01f;
            shifted[i] = 0.3f;
        }
        RegressionReport plain = RegressionReport.of(near, tenths, 1);
        assertEquals(0.0, plain.r2(), 0);
        assertEquals(0.0, plain.explainedVariance(), 0);
        RegressionReport offByOne = RegressionReport.of(shifted, tenths, 1);
        assertEquals(0.0, offByOne.r2(), 0, "every prediction off: none explained");
        assertEquals(1.0, offByOne.explainedVariance(), 0, "the errors all equal: their variance 0");
        assertEquals(1.0, RegressionReport.of(tenths.clone(), tenths, 1).r2(), 0, "exact");
        // Errors that differ though their doubles round alike (a verifier's case): their variance is not 0.
        RegressionReport tiny = RegressionReport.of(new float[] {1e-11f, 2e-11f}, new float[] {1e6f, 1e6f}, 1);
        assertEquals(0.0, tiny.explainedVariance(), 0);
        // A row of weight 0 does not make the column vary.
        RegressionReport zeroWeight = RegressionReport.of(new float[] {5.1f, 4.9f, 7f}, new float[] {5, 5, 9}, 1,
                new double[] {0.3, 0.7, 0});
        assertEquals(0.0, zeroWeight.r2(), 0);
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

    private static void near(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE, what);
        largest = Math.max(largest, Math.abs(expected - actual));
    }

    @AfterAll
    static void printLargestDifference() {
        System.out.println("RegressionReportTest: largest difference from scikit-learn " + largest);
    }

    /**
     * Every figure, explained variance included, without and with sample weights, against scikit-learn 1.2.1
     * (golden/regression_golden.json, made by scripts/golden/make_regression_golden.py).
     */
    @Test
    void regressionEqualsScikitLearnsWithAndWithoutSampleWeight() {
        String[] figures = {"mse", "rmse", "mae", "r2"};
        int cases = 0;
        for (Map<String, Object> c : Json.cases("/golden/regression_golden.json")) {
            float[] predicted = Json.floats(c.get("predicted"));
            float[] targets = Json.floats(c.get("targets"));
            int outputs = (int) Json.number(c, "outputs");
            double[] w = Json.doubles(c.get("sample_weight"));
            for (String variant : new String[] {"plain", "weighted"}) {
                String name = Json.string(c, "name") + " " + variant;
                RegressionReport r = RegressionReport.of(predicted, targets, outputs,
                        variant.equals("plain") ? null : w);
                assertEquals(variant.equals("weighted"), r.isWeighted());
                Map<String, Object> g = Json.object(c.get(variant));
                near(Json.number(g, "mse"), r.meanSquaredError(), name + " mean_squared_error");
                near(Json.number(g, "rmse"), r.rootMeanSquaredError(), name + " mean_squared_error(squared=False)");
                near(Json.number(g, "mae"), r.meanAbsoluteError(), name + " mean_absolute_error");
                assertR2(g.get("r2"), r.r2(), name + " r2_score");
                near(Json.number(g, "ev"), r.explainedVariance(), name + " explained_variance_score");
                Map<String, Object> columns = Json.object(g.get("columns"));
                double[] ev = Json.doubles(columns.get("ev"));
                for (int j = 0; j < outputs; j++) {
                    double[] column = r.column(j);
                    for (int f = 0; f < figures.length; f++) {
                        Object expected = Json.array(columns.get(figures[f])).get(j);
                        if (f == 3) {
                            assertR2(expected, column[f], name + " column " + j + " r2");
                        } else {
                            near((Double) expected, column[f], name + " column " + j + " " + figures[f]);
                        }
                    }
                    near(ev[j], r.explainedVariance(j), name + " column " + j + " explained variance");
                    near(ev[j], column[4], name + " column " + j + " explained variance in column(j)");
                }
            }
            cases++;
        }
        assertEquals(5, cases);
    }

    /** scikit-learn's r2_score is NaN for one row; the golden file writes it as null. */
    private static void assertR2(Object expected, double actual, String what) {
        if (expected == null) {
            assertTrue(Double.isNaN(actual), what + ": " + actual);
        } else {
            near((Double) expected, actual, what);
        }
    }

    /** Weights of 1 are no weights: every figure equals the unweighted call's, to the bit. */
    @Test
    void weightsOfOneGiveTheUnweightedFiguresToTheBit() {
        for (Map<String, Object> r : Json.cases("/golden/regression_golden.json")) {
            float[] predicted = Json.floats(r.get("predicted"));
            float[] targets = Json.floats(r.get("targets"));
            int outputs = (int) Json.number(r, "outputs");
            double[] ones = new double[predicted.length / outputs];
            Arrays.fill(ones, 1.0);
            RegressionReport plain = RegressionReport.of(predicted, targets, outputs);
            RegressionReport one = RegressionReport.of(predicted, targets, outputs, ones);
            for (int j = 0; j < outputs; j++) {
                assertArrayEquals(plain.column(j), one.column(j), 0, Json.string(r, "name"));
                assertEquals(plain.explainedVariance(j), one.explainedVariance(j), 0, Json.string(r, "name"));
            }
        }
    }

    /** Worked by hand, so that a wrong golden file could not pass unnoticed. */
    @Test
    void weightedCaseWorkedByHand() {
        // Weighted mean target (1·1 + 3·3) / 4 = 2.5; predictions 1.5 and 3.5, errors 0.5 both:
        // MSE 0.25, R² = 1 − 4·0.25 / (1·2.25 + 3·0.25) = 2/3, explained variance 1 (a constant offset).
        RegressionReport reg = RegressionReport.of(new float[] {1.5f, 3.5f}, new float[] {1, 3}, 1,
                new double[] {1, 3});
        assertEquals(0.25, reg.meanSquaredError(), 0);
        assertEquals(1 - 1.0 / 3, reg.r2(), 1e-15);
        assertEquals(1.0, reg.explainedVariance(), 0);
        assertTrue(reg.toString().contains("(2 rows, weighted)"), reg.toString());
        // explained_variance_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.9571734475374732 (scikit-learn's docs).
        assertEquals(0.9571734475374732, RegressionReport.of(new float[] {2.5f, 0f, 2f, 8f},
                new float[] {3f, -0.5f, 2f, 7f}, 1).explainedVariance(), 1e-15);
    }

    @Test
    void badWeightsAreNamed() {
        float[] s = {0.2f, 0.7f, 0.6f};
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> RegressionReport.of(s, s, 1, new double[4]));
        assertEquals("RegressionReport.of: sampleWeights has 4 entries but there are 3 rows; give one weight per row",
                length.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> RegressionReport.of(s, s, 1, new double[] {1, 1, -2}));
        assertEquals("RegressionReport.of: sampleWeights[2] = -2.0 is not a finite number >= 0", negative.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> RegressionReport.of(s, s, 1, new double[] {0, 0, 0}));
        assertTrue(zero.getMessage().startsWith("RegressionReport.of: all 3 sample weights are 0"), zero.getMessage());
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
