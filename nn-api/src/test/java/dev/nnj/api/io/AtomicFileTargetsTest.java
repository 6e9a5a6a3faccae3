package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link AtomicFile} does with names that are not plain files: a symbolic link is written through (its file
 * replaced, the link kept), and a device, a named pipe or a process's stream is written in place, never replaced by
 * a regular file (which, run as root, would have replaced {@code /dev/stdout} or {@code /dev/null} for every
 * program on the machine).
 */
class AtomicFileTargetsTest {
    @TempDir
    Path dir;

    private static void write(Path target, String text) throws Exception {
        AtomicFile.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStays() throws Exception {
        Path real = Files.writeString(dir.resolve("real.csv"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real.csv"));
        write(link, "new content");
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new content", Files.readString(real), "the file it names was replaced");
        // A chain of links, one of them absolute, ends at the same file.
        Path second = Files.createSymbolicLink(dir.resolve("second.csv"), link.toAbsolutePath());
        write(second, "through two links");
        assertTrue(Files.isSymbolicLink(second) && Files.isSymbolicLink(link));
        assertEquals("through two links", Files.readString(real));
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws Exception {
        Path model = Files.writeString(dir.resolve("private.safetensors"), "old");
        assumeTrue(Files.getFileAttributeView(model, PosixFileAttributeView.class) != null, "no POSIX permissions");
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rw-------"));
        write(model, "new");
        assertEquals("new", Files.readString(model));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(model)),
                "a file readable by its owner only stays so");
        Path fresh = dir.resolve("fresh.safetensors");
        write(fresh, "first");
        assertTrue(Files.getPosixFilePermissions(fresh).contains(PosixFilePermission.OWNER_READ),
                "a new file gets the usual permissions");
    }

    @Test
    void aReadOnlyFileIsRefusedAndKept() throws Exception {
        Path model = Files.writeString(dir.resolve("frozen.safetensors"), "keep me");
        assumeTrue(Files.getFileAttributeView(model, PosixFileAttributeView.class) != null, "no POSIX permissions");
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("r--r--r--"));
        IOException e = assertThrows(IOException.class, () -> write(model, "new"));
        assertEquals(model + " is read-only (r--r--r--), so it is not replaced; make it writable (chmod u+w) or"
                + " write another file", e.getMessage());
        assertEquals("keep me", Files.readString(model));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void aLinkToAMissingFileCreatesThatFile() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("model.safetensors"), Path.of("runs-model.safetensors"));
        write(link, "model");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("model", Files.readString(dir.resolve("runs-model.safetensors")));
    }

    @Test
    void aNamedPipeIsWrittenToNotReplaced() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException noMkfifo) {
            assumeTrue(false, "no mkfifo here: " + noMkfifo.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        write(fifo, "class,p_0\n1,0.9\n");
        assertArrayEquals("class,p_0\n1,0.9\n".getBytes(StandardCharsets.UTF_8), reader.get(30, TimeUnit.SECONDS),
                "the reader got the bytes");
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still a pipe, not a regular file");
    }

    /**
     * A device node of its own, a copy of {@code /dev/null} made with {@code mknod} (root only; skipped otherwise):
     * the test must not risk the machine's own {@code /dev/null}, which the old code, run as root, replaced.
     */
    @Test
    void aDeviceIsWrittenInPlace() throws Exception {
        Path device = dir.resolve("null");
        Process mknod;
        try {
            mknod = new ProcessBuilder("mknod", "-m", "666", device.toString(), "c", "1", "3")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException noMknod) {
            assumeTrue(false, "no mknod here: " + noMknod.getMessage());
            return;
        }
        assumeTrue(mknod.waitFor() == 0, "mknod needs root");
        write(device, "discarded");
        assertTrue(Files.exists(device) && !Files.isRegularFile(device), "still a device, not a regular file");
        assertEquals(0, Files.readAllBytes(device).length, "and still /dev/null's kind: reads nothing");
    }

    @Test
    void aParentThatIsAFileIsCalledThat() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.safetensors"), "a model");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> write(plain.resolve("x.safetensors"), "x"));
        assertTrue(e.getMessage().contains(plain + " is not a directory"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> write(dir.resolve("missing").resolve("x.safetensors"), "x"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aLoopOfLinksIsRefusedNotFollowedForever() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Files.createSymbolicLink(a, b.getFileName());
        Files.createSymbolicLink(b, a.getFileName());
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> org.junit.jupiter.api.Assertions.assertThrows(
                        java.io.IOException.class, () -> write(a, "x")));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
        assertFalse(AtomicFile.writesInPlace(a));
    }

    /**
     * A program whose standard output is redirected to a file writes {@code /dev/stdout}: the bytes land between
     * the lines it prints before and after, and nothing it printed is lost (reopening the name would truncate the
     * file and write at an offset of its own).
     */
    @Test
    void slashDevStdoutRedirectedToAFileKeepsTheLinesInOrder() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/dev/stdout")), "no /dev/stdout link here");
        Path log = dir.resolve("out.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StdoutWriter.class.getName())
                .redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, child.waitFor(), "the child's exit status");
        assertEquals("before\nclass,p_0\n1,0.9\nafter\n", Files.readString(log));
    }

    /** The child of {@link #slashDevStdoutRedirectedToAFileKeepsTheLinesInOrder}. */
    static final class StdoutWriter {
        public static void main(String[] args) throws Exception {
            System.out.println("before");
            AtomicFile.write(Path.of("/dev/stdout"), out -> out.write("class,p_0\n1,0.9\n"
                    .getBytes(StandardCharsets.UTF_8)));
            System.out.println("after");
        }
    }

    @Test
    void linksIntoProcAreProcessStreams() throws Exception {
        Path stdout = Path.of("/dev/stdout");
        assumeTrue(Files.isSymbolicLink(stdout), "no /dev/stdout link here");
        assertTrue(AtomicFile.isStream(stdout), "/dev/stdout names this process's fd 1, whatever it is");
        assertFalse(AtomicFile.isStream(Files.writeString(dir.resolve("plain.csv"), "x")), "a regular file");
        assertFalse(AtomicFile.isStream(dir.resolve("missing.csv")), "a new file");
    }
}
