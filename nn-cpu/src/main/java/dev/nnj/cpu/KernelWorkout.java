package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;

/**
 * A miniature training step, written as the {@link Kernels} calls the nn-api layers issue, on shapes small
 * enough to be cheap before the JIT has compiled anything but shaped to take the same branches as real
 * work: {@code x (rows, in) → Dense sigmoid or relu (hidden) → Dense softmax (out) → cross-entropy}, then the
 * backward products (transposed A for the weight gradients, transposed B for the layer below), the bias
 * gradients, and an SGD or Adam update. Rows cycle through values whose last tile of rows is 12, 9, 8, 5 and
 * 1 rows high, so that every micro-kernel height and the scalar tails run; {@code out = 10} is a sliver one
 * vector wide and the short-row softmax, as in a 10-class output.
 *
 * <p>{@link KernelWarmup} repeats it on the Vector API kernels until HotSpot's C2 has compiled them. It
 * only uses the {@link Kernels} interface, so it runs on any implementation (the tests run it on the
 * reference kernels to check it computes what it should).
 */
final class KernelWorkout {
    /** Row counts cycled through: last tiles of 12, 9, 8, 5 and 1 rows at 512 bits (MR = 12). */
    private static final int[] ROWS = {24, 21, 20, 17, 13};
    private static final int IN = 4;
    private static final int HIDDEN = 36;
    private static final int OUT = 10;
    private static final int MAX_ROWS = 24;

    private final Kernels k;
    private final float[] x = new float[MAX_ROWS * IN];
    private final float[] y = new float[MAX_ROWS * OUT];
    private final float[] w1 = new float[IN * HIDDEN];
    private final float[] b1 = new float[HIDDEN];
    private final float[] w2 = new float[HIDDEN * OUT];
    private final float[] b2 = new float[OUT];
    private final float[] a1 = new float[MAX_ROWS * HIDDEN];
    private final float[] a2 = new float[MAX_ROWS * OUT];
    private final float[] dz2 = new float[MAX_ROWS * OUT];
    private final float[] da1 = new float[MAX_ROWS * HIDDEN];
    private final float[] dz1 = new float[MAX_ROWS * HIDDEN];
    private final float[] gw1 = new float[IN * HIDDEN];
    private final float[] gb1 = new float[HIDDEN];
    private final float[] gw2 = new float[HIDDEN * OUT];
    private final float[] gb2 = new float[OUT];
    private final float[][] params = {w1, b1, w2, b2};
    private final float[][] grads = {gw1, gb1, gw2, gb2};
    private final float[][] m = new float[4][];
    private final float[][] v = new float[4][];
    private int round;
    /** Sum of the losses computed, so that no step is dead code and a test can check the values. */
    private double lossTotal;

    /**
     * @param kernels the kernels to exercise; {@code seed} fills the inputs and weights
     * @param seed    seed of the inputs, labels and initial weights
     */
    KernelWorkout(Kernels kernels, long seed) {
        this.k = kernels;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        fill(x, rnd, 1f);
        fill(w1, rnd, 0.5f);
        fill(w2, rnd, 0.5f);
        for (int i = 0; i < MAX_ROWS; i++) {
            y[i * OUT + rnd.nextInt(OUT)] = 1f;
        }
        for (int i = 0; i < 4; i++) {
            m[i] = new float[params[i].length];
            v[i] = new float[params[i].length];
        }
    }

    private static void fill(float[] a, java.util.SplittableRandom rnd, float scale) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5) * 2f * scale;
        }
    }

    /** Rounds run so far. */
    int rounds() {
        return round;
    }

    /** Sum of the per-round cross-entropy sums so far. */
    double lossTotal() {
        return lossTotal;
    }

    /** One training step; alternates sigmoid/SGD and relu/Adam, and the row count, from round to round. */
    void step() {
        int rows = ROWS[round % ROWS.length];
        boolean sigmoid = (round & 1) == 0;
        round++;
        Activation f = sigmoid ? Activation.SIGMOID : Activation.RELU;
        // Forward.
        k.gemm(false, false, rows, HIDDEN, IN, 1f, x, w1, 0f, a1);
        k.biasActivation(a1, b1, rows, HIDDEN, f, 0f, a1);
        k.gemm(false, false, rows, OUT, HIDDEN, 1f, a1, w2, 0f, a2);
        k.biasActivation(a2, b2, rows, OUT, Activation.SOFTMAX, 0f, a2);
        lossTotal += k.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, a2, y, rows, OUT);
        k.countCorrect(a2, y, rows, OUT);
        // Backward: the fused softmax + cross-entropy gradient, then the chain rule down.
        k.scaledDifference(1f / rows, a2, y, dz2, rows * OUT);
        k.gemm(true, false, HIDDEN, OUT, rows, 1f, a1, dz2, 0f, gw2);
        k.columnSums(dz2, rows, OUT, 1f, 0f, gb2);
        k.gemm(false, true, rows, HIDDEN, OUT, 1f, dz2, w2, 0f, da1);
        k.activationBackward(f, 0f, a1, da1, dz1, rows, HIDDEN);
        k.gemm(true, false, IN, HIDDEN, rows, 1f, x, dz1, 0f, gw1);
        k.columnSums(dz1, rows, HIDDEN, 1f, 0f, gb1);
        for (int i = 0; i < 4; i++) {
            int n = params[i].length;
            if (sigmoid) {
                k.sgdStep(params[i], grads[i], m[i], n, 0.01f, 0f, 0f, 0f, false, round == 1);
            } else {
                // Step t = round: stepSize = lr / (1 - 0.9^t), sqrtBc2 = √(1 - 0.999^t), as Adam passes them.
                float stepSize = (float) (1e-3 / (1.0 - Math.pow(0.9, round)));
                float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(0.999, round));
                k.adamStep(params[i], grads[i], m[i], v[i], n, 1e-3f, 0.9f, 0.999f, 1e-7f, 0f, false, stepSize, sqrtBc2);
            }
        }
    }
}
