package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The article's worked example, computed by hand: a 2-2-1 network with a ReLU hidden layer, a sigmoid output and
 * binary cross-entropy, on one input, then one step of plain gradient descent.
 *
 * <pre>
 *   x  = (1, 2)                      y  = 1
 *   W1 = [[0.1, 0.2],                b1 = (0.1, −1.5)        (rows: inputs, columns: hidden units)
 *         [0.3, 0.4]]
 *   W2 = [[0.5], [−0.6]]             b2 = 0.1
 *
 * forward
 *   z1 = x·W1 + b1 = (1·0.1 + 2·0.3 + 0.1,  1·0.2 + 2·0.4 − 1.5) = (0.8, −0.5)
 *   a1 = relu(z1)  = (0.8, 0)                                         the second unit is off
 *   z2 = a1·W2 + b2 = 0.8·0.5 + 0·(−0.6) + 0.1 = 0.5
 *   a2 = σ(0.5) = 1 / (1 + e^−0.5) = 0.6224593312
 *   L  = −[y log a2 + (1 − y) log(1 − a2)] = −log 0.6224593312 = 0.4740769842
 *
 * backward (sigmoid and cross-entropy fuse: ∂L/∂z2 = a2 − y, with N = 1 sample and 1 output)
 *   dz2 = a2 − y = −0.3775406688
 *   dW2 = a1ᵀ dz2 = (0.8 · −0.3775406688, 0 · −0.3775406688) = (−0.3020325350, 0)
 *   db2 = dz2 = −0.3775406688
 *   da1 = dz2 W2ᵀ = (−0.3775406688 · 0.5, −0.3775406688 · −0.6) = (−0.1887703344, 0.2265244013)
 *   dz1 = da1 ⊙ relu'(z1) = (−0.1887703344 · 1, 0.2265244013 · 0) = (−0.1887703344, 0)
 *   dW1 = xᵀ dz1 = [[1 · −0.1887703344, 1 · 0],  = [[−0.1887703344, 0],
 *                   [2 · −0.1887703344, 2 · 0]]    [−0.3775406688, 0]]
 *   db1 = dz1 = (−0.1887703344, 0)
 *
 * one step of gradient descent, θ ← θ − η ∇θ with η = 0.5
 *   W1 = [[0.1 + 0.0943851672, 0.2],  = [[0.1943851672, 0.2],
 *         [0.3 + 0.1887703344, 0.4]]    [0.4887703344, 0.4]]
 *   b1 = (0.1 + 0.0943851672, −1.5) = (0.1943851672, −1.5)
 *   W2 = [[0.5 + 0.1510162675], [−0.6 − 0]] = [[0.6510162675], [−0.6]]
 *   b2 = 0.1 + 0.1887703344 = 0.2887703344
 *
 * and the loss falls: z1 = (1.3663110032, −0.5), z2 = 1.1782610240, a2 = 0.7646349872, L = 0.2683566999.
 * </pre>
 * The numbers are decimal, so float32 holds them to about {@code 6e-8} relative; every check allows {@code 1e-5}
 * relative (plus {@code 1e-7}), a hundred times that, and far less than any mistake in the formulas would give.
 */
public abstract class WorkedExampleConformance extends ModelTestSupport {
    static final float[] X = {1f, 2f};
    static final float[] Y = {1f};
    static final float[] W1 = {0.1f, 0.2f, 0.3f, 0.4f};
    static final float[] B1 = {0.1f, -1.5f};
    static final float[] W2 = {0.5f, -0.6f};
    static final float[] B2 = {0.1f};

    static final double A2 = 0.6224593312018546;
    static final double LOSS = 0.47407698418010663;
    static final double DZ2 = -0.3775406687981454;
    static final double DZ1 = -0.1887703343990727;
    static final double LEARNING_RATE = 0.5;

    static final double REL = 1e-5;
    static final double ABS = 1e-7;

    private Sequential network() {
        Sequential m = model(2, 0)
                .add(new Dense(2, Activation.RELU))
                .add(new Dense(1, Activation.SIGMOID));
        m.parameter("dense_1.weight").write(W1);
        m.parameter("dense_1.bias").write(B1);
        m.parameter("dense_2.weight").write(W2);
        m.parameter("dense_2.bias").write(B2);
        return m;
    }

    private static void check(String what, double[] expected, float[] actual) {
        assertClose(what, expected.length > 1 ? 2 : 1, expected, actual, REL, ABS);
    }

    @Test
    void forwardPassByHand() {
        Sequential m = network();
        Tensor x = tensor(X, 1, 2);
        Tensor y = tensor(Y, 1, 1);
        check("a1 = relu(x·W1 + b1)", new double[] {0.8, 0}, m.layers().get(0).forward(x, false).toArray());
        Tensor out = m.forward(x, true);
        check("a2 = σ(a1·W2 + b2)", new double[] {A2}, out.toArray());
        Loss bce = Loss.binaryCrossEntropy();
        check("L = −log a2", new double[] {LOSS}, new float[] {bce.value(backend(), out, y)});
        Evaluation e = m.evaluate(x, y, bce);
        assertEquals(LOSS, e.loss(), LOSS * REL, "evaluate: loss");
        assertEquals(1.0, e.accuracy(), "evaluate: a2 > 0.5 and y = 1 is correct");
        assertEquals(1, e.samples(), "evaluate: samples");
    }

    @Test
    void gradientsByHand() {
        Sequential m = network();
        Tensor y = tensor(Y, 1, 1);
        m.forward(tensor(X, 1, 2), true);
        m.backward(Loss.binaryCrossEntropy(), y);
        check("dW2 = a1ᵀ dz2", new double[] {0.8 * DZ2, 0}, m.parameter("dense_2.weight").readGradient());
        check("db2 = dz2", new double[] {DZ2}, m.parameter("dense_2.bias").readGradient());
        check("dW1 = xᵀ dz1", new double[] {DZ1, 0, 2 * DZ1, 0}, m.parameter("dense_1.weight").readGradient());
        check("db1 = dz1", new double[] {DZ1, 0}, m.parameter("dense_1.bias").readGradient());
    }

    /** The sample repeated: the mean loss and its gradients are those of one sample. */
    @Test
    void aBatchOfCopiesHasTheSameMeanGradient() {
        Sequential m = network();
        float[] x3 = {1, 2, 1, 2, 1, 2};
        Tensor y3 = tensor(new float[] {1, 1, 1}, 3, 1);
        Tensor out = m.forward(tensor(x3, 3, 2), true);
        check("mean loss of three copies", new double[] {LOSS},
                new float[] {Loss.binaryCrossEntropy().value(backend(), out, y3)});
        m.backward(Loss.binaryCrossEntropy(), y3);
        check("dW2 of three copies", new double[] {0.8 * DZ2, 0}, m.parameter("dense_2.weight").readGradient());
        check("db2 of three copies", new double[] {DZ2}, m.parameter("dense_2.bias").readGradient());
        check("dW1 of three copies", new double[] {DZ1, 0, 2 * DZ1, 0}, m.parameter("dense_1.weight").readGradient());
        check("db1 of three copies", new double[] {DZ1, 0}, m.parameter("dense_1.bias").readGradient());
    }

    @Test
    void oneStepOfGradientDescentByHand() {
        Sequential m = network();
        Tensor x = tensor(X, 1, 2);
        Tensor y = tensor(Y, 1, 1);
        m.forward(x, true);
        m.backward(Loss.binaryCrossEntropy(), y);
        Sgd sgd = track(new Sgd((float) LEARNING_RATE));
        sgd.step(m.parameters());
        assertEquals(1, sgd.steps(), "steps taken");
        checkUpdated(m);

        // The loss of the updated network, by hand: z1 = (1.3663110032, −0.5), z2 = 1.1782610240.
        Tensor out = m.forward(x, false);
        check("a2 after the step", new double[] {0.7646349871982401}, out.toArray());
        float after = Loss.binaryCrossEntropy().value(backend(), out, y);
        check("L after the step", new double[] {0.26835669994088407}, new float[] {after});
        assertTrue(after < LOSS, "one step of gradient descent lowers the loss");
    }

    /** The same step, taken by the trainer: one full-batch epoch of gradient descent. */
    @Test
    void trainerTakesTheSameStep() {
        Sequential m = network();
        History h = Trainer.builder().epochs(1).batchSize(0).build()
                .fit(m, Loss.binaryCrossEntropy(), track(new Sgd((float) LEARNING_RATE)),
                        new Dataset(X.clone(), 2, Y.clone(), 1), null);
        assertEquals(1, h.epochs(), "epochs run");
        assertEquals(LOSS, h.trainLoss()[0], LOSS * REL, "training loss is measured before the update");
        assertEquals(1.0, h.trainAccuracy()[0], "training accuracy");
        checkUpdated(m);
    }

    private static void checkUpdated(Sequential m) {
        double eta = LEARNING_RATE;
        check("W1 after one step", new double[] {0.1 - eta * DZ1, 0.2, 0.3 - eta * 2 * DZ1, 0.4},
                m.parameter("dense_1.weight").read());
        check("b1 after one step", new double[] {0.1 - eta * DZ1, -1.5}, m.parameter("dense_1.bias").read());
        check("W2 after one step", new double[] {0.5 - eta * 0.8 * DZ2, -0.6}, m.parameter("dense_2.weight").read());
        check("b2 after one step", new double[] {0.1 - eta * DZ2}, m.parameter("dense_2.bias").read());
        // The same numbers as written out in the class comment.
        check("W1 after one step, as written", new double[] {0.1943851672, 0.2, 0.4887703344, 0.4},
                m.parameter("dense_1.weight").read());
        check("W2 after one step, as written", new double[] {0.6510162675, -0.6},
                m.parameter("dense_2.weight").read());
        check("b2 after one step, as written", new double[] {0.2887703344}, m.parameter("dense_2.bias").read());
    }
}
