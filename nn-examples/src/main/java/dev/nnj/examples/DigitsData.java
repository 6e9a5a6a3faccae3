package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.MinMaxScaler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The 1797 handwritten 8×8 digits bundled on the class path (UCI "Optical Recognition of Handwritten
 * Digits", E. Alpaydin and C. Kaynak 1998, CC BY 4.0, in the copy scikit-learn ships as
 * {@code load_digits}; see {@code dev/nnj/examples/digits/README.md}), and scikit-learn's
 * {@code train_test_split(test_size=0.2, random_state=42)} of them, the article's split.
 */
public final class DigitsData {
    /** Class-path folder holding the bundled files. */
    public static final String RESOURCE_DIR = "/dev/nnj/examples/digits/";
    /** The data: 64 pixel counts (0..16) then the label, one image per line, gzipped. */
    public static final String DATA_FILE = "digits.csv.gz";
    /** The article's split, 1437 training and 360 test row indices. */
    public static final String SPLIT_FILE = "digits-split-sklearn-rs42.csv";
    /** Number of images in the data set. */
    public static final int ROWS = 1797;
    /** Pixels per image: 8 x 8 gray levels in {@code 0..16}. */
    public static final int FEATURES = 64;
    /** Number of classes, the digits 0 to 9. */
    public static final int CLASSES = 10;

    /** Set by {@link #prefetch()}, taken by the next {@link #load()}. */
    private static final AtomicReference<FutureTask<Dataset>> PREFETCHED = new AtomicReference<>();

    private DigitsData() {
    }

    /**
     * All 1797 images: 64 raw pixel counts (0..16) as features, one-hot targets over the 10 digits, and the
     * digit as label.
     *
     * @return the full data set, {@code (1797, 64)} features and {@code (1797, 10)} targets
     */
    public static Dataset load() {
        FutureTask<Dataset> prefetched = PREFETCHED.getAndSet(null);
        if (prefetched != null) {
            try {
                return prefetched.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + RESOURCE_DIR + DATA_FILE, e);
            }
        }
        return read();
    }

    /**
     * Starts reading the images on a daemon thread, for the next {@link #load()} to take: the digits trainer calls
     * it first thing, and sets up its logging, command line and backend meanwhile. On a cold JVM that is a tenth
     * of a second of parsing moved onto the core the JIT compilers leave idle at that point. Calling it again
     * before a {@code load()} does nothing.
     */
    public static void prefetch() {
        FutureTask<Dataset> task = new FutureTask<>(DigitsData::read);
        if (PREFETCHED.compareAndSet(null, task)) {
            Thread reader = new Thread(task, "digits-prefetch");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** The images read from the class path. */
    private static Dataset read() {
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
     * scikit-learn's {@code train_test_split(range(1797), test_size=0.2, random_state=42)}, validated.
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
     * {@code MinMaxScaler().fit_transform(d.data)}), then scikit-learn's split: 1437 training, 360 test rows.
     *
     * @return the scaled training and test sets
     */
    public static IndexSplit.Datasets scaledArticleSplit() {
        Dataset all = load();
        return scaledArticleSplit(articleScaler(all), all);
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

    /**
     * The article's scaler: fitted on all 1797 images, as its {@code MinMaxScaler().fit(d.data)}.
     *
     * @param all the images of {@link #load()}
     * @return the fitted scaler
     */
    public static MinMaxScaler articleScaler(Dataset all) {
        return new MinMaxScaler().fit(all.features(), FEATURES);
    }

    /**
     * {@link #scaledArticleSplit()} from images already loaded and their scaler, so that a caller needing both
     * reads the bundled file once.
     *
     * @param scaler {@link #articleScaler} of {@code all}
     * @param all the images of {@link #load()}
     * @return the scaled training and test sets
     */
    public static IndexSplit.Datasets scaledArticleSplit(MinMaxScaler scaler, Dataset all) {
        return articleSplit().apply(scaler.transform(all));
    }

    private static InputStream open(String name) {
        InputStream in = DigitsData.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("the bundled digits data " + RESOURCE_DIR + name
                    + " is not on the class path; rebuild nn-examples (mvn -pl nn-examples -am package)"
                    + " or run target/nnj-digits.jar");
        }
        return in;
    }
}
