package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nnj.api.data.Dataset;
import org.junit.jupiter.api.Test;

/** The fingerprint a resume compares: the rows, their order and their weights, and nothing else. */
class TrainingRowsTest {
    private static Dataset rows(float... features) {
        float[] targets = new float[features.length * 2];
        for (int i = 0; i < features.length; i++) {
            targets[2 * i + (i % 2)] = 1;
        }
        return new Dataset(features, 1, targets, 2);
    }

    @Test
    void theSameRowsGiveTheSameFingerprintAndAnyChangeAnother() {
        String base = TrainingRows.fingerprint(rows(1, 2, 3, 4), null);
        assertEquals(base, TrainingRows.fingerprint(rows(1, 2, 3, 4), null));
        assertEquals("4 rows, crc32c ", base.substring(0, 15));
        assertNotEquals(base, TrainingRows.fingerprint(rows(1, 2, 3, 4.0001f), null), "a value");
        assertNotEquals(base, TrainingRows.fingerprint(rows(2, 1, 3, 4), null), "the order");
        String weighted = TrainingRows.fingerprint(rows(1, 2, 3, 4), new float[] {1, 1, 1, 1});
        assertNotEquals(base, weighted, "weights count");
        assertEquals("4 weighted rows, crc32c ", weighted.substring(0, 24), "and say so, for files from before them");
        assertNotEquals(weighted, TrainingRows.fingerprint(rows(1, 2, 3, 4), new float[] {1, 1, 2, 1}), "a weight");
    }
}
