package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.Dataset;
import org.junit.jupiter.api.Test;

/** The trainer's reading of the built-in digits ({@code DigitsTest} in nn-api checks the data itself). */
class DigitsDataTest {

    /**
     * A prefetched read is the same data as a direct one, is taken by one load only (a second load reads again),
     * and a second prefetch before that load starts nothing new.
     */
    @Test
    void aPrefetchedLoadIsTheSameDataAndIsTakenOnce() {
        Dataset direct = DigitsData.load();
        DigitsData.prefetch();
        DigitsData.prefetch();
        Dataset prefetched = DigitsData.load();
        Dataset again = DigitsData.load();
        for (Dataset d : new Dataset[] {prefetched, again}) {
            assertArrayEquals(direct.features(), d.features());
            assertArrayEquals(direct.targets(), d.targets());
            assertArrayEquals(direct.labels(), d.labels());
        }
        assertTrue(prefetched.features() != again.features(), "the second load reads the file again");
    }

    /** The trainer starts reading the digits early unless the command line reads a CSV or prints help. */
    @Test
    void onlyACommandLineThatTrainsOnTheDigitsPrefetchesThem() {
        assertTrue(DigitsTrainer.readsBundledDigits(new String[0]));
        assertTrue(DigitsTrainer.readsBundledDigits(new String[] {"--preset", "keras", "--epochs", "5"}));
        for (String[] args : new String[][] {{"--csv", "x.csv", "--label", "0"}, {"--csv=x.csv"}, {"--help"},
                {"-h"}, {"-hV"}, {"--version"}, {"predict", "--help"}, {"convert", "a.onnx", "b.safetensors"}}) {
            assertEquals(false, DigitsTrainer.readsBundledDigits(args), String.join(" ", args));
        }
    }
}
