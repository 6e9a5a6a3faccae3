package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.CustomActivation;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.GradientCheck;
import java.util.Random;

/**
 * Finite-difference checks of user-defined math, for anyone who writes a {@link CustomActivation} or a custom
 * {@link Loss}: the analytic gradient the backend computes is compared with finite differences of the value the
 * same backend computes. A derivative with a wrong sign, a missing factor, a wrong constant (GELU's {@code 0.0547}
 * for {@code 0.044715}) or an error of 2% fails where the function is smooth at the steps' scale; float rounding
 * does not. An element where the two steps disagree (a kink, or a curve too sharp for them) is held to the looser
 * {@code 1e-2} only, so a draw of inputs that avoids kinks is what checks a function tightly.
 *
 * <p>The numerical side is computed in double from the backend's float values: central differences {@code D(h) =
 * (F(x + h) − F(x − h)) / 2h} at {@code h = 1/64} and {@code h/2}, divided by the step the float input actually
 * took, and combined by Richardson extrapolation {@code (4 D(h/2) − D(h)) / 3}, whose truncation error is
 * {@code O(h⁴)}: the rule of {@link GradientCheck#centralDifference}, which checks a whole model's gradients the
 * same way. The analytic value must then agree within {@code 1e-3} relative to the largest gradient element
 * plus {@code 1e-3} relative to the element. Where {@code D(h)} and {@code D(h/2)} themselves disagree by more
 * than that, the function is not smooth at that scale (a kink such as Huber's at {@code |p − y| = δ} lies within
 * the steps): that element is held to {@code 1e-2} against {@code D(h/2)} instead, and a test drawing inputs away
 * from the kinks checks it tightly.
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
    /** The larger step {@code h}; the differences divide by the step the float input actually took. */
    private static final double STEP = 1.0 / 64;
    /** The tolerance where the function is smooth at the scale of the steps. */
    private static final double REL = 1e-3;
    /** The tolerance at a kink, where the differences themselves are off by up to {@code h/4} of the jump. */
    private static final double REL_AT_KINK = 1e-2;

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
            double[][] numeric = centralDifferences(z, () -> weightedSum(layer, backend, z, g));
            compare(f.name() + " activation", numeric[0], numeric[1], analytic);
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
            double[][] numeric = centralDifferences(p, () -> {
                tp.copyFrom(p);
                return loss.value(backend, tp, ty);
            });
            tp.copyFrom(p);
            compare(loss.label() + " loss", numeric[0], numeric[1], analytic);
        }
    }

    /**
     * The central differences {@code D(h)} and {@code D(h/2)} ({@code h = STEP}) of {@code value} in each element of
     * {@code x}: the element is set to {@code x ± h} rounded to float, {@code value} read at each (it reads
     * {@code x} as it stands), the element restored, and the difference divided by the step the float input took.
     *
     * @return {@code [2][x.length]}: the differences at {@code h}, then at {@code h/2}
     */
    private static double[][] centralDifferences(float[] x, java.util.function.DoubleSupplier value) {
        double[][] numeric = new double[2][x.length];
        for (int i = 0; i < x.length; i++) {
            int at = i;
            float keep = x[i];
            GradientCheck.Difference d;
            try {
                d = GradientCheck.centralDifference(v -> {
                    x[at] = (float) v;
                    return value.getAsDouble();
                }, keep, STEP);
            } finally {
                x[i] = keep;
            }
            numeric[0][i] = d.atStep();
            numeric[1][i] = d.atHalfStep();
        }
        return numeric;
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

    /**
     * The analytic gradient against the Richardson extrapolation of the central differences at {@code h} and
     * {@code h/2}, or, at a kink (the two differences disagree beyond the tolerance), against {@code D(h/2)} with
     * the kink's tolerance.
     */
    private static void compare(String what, double[] atStep, double[] atHalfStep, float[] analytic) {
        double scale = 0;
        for (double v : atHalfStep) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < analytic.length; i++) {
            double numeric = GradientCheck.richardson(atStep[i], atHalfStep[i]);
            double tolerance = REL * scale + REL * Math.abs(numeric) + 1e-7;
            boolean kink = Math.abs(atStep[i] - atHalfStep[i]) > tolerance;
            if (kink) {
                numeric = atHalfStep[i];
                tolerance = REL_AT_KINK * scale + REL_AT_KINK * Math.abs(numeric) + 1e-6;
            }
            double error = Math.abs(analytic[i] - numeric);
            assertTrue(error <= tolerance, what + ": gradient element " + i + " (row " + i / COLS + ", column "
                    + i % COLS + ") is " + analytic[i] + ", finite differences give " + numeric
                    + (kink ? " (at a kink, not smooth within the steps)" : "") + " (tolerance " + tolerance + ")");
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
