package dev.nnj.spark;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network as nnj's own model file: safetensors with the architecture in its metadata (see
 * {@link ModelFiles}), so the file Spark saves under {@code network/} is also readable by
 * {@code ModelFiles.load} and by the PyTorch script. The training loss, which the model file does not
 * describe, is one extra metadata entry, {@value #LOSS_KEY}.
 *
 * <p>{@link ModelFiles} reads and writes files; this codec goes through a temporary file on the local disk
 * in each direction and deletes it afterwards.
 */
public final class SafeTensorsCodec implements NetworkCodec {
    /** Metadata key holding {@link NetworkSpec#lossName()}. */
    public static final String LOSS_KEY = "spark.loss";

    /** Creates the codec; it keeps no state. */
    public SafeTensorsCodec() {
    }

    /**
     * Writes the network as a model file and returns its bytes.
     *
     * @param spec       the architecture
     * @param parameters parameter values by name ({@code dense_1.weight}, …), exactly the parameters
     *                   {@code spec} builds
     * @return the model file's bytes
     * @throws IllegalArgumentException if a parameter is missing, unknown or of the wrong size
     * @throws UncheckedIOException     if the temporary file cannot be written or read
     */
    @Override
    public byte[] encode(NetworkSpec spec, Map<String, float[]> parameters) {
        return encode(spec, parameters, Map.of());
    }

    /**
     * Writes the network as a model file, with extra metadata entries, and returns its bytes.
     *
     * @param spec       the architecture
     * @param parameters parameter values by name, exactly the parameters {@code spec} builds
     * @param metadata   extra entries, each key starting {@code spark.} (not {@value #LOSS_KEY})
     * @return the model file's bytes
     * @throws IllegalArgumentException if a parameter is missing, unknown or of the wrong size, or a key is not
     *                                  nn-spark's
     * @throws UncheckedIOException     if the temporary file cannot be written or read
     */
    @Override
    public byte[] encode(NetworkSpec spec, Map<String, float[]> parameters, Map<String, String> metadata) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(LOSS_KEY, spec.lossName());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!e.getKey().startsWith("spark.") || e.getKey().equals(LOSS_KEY)) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "': nn-spark's keys start with "
                        + "'spark.' and are not " + LOSS_KEY);
            }
            entries.put(e.getKey(), e.getValue());
        }
        Path temp = null;
        try (Backend backend = Backends.get("cpu");
             Sequential model = spec.build(backend, 0L)) {
            List<Parameter> params = model.parameters();
            if (params.size() != parameters.size()) {
                throw new IllegalArgumentException("the network " + spec + " has " + params.size()
                        + " parameters, " + parameters.size() + " given: " + parameters.keySet());
            }
            for (Parameter p : params) {
                float[] values = parameters.get(p.name());
                if (values == null) {
                    throw new IllegalArgumentException("no values for parameter " + p.name() + " (given: "
                            + parameters.keySet() + ")");
                }
                if (values.length != p.size()) {
                    throw new IllegalArgumentException("parameter " + p.name() + " has " + p.size()
                            + " values, " + values.length + " given");
                }
                p.write(values);
            }
            temp = Files.createTempFile("nnj-network", ".safetensors");
            ModelFiles.save(model, temp, WeightLayout.IN_OUT, Preprocessing.none(),
                    entries);
            return Files.readAllBytes(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the network " + spec + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Reads a model file's bytes back into the architecture and parameters.
     *
     * @param bytes  what {@link #encode} wrote
     * @param source where the bytes came from, for error messages
     * @return the architecture and parameters, in model order
     * @throws IllegalArgumentException naming {@code source} and the problem, for any malformed input or a
     *                                  network this estimator cannot have trained
     * @throws UncheckedIOException     if the temporary file cannot be written
     */
    @Override
    public Decoded decode(byte[] bytes, String source) {
        Path temp = null;
        try {
            temp = Files.createTempFile("nnj-network", ".safetensors");
            Files.write(temp, bytes);
            try (Backend backend = Backends.get("cpu")) {
                SavedModel saved;
                try {
                    saved = ModelFiles.load(temp, backend);
                } catch (IOException | RuntimeException e) {
                    // the message names the temporary file; the caller knows the file by `source`
                    throw new IllegalArgumentException(source + ": not a readable nnj model file: "
                            + e.getMessage().replace(temp.toString(), source), e);
                }
                try (saved) {
                    return decoded(saved, source);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the network from " + source + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * The spec and parameters of a loaded model, which must be Dense layers ending in a softmax one, with the same
     * dropout after each hidden layer or none.
     */
    private static Decoded decoded(SavedModel saved, String source) {
        String loss = saved.metadata().get(LOSS_KEY);
        if (loss == null) {
            throw new IllegalArgumentException(source + ": metadata has no '" + LOSS_KEY
                    + "': not a network saved by nn-spark");
        }
        Sequential model = saved.model();
        List<Dense> dense = new ArrayList<>();
        float dropout = 0f;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Dense) {
                dense.add((Dense) layer);
            } else if (layer instanceof Dropout) {
                // The first rate after a hidden layer stands for all; differenceFrom below names any layer that
                // differs from it, and a dropout before the first Dense.
                if (dropout == 0f && !dense.isEmpty()) {
                    dropout = ((Dropout) layer).rate();
                }
            } else {
                throw new IllegalArgumentException(source + ": layer " + (i + 1) + " is " + layer.describe()
                        + "; nn-spark networks are Dense layers, with dropout after the hidden ones");
            }
        }
        if (dense.isEmpty()) {
            throw new IllegalArgumentException(source + ": the network has no Dense layer; an nn-spark classifier "
                    + "ends in a softmax one, a regressor in one linear unit");
        }
        Dense output = dense.get(dense.size() - 1);
        boolean regression = output.activation() == Activation.IDENTITY && output.units() == 1
                && !loss.equals("mse") && !loss.equals("categorical_crossentropy");
        if (output.activation() != Activation.SOFTMAX && !regression) {
            throw new IllegalArgumentException(source + ": the last Dense layer is " + output.units() + " "
                    + output.activation().label() + " with loss " + loss + "; an nn-spark classifier ends in softmax, "
                    + "a regressor in one identity unit (loss squaredError or huber(δ))");
        }
        int[] units = new int[dense.size() - 1];
        Activation[] activations = new Activation[units.length];
        for (int i = 0; i < units.length; i++) {
            units[i] = dense.get(i).units();
            activations[i] = dense.get(i).activation();
        }
        NetworkSpec spec;
        try {
            spec = (regression
                    ? NetworkSpec.regression(model.inputWidth(), units, activations,
                            NetworkSpec.parseRegressionLoss(loss))
                    : new NetworkSpec(model.inputWidth(), units, activations, output.units(),
                            NetworkSpec.parseLoss(loss))).withDropout(dropout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": bad architecture: " + e.getMessage(), e);
        }
        // What the spec does not record can still differ: a leaky_relu or elu alpha other than nnj's default, dropout
        // in some places and not others, or at other rates.
        spec.differenceFrom(model).ifPresent(difference -> {
            throw new IllegalArgumentException(source + ": not a network nn-spark builds: " + difference);
        });
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            parameters.put(p.name(), p.read());
        }
        Map<String, String> extra = new LinkedHashMap<>();
        saved.metadata().forEach((k, v) -> {
            if (k.startsWith("spark.") && !k.equals(LOSS_KEY)) {
                extra.put(k, v);
            }
        });
        return new Decoded(spec, parameters, extra);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is harmless; the network itself was encoded or decoded
        }
    }
}
