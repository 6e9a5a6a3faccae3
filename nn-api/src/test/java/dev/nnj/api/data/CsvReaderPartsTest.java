package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@link CsvReader#readParts}: a file read a part at a time is the file {@link CsvReader#read} reads whole. */
class CsvReaderPartsTest {
    @TempDir
    Path dir;

    /** Rows of a labelled file with a header: class {@code c} appears first in row 20, in a later part. */
    private static String labelled(int rows) {
        StringBuilder sb = new StringBuilder("x1,species,x2\n");
        for (int i = 0; i < rows; i++) {
            String species = i == 20 ? "c" : i % 3 == 0 ? "b" : "a";
            sb.append(i * 0.5).append(',').append(species).append(',').append(-i).append('\n');
            if (i == 9) {
                sb.append('\n');   // a blank line, skipped, still counted in line numbers
            }
        }
        return sb.toString();
    }

    private static List<CsvReader.Table> parts(CsvReader reader, String text, int partRows) {
        List<CsvReader.Table> parts = new ArrayList<>();
        long rows = reader.readParts(new StringReader(text), "f.csv", partRows, parts::add);
        assertEquals(parts.stream().mapToInt(CsvReader.Table::rows).sum(), rows);
        return parts;
    }

    /** The values of the parts, one after the other. */
    private static float[] values(List<CsvReader.Table> parts) {
        int n = parts.stream().mapToInt(t -> t.values().length).sum();
        float[] all = new float[n];
        int at = 0;
        for (CsvReader.Table t : parts) {
            System.arraycopy(t.values(), 0, all, at, t.values().length);
            at += t.values().length;
        }
        return all;
    }

    /** Each row's label by its class name, the parts one after the other. */
    private static List<String> labelNames(List<CsvReader.Table> parts) {
        List<String> names = new ArrayList<>();
        for (CsvReader.Table t : parts) {
            for (int label : t.labels()) {
                names.add(t.classNames()[label]);
            }
        }
        return names;
    }

    @Test
    void partsJoinedAreTheWholeRead() {
        CsvReader reader = CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true);
        String text = labelled(30);
        CsvReader.Table whole = reader.read(new StringReader(text), "f.csv");
        for (int partRows : new int[] {1, 7, 10, 29, 30, 31, 1000}) {
            List<CsvReader.Table> parts = parts(reader, text, partRows);
            assertEquals((30 + partRows - 1) / partRows, parts.size(), "parts of " + partRows);
            for (int p = 0; p < parts.size() - 1; p++) {
                assertEquals(partRows, parts.get(p).rows());
            }
            assertArrayEquals(whole.values(), values(parts));
            assertEquals(labelNames(List.of(whole)), labelNames(parts));
            for (CsvReader.Table t : parts) {
                assertArrayEquals(whole.columnNames(), t.columnNames());
                assertEquals("species", t.labelName());
                assertEquals(2, t.columns());
            }
        }
        // Class names are each part's own, in the order first seen: rows 14..20 hold c, the first part does not.
        List<CsvReader.Table> sevens = parts(reader, text, 7);
        assertEquals(java.util.Set.of("a", "b"), java.util.Set.of(sevens.get(0).classNames()));
        assertEquals(java.util.Set.of("a", "b", "c"), java.util.Set.of(sevens.get(2).classNames()));
        assertArrayEquals(new String[] {"a", "b", "c"}, whole.classNames());
        // Two spellings of one number stay two names in a part: the file's text labels may keep them apart.
        String spelt = "x,y\n1,1\n2,1.0\n3,cat\n";
        List<CsvReader.Table> halves = parts(reader.withLabelColumn("y"), spelt, 2);
        assertArrayEquals(new String[] {"1", "1.0"}, halves.get(0).classNames());
        assertArrayEquals(new String[] {"1", "1.0", "cat"}, reader.withLabelColumn("y")
                .read(new StringReader(spelt), "s.csv").classNames());
    }

    @Test
    void integerLabelsAndAHeaderlessFileToo() {
        String text = "1,2,0\n3,4,1\n5,6,2\n7,8,1\n9,10,0\n";
        CsvReader reader = CsvReader.numeric().withLabelColumn(-1);
        CsvReader.Table whole = reader.read(new StringReader(text), "f.csv");
        List<CsvReader.Table> parts = parts(reader, text, 2);
        assertEquals(3, parts.size());
        assertArrayEquals(whole.values(), values(parts));
        assertArrayEquals(new int[] {2, 1}, parts.get(1).labels());
        assertNull(parts.get(0).columnNames());
    }

    @Test
    void anErrorInALaterPartNamesItsLineInTheFile() {
        String text = labelled(30).replace("\n12.0,", "\n12.0x,");   // data row 25, line 27 (a header, a blank line)
        CsvReader reader = CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true);
        InvalidDataException whole = assertThrows(InvalidDataException.class,
                () -> reader.read(new StringReader(text), "f.csv"));
        List<CsvReader.Table> handed = new ArrayList<>();
        InvalidDataException parts = assertThrows(InvalidDataException.class,
                () -> reader.readParts(new StringReader(text), "f.csv", 7, handed::add));
        assertEquals(whole.getMessage(), parts.getMessage());
        assertTrue(parts.getMessage().startsWith("f.csv line 27, column 1: '12.0x'"), parts.getMessage());
        assertEquals(3, handed.size(), "the parts before the bad row's");
        // A short line too, and no rows at all, as a whole read says them.
        String shortLine = labelled(30).replace("\n13.0,a,-26\n", "\n13.0,a\n");
        assertEquals(assertThrows(InvalidDataException.class,
                () -> reader.read(new StringReader(shortLine), "f.csv")).getMessage(),
                assertThrows(InvalidDataException.class, () -> reader.readParts(new StringReader(shortLine), "f.csv",
                        4, t -> { })).getMessage());
        InvalidDataException none = assertThrows(InvalidDataException.class,
                () -> reader.readParts(new StringReader("x1,species,x2\n\n"), "f.csv", 4, t -> { }));
        assertEquals("f.csv: no data rows after the header", none.getMessage());
    }

    @Test
    void aGzippedFileReadsInPartsAndItsCutIsCountedOverTheFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 2000; i++) {
            sb.append(random.nextInt(1000)).append(',').append(random.nextInt(1000)).append('\n');
        }
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
            gz.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        Path file = dir.resolve("f.csv.gz");
        Files.write(file, packed.toByteArray());
        CsvReader reader = CsvReader.numeric();
        List<CsvReader.Table> parts = new ArrayList<>();
        assertEquals(2000, reader.readParts(file, 300, parts::add));
        assertEquals(7, parts.size());
        assertArrayEquals(reader.read(file).values(), values(parts));
        byte[] cut = Arrays.copyOf(packed.toByteArray(), packed.size() / 2);
        UncheckedIOException whole = assertThrows(UncheckedIOException.class,
                () -> reader.read(new ByteArrayInputStream(cut), "half.csv.gz"));
        List<CsvReader.Table> handed = new ArrayList<>();
        UncheckedIOException inParts = assertThrows(UncheckedIOException.class,
                () -> reader.readParts(new ByteArrayInputStream(cut), "half.csv.gz", 300, handed::add));
        assertEquals(whole.getMessage(), inParts.getMessage());
        assertTrue(inParts.getMessage().startsWith("cannot read half.csv.gz: the data ends early"));
        assertTrue(handed.stream().allMatch(t -> t.rows() == 300), "the last part, up to the cut, is not handed over");
        // UTF-16 is refused from its first bytes, as a whole read refuses it.
        byte[] utf16 = "1,2\n3,4\n".getBytes(StandardCharsets.UTF_16);
        assertEquals(assertThrows(InvalidDataException.class,
                () -> reader.read(new ByteArrayInputStream(utf16), "u.csv")).getMessage(),
                assertThrows(InvalidDataException.class,
                        () -> reader.readParts(new ByteArrayInputStream(utf16), "u.csv", 1, t -> { })).getMessage());
    }

    @Test
    void categoricalColumnsNeedFixedCategories() {
        String text = "color,x,y\nred,1,0\nblue,2,1\ngreen,3,0\nred,4,1\n";
        CsvReader free = CsvReader.numeric().withHeader(true).withLabelColumn("y").withCategoricalColumns("color");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> free.readParts(new StringReader(text), "f.csv", 2, t -> { }));
        assertTrue(e.getMessage().startsWith("categorical column 'color' takes its categories from the file"),
                e.getMessage());
        CsvReader fixed = CsvReader.numeric().withHeader(true).withLabelColumn("y")
                .withCategories("color", List.of("blue", "green", "red"));
        CsvReader.Table whole = fixed.read(new StringReader(text), "f.csv");
        List<CsvReader.Table> parts = parts(fixed, text, 3);
        assertEquals(2, parts.size());
        assertArrayEquals(whole.values(), values(parts));
        assertArrayEquals(whole.columnNames(), parts.get(1).columnNames());
        assertEquals(whole.categories(), parts.get(1).categories());
        // A category the fixed ones lack, in the second part, names its line in the file.
        String other = text + "pink,5,0\n";
        assertEquals(assertThrows(InvalidDataException.class,
                () -> fixed.read(new StringReader(other), "f.csv")).getMessage(),
                assertThrows(InvalidDataException.class,
                        () -> fixed.readParts(new StringReader(other), "f.csv", 2, t -> { })).getMessage());
        assertThrows(IllegalArgumentException.class, () -> fixed.readParts(new StringReader(text), "f.csv", 0,
                t -> { }));
    }

    @Test
    void theCallersExceptionReachesItAsItIs() {
        IllegalArgumentException mine = new InvalidDataException("not the file's");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvReader.numeric().readParts(new StringReader("1,2\n3,4\n5,6\n"), "f.csv", 1, t -> {
                    throw mine;
                }));
        assertSame(mine, e);
    }

    @Test
    void warningsAreSaidOncePerFile() {
        Logger logger = (Logger) LoggerFactory.getLogger(CsvReader.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            // Yes and yes in different parts; NA in the last: one warning of each kind, as a whole read gives.
            StringBuilder sb = new StringBuilder("x,label\n");
            for (int i = 0; i < 12; i++) {
                sb.append(i).append(',').append(i == 1 ? "Yes" : i == 8 ? "yes" : i == 11 ? "NA" : "no").append('\n');
            }
            CsvReader reader = CsvReader.numeric().withHeader(true).withLabelColumn("label").withTextLabels(true);
            reader.read(new StringReader(sb.toString()), "f.csv");
            List<String> whole = messages(log);
            assertEquals(2, whole.size(), whole.toString());
            log.list.clear();
            reader.readParts(new StringReader(sb.toString()), "f.csv", 3, t -> { });
            assertEquals(whole, messages(log));
            // A column float32 flattens, in the first rows of the file though they span parts.
            log.list.clear();
            String flat = "100000001,1\n100000002,2\n100000003,3\n";
            CsvReader.numeric().read(new StringReader(flat), "g.csv");
            List<String> wholeFlat = messages(log);
            assertEquals(1, wholeFlat.size(), wholeFlat.toString());
            log.list.clear();
            CsvReader.numeric().readParts(new StringReader(flat), "g.csv", 1, t -> { });
            assertEquals(wholeFlat, messages(log));
            // 1e2 and 1E2 are one number, not classes alike in case: in one part or several, as a whole read. The
            // whole read, whose one class they are, says so; parts name no classes merged.
            log.list.clear();
            String spelt = "x,label\n1,1e2\n2,1E2\n3,3\n";
            reader.read(new StringReader(spelt), "h.csv");
            assertEquals(List.of("h.csv: " + CsvReader.numberSpellings(new java.util.LinkedHashSet<>(List.of("1e2",
                    "1E2")))), messages(log));
            log.list.clear();
            for (int partRows : new int[] {1, 1000}) {
                reader.readParts(new StringReader(spelt), "h.csv", partRows, t -> { });
            }
            assertEquals(List.of(), messages(log));
            // A file whose labels are matched against other classes (a test file) is not warned of its own.
            reader.withClassWarnings(false).read(new StringReader(spelt), "h.csv");
            reader.withClassWarnings(false).read(new StringReader(sb.toString()), "f.csv");
            assertEquals(List.of(), messages(log));
        } finally {
            logger.detachAppender(log);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
