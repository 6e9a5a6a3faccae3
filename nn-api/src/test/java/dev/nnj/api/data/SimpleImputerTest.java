package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Missing values filled in as scikit-learn's SimpleImputer fills them: from the present values of each column. */
class SimpleImputerTest {
    private static final float NA = Float.NaN;
    /** Three columns of four rows; column 1 misses two values, column 2 one. */
    private static final float[] X = {
        1, NA, 10,
        2, 5, NA,
        4, NA, 30,
        9, 7, 20,
    };

    @Test
    void theMeanAndTheMedianOfThePresentValues() {
        SimpleImputer mean = new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(X, 3);
        assertArrayEquals(new double[] {4, 6, 20}, mean.statistics());
        SimpleImputer median = new SimpleImputer(SimpleImputer.Strategy.MEDIAN).fit(X, 3);
        assertArrayEquals(new double[] {3, 6, 20}, median.statistics(), "an even count: the two middle values' mean");
        assertArrayEquals(new float[] {1, 6, 10, 2, 5, 20, 4, 6, 30, 9, 7, 20}, mean.transform(X, 3));
        assertTrue(Float.isNaN(X[1]), "transform copies");
        assertEquals(3, SimpleImputer.missing(X));
        assertEquals("SimpleImputer[median, 3 columns]", median.toString());
    }

    @Test
    void whatCannotBeFilledInIsRefusedByName() {
        float[] empty = {1, NA, 2, NA};
        InvalidDataException none = assertThrows(InvalidDataException.class,
                () -> new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(empty, 2));
        assertEquals("SimpleImputer.fit: column 1 has no value in any of the 2 rows, so there is nothing to fill it in "
                + "from; leave the column out", none.getMessage());
        InvalidDataException infinite = assertThrows(InvalidDataException.class,
                () -> new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(new float[] {1, Float.POSITIVE_INFINITY}, 1));
        assertTrue(infinite.getMessage().contains("column 0 holds Infinity at row 1"), infinite.getMessage());
        SimpleImputer fitted = new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(X, 3);
        assertThrows(IllegalArgumentException.class, () -> fitted.transform(new float[] {1, 2}, 2));
        assertThrows(IllegalStateException.class,
                () -> new SimpleImputer(SimpleImputer.Strategy.MEAN).transform(X, 3));
        assertThrows(IllegalArgumentException.class, () -> SimpleImputer.fromStatistics(SimpleImputer.Strategy.MEAN,
                new double[] {1, Double.NaN}));
        assertArrayEquals(new float[] {1.5f, 2}, SimpleImputer.fromStatistics(SimpleImputer.Strategy.MEDIAN,
                new double[] {1.5, 3}).transform(new float[] {NA, 2}, 2));
    }

    @Test
    void aReaderReadsMissingValuesAsNaNWhenAsked() {
        String csv = "a,b,y\n1,,0\nNA,2,1\n?,n/a,0\nnan,4,1\n";
        CsvReader reader = CsvReader.numeric().withHeader(true).withLabelColumn("y");
        InvalidDataException refused = assertThrows(InvalidDataException.class,
                () -> reader.read(new StringReader(csv), "m.csv"));
        assertTrue(refused.getMessage().contains("withMissingValues(true)"), refused.getMessage());
        CsvReader.Table t = reader.withMissingValues(true).read(new StringReader(csv), "m.csv");
        float[] v = t.values();
        assertEquals(5, SimpleImputer.missing(v));
        assertEquals(1f, v[0]);
        assertEquals(4f, v[7]);
        Dataset d = t.toDataset();
        assertTrue(d.allowsNonFinite(), "the data set holds the NaN for an imputer");
        Dataset filled = new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(d.features(), 2).transform(d);
        assertArrayEquals(new float[] {1, 3, 1, 2, 1, 3, 1, 4}, filled.features());
        assertThrows(InvalidDataException.class, () -> reader.withMissingValues(true)
                .read(new StringReader("a,b,y\n1,inf,0\n"), "m.csv"), "an infinity is not a missing value");
        assertThrows(InvalidDataException.class, () -> reader.withMissingValues(true)
                .read(new StringReader("a,b,y\n1,2,\n"), "m.csv"), "a missing label stays refused");
        // Excel's #N/A and pandas' <NA> as pandas reads them: missing, not "not a number".
        float[] excel = reader.withMissingValues(true).read(new StringReader("a,b,y\n#N/A,1,0\n2,<NA>,1\n"),
                "x.csv").values();
        assertEquals(2, SimpleImputer.missing(excel));
        InvalidDataException hinted = assertThrows(InvalidDataException.class,
                () -> reader.read(new StringReader("a,b,y\n#N/A,1,0\n"), "x.csv"));
        assertTrue(hinted.getMessage().contains("a missing value?"), hinted.getMessage());
    }
}
