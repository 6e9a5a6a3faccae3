package dev.nnj.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code DISPLAY} that names no reachable X server (a stale {@code ssh -X} session, a CI job that sets
 * {@code DISPLAY=:99} without starting Xvfb) does not stop the charts: each chart class makes AWT headless before its
 * static fields load AWT. Loading {@link TrainingCharts} first, whose {@code Color} constants started AWT before its
 * entry points could, made every chart of the JVM fail with "Can't connect to X11 window server". Run in a JVM of its
 * own, as AWT decides once per JVM, without {@code java.awt.headless} set.
 */
class UnreachableDisplayTest {

    /** Loads TrainingCharts (initialising it), then writes a confusion matrix to the path given. */
    public static void main(String[] args) throws Exception {
        Class.forName(TrainingCharts.class.getName(), true, UnreachableDisplayTest.class.getClassLoader());
        ConfusionMatrixChart.write(new int[][] {{3, 1}, {0, 4}}, new String[] {"a", "b"}, "t", Path.of(args[0]));
    }

    @Test
    void chartsAreWrittenWhereTheDisplayCannotBeReached(@TempDir Path dir) throws IOException, InterruptedException {
        Path png = dir.resolve("cm.png");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UnreachableDisplayTest.class.getName(), png.toString())
                .redirectErrorStream(true);
        pb.environment().put("DISPLAY", ":99");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(0, p.exitValue(), output);
        assertTrue(Files.size(png) > 0, "the chart was written");
    }
}
