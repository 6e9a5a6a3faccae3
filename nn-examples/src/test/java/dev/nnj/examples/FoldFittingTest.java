package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.SimpleImputer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cv's folds fit the imputer and the scaler on their own training rows: nothing of the held-out rows leaks. */
class FoldFittingTest {
    @TempDir
    Path dir;

    @Test
    void aFoldsHeldOutRowsAreFilledInAndScaledWithItsTrainingRowsStatistics() {
        float nan = Float.NaN;
        Dataset asRead = Dataset.allowingNonFinite(new float[] {1, nan, 3, 100, nan}, 1,
                new float[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 0}, 2, new int[] {0, 1, 0, 1, 0});
        IndexSplit fold = new IndexSplit(new int[] {0, 1, 2}, new int[] {3, 4});
        IndexSplit.Datasets parts = DataOptions.fittedFold(asRead, fold, SimpleImputer.Strategy.MEAN,
                DataOptions.Scaler.MINMAX, null);
        // Training rows 1, NaN, 3: the mean 2 fills in, then min 1 and max 3 scale.
        assertArrayEquals(new float[] {0, 0.5f, 1}, parts.train().features());
        // Held out: 100 is far past the fold's range (1 to 3), and its NaN gets the training rows' mean.
        assertArrayEquals(new float[] {49.5f, 0.5f}, parts.test().features());
        assertTrue(Float.isNaN(asRead.features()[1]), "the rows as read stay as read, for the next fold");
        IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataOptions.fittedFold(asRead, new IndexSplit(new int[] {1, 4}, new int[] {0, 2, 3}),
                        SimpleImputer.Strategy.MEAN, DataOptions.Scaler.MINMAX, new String[] {"extra"}));
        assertEquals("--cv: column 'extra' has no value in the 2 training rows of a fold (its values are all in the "
                + "rows that fold holds out), so --impute has nothing to fill it in from; leave it out with --ignore "
                + "extra", empty.getMessage());
    }

    @Test
    void crossValidationRefitsPerFoldAndSaysSo() throws Exception {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        for (int i = 0; i < 90; i++) {
            lines.add((i % 9 == 4 ? "" : String.valueOf(i % 13 * 0.5)) + "," + (i % 7) + "," + (i % 2 == 0 ? "p"
                    : "q"));
        }
        Path csv = Files.write(dir.resolve("cv.csv"), lines);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "y",
                "--header", "--impute", "median", "--cv", "3", "--epochs", "2", "--backend", "cpu",
                "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("  --cv: the imputer and the scaler refitted on each fold's training rows"), o.out());
    }
}
