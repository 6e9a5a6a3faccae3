package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.layers.Parameter;
import dev.nnj.api.optim.AbstractOptimizer;
import dev.nnj.api.optim.AdaGrad;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.AdamW;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.OptimizerState;
import dev.nnj.api.optim.RmsProp;
import dev.nnj.api.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each optimizer class ({@link Sgd}, {@link Adam}, {@link AdamW}, {@link RmsProp}, {@link AdaGrad}) driving real
 * {@link Parameter}s through {@link Optimizer#step}, against its update rule written out here in double from the
 * class's Javadoc, which follows {@code torch.optim} (state starting at zero, SGD's first momentum step taking the
 * gradient as is, Adam's bias corrections, the placement of {@code ε}). The op-level suite checks the backend's
 * update kernels; this checks what the optimizer classes pass to them: the step counter, the decayed rate of
 * AdaGrad, which state tensor is which, the defaults, and a learning rate changed between steps.
 *
 * <p>Two parameters, a {@code (3, 17)} matrix and a {@code (5)} vector, take {@value #STEPS} steps, each with a
 * fresh gradient written straight into the gradient tensors, at a different scale every step so that moment
 * estimates, bias corrections and accumulated sums all matter. Hyper-parameters are chosen so every step moves the
 * parameters by a sizeable fraction of their value, and some use a large {@code ε} (0.1) so that where {@code ε}
 * enters the formula shows.
 *
 * <p>Tolerance: {@code |p − p_ref| ≤ 2e-5 |p_ref| + 1e-4 |p_ref − p_0| + 1e-7}. Each float32 step rounds the
 * parameter ({@code u |p|}, {@code u = 6e-8}) and the update (a few {@code u} of it), so after six steps the error
 * is below {@code 1e-6 |p|} plus {@code 1e-6} of the displacement; the tolerance leaves a factor of about twenty,
 * while a wrong rule changes the displacement by far more than {@code 1e-4} of it.
 */
public abstract class ModelOptimizerConformance extends ModelTestSupport {
    static final int STEPS = 6;

    /** One parameter's update in double, state kept by the implementation; {@code t} is 1-based. */
    interface ReferenceStep {
        void step(double[] p, double[] g, int t, double lr);
    }

    /** A named optimizer configuration: the nnj optimizer, its reference, and the learning rate of each step. */
    static final class Case {
        final Supplier<Optimizer> optimizer;
        final Supplier<ReferenceStep> reference;
        final DoubleUnaryOperator schedule;   // step t ↦ learning rate, or null to keep the optimizer's own

        Case(Supplier<Optimizer> optimizer, Supplier<ReferenceStep> reference, DoubleUnaryOperator schedule) {
            this.optimizer = optimizer;
            this.reference = reference;
            this.schedule = schedule;
        }
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        // SGD: g ← ∇ + λθ;  b ← g (first step) or μ b + (1 − τ) g;  g ← g + μ b (Nesterov) or b;  θ ← θ − η g.
        sgd("SGD(lr=0.1)", 0.1f, 0, 0, 0, false, null);
        sgd("SGD(lr=0.1, momentum=0.9)", 0.1f, 0.9f, 0, 0, false, null);
        sgd("SGD(lr=0.1, momentum=0.9, dampening=0.5)", 0.1f, 0.9f, 0.5f, 0, false, null);
        sgd("SGD(lr=0.1, momentum=0.9, nesterov)", 0.1f, 0.9f, 0, 0, true, null);
        sgd("SGD(lr=0.1, weight_decay=0.1)", 0.1f, 0, 0, 0.1f, false, null);
        sgd("SGD(lr=0.05, momentum=0.8, weight_decay=0.05, nesterov)", 0.05f, 0.8f, 0, 0.05f, true, null);
        sgd("SGD(momentum=0.9), lr 0.1 then 0.03 from step 4", 0.1f, 0.9f, 0, 0, false, t -> t < 4 ? 0.1 : 0.03);
        // Adam / AdamW: m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  θ ← θ − η/(1 − β1^t) · m/(√v/√(1 − β2^t) + ε).
        CASES.put("Adam() defaults", new Case(Adam::new, () -> adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false), null));
        adam("Adam(lr=0.05)", 0.05f, 0.9f, 0.999f, 1e-8f, 0, false, null);
        adam("Adam(lr=0.05, betas=(0.8, 0.9), eps=0.1, weight_decay=0.1)", 0.05f, 0.8f, 0.9f, 0.1f, 0.1f, false,
                null);
        adam("Adam, lr 0.05 then 0.01 from step 3", 0.05f, 0.9f, 0.999f, 1e-8f, 0, false, t -> t < 3 ? 0.05 : 0.01);
        CASES.put("AdamW() defaults", new Case(AdamW::new, () -> adam(1e-3, 0.9, 0.999, 1e-8, 1e-2, true, false),
                null));
        adam("AdamW(lr=0.05, weight_decay=0.1)", 0.05f, 0.9f, 0.999f, 1e-8f, 0.1f, true, null);
        adam("AdamW(lr=0.05, betas=(0.8, 0.9), eps=0.1, weight_decay=0.5)", 0.05f, 0.8f, 0.9f, 0.1f, 0.5f, true,
                null);
        // AMSGrad: v̄ ← max(v̄, v) divides in place of v; β2 = 0.5 forgets fast, so that v falls below v̄.
        CASES.put("Adam(lr=0.05, betas=(0.9, 0.5), weight_decay=0.1, amsgrad)", new Case(
                () -> new Adam(0.05f, 0.9f, 0.5f, 1e-8f, 0.1f, true),
                () -> adam(0.05, 0.9, 0.5, 1e-8, 0.1, false, true), null));
        CASES.put("AdamW(lr=0.05, betas=(0.8, 0.5), amsgrad), lr 0.05 then 0.01 from step 3", new Case(
                () -> new AdamW(0.05f, 0.8f, 0.5f, 1e-8f, 1e-2f, true),
                () -> adam(0.05, 0.8, 0.5, 1e-8, 1e-2, true, true), t -> t < 3 ? 0.05 : 0.01));
        // RMSprop: s ← α s + (1 − α) g²;  d = √s + ε or √(s − ḡ²) + ε;  θ ← θ − η g/d, or b ← μ b + g/d, θ ← θ − η b.
        CASES.put("RMSprop() defaults", new Case(RmsProp::new, () -> rmsprop(1e-2, 0.99, 1e-8, 0, 0, false), null));
        rmsprop("RMSprop(lr=0.01)", 0.01f, 0.99f, 1e-8f, 0, 0, false);
        rmsprop("RMSprop(lr=0.01, centered)", 0.01f, 0.99f, 1e-8f, 0, 0, true);
        rmsprop("RMSprop(lr=0.01, momentum=0.9)", 0.01f, 0.99f, 1e-8f, 0, 0.9f, false);
        rmsprop("RMSprop(lr=0.02, alpha=0.9, eps=0.1, weight_decay=0.1, momentum=0.5, centered)", 0.02f, 0.9f, 0.1f,
                0.1f, 0.5f, true);
        // Adagrad: η_t = η / (1 + (t − 1) lr_decay);  s ← s + g²;  θ ← θ − η_t g / (√s + ε).
        CASES.put("Adagrad() defaults", new Case(AdaGrad::new, () -> adagrad(1e-2, 0, 0, 0, 1e-10), null));
        // initial_accumulator_value s₀: s starts there, so the first steps are smaller than η · sign(g).
        CASES.put("Adagrad(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5)", new Case(
                () -> new AdaGrad(0.1f, 0.1f, 0f, 0.5f, 1e-10f), () -> adagrad(0.1, 0.1, 0, 0.5, 1e-10), null));
        adagrad("Adagrad(lr=0.1)", 0.1f, 0, 0, 1e-10f, null);
        adagrad("Adagrad(lr=0.1, lr_decay=0.5)", 0.1f, 0.5f, 0, 1e-10f, null);
        adagrad("Adagrad(lr=0.1, lr_decay=0.1, weight_decay=0.1, eps=0.1)", 0.1f, 0.1f, 0.1f, 0.1f, null);
        adagrad("Adagrad(lr_decay=0.5), lr 0.1 then 0.3 from step 4", 0.1f, 0.5f, 0, 1e-10f,
                t -> t < 4 ? 0.1 : 0.3);
    }

    static Stream<String> caseNames() {
        return CASES.keySet().stream();
    }

    // ---------------------------------------------------------------- references (double)

    private static void sgd(String name, float lr, float momentum, float dampening, float wd, boolean nesterov,
                            DoubleUnaryOperator schedule) {
        CASES.put(name, new Case(() -> new Sgd(lr, momentum, dampening, wd, nesterov), () -> new ReferenceStep() {
            double[] buf;

            @Override
            public void step(double[] p, double[] grad, int t, double rate) {
                if (buf == null) {
                    buf = new double[p.length];
                }
                for (int i = 0; i < p.length; i++) {
                    double g = grad[i] + wd * p[i];
                    if (momentum != 0) {
                        buf[i] = t == 1 ? g : momentum * buf[i] + (1 - dampening) * g;
                        g = nesterov ? g + momentum * buf[i] : buf[i];
                    }
                    p[i] -= rate * g;
                }
            }
        }, schedule));
    }

    private static void adam(String name, float lr, float beta1, float beta2, float eps, float wd, boolean decoupled,
                             DoubleUnaryOperator schedule) {
        Supplier<Optimizer> make = decoupled ? () -> new AdamW(lr, beta1, beta2, eps, wd)
                : () -> new Adam(lr, beta1, beta2, eps, wd);
        CASES.put(name, new Case(make, () -> adam(lr, beta1, beta2, eps, wd, decoupled, false), schedule));
    }

    private static ReferenceStep adam(double lr, double beta1, double beta2, double eps, double wd,
                                      boolean decoupled, boolean amsgrad) {
        // Hyper-parameters are rounded to float first, as the optimizer stores them.
        double b1 = (float) beta1;
        double b2 = (float) beta2;
        double e = (float) eps;
        double decay = (float) wd;
        return new ReferenceStep() {
            double[] m;
            double[] v;
            double[] vMax;

            @Override
            public void step(double[] p, double[] grad, int t, double rate) {
                if (m == null) {
                    m = new double[p.length];
                    v = new double[p.length];
                    vMax = new double[p.length];
                }
                double bias1 = 1 - Math.pow(b1, t);
                double bias2 = 1 - Math.pow(b2, t);
                for (int i = 0; i < p.length; i++) {
                    double g = grad[i];
                    if (decoupled) {
                        p[i] *= 1 - rate * decay;
                    } else {
                        g += decay * p[i];
                    }
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    vMax[i] = Math.max(vMax[i], v[i]);
                    double vBar = amsgrad ? vMax[i] : v[i];
                    p[i] -= rate / bias1 * m[i] / (Math.sqrt(vBar) / Math.sqrt(bias2) + e);
                }
            }
        };
    }

    private static void rmsprop(String name, float lr, float alpha, float eps, float wd, float momentum,
                                boolean centered) {
        CASES.put(name, new Case(() -> new RmsProp(lr, alpha, eps, wd, momentum, centered),
                () -> rmsprop(lr, alpha, eps, wd, momentum, centered), null));
    }

    private static ReferenceStep rmsprop(double lr, double alpha, double eps, double wd, double momentum,
                                         boolean centered) {
        double a = (float) alpha;
        double e = (float) eps;
        double decay = (float) wd;
        double mu = (float) momentum;
        return new ReferenceStep() {
            double[] sq;
            double[] avg;
            double[] buf;

            @Override
            public void step(double[] p, double[] grad, int t, double rate) {
                if (sq == null) {
                    sq = new double[p.length];
                    avg = new double[p.length];
                    buf = new double[p.length];
                }
                for (int i = 0; i < p.length; i++) {
                    double g = grad[i] + decay * p[i];
                    sq[i] = a * sq[i] + (1 - a) * g * g;
                    double d;
                    if (centered) {
                        avg[i] = a * avg[i] + (1 - a) * g;
                        d = Math.sqrt(sq[i] - avg[i] * avg[i]) + e;
                    } else {
                        d = Math.sqrt(sq[i]) + e;
                    }
                    if (mu > 0) {
                        buf[i] = mu * buf[i] + g / d;
                        p[i] -= rate * buf[i];
                    } else {
                        p[i] -= rate * g / d;
                    }
                }
            }
        };
    }

    private static void adagrad(String name, float lr, float lrDecay, float wd, float eps,
                                DoubleUnaryOperator schedule) {
        CASES.put(name, new Case(() -> new AdaGrad(lr, lrDecay, wd, eps), () -> adagrad(lr, lrDecay, wd, 0, eps),
                schedule));
    }

    private static ReferenceStep adagrad(double lr, double lrDecay, double wd, double initial, double eps) {
        double decayRate = (float) lrDecay;
        double decay = (float) wd;
        double e = (float) eps;
        return new ReferenceStep() {
            double[] sum;

            @Override
            public void step(double[] p, double[] grad, int t, double rate) {
                if (sum == null) {
                    sum = new double[p.length];
                    Arrays.fill(sum, (float) initial);
                }
                double clr = rate / (1 + (t - 1) * decayRate);
                for (int i = 0; i < p.length; i++) {
                    double g = grad[i] + decay * p[i];
                    sum[i] += g * g;
                    p[i] -= clr * g / (Math.sqrt(sum[i]) + e);
                }
            }
        };
    }

    // ---------------------------------------------------------------- the test

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nnj.api.conformance.ModelOptimizerConformance#caseNames")
    void optimizerFollowsItsUpdateRuleOverSeveralSteps(String name) {
        Case c = CASES.get(name);
        Random r = random("optimizer", name);
        int[][] shapes = {{3, 17}, {5}};
        List<Parameter> params = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        List<double[]> initial = new ArrayList<>();
        List<ReferenceStep> references = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            int n = shapes[k].length == 2 ? shapes[k][0] * shapes[k][1] : shapes[k][0];
            float[] p0 = normal(r, n, 1);
            params.add(parameter("p" + k, p0, shapes[k]));
            expected.add(toDouble(p0));
            initial.add(toDouble(p0));
            references.add(c.reference.get());
        }
        Optimizer optimizer = track(c.optimizer.get());
        double lr = optimizer.learningRate();
        for (int t = 1; t <= STEPS; t++) {
            if (c.schedule != null) {
                lr = c.schedule.applyAsDouble(t);
                optimizer.setLearningRate((float) lr);
            }
            double scale = 0.3 + 0.4 * t;   // gradients grow step by step, so no state settles into a constant
            for (int k = 0; k < params.size(); k++) {
                Parameter p = params.get(k);
                float[] g = normal(r, p.size(), scale);
                g[0] = t == 2 ? 0f : g[0];   // a zero gradient now and then
                p.gradient().copyFrom(g);
                references.get(k).step(expected.get(k), toDouble(g), t, (float) lr);
            }
            optimizer.step(params);
            assertEquals(t, optimizer.steps(), "steps taken");
            for (int k = 0; k < params.size(); k++) {
                double[] ref = expected.get(k);
                double[] p0 = initial.get(k);
                double[] tol = new double[ref.length];
                for (int i = 0; i < ref.length; i++) {
                    tol[i] = 2e-5 * Math.abs(ref[i]) + 1e-4 * Math.abs(ref[i] - p0[i]) + 1e-7;
                }
                Checks.assertClose(name + ": " + params.get(k) + " after step " + t, params.get(k).value().cols(),
                        ref, params.get(k).read(), tol);
            }
        }
    }

    /**
     * {@code markState} and {@code rewindState}, as the trainer uses them after a divergence: a rewind puts back
     * the step count, the learning rate and every state tensor bit for bit, so the step after it is the step
     * that followed the mark; a mark before the first step rewinds to a fresh optimizer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nnj.api.conformance.ModelOptimizerConformance#caseNames")
    void aRewindGoesBackToTheMarkBitForBit(String name) {
        Random r = random("rewind", name);
        List<Parameter> params = List.of(parameter("w", normal(r, 51, 1), 3, 17), parameter("b", normal(r, 5, 1), 5));
        Optimizer optimizer = track(CASES.get(name).optimizer.get());
        float lr = optimizer.learningRate();
        assertTrue(optimizer.markState(), "the built-in optimizers can rewind");
        stepWithGradients(optimizer, params, normal(r, 56, 10));
        optimizer.rewindState();
        assertEquals(0, optimizer.steps(), "rewound to before the first step");
        assertTrue(optimizer.exportState().slots().isEmpty(), "no state: as a new optimizer");

        stepWithGradients(optimizer, params, normal(r, 56, 1));
        stepWithGradients(optimizer, params, normal(r, 56, 1));
        optimizer.markState();
        OptimizerState marked = optimizer.exportState();
        List<float[]> markedWeights = List.of(params.get(0).read(), params.get(1).read());
        float[] next = normal(r, 56, 1);
        stepWithGradients(optimizer, params, next);
        List<float[]> afterNext = List.of(params.get(0).read(), params.get(1).read());
        optimizer.setLearningRate(lr * 3);
        stepWithGradients(optimizer, params, new float[] {Float.NaN});   // the state a diverged epoch leaves
        for (int round = 1; round <= 2; round++) {   // the mark stays: a second rewind goes back to it again
            optimizer.rewindState();
            assertEquals(2, optimizer.steps(), name + ": steps after rewind " + round);
            assertEquals(lr, optimizer.learningRate(), name + ": learning rate after rewind " + round);
            OptimizerState rewound = optimizer.exportState();
            assertEquals(marked.slots().keySet(), rewound.slots().keySet(), name + ": state tensors");
            for (String parameter : marked.slots().keySet()) {
                for (int k = 0; k < marked.slots().get(parameter).size(); k++) {
                    assertArrayEquals(marked.slots().get(parameter).get(k), rewound.slots().get(parameter).get(k),
                            name + ": state tensor " + k + " of " + parameter + " after rewind " + round);
                }
            }
            for (int k = 0; k < params.size(); k++) {
                params.get(k).write(markedWeights.get(k));
            }
            stepWithGradients(optimizer, params, next);
            for (int k = 0; k < params.size(); k++) {
                assertArrayEquals(afterNext.get(k), params.get(k).read(),
                        name + ": the step after rewind " + round + " is the step after the mark, " + params.get(k));
            }
        }
        optimizer.close();
        assertThrowsSaying(IllegalStateException.class, optimizer::rewindState, "markState()", "close()");
    }

    /**
     * With {@code setDecayBiases(false)} an optimizer steps a model's weight matrix as before and its bias as an
     * optimizer without weight decay would, bit for bit: the two stepped apart, the bias by a copy made with
     * {@code weight_decay} 0. The setting is recorded in the hyperparameters (only when off) and the description.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "adam", "adamw", "rmsprop", "adagrad"})
    void biasesLeftOutOfTheWeightDecayStepAsWithoutIt(String kind) {
        Random r = random("decay biases", kind);
        float[] w0 = normal(r, 12, 1);
        float[] b0 = normal(r, 4, 1);
        List<Parameter> together = List.of(parameter("w", w0.clone(), 3, 4), parameter("b", b0.clone(), 4));
        Parameter weightAlone = parameter("w", w0.clone(), 3, 4);
        Parameter biasAlone = parameter("b", b0.clone(), 4);
        Parameter biasDecayed = parameter("b", b0.clone(), 4);
        Optimizer decayed = track(decaying(kind, 0.1f));
        ((AbstractOptimizer) decayed).setDecayBiases(false);
        Optimizer weightOnly = track(decaying(kind, 0.1f));
        Optimizer biasOnly = track(decaying(kind, 0f));
        Optimizer biasWithDecay = track(decaying(kind, 0.1f));
        for (int t = 1; t <= 4; t++) {
            float[] g = normal(r, 16, 1);
            stepWithGradients(decayed, together, g);
            stepWithGradients(weightOnly, List.of(weightAlone), Arrays.copyOf(g, 12));
            stepWithGradients(biasOnly, List.of(biasAlone), Arrays.copyOfRange(g, 12, 16));
            stepWithGradients(biasWithDecay, List.of(biasDecayed), Arrays.copyOfRange(g, 12, 16));
        }
        assertArrayEquals(weightAlone.read(), together.get(0).read(), kind + ": the weights, decayed");
        assertArrayEquals(biasAlone.read(), together.get(1).read(), kind + ": the bias, not decayed");
        assertFalse(Arrays.equals(biasDecayed.read(), biasAlone.read()), kind + ": decay would have moved the bias");
        assertEquals("false", decayed.hyperparameters().get("decay_biases"), decayed.hyperparameters().toString());
        assertTrue(decayed.describe().contains("biases not decayed"), decayed.describe());
        assertFalse(weightOnly.hyperparameters().containsKey("decay_biases"), "on by default, and not recorded");
    }

    /** An optimizer of {@code kind} with weight decay {@code wd} and otherwise fixed hyperparameters. */
    private static Optimizer decaying(String kind, float wd) {
        switch (kind) {
            case "sgd":
                return new Sgd(0.05f, 0.9f, 0f, wd, false);
            case "adam":
                return new Adam(0.05f, 0.9f, 0.999f, 1e-8f, wd);
            case "adamw":
                return new AdamW(0.05f, 0.9f, 0.999f, 1e-8f, wd);
            case "rmsprop":
                return new RmsProp(0.05f, 0.99f, 1e-8f, wd, 0f, false);
            default:
                return new AdaGrad(0.05f, 0f, wd, 1e-10f);
        }
    }

    /** Sets every parameter's gradient from {@code g} (the first value alone: all of them that value) and steps. */
    private static void stepWithGradients(Optimizer optimizer, List<Parameter> params, float[] g) {
        int at = 0;
        for (Parameter p : params) {
            float[] grad = new float[p.size()];
            for (int i = 0; i < grad.length; i++) {
                grad[i] = g.length == 1 ? g[0] : g[at++];
            }
            p.gradient().copyFrom(grad);
        }
        optimizer.step(params);
    }

    // ---------------------------------------------------------------- contracts

    @Test
    void anOptimizerBelongsToOneSetOfParameters() {
        Parameter a = parameter("a", new float[] {1, 2, 3}, 3);
        Parameter b = parameter("b", new float[] {1, 2, 3}, 3);
        Optimizer adam = track(new Adam(0.1f));
        adam.step(List.of(a));
        adam.step(new ArrayList<>(List.of(a)));   // an equal list of the same parameters is fine
        assertThrowsSaying(IllegalArgumentException.class, () -> adam.step(List.of(b)), "one optimizer per model");
        assertThrowsSaying(IllegalArgumentException.class, () -> adam.step(List.of(a, b)), "one optimizer per model",
                "belongs to the parameters of its first step, 1 (a), and this step got 2 (a, b)", "close() it first");
        Parameter another = parameter("a", new float[] {1, 2, 3}, 3);   // another model's parameter of the same name
        assertThrowsSaying(IllegalArgumentException.class, () -> adam.step(List.of(another)),
                "1 (a), and this step got 1 (a) (the same names, other parameters: another model's");
        assertEquals(2, adam.steps(), "rejected steps are not counted");
        // As the Optimizer javadoc says: close unbinds it, keeping the learning rate, and it starts afresh.
        adam.setLearningRate(0.05f);
        adam.close();
        adam.step(List.of(b));
        assertEquals(1, adam.steps(), "the step after close is the first");
        assertEquals(0.05f, adam.learningRate(), "close keeps the learning rate");
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(0f), "learning rate", "0.0");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(-0.1f), "learning rate");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(Float.NaN), "learning rate");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(Float.POSITIVE_INFINITY), "learning rate");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(0.1f, 1.5f, false), "momentum", "1.5");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(0.1f, 0f, true), "nesterov");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(0.1f, 0.9f, 0.5f, 0f, true), "nesterov");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sgd(0.1f, 0f, 0f, -1f, false), "weight decay");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Adam(0.1f, 1f, 0.999f, 1e-8f, 0f), "beta1");
        assertThrowsSaying(IllegalArgumentException.class, () -> new AdamW(0.1f, 0.9f, 1f, 1e-8f, 0f), "beta2");
        assertThrowsSaying(IllegalArgumentException.class, () -> new RmsProp(0.1f, 1.5f, 1e-8f, 0f, 0f, false),
                "alpha");
        assertThrowsSaying(IllegalArgumentException.class, () -> new AdaGrad(0.1f, -1f, 0f, 1e-10f),
                "learning rate decay");
        assertThrowsSaying(IllegalArgumentException.class, () -> new AdaGrad(0.1f, 0f, 0f, -1f), "epsilon");
        assertThrowsSaying(IllegalArgumentException.class, () -> new AdaGrad(0.1f, 0f, 0f, -0.1f, 1e-10f),
                "initial accumulator value", "-0.1");
        assertThrowsSaying(IllegalArgumentException.class, () -> new AdaGrad(0.1f, 0f, 0f, Float.NaN, 1e-10f),
                "initial accumulator value");
        Optimizer sgd = track(new Sgd(0.1f));
        assertThrowsSaying(IllegalArgumentException.class, () -> sgd.setLearningRate(0f), "learning rate");
        assertEquals(0.1f, sgd.learningRate(), "a rejected learning rate leaves the old one");
    }

    @Test
    void closeIsIdempotent() {
        Parameter a = parameter("a", new float[] {1, 2, 3}, 3);
        Optimizer adam = new Adam(0.1f);
        adam.step(List.of(a));
        adam.close();
        adam.close();
    }
}
