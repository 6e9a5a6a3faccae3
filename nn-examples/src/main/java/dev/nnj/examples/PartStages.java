package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.InvalidDataException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code digits predict --csv} a part at a time, saying what the whole file read at once said: the same notes, the
 * same first error. Reading whole, predict read the file, then ran its steps (take the weights out, take the targets
 * out, match the columns to the model's, check the width, look for values far from training, read the classes,
 * predict) each over every row, so the error a user saw was the first step's that failed, at its first row. Read in
 * parts, every part runs the steps in that order; a step that fails in a part is recorded, with its rows numbered in
 * the file, and the later parts then run only the steps before it (an earlier step failing in a later part is the
 * error the whole file gave). The reader's own errors come first, as they came before any step. Nothing is printed
 * while the parts are read: the first part's notes are kept with their step, and printed after the last part for the
 * steps a whole read reached.
 *
 * <p>Why this gives the whole read's result: each step's failure depends only on its own rows (the first failing
 * row of the earliest failing step is the one a whole read met first), and each step's notes are the same for every
 * part (they name columns, never rows or values). A step whose note depended on the data would need more than the
 * first part's.
 */
final class PartStages {
    /** The steps of a part, in the order the whole file ran them. */
    static final int WEIGHTS = 1;
    static final int TARGETS = 2;
    static final int IGNORED = 3;
    static final int FEATURES = 4;
    static final int WIDTH = 5;
    static final int FAR = 6;
    static final int CLASSES = 7;
    static final int PREDICT = 8;

    /** The system property that sets the rows of a part, for tests (a few rows make many parts of a small file). */
    static final String PART_ROWS_PROPERTY = "nnj.predict.partRows";

    /** The values a part holds at most, 4 MiB of floats: the reader's peak is about twice its values. */
    static final int PART_VALUES = 1 << 20;

    /** The most rows of a part, however narrow the rows (a part's outputs and labels are kept beside it). */
    static final int MAX_PART_ROWS = 16_384;

    private int failed = Integer.MAX_VALUE;
    private Supplier<RuntimeException> failure;
    /** The first part's notes, with the step that printed each. */
    private final List<Note> notes = new ArrayList<>();

    /** What a step printed. */
    private record Note(int step, String text) {
    }
    private boolean firstPart = true;

    /**
     * The rows of a part for rows of {@code width} values: {@value #PART_VALUES} values, at most
     * {@value #MAX_PART_ROWS} rows; or what {@value #PART_ROWS_PROPERTY} says.
     *
     * @param width the model's input width
     * @return rows a part, at least 1
     */
    static int partRows(int width) {
        String set = System.getProperty(PART_ROWS_PROPERTY);
        if (set != null && !set.isBlank()) {
            int rows;
            try {
                rows = Integer.parseInt(set.strip());
            } catch (NumberFormatException e) {
                rows = 0;
            }
            if (rows < 1) {
                throw new IllegalArgumentException(PART_ROWS_PROPERTY + " must be a number of rows, 1 or more, got '"
                        + set + "'");
            }
            return rows;
        }
        return Math.max(1, Math.min(MAX_PART_ROWS, PART_VALUES / Math.max(1, width)));
    }

    /** Whether {@code step} runs: no step before it, or it, has failed in any part. */
    boolean runs(int step) {
        return step < failed;
    }

    /**
     * Records that {@code step} failed, unless an earlier step has; {@code error} makes the exception once every
     * part is read (a message may count the file's rows).
     */
    void fail(int step, Supplier<RuntimeException> error) {
        if (step < failed) {
            failed = step;
            failure = error;
        }
    }

    /**
     * Runs {@code step} of a part where it {@link #runs}; a runtime exception it throws is recorded as its failure,
     * its rows renumbered from the part's {@code firstRow} ({@link #renumbered}).
     *
     * @return whether it ran and succeeded
     */
    boolean run(int step, long firstRow, Runnable body) {
        if (!runs(step)) {
            return false;
        }
        try {
            body.run();
            return true;
        } catch (RuntimeException e) {
            RuntimeException inFile = renumbered(e, firstRow);
            fail(step, () -> inFile);
            return false;
        }
    }

    /**
     * Keeps the notes that {@code step} printed for a part: the first part's, to be printed after the last part; a
     * later part's, the same notes again, are dropped.
     *
     * @param step  the step that printed them
     * @param notes what it printed
     */
    void note(int step, StringWriter notes) {
        if (firstPart && notes.getBuffer().length() > 0) {
            this.notes.add(new Note(step, notes.toString()));
        }
    }

    /** Marks the end of a part: the first part's notes are the ones kept. */
    void partDone() {
        firstPart = false;
    }

    /**
     * Prints the notes of the steps a whole read got past: a step's notes are printed where it succeeded (the columns
     * matched by name, the weight column left out), so a failed step's own are not.
     */
    void printNotes(PrintWriter out) {
        for (Note note : notes) {
            if (note.step() < failed) {
                out.print(note.text());
            }
        }
        out.flush();
    }

    /** Throws the recorded failure, if any. */
    void throwFailure() {
        if (failure != null) {
            throw failure.get();
        }
    }

    /** {@code predict: row 17's ...}, {@code predict: features: row 17, ...}, {@code in the rows from 4096: ...}. */
    private static final Pattern PREDICT_ROW = Pattern.compile(
            "^(predict: (?:features: )?row |predict: in the rows from )(\\d+)");

    /**
     * {@link dev.nnj.api.io.SavedModel#predict}'s message about a part's row, naming its row in the file (counted from
     * 0, as predict counts them); other exceptions as they are.
     */
    static RuntimeException renumbered(RuntimeException e, long firstRow) {
        Matcher m = PREDICT_ROW.matcher(String.valueOf(e.getMessage()));
        if (firstRow == 0 || !m.find()) {
            return e;
        }
        String message = m.group(1) + (firstRow + Long.parseLong(m.group(2))) + e.getMessage().substring(m.end());
        if (e instanceof ArithmeticException) {
            ArithmeticException a = new ArithmeticException(message);
            a.initCause(e);
            return a;
        }
        if (e instanceof InvalidDataException) {
            return new InvalidDataException(message, e);
        }
        if (e.getClass() == IllegalArgumentException.class) {
            return new IllegalArgumentException(message, e);
        }
        return e;
    }

    /** {@link dev.nnj.api.io.SavedModel#classesOf}'s "data row 3 of 7: label ..." for a part. */
    private static final Pattern DATA_ROW_OF = Pattern.compile(": data row (\\d+) of (\\d+): ");

    /**
     * A part's message "data row {@code i} of {@code n}", naming the row in the file and the file's rows instead.
     *
     * @param e         the part's exception
     * @param firstRow  the part's first row in the file, from 0
     * @param totalRows the file's rows
     * @return an exception of the same kind, or {@code e} when its message names no row so
     */
    static RuntimeException inFile(RuntimeException e, long firstRow, long totalRows) {
        Matcher m = DATA_ROW_OF.matcher(String.valueOf(e.getMessage()));
        if (!m.find() || e.getClass() != IllegalArgumentException.class) {
            return e;
        }
        String message = e.getMessage().substring(0, m.start()) + ": data row " + (firstRow
                + Long.parseLong(m.group(1))) + " of " + totalRows + ": " + e.getMessage().substring(m.end());
        return new IllegalArgumentException(message, e);
    }

    /** The length an array of {@code length} grows to for {@code needed} elements: twice as long, or as needed. */
    private static int grown(int length, int needed) {
        return Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, length * 2L));
    }

    /** Floats appended a part at a time: outputs, true values, weights. */
    static final class Floats {
        private float[] values = new float[1024];
        private int size;

        void add(float[] more) {
            add(more, more.length);
        }

        /** Appends the first {@code count} of {@code more}. */
        void add(float[] more, int count) {
            if (size + count > values.length) {
                values = Arrays.copyOf(values, grown(values.length, size + count));
            }
            System.arraycopy(more, 0, values, size, count);
            size += count;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** Ints appended a part at a time: classes. */
    static final class Ints {
        private int[] values = new int[1024];
        private int size;

        void add(int[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, grown(values.length, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * A regression's true values as the file spells them, for {@code --output}, over the parts: each value under its
     * first spelling in the file, as a whole read names it ({@code 1} and {@code 1.0} are one value, spelt as it first
     * comes), where a part's own names spell it as the part first does.
     */
    static final class Spellings {
        private final Map<BigDecimal, String> first = new HashMap<>();

        /**
         * Each row's spelling, for a part read with its label column as text, every label a finite number: its
         * value's first spelling in the file, this part's rows and those before it.
         */
        String[] of(CsvReader.Table part) {
            String[] partNames = part.classNames();
            String[] inFile = new String[partNames.length];
            for (int c = 0; c < partNames.length; c++) {
                String name = partNames[c];
                inFile[c] = first.computeIfAbsent(CsvReader.numericValue(name), k -> name);
            }
            int[] labels = part.labels();
            String[] rows = new String[labels.length];
            for (int i = 0; i < labels.length; i++) {
                rows[i] = inFile[labels[i]];
            }
            return rows;
        }
    }
}
