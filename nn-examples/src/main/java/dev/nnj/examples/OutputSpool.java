package dev.nnj.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code predict --output}'s CSV gathered a part at a time in a temporary file, so that the heap holds one part's
 * lines, not the file's: a file of millions of rows is scored in the heap its parts need. Nothing reaches the
 * output before the last part is read, as when the CSV was built whole: a late bad row still leaves the output as
 * it was (the caller writes it atomically from {@link #copyTo}, or to standard output), and the temporary file is
 * deleted on {@link #close}, whatever happened.
 *
 * <p>The temporary file lies in {@code java.io.tmpdir} ({@code NNJ_JAVA_OPTS=-Djava.io.tmpdir=DIR} moves it), and
 * takes as much room as the output.
 */
final class OutputSpool implements AutoCloseable {
    private final Path file;
    private final Writer lines;
    private long rows;

    private OutputSpool(Path file, Writer lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * A new spool holding {@code header}, the CSV's first line without its line break.
     *
     * @throws UncheckedIOException saying where it could not be made
     */
    static OutputSpool start(String header) {
        Path file = null;
        try {
            file = Files.createTempFile("nnj-predictions-", ".csv");
            file.toFile().deleteOnExit();   // a Ctrl-C between parts; close() deletes it otherwise
            Writer lines = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
            OutputSpool spool = new OutputSpool(file, lines);
            spool.lines.write(header);
            spool.lines.write('\n');
            return spool;
        } catch (IOException e) {
            deleteQuietly(file);
            throw cannotSpool(e);
        }
    }

    /**
     * Appends a part's lines, each ending in a line break.
     *
     * @param partLines the lines
     * @param partRows  how many there are
     */
    void append(CharSequence partLines, int partRows) {
        try {
            lines.append(partLines);
            rows += partRows;
        } catch (IOException e) {
            throw cannotSpool(e);
        }
    }

    /** The rows appended. */
    long rows() {
        return rows;
    }

    /** Writes the header and every line appended, in order, to {@code to}. */
    void copyTo(Writer to) throws IOException {
        lines.flush();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.transferTo(to);
        }
    }

    /** Deletes the temporary file. */
    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            // Only the file's deletion matters now.
        }
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left to deleteOnExit.
            }
        }
    }

    private static UncheckedIOException cannotSpool(IOException e) {
        return new UncheckedIOException("cannot gather --output's rows in " + System.getProperty("java.io.tmpdir")
                + " (" + Converters.why(e) + "): give it a folder with room, NNJ_JAVA_OPTS=-Djava.io.tmpdir=DIR", e);
    }
}
