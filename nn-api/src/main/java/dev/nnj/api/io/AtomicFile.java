package dev.nnj.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that a crash never leaves a partial file under its final name: the bytes go to a
 * temporary file in the same directory, which is flushed to disk ({@code fsync}) and then renamed over the
 * target in one atomic step. Readers see either the old file or the complete new one. The directory is
 * synced afterwards where the platform allows it, so the rename itself survives a power cut.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream to write to; do not close it
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} atomically with what {@code content} writes. On failure the temporary file is
     * deleted and {@code target} is left as it was.
     *
     * @param target  the file to create or replace; its directory must exist
     * @param content writes the bytes
     * @throws IOException if the directory is missing or not writable, the target is a directory, or writing,
     *         syncing or renaming fails
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            // Checked first: the rename would fail only after the writing, naming the temporary file.
            throw new IOException(target + " is a directory; give a file name");
        }
        Path temp = createTemporary(dir, absolute.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                channel.force(true);   // the data is on disk before the rename makes it visible
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": this file system cannot rename atomically", e);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * A new empty file beside the target. Not {@code Files.createTempFile}, whose owner-only permissions the
     * rename would pass on to the target: this one gets the usual permissions (the umask's).
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Best effort: some platforms (Windows) cannot open a directory to sync it, and need not. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the rename is still atomic; only its durability across a power cut is the platform's affair
        }
    }
}
