package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void theBundledDataHas1797ImagesOf64PixelsAndTenDigits() {
        Dataset d = Digits.load();
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
        assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, Arrays.copyOf(d.features(), 8));
        assertTrue(d.features() != Digits.load().features(), "each load reads a data set of its own");
    }

    @Test
    void theArticleSplitIs1437TrainAnd360TestCoveringEveryRowOnce() {
        IndexSplit s = Digits.articleSplit();
        assertEquals(1437, s.train().length);
        assertEquals(360, s.test().length);
        s.validate(1797);
        // scikit-learn's order: the first indices of train_test_split(range(1797), test_size=0.2, random_state=42)
        assertEquals(1734, s.train()[0]);
        assertEquals(1245, s.test()[0]);
    }

    /**
     * The article's scaling: every pixel over its largest count in all 1797 images, the always-blank ones 0; the
     * split's rows are those rows of the scaled set.
     */
    @Test
    void theScaledArticleSplitDividesEachPixelByItsLargestCount() {
        Dataset all = Digits.load();
        IndexSplit.Datasets parts = Digits.scaledArticleSplit();
        float[] max = new float[Digits.FEATURES];
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < Digits.FEATURES; j++) {
                max[j] = Math.max(max[j], all.features()[i * Digits.FEATURES + j]);
            }
        }
        int row = Digits.articleSplit().test()[0];
        for (int j = 0; j < Digits.FEATURES; j++) {
            float raw = all.features()[row * Digits.FEATURES + j];
            float expected = max[j] == 0 ? 0f : raw / max[j];
            assertEquals(expected, parts.test().features()[j], 1e-6f, "pixel " + j);
        }
        assertEquals(1437, parts.train().size());
        assertArrayEquals(all.subset(new int[] {row}).labels(), Arrays.copyOf(parts.test().labels(), 1));
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Digits.classNames());
    }
}
