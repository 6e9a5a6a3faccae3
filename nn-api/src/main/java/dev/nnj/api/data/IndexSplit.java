package dev.nnj.api.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A train/test split as two arrays of row indices, and the small text format the project bundles splits
 * in (for example scikit-learn's {@code train_test_split(range(1797), test_size=0.2, random_state=42)},
 * so that a run can use exactly the article's test set):
 * <pre>
 *   # any comment line
 *   train,1734,855,1642,…
 *   test,1245,220,1518,…
 * </pre>
 * One {@code train} line and one {@code test} line, each the word then comma-separated row indices in
 * order; blank lines and lines starting with {@code #} are ignored.
 *
 * The accessors give the record's own arrays, not copies (a split of millions of rows is applied without
 * copying them): change them and the split changes.
 *
 * @param train row indices of the training part, in order
 * @param test  row indices of the test part, in order
 */
public record IndexSplit(int[] train, int[] test) {

    /**
     * Checks that neither part is null.
     *
     * @param train the row indices of the training part
     * @param test the row indices of the test part
     */
    public IndexSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /**
     * Both parts as datasets.
     *
     * @param train the training rows
     * @param test  the held-out rows
     */
    public record Datasets(Dataset train, Dataset test) {
    }

    /**
     * Total number of indices.
     *
     * @return {@code train.length + test.length}
     */
    public int size() {
        return train.length + test.length;
    }

    /**
     * Checks that every index is a row of a {@code rows}-row dataset and that no row is used twice, in
     * either part or across them; throws {@link IllegalArgumentException} naming the first offending index.
     *
     * @param rows the row count of the dataset the split is for
     * @return this split, for chaining
     */
    public IndexSplit validate(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        boolean[] seen = new boolean[rows];
        check(train, "train", rows, seen);
        check(test, "test", rows, seen);
        return this;
    }

    private static void check(int[] part, String name, int rows, boolean[] seen) {
        for (int i = 0; i < part.length; i++) {
            int r = part[i];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException(name + " index " + r + " (entry " + (i + 1)
                        + ") is not a row of a dataset of " + rows + " rows");
            }
            if (seen[r]) {
                throw new IllegalArgumentException(name + " index " + r + " (entry " + (i + 1)
                        + ") is used more than once in the split");
            }
            seen[r] = true;
        }
    }

    /**
     * The two parts of {@code dataset}, rows in the split's order; validates first.
     *
     * @param dataset the dataset to split
     * @return the training and test parts
     */
    public Datasets apply(Dataset dataset) {
        dev.nnj.api.spi.Checks.requireNonNull("apply", "dataset", dataset);
        validate(dataset.size());
        return new Datasets(dataset.subset(train), dataset.subset(test));
    }

    /**
     * Reads a split file.
     *
     * @param file the split file
     * @return the split it holds
     */
    public static IndexSplit read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read split file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a split from a stream (UTF-8), {@code source} naming it in error messages. Closes nothing.
     *
     * @param in the bytes to parse
     * @param source the name used in error messages
     * @return the split it holds
     */
    public static IndexSplit read(InputStream in, String source) {
        return read(new InputStreamReader(in, StandardCharsets.UTF_8), source);
    }

    /**
     * Parses split text.
     *
     * @param text the content of a split file
     * @param source the name used in error messages
     * @return the split it holds
     */
    public static IndexSplit parse(String text, String source) {
        return read(new StringReader(text), source);
    }

    /**
     * Reads a split, {@code source} naming it in error messages ("split.csv line 3: …"). Closes nothing.
     *
     * @param reader the text to parse
     * @param source the name used in error messages
     * @return the split it holds
     */
    public static IndexSplit read(Reader reader, String source) {
        BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
        int[] train = null;
        int[] test = null;
        int lineNo = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split(",", -1);
                String kind = fields[0].strip();
                int[] values = new int[fields.length - 1];
                for (int i = 1; i < fields.length; i++) {
                    String f = fields[i].strip();
                    try {
                        values[i - 1] = Integer.parseInt(f);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(source + " line " + lineNo + ", column " + (i + 1)
                                + ": '" + f + "' is not a row index");
                    }
                }
                if (kind.equals("train")) {
                    if (train != null) {
                        throw new IllegalArgumentException(source + " line " + lineNo + ": a second 'train' line");
                    }
                    train = values;
                } else if (kind.equals("test")) {
                    if (test != null) {
                        throw new IllegalArgumentException(source + " line " + lineNo + ": a second 'test' line");
                    }
                    test = values;
                } else {
                    throw new IllegalArgumentException(source + " line " + lineNo + ": expected a line starting "
                            + "with 'train' or 'test', got '" + abbreviate(kind) + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (train == null || test == null) {
            throw new IllegalArgumentException(source + ": missing the '" + (train == null ? "train" : "test")
                    + "' line");
        }
        return new IndexSplit(train, test);
    }

    /**
     * Writes this split in the format {@link #read} reads, with an optional comment line.
     *
     * @param out where the text goes; not closed
     * @param comment a line written after {@code #}, or null for none
     * @throws IOException if {@code out} fails
     */
    public void write(Writer out, String comment) throws IOException {
        if (comment != null && !comment.isBlank()) {
            out.write("# " + comment.strip().replace('\n', ' ') + "\n");
        }
        writeLine(out, "train", train);
        writeLine(out, "test", test);
        out.flush();
    }

    private static void writeLine(Writer out, String kind, int[] values) throws IOException {
        StringBuilder sb = new StringBuilder(kind);
        for (int v : values) {
            sb.append(',').append(v);
        }
        out.write(sb.append('\n').toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexSplit other && Arrays.equals(train, other.train) && Arrays.equals(test, other.test);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "IndexSplit[" + train.length + " train, " + test.length + " test]";
    }
}
