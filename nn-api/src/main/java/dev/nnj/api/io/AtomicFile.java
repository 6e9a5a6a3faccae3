package dev.nnj.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so that a crash never leaves a partial file under its final name: the bytes go to a
 * temporary file in the same directory, which is flushed to disk ({@code fsync}) and then renamed over the
 * target in one atomic step. Readers see either the old file or the complete new one. The directory is
 * synced afterwards where the platform allows it, so the rename itself survives a power cut.
 * <p>
 * A JVM that exits during a write (Ctrl-C, SIGTERM, {@code System.exit} on another thread) leaves no temporary
 * file either. Such a JVM runs its shutdown hooks and then halts the other threads where they stand: the
 * writer's {@code finally} never runs, so it cannot delete its own temporary file. The temporary files being
 * written are therefore recorded, and a shutdown hook, registered on the first write, hands them to
 * {@link java.io.File#deleteOnExit}, as does every write begun after it. Those deletions run once all shutdown
 * hooks have finished, right before the halt; not sooner, because a write from another shutdown hook is waited
 * for and must complete, and because the other threads keep running, and may start writes, until the hooks are
 * done. A thread that is still writing then (its file deleted under it) or that starts a write waits for the
 * halt rather than fail: an error message would only be noise in the exit.
 * <p>
 * Only a hard kill ({@code SIGKILL}, the kernel's out-of-memory killer, a crash) can still leave a temporary file
 * behind: {@code .<name>.nnj-<13 random characters>.tmp}, hidden by its leading dot, as large as the file being
 * written. A writer holds a lock on its temporary file ({@link FileChannel#lock()}) for as long as it writes, and
 * the operating system drops the lock when its process ends, however it ends. So a process's first write into a
 * directory first removes the temporary files there that no process holds a lock on and that have not changed for
 * {@value #LEFTOVER_AGE_SECONDS} seconds (a writer takes its lock right after creating its file): a checkpoint that
 * a training job writes every epoch does not pile up the leftovers of the runs that were killed, and a directory
 * is listed once per process, not at every write. Where the file system cannot lock (some network file systems),
 * leftovers stay.
 * <p>
 * <b>What the name is.</b> A symbolic link is written through, as a shell's {@code >} or {@code cp} would: the file
 * it names is replaced, atomically, and the link stays. A name that is not a file at all, a device
 * ({@code /dev/null}, a terminal), a named pipe, a socket or a link into {@code /proc} such as {@code /dev/stdout}
 * (another process's open file, not a name to replace), is opened and written in place: there is no file to
 * rename over, and replacing the name with a regular file would take it away from everyone else who uses it. Such
 * a write appends and never truncates; this process's own {@code /dev/stdout} and {@code /dev/stderr} are written
 * through their descriptors, in order with what the program prints.
 * <p>
 * <b>Permissions.</b> A new file gets the usual ones (the umask's). A file that is replaced keeps its own: a model
 * made readable by its owner only stays so, as it would with {@code cp} onto it. A file whose owner may not write it
 * ({@code chmod a-w}) is refused rather than replaced, for every user, root too: the rename needs only the
 * directory's permission, so it would otherwise get past a protection the owner set on purpose.
 * {@link #requireReplaceable} checks a name for this up front, before the work whose result is to be written.
 */
public final class AtomicFile {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFile.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A temporary file unchanged for this long, and locked by no process, is a killed writer's leftover. */
    static final int LEFTOVER_AGE_SECONDS = 10;
    /** The directories this process has swept of leftovers (once each: it cannot make new ones while it lives). */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();
    /** Temporary files being written, by any thread; guarded by itself, as is {@link #hook}. */
    private static final Set<Path> UNFINISHED = new HashSet<>();
    /** The shutdown hook ({@link #deleteUnfinishedAtExit}) while temporary files are being written, else null. */
    private static Thread hook;
    /** Symbolic links followed at most, as the kernel does before it answers ELOOP. */
    private static final int MAX_LINKS = 40;
    /** Whether the JVM has begun to exit: from then on each new temporary file is deleted at the halt. */
    private static volatile boolean exiting;

    private AtomicFile() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the file's content.
         *
         * @param out the stream to write to; do not close it
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} atomically with what {@code content} writes. On failure the temporary file is
     * deleted and {@code target} is left as it was. A symbolic link is written through (the file it names is
     * replaced); a device, named pipe or process stream is written in place (see the class comment).
     *
     * @param target  the file to create or replace; its directory must exist
     * @param content writes the bytes
     * @throws IOException if the directory is missing or not writable, the target is a directory or read-only, or
     *         writing, syncing or renaming fails
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, true);
    }

    /**
     * As {@link #write}, without the two {@code fsync}s: the replacement is still atomic for readers and for a
     * process killed at any point (the rename is one step), but a power cut or an operating-system crash soon after
     * may leave the old file, or an empty one. For a file rewritten so often that a sync each time would cost more
     * than the work between (a training log rewritten after every epoch: 6 ms an epoch on a fast run's 0.5), whose
     * loss in a power cut costs little.
     *
     * @param target  the file to create or replace; its directory must exist
     * @param content writes the bytes
     * @throws IOException as {@link #write}
     */
    public static void writeUnsynced(Path target, Content content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, Content content, boolean durable) throws IOException {
        Path named = target.toAbsolutePath();
        if (isStream(named)) {
            writeInPlace(target, named, content);
            return;
        }
        try (Pending pending = begin(target, named, durable)) {
            try {
                content.writeTo(pending.stream());
            } catch (IOException e) {
                throw pending.failed(e);
            }
            pending.commit();
        }
    }

    /**
     * Begins replacing {@code target} atomically with bytes written over time, where {@link #write}'s one callback
     * does not fit (a file of predictions written a part at a time as they are made): the bytes go to
     * {@link Pending#stream}, in the temporary file; {@link Pending#commit} renames it over the target, and
     * {@link Pending#close} without a commit deletes it, leaving the target as it was. Use try-with-resources.
     * Everything else is as {@link #write}, except that a name written in place ({@link #writesInPlace}: a device,
     * a pipe) is refused: it has no file to rename over, so what was written would be seen before the commit.
     *
     * @param target the file to create or replace; its directory must exist
     * @return the write, its temporary file created and locked
     * @throws IOException as {@link #write}, or for a name that would be written in place
     */
    public static Pending begin(Path target) throws IOException {
        Path named = target.toAbsolutePath();
        if (isStream(named)) {
            throw new IOException(target + " is not a file to replace (a device, a pipe or a process's stream): "
                    + "write it in place, or all at once with AtomicFile.write");
        }
        return begin(target, named, true);
    }

    private static Pending begin(Path target, Path named, boolean durable) throws IOException {
        Path absolute = linkTarget(named);
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": " + (dir != null && Files.exists(dir) ? dir + " is not a directory"
                    : "the directory " + dir + " does not exist"));
        }
        if (Files.isDirectory(absolute)) {
            // Checked first: the rename would fail only after the writing, naming the temporary file.
            throw new IOException(target + " is a directory; give a file name");
        }
        Set<PosixFilePermission> replacedPermissions = permissionsToKeep(target, absolute);
        if (SWEPT.add(dir)) {
            // Before this write, so that the space a killed writer's file took is free for this one.
            removeLeftovers(dir);
        }
        Path temp;
        try {
            temp = createTemporary(dir, absolute.getFileName().toString());
        } catch (FileSystemException e) {
            // The JDK's message is only the temporary file's name: say what failed, for the file the caller named.
            throw new IOException(target + ": cannot create a file in " + dir + " (" + reason(e) + ")", e);
        }
        Pending pending = new Pending(target, absolute, temp, replacedPermissions, durable);
        try {
            if (replacedPermissions != null) {
                keepPermissions(temp, replacedPermissions);
            }
            pending.open();
            return pending;
        } catch (IOException e) {
            IOException failed = pending.failed(e);
            pending.close();
            throw failed;
        } catch (RuntimeException | Error e) {
            pending.close();
            throw e;
        }
    }

    /**
     * An atomic replacement begun ({@link #begin}) and not yet finished: its temporary file, locked for as long as it
     * is open ({@link FileChannel#lock()}), so that it is never taken for a killed writer's leftover.
     */
    public static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path absolute;
        private final Path temp;
        /** The replaced file's permissions when the write began, given to the temporary file; null for none. */
        private Set<PosixFilePermission> permissions;
        private FileChannel channel;
        private OutputStream stream;
        /** What {@link #stream()} hands out: {@link #stream}, its failures naming the target. */
        private OutputStream named;
        private boolean committed;
        private boolean closed;
        /** Whether the commit syncs the data and the directory ({@link #writeUnsynced} does not). */
        private final boolean durable;

        private Pending(Path target, Path absolute, Path temp, Set<PosixFilePermission> permissions,
                        boolean durable) {
            this.target = target;
            this.absolute = absolute;
            this.temp = temp;
            this.permissions = permissions;
            this.durable = durable;
        }

        private void open() throws IOException {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            lock(channel);   // held until the channel closes: a live writer's file is never a leftover
            stream = Channels.newOutputStream(channel);
            named = new NamedStream(stream);
        }

        /**
         * Where the bytes go, in order; unbuffered (wrap it in a buffered stream or writer). A write that fails throws
         * an {@link IOException} naming the target, as {@link #commit} does ({@code model.csv: no space left on device
         * (model.csv is as it was)}). Closing it only flushes it: {@link #commit} and {@link #close} end the write.
         *
         * @return the temporary file's stream
         * @throws IllegalStateException once committed or closed
         */
        public OutputStream stream() {
            if (committed || closed) {
                throw new IllegalStateException(target + ": the write is " + (committed ? "committed" : "closed"));
            }
            return named;
        }

        /** The temporary file's stream as callers see it: each failure named by {@link #failed}. */
        private final class NamedStream extends java.io.FilterOutputStream {
            NamedStream(OutputStream out) {
                super(out);
            }

            /**
             * Refuses bytes after the write ended (a buffered writer flushed after the commit): they are in no file,
             * and the target is not "as it was" after a commit.
             */
            private void requireOpen() throws IOException {
                if (committed || closed) {
                    throw new IOException(target + ": bytes written after the write was " + (committed
                            ? "committed are not in it (flush before the commit)" : "closed are not written"));
                }
            }

            @Override
            public void write(int b) throws IOException {
                requireOpen();
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                requireOpen();
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void flush() throws IOException {
                if (committed || closed) {
                    return;   // nothing can be pending in the stream of a write that ended
                }
                try {
                    out.flush();
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            /** Flushes only: the write ends with {@link #commit} or {@link Pending#close}, not here. */
            @Override
            public void close() throws IOException {
                flush();
            }
        }

        /**
         * Makes the bytes written the target's: flushed to disk ({@code fsync}), then renamed over it in one atomic
         * step, and the directory synced where the platform allows it.
         *
         * @throws IOException if syncing or renaming fails; the target is then as it was
         * @throws IllegalStateException if already committed or closed
         */
        public void commit() throws IOException {
            stream();   // refuses a second commit, and one after close
            Path dir = absolute.getParent();
            try {
                stream.flush();
                if (durable) {
                    channel.force(true);   // the data is on disk before the rename makes it visible
                }
                channel.close();
                // Again, for a write that took a while: a file made read-only since is not replaced, and one whose
                // permissions changed keeps its new ones.
                Set<PosixFilePermission> now = permissionsToKeep(target, absolute);
                if (now != null && !now.equals(permissions)) {
                    keepPermissions(temp, now);
                    permissions = now;
                }
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException(target + ": this file system cannot rename atomically", e);
                } catch (NoSuchFileException e) {
                    // The JDK's message is the two paths, the hidden temporary file's first.
                    throw new IOException(Files.isDirectory(dir) ? target + ": its temporary file " + temp
                            + " was removed while it was written" : target + ": the directory " + dir
                            + " was removed while the file was written", e);
                }
                committed = true;
                if (durable) {
                    syncDirectory(dir);
                }
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /**
         * Ends the write: without a commit, deletes the temporary file, leaving the target as it was. A second call
         * does nothing.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (channel != null) {
                    channel.close();
                }
                if (!committed) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                LOG.warn("{}: could not remove the temporary file {} ({})", target, temp, e.getMessage());
            } finally {
                synchronized (UNFINISHED) {
                    UNFINISHED.remove(temp);
                    releaseHookIfIdle();
                }
            }
        }

        /** A write's failure as the caller reads it: the target named, and that it is as it was. */
        IOException failed(IOException e) {
            if (halting(temp)) {
                awaitHalt();   // the JVM deleted the file in its last step: the error is the exit's doing
            }
            IOException interrupted = interruptedOr(target, "not written (" + target + " is as it was)", e);
            // The rename is the last step, so a target there now was there before: it is as it was.
            return interrupted != e ? interrupted : named(target, e, Files.exists(absolute)
                    ? " (" + target + " is as it was)" : " (not written)");
        }
    }

    /**
     * {@code e} with {@code target} at the head of its message, then {@code after}: the JDK's message of a failed
     * write is a reason alone ({@code "No space left on device"}), or names the temporary file. A message that begins
     * with the target already (this class's own) is kept as it is.
     */
    static IOException named(Path target, IOException e, String after) {
        String m = e.getMessage();
        if (m != null && m.startsWith(target.toString())) {
            return e;
        }
        // The system's reason where a writer wrapped it in words of its own ("I/O error writing PNG file!").
        IOException cause = e;
        while (cause.getCause() instanceof IOException) {
            cause = (IOException) cause.getCause();
        }
        String inner = cause.getMessage();
        String why = cause instanceof FileSystemException ? reason((FileSystemException) cause)
                : inner != null ? inner : m != null ? m : null;
        if (why == null) {
            return new IOException(target + ": " + cause.getClass().getSimpleName() + after, e);   // a class name as is
        }
        // The system's words ("No space left on device") in the lower case of the message around them.
        if (why.length() > 1 && Character.isUpperCase(why.charAt(0)) && Character.isLowerCase(why.charAt(1))) {
            why = Character.toLowerCase(why.charAt(0)) + why.substring(1);
        }
        return new IOException(target + ": " + why + after, e);
    }

    /**
     * Whether {@link #write} writes {@code target} in place rather than replacing it: a device, a named pipe, a
     * socket, or a link into {@code /proc} such as {@code /dev/stdout} (see the class comment). A caller checking an
     * output path up front can then ask whether the target itself is writable, rather than its directory.
     *
     * @param target the path a write would be given
     * @return true if a write goes into the existing target as it is
     */
    public static boolean writesInPlace(Path target) {
        try {
            return isStream(target.toAbsolutePath());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * The file a write of {@code target} replaces: {@code target} itself, or the file a chain of symbolic links ends
     * at (see the class comment), whose directory then holds the temporary file. A caller checking an output path up
     * front checks this one's directory.
     *
     * @param target the path a write would be given
     * @return the absolute path of the file a write creates or replaces
     * @throws IOException if the links loop or cannot be read
     */
    public static Path destination(Path target) throws IOException {
        return linkTarget(target.toAbsolutePath());
    }

    /**
     * Whether {@code path} names something that is not a file to replace: it exists (links followed) and is neither
     * a regular file nor a directory, or a link on its way is one of a process's open files ({@code /dev/stdout},
     * {@code /dev/fd/3}, {@code /proc/self/fd/1}: a link in {@code /proc}, or in a directory that is a view of it).
     */
    static boolean isStream(Path path) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
            return true;
        }
        for (Path link : links(path)) {
            if (inProc(link)) {
                return true;
            }
        }
        return false;   // a loop is left to linkTarget, which names it
    }

    /**
     * The symbolic links a name passes through on its way to a file: {@code path} itself if it is one, then each link
     * it leads to, {@link #MAX_LINKS} at most; empty when {@code path} is no link. When the last of a full list still
     * leads to a link, the chain loops (or is too long).
     */
    private static List<Path> links(Path path) throws IOException {
        List<Path> links = new ArrayList<>();
        for (Path hop = path; links.size() < MAX_LINKS && Files.isSymbolicLink(hop);
                hop = hop.resolveSibling(Files.readSymbolicLink(hop))) {
            links.add(hop);
        }
        return links;
    }

    /** Whether a link lives in {@code /proc}, as a process's open files do ({@code /dev/fd} is a view of it). */
    private static boolean inProc(Path link) {
        Path parent = link.toAbsolutePath().getParent();
        if (parent == null) {
            return false;
        }
        try {
            return parent.toRealPath().startsWith("/proc");
        } catch (IOException | SecurityException e) {
            return parent.startsWith("/proc");
        }
    }

    /**
     * The file a chain of symbolic links ends at ({@code path} itself when it is no link): the name to replace, so
     * that the link stays. A link to a missing file gives that file's name (it is created, as a shell's
     * {@code >} would).
     */
    static Path linkTarget(Path path) throws IOException {
        List<Path> links = links(path);
        if (links.isEmpty()) {
            return path;
        }
        Path last = links.get(links.size() - 1);
        Path end = last.resolveSibling(Files.readSymbolicLink(last));
        if (Files.isSymbolicLink(end)) {
            throw new IOException(path + ": too many levels of symbolic links");
        }
        return end;
    }

    /**
     * This process's standard output or error when {@code path} leads to its file descriptor 1 or 2
     * ({@code /dev/stdout}, {@code /proc/self/fd/2}), else null. Written through the descriptor itself: opening the
     * name again would start a second file offset (and truncate a file stdout is redirected to), so the lines the
     * program prints before and after would overwrite the written bytes.
     */
    private static java.io.FileDescriptor ownStandardStream(Path path) throws IOException {
        String ownFds = "/proc/" + ProcessHandle.current().pid() + "/fd";
        for (Path link : links(path)) {
            Path parent = link.getParent();
            String name = String.valueOf(link.getFileName());
            if (parent != null && (name.equals("1") || name.equals("2"))) {
                try {
                    if (parent.toRealPath().toString().equals(ownFds)) {
                        return name.equals("1") ? java.io.FileDescriptor.out : java.io.FileDescriptor.err;
                    }
                } catch (IOException | SecurityException e) {
                    // not a directory of this process's descriptors
                }
            }
        }
        return null;
    }

    /**
     * Opens a name {@link #writesInPlace} for writing over time, where {@link #write} would open it once per write: a
     * named pipe then closed after each, and a reader such as {@code cat} took the first close for the end and left,
     * blocking the next open for good. The process's own standard output or error is written without being closed
     * ({@code close()} only flushes it); anything else is opened once, for appending, until closed.
     *
     * @param target a device, a named pipe or a process's stream
     * @return the stream; close it when done
     * @throws IOException if it cannot be opened, naming {@code target}; or if it is a file to replace atomically
     */
    public static OutputStream openInPlace(Path target) throws IOException {
        Path path = target.toAbsolutePath();
        if (!isStream(path)) {
            throw new IOException(target + " is a file, replaced atomically with AtomicFile.write, not written in "
                    + "place");
        }
        return openStream(target, path);
    }

    /** {@link #openInPlace} of a {@code path} already known to be written in place ({@link #isStream}). */
    private static OutputStream openStream(Path target, Path path) throws IOException {
        java.io.FileDescriptor own = ownStandardStream(path);
        if (own != null) {
            System.out.flush();
            System.err.flush();
            return new InPlaceStream(target, new java.io.FileOutputStream(own), false);
        }
        try {
            return new InPlaceStream(target, Files.newOutputStream(path, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), true);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write to it (" + reason(e) + ")", e);
        }
    }

    /** {@link #openInPlace}'s stream: its failures name the target in the system's words; stdout is not closed. */
    private static final class InPlaceStream extends java.io.FilterOutputStream {
        private final Path target;
        private final boolean closes;

        InPlaceStream(Path target, OutputStream out, boolean closes) {
            super(out);
            this.target = target;
            this.closes = closes;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!closes) {
                // The process's own stream: what System.out holds goes first, in the order it was printed.
                System.out.flush();
                System.err.flush();
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw named(target, e, "");   // a device that is full, a pipe whose reader left
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw named(target, e, "");
            }
        }

        @Override
        public void close() throws IOException {
            if (closes) {
                try {
                    out.close();
                } catch (IOException e) {
                    throw named(target, e, "");
                }
            } else {
                flush();   // not the process's own descriptor
            }
        }
    }

    /**
     * Writes to a device, pipe or process stream as it is: opened, not created, and appended to, never truncated (a
     * device or pipe has nothing to truncate; a process's open file keeps what was written before). This process's
     * own standard output or error is written through its descriptor, after what {@code System.out} and
     * {@code System.err} hold, so that the lines keep their order.
     */
    private static void writeInPlace(Path target, Path path, Content content) throws IOException {
        // Buffered: a content that writes a byte at a time would make a system call of each. Closing it closes the
        // device or pipe, and only flushes the process's own stream.
        try (OutputStream out = new java.io.BufferedOutputStream(openStream(target, path))) {
            content.writeTo(out);
        }
    }

    /**
     * Gives the temporary file the permissions of the file it replaces, before any byte is written, so that the content
     * is never readable by more than the old file was. Where the file system cannot set them (some FUSE and CIFS
     * mounts), the file keeps the usual ones and the write goes on.
     */
    private static void keepPermissions(Path temp, Set<PosixFilePermission> permissions) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (!view.readAttributes().permissions().equals(permissions)) {
                view.setPermissions(permissions);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("{}: cannot give it the permissions {} of the file it replaces: {}", temp,
                    PosixFilePermissions.toString(permissions), e.getMessage());
        }
    }

    /**
     * Refuses, before any work, a name that {@link #write} would refuse to replace: a file its owner may not write.
     * A missing file, a device or pipe (written in place) and a file that may be written pass.
     *
     * @param target the file to be written
     * @throws IOException saying that {@code target} is read-only, as {@link #write} would
     */
    public static void requireReplaceable(Path target) throws IOException {
        Path named = target.toAbsolutePath();
        if (isStream(named)) {
            return;
        }
        permissionsToKeep(target, linkTarget(named));
    }

    /**
     * The permissions of the regular file that the write replaces, for its replacement to keep; null where there
     * is none, or the file system has no POSIX permissions.
     *
     * @throws IOException if its owner may not write it: it is refused, not replaced
     */
    private static Set<PosixFilePermission> permissionsToKeep(Path target, Path absolute) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(absolute, PosixFileAttributeView.class);
        if (view == null || !Files.isRegularFile(absolute)) {
            return null;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (NoSuchFileException gone) {
            return null;   // removed since the check: there is nothing to keep
        }
        if (!permissions.contains(PosixFilePermission.OWNER_WRITE)) {
            throw new IOException(target + " is read-only (" + PosixFilePermissions.toString(permissions)
                    + "), so it is not replaced; make it writable (chmod u+w) or write another file");
        }
        return permissions;
    }

    /** Why a file could not be created, in the words of the system's own errors rather than an exception's name. */
    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name kept appearing";
        }
        return e.getReason() != null ? e.getReason() : "the file system refused it";
    }

    /**
     * A new empty file beside the target, recorded in {@link #UNFINISHED}. Not {@code Files.createTempFile},
     * whose owner-only permissions the rename would pass on to the target: this one gets the usual permissions
     * (the umask's).
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(temporaryName(name, RANDOM.nextLong()));
            try {
                if (createRecorded(temp)) {
                    return temp;
                }
                awaitHalt();
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates {@code temp} and records it, under the lock the shutdown hook takes: the hook finds every temporary
     * file on disk, and one created after the hook has run is handed to {@code deleteOnExit} here.
     *
     * @return false, and no file, if the JVM is halting (its last deletions have run)
     */
    private static boolean createRecorded(Path temp) throws IOException {
        synchronized (UNFINISHED) {
            registerHook();
            boolean recorded = false;
            try {
                // Handed over before it exists, so that no file is made after the JVM's last deletions...
                if (halting(temp)) {
                    return false;
                }
                Files.createFile(temp);
                // ...and again after: had those deletions run in between, this one fails.
                if (halting(temp)) {
                    Files.delete(temp);
                    return false;
                }
                UNFINISHED.add(temp);
                recorded = true;
                return true;
            } finally {
                if (!recorded) {
                    releaseHookIfIdle();
                }
            }
        }
    }

    /**
     * Registers the shutdown hook unless it is (lazily: a program that writes no file gets none); called under the
     * lock, before a temporary file exists.
     */
    private static void registerHook() {
        if (hook == null && !exiting) {
            Thread h = new Thread(AtomicFile::deleteUnfinishedAtExit, "nnj-atomic-file");
            h.setContextClassLoader(null);
            try {
                Runtime.getRuntime().addShutdownHook(h);
                hook = h;
            } catch (IllegalStateException alreadyExiting) {
                exiting = true;   // the write comes from another shutdown hook: too late for ours
            }
        }
    }

    /**
     * Lets go of the shutdown hook once no temporary file is left; called under the lock. A hook registered for
     * good would keep this class, and the class loader that loaded nnj (a redeployed application's), for the life
     * of the JVM.
     */
    private static void releaseHookIfIdle() {
        if (hook != null && UNFINISHED.isEmpty() && !exiting) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                hook = null;
            } catch (IllegalStateException alreadyExiting) {
                // The hook runs, or has run: nothing to let go of.
            }
        }
    }

    /** The shutdown hook: the temporary files being written, and those created from now on, go at the halt. */
    private static void deleteUnfinishedAtExit() {
        synchronized (UNFINISHED) {
            exiting = true;
            UNFINISHED.forEach(AtomicFile::deleteAtHalt);
        }
    }

    /** Whether the JVM is exiting and past its last deletions ({@link #deleteAtHalt}), so about to halt. */
    private static boolean halting(Path temp) {
        return exiting && !deleteAtHalt(temp);
    }

    /**
     * Hands {@code temp} to {@link java.io.File#deleteOnExit}, whose deletions run after every shutdown hook,
     * right before the halt. Only in an exiting JVM: the JDK keeps each name it is given until the end.
     *
     * @return false if it is too late: those deletions have run, so every shutdown hook has finished and the
     *         caller is one of the threads the halt is about to stop
     */
    private static boolean deleteAtHalt(Path temp) {
        if (temp.getFileSystem() != FileSystems.getDefault()) {
            return true;   // nothing of a file system in memory outlives the JVM
        }
        try {
            temp.toFile().deleteOnExit();
            return true;
        } catch (IllegalStateException tooLate) {
            return false;
        }
    }

    /** Parks the calling thread until the JVM, which is past its last deletions, halts it. */
    private static void awaitHalt() {
        while (true) {
            LockSupport.park();
        }
    }

    /** {@code .<name>.nnj-<13 base-36 digits>.tmp}: hidden, and recognisable as this class's own. */
    static String temporaryName(String name, long random) {
        String digits = Long.toUnsignedString(random, 36);
        return "." + name + ".nnj-" + "0".repeat(13 - digits.length()) + digits + ".tmp";
    }

    /** Whether {@code file} is the name of a temporary file of some target (see {@link #temporaryName}). */
    static boolean isTemporary(String file) {
        int digits = file.length() - ".tmp".length() - 13;
        if (digits < ".x.nnj-".length() || !file.startsWith(".") || !file.endsWith(".tmp")
                || !file.startsWith(".nnj-", digits - ".nnj-".length())) {
            return false;
        }
        for (int i = digits; i < digits + 13; i++) {
            char c = file.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes the writer's lock; a file system that cannot lock still gets the file written.
     *
     * @throws ClosedByInterruptException if the thread is interrupted, which closes the channel: nothing more can be
     *         written through it
     */
    private static void lock(FileChannel channel) throws ClosedByInterruptException {
        try {
            channel.lock();
        } catch (ClosedByInterruptException interrupted) {
            throw interrupted;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot lock a temporary file: {}", e.toString());
        }
    }

    /**
     * What an I/O failure says when its thread was interrupted: a {@link java.nio.channels.FileChannel} closes itself
     * when its thread is interrupted, and the JDK's exception then has no message (nor a file name). Any other
     * failure is returned as it is.
     *
     * @param file  the file read or written
     * @param doing what did not happen, e.g. {@code "not written (model.safetensors is as it was)"}
     * @param e     the failure
     * @return an {@link java.io.InterruptedIOException} that says so, naming the file, or {@code e}
     */
    static IOException interruptedOr(Path file, String doing, IOException e) {
        if (e instanceof ClosedByInterruptException
                || e instanceof java.nio.channels.ClosedChannelException && Thread.currentThread().isInterrupted()) {
            java.io.InterruptedIOException interrupted = new java.io.InterruptedIOException(file + ": " + doing
                    + ": the thread was interrupted (Thread.interrupt(), a cancelled task or a timeout), which closes "
                    + "a file channel; its interrupt status is kept");
            interrupted.initCause(e);
            return interrupted;
        }
        return e;
    }

    /**
     * Removes the temporary files in {@code dir} that killed writers left: locked by no process, unchanged for
     * {@value #LEFTOVER_AGE_SECONDS} seconds. Best effort: what cannot be listed, locked or removed stays, and the
     * write goes on.
     */
    static void removeLeftovers(Path dir) {
        removeLeftovers(dir, Instant.now().minusSeconds(LEFTOVER_AGE_SECONDS));
    }

    /** As {@link #removeLeftovers(Path)}, for files last changed before {@code settled}. */
    static void removeLeftovers(Path dir, Instant settled) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                f -> isTemporary(f.getFileName().toString()))) {
            for (Path file : files) {
                synchronized (UNFINISHED) {
                    if (UNFINISHED.contains(file)) {
                        // This process's own write: opening its file to test the lock and closing it again would
                        // drop the writer's lock (POSIX drops all of a process's locks on a file at any close).
                        continue;
                    }
                }
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(settled) && unlocked(file)) {
                        Files.deleteIfExists(file);
                        LOG.info("removed {}: a write that did not finish (its process was killed)", file);
                    }
                } catch (IOException e) {
                    LOG.debug("could not remove the leftover {}: {}", file, e.toString());
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("could not look for leftover temporary files in {}: {}", dir, e.toString());
        }
    }

    /**
     * Whether no process holds a lock on {@code file}: its writer has ended. False when the lock cannot be tried
     * (a file system without locks) or this process holds it (a write on another thread).
     */
    private static boolean unlocked(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            return false;
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
