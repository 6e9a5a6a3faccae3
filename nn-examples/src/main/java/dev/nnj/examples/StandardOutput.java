package dev.nnj.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a failed write to standard output means: a reader that closed its end of a pipe ({@code digits predict
 * --output - | head -3}), or a real failure (a full disk behind {@code > file}).
 *
 * <p>{@link java.io.PrintStream} keeps the {@link IOException} to itself and sets a flag, so the error's own words
 * ("Broken pipe") are gone by the time the flag is read. The kind of file descriptor 1 is the next best thing: a write
 * to a pipe fails only when its reader has gone. A reader that stops early has taken what it wanted, so the run ends
 * as a shell's own tools end then, without a message and with status {@value #CLOSED_PIPE_STATUS} (128 + SIGPIPE),
 * which {@code set -o pipefail} sees as it sees {@code cat}'s. A file or a terminal that fails is an error as before.
 */
final class StandardOutput {
    /** The status a shell reports for a program that SIGPIPE ended: 128 + 13. */
    static final int CLOSED_PIPE_STATUS = 141;

    private StandardOutput() {
    }

    /**
     * Whether standard output is a pipe, as Linux names the descriptor ({@code /proc/self/fd/1} links to
     * {@code pipe:[inode]}); false where that cannot be read (another operating system), so that a failure there is
     * reported as one.
     *
     * @return whether file descriptor 1 is a pipe
     */
    static boolean isPipe() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString().startsWith("pipe:");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
