package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/math.md's manual training step is {@link Backprop}: the document shows its source verbatim, and the build
 * compiles and runs it; the numbers it prints are the article's worked example, as the conformance suite's
 * {@code WorkedExampleConformance} works them by hand.
 */
class BackpropTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/nnj/examples/Backprop.java");
    private static final Path MATH = Path.of("../docs/math.md");

    @Test
    void mathShowsTheBackpropSourceVerbatim() throws IOException {
        ReadmeExamples.assertShownVerbatim(SOURCE, MATH);
    }

    @Test
    void mathSaysHowToRunIt() throws IOException {
        String math = Files.readString(MATH);
        assertTrue(math.contains("-cp nn-examples/target/nnj-digits.jar dev.nnj.examples.Backprop"),
                "docs/math.md gives the command that runs the example");
    }

    @Test
    void backpropPrintsTheWorkedExampleAndAPassingCheck() throws Exception {
        String output = ReadmeExamples.standardOutputOf(() -> Backprop.main(new String[0]));
        // Forward: a2 = σ(0.5) = 0.6224593, L = −log a2 = 0.4740770.
        assertEquals(0.6224593312, number(output, "a2 = (\\S+),"), 1e-6, output);
        assertEquals(0.4740769842, number(output, "loss = (\\S+)\\R"), 1e-6, output);
        // Backward: dz2 = a2 − y, dW2 = a1ᵀ dz2 with a1 = (0.8, 0), dz1 = dz2 · W2ᵀ ⊙ relu'(z1).
        double dz2 = 0.6224593312 - 1;
        double dz1 = dz2 * 0.5;
        assertEquals(dz2, number(output, "dense_2\\.bias = \\[(\\S+)\\]"), 1e-6, output);
        assertEquals(0.8 * dz2, number(output, "dense_2\\.weight = \\[(\\S+),"), 1e-6, output);
        assertEquals(dz1, number(output, "dense_1\\.bias = \\[(\\S+),"), 1e-6, output);
        assertEquals(2 * dz1, number(output, "dense_1\\.weight = \\[\\S+, \\S+, (\\S+),"), 1e-6, output);
        // The check passes on all 9 elements, none at a kink.
        assertTrue(output.contains("PASSED"), output);
        for (String name : new String[] {"dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"}) {
            Pattern row = Pattern.compile(Pattern.quote(name) + "\\s+\\([^)]*\\)\\s+(\\d)/\\1\\s+0\\s");
            assertTrue(row.matcher(output).find(), name + " checked whole, no kink: " + output);
        }
        // One step of gradient descent, η = 0.5: W1[0, 0] = 0.1 − 0.5 dz1, and the loss falls to 0.2683567.
        assertEquals(0.1 - 0.5 * dz1, number(output, "W1 = \\[(\\S+),"), 1e-6, output);
        assertEquals(0.2683566999, number(output, "after:\\s+loss = (\\S+)"), 1e-6, output);
    }

    private static double number(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + output);
        return Double.parseDouble(m.group(1));
    }
}
