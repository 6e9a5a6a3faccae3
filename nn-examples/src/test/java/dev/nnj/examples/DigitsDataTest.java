package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import org.junit.jupiter.api.Test;

class DigitsDataTest {

    @Test
    void theBundledDataHas1797ImagesOf64PixelsAndTenDigits() {
        Dataset d = DigitsData.load();
        assertEquals(1797, d.size());
        assertEquals(64, d.featureCount());
        assertEquals(10, d.targetCount());
        for (float v : d.features()) {
            assertTrue(v >= 0 && v <= 16 && v == Math.rint(v), "pixel counts are whole numbers in 0..16: " + v);
        }
        // Class sizes of scikit-learn's load_digits (np.bincount(load_digits().target)).
        int[] counts = new int[10];
        for (int label : d.labels()) {
            counts[label]++;
        }
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        // The first image is a 0 (load_digits().data[0] starts 0, 0, 5, 13, 9, 1).
        assertEquals(0, d.labels()[0]);
        assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, java.util.Arrays.copyOf(d.features(), 8));
    }

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
                {"-h"}, {"-hV"}, {"--version"}, {"predict", "--help"}}) {
            assertEquals(false, DigitsTrainer.readsBundledDigits(args), String.join(" ", args));
        }
    }

    @Test
    void theArticleSplitIs1437TrainAnd360TestCoveringEveryRowOnce() {
        IndexSplit s = DigitsData.articleSplit();
        assertEquals(1437, s.train().length);
        assertEquals(360, s.test().length);
        s.validate(1797);
        // scikit-learn's order: the first indices of train_test_split(range(1797), test_size=0.2, random_state=42)
        assertEquals(1734, s.train()[0]);
        assertEquals(1245, s.test()[0]);
    }
}
