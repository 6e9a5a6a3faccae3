package dev.nnj.api.model;

import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.Dataset;
import java.util.Random;

/**
 * Feeds a host {@link Dataset} to a backend batch by batch, in a (seeded) shuffled order or in row order,
 * reusing one host staging array and one device tensor per batch size, so that a steady-state loop copies in
 * only the batch and allocates nothing. {@link dev.nnj.api.train.Trainer} trains with it and
 * {@link Sequential#evaluate(Dataset, dev.nnj.api.losses.Loss, int)} evaluates with it; a hand-written
 * training loop can use it the same way:
 * <pre>{@code
 * try (BatchLoader loader = new BatchLoader(backend, train, 32, true, seed)) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         loader.startEpoch();
 *         for (int b = 0; b < loader.batchesPerEpoch(); b++) {
 *             loader.load(b);
 *             model.forward(loader.features(), true);
 *             model.backward(loss, loader);              // the loader's targets, checked on the host
 *             optimizer.step(model.parameters());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Batch {@code b} holds rows {@code [b·B, min((b+1)·B, N))} of the epoch's order: features
 * {@code (rows, featureCount)}, targets {@code (rows, targetCount)}; only the last batch may be shorter.
 * When one batch holds the whole data set, order does not matter to the gradient (it is a sum over rows), so
 * the data is uploaded once and never shuffled or copied again.
 *
 * <p>With row weights (class weights, {@link ClassWeights#rowWeights(Dataset)}, or sample weights), each batch
 * also carries its rows' weights ({@link #rowWeights()}, each row's weight in every column of a
 * {@code (rows, targetCount)} tensor), which
 * {@link Sequential#backward(dev.nnj.api.losses.Loss, BatchLoader)} multiplies into the loss gradient.
 */
public final class BatchLoader implements AutoCloseable {
    private final Backend backend;
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;
    private final float[] hostFeatures;
    private final float[] hostTargets;
    private final BatchBuffers features;
    private final BatchBuffers targets;
    private final boolean fullBatch;
    private boolean uploadedFullBatch;
    private Tensor x;
    private Tensor y;
    /** Each data row's class weight, null without class weights. */
    private final float[] rowWeight;
    /** The batch's weights, each row's in every target column; null without class weights. */
    private final float[] hostWeights;
    private final BatchBuffers weights;
    private Tensor w;

    /**
     * A loader of {@code data} onto {@code backend}.
     *
     * @param backend   where the batch tensors live
     * @param data      the rows to feed; used as it is, not copied
     * @param batchSize rows per batch; {@code <= 0} or {@code >= data.size()} means one full batch
     * @param shuffle   reshuffle the row order at every {@link #startEpoch()} (ignored for a full batch)
     * @param seed      seeds the shuffle
     */
    public BatchLoader(Backend backend, Dataset data, int batchSize, boolean shuffle, long seed) {
        this(backend, data, batchSize, shuffle, seed, null);
    }

    /**
     * A loader of {@code data} onto {@code backend} whose batches carry a weight per row for the loss gradient
     * ({@link #rowWeights()}): class weights ({@link ClassWeights#rowWeights(Dataset)}), sample weights, or both
     * multiplied.
     *
     * @param backend    where the batch tensors live
     * @param data       the rows to feed; used as it is, not copied
     * @param batchSize  rows per batch; {@code <= 0} or {@code >= data.size()} means one full batch
     * @param shuffle    reshuffle the row order at every {@link #startEpoch()} (ignored for a full batch)
     * @param seed       seeds the shuffle
     * @param rowWeights one weight per row of {@code data}, in its order, finite and not negative (copied); null for
     *                   none
     * @throws IllegalArgumentException if {@code rowWeights} does not hold one weight per row, or one is negative or
     *         not finite, naming its row
     */
    public BatchLoader(Backend backend, Dataset data, int batchSize, boolean shuffle, long seed, float[] rowWeights) {
        if (backend == null) {
            throw new NullPointerException("backend");
        }
        if (data == null) {
            throw new NullPointerException("data");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("data set is empty");
        }
        this.backend = backend;
        this.data = data;
        int n = data.size();
        this.fullBatch = batchSize <= 0 || batchSize >= n;
        this.batchSize = fullBatch ? n : batchSize;
        this.shuffle = shuffle && !fullBatch;
        this.random = new Random(seed);
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // A full batch is copied straight from the data set's arrays: no staging needed.
        this.hostFeatures = fullBatch ? null : new float[this.batchSize * data.featureCount()];
        this.hostTargets = fullBatch ? null : new float[this.batchSize * data.targetCount()];
        this.features = new BatchBuffers(data.featureCount());
        this.targets = new BatchBuffers(data.targetCount());
        this.rowWeight = rowWeights == null ? null : checkedWeights(rowWeights, n);
        this.hostWeights = rowWeights == null ? null : new float[this.batchSize * data.targetCount()];
        this.weights = rowWeights == null ? null : new BatchBuffers(data.targetCount());
    }

    /**
     * Number of batches in one pass over the data, {@code ⌈N / B⌉}.
     *
     * @return batches per epoch
     */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch: a fresh Fisher–Yates shuffle of the row order when shuffling. */
    public void startEpoch() {
        if (!shuffle) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * Loads batch {@code b} of the epoch; read it with {@link #features()} and {@link #targets()}.
     *
     * @param b batch index in {@code [0, batchesPerEpoch())}
     */
    public void load(int b) {
        if (b < 0 || b >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + b + " is outside [0, " + batchesPerEpoch() + ")");
        }
        int from = b * batchSize;
        int rows = Math.min(batchSize, data.size() - from);
        x = features.get(backend, rows);
        y = targets.get(backend, rows);
        w = weights == null ? null : weights.get(backend, rows);
        if (fullBatch && uploadedFullBatch) {
            return;
        }
        if (fullBatch) {
            x.copyFrom(data.features(), 0);
            y.copyFrom(data.targets(), 0);
            if (w != null) {
                loadWeights(from, rows);
            }
            uploadedFullBatch = true;
            return;
        }
        data.gatherFeatures(order, from, rows, hostFeatures);
        data.gatherTargets(order, from, rows, hostTargets);
        x.copyFrom(hostFeatures, 0);
        y.copyFrom(hostTargets, 0);
        if (w != null) {
            loadWeights(from, rows);
        }
    }

    /** A copy of {@code w} after checking it ({@link #requireRowWeights}). */
    private static float[] checkedWeights(float[] w, int n) {
        requireRowWeights(w, n);
        return w.clone();
    }

    /**
     * Refuses row weights that are not one finite, non-negative weight for each of {@code n} rows, as the constructor
     * does: the trainer checks a training set's weights so before it holds rows out of it, so that a bad weight is
     * named by its row in the set given.
     *
     * @param w the weights, one per row
     * @param n the number of rows
     * @throws IllegalArgumentException naming the first weight that is not finite or is negative, or the counts
     */
    public static void requireRowWeights(float[] w, int n) {
        if (w.length != n) {
            throw new IllegalArgumentException("row weights: " + w.length + " weights for " + n + " rows");
        }
        for (int i = 0; i < n; i++) {
            if (!(w[i] >= 0) || w[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("row weights: row " + i + "'s weight is " + w[i]
                        + "; weights must be finite and at least 0");
            }
        }
    }

    /** The weights of the epoch's rows {@code from ..}, each in every target column, into {@link #w}. */
    private void loadWeights(int from, int rows) {
        int columns = data.targetCount();
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(hostWeights, r * columns, (r + 1) * columns, rowWeight[order[from + r]]);
        }
        w.copyFrom(hostWeights, 0);
    }

    /**
     * The features of the batch last {@link #load loaded}.
     *
     * @return a {@code (rows, featureCount)} tensor owned by this loader
     */
    public Tensor features() {
        return x;
    }

    /**
     * The targets of the batch last {@link #load loaded}.
     *
     * @return a {@code (rows, targetCount)} tensor owned by this loader
     */
    public Tensor targets() {
        return y;
    }

    /**
     * The row weights of the batch last {@link #load loaded}: each row's weight in every column, the shape of
     * {@link #targets()}.
     *
     * @return a {@code (rows, targetCount)} tensor owned by this loader, or null when it has no row weights
     */
    public Tensor rowWeights() {
        return w;
    }

    /** The data set this loader feeds, for {@link Sequential#backward(dev.nnj.api.losses.Loss, BatchLoader)}. */
    Dataset data() {
        return data;
    }

    /** Frees the batch tensors. */
    @Override
    public void close() {
        features.close();
        targets.close();
        if (weights != null) {
            weights.close();
        }
    }
}
