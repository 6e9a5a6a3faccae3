package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's article example is {@link ArticleNetwork}: the README shows its source verbatim, and the network it
 * builds from the public API alone trains to what {@code ./digits --preset article} reports, to the printed digit.
 */
class ArticleNetworkTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/nnj/examples/ArticleNetwork.java");

    @Test
    void readmeShowsTheArticleExampleSourceVerbatim() throws IOException {
        ReadmeExamples.assertShownVerbatim(SOURCE);
    }

    @Test
    void theExampleTrainsWhatTheArticlePresetTrains() throws Exception {
        String output = ReadmeExamples.standardOutputOf(() -> ArticleNetwork.main(new String[0]));
        Matcher example = Pattern.compile("loss=([0-9.]+) accuracy=([0-9.]+) \\(360 samples\\)").matcher(output);
        assertTrue(example.find(), output);

        // No --backend: the trainer picks the backend as the example does (Backends.best()), so both compute alike.
        DigitsTrainerOptionsTest.Outcome preset = DigitsTrainerOptionsTest.run("--preset", "article",
                "--progress-every", "0");
        assertEquals(0, preset.status(), preset.err());
        Matcher trainer = Pattern.compile("  test   loss ([0-9.]+)  accuracy ([0-9.]+)  \\(360 images\\)")
                .matcher(preset.out());
        assertTrue(trainer.find(), preset.out());
        assertEquals(trainer.group(1), example.group(1), "test loss");
        assertEquals(trainer.group(2), example.group(2), "test accuracy");
        assertTrue(Double.parseDouble(example.group(2)) > 0.9, "the article's digits classifier: " + output);
    }
}
