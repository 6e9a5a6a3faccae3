package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's regression example is {@link RegressionExample}: the README shows its source verbatim, and the build
 * compiles and runs it, as {@link QuickStartTest} does for the quick start.
 */
class RegressionExampleTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/nnj/examples/RegressionExample.java");

    @Test
    void readmeShowsTheRegressionExampleSourceVerbatim() throws IOException {
        ReadmeExamples.assertShownVerbatim(SOURCE);
    }

    @Test
    void theRegressionExampleRunsAndFitsInTheTargetsUnits() throws Exception {
        String output = ReadmeExamples.standardOutputOf(() -> RegressionExample.main(new String[0]));
        Matcher m = Pattern.compile("\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\R\\((\\d+) rows\\)").matcher(output);
        assertTrue(m.find(), "a report: " + output);
        assertEquals("100", m.group(5), "the test split holds 20 % of 500 rows");
        double rmse = Double.parseDouble(m.group(2));
        double r2 = Double.parseDouble(m.group(4));
        // The noise has a standard deviation of 5 in the target's units, of a target whose spread is about 46.
        assertTrue(rmse > 3 && rmse < 10, "RMSE in the target's units, near the noise's 5: " + output);
        assertTrue(r2 > 0.95, "a linear target is easy to fit: " + output);
    }
}
