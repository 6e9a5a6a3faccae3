package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.CustomActivation;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.losses.Loss;
import java.util.Random;

/**
 * Finite-difference checks of user-defined math, for anyone who writes a {@link CustomActivation} or a custom
 * {@link Loss}: the analytic gradient the backend computes is compared with central differences
 * {@code (F(x + h) − F(x − h)) / 2h} of the value the same backend computes. A derivative with a wrong sign, a
 * missing factor or a typo fails; float rounding does not (the tolerance is {@code 1e-2} relative to the
 * largest gradient element, plus {@code 1e-2} relative to the element).
 *
 * <p>Public in nn-api's test-jar, so a project depending on it ({@code <type>test-jar</type>}) can call it from
 * its own tests on any backend:
 * <pre>{@code
 * FiniteDifferences.checkActivation(backend, new Swish(), -4, 4, 42);
 * FiniteDifferences.checkLoss(backend, Loss.custom("huber", new Huber()), -3, 3, 42);
 * }</pre>
 */
public final class FiniteDifferences {
    private static final int ROWS = 5;
    private static final int COLS = 7;
    private static final double STEP = 1e-2;
    private static final double REL = 1e-2;

    private FiniteDifferences() {
    }

    /**
     * Checks a custom activation through {@link CustomActivationLayer} on {@code backend}: for an input
     * {@code z} uniform in {@code [lo, hi]} and a random upstream gradient {@code G}, the layer's backward
     * {@code dZ} against the central differences of {@code F(z) = Σ G ⊙ f(z)}, element by element.
     *
     * @param backend the backend to run on
     * @param f the activation under test
     * @param lo the smallest input drawn
     * @param hi the largest input drawn
     * @param seed the seed of the inputs
     * @throws AssertionError naming the element whose gradients disagree
     */
    public static void checkActivation(Backend backend, CustomActivation f, double lo, double hi, long seed) {
        Random r = new Random(seed);
        float[] z = uniform(r, ROWS * COLS, lo, hi);
        float[] g = uniform(r, ROWS * COLS, -1, 1);
        CustomActivationLayer layer = new CustomActivationLayer(f);
        layer.build(backend, f.name(), COLS, new Random(seed));
        try (Tensor tz = backend.tensor(z, ROWS, COLS);
             Tensor tg = backend.tensor(g, ROWS, COLS)) {
            layer.forward(tz, true);
            float[] analytic = layer.backward(tg, true).toArray();
            double[] numeric = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                float keep = z[i];
                z[i] = (float) (keep + STEP);
                double plus = weightedSum(layer, backend, z, g);
                z[i] = (float) (keep - STEP);
                double minus = weightedSum(layer, backend, z, g);
                z[i] = keep;
                numeric[i] = (plus - minus) / (2 * STEP);
            }
            compare(f.name() + " activation", numeric, analytic);
        } finally {
            layer.close();
        }
    }

    /**
     * Checks a loss on {@code backend}: for predictions uniform in {@code [lo, hi]} and targets uniform in the
     * same range, {@link Loss#gradient} (unfused) against the central differences of {@link Loss#value}.
     *
     * @param backend the backend to run on
     * @param loss the loss under test (built-in or {@link Loss#custom})
     * @param lo the smallest prediction and target drawn
     * @param hi the largest prediction and target drawn
     * @param seed the seed of the inputs
     * @throws AssertionError naming the element whose gradients disagree
     */
    public static void checkLoss(Backend backend, Loss loss, double lo, double hi, long seed) {
        Random r = new Random(seed);
        float[] p = uniform(r, ROWS * COLS, lo, hi);
        float[] y = uniform(r, ROWS * COLS, lo, hi);
        try (Tensor tp = backend.tensor(p, ROWS, COLS);
             Tensor ty = backend.tensor(y, ROWS, COLS);
             Tensor grad = backend.zeros(ROWS, COLS)) {
            loss.gradient(backend, tp, ty, false, grad);
            float[] analytic = grad.toArray();
            double[] numeric = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                float keep = p[i];
                p[i] = (float) (keep + STEP);
                tp.copyFrom(p);
                double plus = loss.value(backend, tp, ty);
                p[i] = (float) (keep - STEP);
                tp.copyFrom(p);
                double minus = loss.value(backend, tp, ty);
                p[i] = keep;
                numeric[i] = (plus - minus) / (2 * STEP);
            }
            tp.copyFrom(p);
            compare(loss.label() + " loss", numeric, analytic);
        }
    }

    /** {@code Σ G ⊙ f(z)} in double, from the layer's forward on the backend. */
    private static double weightedSum(CustomActivationLayer layer, Backend backend, float[] z, float[] g) {
        try (Tensor tz = backend.tensor(z, ROWS, COLS)) {
            float[] a = layer.forward(tz, true).toArray();
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += (double) g[i] * a[i];
            }
            return s;
        }
    }

    private static void compare(String what, double[] numeric, float[] analytic) {
        double scale = 0;
        for (double v : numeric) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < numeric.length; i++) {
            double tolerance = REL * scale + REL * Math.abs(numeric[i]) + 1e-6;
            double error = Math.abs(analytic[i] - numeric[i]);
            assertTrue(error <= tolerance, what + ": gradient element " + i + " (row " + i / COLS + ", column "
                    + i % COLS + ") is " + analytic[i] + ", finite differences give " + numeric[i]
                    + " (tolerance " + tolerance + ")");
        }
    }

    private static float[] uniform(Random r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return x;
    }
}
