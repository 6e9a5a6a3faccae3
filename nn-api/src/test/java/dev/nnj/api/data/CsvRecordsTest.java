package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The splitter's one-pass path for plain records and its general path must read every record alike: fields,
 * line numbers and the line and column of an error, whatever the mix of records and wherever the input's
 * buffers end.
 */
class CsvRecordsTest {

    /** A reader that hands out a few characters at a time, so that records are cut at every place. */
    private static Reader trickling(String text, long seed) {
        Random random = new Random(seed);
        return new Reader() {
            private int at;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (at == text.length()) {
                    return -1;
                }
                int n = Math.min(Math.min(length, 1 + random.nextInt(5000)), text.length() - at);
                text.getChars(at, at + n, buffer, offset);
                at += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    private record Expected(int line, String[] fields) {
    }

    @Test
    void plainAndGeneralRecordsReadAlikeAcrossBufferEnds() throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder();
        List<Expected> expected = new ArrayList<>();
        int line = 1;
        while (csv.length() < 600_000) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                csv.append(random.nextBoolean() ? "\n" : "  \r\n");   // blank lines are skipped
                line++;
                continue;
            }
            int n = 1 + random.nextInt(40);
            String[] fields = new String[n];
            StringBuilder record = new StringBuilder();
            int lines = 1;
            for (int j = 0; j < n; j++) {
                String value = random.nextInt(20) == 0 ? "" : Integer.toString(random.nextInt(1000) - 300);
                if (random.nextInt(30) == 0) {
                    value = value + "." + random.nextInt(100);
                }
                String written = value;
                switch (kind == 1 ? random.nextInt(4) : 0) {
                    case 1 -> written = "\"" + value + "\"";                      // quoted
                    case 2 -> written = " " + value + "\t";                       // blanks around it
                    case 3 -> {
                        value = value + "\n\"x\"";                                // a line break and a quote inside
                        written = "\"" + value.replace("\"", "\"\"") + "\"";
                        lines++;
                    }
                    default -> { }
                }
                fields[j] = value;
                record.append(j == 0 ? "" : ",").append(written);
            }
            if (n == 1 && fields[0].isEmpty()) {
                continue;   // a record of one empty field is a blank line
            }
            csv.append(record).append(random.nextInt(3) == 0 ? "\r\n" : "\n");
            expected.add(new Expected(line, fields));
            line += lines;
        }
        for (long seed = 0; seed < 3; seed++) {
            Reader input = seed == 0 ? new StringReader(csv.toString()) : trickling(csv.toString(), seed);
            CsvRecords records = new CsvRecords(input, ',', "mixed.csv");
            for (Expected record : expected) {
                assertTrue(records.next(), "record on line " + record.line());
                assertEquals(record.line(), records.recordLine());
                assertArrayEquals(record.fields(), records.fields(), "line " + record.line());
                for (int j = 0; j < record.fields().length; j++) {
                    String slice = new String(records.chars(), records.start(j), records.end(j) - records.start(j));
                    assertEquals(record.fields()[j], slice);
                }
            }
            assertFalse(records.next());
        }
    }

    @Test
    void errorsAfterPlainRecordsNameTheirLineAndColumn() throws IOException {
        String csv = "1,2\n3,4\r\n\n5,6\n7,\"8\"x\n";
        CsvRecords records = new CsvRecords(trickling(csv, 1), ',', "e.csv");
        for (int i = 0; i < 3; i++) {
            assertTrue(records.next());
        }
        InvalidDataException e = assertThrows(InvalidDataException.class, records::next);
        assertEquals("e.csv line 5, character 6: 'x' after the closing quote of a field; expected ',' or the end of "
                + "the line", e.getMessage());
        String nul = "10,20\r\n30,4\u00000\n";
        CsvRecords withNul = new CsvRecords(new StringReader(nul), ',', "n.csv");
        assertTrue(withNul.next());
        InvalidDataException n = assertThrows(InvalidDataException.class, withNul::next);
        assertTrue(n.getMessage().startsWith("n.csv line 2, character 5: a NUL character"), n.getMessage());
    }

    @Test
    void aLineOfBlanksIsSkippedAndFieldsAreStripped() throws IOException {
        CsvRecords records = new CsvRecords(new StringReader("a,b\n\u2003\n 1 ,2\u2003\n"), ',', "b.csv");
        assertTrue(records.next());
        assertArrayEquals(new String[] {"a", "b"}, records.fields());
        assertTrue(records.next());
        assertEquals(3, records.recordLine());
        assertArrayEquals(new String[] {"1", "2"}, records.fields());
        assertFalse(records.next());
    }
}
