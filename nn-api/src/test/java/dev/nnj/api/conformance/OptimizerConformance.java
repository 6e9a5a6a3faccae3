package dev.nnj.api.conformance;

import static dev.nnj.api.conformance.Checks.assertClose;
import static dev.nnj.api.conformance.Checks.assertExact;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnj.api.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-place optimizer steps against their update rules, written out in double in {@link Reference} (as in
 * {@code torch.optim}). Each configuration runs several steps with fresh random gradients and compares the
 * parameters and every state tensor after each step, so a wrong first-step or bias-correction rule shows
 * as well as a wrong formula. The reference keeps its state in double; after a few steps the float32 state
 * of the backend is still within the default tolerance. Part of {@link BackendConformanceTest}; not
 * subclassed directly.
 */
public abstract class OptimizerConformance extends LossConformance {

    /** Steps per configuration. State tensors start at zero, as in {@code torch.optim}. */
    private static final int STEPS = 6;

    /** A parameter vector and a parameter matrix, of odd sizes. */
    private static final String[] PARAM_SHAPES = {"257", "17x65"};

    @Nested
    @DisplayName("sgdStep")
    class Sgd {

        @Test
        void handComputed() {
            Tensor p = tensor(new float[] {1, -2}, 2);
            backend().sgdStep(p, tensor(new float[] {0.5f, 0.25f}, 2), null, 0.1f, 0, 0, 0, false, true);
            assertClose("p - lr · g", new double[] {0.95, -2.025}, p);

            // Momentum 0.9: the first step sets buf = g = 1, p = 1 - 0.1 = 0.9; the second
            // buf = 0.9 · 1 + 1 = 1.9, p = 0.9 - 0.19 = 0.71.
            Tensor q = tensor(new float[] {1}, 1);
            Tensor buf = tensor(new float[] {123}, 1); // garbage: the first step must set, not read
            Tensor g = tensor(new float[] {1}, 1);
            backend().sgdStep(q, g, buf, 0.1f, 0.9f, 0, 0, false, true);
            assertClose("momentum, first step: p", new double[] {0.9}, q);
            assertClose("momentum, first step: buf", new double[] {1}, buf);
            backend().sgdStep(q, g, buf, 0.1f, 0.9f, 0, 0, false, false);
            assertClose("momentum, second step: p", new double[] {0.71}, q);
            assertClose("momentum, second step: buf", new double[] {1.9}, buf);

            // Weight decay adds wd · p to the gradient: g = 0 + 0.5 · 2 = 1, p = 2 - 0.1 · 1.
            Tensor w = tensor(new float[] {2}, 1);
            backend().sgdStep(w, tensor(new float[] {0}, 1), null, 0.1f, 0, 0, 0.5f, false, true);
            assertClose("weight decay", new double[] {1.9}, w);
        }

        @ParameterizedTest(name = "momentum={0} dampening={1} weightDecay={2} nesterov={3}")
        @CsvSource({
            "0,   0,   0,    false",
            "0,   0,   0.01, false",
            "0.9, 0,   0,    false",
            "0.9, 0.5, 0,    false",
            "0.9, 0,   0,    true",
            "0.9, 0,   0.05, true",
            "0.5, 0.3, 0.01, false",
        })
        void matchesFormulaOverSteps(float momentum, float dampening, float weightDecay, boolean nesterov) {
            float lr = 0.05f;
            for (String shapeText : PARAM_SHAPES) {
                int[] s = shape(shapeText);
                int n = size(s);
                Random r = random("sgd", momentum, dampening, weightDecay, nesterov, shapeText);
                float[] p0 = normal(r, n, 1);
                Tensor p = tensor(p0, s);
                Tensor g = zeros(s);
                // Garbage in the velocity: the first step sets it (buf ← g).
                Tensor velocity = momentum == 0 ? null : full(123, s);
                double[] pRef = toDouble(p0);
                double[] bufRef = new double[n];
                for (int step = 1; step <= STEPS; step++) {
                    float[] grad = normal(r, n, 1);
                    g.copyFrom(grad);
                    boolean first = step == 1;
                    backend().sgdStep(p, g, velocity, lr, momentum, dampening, weightDecay, nesterov, first);
                    Reference.sgdStep(pRef, grad, bufRef, lr, momentum, dampening, weightDecay, nesterov, first);
                    String what = "sgd " + shapeText + " step " + step;
                    assertClose(what + ": param", cols(s), pRef, p.toArray());
                    if (velocity != null) {
                        assertClose(what + ": velocity", cols(s), bufRef, velocity.toArray());
                    }
                    assertExact(what + ": grad unchanged", cols(s), grad, g.toArray());
                }
            }
        }
    }

    @Nested
    @DisplayName("adamStep")
    class Adam {

        @Test
        void handComputed() {
            // First step: m = 0.1 g, v = 0.001 g², the bias corrections undo both, so p moves by lr against
            // the sign of g (up to ε).
            Tensor p = tensor(new float[] {1, 1}, 2);
            Tensor m = zeros(2);
            Tensor v = zeros(2);
            backend().adamStep(p, tensor(new float[] {0.5f, -2}, 2), m, v, null, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false,
                    dev.nnj.api.optim.Adam.stepSize(0.1f, 0.9f, 1), dev.nnj.api.optim.Adam.sqrtBiasCorrection2(0.999f, 1));
            assertClose("Adam first step: p", new double[] {0.9, 1.1}, p);
            assertClose("Adam first step: m", new double[] {0.05, -0.2}, m);
            assertClose("Adam first step: v", new double[] {0.00025, 0.004}, v);

            // With a zero gradient, AdamW only decays: p · (1 - lr · wd) = 0.99 ...
            Tensor pw = tensor(new float[] {1}, 1);
            backend().adamStep(pw, tensor(new float[] {0}, 1), zeros(1), zeros(1), null, 0.1f,
                    0.9f, 0.999f, 1e-8f, 0.1f, true, dev.nnj.api.optim.Adam.stepSize(0.1f, 0.9f, 1),
                    dev.nnj.api.optim.Adam.sqrtBiasCorrection2(0.999f, 1));
            assertClose("AdamW, zero gradient", new double[] {0.99}, pw);
            // ... while Adam's L2 decay becomes the gradient g = 0.1 · 1 and moves p by lr.
            Tensor pl = tensor(new float[] {1}, 1);
            backend().adamStep(pl, tensor(new float[] {0}, 1), zeros(1), zeros(1), null, 0.1f,
                    0.9f, 0.999f, 1e-8f, 0.1f, false, dev.nnj.api.optim.Adam.stepSize(0.1f, 0.9f, 1),
                    dev.nnj.api.optim.Adam.sqrtBiasCorrection2(0.999f, 1));
            assertClose("Adam with L2 decay, zero gradient", new double[] {0.9}, pl);
        }

        @Test
        void amsgradDividesByTheLargestSecondMomentSoFar() {
            // β2 = 0.5 forgets fast: after a gradient of 2 then 0, v = 2 then 1, and AMSGrad keeps vMax = 2.
            // Step 2 (m = 0.5 · 1 = 0.5 with β1 = 0.5, bias corrections 1/(1 − 0.25) and √(1 − 0.25)) divides by
            // √2 / √0.75 where plain Adam divides by √1 / √0.75.
            Tensor p = tensor(new float[] {0}, 1);
            Tensor m = zeros(1);
            Tensor v = zeros(1);
            Tensor vMax = zeros(1);
            for (int t = 1; t <= 2; t++) {
                backend().adamStep(p, tensor(new float[] {t == 1 ? 2 : 0}, 1), m, v, vMax, 0.1f, 0.5f, 0.5f, 0f, 0f,
                        false, dev.nnj.api.optim.Adam.stepSize(0.1f, 0.5f, t),
                        dev.nnj.api.optim.Adam.sqrtBiasCorrection2(0.5f, t));
            }
            assertClose("AMSGrad: v", new double[] {1}, v);
            assertClose("AMSGrad: vMax", new double[] {2}, vMax);
            // Step 1 moves p by -0.1 (first step: lr · sign(g)); step 2 by -(0.1 / 0.75) · 0.5 / (√2 / √0.75).
            double step2 = 0.1 / 0.75 * 0.5 / (Math.sqrt(2) / Math.sqrt(0.75));
            assertClose("AMSGrad: p", new double[] {-0.1 - step2}, p);
        }

        @Test
        void amsgradNeedsAStateOfTheParametersShape() {
            Tensor p = zeros(2);
            assertThrows(IllegalArgumentException.class, () -> backend().adamStep(p, zeros(2), zeros(2), zeros(2),
                    zeros(3), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f));
        }

        @ParameterizedTest(name = "lr={0} beta1={1} beta2={2} eps={3} weightDecay={4} decoupled={5} amsgrad={6}")
        @CsvSource({
            "0.05, 0.9, 0.999, 1e-8, 0,    false, false",
            "0.05, 0.9, 0.999, 1e-8, 0.01, false, false",
            "0.05, 0.9, 0.999, 1e-8, 0.01, true,  false",
            "0.1,  0.8, 0.99,  1e-6, 0.1,  true,  false",
            "0.1,  0.5, 0.9,   1e-3, 0.1,  false, false",
            "0.1,  0.9, 0.999, 0.1,  0,    false, false", // a large ε shows where it is added
            "0.05, 0.9, 0.999, 1e-8, 0.01, false, true",
            "0.1,  0.5, 0.6,   1e-6, 0.1,  true,  true",  // β2 small: v falls below vMax within the steps
        })
        void matchesFormulaOverSteps(float lr, float beta1, float beta2, float eps, float weightDecay,
                                     boolean decoupled, boolean amsgrad) {
            for (String shapeText : PARAM_SHAPES) {
                int[] s = shape(shapeText);
                int n = size(s);
                Random r = random("adam", lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, shapeText);
                float[] p0 = normal(r, n, 1);
                Tensor p = tensor(p0, s);
                Tensor g = zeros(s);
                Tensor m = zeros(s);
                Tensor v = zeros(s);
                Tensor vMax = amsgrad ? zeros(s) : null;
                double[] pRef = toDouble(p0);
                double[] mRef = new double[n];
                double[] vRef = new double[n];
                double[] vMaxRef = amsgrad ? new double[n] : null;
                for (int t = 1; t <= STEPS; t++) {
                    float[] grad = normal(r, n, 1);
                    for (int i = 0; amsgrad && i < n; i++) {
                        grad[i] /= t;   // shrinking gradients, so that v falls below its largest value
                    }
                    g.copyFrom(grad);
                    backend().adamStep(p, g, m, v, vMax, lr, beta1, beta2, eps, weightDecay, decoupled,
                            dev.nnj.api.optim.Adam.stepSize(lr, beta1, t), dev.nnj.api.optim.Adam.sqrtBiasCorrection2(beta2, t));
                    Reference.adamStep(pRef, grad, mRef, vRef, vMaxRef, lr, beta1, beta2, eps, weightDecay, decoupled,
                            t);
                    String what = (decoupled ? "AdamW " : "Adam ") + (amsgrad ? "AMSGrad " : "") + shapeText + " t="
                            + t;
                    if (amsgrad) {
                        assertClose(what + ": vMax", cols(s), vMaxRef, vMax.toArray());
                    }
                    assertClose(what + ": param", cols(s), pRef, p.toArray());
                    assertClose(what + ": m", cols(s), mRef, m.toArray());
                    assertClose(what + ": v", cols(s), vRef, v.toArray());
                    assertExact(what + ": grad unchanged", cols(s), grad, g.toArray());
                }
            }
        }
    }

    @Nested
    @DisplayName("rmspropStep")
    class RmsProp {

        @Test
        void handComputed() {
            // α = 0.99: sq = 0.01 · 0.5² = 0.0025, so p = 1 - 0.01 · 0.5 / (0.05 + ε).
            Tensor p = tensor(new float[] {1}, 1);
            Tensor sq = zeros(1);
            backend().rmspropStep(p, tensor(new float[] {0.5f}, 1), sq, null, null, 0.01f, 0.99f, 1e-8f, 0, 0);
            assertClose("RMSprop: p", new double[] {0.9}, p);
            assertClose("RMSprop: sq", new double[] {0.0025}, sq);

            // Centered: gAvg = 0.01 · 0.5 = 0.005, d = √(0.0025 - 0.005²).
            Tensor pc = tensor(new float[] {1}, 1);
            Tensor sqc = zeros(1);
            Tensor gAvg = zeros(1);
            backend().rmspropStep(pc, tensor(new float[] {0.5f}, 1), sqc, gAvg, null, 0.01f, 0.99f, 1e-8f, 0, 0);
            assertClose("centered RMSprop: p", new double[] {1 - 0.01 * 0.5 / Math.sqrt(0.0025 - 0.005 * 0.005)}, pc);
            assertClose("centered RMSprop: gAvg", new double[] {0.005}, gAvg);

            // Momentum 0.9, two steps of g = 0.5: buf = 0.5 / 0.05 = 10; then sq = 0.99 · 0.0025 + 0.01 · 0.25 and
            // buf = 0.9 · 10 + 0.5 / √sq.
            Tensor pm = tensor(new float[] {1}, 1);
            Tensor sqm = zeros(1);
            Tensor buf = zeros(1);
            Tensor g = tensor(new float[] {0.5f}, 1);
            backend().rmspropStep(pm, g, sqm, null, buf, 0.01f, 0.99f, 1e-8f, 0, 0.9f);
            assertClose("RMSprop with momentum, step 1: buf", new double[] {10}, buf);
            assertClose("RMSprop with momentum, step 1: p", new double[] {0.9}, pm);
            backend().rmspropStep(pm, g, sqm, null, buf, 0.01f, 0.99f, 1e-8f, 0, 0.9f);
            double sq2 = 0.99 * 0.0025 + 0.01 * 0.25;
            double buf2 = 0.9 * 10 + 0.5 / Math.sqrt(sq2);
            assertClose("RMSprop with momentum, step 2: buf", new double[] {buf2}, buf);
            assertClose("RMSprop with momentum, step 2: p", new double[] {0.9 - 0.01 * buf2}, pm);
        }

        @ParameterizedTest(name = "lr={0} alpha={1} eps={2} weightDecay={3} momentum={4} centered={5}")
        @CsvSource({
            "0.01,  0.99, 1e-8, 0,    0,   false",
            "0.01,  0.99, 1e-8, 0,    0,   true",
            "0.01,  0.9,  1e-8, 0,    0.9, false",
            "0.01,  0.9,  1e-6, 0.05, 0.9, true",
            "0.005, 0.99, 1e-8, 0.1,  0,   false",
            "0.01,  0.99, 0.1,  0,    0,   false", // a large ε shows where it is added
        })
        void matchesFormulaOverSteps(float lr, float alpha, float eps, float weightDecay, float momentum,
                                     boolean centered) {
            for (String shapeText : PARAM_SHAPES) {
                int[] s = shape(shapeText);
                int n = size(s);
                Random r = random("rmsprop", lr, alpha, eps, weightDecay, momentum, centered, shapeText);
                float[] p0 = normal(r, n, 1);
                Tensor p = tensor(p0, s);
                Tensor g = zeros(s);
                Tensor sq = zeros(s);
                Tensor gAvg = centered ? zeros(s) : null;
                Tensor buf = momentum != 0 ? zeros(s) : null;
                double[] pRef = toDouble(p0);
                double[] sqRef = new double[n];
                double[] gAvgRef = centered ? new double[n] : null;
                double[] bufRef = momentum != 0 ? new double[n] : null;
                for (int step = 1; step <= STEPS; step++) {
                    float[] grad = normal(r, n, 1);
                    g.copyFrom(grad);
                    backend().rmspropStep(p, g, sq, gAvg, buf, lr, alpha, eps, weightDecay, momentum);
                    Reference.rmspropStep(pRef, grad, sqRef, gAvgRef, bufRef, lr, alpha, eps, weightDecay, momentum);
                    String what = "RMSprop " + shapeText + " step " + step;
                    assertClose(what + ": param", cols(s), pRef, p.toArray());
                    assertClose(what + ": sq", cols(s), sqRef, sq.toArray());
                    if (gAvg != null) {
                        assertClose(what + ": gAvg", cols(s), gAvgRef, gAvg.toArray());
                    }
                    if (buf != null) {
                        assertClose(what + ": buf", cols(s), bufRef, buf.toArray());
                    }
                    assertExact(what + ": grad unchanged", cols(s), grad, g.toArray());
                }
            }
        }
    }

    @Nested
    @DisplayName("adagradStep")
    class AdaGrad {

        @Test
        void handComputed() {
            // sum = 0.25, p = 1 - 0.1 · 0.5 / 0.5; then sum = 0.5, p = 0.9 - 0.1 · 0.5 / √0.5.
            Tensor p = tensor(new float[] {1}, 1);
            Tensor sum = zeros(1);
            Tensor g = tensor(new float[] {0.5f}, 1);
            backend().adagradStep(p, g, sum, 0.1f, 1e-10f, 0);
            assertClose("AdaGrad step 1: p", new double[] {0.9}, p);
            assertClose("AdaGrad step 1: sum", new double[] {0.25}, sum);
            backend().adagradStep(p, g, sum, 0.1f, 1e-10f, 0);
            assertClose("AdaGrad step 2: p", new double[] {0.9 - 0.05 / Math.sqrt(0.5)}, p);
            assertClose("AdaGrad step 2: sum", new double[] {0.5}, sum);
        }

        @ParameterizedTest(name = "lr={0} lrDecay={1} eps={2} weightDecay={3} initialSum={4}")
        @CsvSource({
            "0.1,  0,    1e-10, 0,    0",
            "0.1,  0.01, 1e-10, 0,    0.1",
            "0.05, 0.1,  1e-6,  0.05, 0",
            "0.1,  0,    0.1,   0,    0", // a large ε shows where it is added
        })
        void matchesFormulaOverSteps(float lr, float lrDecay, float eps, float weightDecay, float initialSum) {
            for (String shapeText : PARAM_SHAPES) {
                int[] s = shape(shapeText);
                int n = size(s);
                Random r = random("adagrad", lr, lrDecay, eps, weightDecay, initialSum, shapeText);
                float[] p0 = normal(r, n, 1);
                Tensor p = tensor(p0, s);
                Tensor g = zeros(s);
                Tensor sum = full(initialSum, s);
                double[] pRef = toDouble(p0);
                double[] sumRef = new double[n];
                Arrays.fill(sumRef, initialSum);
                for (int t = 1; t <= STEPS; t++) {
                    float[] grad = normal(r, n, 1);
                    g.copyFrom(grad);
                    // The caller computes the decayed rate, as torch.optim.Adagrad does.
                    float clr = lr / (1 + (t - 1) * lrDecay);
                    backend().adagradStep(p, g, sum, clr, eps, weightDecay);
                    Reference.adagradStep(pRef, grad, sumRef, clr, eps, weightDecay);
                    String what = "AdaGrad " + shapeText + " t=" + t;
                    assertClose(what + ": param", cols(s), pRef, p.toArray());
                    assertClose(what + ": sum", cols(s), sumRef, sum.toArray());
                    assertExact(what + ": grad unchanged", cols(s), grad, g.toArray());
                }
            }
        }
    }
}
