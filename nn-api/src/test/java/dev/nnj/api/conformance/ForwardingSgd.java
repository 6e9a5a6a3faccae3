package dev.nnj.api.conformance;

import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.Sgd;

/**
 * An {@link Optimizer} that hands every call to a plain {@link Sgd}: the base of the test optimizers that
 * watch or tamper with training around each step. Subclasses override {@link #step} (calling {@code
 * sgd.step}) and name themselves through the prefix of {@link #describe()}.
 */
abstract class ForwardingSgd implements Optimizer {
    /** The optimizer every call is handed to. */
    final Sgd sgd;
    private final String label;

    /**
     * @param learningRate the SGD learning rate
     * @param label what {@link #describe()} puts before the SGD's own description
     */
    ForwardingSgd(float learningRate, String label) {
        this.sgd = new Sgd(learningRate);
        this.label = label;
    }

    @Override
    public float learningRate() {
        return sgd.learningRate();
    }

    @Override
    public void setLearningRate(float learningRate) {
        sgd.setLearningRate(learningRate);
    }

    @Override
    public int steps() {
        return sgd.steps();
    }

    @Override
    public String describe() {
        return label + " " + sgd.describe();
    }

    @Override
    public void close() {
        sgd.close();
    }
}
