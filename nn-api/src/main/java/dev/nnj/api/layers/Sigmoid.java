package dev.nnj.api.layers;

import dev.nnj.api.Activation;

/** The logistic sigmoid {@code a = 1 / (1 + e^{-x})}, {@code f' = a (1 − a)}. */
public final class Sigmoid extends ActivationLayer {
    /** A parameter-free sigmoid layer. */
    public Sigmoid() {
        super(Activation.SIGMOID, 0f);
    }
}
