package dev.nnj.api.model;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.losses.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's inference path, safe from many threads at once: every call runs the layers'
 * {@link Layer#infer} into an {@link InferenceScratch} of its own, taken from a pool, so concurrent calls
 * share only the (read-only) parameters. The model's guard keeps training calls out while any call runs.
 */
final class Inference implements AutoCloseable {
    private final Backend backend;
    private final int inputWidth;
    private final int poolSlots;
    private List<Layer> layers = List.of();
    private ScratchPool scratch;

    /**
     * @param backend    where the scratch buffers live
     * @param inputWidth the model's input width
     */
    Inference(Backend backend, int inputWidth) {
        this.backend = backend;
        this.inputWidth = inputWidth;
        // One idle set per core covers a thread per core; more concurrent calls make (and close) extra sets.
        this.poolSlots = Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The pool of scratch sets, for tests of what a call leaves in it. */
    ScratchPool scratchPool() {
        return scratch;
    }

    /** Adopts a new layer list (after {@code add}); closes the scratch sized for the old one. */
    void reset(List<Layer> newLayers) {
        close();
        this.layers = List.copyOf(newLayers);
        List<Integer> widths = new ArrayList<>();
        for (Layer layer : layers) {
            widths.add(layer.outputWidth());
        }
        List<Integer> frozen = List.copyOf(widths);
        this.scratch = new ScratchPool(poolSlots, () -> new InferenceScratch(backend, inputWidth, frozen));
    }

    /** The layers applied to {@code x} with training off; returns a tensor of {@code s} (or {@code x}). */
    private Tensor run(Tensor x, InferenceScratch s) {
        Tensor a = x;
        int rows = x.rows();
        for (int i = 0; i < layers.size(); i++) {   // index loop: no iterator per call
            Layer layer = layers.get(i);
            // A dropout layer is the identity here and writes nothing: it gets no buffer, so none is made for it.
            a = layer.infer(a, layer instanceof Dropout ? null : s.output(i, rows));
        }
        return a;
    }

    /**
     * Rows per pass through the layers in {@link #predict(float[], int)}: a larger input runs in slices of this
     * many rows. The scratch a model keeps for its next calls (an input and an output per layer, for each recent
     * batch size) then stays this small whatever one call asked for, and a large input is not copied whole into
     * a tensor first. Each row's outputs depend on that row alone, so slicing changes no result.
     */
    static final int PREDICT_SLICE_ROWS = 4096;

    /** {@code rows × outputWidth} predictions for host features {@code rows × inputWidth}. */
    float[] predict(float[] features, int rows) {
        InferenceScratch s = scratch.acquire();
        try {
            int outputWidth = layers.get(layers.size() - 1).outputWidth();
            float[] out = new float[rows * outputWidth];
            for (int from = 0; from < rows; from += PREDICT_SLICE_ROWS) {
                int n = Math.min(PREDICT_SLICE_ROWS, rows - from);
                Tensor x = s.input(n);
                x.copyFrom(features, from * inputWidth);
                run(x, s).copyTo(out, from * outputWidth);
            }
            return out;
        } finally {
            scratch.release(s);
        }
    }

    /** Predictions for {@code x} written into {@code out} (sets). */
    void predict(Tensor x, Tensor out) {
        InferenceScratch s = scratch.acquire();
        try {
            backend.copy(run(x, s), out);
        } finally {
            scratch.release(s);
        }
    }

    /** Mean loss on device tensors, and accuracy when {@code classTargets} (else NaN). */
    Evaluation evaluate(Tensor x, Tensor y, Loss loss, boolean classTargets) {
        InferenceScratch s = scratch.acquire();
        try {
            Tensor out = run(x, s);
            s.lossSum().reset();
            s.correctCount().reset();
            add(s, loss, out, y, classTargets);
            return new Evaluation(s.lossSum().total() / x.rows(), accuracy(s, classTargets, x.rows()), x.rows());
        } finally {
            scratch.release(s);
        }
    }

    /**
     * Mean loss on a host data set, in batches of at most {@code batchSize} rows, and accuracy when its
     * targets are classes (else NaN).
     */
    Evaluation evaluate(Dataset data, Loss loss, int batchSize) {
        InferenceScratch s = scratch.acquire();
        try {
            int n = data.size();
            boolean classTargets = data.hasClassTargets();
            s.lossSum().reset();
            s.correctCount().reset();
            for (int from = 0; from < n; from += batchSize) {
                int rows = Math.min(batchSize, n - from);
                Tensor x = s.input(rows);
                Tensor y = s.target(rows);
                x.copyFrom(data.features(), from * data.featureCount());
                y.copyFrom(data.targets(), from * data.targetCount());
                add(s, loss, run(x, s), y, classTargets);
            }
            return new Evaluation(s.lossSum().total() / n, accuracy(s, classTargets, n), n);
        } finally {
            scratch.release(s);
        }
    }

    /** Adds one batch's loss sum, and its correct count when the targets are classes, to the call's sums. */
    private void add(InferenceScratch s, Loss loss, Tensor out, Tensor y, boolean classTargets) {
        s.lossSum().addLoss(loss, backend, out, y);
        if (classTargets) {
            s.correctCount().addCorrect(backend, out, y);
        }
    }

    /** The counted share of correct rows, or NaN where the targets are not classes and nothing was counted. */
    private static double accuracy(InferenceScratch s, boolean classTargets, int rows) {
        return classTargets ? s.correctCount().total() / rows : Double.NaN;
    }

    /** Closes the idle scratch sets; called with no inference in flight. */
    @Override
    public void close() {
        if (scratch != null) {
            scratch.close();
        }
    }
}
