package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.HostTensor;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.model.StateDictLoader;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A model used the wrong way, refused where the call enters with the words a user can act on rather than an
 * error from deep inside: a closed model, a model without layers. Each refusal happens before an optimizer
 * step.
 */
public abstract class MisuseConformance extends ModelTestSupport {

    /** 3 inputs → Dense(8, tanh) → Dense(4, softmax), for {@link #quadrants} data. */
    private Sequential classifier(long seed) {
        return model(3, seed).add(new Dense(8, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
    }

    private static Dataset quadrants(long seed) {
        return signQuadrants(random("misuse", seed), 20);
    }

    private static Trainer trainer() {
        return Trainer.builder().epochs(2).batchSize(5).build();
    }

    // ---------------------------------------------------------------- a closed model

    @Test
    void everyCallOnAClosedModelSaysTheModelIsClosed() {
        Sequential m = classifier(1);
        Map<String, float[]> state = m.stateDict();
        Map<String, HostTensor> shaped = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            shaped.put(e.getKey(), HostTensor.of(e.getValue(), m.parameter(e.getKey()).shape()));
        }
        Dataset data = quadrants(1);
        Tensor x = tensor(new float[15], 5, 3);
        Tensor y = tensor(new float[20], 5, 4);
        Sgd sgd = track(new Sgd(0.1f));
        m.close();

        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("fit", () -> trainer().fit(m, Loss.categoricalCrossEntropy(), sgd, data, null));
        calls.put("evaluate(Dataset)", () -> m.evaluate(data, Loss.categoricalCrossEntropy(), 8));
        calls.put("evaluate(Tensor)", () -> m.evaluate(x, y, Loss.categoricalCrossEntropy()));
        calls.put("predict(float[])", () -> m.predict(new float[15], 5));
        calls.put("predict(Tensor)", () -> m.predict(x));
        calls.put("summary", m::summary);
        calls.put("stateDict", m::stateDict);
        calls.put("loadStateDict", () -> m.loadStateDict(state));
        calls.put("loadStateDict(lenient)", () -> m.loadStateDict(state, StateDictLoader.Mode.LENIENT));
        calls.put("loadShapedStateDict", () -> m.loadShapedStateDict(shaped, StateDictLoader.Mode.STRICT));
        calls.put("forward", () -> m.forward(x, true));
        calls.put("add", () -> m.add(new Dense(2)));
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            IllegalStateException e = assertThrowsSaying(IllegalStateException.class, call.getValue(),
                    "model is closed");
            assertEquals("model is closed", e.getMessage(), call.getKey());
        }
        assertEquals(0, sgd.steps(), "no step was taken");
    }

    // ---------------------------------------------------------------- a model without layers

    @Test
    void aModelWithoutLayersSaysSoInsteadOfAWidthMismatch() {
        // Its output width is its input width, 3, so a width check would blame the data's one target column.
        Sequential m = model(3, 2);
        Dataset oneTarget = new Dataset(new float[12], 3, new float[4], 1);
        Sgd sgd = track(new Sgd(0.1f));
        assertThrowsSaying(IllegalStateException.class,
                () -> trainer().fit(m, Loss.meanSquaredError(), sgd, oneTarget, null), "the model has no layers");
        assertThrowsSaying(IllegalStateException.class,
                () -> m.evaluate(oneTarget, Loss.meanSquaredError(), 4), "the model has no layers");
        assertThrowsSaying(IllegalStateException.class, () -> m.predict(new float[12], 4), "the model has no layers");
        assertEquals(0, sgd.steps(), "no step was taken");
    }
}
