package dev.nnj.examples;

import dev.nnj.api.io.AtomicFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code predict --output}'s CSV written a part at a time, so that the heap holds one part's lines, not the file's:
 * a file of millions of rows is scored in the heap its parts need. Nothing reaches the output before the last part
 * is read, as when the CSV was built whole, so a late bad row leaves the output as it was:
 * <ul>
 *   <li>a file is written through {@link AtomicFile#begin}: the lines go to its temporary file beside it, renamed
 *       over it by {@link #commit} (a killed run's temporary file is swept as every atomic write's is);</li>
 *   <li>standard output, a device or a pipe, which show what they are given at once, get the lines from a spool in
 *       {@code java.io.tmpdir} ({@code NNJ_JAVA_OPTS=-Djava.io.tmpdir=DIR} moves it), copied by {@link #copyTo}
 *       after the last part; it takes as much room as the output, and has no name from its first line on (unlinked,
 *       kept open), so that its room goes back when the process ends, however it ends.</li>
 * </ul>
 * Nothing is created before the first part's lines come: a command line refused on the file's header is refused as
 * it was, whatever the temporary folder. A write that fails (a full disk) drops the lines from then on and lets
 * go of what it wrote, and the failure is thrown where the output would be finished, after the rows' scores are
 * printed.
 */
final class OutputLines implements AutoCloseable {
    private final Path file;
    private final String header;
    private AtomicFile.Pending pending;
    /** The spool's name until it is unlinked, right after it is opened; null from then on (or for a file). */
    private Path spool;
    /** The spool, read and written through this; null for a file. */
    private FileChannel spoolChannel;
    private Writer lines;
    /** The first write's failure; the lines after it are dropped. */
    private IOException failure;

    /**
     * Lines for {@code file}, or with null for standard output (or a name written in place).
     *
     * @param file   the file, replaced atomically; null to spool
     * @param header the CSV's first line, without its line break
     */
    OutputLines(Path file, String header) {
        this.file = file;
        this.header = header;
    }

    /** Whether the lines go to a file replaced atomically by {@link #commit}, not through {@link #copyTo}. */
    boolean toFile() {
        return file != null;
    }

    /**
     * Appends a part's lines, each ending in a line break; the first call creates where they go. A failure is kept
     * for {@link #commit} or {@link #copyTo}, and what was written let go of.
     */
    void append(CharSequence partLines) {
        if (failure != null) {
            return;
        }
        try {
            start();
            lines.append(partLines);
        } catch (IOException e) {
            failure = e;
            close();   // a full disk gets its room back now, not at the end
        }
    }

    private void start() throws IOException {
        if (lines != null) {
            return;
        }
        if (file != null) {
            pending = AtomicFile.begin(file);
            lines = new BufferedWriter(new OutputStreamWriter(pending.stream(), StandardCharsets.UTF_8), 1 << 16);
        } else {
            spool = Files.createTempFile("nnj-predictions-", ".csv");
            spoolChannel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                // Unlinked at once, read and written through the open channel: no name is left for a kill -9 to
                // strand (a killed run's spool, as large as the output, stayed in the temporary folder for good).
                Files.delete(spool);
                spool = null;
            } catch (IOException e) {
                spool.toFile().deleteOnExit();   // a system that cannot delete an open file; close() deletes it
            }
            lines = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(spoolChannel),
                    StandardCharsets.UTF_8), 1 << 16);
        }
        lines.write(header);
        lines.write('\n');
    }

    /**
     * Makes the file whole under its name ({@link AtomicFile.Pending#commit}).
     *
     * @throws UncheckedIOException if it cannot be written; the file is then as it was
     */
    void commit() {
        try {
            if (failure != null) {
                throw failure;
            }
            start();   // a file of no rows: its header
            lines.flush();
            pending.commit();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * Writes the spooled header and lines, in order, to {@code to}.
     *
     * @throws UncheckedIOException for a failure to spool them
     */
    void copyTo(Writer to) throws IOException {
        try {
            if (failure != null) {
                throw failure;
            }
            start();
            lines.flush();
        } catch (IOException e) {
            throw failed(e);
        }
        // Not closed: that would close the channel, which close() does.
        Reader in = new java.io.InputStreamReader(Channels.newInputStream(spoolChannel.position(0)),
                StandardCharsets.UTF_8);
        in.transferTo(to);
    }

    /** Deletes the spool, or the file's temporary file where it was not committed. */
    @Override
    public void close() {
        if (pending != null) {
            pending.close();
        }
        if (spoolChannel != null) {
            try {
                lines.close();   // and the channel: an unlinked spool's room goes back to the disk
            } catch (IOException e) {
                // Its bytes are not wanted now; the file, where it still has a name, goes below.
            }
        }
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                // Left to deleteOnExit.
            }
        }
    }

    private UncheckedIOException failed(IOException e) {
        if (file != null) {
            // AtomicFile's own messages begin with the file and say it is as it was; the JDK's give a reason alone.
            String m = e.getMessage();
            if (m != null && m.startsWith(file + ": ")) {
                return new UncheckedIOException("cannot write " + m, e);   // "FILE: not written (FILE is as it was)..."
            }
            if (m != null && m.startsWith(file + " ")) {
                return new UncheckedIOException(m, e);   // "FILE is read-only (r--r--r--), so it is not replaced; ..."
            }
            return new UncheckedIOException("cannot write " + file + ": " + Converters.why(e)
                    + " (" + file + " is as it was)", e);
        }
        return new UncheckedIOException("cannot gather --output's rows in " + System.getProperty("java.io.tmpdir")
                + " (" + Converters.why(e) + ") before writing them: set another folder "
                + "with NNJ_JAVA_OPTS=-Djava.io.tmpdir=DIR", e);
    }
}
