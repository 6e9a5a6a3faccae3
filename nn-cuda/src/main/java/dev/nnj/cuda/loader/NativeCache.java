package dev.nnj.cuda.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A private directory of native libraries, written so that any number of JVMs may start together on it, and
 * a JVM killed half-way leaves nothing that can hurt the next one.
 *
 * <p>JCuda's own loader extracts into {@code java.io.tmpdir} when no file of that name exists, with no lock,
 * no atomic rename and no content check: JVMs starting together map each other's half-written files and die
 * with SIGBUS, and a truncated leftover crashes every later JVM. Here instead:
 * <ul>
 *   <li>a file with its final name only ever appears by an atomic rename of a complete, fsynced temporary
 *       file in the same directory, so a reader sees the old inode or the new one, never a partial one, and a
 *       file another JVM has mapped is never truncated;</li>
 *   <li>an existing file is trusted only if it holds exactly the expected bytes (else it is replaced,
 *       again by rename);</li>
 *   <li>writers hold an exclusive lock on {@code .lock} in the directory (and a JVM-wide monitor, since file
 *       locks are per process), so leftover temporary files found under the lock belong to dead writers and
 *       are removed.</li>
 * </ul>
 */
public final class NativeCache {
    /** System property naming the directory; default {@code ~/.cache/nnj/natives/<jcuda version>}. */
    public static final String DIR_PROPERTY = "nnj.cuda.nativeDir";

    private static final Object JVM_LOCK = new Object();

    private final Path dir;

    /**
     * A cache of JCuda's native libraries in {@code dir}.
     *
     * @param dir the directory, created on the first install
     */
    public NativeCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * The directory named by {@value #DIR_PROPERTY}, else {@code $XDG_CACHE_HOME/nnj/natives/<version>} or
     * {@code ~/.cache/nnj/natives/<version>}.
     *
     * @param version the JCuda version, a subdirectory so versions never mix
     * @return the cache
     */
    public static NativeCache defaultCache(String version) {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new NativeCache(Paths.get(configured.trim()));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return new NativeCache(base.resolve("nnj").resolve("natives").resolve(version));
    }

    /**
     * The directory of this cache.
     *
     * @return its absolute, normalized path
     */
    public Path dir() {
        return dir;
    }

    /**
     * A cache in a subdirectory, e.g. for patched copies that must keep their original file names.
     *
     * @param name the subdirectory name
     * @return a cache in {@code dir/name}
     */
    public NativeCache subdirectory(String name) {
        return new NativeCache(dir.resolve(name));
    }

    /**
     * Makes {@code dir/fileName} hold exactly {@code content} and returns its absolute path. Cheap when the
     * file is already right (one read to hash it); otherwise writes it atomically under the lock.
     *
     * @param fileName the name of the file in the cache
     * @param content the bytes the file must hold
     * @return the absolute path of the file
     * @throws IOException if the file cannot be written
     */
    public Path install(String fileName, byte[] content) throws IOException {
        if (fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("bad native file name: " + fileName);
        }
        Path target = dir.resolve(fileName);
        if (matches(target, content)) {
            return target;
        }
        Files.createDirectories(dir);
        synchronized (JVM_LOCK) {
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = lockChannel.lock();
                try {
                    // Another JVM may have written it while we waited for the lock.
                    if (matches(target, content)) {
                        return target;
                    }
                    writeAndRename(fileName, content, target);
                } finally {
                    lock.release();
                }
            }
        }
        if (!matches(target, content)) {
            throw new IOException("native library " + target + " does not match its source after installing");
        }
        return target;
    }

    private void writeAndRename(String fileName, byte[] content, Path target) throws IOException {
        removeDeadTemporaries(fileName);
        Path tmp = Files.createTempFile(dir, "." + fileName + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            if (!matches(tmp, content)) {
                throw new IOException("native library " + tmp + " did not read back as written");
            }
            moveAtomically(tmp, target);
            syncDirectory();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Installs a class-path resource (e.g. {@code /lib/libJCudaDriver-12.6.0-linux-x86_64.so}).
     *
     * @param resource the absolute class-path resource name
     * @param fileName the name of the file in the cache
     * @return the absolute path of the file
     * @throws IOException if the resource is missing or the file cannot be written
     */
    public Path installResource(String resource, String fileName) throws IOException {
        return install(fileName, readResource(resource));
    }

    /**
     * The bytes of a class-path resource, or an {@link IOException} naming it.
     *
     * @param resource the absolute class-path resource name
     * @return its bytes
     * @throws IOException if it is missing or unreadable
     */
    public static byte[] readResource(String resource) throws IOException {
        try (InputStream in = NativeCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is not on the class path (is the jcuda-natives /"
                        + " jcublas-natives linux-x86_64 jar missing?)");
            }
            return in.readAllBytes();
        }
    }

    private static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target.getParent() + " cannot rename atomically;"
                    + " set -D" + DIR_PROPERTY + " to a local directory", e);
        }
    }

    private void removeDeadTemporaries(String fileName) throws IOException {
        // We hold the lock and every writer holds it while its temporary file exists: these are leftovers.
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "." + fileName + ".*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not possible on every platform, and not needed for correctness here.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    /**
     * True when {@code file} holds exactly {@code content}: compared byte for byte, which is both stricter and
     * cheaper than comparing digests (hashing the 1.2 MB driver bindings twice cost every start-up, GPU or not,
     * tens of milliseconds and a C2 compile of SHA-256).
     */
    static boolean matches(Path file, byte[] content) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != content.length) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), content);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * Lower-case hex of the SHA-256 of {@code data}.
     *
     * @param data the bytes to hash
     * @return 64 hex digits
     */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }
}
