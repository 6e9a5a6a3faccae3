package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is {@link QuickStart}: the README shows its source verbatim, and the build compiles
 * and runs it, so the snippet users copy is one that works.
 */
class QuickStartTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/nnj/examples/QuickStart.java");

    @Test
    void readmeShowsTheQuickStartSourceVerbatim() throws IOException {
        ReadmeExamples.assertShownVerbatim(SOURCE);
    }

    @Test
    void quickStartRunsAndLearns() throws Exception {
        String output = ReadmeExamples.standardOutputOf(() -> QuickStart.main(new String[0]));
        assertTrue(output.contains("Total parameters: 116"), output);   // 2·16 + 16 + 16·4 + 4
        assertTrue(output.contains("epoch 10/60"), output);
        assertTrue(output.contains("precision    recall  f1-score   support"), output);
        Matcher m = Pattern.compile("accuracy=(\\d\\.\\d+) \\((\\d+) samples\\)").matcher(output);
        assertTrue(m.find(), "an evaluation line: " + output);
        assertEquals("120", m.group(2), "the test split holds 20 % of 600 points");
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy > 0.9, "quadrants are easy to learn; test accuracy " + accuracy);
    }

    @Test
    void noRootLoggingConfigurationShipsInTheJar() {
        // A root logback.xml in a jar takes over the logging of every application that depends on it.
        assertNull(QuickStart.class.getClassLoader().getResource("logback.xml"),
                "a root logback.xml is on the class path");
        assertTrue(DigitsLogging.class.getResource("digits-logback.xml") != null,
                "the digits program's configuration as a file, for other programs run from the jar");
    }
}
