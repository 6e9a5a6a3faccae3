package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Labels found by their header name, and labels that are class names rather than integers. */
class CsvReaderTextLabelsTest {
    private static final String IRIS_LIKE = "sepal,\"species\",petal\n5.1,setosa,1.4\n7.0,versicolor,4.7\n"
            + "6.3,virginica,6.0\n4.9,setosa,1.4\n";

    private static CsvReader.Table read(CsvReader reader, String text) {
        return reader.read(new StringReader(text), "iris.csv");
    }

    @Test
    void textLabelsBecomeClassesInSortedOrder() {
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true),
                IRIS_LIKE);
        assertArrayEquals(new String[] {"setosa", "versicolor", "virginica"}, t.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, t.labels());
        assertArrayEquals(new float[] {5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.4f}, t.values());
        assertArrayEquals(new String[] {"sepal", "petal"}, t.columnNames());
        assertEquals("species", t.labelName());
        assertEquals(3, t.toDataset().targetCount());
    }

    @Test
    void numericTextLabelsSortAsNumbersNotAsText() {
        CsvReader.Table t = read(CsvReader.numeric().withLabelColumn(-1).withTextLabels(true),
                "1,10\n2,2\n3,9.5\n4,2\n");
        assertArrayEquals(new String[] {"2", "9.5", "10"}, t.classNames());
        assertArrayEquals(new int[] {2, 0, 1, 0}, t.labels());
    }

    /** 0 and 0.0 (or 2 and 2e0) are one class when every label is a number, named as first spelled. */
    @Test
    void numericTextLabelsOfOneValueAreOneClass() {
        CsvReader.Table t = read(CsvReader.numeric().withLabelColumn(-1).withTextLabels(true),
                "1,1.0\n2,0\n3,2e0\n4,1\n5,0.0\n6,2\n7,-0\n");
        assertArrayEquals(new String[] {"0", "1.0", "2e0"}, t.classNames());
        assertArrayEquals(new int[] {1, 0, 2, 1, 0, 2, 0}, t.labels());
        // Exact values: two integers beyond 2^53, which one double would hold, stay two classes.
        assertArrayEquals(new String[] {"9007199254740992", "9007199254740993"}, read(CsvReader.numeric()
                .withLabelColumn(-1).withTextLabels(true), "1,9007199254740993\n2,9007199254740992\n").classNames());
        // Not when some label is text: then every spelling is its own class, as before.
        assertArrayEquals(new String[] {"1", "1.0", "one"}, read(CsvReader.numeric().withLabelColumn(-1)
                .withTextLabels(true), "1,1.0\n2,one\n3,1\n").classNames());
    }

    @Test
    void aLabelColumnBeyondAOneFieldLineSaysOneColumn() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.numeric().withLabelColumn(4), "5.1  3.5  1.4\n"));
        assertTrue(e.getMessage().endsWith("label column 4 does not exist in a line of 1 column (0, or -1 from the "
                + "end)"), e.getMessage());
    }

    @Test
    void integerLabelsHaveNoClassNames() {
        assertNull(read(CsvReader.numeric().withLabelColumn(-1), "1,0\n2,1\n").classNames());
    }

    /** A header of numbers: the label is found by its name first, by its index when no column has that name. */
    @Test
    void aNumberIsAHeaderNameBeforeAnIndex() {
        String numbered = "1,2,0\n0.5,7,cat\n0.25,8,dog\n";
        CsvReader.Table byName = read(CsvReader.numeric().withHeader(true).withLabelColumn("0").withTextLabels(true),
                numbered);
        assertEquals(List.of("cat", "dog"), List.of(byName.classNames()), "the column named 0 is the last one");
        assertEquals(2, byName.columns(), "two feature columns left");
        CsvReader.Table byIndex = read(CsvReader.numeric().withHeader(true).withLabelColumn("-1")
                .withTextLabels(true), numbered);
        assertEquals(List.of("cat", "dog"), List.of(byIndex.classNames()), "no column is named -1: the last");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withHeader(true).withLabelColumn("7"), numbered));
        assertEquals("iris.csv line 1: no label column named '7', and 7 is not a column's index of its 3 columns (0 to "
                + "2, or -3 to -1 from the end); the header has 1, 2, 0",
                e.getMessage());
    }

    @Test
    void aMissingNameListsTheHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withHeader(true).withLabelColumn("class"), IRIS_LIKE));
        assertEquals("iris.csv line 1: no label column named 'class'; the header has sepal, species, petal",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withLabelColumn("species"), "1,2\n"));
        assertTrue(e.getMessage().contains("needs a header line"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withLabelColumn(0).withTextLabels(true), "a,1\n,2\n"));
        assertEquals("iris.csv line 2, column 1: empty label (a missing value? fill it in or drop the row)",
                e.getMessage());
    }

    /**
     * NaN and infinity as labels are missing values, not classes: {@code 0, 1, NaN} became three classes, the NaN
     * rows trained as a class of their own, without a word. Refused, as an empty label is; a class called
     * {@code nancy} or {@code none} is still a class.
     */
    @Test
    void aLabelThatIsANumberButNotFiniteIsRefused() {
        for (String spelled : new String[] {"NaN", "nan", " -nan", "inf", "-Infinity", "+INF"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(
                    CsvReader.numeric().withLabelColumn(0).withTextLabels(true), "0,1\n1,2\n" + spelled + ",3\n"));
            assertEquals("iris.csv line 3, column 1: label '" + spelled.strip() + "' is a number that is not finite, "
                    + "not a class (a missing value? fill it in or drop the row)", e.getMessage());
        }
        assertEquals(3, read(CsvReader.numeric().withLabelColumn(0).withTextLabels(true),
                "nancy,1\nnone,2\ninfo,3\n").classNames().length);
    }

    @Test
    void withoutTextLabelsAWordIsStillAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withHeader(true).withLabelColumn("species"), IRIS_LIKE));
        assertTrue(e.getMessage().contains("'setosa' is not an integer label"), e.getMessage());
    }

    /** A quoted label is stripped as an unquoted one is: the class ' setosa' is setosa. */
    @Test
    void quotedLabelsAreStrippedAsUnquotedOnesAre() {
        CsvReader.Table t = CsvReader.numeric().withHeader(true).withLabelColumn("y").withTextLabels(true)
                .read(new java.io.StringReader("x,y\n1,\" setosa\"\n2,setosa \n3,\"virginica \"\n"), "l.csv");
        assertArrayEquals(new String[] {"setosa", "virginica"}, t.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, t.labels());
    }

    /** Classes that differ only in case are warned of: one class written two ways trains as two. */
    @Test
    void classesThatDifferOnlyInCaseAreWarnedOf() {
        assertEquals("the label classes 'No' and 'no', 'Yes' and 'yes' differ only in case, so they train as "
                + "different classes; if they are one class, write it one way in the file",
                CsvReader.lookalikeClasses(new String[] {"No", "Yes", "no", "yes"}));
        assertNull(CsvReader.lookalikeClasses(new String[] {"setosa", "versicolor", "virginica"}));
        assertNull(CsvReader.lookalikeClasses(new String[] {"0", "1"}));
    }

    /**
     * One number written two ways is said either way: merged when every label is a number (codes 01 and 1 became one
     * class without a word), kept apart when a text label is among them (1 and 1.0 beside NA became two classes).
     */
    @Test
    void oneNumberWrittenTwoWaysIsWarnedOf() {
        assertEquals("the labels '01' and '1' are one number written differently, so they train as one class, named "
                + "as first written: if they are different classes (codes such as 01 and 1), write them so that they "
                + "are not numbers (a letter in front)",
                CsvReader.numberSpellings(new java.util.LinkedHashSet<>(List.of("01", "010", "1"))));
        assertEquals("the labels '0' and '0.0'; '1', '1.0' and '1e0' are each one number written differently, but as "
                + "the label 'NA' is not a number every label is read as text, and they train as different classes: if "
                + "each group is one class, write it one way in the file",
                CsvReader.numberSpellings(new java.util.LinkedHashSet<>(List.of("0", "1", "1.0", "NA", "0.0", "1e0"))));
        assertNull(CsvReader.numberSpellings(new java.util.LinkedHashSet<>(List.of("0", "1", "2"))));
        assertNull(CsvReader.numberSpellings(new java.util.LinkedHashSet<>(List.of("yes", "no", "1"))));
    }

    /**
     * Java's literal spellings are not numbers, as in a feature column: 1d and 1f are two classes (they were one, 1d),
     * and a file of them is read as text.
     */
    @Test
    void javaLiteralSpellingsAreText() {
        CsvReader.Table t = read(CsvReader.numeric().withLabelColumn(-1).withTextLabels(true),
                "1,1d\n2,1f\n3,2d\n4,1f\n");
        assertArrayEquals(new String[] {"1d", "1f", "2d"}, t.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 1}, t.labels());
        for (String literal : new String[] {"1d", "2F", "0x1p3", "0X10", "1.5D"}) {
            assertNull(CsvReader.numericValue(literal), literal);
        }
        assertEquals(java.math.BigDecimal.valueOf(15, 1), CsvReader.numericValue(" 1.50 "));
    }

    /**
     * A label class that other tools write for a missing value is warned of: a trial's iris with ten labels "NA"
     * trained four classes without a word. Not refused: "NA" may be a class.
     */
    @Test
    void missingValueMarkersAsClassesAreWarnedOf() {
        assertEquals("the label class 'NA' is what other tools write for a missing value (pandas reads it as NaN); "
                + "here it trains as a class of its own: if those rows' labels are missing, fill them in or drop the "
                + "rows", CsvReader.missingLikeClasses(new String[] {"NA", "setosa", "versicolor"}));
        assertEquals("the label classes '?', 'null' are what other tools write for a missing value (pandas reads it "
                + "as NaN); here each trains as a class of its own: if those rows' labels are missing, fill them in "
                + "or drop the rows", CsvReader.missingLikeClasses(new String[] {"?", "a", "null"}));
        assertNull(CsvReader.missingLikeClasses(new String[] {"setosa", "versicolor", "virginica"}));
    }
}
