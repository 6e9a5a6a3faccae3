package dev.nnj.bench;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.Trainer;
import dev.nnj.examples.DigitsData;
import java.util.Locale;

/**
 * The digits trainer's two presets ({@code digits --preset article|keras}, see
 * {@code dev.nnj.examples.DigitsTrainer}), rebuilt here from the public API so that the benchmarks and the
 * anchor comparison measure exactly these set-ups whatever the trainer's command line prints. Keep the two
 * in step.
 * <ul>
 *   <li>{@link #ARTICLE}: 64 → Dense(64, sigmoid) → Dense(10, softmax), weights N(0, 1), zero biases,
 *       categorical cross-entropy, full-batch gradient descent, learning rate 0.1 (the article's numpy code).</li>
 *   <li>{@link #KERAS}: 64 → Dense(64, relu) → Dense(10, softmax), Glorot-uniform weights, zero biases,
 *       Adam(1e-3, eps 1e-7), batches of 32 shuffled every epoch (the article's Keras model).</li>
 * </ul>
 * Data: the bundled 1797 digits, min-max scaled on all rows, then scikit-learn's split (random_state=42):
 * 1437 training and 360 test rows.
 */
enum DigitsPreset {
    ARTICLE(Activation.SIGMOID, Initializer.normal(0, 1), 0),
    KERAS(Activation.RELU, Initializer.glorotUniform(), 32);

    static final int HIDDEN = 64;

    private final Activation hidden;
    private final Initializer weights;
    private final int batchSize;

    DigitsPreset(Activation hidden, Initializer weights, int batchSize) {
        this.hidden = hidden;
        this.weights = weights;
        this.batchSize = batchSize;
    }

    static DigitsPreset parse(String name) {
        for (DigitsPreset p : values()) {
            if (p.toString().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; use article or keras");
    }

    /** Rows per step; 0 is the full batch. */
    int batchSize() {
        return batchSize;
    }

    /** The preset's network, initialised from {@code seed}. */
    Sequential buildModel(Backend backend, long seed) {
        Sequential model = new Sequential(backend, DigitsData.FEATURES, seed);
        try {
            model.add(new Dense(HIDDEN, hidden, weights, Initializer.zeros()));
            model.add(new Dense(DigitsData.CLASSES, Activation.SOFTMAX, weights, Initializer.zeros()));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A fresh optimizer (they keep per-parameter state: one per model). */
    Optimizer optimizer() {
        return this == ARTICLE ? new Sgd(0.1f) : new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f);
    }

    /** A trainer for {@code epochs} epochs with this preset's batching, shuffled with {@code seed}. */
    Trainer trainer(int epochs, long seed) {
        return Trainer.builder().epochs(epochs).batchSize(batchSize).shuffle(true).seed(seed).build();
    }

    /** The scaled digits in the article's split: 1437 training rows, 360 test rows. */
    static IndexSplit.Datasets data() {
        return DigitsData.articleSplit().apply(new MinMaxScaler().fitTransform(DigitsData.load()));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
