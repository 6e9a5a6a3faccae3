package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.TrainingListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted run says, in one line on stderr and in every output mode, where it stopped and what it wrote. */
class InterruptionTest {

    @Test
    void theLineNamesTheEpochRunningAndWhatWasWritten() {
        StringWriter err = new StringWriter();
        Interruption stop = new Interruption(new PrintWriter(err));
        TrainingListener epochs = stop.training(1, 500, "");
        stop.report();
        assertEquals("digits: interrupted at epoch 1 of 500; nothing written", err.toString().strip());

        err.getBuffer().setLength(0);
        epochs.onEpochEnd(new EpochStats(36, 500, 0.5, 0.75, 0.6, 0.7, 1000));
        stop.note(() -> "ckpt/last.safetensors (the last checkpoint; --resume ckpt/last.safetensors continues)");
        stop.report();
        assertEquals("digits: interrupted at epoch 37 of 500; written: ckpt/last.safetensors (the last checkpoint; "
                + "--resume ckpt/last.safetensors continues)", err.toString().strip());

        err.getBuffer().setLength(0);
        StringBuilder order = new StringBuilder();
        Interruption plots = new Interruption(new PrintWriter(err) {
            @Override
            public void println(String x) {
                order.append("message;");
                super.println(x);
            }
        });
        plots.wrote(Path.of("m.st"));
        plots.wrote(Path.of("plots", "loss.png"));
        plots.stage(() -> "while writing " + Path.of("plots", "accuracy.png"));
        plots.display(() -> order.append("bar;"));
        plots.onInterrupt(() -> order.append("cleanup;"));
        plots.report();
        assertEquals("digits: interrupted while writing plots/accuracy.png; written: m.st, plots/loss.png",
                err.toString().strip());
        assertEquals("bar;cleanup;message;", order.toString(), "the bar's line ends first, the message comes last");
    }

    /**
     * The epoch named is where training stood when checkpoint writes ended, not where it got to while the bar's line
     * was ended and the cleanups ran (training goes on until the JVM halts): a trial's message named epoch 590 beside
     * a last checkpoint after epoch 578.
     */
    @Test
    void aLogWrittenEachEpochIsNamedFromItsFirstWriteOnAndOnce() {
        StringWriter err = new StringWriter();
        Interruption stop = new Interruption(new PrintWriter(err));
        TrainingListener log = stop.guardWriting(s -> { }, Path.of("seed-1-h.csv"));
        stop.report();
        assertEquals("digits: interrupted before training; nothing written", err.toString().strip(),
                "not named before its first write");

        err.getBuffer().setLength(0);
        Interruption later = new Interruption(new PrintWriter(err));
        TrainingListener written = later.guardWriting(s -> { }, Path.of("seed-1-h.csv"));
        written.onEpochEnd(new EpochStats(1, 500, 0.5, 0.75, 0.6, 0.7, 1000));
        written.onEpochEnd(new EpochStats(2, 500, 0.5, 0.75, 0.6, 0.7, 1000));
        later.wrote(Path.of("seed-1-h.csv"));
        later.report();
        assertTrue(err.toString().strip().endsWith("; written: seed-1-h.csv"), err.toString());
        log.onEpochEnd(new EpochStats(1, 500, 0.5, 0.75, 0.6, 0.7, 1000));   // after the report: not called
    }

    /**
     * A training log rewritten only every few fast epochs gets its held-back rows from the hook, as a run that ends
     * does: the JVM halts after the hook, and they would be lost. A failure to write them is said in the line.
     */
    @Test
    void theHookWritesOutWhatALogHeldBack() {
        StringWriter err = new StringWriter();
        Interruption stop = new Interruption(new PrintWriter(err));
        List<String> calls = new ArrayList<>();
        class HeldBack implements TrainingListener, java.io.Flushable {
            @Override
            public void onEpochEnd(EpochStats stats) {
                calls.add("epoch " + stats.epoch());
            }

            @Override
            public void flush() throws java.io.IOException {
                calls.add("flush");
                if (calls.size() > 3) {
                    throw new java.io.IOException("h.csv: no space left on device (h.csv is as it was)");
                }
            }
        }
        TrainingListener log = stop.guardWriting(new HeldBack(), Path.of("h.csv"));
        log.onEpochEnd(new EpochStats(1, 500, 0.5, 0.75, 0.6, 0.7, 1000));
        assertTrue(log instanceof java.io.Flushable, "the trainer can still ask the guarded log");
        stop.report();
        assertEquals(List.of("epoch 1", "flush"), calls);
        assertEquals("digits: interrupted before training; written: h.csv", err.toString().strip());
        log.onEpochEnd(new EpochStats(2, 500, 0.5, 0.75, 0.6, 0.7, 1000));   // after the report: not called

        err.getBuffer().setLength(0);
        Interruption full = new Interruption(new PrintWriter(err));
        TrainingListener failing = full.guardWriting(new HeldBack(), Path.of("h.csv"));
        failing.onEpochEnd(new EpochStats(1, 500, 0.5, 0.75, 0.6, 0.7, 1000));
        full.report();
        assertEquals("digits: interrupted before training (h.csv's last rows could not be written: h.csv: no space "
                + "left on device (h.csv is as it was)); written: h.csv", err.toString().strip());
    }

    @Test
    void theEpochIsTakenWhenWritesEndNotAfterTheCleanups() {
        StringWriter err = new StringWriter();
        Interruption stop = new Interruption(new PrintWriter(err));
        TrainingListener epochs = stop.training(1, 1200, "");
        epochs.onEpochEnd(new EpochStats(578, 1200, 0.5, 0.75, 0.6, 0.7, 1000));
        // Training goes on while the hook ends the bar's line and cleans up.
        stop.display(() -> epochs.onEpochEnd(new EpochStats(589, 1200, 0.5, 0.75, 0.6, 0.7, 1000)));
        stop.onInterrupt(() -> epochs.onEpochEnd(new EpochStats(590, 1200, 0.5, 0.75, 0.6, 0.7, 1000)));
        stop.report();
        assertEquals("digits: interrupted at epoch 579 of 1200; nothing written", err.toString().strip());

        // Interrupted while the model is saved: the stage names the file, whose atomic write may just have ended.
        err.getBuffer().setLength(0);
        Interruption saving = new Interruption(new PrintWriter(err));
        saving.stage(() -> "while saving the model to m.st (an atomic write: it holds the new model whole or is as "
                + "it was)");
        saving.report();
        assertEquals("digits: interrupted while saving the model to m.st (an atomic write: it holds the new model "
                + "whole or is as it was); nothing else written", err.toString().strip());
    }

    /**
     * The training thread goes on while the hook runs: a checkpoint it wrote after the message would make the message
     * name an older epoch than the file holds. The hook waits for a write under way, and none reaches the file after.
     */
    @Test
    void aGuardedListenerIsWaitedForAndThenNotCalledAgain() throws Exception {
        Interruption stop = new Interruption(new PrintWriter(new StringWriter()));
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        List<Integer> written = java.util.Collections.synchronizedList(new ArrayList<>());
        TrainingListener checkpoints = stop.guard(s -> {
            writing.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(s.epoch());
        });
        Thread trainer = new Thread(() -> checkpoints.onEpochEnd(new EpochStats(7, 50, 0.5, 0.7, 0.6, 0.7, 10)));
        trainer.start();
        assertTrue(writing.await(30, TimeUnit.SECONDS), "the write started");
        Thread hook = new Thread(stop::report);
        hook.start();
        hook.join(300);
        assertTrue(hook.isAlive(), "the hook waits for the write under way");
        finish.countDown();
        hook.join(30_000);
        trainer.join(30_000);
        assertFalse(hook.isAlive(), "the hook ends once the write has");
        assertEquals(List.of(7), written);

        checkpoints.onEpochEnd(new EpochStats(8, 50, 0.5, 0.7, 0.6, 0.7, 10));
        assertEquals(List.of(7), written, "no write after the message");
    }

    /**
     * A write that never ends (a named pipe whose reader has gone) is waited for a while, not for good: the hook held
     * the JVM up until SIGKILL. The line says a write was left unfinished.
     */
    @Test
    void aWriteThatNeverEndsIsLeftAfterTheWait() throws Exception {
        StringWriter err = new StringWriter();
        Interruption stop = new Interruption(new PrintWriter(err), 200);
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        TrainingListener stuck = stop.guardWriting(s -> {
            writing.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, java.nio.file.Path.of("log.fifo"));
        Thread trainer = new Thread(() -> stuck.onEpochEnd(new EpochStats(2, 5, 0.5, 0.7, 0.6, 0.7, 10)));
        trainer.setDaemon(true);
        trainer.start();
        assertTrue(writing.await(30, TimeUnit.SECONDS), "the write started");
        long t0 = System.nanoTime();
        Thread hook = new Thread(stop::report);
        hook.start();
        hook.join(30_000);
        assertFalse(hook.isAlive(), "the hook ended");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200), "after the wait");
        assertTrue(err.toString().contains("interrupted while writing log.fifo after epoch 2 (a file was still being "
                + "written after 0.2 s, a pipe no one reads or a stalled disk, and was left unfinished)"),
                err.toString());
        never.countDown();
        trainer.join(30_000);
    }

    @Test
    void theHookIsRegisteredOnlyWhileARunLasts() {
        Runtime runtime = Runtime.getRuntime();
        Interruption stop = Interruption.start(new PrintWriter(new StringWriter()));
        try {
            assertTrue(runtime.removeShutdownHook(stop.hook), "registered while the run lasts");
            runtime.addShutdownHook(stop.hook);
        } finally {
            stop.close();
        }
        assertFalse(runtime.removeShutdownHook(stop.hook), "removed at the end");
        stop.close();
    }

    /**
     * The whole program, stopped by SIGTERM (what Ctrl-C's SIGINT and a cancelled CI job do alike: the JVM runs its
     * shutdown hooks) while printing plain progress lines into a pipe: the line names the epoch, and the --plots folder
     * the run made is gone.
     */
    @Test
    void aRunStoppedBySignalInAPipeSaysWhereAndLeavesNoEmptyPlotsFolder(@TempDir Path dir) throws Exception {
        Path plots = dir.resolve("plots");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                DigitsTrainer.class.getName(), "--backend", "cpu", "--epochs", "1000000", "--progress", "lines",
                "--progress-every", "1", "--plots", plots.toString()));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int epochLines = 0;
            while ((line = out.readLine()) != null && epochLines < 2) {
                epochLines += line.startsWith("epoch ") ? 1 : 0;
            }
            assertEquals(2, epochLines, "training started");
            assertTrue(Files.isDirectory(plots), "--plots is made before training");
            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.matches("(?s).*digits: interrupted at epoch [0-9]+ of 1000000; nothing written\\R.*"), err);
        assertEquals(143, p.exitValue(), "128 + SIGTERM, as a shell reports a killed command");
        assertFalse(Files.exists(plots), "the empty --plots folder the run made is removed");
    }

    /**
     * The whole program with {@code --history}, stopped by SIGTERM while its fast epochs have the log rewritten only
     * every few of them: the file still ends where training stood, its rows held back written by the hook.
     */
    @Test
    void aRunStoppedBySignalLeavesItsHistoryUpToTheEpochItNames(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("h.csv");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                DigitsTrainer.class.getName(), "--backend", "cpu", "--epochs", "1000000", "--progress", "lines",
                "--progress-every", "1", "--history", history.toString()));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int epochLines = 0;
            while ((line = out.readLine()) != null && epochLines < 300) {
                epochLines += line.startsWith("epoch ") ? 1 : 0;
            }
            assertEquals(300, epochLines, "training ran");
            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("err.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("digits: interrupted at epoch ([0-9]+) of 1000000;"
                + " written: " + java.util.regex.Pattern.quote(history.toString()) + "\\R").matcher(err);
        assertTrue(m.find(), err);
        int running = Integer.parseInt(m.group(1));
        List<String> rows = Files.readAllLines(history);
        for (int r = 1; r < rows.size(); r++) {
            assertTrue(rows.get(r).startsWith(r + ","), "row " + r + ": " + rows.get(r));
        }
        // The epoch named is the one running; the log has the one before it, or, where the hook came between the
        // epoch's end and the log's turn, the one before that.
        int last = rows.size() - 1;
        assertTrue(last == running - 1 || last == running - 2, "the log ends at epoch " + last + ", the message names "
                + running);
    }

    /**
     * A run whose {@code --history} is a named pipe with no reader yet waits in the pipe's open; stopped there by
     * SIGTERM, it says so and ends. The hook's request for the log's held-back rows waited for the log, which the
     * open held, and the run never ended.
     */
    @Test
    void aRunWaitingForItsHistoryPipesReaderEndsOnASignal(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("h.fifo");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                DigitsTrainer.class.getName(), "--backend", "cpu", "--epochs", "50", "--progress", "lines",
                "--history", fifo.toString()));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("out.txt")).contains("Training:") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);   // into the pipe's open
            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue());
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.contains("digits: interrupted "), err);
    }

    /**
     * predict stopped while it reads its rows (from a pipe that the test keeps open) says so, and that it wrote
     * nothing: it exited 143 without a word before.
     */
    @Test
    void aPredictionStoppedBySignalSaysSo(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1", "--progress-every", "0",
                "--save", model.toString()).status());
        Path fifo = dir.resolve("rows.csv");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                DigitsTrainer.class.getName(), "predict", "--model", model.toString(), "--csv", fifo.toString(),
                "--output", dir.resolve("p.csv").toString(), "--backend", "cpu")
                .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (java.io.OutputStream rows = Files.newOutputStream(fifo)) {
            rows.write(("0,".repeat(63) + "0\n").getBytes(StandardCharsets.UTF_8));
            rows.flush();
            Thread.sleep(500);   // predict is reading, and waits for more
            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "predict ends");
        } catch (java.io.IOException e) {
            // the reader went away first: what it said is checked below
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.contains("digits: interrupted during the predictions; nothing written"), err);
        assertEquals(143, p.exitValue());
        assertFalse(Files.exists(dir.resolve("p.csv")));
    }
}
