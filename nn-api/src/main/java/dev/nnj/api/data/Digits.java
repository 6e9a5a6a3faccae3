package dev.nnj.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A built-in data set, as scikit-learn's {@code load_digits}: 1797 handwritten digits of 8×8 gray levels, bundled in
 * this jar, with scikit-learn's {@code train_test_split(test_size=0.2, random_state=42)} of them, the split the
 * article's digits classifier uses. Nothing is downloaded.
 *
 * <pre>{@code
 * Dataset all = Digits.load();                                    // (1797, 64) pixels 0..16, (1797, 10) one-hot
 * IndexSplit.Datasets parts = Digits.scaledArticleSplit();         // min-max scaled, 1437 train, 360 test
 * }</pre>
 *
 * <p>The images are the test set of UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak,
 * 1998, CC BY 4.0), in the copy scikit-learn ships, converted to CSV with the values unchanged; see
 * {@code dev/nnj/api/data/digits/README.md} in the jar for the attribution and the files.
 */
public final class Digits {
    /** Class-path folder holding the bundled files. */
    public static final String RESOURCE_DIR = "/dev/nnj/api/data/digits/";
    /** The data: 64 pixel counts (0..16) then the label, one image per line, gzipped. */
    public static final String DATA_FILE = "digits.csv.gz";
    /** The article's split, 1437 training and 360 test row indices. */
    public static final String SPLIT_FILE = "digits-split-sklearn-rs42.csv";
    /** Number of images in the data set. */
    public static final int ROWS = 1797;
    /** Pixels per image: 8 x 8 gray levels in {@code 0..16}, row by row. */
    public static final int FEATURES = 64;
    /** Number of classes, the digits 0 to 9. */
    public static final int CLASSES = 10;

    private Digits() {
    }

    /**
     * All 1797 images, read from the jar: 64 raw pixel counts (0..16) as features, one-hot targets over the 10
     * digits, and the digit as label. Each call reads them again (about 20 ms warm), into a data set of its own.
     *
     * @return the full data set, {@code (1797, 64)} features and {@code (1797, 10)} targets
     */
    public static Dataset load() {
        CsvReader.Table table;
        try (InputStream in = open(DATA_FILE)) {
            table = CsvReader.numeric().withLabelColumn(-1).read(in, DATA_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_DIR + DATA_FILE + ": " + e.getMessage(), e);
        }
        if (table.rows() != ROWS || table.columns() != FEATURES) {
            throw new IllegalStateException(DATA_FILE + " has " + table.rows() + " rows of " + table.columns()
                    + " pixels; expected " + ROWS + " rows of " + FEATURES);
        }
        return table.toDataset(CLASSES);
    }

    /**
     * scikit-learn's {@code train_test_split(range(1797), test_size=0.2, random_state=42)}, validated: the article's
     * split, so that its test set is the identical 360 images.
     *
     * @return 1437 training and 360 test row indices
     */
    public static IndexSplit articleSplit() {
        IndexSplit split;
        try (InputStream in = open(SPLIT_FILE)) {
            split = IndexSplit.read(in, SPLIT_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_DIR + SPLIT_FILE + ": " + e.getMessage(), e);
        }
        return split.validate(ROWS);
    }

    /**
     * The article's data preparation: all 1797 images min-max scaled together (its
     * {@code MinMaxScaler().fit_transform(d.data)}), then its split: 1437 training, 360 test rows.
     *
     * @return the scaled training and test sets
     */
    public static IndexSplit.Datasets scaledArticleSplit() {
        Dataset all = load();
        return scaledArticleSplit(articleScaler(all), all);
    }

    /**
     * {@link #scaledArticleSplit()} from images already loaded and their scaler, so that a caller needing both
     * reads the bundled file once.
     *
     * @param scaler {@link #articleScaler} of {@code all}
     * @param all    the images of {@link #load()}
     * @return the scaled training and test sets
     */
    public static IndexSplit.Datasets scaledArticleSplit(MinMaxScaler scaler, Dataset all) {
        return articleSplit().apply(scaler.transform(all));
    }

    /**
     * The article's scaler: fitted on all 1797 images, as its {@code MinMaxScaler().fit(d.data)}. Every pixel's
     * smallest count is 0, so pixel {@code j} becomes {@code x / max_j}, over its largest count; the three pixels blank
     * in every image stay 0, as in scikit-learn.
     *
     * @param all the images of {@link #load()}
     * @return the fitted scaler
     */
    public static MinMaxScaler articleScaler(Dataset all) {
        return new MinMaxScaler().fit(all.features(), FEATURES);
    }

    /**
     * The class names: the digits {@code "0"} to {@code "9"}, in label order.
     *
     * @return {@link #CLASSES} names
     */
    public static List<String> classNames() {
        List<String> names = new ArrayList<>(CLASSES);
        for (int d = 0; d < CLASSES; d++) {
            names.add(Integer.toString(d));
        }
        return List.copyOf(names);
    }

    private static InputStream open(String name) {
        InputStream in = Digits.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("the bundled digits data " + RESOURCE_DIR + name
                    + " is not on the class path; nn-api's jar holds it (rebuild it with mvn -pl nn-api package)");
        }
        return in;
    }
}
