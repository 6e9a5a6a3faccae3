package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CsvLogger} on its own: the rows it writes, a restart, and what it refuses. */
class CsvLoggerTest {

    @Test
    void writesOneRowPerEpochAndStartsAfreshForANewRun(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.csv");
        Files.writeString(file, "old content\n");
        CsvLogger logger = new CsvLogger(file);
        logger.onTrainingStart(null);
        logger.onEpochEnd(new EpochStats(1, 2, 0.5, 0.25, Double.NaN, Double.NaN, 1500, 0.1));
        logger.onEpochEnd(new EpochStats(2, 2, 0.125, 0.75, 0.375, 0.5, 3000, 0.05));
        assertEquals(List.of(CsvLogger.HEADER, "1,0.5,0.25,,,0.1,1.500", "2,0.125,0.75,0.375,0.5,0.05,3.000"),
                Files.readAllLines(file));
        logger.onTrainingStart(null);   // a second fit with the same listener
        logger.onEpochEnd(new EpochStats(1, 1, 1.0, 0.0, Double.NaN, Double.NaN, 10, Double.NaN));
        assertEquals(List.of(CsvLogger.HEADER, "1,1.0,0.0,,,,0.010"), Files.readAllLines(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary files left behind");
        }
    }

    @Test
    void refusesADirectoryThatDoesNotExist(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("log.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CsvLogger(file));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
