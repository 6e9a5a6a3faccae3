package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.GradientCheck;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import java.util.Arrays;
import java.util.Locale;

/** One training step by hand on the article's worked 2-2-1 example, then a gradient check: docs/math.md shows it. */
public final class Backprop {

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Backend backend = Backends.best();
             Sequential model = new Sequential(backend, 2, 0)) {
            model.add(new Dense(2, Activation.RELU))                     // z1 = x·W1 + b1, a1 = relu(z1)
                 .add(new Dense(1, Activation.SIGMOID));                 // z2 = a1·W2 + b2, a2 = σ(z2)
            model.parameter("dense_1.weight").write(new float[] {0.1f, 0.2f, 0.3f, 0.4f});   // W1 (in, out)
            model.parameter("dense_1.bias").write(new float[] {0.1f, -1.5f});
            model.parameter("dense_2.weight").write(new float[] {0.5f, -0.6f});              // W2 (2, 1)
            model.parameter("dense_2.bias").write(new float[] {0.1f});
            Loss loss = Loss.binaryCrossEntropy();
            model.requireUsableWith(loss);                               // fit's check: it ends in a sigmoid
            float[] x = {1f, 2f};                                        // one sample, N = 1
            float[] y = {1f};

            try (Tensor xt = backend.tensor(x, 1, 2);
                 Tensor yt = backend.tensor(y, 1, 1);
                 Sgd sgd = new Sgd(0.5f)) {
                Tensor a2 = model.forward(xt, true);                     // the forward pass keeps what backward needs
                System.out.printf(Locale.ROOT, "forward:  a2 = %.7f, loss = %.7f%n", a2.item(),
                        loss.value(backend, a2, yt));
                model.backward(loss, yt);                                // sets ∂L/∂θ of every parameter
                for (Parameter p : model.parameters()) {
                    System.out.println("backward: ∂L/∂" + p.name() + " = " + Arrays.toString(p.readGradient()));
                }
                // Are those gradients right? Compare each with finite differences of the loss.
                System.out.println(GradientCheck.defaults().check(model, loss, x, y));
                sgd.step(model.parameters());                            // θ ← θ − 0.5 · ∂L/∂θ
                System.out.println("step:     W1 = " + Arrays.toString(model.parameter("dense_1.weight").read()));
                System.out.printf(Locale.ROOT, "after:    loss = %.7f%n",
                        loss.value(backend, model.forward(xt, false), yt));
            }
        }
    }

    private Backprop() {
    }
}
