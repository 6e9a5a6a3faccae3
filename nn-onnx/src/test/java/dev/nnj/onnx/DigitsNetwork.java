package dev.nnj.onnx;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.data.Digits;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;

/** The tests' digits classifier, as the digits trainer's keras preset builds it: 64 → Dense(h, relu) → Dense(10). */
final class DigitsNetwork {
    private DigitsNetwork() {
    }

    /**
     * 64 → Dense(hidden, relu) → Dense(10, softmax), Glorot-uniform weights from {@code seed}, zero biases.
     *
     * @return the untrained model, owned by the caller
     */
    static Sequential build(Backend backend, int hidden, long seed) {
        Sequential model = new Sequential(backend, Digits.FEATURES, seed);
        try {
            return model.add(new Dense(hidden, Activation.RELU, Initializer.glorotUniform(), Initializer.zeros()))
                    .add(new Dense(Digits.CLASSES, Activation.SOFTMAX, Initializer.glorotUniform(),
                            Initializer.zeros()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Adam with Keras's defaults: learning rate 1e-3, betas 0.9 and 0.999, epsilon 1e-7. */
    static Optimizer adam() {
        return new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f);
    }
}
