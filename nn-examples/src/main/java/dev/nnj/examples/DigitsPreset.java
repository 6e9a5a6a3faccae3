package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.data.Digits;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import java.util.Locale;

/**
 * The two set-ups the project reproduces, used as they are by the {@code digits} command line
 * ({@code --preset}) and by the benchmarks: the article's numpy network and trainer, and its Keras model.
 * Both are 64 → Dense(64, f) → Dense(10, softmax) with zero biases; they differ in the hidden activation,
 * the weight initialiser, the optimizer, the learning rate and the batch size.
 */
public enum DigitsPreset {
    /** The article's numpy network and trainer. */
    ARTICLE(Activation.SIGMOID, Initializer.normal(0, 1), OptimizerName.SGD, 0.1f, 0, 100),
    /** The article's Keras model: relu, Glorot uniform, Adam, batch 32. */
    KERAS(Activation.RELU, Initializer.glorotUniform(), OptimizerName.ADAM, 1e-3f, 32, 50);

    /** Hidden units of both presets (the article's 64). */
    public static final int HIDDEN_UNITS = 64;

    final Activation hiddenActivation;
    /** Weights of both layers (the article draws both with np.random.randn; Keras' default is Glorot). */
    final Initializer weights;
    final OptimizerName optimizer;
    final float learningRate;
    final int batchSize;
    final int progressEvery;

    DigitsPreset(Activation hiddenActivation, Initializer weights, OptimizerName optimizer,
                 float learningRate, int batchSize, int progressEvery) {
        this.hiddenActivation = hiddenActivation;
        this.weights = weights;
        this.optimizer = optimizer;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.progressEvery = progressEvery;
    }

    /**
     * Epochs between progress lines when {@code --progress-every} is not given: the preset's interval for its
     * 1000 epochs (article 100, keras 50), or a tenth of a shorter run's epochs, so that a run of 50 epochs shows
     * its loss falling in ten lines rather than in its first and last.
     *
     * @param epochs the epochs the run trains, at least 1
     * @return the interval, at least 1
     */
    int progressEvery(int epochs) {
        return Math.max(1, Math.min(progressEvery, (epochs + 9) / 10));
    }

    /**
     * Rows per step; 0 is the full training set.
     *
     * @return the preset's batch size, 0 for full batch
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The trainer's full-batch rule: a batch size of 0, or one at least as large as the training set, means
     * one step per epoch over every row.
     *
     * @param batchSize the requested rows per step, 0 for full batch
     * @param trainRows the rows of the training set
     * @return whether every step uses the whole training set
     */
    public static boolean isFullBatch(int batchSize, int trainRows) {
        return batchSize == 0 || batchSize >= trainRows;
    }

    /**
     * The rows per step actually used on a training set of {@code trainRows} rows, after the full-batch rule.
     *
     * @param trainRows the rows of the training set
     * @return {@code trainRows} for full batch, else {@link #batchSize()}
     */
    public int effectiveBatchSize(int trainRows) {
        return isFullBatch(batchSize, trainRows) ? trainRows : batchSize;
    }

    /**
     * A fresh optimizer of the preset, at its learning rate (one per model: optimizers keep state).
     *
     * @return a new optimizer
     */
    public Optimizer optimizer() {
        return optimizer.create(learningRate);
    }

    /**
     * The preset's network, 64 → Dense(hidden, f) → Dense(10, softmax), zero biases, initialised from
     * {@code seed}.
     *
     * @param backend the backend the model runs on
     * @param hidden the hidden units ({@link #HIDDEN_UNITS} in both presets)
     * @param seed the seed of the initial weights
     * @return the model, owned by the caller
     */
    public Sequential buildModel(Backend backend, int hidden, long seed) {
        return buildModel(backend, Digits.FEATURES, hidden, Digits.CLASSES, seed);
    }

    /**
     * The preset's network for other data: inputs → Dense(hidden, f) → Dense(classes, softmax).
     *
     * @param backend where the model lives
     * @param inputs  features per row
     * @param hidden  hidden units
     * @param classes output classes
     * @param seed    seed of the weight initialisation
     * @return the untrained model
     */
    public Sequential buildModel(Backend backend, int inputs, int hidden, int classes, long seed) {
        return buildModel(backend, inputs, new int[] {hidden}, hiddenActivation, 0f, classes, seed);
    }

    /**
     * As {@link #buildModel(Backend, int, int[], Activation, float, int, long)}, with the preset's weight
     * initialiser.
     *
     * @param backend    where the model lives
     * @param inputs     features per row
     * @param hidden     the hidden layers' widths h₁ … hₖ, at least one
     * @param activation their activation f
     * @param dropout    the rate p of a dropout layer after each hidden layer; 0 for none
     * @param classes    output classes
     * @param seed       seed of the weight initialisation and of the dropout masks
     * @return the untrained model
     */
    public Sequential buildModel(Backend backend, int inputs, int[] hidden, Activation activation, float dropout,
                                 int classes, long seed) {
        return buildModel(backend, inputs, hidden, activation, dropout, weights, classes, seed);
    }

    /**
     * A network of the preset's kind with other hidden layers: inputs → Dense(h₁, f) [→ Dropout(p)] → … →
     * Dense(hₖ, f) [→ Dropout(p)] → Dense(classes, softmax), every weight from {@code init}, zero biases.
     *
     * @param backend    where the model lives
     * @param inputs     features per row
     * @param hidden     the hidden layers' widths h₁ … hₖ, at least one
     * @param activation their activation f
     * @param dropout    the rate p of a dropout layer after each hidden layer; 0 for none
     * @param init       every layer's weight initialiser (biases start at zero)
     * @param classes    output classes
     * @param seed       seed of the weight initialisation and of the dropout masks
     * @return the untrained model
     */
    public Sequential buildModel(Backend backend, int inputs, int[] hidden, Activation activation, float dropout,
                                 Initializer init, int classes, long seed) {
        return buildModel(backend, inputs, hidden, activation, dropout, init, classes, Activation.SOFTMAX, seed);
    }

    /**
     * A regression network of the preset's kind: inputs → Dense(h₁, f) [→ Dropout(p)] → … → Dense(1), whose one
     * output is the weighted sum itself (the identity), any real value, as a regression's target may be.
     *
     * @param backend    where the model lives
     * @param inputs     features per row
     * @param hidden     the hidden layers' widths h₁ … hₖ, at least one
     * @param activation their activation f
     * @param dropout    the rate p of a dropout layer after each hidden layer; 0 for none
     * @param init       every layer's weight initialiser (biases start at zero)
     * @param seed       seed of the weight initialisation and of the dropout masks
     * @return the untrained model
     */
    public Sequential buildRegression(Backend backend, int inputs, int[] hidden, Activation activation, float dropout,
                                      Initializer init, long seed) {
        return buildRegression(backend, inputs, hidden, activation, dropout, init, 1, seed);
    }

    /**
     * A regression network of several targets, as {@link #buildRegression(Backend, int, int[], Activation, float,
     * Initializer, long)} with a last Dense(k): one identity output per target, as scikit-learn's MLPRegressor has
     * for a 2-D {@code y}.
     *
     * @param backend    where the model lives
     * @param inputs     features per row
     * @param hidden     the hidden layers' widths h₁ … hₖ, at least one
     * @param activation their activation f
     * @param dropout    the rate p of a dropout layer after each hidden layer; 0 for none
     * @param init       every layer's weight initialiser (biases start at zero)
     * @param targets    the number of targets k, at least 1
     * @param seed       seed of the weight initialisation and of the dropout masks
     * @return the untrained model
     */
    public Sequential buildRegression(Backend backend, int inputs, int[] hidden, Activation activation, float dropout,
                                      Initializer init, int targets, long seed) {
        return buildModel(backend, inputs, hidden, activation, dropout, init, targets, Activation.IDENTITY, seed);
    }

    private static Sequential buildModel(Backend backend, int inputs, int[] hidden, Activation activation,
                                         float dropout, Initializer init, int outputs, Activation output, long seed) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hidden: at least one hidden layer is needed");
        }
        // PyTorch's nn.Linear draws its biases from the weights' range; the other schemes start them at 0.
        Initializer bias = init == Initializer.pytorchLinear() ? init : Initializer.zeros();
        Sequential model = new Sequential(backend, inputs, seed);
        try {
            for (int units : hidden) {
                model.add(new Dense(units, activation, init, bias));
                if (dropout > 0) {
                    model.add(new Dropout(dropout));
                }
            }
            model.add(new Dense(outputs, output, init, bias));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The preset called {@code name} ({@code article} or {@code keras}, any case).
     *
     * @param name the preset's name
     * @return the preset
     * @throws IllegalArgumentException naming the presets if there is none of that name
     */
    public static DigitsPreset parse(String name) {
        for (DigitsPreset p : values()) {
            if (p.toString().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; use article or keras");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
