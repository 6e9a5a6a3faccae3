package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Columns left out of a read: an identifier, a date or a note beside the features, never parsed. */
class CsvReaderIgnoredColumnsTest {
    private static final String CUSTOMERS = "customer,x1,signed,x2,y\n"
            + "C0001,1.5,2024-01-31,10,yes\n"
            + "C0002,2.5,,20,no\n"
            + "\"Doe, J.\",3.5,31/01/2024,30,yes\n";

    private static CsvReader reader() {
        return CsvReader.numeric().withHeader(true).withLabelColumn("y").withTextLabels(true);
    }

    private static CsvReader.Table read(CsvReader reader, String text) {
        return reader.read(new StringReader(text), "customers.csv");
    }

    @Test
    void ignoredColumnsAreNeitherParsedNorKept() {
        CsvReader.Table t = read(reader().withIgnoredColumns("customer", " signed "), CUSTOMERS);
        assertArrayEquals(new String[] {"x1", "x2"}, t.columnNames());
        assertEquals(2, t.columns());
        assertArrayEquals(new float[] {1.5f, 10, 2.5f, 20, 3.5f, 30}, t.values());
        assertArrayEquals(new String[] {"no", "yes"}, t.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, t.labels());
        assertEquals("y", t.labelName());
    }

    @Test
    void withoutTheOptionTheSameFileIsRefusedAtItsFirstText() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> read(reader(), CUSTOMERS));
        assertTrue(e.getMessage().startsWith("customers.csv line 2, column 1: 'C0001' is not a number"),
                e.getMessage());
        // A word in the first data row is a column of text: the options that read one, by its header name.
        assertTrue(e.getMessage().endsWith("'C0001' is not a number (a column of text? "
                + "withCategoricalColumns(\"customer\") one-hot encodes it, withIgnoredColumns(\"customer\") leaves it "
                + "out)"), e.getMessage());
        // Further down it is a stray value in a column of numbers, said as it is.
        InvalidDataException stray = assertThrows(InvalidDataException.class, () -> read(CsvReader.numeric()
                .withHeader(true).withLabelColumn("y"), "a,b,y\n1,2,0\n3,red,1\n"));
        assertTrue(stray.getMessage().endsWith("line 3, column 2: 'red' is not a number"), stray.getMessage());
    }

    @Test
    void theSameTableAsDroppingANumericColumnAfterTheRead() {
        String text = "id,a,b,y\n1,0.5,7,0\n2,0.25,8,1\n3,0.125,9,0\n";
        CsvReader r = CsvReader.numeric().withHeader(true).withLabelColumn("y");
        CsvReader.Table ignored = read(r.withIgnoredColumns("id"), text);
        CsvReader.Table dropped = read(r, text).withoutColumn("id");
        assertArrayEquals(dropped.values(), ignored.values());
        assertArrayEquals(dropped.columnNames(), ignored.columnNames());
        assertArrayEquals(dropped.labels(), ignored.labels());
    }

    @Test
    void categoricalColumnsExpandAroundAnIgnoredOne() {
        String text = "color,id,size,y\nred,A,1.5,0\nblue,B,2.5,1\n";
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withLabelColumn("y")
                .withCategoricalColumns("color").withIgnoredColumns("id"), text);
        assertArrayEquals(new String[] {"color=blue", "color=red", "size"}, t.columnNames());
        assertArrayEquals(new float[] {0, 1, 1.5f, 1, 0, 2.5f}, t.values());
        assertEquals(Map.of("color", List.of("blue", "red")), t.categories());
    }

    @Test
    void aNameTheHeaderLacksIsRefusedUnlessItMayBeAbsent() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(reader().withIgnoredColumns("customer", "signd"), CUSTOMERS));
        assertEquals("customers.csv line 1: no column named 'signd' to ignore; the header has customer, x1, signed, "
                + "x2, y", e.getMessage());
        CsvReader.Table t = read(reader().withIgnoredColumnsIfPresent("signed", "customer", "row_id"), CUSTOMERS);
        assertArrayEquals(new String[] {"x1", "x2"}, t.columnNames(), "row_id is not there: nothing to leave out");
        assertEquals(List.of("customer", "signed"), t.ignoredColumns(), "the ones left out, in file order");
        assertEquals(List.of(), read(reader(), "a,y\n1,no\n").ignoredColumns());
    }

    @Test
    void theLabelAColumnNamedTwiceAndEveryFeatureAreRefused() {
        assertEquals("customers.csv: 'y' is the label column, which cannot also be ignored",
                assertThrows(InvalidDataException.class,
                        () -> read(reader().withIgnoredColumns("customer", "signed", "y"), CUSTOMERS)).getMessage());
        assertEquals("customers.csv line 1: the header names more than one column 'id'; give each column its own name",
                assertThrows(InvalidDataException.class, () -> read(CsvReader.numeric().withHeader(true)
                        .withIgnoredColumns("id"), "id,x,id\n1,2,3\n")).getMessage());
        assertEquals("customers.csv line 1: every feature column is ignored, which leaves no features",
                assertThrows(InvalidDataException.class, () -> read(reader()
                        .withIgnoredColumns("customer", "x1", "signed", "x2"), CUSTOMERS)).getMessage());
    }

    @Test
    void namesAreCheckedWhenGiven() {
        assertEquals("ignored column 'id' is named twice", assertThrows(IllegalArgumentException.class,
                () -> reader().withIgnoredColumns("id", " id")).getMessage());
        assertEquals("an ignored column's name is blank", assertThrows(IllegalArgumentException.class,
                () -> reader().withIgnoredColumns(" ")).getMessage());
        String both = "column 'color' is both categorical and ignored; a categorical column is read as features, an "
                + "ignored one is left out";
        assertEquals(both, assertThrows(IllegalArgumentException.class,
                () -> reader().withCategoricalColumns("color").withIgnoredColumns("color")).getMessage());
        assertEquals(both, assertThrows(IllegalArgumentException.class,
                () -> reader().withIgnoredColumnsIfPresent("color").withCategoricalColumns("color")).getMessage());
    }

    @Test
    void aFileWithoutAHeaderHasNoNamesToIgnore() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.numeric().withIgnoredColumns("id"), "1,2\n3,4\n"));
        assertEquals("customers.csv: ignored columns are named by the header line, which needs withHeader(true)",
                e.getMessage());
        CsvReader.Table t = read(CsvReader.numeric().withIgnoredColumnsIfPresent("id"), "1,2\n3,4\n");
        assertEquals(2, t.columns(), "columns that may be absent are absent from a file without names");
    }

    @Test
    void rowsOfTheWrongLengthAreStillRefused() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(reader().withIgnoredColumns("customer", "signed"), CUSTOMERS + "C0004,1,2,yes\n"));
        assertEquals("customers.csv line 5 has 4 columns, expected 5 as on line 1", e.getMessage());
    }
}
