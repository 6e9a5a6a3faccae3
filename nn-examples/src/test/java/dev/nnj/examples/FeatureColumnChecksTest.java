package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.examples.DataOptions.Scaler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warnings of feature columns that scaling wipes out, and the silence on ordinary ones. */
class FeatureColumnChecksTest {

    /** 200 rows of three columns: x normal, y normal, z set per case. */
    private static float[] rows(java.util.function.IntToDoubleFunction z) {
        Random r = new Random(1);
        float[] x = new float[200 * 3];
        for (int i = 0; i < 200; i++) {
            x[i * 3] = (float) r.nextGaussian();
            x[i * 3 + 1] = (float) r.nextGaussian();
            x[i * 3 + 2] = (float) z.applyAsDouble(i);
        }
        return x;
    }

    private static String warnings(float[] x, Scaler scaler) {
        StringWriter out = new StringWriter();
        FeatureColumnChecks.warn(x, 3, new String[] {"x", "y", "z"}, scaler, new PrintWriter(out));
        return out.toString();
    }

    private static String rowNumberWarnings(float[] x) {
        StringWriter out = new StringWriter();
        FeatureColumnChecks.warnOfRowNumbers(x, 3, new String[] {"x", "y", "z"}, new PrintWriter(out));
        return out.toString();
    }

    /** An ID column counting the rows is named; a sorted measurement, a shuffled ID or a short file are not. */
    @Test
    void aColumnThatNumbersTheRowsIsNamed() {
        assertEquals("digits: warning: 'z' (1001 to 1399) counts the rows down the file, as a row number does: it "
                + "tells the model only where a row sits, and in a file sorted by class it gives the labels away; if "
                + "it is an ID, leave it out with --ignore z\n", rowNumberWarnings(rows(i -> 1001 + 2 * i)).replace(
                        System.lineSeparator(), "\n"));
        StringWriter unnamed = new StringWriter();
        FeatureColumnChecks.warnOfRowNumbers(rows(i -> 1001 + 2 * i), 3, null, new PrintWriter(unnamed));
        assertTrue(unnamed.toString().contains("column 2 (1001 to 1399) counts the rows down the file")
                && unnamed.toString().contains("remove it from the file (with a header line, --ignore leaves a "
                + "column out)"), unnamed.toString());
        assertTrue(rowNumberWarnings(rows(i -> 500 - 2 * i)).contains("'z' (500 to 102) counts the rows"),
                "falling too");
        assertEquals("", rowNumberWarnings(rows(i -> i * 0.5)), "a sorted measurement: not whole numbers");
        assertEquals("", rowNumberWarnings(rows(i -> i * i)), "whole numbers, but too far apart for row numbers");
        assertEquals("", rowNumberWarnings(rows(i -> (i * 37) % 200)), "an ID in another order");
        assertEquals("", rowNumberWarnings(rows(i -> i / 2)), "repeated values: not strictly rising");
        float[] short10 = java.util.Arrays.copyOf(rows(i -> i), 10 * 3);
        assertEquals("", rowNumberWarnings(short10), "ten rows prove nothing");
    }

    @Test
    void ordinaryColumnsAConstantOneAndASparseOneAreLeftAlone() {
        assertEquals("", warnings(rows(i -> i * 0.5), Scaler.MINMAX));
        assertEquals("", warnings(rows(i -> 7), Scaler.MINMAX), "one constant column among others");
        assertEquals("", warnings(rows(i -> i == 3 ? 1e9 : 0), Scaler.MINMAX), "mostly one value: not judged");
    }

    @Test
    void aRangeDominatedByOneValueIsNamed() {
        String w = warnings(rows(i -> i == 17 ? 1e30 : Math.sin(i)), Scaler.STANDARD);
        assertTrue(w.startsWith("digits: warning: a few values dominate the range of 'z' (from "), w);
        assertTrue(w.contains("look for a mistyped or sentinel value"), w);
        assertTrue(!warnings(rows(i -> i == 17 ? 1e30 : Math.sin(i)), Scaler.NONE).contains("dominate"),
                "not scaled: not squeezed");
    }

    /**
     * A regression target with a stray 1e30 is warned of as a feature column is (a trial's file trained without a
     * word, and printed R2 as 56 digits); an ordinary target is not. R2 in exponent form once it is that large.
     */
    @Test
    void aTargetDominatedByOneValueIsNamedAndItsScoresStayReadable() {
        float[] y = new float[100];
        for (int i = 0; i < y.length; i++) {
            y[i] = i == 40 ? 1e30f : (float) Math.sin(i);
        }
        dev.nnj.api.data.Dataset rows = new dev.nnj.api.data.Dataset(new float[100], 1, y, 1);
        java.util.List<String> w = RegressionTargets.fit(java.util.List.of("'y'"), rows, null, rows).warnings();
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("a few values dominate the range of target 'y' (from -1.000 to 1.000e+30, "),
                w.get(0));
        y[40] = 0.5f;
        assertEquals(java.util.List.of(), RegressionTargets.fit(java.util.List.of("'y'"), rows, null, rows)
                .warnings());

        assertEquals("0.8712", RegressionResults.score(0.87123));
        assertEquals("-12345.6700", RegressionResults.score(-12345.67));
        assertEquals("-6.4713e+55", RegressionResults.score(-6.4713e55));
        assertEquals("NaN", RegressionResults.score(Double.NaN));
        assertEquals("mean 0.5000 +/- 0.5000 (std, ddof 0)  min 0.0000  max 1.0000",
                CrossValidation.spread(new double[] {0, 1}));
        assertTrue(CrossValidation.spread(new double[] {0.5, -6e55}).startsWith("mean -3.0000e+55"),
                CrossValidation.spread(new double[] {0.5, -6e55}));
        // The table's columns stay aligned when a score takes exponent form.
        dev.nnj.api.metrics.RegressionReport far = dev.nnj.api.metrics.RegressionReport.of(
                new float[] {1e3f, -1e3f, 0}, new float[] {0, 0, 1e-3f}, 1);
        assertEquals("-3.0000e+12", RegressionResults.score(far.r2()), "the case under test: exponent form");
        String[] lines = RegressionResults.table(far, far).split("\\R");
        assertEquals(lines[0].length(), lines[1].length(), String.join("\n", lines));
        assertEquals(lines[0].indexOf("expl_var") + "expl_var".length(), lines[1].length(), String.join("\n", lines));
    }

    /**
     * With --scaler none a column far from unit scale (the library's rule: mean or standard deviation beyond 300) is
     * named with the option that scales it; one near unit scale is not.
     */
    @Test
    void anUnscaledColumnFarFromUnitScaleNamesTheScalerOption() {
        assertEquals("digits: warning: with --scaler none, feature 'z' has mean 5.000e+05 and standard deviation "
                + "57.73, far from unit scale, which trains poorly or diverges: leave --scaler out (minmax) or give "
                + "--scaler standard\n", warnings(rows(i -> 500_000 + (i % 200) - 99.5), Scaler.NONE)
                .replace(System.lineSeparator(), "\n"));
        assertEquals("", warnings(rows(i -> Math.sin(i)), Scaler.NONE));
        assertEquals("", warnings(rows(i -> 500_000 + (i % 200) - 99.5), Scaler.STANDARD), "scaled: nothing to say");
    }

    /** Ages of 18 to 90 with a -999999 "missing" code: the sentinel the warning names is caught. */
    @Test
    void aSentinelMissingCodeIsNamed() {
        String w = warnings(rows(i -> i == 5 ? -999999 : 18 + i % 73), Scaler.MINMAX);
        assertTrue(w.startsWith("digits: warning: a few values dominate the range of 'z' (from -1.000e+06 to 90"), w);
        assertEquals("", warnings(rows(i -> Math.exp(4 * Math.sin(i * 0.37) + 3 * Math.cos(i * 1.1))),
                Scaler.MINMAX), "a heavy tail, e^7 over e^-7, is left alone");
    }

    @Test
    void aRangeMinMaxTakesForConstantIsNamedWithTheWayOut() {
        String w = warnings(rows(i -> i * 1e-30), Scaler.MINMAX);
        assertTrue(w.startsWith("digits: warning: min-max scaling takes 'z' (range 1.99e-28) for constant"), w);
        assertTrue(w.contains("use --scaler standard"), w);
        assertEquals("", warnings(rows(i -> i * 1e-30), Scaler.STANDARD), "standard scaling keeps it");
    }

    @Test
    void everyColumnConstantIsWarnedOf() {
        float[] x = new float[10 * 3];
        java.util.Arrays.fill(x, 2f);
        String w = warnings(x, Scaler.MINMAX);
        assertTrue(w.startsWith("digits: warning: every feature column holds one value in all 10 training rows"), w);
    }
}
