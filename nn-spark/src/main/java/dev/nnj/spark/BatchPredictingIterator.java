package dev.nnj.spark;

import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A partition's rows with a model's outputs appended, what both models' {@code transform} run on the executors: the
 * rows are read {@value NnjClassificationModel#PREDICT_BATCH} at a time, their feature vectors checked, and each batch
 * predicted in one nnj call on a borrowed executor slot, held only for that call. A row of invalid features (null,
 * another size, NaN or beyond float32) fails the task, is left out, or is kept with NaN outputs, as
 * {@code handleInvalid} says. What the outputs become (a class and probabilities, or a value) is the subclass's.
 */
abstract class BatchPredictingIterator implements Iterator<Row> {
    private final Iterator<Row> input;
    private final int featuresIndex;
    private final String featuresName;
    /** The network a slot runs: a classifier's without its softmax ({@link NetworkSpec#scores}), a regressor's. */
    private final NetworkSpec network;
    private final Map<String, float[]> state;
    private final String backendName;
    private final InvalidRows invalidRows;
    /** Output columns each row gains. */
    private final int columns;
    /** Which rows an error counts in: "of partition 3" (the task's), for a message that finds the row. */
    private final String where;
    private final List<Row> pending = new ArrayList<>();
    /** Which rows of {@link #pending} were invalid and kept ({@link InvalidRows#KEEP}): their outputs are NaN. */
    private boolean[] kept = new boolean[0];
    /** The batch's network outputs, {@code (rows, outputs)} row-major. */
    private float[] outputs;
    private int next;
    /** Rows of the partition in earlier batches, so that an error names a row of the partition. */
    private long rowsBefore;

    /**
     * @param input         the partition's rows
     * @param featuresIndex the feature vector's column
     * @param featuresName  its name, for messages
     * @param network       the network the slot predicts with
     * @param state         its parameters
     * @param backendName   the executor's backend
     * @param invalidRows   what a row of invalid features does
     * @param columns       output columns each row gains
     */
    BatchPredictingIterator(Iterator<Row> input, int featuresIndex, String featuresName, NetworkSpec network,
                            Map<String, float[]> state, String backendName, InvalidRows invalidRows, int columns) {
        this.input = input;
        this.featuresIndex = featuresIndex;
        this.featuresName = featuresName;
        this.network = network;
        this.state = state;
        this.backendName = backendName;
        this.invalidRows = invalidRows;
        this.columns = columns;
        // Built in the task; without one (a local iterator, a test) the rows are still counted, only unnamed.
        TaskContext task = TaskContext.get();
        this.where = task == null ? "of the partition" : "of partition " + task.partitionId();
    }

    /**
     * Writes a row's outputs into {@code values} from {@code at} on.
     *
     * @param values  the new row's values, the input row's already in place
     * @param at      the first output column's index
     * @param outputs the batch's network outputs, {@code (rows, outputs)} row-major
     * @param row     the row's index in the batch
     * @param kept    whether the row's features were invalid and kept: its outputs are NaN
     */
    abstract void appendOutputs(Object[] values, int at, float[] outputs, int row, boolean kept);

    @Override
    public boolean hasNext() {
        if (next < pending.size()) {
            return true;
        }
        pending.clear();
        next = 0;
        int width = network.inputWidth();
        List<float[]> rowsRead = new ArrayList<>();   // null for an invalid row kept
        while (pending.size() < NnjClassificationModel.PREDICT_BATCH && input.hasNext()) {
            Row r = input.next();
            long row = rowsBefore++;   // counted over the partition, skipped rows too
            float[] values;
            try {
                values = features(r, row, width);
            } catch (IllegalArgumentException e) {
                if (invalidRows == InvalidRows.ERROR) {
                    // What VectorAssembler says of its own: which column, and the param that lets such rows through.
                    // The same exception, its message longer: the root cause a Spark failure reports is this one.
                    IllegalArgumentException told = new IllegalArgumentException(e.getMessage() + " (featuresCol '"
                            + featuresName + "'; with handleInvalid 'skip' transform leaves such rows out, with 'keep' "
                            + "their outputs are NaN)");
                    told.setStackTrace(e.getStackTrace());
                    throw told;
                }
                if (invalidRows == InvalidRows.SKIP) {
                    continue;
                }
                values = null;   // KEEP: NaN outputs
            }
            pending.add(r);
            rowsRead.add(values);
        }
        if (pending.isEmpty()) {
            return false;
        }
        float[] x = new float[pending.size() * width];
        kept = new boolean[pending.size()];
        for (int i = 0; i < pending.size(); i++) {
            kept[i] = rowsRead.get(i) == null;
            if (!kept[i]) {
                System.arraycopy(rowsRead.get(i), 0, x, i * width, width);   // a kept row predicts from zeros
            }
        }
        try (WorkerSlot slot = WorkerSlot.borrow(backendName, network)) {
            Sequential model = slot.model();
            model.loadStateDict(state);
            outputs = model.predict(x, pending.size());
        }
        return true;
    }

    /** The row's features as float32, or an {@link IllegalArgumentException} naming what is wrong. */
    private float[] features(Row r, long row, int width) {
        if (r.isNullAt(featuresIndex)) {
            throw new IllegalArgumentException("row " + row + " " + where + " has a null '" + featuresName + "'");
        }
        Vector v = (Vector) r.get(featuresIndex);
        if (v.size() != width) {
            throw new IllegalArgumentException("column '" + featuresName + "' has a vector of " + v.size()
                    + " values, the model takes " + width + " (row " + row + " " + where + ")");
        }
        float[] x = new float[width];
        for (int j = 0; j < width; j++) {
            x[j] = TrainingData.finiteFloat(v.apply(j), row, j, where);
        }
        return x;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = pending.get(next);
        Object[] values = new Object[r.length() + columns];
        for (int i = 0; i < r.length(); i++) {
            values[i] = r.get(i);
        }
        appendOutputs(values, r.length(), outputs, next, kept[next]);
        next++;
        return RowFactory.create(values);
    }
}
