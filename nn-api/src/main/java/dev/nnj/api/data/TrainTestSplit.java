package dev.nnj.api.data;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *
 * <p><b>K-fold cross-validation.</b> {@link #kFold} and {@link #stratifiedKFold} cut the rows into {@code k}
 * test folds, as scikit-learn's {@code KFold(k, shuffle=True)} and {@code StratifiedKFold(k, shuffle=True)}, and
 * give one {@link IndexSplit} per fold: that fold as the test part, every other row as the training part, both
 * ascending. Fit anything learned from the data (a scaler, a target scaler) on each fold's training part
 * only, or the test fold leaks into the model:
 * <pre>{@code
 * double[] accuracy = new double[5];
 * List<IndexSplit> folds = TrainTestSplit.stratifiedKFold(data, 5, 42);
 * for (int f = 0; f < folds.size(); f++) {
 *     IndexSplit.Datasets part = folds.get(f).apply(data);
 *     StandardScaler scaler = new StandardScaler();
 *     Dataset train = scaler.fitTransform(part.train());   // statistics of this fold's training rows
 *     Dataset test = scaler.transform(part.test());
 *     try (Sequential model = new Sequential(backend, data.featureCount(), seed); Adam adam = new Adam(1e-3f)) {
 *         model.add(new Dense(64, Activation.RELU)).add(new Dense(classes, Activation.SOFTMAX));
 *         Trainer.builder().epochs(100).batchSize(32).seed(seed).build()
 *                 .fit(model, Loss.categoricalCrossEntropy(), adam, train, null);
 *         accuracy[f] = Predictions.of(model, test).report().accuracy();   // or macro-F1, balanced accuracy
 *     }
 * }
 * }</pre>
 * The folds are the same for every model compared on them (same labels, {@code k} and seed), so a grid
 * search is this loop inside a loop over the settings.
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
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
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
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
     * @return the training and test row indices
     * @throws IllegalArgumentException when the training part would have fewer rows than there are classes
     *         (see {@link #largestTestFraction}), for a negative label, or as {@link #testCount testCount}
     */
    public static IndexSplit stratified(int[] labels, double testFraction, long seed) {
        Objects.requireNonNull(labels, "labels");
        int n = labels.length;
        int nTest = testCount(n, testFraction);
        int classes = classCount(labels);
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
     * K shuffled folds of the rows {@code 0 .. rows-1}, as scikit-learn's {@code KFold(k, shuffle=True)}: the
     * rows are shuffled, then cut into {@code k} consecutive test folds, the first {@code rows % k} of them one
     * row longer. Each row is in exactly one test fold.
     *
     * @param rows the row count
     * @param k the number of folds, from 2 to {@code rows}
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
     * @return {@code k} splits, fold {@code f}'s test rows and the rest, each ascending
     * @throws IllegalArgumentException if {@code k < 2} or {@code k > rows}
     */
    public static List<IndexSplit> kFold(int rows, int k, long seed) {
        checkFolds(rows, k);
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        shuffle(perm, new Random(seed));
        int[] fold = new int[rows];
        for (int f = 0, at = 0; f < k; f++) {
            int size = rows / k + (f < rows % k ? 1 : 0);
            for (int t = 0; t < size; t++) {
                fold[perm[at++]] = f;
            }
        }
        return splits(fold, k);
    }

    /**
     * K folds that keep the class proportions of {@code labels} in each, as scikit-learn's
     * {@code StratifiedKFold(k, shuffle=True)} allocates them: with the labels sorted, fold {@code f} gets the
     * class counts of every {@code k}-th entry from position {@code f}, so each fold holds
     * {@code floor(n_c / k)} or {@code ceil(n_c / k)} rows of class {@code c} and the folds' sizes differ by at
     * most one; then each class's rows are dealt to its fold places in a seeded random order. (scikit-learn
     * shuffles with numpy's generator: the counts per fold are its, the rows are not.)
     *
     * <p>Every class must have at least {@code k} rows. scikit-learn refuses a {@code k} above every class's
     * count and only warns ("The least populated class in y has only n members, which is less than
     * n_splits=k") when some classes are smaller; nnj refuses then too, because some folds would test no row
     * of that class and, with one row, a fold would train without it.
     *
     * @param labels the class of each row, non-negative
     * @param k the number of folds, from 2 to the smallest class's row count
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
     * @return {@code k} splits, fold {@code f}'s test rows and the rest, each ascending
     * @throws IllegalArgumentException if {@code k < 2}, {@code k} exceeds the rows or the smallest class
     *         (naming it and the largest {@code k} that works), or a label is negative
     */
    public static List<IndexSplit> stratifiedKFold(int[] labels, int k, long seed) {
        Objects.requireNonNull(labels, "labels");
        int n = labels.length;
        checkFolds(n, k);
        int classes = classCount(labels);
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int smallest = -1;
        for (int c = 0; c < classes; c++) {
            if (counts[c] > 0 && (smallest < 0 || counts[c] < counts[smallest])) {
                smallest = c;
            }
        }
        if (counts[smallest] < k) {
            throw new IllegalArgumentException("stratified " + k + "-fold cross-validation needs at least " + k
                    + " rows of every class, and class " + smallest + " has only " + counts[smallest] + " (scikit-learn"
                    + " warns: \"The least populated class in y has only " + counts[smallest] + " members, which is less"
                    + " than n_splits=" + k + "\"); " + (counts[smallest] >= 2 ? "use k <= " + counts[smallest] + ", or "
                    : "no k stratifies a class of one row: use ") + "kFold for unstratified folds");
        }
        // scikit-learn's allocation: fold f takes positions f, f + k, f + 2k, ... of the sorted labels.
        int[][] allocation = new int[k][classes];
        for (int c = 0, start = 0; c < classes; start += counts[c], c++) {
            for (int f = 0; f < k; f++) {
                int first = start + Math.floorMod(f - start, k);   // the first position >= start that is f mod k
                int end = start + counts[c];
                allocation[f][c] = first < end ? (end - first + k - 1) / k : 0;
            }
        }
        Random rng = new Random(seed);
        int[] fold = new int[n];
        int[][] placesOf = new int[classes][];
        for (int c = 0; c < classes; c++) {
            placesOf[c] = new int[counts[c]];
            for (int f = 0, at = 0; f < k; f++) {
                for (int t = 0; t < allocation[f][c]; t++) {
                    placesOf[c][at++] = f;
                }
            }
            shuffle(placesOf[c], rng);
        }
        int[] next = new int[classes];
        for (int i = 0; i < n; i++) {
            fold[i] = placesOf[labels[i]][next[labels[i]]++];
        }
        return splits(fold, k);
    }

    /**
     * {@link #stratifiedKFold(int[], int, long)} on a dataset's labels.
     *
     * @param dataset a dataset with labels
     * @param k the number of folds
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
     * @return {@code k} splits of the dataset's row indices; {@link IndexSplit#apply} makes the datasets
     * @throws IllegalArgumentException if the dataset has no labels, or as the labels' overload
     */
    public static List<IndexSplit> stratifiedKFold(Dataset dataset, int k, long seed) {
        Objects.requireNonNull(dataset, "dataset");
        if (!dataset.hasLabels()) {
            throw new IllegalArgumentException("stratified folds need class labels, and " + dataset + " has none; "
                    + "use kFold(dataset.size(), k, seed)");
        }
        return stratifiedKFold(dataset.labels(), k, seed);
    }

    private static void checkFolds(int rows, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("k-fold cross-validation needs at least 2 folds, got k=" + k);
        }
        if (k > rows) {
            throw new IllegalArgumentException("cannot cut " + rows + (rows == 1 ? " row" : " rows") + " into " + k + " folds (scikit-learn: \"Cannot have number of splits n_splits=" + k
                    + " greater than the number of samples: n_samples=" + rows + "\")");
        }
    }

    /** One split per fold: the rows of fold f as the test part, the others as training, ascending. */
    private static List<IndexSplit> splits(int[] fold, int k) {
        int[] sizes = new int[k];
        for (int f : fold) {
            sizes[f]++;
        }
        List<IndexSplit> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] test = new int[sizes[f]];
            int[] train = new int[fold.length - sizes[f]];
            for (int i = 0, t = 0, r = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    test[t++] = i;
                } else {
                    train[r++] = i;
                }
            }
            out.add(new IndexSplit(train, test));
        }
        return List.copyOf(out);
    }

    /**
     * The dataset split at random into its two parts.
     *
     * @param dataset the dataset to split
     * @param testFraction the share of rows in the test part, in {@code (0, 1)}
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
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
     * @param seed the seed of the shuffle ({@code java.util.Random}: its low 48 bits count)
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

    /** One more than the largest label: the classes the labels index; a negative label is refused naming its row. */
    private static int classCount(int[] labels) {
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is negative");
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        return classes;
    }
}
