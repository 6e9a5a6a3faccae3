package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.internal.BatchBuffers;
import java.util.Random;

/**
 * Feeds a data set to the device batch by batch in a (seeded) shuffled order, reusing one host staging array
 * and one device tensor per batch size, so that steady-state training copies in only the batch and
 * allocates nothing.
 *
 * <p>When one batch holds the whole data set, order does not matter to the gradient (it is a sum over
 * rows), so the data is uploaded once and never shuffled or copied again.
 */
final class BatchLoader implements AutoCloseable {
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

    /** {@code batchSize <= 0} or {@code >= data.size()} means full batch. */
    BatchLoader(Backend backend, Dataset data, int batchSize, boolean shuffle, long seed) {
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
        this.hostFeatures = new float[this.batchSize * data.featureCount()];
        this.hostTargets = new float[this.batchSize * data.targetCount()];
        this.features = new BatchBuffers(data.featureCount());
        this.targets = new BatchBuffers(data.targetCount());
    }

    int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch: a fresh Fisher–Yates shuffle of the row order. */
    void startEpoch() {
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

    /** Loads batch {@code b} of the epoch; read it with {@link #features()} and {@link #targets()}. */
    void load(int b) {
        int from = b * batchSize;
        int rows = Math.min(batchSize, data.size() - from);
        x = features.get(backend, rows);
        y = targets.get(backend, rows);
        if (fullBatch && uploadedFullBatch) {
            return;
        }
        if (fullBatch) {
            x.copyFrom(data.features(), 0);
            y.copyFrom(data.targets(), 0);
            uploadedFullBatch = true;
            return;
        }
        data.gatherFeatures(order, from, rows, hostFeatures);
        data.gatherTargets(order, from, rows, hostTargets);
        x.copyFrom(hostFeatures, 0);
        y.copyFrom(hostTargets, 0);
    }

    Tensor features() {
        return x;
    }

    Tensor targets() {
        return y;
    }

    @Override
    public void close() {
        features.close();
        targets.close();
    }
}
