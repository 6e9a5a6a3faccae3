package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CSV reader on input that used to be read silently wrong or refused unclearly: quoting, non-finite
 * cells, text in another encoding or no text at all, and label columns that are not class indices. Each case
 * asserts the exception class and the fragments of its message that say where and why.
 */
class CsvReaderBadInputTest {

    private static CsvReader.Table text(CsvReader reader, String csv) {
        return reader.read(new StringReader(csv), "t.csv");
    }

    private static CsvReader.Table bytes(CsvReader reader, byte[] data) {
        return reader.read(new ByteArrayInputStream(data), "b.csv");
    }

    private static InvalidDataException refused(Runnable read, String... fragments) {
        InvalidDataException e = assertThrows(InvalidDataException.class, read::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should mention '" + f + "': " + e.getMessage());
        }
        return e;
    }

    // ---------------------------------------------------------------- RFC 4180 quoting

    /**
     * One endless record is refused at a bound, read a part at a time or whole, where it took the heap: a 3.9 MB
     * gzip of "1," expanding to 4 GB with no line break ran any JVM out of memory, and so did an unclosed quote.
     */
    @Test
    void anEndlessRecordIsRefusedBeforeItTakesTheHeap() {
        String header = "0,0\n1,2\n";
        refused(() -> CsvReader.numeric().readParts(endless(header, "1,"), "bomb.csv", 1024, t -> { }),
                "bomb.csv line 3: a record of more than " + CsvRecords.MAX_FIELDS + " fields");
        refused(() -> CsvReader.numeric().read(endless(header, "1"), "long.csv"),
                "long.csv line 3: a field of more than " + CsvRecords.MAX_FIELD_CHARS + " characters (a closing quote "
                        + "or a line break missing?)");
        refused(() -> CsvReader.numeric().read(endless(header + "\"", "x"), "quote.csv"),
                "quote.csv line 3: a field of more than " + CsvRecords.MAX_FIELD_CHARS + " characters");
        refused(() -> CsvReader.numeric().read(endless(header, "1.2345678901234567890123,"), "wide.csv"),
                "wide.csv line 3: a record of more than " + CsvRecords.MAX_RECORD_CHARS + " characters");
    }

    /**
     * A wide file within the bounds reads: a million columns of full-precision numbers (20 characters each, as pandas
     * writes float64), which the first version of the bounds refused as "a line break missing".
     */
    @Test
    void aMillionColumnsOfFullPrecisionNumbersRead() {
        int columns = 1_000_000;
        StringBuilder row = new StringBuilder(columns * 21);
        for (int j = 0; j < columns; j++) {
            row.append(j == 0 ? "" : ",").append("0.12345678901234567");
        }
        String text = row + "\n" + row + "\n";
        CsvReader.Table t = CsvReader.numeric().read(new StringReader(text), "wide.csv");
        assertEquals(columns, t.columns());
        assertEquals(2, t.rows());
    }

    /** {@code head}, then {@code unit} again and again, for ever (the test's reader stops at the bound). */
    private static java.io.Reader endless(String head, String unit) {
        return new java.io.Reader() {
            private long at;

            @Override
            public int read(char[] cbuf, int off, int len) {
                for (int k = 0; k < len; k++, at++) {
                    cbuf[off + k] = at < head.length() ? head.charAt((int) at)
                            : unit.charAt((int) ((at - head.length()) % unit.length()));
                }
                return len;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void quotedFieldsEscapedQuotesAndDelimitersInsideQuotes() {
        String csv = "\"a,1\",\"b \"\"x\"\"\",label\r\n\"1.5\", 2 ,\"0\"\r\n 3 ,\"4e-1\",1\r\n";
        CsvReader.Table t = text(CsvReader.numeric().withHeader(true).withLabelColumn(-1), csv);
        assertArrayEquals(new String[] {"a,1", "b \"x\""}, t.columnNames());
        assertArrayEquals(new float[] {1.5f, 2, 3, 0.4f}, t.values());
        assertArrayEquals(new int[] {0, 1}, t.labels());
    }

    @Test
    void aLineBreakInsideQuotesBelongsToTheField() {
        CsvReader.Table t = text(CsvReader.numeric().withHeader(true), "\"two\nlines\",b\n1,2\n\n3,4\n");
        assertArrayEquals(new String[] {"two\nlines", "b"}, t.columnNames());
        assertEquals(2, t.rows());
    }

    @Test
    void aFileSeparatedByAnotherCharacterIsRefusedNamingIt() {
        refused(() -> text(CsvReader.numeric().withHeader(true).withLabelColumn("y"), "a;b;y\n1;2;0\n"),
                "t.csv line 1 is one field, 'a;b;y', without a ',' between fields", "separated by ';'",
                "(withDelimiter(';'))");
        refused(() -> text(CsvReader.numeric().withLabelColumn(-1), "1\t2\t0\n3\t4\t1\n"),
                "'1\\t2\\t0'", "separated by '\\t' (withDelimiter('\\t'))");
        refused(() -> text(CsvReader.numeric().withDelimiter(';'), "1,2,0\n3,4,1\n"),
                "without a ';' between fields", "separated by ','");
        // Read with the separator named, the same files are fine.
        CsvReader.Table t = text(CsvReader.numeric().withHeader(true).withDelimiter(';').withLabelColumn("y"),
                "a;b;y\n1;2;0\n3;4;1\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.values());
        assertArrayEquals(new int[] {0, 1}, t.labels());
        // A one-column file is not mistaken for another separator: its values' own errors explain them.
        assertArrayEquals(new float[] {1.5f, 2}, text(CsvReader.numeric(), "1.5\n2\n").values());
        refused(() -> text(CsvReader.numeric().withDelimiter(';'), "1,5\n2\n"), "'1,5' is not a number",
                "decimal comma", "in a file whose fields ';' separates, tr ',' '.' < IN > OUT turns them into points");
    }

    /** A date or a time among numbers says what it looks like, and what a network needs instead. */
    @Test
    void aDateOrATimeIsNamedAsSuch() {
        for (String value : new String[] {"2024-01-31", "31/01/2024", "31.01.24", "14:05", "2024-01-31T14:05:00"}) {
            refused(() -> text(CsvReader.numeric(), "1," + value + "\n"), "'" + value + "' is not a number (a date or "
                    + "a time? a network takes numbers: turn it into one, such as days since a start or the hour, or "
                    + "leave the column out (withIgnoredColumns))");
        }
        refused(() -> text(CsvReader.numeric(), "1,1-2\n"), "'1-2' is not a number");
    }

    /** What spreadsheets and reports write around a number is named, with the number as a CSV spells it. */
    @Test
    void spreadsheetSpellingsOfNumbersAreNamed() {
        String[][] cases = {
            {"\"1,234.5\"", "'1,234.5' is not a number (a thousands separator? numbers have none: 1234.5)"},
            {"\"-1,234,567\"", "(a thousands separator? numbers have none: -1234567)"},
            {"1 234 567", "'1 234 567' is not a number (a thousands separator? numbers have none: 1234567)"},
            {"\"1 234,5\"", "(a thousands separator? numbers have none: 1234.5)"},
            {"1\u00A0234", "(a thousands separator? numbers have none: 1234)"},
            {"1\u202F234.25", "(a thousands separator? numbers have none: 1234.25)"},
            {"1'234", "(a thousands separator? numbers have none: 1234)"},
            {"$5.1", "'$5.1' is not a number (a currency or percent sign? numbers are bare: 5.1)"},
            {"12.5%", "(a currency or percent sign? numbers are bare: 12.5)"},
            {"\u22123", "(U+2212, a typographic minus sign? numbers use '-')"},
            {"4.6\u00A0", "(it holds a no-break space, U+00A0, which looks like a space; spreadsheets write it)"},
        };
        for (String[] c : cases) {
            refused(() -> text(CsvReader.numeric(), "1," + c[0] + "\n"), "t.csv line 1, column 2: ", c[1]);
        }
        refused(() -> text(CsvReader.numeric(), "1,12a\n"), "'12a' is not a number");
        // The same hints for a text read elsewhere (a label column read as text).
        assertEquals(" (a thousands separator? numbers have none: 1234.5)", CsvReader.notANumberHint("1 234,5"));
        assertEquals(" (a currency or percent sign? numbers are bare: 12.5)", CsvReader.notANumberHint("12.5%"));
        assertEquals("", CsvReader.notANumberHint("high"));
    }

    /** A line of separators only, and the header line again, are named as what they are, not as a bad first value. */
    @Test
    void aLineOfSeparatorsAndARepeatedHeaderAreNamed() {
        assertEquals("t.csv line 3 has no values, only 2 separators (a spreadsheet writes such lines below its data); "
                + "delete it", refused(() -> text(CsvReader.numeric(), "1,2,3\n4,5,6\n,,\n")).getMessage());
        assertEquals("t.csv line 4 repeats the header line (files joined after their headers?); delete it",
                refused(() -> text(CsvReader.numeric().withHeader(true).withLabelColumn("y"),
                        "a, b,y\n1,2,0\n3,4,1\na,b ,y\n5,6,0\n")).getMessage());
        refused(() -> text(CsvReader.numeric(), "1,2,3\n4,,\n"), "t.csv line 2, column 2: empty value, expected a "
                + "number (a missing value?");
    }

    @Test
    void aQuotedDecimalCommaIsNamedAsSuch() {
        refused(() -> text(CsvReader.numeric(), "1,\"2,5\"\n"), "t.csv line 1, column 2", "'2,5' is not a number",
                "decimal comma");
    }

    @Test
    void malformedQuotingIsRefusedWithItsPlace() {
        refused(() -> text(CsvReader.numeric(), "1,2\n3,\"4\n"), "line 2, character 3", "never closed");
        refused(() -> text(CsvReader.numeric(), "1,\"2\"x\n"), "line 1", "after the closing quote");
        refused(() -> text(CsvReader.numeric(), "1,2\"3\n"), "line 1", "quote inside an unquoted field");
    }

    @Test
    void lineEndingsOfEveryKindCountLines() {
        refused(() -> text(CsvReader.numeric(), "1,2\r\n3,4\r5,x\n"), "t.csv line 3, column 2", "'x'");
    }

    // ---------------------------------------------------------------- non-finite cells

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NaN|NaN|withMissingValues(true)", "nan|NaN|a missing value?", "Infinity|infinite|withNonFiniteValues(true)",
        "-inf|infinite|withNonFiniteValues(true)", "1e999|beyond the float range|withNonFiniteValues(true)",
        "-3.5e39|beyond|withNonFiniteValues(true)"})
    void nonFiniteCellsAreRefusedWithLineAndColumn(String cell, String what, String wayOut) {
        String csv = "1,2,0\n3," + cell + ",1\n";
        refused(() -> text(CsvReader.numeric().withLabelColumn(-1), csv), "t.csv line 2, column 2", "'" + cell + "'",
                what, wayOut);
    }

    @Test
    void nonFiniteCellsCanBeReadWhenAskedFor() {
        CsvReader.Table t = text(CsvReader.numeric().withLabelColumn(-1).withNonFiniteValues(true),
                "NaN,inf,0\n1e999,-Infinity,1\n");
        assertTrue(Float.isNaN(t.values()[0]));
        assertEquals(Float.POSITIVE_INFINITY, t.values()[1]);
        assertEquals(Float.POSITIVE_INFINITY, t.values()[2]);
        assertEquals(Float.NEGATIVE_INFINITY, t.values()[3]);
        Dataset d = t.toDataset();
        assertTrue(d.allowsNonFinite(), "the data set keeps them, as asked");
        // ...and a data set made without asking refuses them
        refused(() -> new Dataset(t.values(), 2, new float[] {1, 0, 0, 1}, 2), "features: row 0, column 0 is NaN");
    }

    // ---------------------------------------------------------------- encodings and binary input

    private static byte[] encode(String s, Charset cs) {
        return s.getBytes(cs);
    }

    @Test
    void utf16WithAByteOrderMarkIsRecognised() {
        String csv = "1,2\n3,4\n";
        refused(() -> bytes(CsvReader.numeric(), encode("\uFEFF" + csv, StandardCharsets.UTF_16LE)), "b.csv is UTF-16",
                "byte-order mark", "UTF-8");
        refused(() -> bytes(CsvReader.numeric(), encode(csv, StandardCharsets.UTF_16)), "UTF-16", "byte-order mark");
    }

    @Test
    void utf16WithoutAByteOrderMarkIsRecognised() {
        String csv = "1,2\n3,4\n5,6\n";
        refused(() -> bytes(CsvReader.numeric(), encode(csv, StandardCharsets.UTF_16LE)), "UTF-16",
                "without a byte-order mark");
        refused(() -> bytes(CsvReader.numeric(), encode(csv, StandardCharsets.UTF_16BE)), "UTF-16",
                "without a byte-order mark");
    }

    @Test
    void gzippedUtf16IsRecognisedToo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(encode("1,2\n3,4\n", StandardCharsets.UTF_16));
        }
        refused(() -> bytes(CsvReader.numeric(), out.toByteArray()), "(gzipped) is UTF-16");
    }

    @Test
    void binaryInputIsRecognised() {
        byte[] junk = new byte[512];
        new Random(1).nextBytes(junk);
        junk[0] = '1';
        junk[1] = ',';
        junk[10] = 0;
        refused(() -> bytes(CsvReader.numeric(), junk), "binary data", "offset");
    }

    /** xz, zip, bzip2, zstd and 7z files by their first bytes: each says what it is and what unpacks it. */
    @Test
    void compressedInputOtherThanGzipSaysHowToUnpackIt() {
        int[][] magic = {{0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00}, {0x50, 0x4B, 0x03, 0x04},
            {0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59}, {0x28, 0xB5, 0x2F, 0xFD},
            {0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C}};
        String[][] said = {{"xz-compressed data", "xzcat"}, {"a ZIP archive", "unzip -p"},
            {"bzip2-compressed data", "bzcat"}, {"zstd-compressed data", "zstdcat"}, {"a 7z archive", "7z x -so"}};
        for (int k = 0; k < magic.length; k++) {
            byte[] file = new byte[64];
            new Random(k).nextBytes(file);
            for (int i = 0; i < magic[k].length; i++) {
                file[i] = (byte) magic[k][i];
            }
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> bytes(CsvReader.numeric(), file));
            assertEquals("b.csv is " + said[k][0] + ", which is not read as it is (only gzip is): decompress it "
                    + "first, e.g. with " + said[k][1], e.getMessage());
        }
        // bzip2's "BZh" alone is text a header may start with: read as the CSV it is.
        assertEquals(2, text(CsvReader.numeric().withHeader(true), "BZh,b\n1,2\n3,4\n").rows());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLine() {
        byte[] latin1 = "1,2\n3,4\n5,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        refused(() -> bytes(CsvReader.numeric(), latin1), "b.csv line 3", "not UTF-8");
    }

    @Test
    void aNulCharacterInTextIsRefused() {
        refused(() -> text(CsvReader.numeric(), "1,2\n3,\u00004\n"), "line 2", "NUL", "UTF-16");
    }

    @Test
    void aUtf8ByteOrderMarkIsFine() {
        CsvReader.Table t = bytes(CsvReader.numeric(), encode("\uFEFF1,2\n", StandardCharsets.UTF_8));
        assertArrayEquals(new float[] {1, 2}, t.values());
    }

    // ---------------------------------------------------------------- label columns

    /** Text labels, a different one on each of 120 rows: an ID column, refused as numeric IDs are. */
    @Test
    void textLabelsThatDifferOnEveryRowAreAnIdColumn() {
        StringBuilder csv = new StringBuilder("id,x\n");
        for (int i = 0; i < 120; i++) {
            csv.append("user-").append(i).append(',').append(i % 7).append('\n');
        }
        CsvReader.Table t = text(CsvReader.numeric().withHeader(true).withLabelColumn("id").withTextLabels(true),
                csv.toString());
        InvalidDataException e = refused(t::toDataset, "every one of the 120 rows has a different label",
                "looks like an ID column");
        assertTrue(!e.getMessage().contains("largest label"), "text labels have no largest: " + e.getMessage());
    }

    /** The label column taken out as classes, then named as the regression's target: the reason, not "no column". */
    @Test
    void aRegressionOfTheLabelColumnSaysItWasReadAsTheLabel() {
        CsvReader.Table t = text(CsvReader.numeric().withHeader(true).withLabelColumn("target"),
                "age,target\n50,151\n60,75\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.toRegressionDataset("target"));
        assertTrue(e.getMessage().contains("was read with a label column ('target')"), e.getMessage());
        assertTrue(e.getMessage().contains("withoutLabelColumn()"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.toRegressionDataset("age"));
        assertThrows(IllegalStateException.class, () -> t.toRegressionDataset(-1));
    }

    @Test
    void labelsOneToThreeAreNotFourOneHotColumns() {
        CsvReader.Table t = text(CsvReader.numeric().withLabelColumn(-1), "0.1,1\n0.2,2\n0.3,3\n0.4,1\n");
        refused(t::toDataset, "distinct values from 1 to 3", "not the class indices 0..2", "4 one-hot columns",
                "1 of them never used", "{1→0, 2→1, 3→2}", "if they are values to predict (a regression)",
                "toRegressionDataset(name)");
        LabelMapping m = t.labelMapping();
        Dataset d = t.toDataset(m);
        assertEquals(3, d.targetCount());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertEquals(3, m.labelOf(2), "read a class back as the file's label");
        assertEquals(3, t.toDataset(4).targetCount() - 1, "an explicit class count is taken as given");
    }

    @Test
    void negativeLabelsAreMappedOrRefusedWithTheReason() {
        CsvReader.Table t = text(CsvReader.numeric().withLabelColumn(0), "-1,5\n1,6\n");
        refused(t::toDataset, "from -1 to 1");
        assertEquals("{-1→0, 1→1}", t.labelMapping().toString());
        refused(() -> t.toDataset(2), "data row 1 has label -1", "[0, 2)");
    }

    @Test
    void aHugeLabelIsRefusedQuicklyAsAnIdColumn() {
        CsvReader.Table t = text(CsvReader.numeric().withLabelColumn(-1), "0.5,1\n0.25,999999999\n");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            refused(t::toDataset, "1000000000 classes", "largest label 999999999", "looks like an ID column");
        });
    }

    @Test
    void anIdColumnAsLabelsIsRefusedBeforeAnyOneHotTableIsBuilt() {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            csv.append(i).append(',').append(String.format(Locale.ROOT, "%.3f", i / 10_000.0)).append('\n');
        }
        CsvReader.Table t = text(CsvReader.numeric().withLabelColumn(0), csv.toString());
        refused(t::toDataset, "every one of the 10000 rows has a different label", "looks like an ID column");
        refused(t::labelMapping, "looks like an ID column");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            ids.append(i * 7 % 20_000).append(",1\n");
        }
        refused(text(CsvReader.numeric().withLabelColumn(0), ids.toString())::toDataset, "20000 classes",
                "more than 10000", "ID column");
    }
}
