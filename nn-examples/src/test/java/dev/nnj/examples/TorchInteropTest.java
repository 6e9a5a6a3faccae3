package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.NamedTensor;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.SavedModel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both directions of the PyTorch interop, from committed fixtures (made by
 * {@code scripts/interop/torch_interop.py}; CI needs no Python):
 * <ul>
 *   <li>{@code nnj-digits.safetensors}: trained by {@code ./digits --preset keras --hidden 32 --epochs 15
 *       --save-layout pytorch --save …}; the script loaded it into {@code torch.nn.Sequential} and saved
 *       PyTorch's probabilities on the 360 test images. nnj's own must equal them to {@code 1e-5}.</li>
 *   <li>{@code torch-digits.safetensors}: trained in PyTorch and written by the script as an nnj model file
 *       ({@code (out, in)} weights, architecture and scaler as metadata), with PyTorch's probabilities. nnj loads
 *       it, and its predictions equal PyTorch's to {@code 1e-5}.</li>
 * </ul>
 */
class TorchInteropTest {
    private static final double TOLERANCE = 1e-5;
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchInteropTest.class.getResource("/interop/" + name).toURI());
    }

    /** Loads the model, predicts the raw test images through its saved scaler, compares with torch's. */
    private static double predictAndCompare(String model) throws IOException, URISyntaxException {
        Dataset test = Digits.articleSplit().apply(DigitsData.load()).test();
        NamedTensor torch = SafeTensors.read(fixture(model.replace(".safetensors", ".torch-predictions.safetensors")))
                .tensors().get("probabilities");
        assertArrayEquals(new int[] {360, 10}, torch.shape(), "torch's predictions");
        try (SavedModel saved = ModelFiles.load(fixture(model), backend)) {
            float[] nnj = saved.predict(test.features(), test.size());
            double worst = 0;
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                int best = 0;
                for (int c = 0; c < 10; c++) {
                    double d = Math.abs(nnj[i * 10 + c] - torch.values()[i * 10 + c]);
                    assertTrue(d <= TOLERANCE, model + ": image " + i + " class " + c + ": nnj " + nnj[i * 10 + c]
                            + ", torch " + torch.values()[i * 10 + c]);
                    worst = Math.max(worst, d);
                    best = nnj[i * 10 + c] > nnj[i * 10 + best] ? c : best;
                }
                correct += best == test.labels()[i] ? 1 : 0;
            }
            return (double) correct / test.size();
        }
    }

    @Test
    void anNnjModelPredictsWhatPyTorchPredictsWithIt() throws Exception {
        assertEquals(0.9361, predictAndCompare("nnj-digits.safetensors"), 1e-4, "test accuracy (337 of 360)");
    }

    @Test
    void aPyTorchTrainedModelLoadsAndPredictsAsInPyTorch() throws Exception {
        assertEquals(0.9667, predictAndCompare("torch-digits.safetensors"), 1e-4, "test accuracy (348 of 360)");
    }
}
