package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsCodecTest {
    private static final NetworkSpec SPEC = new NetworkSpec(3, new int[] {4, 2},
            new Activation[] {Activation.TANH, Activation.LEAKY_RELU}, 5, LossKind.MSE);
    private final SafeTensorsCodec codec = new SafeTensorsCodec();

    @TempDir
    Path dir;

    private static Map<String, float[]> parameters() {
        Random r = new Random(1);
        Map<String, float[]> p = new LinkedHashMap<>();
        int[] sizes = {3 * 4, 4, 4 * 2, 2, 2 * 5, 5};
        for (int i = 0; i < sizes.length; i++) {
            float[] v = new float[sizes[i]];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            p.put("dense_" + (i / 2 + 1) + (i % 2 == 0 ? ".weight" : ".bias"), v);
        }
        return p;
    }

    @Test
    void roundTripKeepsArchitectureLossNamesAndBits() {
        Map<String, float[]> p = parameters();
        NetworkCodec.Decoded d = codec.decode(codec.encode(SPEC, p), "mem");
        assertEquals(SPEC, d.spec());
        assertEquals(SPEC.lossKind(), d.spec().lossKind());
        assertEquals(new ArrayList<>(p.keySet()), new ArrayList<>(d.parameters().keySet()));
        for (String name : p.keySet()) {
            assertArrayEquals(p.get(name), d.parameters().get(name), name);
        }
    }

    /** Dropout after each hidden layer is part of the file's architecture and comes back with its rate. */
    @Test
    void dropoutRoundTripsAndADifferentPlacementIsRefused() throws IOException {
        NetworkSpec spec = SPEC.withDropout(0.3f);
        Map<String, float[]> p = parameters();
        NetworkCodec.Decoded d = codec.decode(codec.encode(spec, p), "mem");
        assertEquals(spec, d.spec());
        assertEquals(0.3f, d.spec().dropout());
        for (String name : p.keySet()) {
            assertArrayEquals(p.get(name), d.parameters().get(name), name);
        }
        // Dropout after the first hidden layer only: not a network nn-spark builds.
        Path file = dir.resolve("partial.safetensors");
        try (Backend backend = Backends.get("cpu");
             Sequential model = new Sequential(backend, 3, 0L).add(new Dense(4, Activation.TANH))
                     .add(new Dropout(0.3f)).add(new Dense(2, Activation.LEAKY_RELU))
                     .add(new Dense(5, Activation.SOFTMAX))) {
            ModelFiles.save(model, file, WeightLayout.IN_OUT, Preprocessing.none(),
                    Map.of(SafeTensorsCodec.LOSS_KEY, "mse"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(Files.readAllBytes(file), "partial"));
        assertEquals("partial: not a network nn-spark builds: layer 4 (dense_3) is dense (units=5, activation=softmax, "
                + "weights=loaded); the spec has dropout 0.3 there", e.getMessage());
    }

    @Test
    void theBytesAreAnNnjModelFile() throws IOException {
        Map<String, float[]> p = parameters();
        Path file = dir.resolve("network.safetensors");
        Files.write(file, codec.encode(SPEC, p));
        try (Backend backend = Backends.get("cpu"); SavedModel saved = ModelFiles.load(file, backend)) {
            Sequential model = saved.model();
            assertEquals(3, model.inputWidth());
            assertEquals("mse", saved.metadata().get(SafeTensorsCodec.LOSS_KEY));
            for (Parameter param : model.parameters()) {
                assertArrayEquals(p.get(param.name()), param.read(), param.name());
            }
        }
    }

    @Test
    void parametersThatDoNotFitTheSpecAreRefused() {
        Map<String, float[]> missing = parameters();
        missing.remove("dense_2.bias");
        assertThrows(IllegalArgumentException.class, () -> codec.encode(SPEC, missing));
        Map<String, float[]> wrongSize = parameters();
        wrongSize.put("dense_1.bias", new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(SPEC, wrongSize));
        assertTrue(e.getMessage().contains("dense_1.bias"), e.getMessage());
    }

    private void assertRejected(byte[] bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(bytes, "f.safetensors"));
        assertTrue(e.getMessage().startsWith("f.safetensors: "), e.getMessage());
    }

    @Test
    void brokenFilesGiveErrorsNamingTheSource() throws IOException {
        byte[] good = codec.encode(SPEC, parameters());
        assertRejected(Arrays.copyOf(good, 5));
        assertRejected(Arrays.copyOf(good, good.length - 4));
        assertRejected(Arrays.copyOf(good, good.length + 4));
        byte[] badHeader = good.clone();
        badHeader[9] = '#';
        assertRejected(badHeader);
        // A valid nnj model file that nn-spark did not write: no loss in its metadata.
        Path plain = dir.resolve("plain.safetensors");
        try (Backend backend = Backends.get("cpu"); Sequential model = SPEC.build(backend, 0L)) {
            ModelFiles.save(model, plain);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(Files.readAllBytes(plain), "plain"));
        assertTrue(e.getMessage().startsWith("plain: ") && e.getMessage().contains(SafeTensorsCodec.LOSS_KEY),
                e.getMessage());
    }
}
