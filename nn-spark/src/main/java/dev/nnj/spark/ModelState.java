package dev.nnj.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts at the start of a round of local steps: parameter values in model order, the
 * optimizer's state tensors and its step count {@code t}.
 */
final class ModelState implements Serializable {
    private static final long serialVersionUID = 1L;

    final float[][] parameters;
    final float[][][] optimizerState;
    final int steps;

    ModelState(float[][] parameters, float[][][] optimizerState, int steps) {
        this.parameters = parameters;
        this.optimizerState = optimizerState;
        this.steps = steps;
    }
}
