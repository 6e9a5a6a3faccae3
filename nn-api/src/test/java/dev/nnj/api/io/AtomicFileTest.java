package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFile} in a JVM that exits while files are being written. Each case runs in a child JVM that calls
 * {@code System.exit} (the path a Ctrl-C takes too: the shutdown hooks, then the halt), since what is left on
 * disk shows only once a JVM has ended.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    /**
     * A write that fails for the system's reason (a full disk) names the file and says it is as it was; the JDK's own
     * message is the reason alone. A full device, written in place, names the device.
     */
    /** The unsynced write replaces as the synced one does: the whole new content or, failed, the old; no leftover. */
    @Test
    void anUnsyncedWriteReplacesTheFileWhole() throws IOException {
        Path file = dir.resolve("history.csv");
        Files.writeString(file, "old\n");
        AtomicFile.writeUnsynced(file, out -> out.write("epoch\n1\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("epoch\n1\n", Files.readString(file));
        try (var listing = Files.list(dir)) {
            assertEquals(java.util.List.of(file), listing.toList(), "no temporary file left");
        }
        IOException failed = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFile.writeUnsynced(file, out -> {
                    out.write("half".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk gone");
                }));
        assertTrue(failed.getMessage().contains("disk gone"), failed.getMessage());
        assertEquals("epoch\n1\n", Files.readString(file), "a failed write leaves the file as it was");
    }

    @Test
    void aFailedWriteNamesItsFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "good\n");
        IOException full = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFile.write(file, out -> {
                    out.write(1);
                    throw new IOException("No space left on device");
                }));
        assertEquals(file + ": no space left on device (" + file + " is as it was)", full.getMessage());
        assertEquals("good\n", Files.readString(file));
        assertEquals(List.of(file), files(), "no temporary file is left");
        IOException named = new IOException(file + " is read-only");
        IOException kept = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFile.write(file, out -> {
                    throw named;
                }));
        assertEquals(named, kept, "a message that names the file already is kept");
        // A file that was not there is not written; a writer's own words around the system's reason give way to it.
        Path fresh = dir.resolve("fresh.png");
        IOException wrapped = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFile.write(fresh, out -> {
                    throw new IOException("I/O error writing PNG file!", new IOException("No space left on device"));
                }));
        assertEquals(fresh + ": no space left on device (not written)", wrapped.getMessage());
        assertTrue(!Files.exists(fresh));
        Path device = Path.of("/dev/full");
        if (Files.exists(device)) {
            IOException deviceFull = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> AtomicFile.write(device, out -> out.write(new byte[1 << 16])));
            assertEquals("/dev/full: no space left on device", deviceFull.getMessage());
        }
    }

    /**
     * A write begun ({@link AtomicFile#begin}) whose stream fails names the file as a write all at once does: its
     * stream's failures used to be the system's bare words. Closing the stream only flushes it; the commit still
     * works.
     */
    @Test
    void aWriteBegunNamesItsFileWhenItsStreamFails() throws Exception {
        Path file = dir.resolve("predictions.csv");
        Files.writeString(file, "old\n");
        try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
            pending.stream().write("a,b\n".getBytes(StandardCharsets.UTF_8));
            pending.stream().close();   // as a writer wrapped around it does: the write goes on
            pending.stream().write("1,2\n".getBytes(StandardCharsets.UTF_8));
            pending.commit();
        }
        assertEquals("a,b\n1,2\n", Files.readString(file));
        // A buffered writer flushed after the commit: its bytes are in no file, and said so (not "as it was").
        java.io.BufferedOutputStream late;
        try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
            late = new java.io.BufferedOutputStream(pending.stream());
            late.write("a,b\n".getBytes(StandardCharsets.UTF_8));
            pending.commit();
        }
        IOException after = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, late::close);
        assertEquals(file + ": bytes written after the write was committed are not in it (flush before the commit)",
                after.getMessage());
        assertEquals("", Files.readString(file), "the commit wrote what had reached the stream: nothing");
        Files.writeString(file, "a,b\n1,2\n");
        try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
            // The disk failing under the stream, as a closed channel makes it fail.
            java.lang.reflect.Field channel = AtomicFile.Pending.class.getDeclaredField("channel");
            channel.setAccessible(true);
            ((java.nio.channels.FileChannel) channel.get(pending)).close();
            IOException failed = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> pending.stream().write(new byte[10]));
            assertEquals(file + ": ClosedChannelException (" + file + " is as it was)", failed.getMessage());
        }
        assertEquals("a,b\n1,2\n", Files.readString(file));
        assertEquals(List.of(file), files(), "no temporary file is left");
    }

    /**
     * A write made over time ({@link AtomicFile#begin}): nothing is seen under the target's name before the commit;
     * closed without one, the target is as it was and no temporary file is left; a device is refused.
     */
    @Test
    void aWriteBegunIsSeenWholeOnCommitAndNotAtAllWithout() throws IOException {
        Path file = dir.resolve("predictions.csv");
        Files.writeString(file, "before\n");
        try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
            pending.stream().write("part 1\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("before\n", Files.readString(file), "nothing shows before the commit");
            pending.stream().write("part 2\n".getBytes(StandardCharsets.UTF_8));
            pending.commit();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, pending::stream);
        }
        assertEquals("part 1\npart 2\n", Files.readString(file));
        assertEquals(List.of(file), files());
        try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
            pending.stream().write("half".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("part 1\npart 2\n", Files.readString(file), "closed without a commit: as it was");
        assertEquals(List.of(file), files(), "no temporary file is left");
        if (Files.exists(Path.of("/dev/null"))) {
            IOException device = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> AtomicFile.begin(Path.of("/dev/null")));
            assertTrue(device.getMessage().contains("is not a file to replace"), device.getMessage());
        }
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            // Made read-only while the write went on: refused at the commit, as it would have been at the start.
            try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
                pending.stream().write("late".getBytes(StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
                IOException readOnly = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        pending::commit);
                assertTrue(readOnly.getMessage().contains("is read-only (r--r--r--), so it is not replaced"),
                        readOnly.getMessage());
            }
            assertEquals("part 1\npart 2\n", Files.readString(file));
            assertEquals(List.of(file), files());
            // Its permissions changed while the write went on: the new file has the new ones.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            try (AtomicFile.Pending pending = AtomicFile.begin(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                pending.commit();
            }
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file)));
        }
    }

    /**
     * An interrupted thread (a cancelled task, a request past its timeout) can neither write nor read through a file
     * channel, which closes itself: the JDK's exceptions had no message. Both say what happened to which file, the
     * target is as it was, no temporary file is left, and the interrupt status is kept.
     */
    @Test
    void anInterruptedThreadGetsAnErrorThatSaysSoAndLosesNothing() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, List.of(new NamedTensor("w", new int[] {2}, new float[] {1, 2})),
                java.util.Map.of());
        byte[] before = Files.readAllBytes(file);
        Thread.currentThread().interrupt();
        java.io.InterruptedIOException write;
        java.io.InterruptedIOException read;
        try {
            write = org.junit.jupiter.api.Assertions.assertThrows(java.io.InterruptedIOException.class,
                    () -> SafeTensors.write(file, List.of(new NamedTensor("w", new int[] {1}, new float[] {3})),
                            java.util.Map.of()));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            read = org.junit.jupiter.api.Assertions.assertThrows(java.io.InterruptedIOException.class,
                    () -> SafeTensors.read(file));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
        } finally {
            Thread.interrupted();
        }
        assertTrue(write.getMessage().startsWith(file + ": not written (" + file + " is as it was): the thread was "
                + "interrupted"), write.getMessage());
        assertTrue(read.getMessage().startsWith(file + ": not read: the thread was interrupted"), read.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(file), "the target is as it was");
        assertEquals(List.of(file), files(), "no temporary file is left");
        assertEquals(2, SafeTensors.read(file).tensors().get("w").values().length, "read again, not interrupted");
    }

    @Test
    void aJvmExitingMidWriteLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("last.safetensors");
        Files.writeString(file, "old content");
        runChild("cut", file);
        assertEquals(List.of(file), files(), "only the target is left");
        assertEquals("old content", Files.readString(file), "the target is untouched");
    }

    @Test
    void writesGoOnWhileTheJvmExitsAndLeaveNoTemporaryFile() throws Exception {
        Path file = dir.resolve("last.safetensors");
        Path saved = dir.resolve("saved-on-exit.safetensors");
        runChild("busy", file, saved);
        assertEquals(List.of(file, saved), files(), "the two targets, no temporary file");
        assertEquals("saved on exit", Files.readString(saved), "another shutdown hook's write is complete");
        assertEquals(Busy.CONTENT, Files.readString(file), "the last complete write of the busy thread");
    }

    /**
     * A JVM killed outright mid-write ({@code SIGKILL}, as the out-of-memory killer does) runs nothing and leaves its
     * temporary file. While its writer lives, the file is locked and stays; once the writer is dead, the first write
     * of the same file in a process removes it, and leaves alone the files that only look alike.
     */
    @Test
    void theNextWriteRemovesWhatAKilledWriterLeft() throws Exception {
        Path file = dir.resolve("last.safetensors");
        Files.writeString(file, "old content");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("atomic-file-test", ".log");
        Path leftover;
        try {
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    AtomicFileTest.class.getName(), "kill", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("half written") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(Files.readString(log).contains("half written"), Files.readString(log));
            List<Path> writing = files();
            assertEquals(2, writing.size(), "the target and the writer's temporary file: " + writing);
            leftover = writing.get(0);
            assertTrue(AtomicFile.isTemporary(leftover.getFileName().toString()), leftover.toString());
            // Alive, the writer holds its file's lock: however old the file, it stays.
            AtomicFile.removeLeftovers(dir, Instant.now().plusSeconds(60));
            assertTrue(Files.exists(leftover), "a live writer's file is kept");
            p.destroyForcibly();   // SIGKILL: no shutdown hook runs
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ended");
        } finally {
            Files.delete(log);
        }
        assertTrue(Files.exists(leftover), "the killed writer's temporary file is left behind");

        // Files that only look like temporary files stay.
        Path backup = dir.resolve(".last.safetensors.backup.tmp");
        Path other = dir.resolve(".last.safetensors.nnj-0123456789ab.tmp");   // 12 digits, not 13
        Files.writeString(backup, "the user's own");
        Files.writeString(other, "the user's too");
        for (Path p : List.of(leftover, backup, other)) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(
                    AtomicFile.LEFTOVER_AGE_SECONDS + 5)));
        }
        AtomicFile.write(file, out -> out.write("new content".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new content", Files.readString(file));
        assertEquals(Set.of(backup, other, file), Set.copyOf(files()),
                "the killed writer's file is gone, the others stay");
    }

    /**
     * Runs {@link #main} in a new JVM on this test's class path; it must exit with status 130 and print nothing:
     * a write that the exit cuts short waits for the halt rather than report an error.
     */
    private static void runChild(String scenario, Path... files) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                AtomicFileTest.class.getName(), scenario));
        for (Path f : files) {
            command.add(f.toString());
        }
        // Its output goes to a file (not in the directory under test), so that a JVM that never exits is seen.
        Path log = Files.createTempFile("atomic-file-test", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(scenario + ": the child JVM did not exit:\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            assertEquals(130, p.exitValue(), scenario + ":\n" + out);
            assertEquals("", out, scenario + ": no write failed");
        } finally {
            Files.delete(log);
        }
    }

    private List<Path> files() throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /**
     * The child JVM. {@code cut FILE}: a write paused half-way, for good, when the JVM exits.
     * {@code busy FILE SAVED}: a thread writes FILE over and over, each write pausing half-way, while the exit
     * runs another shutdown hook that takes 300 ms to write SAVED; so writes start, and are cut, after
     * AtomicFile's own hook has run.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("kill")) {
            CountDownLatch half = new CountDownLatch(1);
            Thread writer = new Thread(() -> write(Path.of(args[1]), "never complete", half, Long.MAX_VALUE));
            writer.start();
            half.await();
            System.out.println("half written");
            System.out.flush();
            writer.join();   // until killed
            return;
        }
        CountDownLatch started = new CountDownLatch(args[0].equals("cut") ? 1 : 5);
        Path file = Path.of(args[1]);
        Runnable writer = args[0].equals("cut")
                ? () -> write(file, "never complete", started, Long.MAX_VALUE)
                : new Busy(file, started);
        if (args[0].equals("busy")) {
            Path saved = Path.of(args[2]);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> write(saved, "saved on exit", null, 300)));
        }
        Thread thread = new Thread(writer, "writer");
        thread.setDaemon(true);
        thread.start();
        if (!started.await(30, TimeUnit.SECONDS)) {
            System.out.println("the writer never started");
        }
        System.exit(130);
    }

    /** Writes {@code text} to {@code file}, pausing {@code pauseMillis} half-way, after counting down {@code half}. */
    private static void write(Path file, String text, CountDownLatch half, long pauseMillis) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, out -> {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                if (half != null) {
                    half.countDown();
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            });
        } catch (IOException e) {
            System.out.println(file.getFileName() + ": " + e);
        }
    }

    /** Writes one file again and again until the JVM halts. */
    private record Busy(Path file, CountDownLatch started) implements Runnable {
        static final String CONTENT = "a complete checkpoint";

        @Override
        public void run() {
            while (true) {
                write(file, CONTENT, started, 2);
            }
        }
    }
}
