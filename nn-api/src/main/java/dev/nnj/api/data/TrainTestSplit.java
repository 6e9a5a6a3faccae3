package dev.nnj.api.data;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Seeded random train/test splits, as scikit-learn's {@code train_test_split}: the test part has
 * {@code ceil(testFraction · n)} rows and the training part the rest, both in shuffled order.
 *
 * <p>The shuffles use {@link java.util.Random} (whose algorithm the JDK specifies), so a seed gives the
 * same split on every JVM; they do not reproduce numpy's generator. To use scikit-learn's exact split,
 * load its indices with {@link IndexSplit#read}.
 *
 * <p>A <em>stratified</em> split keeps each class's share in both parts: class {@code c} with
 * {@code n_c} rows gets {@code floor(n_c · nTest / n)} test rows, and the rows still missing from the test
 * part go one each to the classes with the largest remainders (ties broken at random), as scikit-learn's
 * {@code _approximate_mode}; except that a class never gives its last row to the test part. Every class
 * present in the labels therefore keeps at least one training row, and a split whose training part would
 * have fewer rows than there are classes is refused: a classifier cannot learn a class it never sees.
 */
public final class TrainTestSplit {
    private TrainTestSplit() {
    }

    /**
     * The rows a test fraction holds out of {@code rows}, {@code ceil(testFraction · rows)} in double
     * arithmetic, without {@link #testCount}'s checks: for a caller that reports an unusable split itself.
     *
     * @param rows the row count
     * @param testFraction the share of rows in the test part
     * @return the number of test rows the split would hold out
     */
    public static int heldOutRows(int rows, double testFraction) {
        return (int) Math.ceil(testFraction * rows);
    }

    /**
     * Size of the test part for {@code rows} rows: {@code ceil(testFraction · rows)}.
     *
     * @param rows the row count
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @return the number of test rows
     * @throws IllegalArgumentException if {@code testFraction} is not in {@code (0, 1)}, or leaves no test or no
     *         training row
     */
    public static int testCount(int rows, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must be in (0, 1), got " + testFraction);
        }
        int nTest = heldOutRows(rows, testFraction);
        if (nTest < 1 || rows - nTest < 1) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " on " + rows
                    + " rows leaves " + nTest + " test and " + (rows - nTest) + " training rows; both need at least one");
        }
        return nTest;
    }

    /**
     * The largest test fraction, written with as few decimals as it takes, whose split of {@code rows} rows
     * leaves at least {@code trainingRows} training rows: for a stratified split, pass the number of classes
     * to get the largest fraction that keeps a training row of each. For example 150 rows of 3 classes give
     * 0.98 (147 test rows, 3 training rows).
     *
     * @param rows the row count
     * @param trainingRows the fewest training rows the split must leave, at least 1
     * @return the fraction, or empty when {@code rows} cannot give that many training rows and a test row
     */
    public static OptionalDouble largestTestFraction(int rows, int trainingRows) {
        if (trainingRows < 1) {
            throw new IllegalArgumentException("trainingRows must be at least 1, got " + trainingRows);
        }
        int maxTest = rows - trainingRows;
        if (maxTest < 1) {
            return OptionalDouble.empty();
        }
        BigDecimal exact = BigDecimal.valueOf(maxTest);
        BigDecimal n = BigDecimal.valueOf(rows);
        // Rounded down to 1, 2, 3... decimals until the split (heldOutRows) holds out exactly maxTest rows:
        // the shortest fraction that a person can type and that holds out the most.
        for (int decimals = 1; decimals <= 17; decimals++) {
            double f = exact.divide(n, decimals, RoundingMode.FLOOR).doubleValue();
            if (f > 0 && heldOutRows(rows, f) == maxTest) {
                return OptionalDouble.of(f);
            }
        }
        // Only where rounding in the product defeats every decimal: the largest double that still works.
        double f = (double) maxTest / rows;
        while (heldOutRows(rows, f) > maxTest) {
            f = Math.nextDown(f);
        }
        return OptionalDouble.of(f);
    }

    /**
     * A shuffled split of the rows {@code 0 .. rows-1}.
     *
     * @param rows the row count
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @param seed the seed of the shuffle
     * @return the training and test row indices
     * @throws IllegalArgumentException as {@link #testCount testCount}
     */
    public static IndexSplit shuffled(int rows, double testFraction, long seed) {
        int nTest = testCount(rows, testFraction);
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        shuffle(perm, new Random(seed));
        return new IndexSplit(Arrays.copyOfRange(perm, nTest, rows), Arrays.copyOfRange(perm, 0, nTest));
    }

    /**
     * A shuffled split of the rows {@code 0 .. labels.length-1} that keeps the class proportions of
     * {@code labels} (non-negative class indices) in both parts, and at least one training row of every
     * class.
     *
     * @param labels the class of each row
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @param seed the seed of the shuffle
     * @return the training and test row indices
     * @throws IllegalArgumentException when the training part would have fewer rows than there are classes
     *         (see {@link #largestTestFraction}), for a negative label, or as {@link #testCount testCount}
     */
    public static IndexSplit stratified(int[] labels, double testFraction, long seed) {
        Objects.requireNonNull(labels, "labels");
        int n = labels.length;
        int nTest = testCount(n, testFraction);
        int classes = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is negative");
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        int[] counts = new int[classes];
        int present = 0;
        for (int label : labels) {
            if (counts[label]++ == 0) {
                present++;
            }
        }
        if (n - nTest < present) {
            OptionalDouble largest = largestTestFraction(n, present);
            throw new IllegalArgumentException("a stratified split keeps a training row of each class, and a test "
                    + "fraction of " + testFraction + " on " + n + " rows leaves " + rows(nTest, "test") + " and "
                    + rows(n - nTest, "training") + " for " + present + " classes; "
                    + (largest.isPresent() ? "the largest test fraction that keeps one of each is "
                    + largest.getAsDouble() : n + " rows cannot give every class a training row and leave a test row"));
        }
        Random rng = new Random(seed);

        // Largest-remainder allocation of nTest over the classes.
        int[] testPerClass = new int[classes];
        double[] remainder = new double[classes];
        int allocated = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) counts[c] * nTest / n;
            testPerClass[c] = (int) Math.floor(exact);
            remainder[c] = exact - testPerClass[c];
            allocated += testPerClass[c];
        }
        Integer[] byRemainder = new Integer[classes];
        double[] tieBreak = new double[classes];
        for (int c = 0; c < classes; c++) {
            byRemainder[c] = c;
            tieBreak[c] = rng.nextDouble();
        }
        Arrays.sort(byRemainder, (a, b) -> remainder[a] != remainder[b]
                ? Double.compare(remainder[b], remainder[a]) : Double.compare(tieBreak[a], tieBreak[b]));
        // A class's last row stays in training. The floors never take it (counts[c] * nTest / n < counts[c]),
        // and there is room for every remaining row: n - nTest >= present leaves nTest <= sum(counts[c] - 1).
        for (int k = 0; allocated < nTest; k = (k + 1) % classes) {
            int c = byRemainder[k];
            if (testPerClass[c] < counts[c] - 1) {
                testPerClass[c]++;
                allocated++;
            }
        }

        // Rows of each class, shuffled; the first testPerClass[c] of them go to the test part.
        int[][] rowsOf = new int[classes][];
        int[] fill = new int[classes];
        for (int c = 0; c < classes; c++) {
            rowsOf[c] = new int[counts[c]];
        }
        for (int i = 0; i < n; i++) {
            rowsOf[labels[i]][fill[labels[i]]++] = i;
        }
        int[] test = new int[nTest];
        int[] train = new int[n - nTest];
        int t = 0;
        int r = 0;
        for (int c = 0; c < classes; c++) {
            shuffle(rowsOf[c], rng);
            for (int k = 0; k < counts[c]; k++) {
                if (k < testPerClass[c]) {
                    test[t++] = rowsOf[c][k];
                } else {
                    train[r++] = rowsOf[c][k];
                }
            }
        }
        shuffle(train, rng);
        shuffle(test, rng);
        return new IndexSplit(train, test);
    }

    /**
     * The dataset split at random into its two parts.
     *
     * @param dataset the dataset to split
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @param seed the seed of the shuffle
     * @return the training and test parts
     */
    public static IndexSplit.Datasets split(Dataset dataset, double testFraction, long seed) {
        return split(dataset, testFraction, seed, false);
    }

    /**
     * The dataset split into its two parts; {@code stratified} keeps the class proportions of its labels
     * (the dataset must then have labels).
     *
     * @param dataset the dataset to split
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @param seed the seed of the shuffle
     * @param stratified whether both parts keep the class proportions (and a training row of every class)
     * @return the training and test parts
     */
    public static IndexSplit.Datasets split(Dataset dataset, double testFraction, long seed, boolean stratified) {
        Objects.requireNonNull(dataset, "dataset");
        if (stratified && !dataset.hasLabels()) {
            throw new IllegalArgumentException("a stratified split needs class labels, and " + dataset + " has none");
        }
        IndexSplit s = stratified ? stratified(dataset.labels(), testFraction, seed)
                : shuffled(dataset.size(), testFraction, seed);
        return s.apply(dataset);
    }

    /** {@code "1 test row"}, {@code "3 test rows"}. */
    private static String rows(int count, String kind) {
        return count + " " + kind + (count == 1 ? " row" : " rows");
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
