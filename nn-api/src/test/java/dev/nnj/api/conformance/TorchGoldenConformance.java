package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.AdaGrad;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.AdamW;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.RmsProp;
import dev.nnj.api.optim.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nnj against PyTorch: losses, gradients and optimizer steps computed by {@code torch} in float64 for small fixed
 * networks, read from {@code golden/torch_golden.json} (written by {@code scripts/golden/make_torch_golden.py},
 * which says how to regenerate it; the tests never need Python).
 *
 * <p>Each case is a network (5-7-4 with every hidden activation under each output/loss pair — softmax with
 * categorical cross-entropy, sigmoid with binary cross-entropy, identity with mean squared error — and a deeper one
 * ending in a separate softmax layer) with its inputs, targets and weights, all float32 numbers, so both sides start
 * from the same values. Checked: the mean loss, every parameter gradient, and, for one network per loss and the
 * deeper one, the parameters after three training steps (forward, backward, step) of every {@code torch.optim}
 * configuration the script lists.
 *
 * <p>Tolerance: float32 against float64 at {@code 1e-4} relative, the design's requirement, plus a small absolute
 * part: {@code 1e-6} of the largest magnitude of the same tensor for gradients (they are sums over the batch and
 * may cancel to values whose float32 error is set by the tensor's scale, not their own) and {@code 1e-7} for
 * parameters. The absolute parts are headroom for other summation orders: the CPU backend passes every check at
 * {@code 1e-4} relative alone, with errors up to about {@code 6e-5} relative on the most cancelled elements.
 */
public abstract class TorchGoldenConformance extends ModelTestSupport {
    static final String RESOURCE = "/golden/torch_golden.json";
    static final double REL = 1e-4;
    /** Absolute part of the gradient tolerance, as a fraction of the tensor's largest magnitude. */
    static final double GRADIENT_ABS = 1e-6;
    /** Absolute part of the parameter tolerance after optimizer steps. */
    static final double PARAMETER_ABS = 1e-7;

    private static List<Map<String, Object>> cases;

    static synchronized List<Map<String, Object>> cases() {
        if (cases == null) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Object c : Json.array(Json.object(Json.resource(RESOURCE)).get("cases"))) {
                list.add(Json.object(c));
            }
            cases = list;
        }
        return cases;
    }

    static Stream<Arguments> networks() {
        List<Arguments> args = new ArrayList<>();
        for (int i = 0; i < cases().size(); i++) {
            args.add(Arguments.of(i, Json.string(cases().get(i), "name")));
        }
        return args.stream();
    }

    static Stream<Arguments> optimizerRuns() {
        List<Arguments> args = new ArrayList<>();
        for (int i = 0; i < cases().size(); i++) {
            List<Object> runs = Json.array(cases().get(i).get("optimizers"));
            for (int k = 0; k < runs.size(); k++) {
                args.add(Arguments.of(i, k, Json.string(cases().get(i), "name"),
                        Json.string(Json.object(runs.get(k)), "name")));
            }
        }
        return args.stream();
    }

    @Test
    void goldenFileCoversEveryActivationLossAndOptimizer() {
        List<String> activations = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        List<String> optimizers = new ArrayList<>();
        for (Map<String, Object> c : cases()) {
            losses.add(Json.string(c, "loss"));
            for (Object l : Json.array(c.get("layers"))) {
                activations.add(Json.string(Json.object(l), "activation"));
            }
            for (Object o : Json.array(c.get("optimizers"))) {
                optimizers.add(Json.string(Json.object(o), "type"));
            }
        }
        for (Activation f : Activation.values()) {
            assertTrue(activations.contains(f.label()), "golden cases use " + f.label());
        }
        for (LossKind k : LossKind.values()) {
            assertTrue(losses.contains(k.name()), "golden cases use " + k);
        }
        for (String o : new String[] {"sgd", "adam", "adamw", "rmsprop", "adagrad"}) {
            assertTrue(optimizers.contains(o), "golden cases run " + o);
        }
    }

    // ---------------------------------------------------------------- loss and gradients

    @ParameterizedTest(name = "{1}")
    @MethodSource("dev.nnj.api.conformance.TorchGoldenConformance#networks")
    void lossAndGradientsMatchPyTorch(int index, String name) {
        Map<String, Object> c = cases().get(index);
        Sequential m = build(c);
        Tensor x = input(c);
        Tensor y = target(c, m);
        Loss loss = Loss.of(LossKind.valueOf(Json.string(c, "loss")));
        Tensor out = m.forward(x, true);
        float value = loss.value(backend(), out, y);
        assertClose(name + ": loss", 1, new double[] {Json.number(c, "loss_value")}, new float[] {value}, REL,
                1e-7);
        m.backward(loss, y);
        Map<String, Object> gradients = Json.object(c.get("gradients"));
        assertEquals(gradients.keySet(), m.stateDict().keySet(), name + ": parameters");
        for (Parameter p : m.parameters()) {
            double[] expected = Json.doubles(gradients.get(p.name()));
            assertClose(name + ": gradient of " + p.name(), p.value().cols(), expected, p.readGradient(), REL,
                    GRADIENT_ABS * maxAbs(expected));
        }
    }

    // ---------------------------------------------------------------- optimizer steps

    @ParameterizedTest(name = "{3} on {2}")
    @MethodSource("dev.nnj.api.conformance.TorchGoldenConformance#optimizerRuns")
    void optimizerStepsMatchPyTorch(int index, int run, String network, String optimizerName) {
        Map<String, Object> c = cases().get(index);
        Map<String, Object> o = Json.object(Json.array(c.get("optimizers")).get(run));
        Sequential m = build(c);
        Tensor x = input(c);
        Tensor y = target(c, m);
        Loss loss = Loss.of(LossKind.valueOf(Json.string(c, "loss")));
        Optimizer optimizer = track(optimizer(o));
        int steps = (int) Json.number(o, "steps");
        for (int t = 0; t < steps; t++) {
            m.forward(x, true);
            m.backward(loss, y);
            optimizer.step(m.parameters());
        }
        Map<String, Object> expected = Json.object(o.get("parameters"));
        for (Parameter p : m.parameters()) {
            assertClose(optimizerName + " on " + network + ": " + p.name() + " after " + steps + " steps",
                    p.value().cols(), Json.doubles(expected.get(p.name())), p.read(), REL, PARAMETER_ABS);
        }
    }

    /** The nnj optimizer of a golden entry; hyper-parameters are float32 numbers in the file. */
    static Optimizer optimizer(Map<String, Object> o) {
        float lr = (float) Json.number(o, "lr");
        String type = Json.string(o, "type");
        switch (type) {
            case "sgd":
                return new Sgd(lr, f(o, "momentum"), f(o, "dampening"), f(o, "weight_decay"),
                        Json.bool(o, "nesterov"));
            case "adam":
                return new Adam(lr, f(o, "beta1"), f(o, "beta2"), f(o, "eps"), f(o, "weight_decay"), amsgrad(o));
            case "adamw":
                return new AdamW(lr, f(o, "beta1"), f(o, "beta2"), f(o, "eps"), f(o, "weight_decay"), amsgrad(o));
            case "rmsprop":
                return new RmsProp(lr, f(o, "alpha"), f(o, "eps"), f(o, "weight_decay"), f(o, "momentum"),
                        Json.bool(o, "centered"));
            case "adagrad":
                float s0 = o.containsKey("initial_accumulator_value") ? f(o, "initial_accumulator_value") : 0f;
                return new AdaGrad(lr, f(o, "lr_decay"), f(o, "weight_decay"), s0, f(o, "eps"));
            default:
                throw new IllegalArgumentException("unknown optimizer type " + type);
        }
    }

    /** Entries from before AMSGrad was offered have no {@code amsgrad} key: plain Adam. */
    private static boolean amsgrad(Map<String, Object> o) {
        return o.containsKey("amsgrad") && Json.bool(o, "amsgrad");
    }

    private static float f(Map<String, Object> o, String key) {
        return (float) Json.number(o, key);
    }

    // ---------------------------------------------------------------- networks

    /** The case's network with its golden weights. */
    private Sequential build(Map<String, Object> c) {
        Sequential m = model((int) Json.number(c, "input_width"), 0);
        for (Object item : Json.array(c.get("layers"))) {
            Map<String, Object> layer = Json.object(item);
            Activation f = Activation.valueOf(Json.string(layer, "activation").toUpperCase(Locale.ROOT));
            float alpha = (float) Json.number(layer, "alpha");
            if ("dense".equals(Json.string(layer, "type"))) {
                m.add(new Dense((int) Json.number(layer, "units"), f, alpha, Initializer.zeros(),
                        Initializer.zeros()));
            } else {
                m.add(new ActivationLayer(f, alpha));
            }
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Json.object(c.get("parameters")).entrySet()) {
            state.put(e.getKey(), Json.floats(e.getValue()));
        }
        assertEquals(m.stateDict().keySet(), state.keySet(), "parameter names of the golden case");
        m.loadStateDict(state);
        return m;
    }

    private Tensor input(Map<String, Object> c) {
        return tensor(Json.floats(c.get("x")), (int) Json.number(c, "batch"), (int) Json.number(c, "input_width"));
    }

    private Tensor target(Map<String, Object> c, Sequential m) {
        return tensor(Json.floats(c.get("y")), (int) Json.number(c, "batch"), m.outputWidth());
    }
}
