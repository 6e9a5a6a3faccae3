package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputLines}: a file written a part at a time, whole or not at all, and its failures said in one sentence. */
class OutputLinesTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsWholeAtTheCommitAndStandardOutputGetsTheSpool() throws Exception {
        Path file = dir.resolve("p.csv");
        try (OutputLines lines = new OutputLines(file, "class,p_0")) {
            lines.append("0,0.9\n");
            assertTrue(Files.notExists(file), "nothing under the name before the commit");
            lines.append("1,0.2\n");
            lines.commit();
        }
        assertEquals("class,p_0\n0,0.9\n1,0.2\n", Files.readString(file));
        StringWriter out = new StringWriter();
        try (OutputLines lines = new OutputLines(null, "prediction")) {
            lines.append("1.5\n");
            lines.copyTo(out);
        }
        assertEquals("prediction\n1.5\n", out.toString());
    }

    /**
     * The spool for standard output has no name while it is written and read: a killed run's (kill -9, with no exit
     * to delete it) stayed in the temporary folder for good, as large as the output.
     */
    @Test
    void theSpoolLeavesNoFileWhileItIsWrittenOrRead() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = spools(tmp);
        StringWriter out = new StringWriter();
        try (OutputLines lines = new OutputLines(null, "prediction")) {
            lines.append("1.5\n");
            assertEquals(before, spools(tmp), "no named spool while it is written");
            lines.append("2.5\n");
            lines.copyTo(out);
            assertEquals(before, spools(tmp), "nor while it is read");
        }
        assertEquals("prediction\n1.5\n2.5\n", out.toString());
    }

    private static long spools(Path tmp) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("nnj-predictions-")).count();
        }
    }

    /** A file made read-only while it was written: refused in one sentence (a verifier found two run together). */
    @Test
    void aFileMadeReadOnlyMeanwhileIsRefusedInOneSentence() throws Exception {
        Path file = Files.writeString(dir.resolve("ro.csv"), "old\n");
        Assumptions.assumeTrue(Files.getFileAttributeView(file, PosixFileAttributeView.class) != null);
        try (OutputLines lines = new OutputLines(file, "class")) {
            lines.append("1\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, lines::commit);
            assertEquals(file + " is read-only (r--r--r--), so it is not replaced; make it writable (chmod u+w) or "
                    + "write another file", e.getMessage());
        }
        assertEquals("old\n", Files.readString(file));
    }
}
