package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    private static final String DIGITS_LIKE = "0,1.5,2,3\n4,5,6e-1,7\n\n8,-9,10,1\n";

    private static CsvReader.Table read(CsvReader reader, String text, String source) {
        return reader.read(new StringReader(text), source);
    }

    /**
     * pandas' {@code DataFrame.to_csv()} writes its index as a first column without a name: it is {@code Unnamed: 0},
     * as pandas reads it back, so that it can be left out by name (an empty name could not be given).
     */
    @Test
    void anEmptyHeaderNameIsNamedByItsPositionAsPandasNamesIt(@TempDir Path dir)
            throws IOException {
        String csv = ",a, ,y\n0,1.5,2,0\n1,2.5,3,1\n";
        CsvReader.Table all = read(CsvReader.numeric().withHeader(true).withLabelColumn("y"), csv, "p.csv");
        assertArrayEquals(new String[] {"Unnamed: 0", "a", "Unnamed: 2"}, all.columnNames());
        CsvReader.Table kept = read(CsvReader.numeric().withHeader(true).withLabelColumn("y")
                .withIgnoredColumns("Unnamed: 0"), csv, "p.csv");
        assertArrayEquals(new String[] {"a", "Unnamed: 2"}, kept.columnNames());
        assertArrayEquals(new float[] {1.5f, 2, 2.5f, 3}, kept.values());
        Path file = Files.writeString(dir.resolve("p.csv"), csv);
        assertEquals(List.of("Unnamed: 0", "a", "Unnamed: 2", "y"), CsvReader.numeric().header(file));
        // It can be the label by that name too; a name the rename repeats is no one column.
        CsvReader.Table byLabel = read(CsvReader.numeric().withHeader(true).withLabelColumn("Unnamed: 0"), csv,
                "p.csv");
        assertArrayEquals(new int[] {0, 1}, byLabel.labels());
        // A header that has the name already (pandas' output read back and written again) gets pandas' next one.
        assertArrayEquals(new String[] {"Unnamed: 0.1", "Unnamed: 0"}, read(CsvReader.numeric().withHeader(true)
                .withLabelColumn("y"), ",Unnamed: 0,y\n1,2,3\n", "twice.csv").columnNames());
        assertEquals(List.of("", "Unnamed: 0"), dev.nnj.api.io.SavedModel.unnamedAsRead(List.of("", "Unnamed: 0"),
                null), "no file names: as the model has them");
        assertEquals(List.of("Unnamed: 0.1", "Unnamed: 0"), dev.nnj.api.io.SavedModel.unnamedAsRead(
                List.of("", "Unnamed: 0"), new String[] {"Unnamed: 0.1", "Unnamed: 0"}));
        // A model saved before the rename expects the empty name itself, which the header still has.
        read(CsvReader.numeric().withHeader(true).withLabelColumn("y").withExpectedColumns(List.of("", "a", "")),
                csv, "p.csv");
        assertEquals(List.of("Unnamed: 0", "a", "Unnamed: 2"), dev.nnj.api.io.SavedModel.unnamedAsRead(
                List.of("", "a", ""), all.columnNames()));
        assertEquals(List.of("Unnamed: 2", "Unnamed: 0"), dev.nnj.api.io.SavedModel.unnamedAsRead(
                List.of("Unnamed: 2", ""), all.columnNames()), "a name the model has is not taken twice");
        // The header line repeated below is still told as such, by its fields as written.
        InvalidDataException again = assertThrows(InvalidDataException.class, () -> read(CsvReader.numeric()
                .withHeader(true).withLabelColumn("y"), csv + ",a, ,y\n", "p.csv"));
        assertTrue(again.getMessage().contains("repeats the header line"), again.getMessage());
    }

    /** pandas' missing-value markers, -nan and -NaN among them (a sign on NaN is none), any case. */
    @Test
    void pandasMissingValueMarkersAreMissing() {
        for (String marker : List.of("", "NA", "N/A", "nan", "NaN", "-nan", "-NaN", "+nan", "#N/A", "None", "null",
                "<NA>")) {
            assertTrue(CsvReader.isMissingValue(marker), marker);
        }
        assertFalse(CsvReader.isMissingValue("-1"));
        CsvReader.Table t = read(CsvReader.numeric().withMissingValues(true).withLabelColumn(-1), "-nan,1\n2,0\n",
                "m.csv");
        assertTrue(Float.isNaN(t.values()[0]));
    }

    /**
     * A test file of text labels read against the training file's classes: its own numbering made 42 class 1 where it
     * lacked class 3, which is 7 in the training file's, and every figure computed from it was wrong without a word.
     */
    @Test
    void aSecondFileOfTextLabelsIsReadAgainstTheFirstFilesClasses() {
        CsvReader reader = CsvReader.numeric().withHeader(true).withLabelColumn("y").withTextLabels(true);
        CsvReader.Table train = read(reader, "x,y\n1,3\n2,7\n3,42\n4,7\n", "train.csv");
        CsvReader.Table test = read(reader, "x,y\n5,42\n6,7.0\n", "test.csv");
        assertArrayEquals(new String[] {"3", "7", "42"}, train.classNames());
        assertArrayEquals(new String[] {"7.0", "42"}, test.classNames(), "its own classes, numbered its own way");
        Dataset d = test.toDataset(train.classNames());
        assertArrayEquals(new int[] {2, 1}, d.labels(), "42 and 7.0 as the training file numbers them");
        assertEquals(3, d.targetCount());
        InvalidDataException unknown = assertThrows(InvalidDataException.class,
                () -> read(reader, "x,y\n5,42\n6,9\n", "new.csv").toDataset(train.classNames()));
        assertEquals("new.csv: data row 2 has label '9', which is not one of the 3 classes 3, 7, 42",
                unknown.getMessage());
        assertThrows(IllegalStateException.class, () -> read(CsvReader.numeric().withHeader(true)
                .withLabelColumn("y"), "x,y\n1,0\n2,1\n", "int.csv").toDataset(new String[] {"0", "1"}));
        assertThrows(IllegalArgumentException.class, () -> test.toDataset(new String[] {"7", "7"}));
        assertEquals("toDataset: class names '7' and '7.0' are the same class", assertThrows(
                IllegalArgumentException.class, () -> test.toDataset(new String[] {"7", "7.0", "42"})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> test.toDataset(new String[] {"7", " "}));
    }

    @Test
    void readsNumbersAndTheLastColumnAsLabels() {
        CsvReader.Table t = read(CsvReader.numeric().withLabelColumn(-1), DIGITS_LIKE, "digits.csv");
        assertEquals(3, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(new float[] {0, 1.5f, 2, 4, 5, 0.6f, 8, -9, 10}, t.values());
        assertArrayEquals(new int[] {3, 7, 1}, t.labels());
        Dataset d = t.toDataset(8);
        assertEquals(8, d.targetCount());
        assertEquals(3, d.size());
        // Labels 3, 7, 1 are not the class indices 0..2: no silent 8-column one-hot, the reason instead.
        InvalidDataException e = assertThrows(InvalidDataException.class, t::toDataset);
        assertTrue(e.getMessage().contains("not the class indices 0..2"), e.getMessage());
        LabelMapping m = t.labelMapping();
        assertEquals("{1→0, 3→1, 7→2}", m.toString());
        Dataset mapped = t.toDataset(m);
        assertEquals(3, mapped.targetCount());
        assertArrayEquals(new int[] {1, 2, 0}, mapped.labels());
    }

    @Test
    void aWeightColumnComesOutOfTheFeaturesByName() {
        String text = "a,w,species,b\n1,0.5,x,2\n3,2,y,4\n5,0,x,6\n";
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true),
                text, "w.csv");
        assertArrayEquals(new float[] {0.5f, 2f, 0f}, t.column(" w "));
        CsvReader.Table features = t.withoutColumn("w");
        assertEquals(2, features.columns());
        assertArrayEquals(new String[] {"a", "b"}, features.columnNames());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, features.values());
        assertArrayEquals(t.labels(), features.labels());
        assertArrayEquals(t.classNames(), features.classNames());
        assertEquals("species", features.labelName());
        // The first and the last column come out as well as a middle one.
        assertArrayEquals(new float[] {0.5f, 2, 2, 4, 0, 6}, t.withoutColumn("a").values());
        assertArrayEquals(new float[] {1, 0.5f, 3, 2, 5, 0}, t.withoutColumn("b").values());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> t.column("weight"));
        assertEquals("w.csv: no feature column named 'weight'; the header has a, w, b", missing.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> t.column("species"));
        assertTrue(label.getMessage().contains("('species' is the label column)"), label.getMessage());
        CsvReader.Table twice = read(CsvReader.numeric().withHeader(true), "w,w\n1,2\n", "twice.csv");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> twice.column("w")).getMessage()
                .contains("the header names more than one column 'w'"));
        CsvReader.Table one = read(CsvReader.numeric().withHeader(true).withLabelColumn("y"), "w,y\n1,0\n", "one.csv");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> one.withoutColumn("w")).getMessage()
                .contains("only feature column"));
        CsvReader.Table noHeader = read(CsvReader.numeric(), "1,2\n", "plain.csv");
        assertThrows(IllegalStateException.class, () -> noHeader.column("w"));
    }

    /** A table read without a header gives and drops its columns by position, as a named one by name. */
    @Test
    void aColumnComesOutByPositionWithoutAHeader() {
        CsvReader.Table t = read(CsvReader.numeric(), "1,0.5,2\n3,2,4\n", "plain.csv");
        assertArrayEquals(new float[] {0.5f, 2}, t.column(1));
        CsvReader.Table rest = t.withoutColumn(1);
        assertEquals(2, rest.columns());
        assertArrayEquals(new float[] {1, 2, 3, 4}, rest.values());
        assertEquals(null, rest.columnNames());
        assertArrayEquals(new float[] {0.5f, 2, 2, 4}, t.withoutColumn(0).values());
        IndexOutOfBoundsException outside = assertThrows(IndexOutOfBoundsException.class, () -> t.column(3));
        assertEquals("plain.csv: no feature column 3; it has 3 (0 to 2)", outside.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.withoutColumn(-1));
        // By position on a named table too: the names follow.
        CsvReader.Table named = read(CsvReader.numeric().withHeader(true), "a,w,b\n1,0.5,2\n", "w.csv");
        assertArrayEquals(new String[] {"a", "b"}, named.withoutColumn(1).columnNames());
    }

    @Test
    void withoutALabelColumnEveryColumnIsAFeature() {
        CsvReader.Table t = read(CsvReader.numeric(), "1,2\n3,4\n", "x.csv");
        assertEquals(2, t.columns());
        assertFalse(t.hasLabels());
        assertThrows(IllegalStateException.class, t::labels);
    }

    @Test
    void headerDelimiterAndAFirstLabelColumn() {
        String text = "label;\"a\";b\n1;0.5;2\n0.0;3;4\n";
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withDelimiter(';').withLabelColumn(0), text, "h.csv");
        assertArrayEquals(new String[] {"a", "b"}, t.columnNames());
        assertEquals("label", t.labelName());
        assertArrayEquals(new int[] {1, 0}, t.labels());
        assertArrayEquals(new float[] {0.5f, 2, 3, 4}, t.values());
        assertNull(read(CsvReader.numeric(), "1\n", "n.csv").columnNames());
    }

    @Test
    void aBadNumberNamesFileLineAndColumn() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < 17; i++) {
            sb.append("1,2,3,4,5,6\n");
        }
        sb.append("1,2,3,4,x,6\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withLabelColumn(-1), sb.toString(), "digits.csv"));
        assertEquals("digits.csv line 17, column 5: 'x' is not a number", e.getMessage());
    }

    @Test
    void columnNamesReadAsDataSuggestAHeader() {
        String hint = "; if line 1 holds column names, read it as a header";
        CsvReader textLabels = CsvReader.numeric().withLabelColumn(-1).withTextLabels(true);
        assertEquals("iris.csv line 1, column 1: 'sepal_length' is not a number" + hint,
                assertThrows(IllegalArgumentException.class, () -> read(textLabels,
                        "sepal_length,species\n5.1,setosa\n", "iris.csv")).getMessage());
        assertEquals("d.csv line 1, column 1: 'label' is not an integer label" + hint,
                assertThrows(IllegalArgumentException.class, () -> read(CsvReader.numeric().withLabelColumn(0),
                        "label,a\n1,2\n", "d.csv")).getMessage());
        assertEquals("d.csv line 1, column 1: empty value, expected a number" + hint,   // pandas' index column
                assertThrows(IllegalArgumentException.class, () -> read(CsvReader.numeric(),
                        ",a,b\n0,1,2\n", "d.csv")).getMessage());
        assertEquals("d.csv line 3, column 2: 'b' is not a number; if line 3 holds column names, read it as a header",
                assertThrows(IllegalArgumentException.class, () -> read(CsvReader.numeric(), "\n\n1,\"b\"\n1,2\n",
                        "d.csv")).getMessage());
        // Not on a later line, nor when the reader reads a header already, nor for a mistyped number (below).
        assertEquals("d.csv line 2, column 1: 'x' is not a number", assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric(), "1,2\nx,3\n", "d.csv")).getMessage());
        // Under a header, a word in the first data row is a column of text: the options that read one.
        assertEquals("d.csv line 2, column 1: 'x' is not a number (a column of text? withCategoricalColumns(\"a\") "
                + "one-hot encodes it, withIgnoredColumns(\"a\") leaves it out)",
                assertThrows(IllegalArgumentException.class, () -> read(CsvReader.numeric().withHeader(true),
                        "a,b\nx,3\n", "d.csv")).getMessage());
    }

    /** A regression's targets are columns taken out of the table: by header name or index, one or several. */
    @Test
    void aRegressionDatasetTakesItsTargetColumnsOut() {
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true), "a,y,b,z\n1,10.5,2,-1\n3,20.25,4,-2\n", "r.csv");
        Dataset d = t.toRegressionDataset("y");
        assertEquals(3, d.featureCount());
        assertEquals(1, d.targetCount());
        assertArrayEquals(new float[] {1, 2, -1, 3, 4, -2}, d.features());
        assertArrayEquals(new float[] {10.5f, 20.25f}, d.targets());
        assertFalse(d.hasLabels());
        Dataset two = t.toRegressionDataset("z", "y");
        assertArrayEquals(new float[] {1, 2, 3, 4}, two.features());
        assertArrayEquals(new float[] {-1, 10.5f, -2, 20.25f}, two.targets(), "targets in the order named");
        Dataset byIndex = t.toRegressionDataset(-1, 1);
        assertArrayEquals(two.targets(), byIndex.targets());
        assertArrayEquals(two.features(), byIndex.features());

        assertEquals("r.csv: no column named 'w'; the header has a, y, b, z",
                assertThrows(IllegalArgumentException.class, () -> t.toRegressionDataset("w")).getMessage());
        assertEquals("r.csv: target column 1 is named twice",
                assertThrows(IllegalArgumentException.class, () -> t.toRegressionDataset(1, -3)).getMessage());
        assertEquals("r.csv: target column 4 does not exist in a table of 4 columns",
                assertThrows(IllegalArgumentException.class, () -> t.toRegressionDataset(4)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.toRegressionDataset(0, 1, 2, 3)).getMessage()
                .contains("leaves no features"));
        CsvReader.Table noHeader = read(CsvReader.numeric(), "1,2\n3,4\n", "n.csv");
        assertTrue(assertThrows(IllegalStateException.class, () -> noHeader.toRegressionDataset("y")).getMessage()
                .contains("without a header"));
        assertArrayEquals(new float[] {2, 4}, noHeader.toRegressionDataset(-1).targets());
        CsvReader.Table labelled = read(CsvReader.numeric().withLabelColumn(-1), "1,2\n3,4\n", "l.csv");
        assertTrue(assertThrows(IllegalStateException.class, () -> labelled.toRegressionDataset(0)).getMessage()
                .contains("withoutLabelColumn()"));
    }

    @Test
    void otherMalformedInputIsNamedPrecisely() {
        CsvReader labelled = CsvReader.numeric().withLabelColumn(-1);
        assertEquals("d.csv line 2, column 3: '3.5' is not an integer label; for a continuous target (a regression), "
                + "read it as a column (no label column) and take it out with toRegressionDataset(2)",
                assertThrows(IllegalArgumentException.class, () -> read(labelled, "1,2,3\n1,2,3.5\n", "d.csv")).getMessage());
        assertEquals("d.csv line 2, column 3: '10.14' is not an integer label; for a continuous target (a "
                + "regression), read it as a column (no label column) and take it out with toRegressionDataset(\"y\")",
                assertThrows(IllegalArgumentException.class, () -> read(CsvReader.numeric().withHeader(true)
                        .withLabelColumn("y"), "a,b,y\n1,2,10.14\n", "d.csv")).getMessage());
        assertEquals("d.csv line 3 has 2 columns, expected 3 as on line 1",
                assertThrows(IllegalArgumentException.class, () -> read(labelled, "1,2,3\n4,5,6\n7,8\n", "d.csv")).getMessage());
        assertEquals("d.csv line 1, column 2: empty value, expected a number (a missing value? fill it in or drop the "
                + "row, or read it as NaN with withMissingValues(true) and fill it in with a SimpleImputer)",
                assertThrows(IllegalArgumentException.class, () -> read(labelled, "1,,3\n", "d.csv")).getMessage());
        assertEquals("d.csv line 1, column 1: '2f' is not a number",
                assertThrows(IllegalArgumentException.class, () -> read(labelled, "2f,1\n", "d.csv")).getMessage());
        assertEquals("d.csv: no data rows",
                assertThrows(IllegalArgumentException.class, () -> read(labelled, "\n\n", "d.csv")).getMessage());
        assertEquals("d.csv: no data rows after the header",
                assertThrows(IllegalArgumentException.class,
                        () -> read(labelled.withHeader(true), "a,b\n", "d.csv")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.numeric().withLabelColumn(5), "1,2\n", "d.csv")).getMessage()
                .contains("label column 5 does not exist"));
    }

    @Test
    void whatAReviewOfRealFilesFoundIsNamed() {
        CsvReader labelled = CsvReader.numeric().withLabelColumn(-1);
        // Markers other tools write for a missing value are called that.
        assertEquals("m.csv line 2, column 2: 'NA' is not a number (a missing value? fill it in or drop the row, or "
                + "read it as NaN with withMissingValues(true) and fill it in with a SimpleImputer)",
                assertThrows(InvalidDataException.class, () -> read(labelled, "1,2,0\n3,NA,1\n", "m.csv")).getMessage());
        // A line of one stray character (a DOS end-of-file byte) shows it, made visible.
        assertEquals("z.csv line 3 has 1 column, '\\u001A', expected 3 as on line 1",
                assertThrows(InvalidDataException.class, () -> read(labelled, "1,2,0\n3,4,1\n\u001a\n", "z.csv"))
                        .getMessage());
        // A value with a line break in it does not break the message's line.
        assertEquals("q.csv line 2, column 1: 'a\\nb' is not a number (a column of text? withCategoricalColumns(\"x\") "
                + "one-hot encodes it, withIgnoredColumns(\"x\") leaves it out)",
                assertThrows(InvalidDataException.class, () -> read(labelled.withHeader(true), "x,y\n\"a\nb\",1\n",
                        "q.csv")).getMessage());
        // Integer labels: Java's suffixes are no more a label than a feature; too large a label says so.
        assertEquals("l.csv line 1, column 2: '3d' is not an integer label",
                assertThrows(InvalidDataException.class, () -> read(labelled, "1,3d\n", "l.csv")).getMessage());
        assertTrue(assertThrows(InvalidDataException.class, () -> read(labelled, "1,2147483648\n", "l.csv"))
                .getMessage().startsWith("l.csv line 1, column 2: label 2147483648 is beyond the range of integer labels"));
        assertEquals(3, read(labelled, "1,3.0\n", "l.csv").labels()[0], "3.0 is still the label 3");
        // A label column named twice in the header is not taken at random.
        assertEquals("d.csv line 1: the label column 'species' is not one column: the header names 2 columns so "
                + "(0-based [2, 4]); name the label column by its index instead",
                assertThrows(InvalidDataException.class, () -> read(CsvReader.numeric().withHeader(true)
                        .withLabelColumn("species"), "x,x,species,y,species\n1,2,3,4,5\n", "d.csv")).getMessage());
        // A missing name lists the header's names whole, up to 30 of them.
        StringBuilder wide = new StringBuilder("feature_number_0");
        for (int j = 1; j < 35; j++) {
            wide.append(",feature_number_").append(j);
        }
        String missing = assertThrows(InvalidDataException.class, () -> read(CsvReader.numeric().withHeader(true)
                .withLabelColumn("label"), wide + "\n" + "1,".repeat(34) + "1\n", "w.csv")).getMessage();
        assertTrue(missing.endsWith("feature_number_28, feature_number_29 and 5 more"), missing);
    }

    /**
     * Text classes and categories sort as numpy and {@code LabelEncoder} sort them, by code point: U+FF5E (a
     * full-width tilde) before U+1F600 (an emoji, a surrogate pair in UTF-16, which {@code String.compareTo} put
     * first, so that the class indices, and predict's columns, were not scikit-learn's).
     */
    @Test
    void textClassesAndCategoriesSortByCodePointAsNumpyDoes() {
        String tilde = "\uFF5E";
        String emoji = new String(Character.toChars(0x1F600));
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withLabelColumn("label").withTextLabels(true),
                "x,label\n1," + emoji + "\n2," + tilde + "\n3,b\n", "u.csv");
        assertArrayEquals(new String[] {"b", tilde, emoji}, t.classNames());
        assertArrayEquals(new int[] {2, 1, 0}, t.labels());
        CsvReader.Table c = read(CsvReader.numeric().withHeader(true).withCategoricalColumns("kind"),
                "kind,y\n" + emoji + ",0\n" + tilde + ",1\nb,0\n", "c.csv");
        assertEquals(java.util.List.of("b", tilde, emoji), c.categories().get("kind"), "OneHotEncoder's order");
    }

    /**
     * A label of more than 100 characters is text: read as an exact decimal, one of 10⁵ digits took 11 s and one of
     * 10⁶ minutes (time quadratic in the digits), enough to stall a service reading an uploaded file.
     */
    @Test
    void aVeryLongNumericLabelIsReadAsTextAtOnce() {
        String hundred = "1." + "0".repeat(98);
        assertEquals(java.math.BigDecimal.ONE, CsvReader.numericValue(hundred), "100 characters: a number");
        assertEquals(null, CsvReader.numericValue(hundred + "0"), "101: text");
        String huge = "1." + "0".repeat(1_000_000);
        long start = System.nanoTime();
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withLabelColumn("label").withTextLabels(true),
                "x,label\n1,2\n2," + huge + "\n3,10\n", "long.csv");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "read in seconds");
        assertArrayEquals(new String[] {huge, "10", "2"}, t.classNames(), "a text among them: all sorted as text");
    }

    @Test
    void whitespaceSeparatedFilesReadAsLoadtxtReadsThem() {
        CsvReader blanks = CsvReader.numeric().withWhitespaceDelimiter().withLabelColumn(-1);
        CsvReader.Table t = read(blanks, "1 2  3 0\n\t4\t5 6   1  \r\n\n   \n  7 8e-1 -9 0\n", "uci.data");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 0.8f, -9}, t.values());
        assertArrayEquals(new int[] {0, 1, 0}, t.labels());
        CsvReader.Table named = read(CsvReader.numeric().withWhitespaceDelimiter().withHeader(true)
                .withLabelColumn("kind").withTextLabels(true), "a b kind\n1 2 \"big cat\"\n3 4 dog\n", "t.txt");
        assertArrayEquals(new String[] {"big cat", "dog"}, named.classNames());
        assertArrayEquals(new String[] {"a", "b"}, named.columnNames());
        assertEquals("w.data line 2 has 2 columns, expected 3 as on line 1", assertThrows(InvalidDataException.class,
                () -> read(blanks, "1 2 0\n3  1\n", "w.data")).getMessage());
        assertEquals("w.data line 1, character 4: 'x' after the closing quote of a field; expected a space, a tab or "
                + "the end of the line", assertThrows(InvalidDataException.class,
                        () -> read(blanks, "\"1\"x 2\n", "w.data")).getMessage());
        assertEquals("w.data line 1 is one field, '1,2,3', without blanks between fields: the file may be separated by "
                + "',' (withDelimiter(','))", assertThrows(InvalidDataException.class,
                        () -> read(CsvReader.numeric().withWhitespaceDelimiter(), "1,2,3\n", "w.data")).getMessage());
        assertTrue(CsvReader.numeric().withWhitespaceDelimiter().toString().contains("delimiter=whitespace"));
    }

    @Test
    void anyRunOfBlanksSeparatesAsOneCommaDoes() {
        java.util.Random random = new java.util.Random(17);
        String[] blanks = {" ", "  ", "\t", " \t ", "\t\t"};
        for (int file = 0; file < 200; file++) {
            int rows = 1 + random.nextInt(50);
            int cols = 1 + random.nextInt(8);
            StringBuilder csv = new StringBuilder();
            StringBuilder spaced = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                if (random.nextInt(5) == 0) {
                    spaced.append(blanks[random.nextInt(blanks.length)]);   // blanks before the first field
                }
                for (int c = 0; c < cols; c++) {
                    String v = random.nextInt(3) == 0 ? Integer.toString(random.nextInt(200) - 100)
                            : Float.toString((float) random.nextGaussian());
                    csv.append(c == 0 ? "" : ",").append(v);
                    spaced.append(c == 0 ? "" : blanks[random.nextInt(blanks.length)]).append(v);
                }
                if (random.nextInt(5) == 0) {
                    spaced.append(blanks[random.nextInt(blanks.length)]);   // and after the last
                }
                csv.append('\n');
                spaced.append(random.nextBoolean() ? "\n" : "\r\n");
            }
            float[] expected = read(CsvReader.numeric(), csv.toString(), "c.csv").values();
            assertArrayEquals(expected, read(CsvReader.numeric().withWhitespaceDelimiter(), spaced.toString(), "s.data")
                    .values(), spaced.toString());
        }
    }

    @Test
    void aGzipStreamCutInItsHeaderIsCalledTruncated() {
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> CsvReader.numeric()
                .read(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b}), "cut.csv.gz"));
        assertEquals("cannot read cut.csv.gz: the data ends early (a truncated or partly copied file?)", e.getMessage());
    }

    /**
     * Cut in its compressed data, GZIPInputStream says "Unexpected end of ZLIB input stream": told in words, with
     * where the data stop (about half of the 2000 rows), not "line 1" of the buffer the decoder lost.
     */
    @Test
    void aGzipStreamCutInItsDataIsCalledTruncated() throws java.io.IOException {
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(packed)) {
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < 2000; i++) {
                gz.write((random.nextInt(1000) + "," + random.nextInt(1000) + "\n").getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        byte[] cut = java.util.Arrays.copyOf(packed.toByteArray(), packed.size() / 2);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> CsvReader.numeric()
                .read(new ByteArrayInputStream(cut), "half.csv.gz"));
        assertTrue(e.getMessage().startsWith("cannot read half.csv.gz: the data ends early (a truncated or partly "
                + "copied file?)"), e.getMessage());
        java.util.regex.Matcher where = java.util.regex.Pattern.compile(
                ", after (\\d+) rows$|; its last line, cut short, reads as: half\\.csv\\.gz line (\\d+)")
                .matcher(e.getMessage());
        assertTrue(where.find(), e.getMessage());
        int at = Integer.parseInt(where.group(1) != null ? where.group(1) : where.group(2));
        assertTrue(at > 500 && at < 2000, "where the data stop: " + e.getMessage());
        // Cut before any data: said so, not "its last line reads as: no data rows".
        byte[] headerOnly = {0x1f, (byte) 0x8b, 0x08, 0x00, 'g', 'a', 'r', 'b', 'a', 'g', 'e'};
        e = assertThrows(java.io.UncheckedIOException.class, () -> CsvReader.numeric()
                .read(new ByteArrayInputStream(headerOnly), "bad.csv.gz"));
        assertEquals("cannot read bad.csv.gz: the data ends early (a truncated or partly copied file?), before any of "
                + "its data (a damaged gzip file?)", e.getMessage());
    }

    /**
     * {@code header} gives the first line's names as the reader splits them, in file order, before columns are left
     * out or one-hot encoded: a column given by position is found in it, in a plain or a gzipped file.
     */
    @Test
    void headerGivesTheFileColumnsInOrderWithoutReadingTheRows(@TempDir Path dir) throws IOException {
        String text = "\uFEFFid; \"note, free\" ;x;color;y\nr1;a;1.5;red;2\nr2;b;not read;blue;3\n";
        Path plain = Files.writeString(dir.resolve("h.csv"), text);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path zipped = Files.write(dir.resolve("h.csv.gz"), bytes.toByteArray());
        CsvReader reader = CsvReader.numeric().withDelimiter(';');
        assertEquals(List.of("id", "note, free", "x", "color", "y"), reader.header(plain));
        assertEquals(reader.header(plain), reader.header(zipped));
        Path commas = Files.writeString(dir.resolve("c.csv"), "a;b,c\n1;2,3\n");
        assertEquals(List.of("a;b", "c"), CsvReader.numeric().header(commas), "split by the reader's own delimiter");
        Path empty = Files.writeString(dir.resolve("e.csv"), "");
        assertEquals("e.csv is empty", assertThrows(InvalidDataException.class, () -> reader.header(empty))
                .getMessage());
    }

    @Test
    void gzipIsDetectedByContentFromFilesAndStreams(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(DIGITS_LIKE.getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("digits.csv.gz");
        Files.write(file, bytes.toByteArray());
        CsvReader reader = CsvReader.numeric().withLabelColumn(-1);
        CsvReader.Table fromFile = reader.read(file);
        assertEquals("digits.csv.gz", fromFile.source());
        assertArrayEquals(new int[] {3, 7, 1}, fromFile.labels());
        CsvReader.Table fromStream = reader.read(new ByteArrayInputStream(bytes.toByteArray()), "s");
        assertArrayEquals(fromFile.values(), fromStream.values());
        Path plain = dir.resolve("plain.csv");
        Files.writeString(plain, DIGITS_LIKE);
        assertArrayEquals(fromFile.values(), reader.read(plain).values());
    }

    @Test
    void errorsInsideAGzipFileNameTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.csv.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write("1,2\n3,oops\n".getBytes(StandardCharsets.UTF_8));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvReader.numeric().read(file));
        assertEquals("bad.csv.gz line 2, column 2: 'oops' is not a number", e.getMessage());
    }

    @Test
    void aMissingOrTruncatedFileIsAnIoError(@TempDir Path dir) throws IOException {
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> CsvReader.numeric().read(dir.resolve("nope.csv")));
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("1,2\n3,4\n5,6\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        UncheckedIOException truncated = assertThrows(UncheckedIOException.class,
                () -> CsvReader.numeric().read(new ByteArrayInputStream(cut), "cut.csv.gz"));
        assertTrue(truncated.getMessage().startsWith("cannot read cut.csv.gz"), truncated.getMessage());
    }

    @Test
    void integerAndDecimalColumnsReadAlike() {
        CsvReader.Table table = CsvReader.numeric().read(new StringReader("1,-0,2.5\n-16,+4,1e1\n"), "mixed.csv");
        assertArrayEquals(new float[] {1f, -0f, 2.5f, -16f, 4f, 10f}, table.values());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(table.values()[1]));
    }
}
