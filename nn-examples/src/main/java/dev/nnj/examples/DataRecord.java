package dev.nnj.examples;

import dev.nnj.api.io.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data settings a trained model carries in its file's metadata ({@code digits.*} entries): which rows trained
 * and how they were read, split and scaled, so that {@code --resume} splits and scales as the run it continues did
 * ({@link DataOptions#settings()} writes them, {@link DataOptions#adoptResumed} reads them back), and
 * {@code predict} reads a file as the model's training file was read. The keys, and readers of the entries that are
 * more than a word.
 */
final class DataRecord {
    /** Metadata key of the data a run trained on: {@code digits} or {@code csv}. */
    static final String DATA_KEY = "digits.data";
    /** Metadata key of the CSV's test split (the default included), or {@value #TEST_FILE} for a --test-csv file. */
    static final String TEST_SPLIT_KEY = "digits.test-split";
    /** {@link #TEST_SPLIT_KEY}'s value when the test rows came from a --test-csv file. */
    static final String TEST_FILE = "test-csv";
    /** Metadata key of the --test-csv file's name (without its folder), for a resumed run to compare. */
    static final String TEST_FILE_NAME_KEY = "digits.test-csv";
    /** Metadata key of the validation split, {@code none} without one. */
    static final String VALIDATION_SPLIT_KEY = "digits.validation-split";
    /** Metadata key of the split seed. */
    static final String SPLIT_SEED_KEY = "digits.split-seed";
    /** Metadata key of the CSV's scaler (the default included). */
    static final String SCALER_KEY = "digits.scaler";
    /**
     * Metadata key of the CSV's row-weight column: its name in single quotes ({@code 'w'}), or {@code none} without
     * one, so that a column called "none" is not taken for no column.
     */
    static final String WEIGHT_COLUMN_KEY = "digits.weight-column";
    /**
     * Metadata key of the CSV's categorical columns: a JSON object of each column's categories in its one-hot
     * columns' order ({@code {"color":["blue","green","red"]}}), {@code {}} without any.
     */
    static final String CATEGORICAL_KEY = "digits.categorical";
    /** Metadata key of the CSV's missing-value strategy ({@code --impute}): {@code mean}, {@code median} or none. */
    static final String IMPUTE_KEY = "digits.impute";
    /**
     * Metadata key of the CSV's label column's header name, for predict to recognise the column in a file it was not
     * told of (absent for a file without a header).
     */
    static final String LABEL_KEY = "digits.label";
    /**
     * Metadata key of the task ({@code --task}): {@code regression}, or absent for a classifier (as every file written
     * before the option was).
     */
    static final String TASK_KEY = "digits.task";
    /** Metadata key of a regression's loss ({@code --loss}, the default included). */
    static final String LOSS_KEY = "digits.loss";
    /**
     * Metadata key of a regression's several target columns ({@code --label y1,y2}): a JSON array of their header
     * names, or for a file without a header the positions {@code --label} gave ({@code ["6","7"]}), in the network's
     * output order; absent for one target (whose name {@link #LABEL_KEY} holds alone).
     */
    static final String TARGETS_KEY = "digits.targets";
    /** Metadata key of the CSV's --ignore columns: a JSON array of their names, {@code []} without any. */
    static final String IGNORED_KEY = "digits.ignored";
    /**
     * Metadata key of a two-class run's --pos-label, for predict to take the same positive class; absent without the
     * option (the second class then).
     */
    static final String POS_LABEL_KEY = "digits.pos-label";

    private DataRecord() {
    }

    /**
     * A regression's target columns as a file's metadata records them: {@link #TARGETS_KEY}'s several, else
     * {@link #LABEL_KEY}'s one.
     *
     * @param metadata a model file's or checkpoint's metadata
     * @return their header names, in output order; empty where none is recorded (a file without a header)
     * @throws IllegalArgumentException for a record of several that is not a JSON array
     */
    static List<String> targets(Map<String, String> metadata) {
        String several = metadata.get(TARGETS_KEY);
        if (several == null) {
            String one = metadata.get(LABEL_KEY);
            return one == null ? List.of() : List.of(one);
        }
        if (!(StrictJson.parse(several) instanceof List<?> list)) {
            throw new IllegalArgumentException(TARGETS_KEY + " is not a JSON array: " + several);
        }
        return list.stream().map(String::valueOf).toList();
    }

    /**
     * The columns a file's metadata records as left out of the features ({@code --ignore}).
     *
     * @param metadata a model file's or checkpoint's metadata
     * @return their names, in the order given; empty for none (or no record)
     * @throws IllegalArgumentException for a record that is not a JSON array
     */
    static List<String> ignoredColumns(Map<String, String> metadata) {
        String value = metadata.get(IGNORED_KEY);
        if (value == null) {
            return List.of();
        }
        if (!(StrictJson.parse(value) instanceof List<?> list)) {
            throw new IllegalArgumentException(IGNORED_KEY + " is not a JSON array: " + value);
        }
        return list.stream().map(String::valueOf).toList();
    }

    /**
     * The categorical columns a file's metadata records, each with its categories.
     *
     * @param metadata a model file's or checkpoint's metadata
     * @return column name to categories, in column order; empty for none (or no record)
     * @throws IllegalArgumentException for a record that is not such an object
     */
    static Map<String, List<String>> categories(Map<String, String> metadata) {
        String value = metadata.get(CATEGORICAL_KEY);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        Object parsed = StrictJson.parse(value);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(CATEGORICAL_KEY + " is not a JSON object: " + value);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            List<String> categories = new ArrayList<>();
            if (e.getValue() instanceof List<?> list) {
                for (Object c : list) {
                    categories.add(String.valueOf(c));
                }
            }
            out.put((String) e.getKey(), categories);
        }
        return out;
    }

    /**
     * The row-weight column a file's metadata records, or null for none (or no record).
     *
     * @param metadata a model file's or checkpoint's metadata
     * @return the column's name, or null
     */
    static String weightColumn(Map<String, String> metadata) {
        String value = metadata.get(WEIGHT_COLUMN_KEY);
        if (value == null || value.equals("none")) {
            return null;
        }
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1) : value;
    }
}
