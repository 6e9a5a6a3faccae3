package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digits ... | head -1}: a reader that closes the pipe after the lines it wanted ends the run as a shell's own
 * tools end then, quietly and with status 141 (128 + SIGPIPE), after the run's work is done; the whole program in a
 * child JVM, since only a real pipe shows it.
 */
class ClosedPipeTest {
    @TempDir
    Path dir;

    @Test
    void predictionsIntoAPipeClosedAfterOneLineEndQuietlyWithSigpipesStatus() throws Exception {
        Path model = dir.resolve("model.safetensors");
        assertEquals(0, DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1", "--hidden", "8",
                "--progress-every", "0", "--save", model.toString()).status());
        // 20,000 rows: about 2.5 MB of probabilities, far beyond what a pipe buffers before its reader has gone.
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 20_000; r++) {
            for (int c = 0; c < 64; c++) {
                rows.append(c == 0 ? "" : ",").append((r + c) % 17);
            }
            rows.append('\n');
        }
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, rows);

        Outcome o = runAndCloseAfterFirstLine("predict", "--model", model.toString(), "--csv", csv.toString(),
                "--output", "-");
        assertTrue(o.firstLine.startsWith("class,p_0,"), o.firstLine);
        assertEquals(StandardOutput.CLOSED_PIPE_STATUS, o.status, o.err);
        assertFalse(o.err.contains("error") || o.err.contains("Wrote"), o.err);
    }

    @Test
    void aTrainingRunWhoseReaderLeftStillSavesItsModel() throws Exception {
        Path model = dir.resolve("after-head.safetensors");
        Outcome o = runAndCloseAfterFirstLine("--backend", "cpu", "--epochs", "300", "--hidden", "8", "--progress",
                "lines", "--progress-every", "1", "--save", model.toString());
        assertEquals(StandardOutput.CLOSED_PIPE_STATUS, o.status, o.err);
        assertFalse(o.err.contains("error"), o.err);
        assertTrue(Files.size(model) > 0, "the run went on to save its model");
    }

    /** What a child {@code digits} left: the first line it printed, its status and its standard error. */
    private record Outcome(String firstLine, int status, String err) {
    }

    private Outcome runAndCloseAfterFirstLine(String... args) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-cp",
                System.getProperty("java.class.path"), DigitsTrainer.class.getName()));
        command.addAll(List.of(args));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String first;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            first = String.valueOf(out.readLine());
            out.close();   // what head does once it has its lines
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        return new Outcome(first, p.exitValue(), Files.readString(err));
    }
}
