package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes the trainer cannot run, refused in one line before anything is allocated: hidden layers beyond one
 * tensor, batches beyond one tensor, and networks beyond the memory budget. Each case runs in process and
 * checks the exit status, the message, that there is no stack trace, that training never started, and that
 * nothing was written to the working directory.
 */
class DigitsTrainerSizeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the cases: an overflowing weight, and a hidden layer whose full batch is beyond one tensor
        "--hidden 2147483647|--hidden 2147483647 with batches of 1437 rows cannot be built: dense_1.weight (64, "
            + "2147483647) has 137438953408 elements",
        "--hidden 5000000|a training batch of 1437 rows through dense_1 (5000000 units) is (1437, 5000000)",
        "--hidden 100000000|dense_1.weight (64, 100000000) has 6400000000 elements",
        // batches of 32 are small, but Adam's state makes the network itself too big for this heap
        "--preset keras --hidden 30000000|needs",
        "--hidden 2000000 --batch-size 1100|a training batch of 1100 rows through dense_1"})
    void anImpossibleSizeIsOneLineBeforeAnythingIsAllocated(String options, String fragment) throws IOException {
        // 2.2e9 parameters with gradients and Adam's two slots are 35 GB: more than any heap this runs with.
        assumeTrue(!options.contains("keras") || Runtime.getRuntime().maxMemory() < 30_000_000_000L);
        Path cwd = Path.of("").toAbsolutePath();
        long filesBefore = countFiles(cwd);
        String[] args = ("--backend cpu --epochs 1 --progress-every 1 " + options).split(" ");
        DigitsTrainerOptionsTest.Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> DigitsTrainerOptionsTest.run(args));
        assertEquals(DigitsTrainer.EXIT_FAILURE, o.status(), o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("digits: error: "), err);
        assertTrue(err.contains(fragment), "should mention '" + fragment + "': " + err);
        if (options.contains("keras")) {
            assertTrue(err.contains("2 optimizer state slots") && err.contains("memory budget"), err);
        }
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertFalse(o.out().contains("epoch 1/1"), "training never started: " + o.out());
        assertFalse(o.out().contains("Total parameters"), "no model was built: " + o.out());
        assertEquals(filesBefore, countFiles(cwd), "nothing written");
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
