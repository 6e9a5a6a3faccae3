package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the tests of the documentation's compiled examples ({@link QuickStart}, {@link RegressionExample} in the README,
 * {@link Backprop} in docs/math.md) share: the document shows an example's source verbatim, and a run of its
 * {@code main} prints what the test reads.
 */
final class ReadmeExamples {
    private static final Path README = Path.of("../README.md");

    /** An example's {@code main}, which may throw. */
    @FunctionalInterface
    interface Main {
        void run() throws Exception;
    }

    /**
     * Fails unless the README shows {@code source} verbatim in a {@code ```java} block.
     *
     * @param source the example's source file, relative to nn-examples
     * @throws IOException if a file cannot be read
     */
    static void assertShownVerbatim(Path source) throws IOException {
        assertShownVerbatim(source, README);
    }

    /**
     * Fails unless {@code document} shows {@code source} verbatim in a {@code ```java} block.
     *
     * @param source the example's source file, relative to nn-examples
     * @param document the Markdown file that shows it, relative to nn-examples
     * @throws IOException if a file cannot be read
     */
    static void assertShownVerbatim(Path source, Path document) throws IOException {
        String text = Files.readString(source, StandardCharsets.UTF_8);
        String shown = Files.readString(document, StandardCharsets.UTF_8);
        assertTrue(shown.contains("```java\n" + text + "```"),
                document.normalize() + " must show " + source + " verbatim in a ```java block; update it after "
                        + "editing " + source.getFileName());
    }

    /**
     * What {@code main} prints on standard output.
     *
     * @param main the example's main
     * @return its output
     * @throws Exception what {@code main} throws
     */
    static String standardOutputOf(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            main.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private ReadmeExamples() {
    }
}
