package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnnxImporter#toSavedModel} and {@link OnnxImporter#loadSaved}: a file nnj exported comes back as the model
 * that was exported, its preprocessing read from the metadata, its scalers taken out of a raw-features graph after
 * they were checked against it; a graph from elsewhere comes with none. And a regression's target scaler at the end
 * of a graph, folded into its last Dense when imported as a plain network.
 */
class OnnxSavedModelImportTest {
    private static Backend backend;
    private static Dataset digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
        digits = Digits.load();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** A digits classifier with random weights, and preprocessing with {@code scaler} and class names. */
    private static Sequential classifier() {
        return DigitsNetwork.build(backend, 32, 7);
    }

    private static Preprocessing classifierPreprocessing(boolean standard) {
        float[] x = digits.features();
        Preprocessing p = standard ? Preprocessing.none().withScaler(new StandardScaler().fit(x, Digits.FEATURES))
                : Preprocessing.none().withScaler(new MinMaxScaler().fit(x, Digits.FEATURES));
        return p.withClassNames(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine"));
    }

    /** Both models' parameters, preprocessing and predictions from raw features agree to the bit. */
    private static void assertSameModel(SavedModel expected, SavedModel actual) {
        Map<String, float[]> before = expected.model().stateDict();
        Map<String, float[]> after = actual.model().stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
        assertEquals(JsonWriter.write(expected.preprocessing().toJson()),
                JsonWriter.write(actual.preprocessing().toJson()));
        assertArrayEquals(expected.predict(digits.features(), digits.size()),
                actual.predict(digits.features(), digits.size()), "the same predictions from raw features, to the bit");
    }

    @Test
    void nnjsRawFeaturesExportComesBackAsTheModelThatWasExported() throws Exception {
        for (boolean standard : new boolean[] {false, true}) {
            try (Sequential model = classifier()) {
                SavedModel original = new SavedModel(model, classifierPreprocessing(standard), Map.of());
                ModelProto onnx = OnnxExporter.toOnnx(original, OnnxExporter.Input.RAW_FEATURES);
                try (SavedModel imported = OnnxImporter.toSavedModel(onnx, backend)) {
                    assertSameModel(original, imported);
                    assertEquals("raw_features", imported.metadata().get(OnnxExporter.INPUT_KEY));
                    assertEquals("seven", imported.className(7));
                    // And the graph itself computes that, in ONNX Runtime.
                    float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), OnnxExporter.INPUT,
                            OnnxExporter.OUTPUT, digits.features(), digits.size(), Digits.FEATURES);
                    OnnxRuntimeCheck.requireClose(imported.predict(digits.features(), digits.size()), ort,
                            digits.size(), Digits.CLASSES, 1e-5, standard ? "standard" : "min-max");
                }
            }
        }
    }

    @Test
    void nnjsScaledFeaturesExportKeepsItsScalerAsPreprocessing() {
        try (Sequential model = classifier()) {
            SavedModel original = new SavedModel(model, classifierPreprocessing(false), Map.of());
            ModelProto onnx = OnnxExporter.toOnnx(original, OnnxExporter.Input.SCALED_FEATURES);
            try (SavedModel imported = OnnxImporter.toSavedModel(onnx, backend)) {
                assertSameModel(original, imported);
            }
        }
    }

    /** A regression 64 → 16 (tanh) → 2, min-max scaled features, targets of mean 50 and spread 20, standard scaled. */
    private static SavedModel regression(Sequential model, boolean minMaxTargets) {
        Random r = new Random(11);
        float[] y = new float[digits.size() * 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (50 + 20 * r.nextGaussian());
        }
        Preprocessing p = Preprocessing.none().withScaler(new MinMaxScaler().fit(digits.features(), Digits.FEATURES));
        p = minMaxTargets ? p.withTargetScaler(new MinMaxScaler().fit(y, 2))
                : p.withTargetScaler(new StandardScaler().fit(y, 2));
        model.add(new Dense(16, Activation.TANH, Initializer.normal(0, 0.3), Initializer.normal(0, 0.1)))
                .add(new Dense(2, Activation.IDENTITY, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)));
        return new SavedModel(model, p, Map.of());
    }

    /**
     * A regression's raw-features graph ends by undoing its target scaler: imported as a saved model, the target
     * scaler comes back as preprocessing; imported as a plain network, it is folded into the last Dense, which then
     * predicts the targets in their own units, as ONNX Runtime does.
     */
    @Test
    void aRegressionsTargetScalerComesBackOrIsFoldedIntoTheLastDense() throws Exception {
        for (boolean minMaxTargets : new boolean[] {false, true}) {
            try (Sequential model = new Sequential(backend, Digits.FEATURES, 3)) {
                SavedModel original = regression(model, minMaxTargets);
                ModelProto onnx = OnnxExporter.toOnnx(original, OnnxExporter.Input.RAW_FEATURES);
                try (SavedModel imported = OnnxImporter.toSavedModel(onnx, backend)) {
                    assertSameModel(original, imported);
                }
                float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), OnnxExporter.INPUT, OnnxExporter.OUTPUT,
                        digits.features(), digits.size(), Digits.FEATURES);
                try (Sequential folded = OnnxImporter.fromOnnx(onnx, backend)) {
                    assertEquals(2, folded.layers().size(), "both scalers folded into the Dense layers");
                    float[] y = folded.predict(digits.features(), digits.size());
                    float[] expected = original.predict(digits.features(), digits.size());
                    for (int i = 0; i < digits.size(); i++) {
                        for (int j = 0; j < 2; j++) {
                            float v = y[i * 2 + j];
                            // Targets of 50 ± 20: each term of a folded output, of that size, is rounded to float
                            // (a relative 6e-8), so a few 1e-6 of it, whatever the value left after they cancel.
                            double tolerance = 1e-4;
                            assertEquals(ort[i][j], v, tolerance, "ONNX Runtime, row " + i + " column " + j);
                            assertEquals(expected[i * 2 + j], v, tolerance, "SavedModel.predict, row " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * A raw-features graph whose scaler was edited after the export is refused by its checksum; edited on purpose, the
     * checksum entry removed, it no longer matches its metadata: refused as a saved model (which of the two would be
     * right?), and imported as a plain network with the graph's own arithmetic.
     */
    @Test
    void aGraphWhoseScalerNoLongerMatchesItsMetadataIsRefused() {
        try (Sequential model = classifier()) {
            SavedModel original = new SavedModel(model, classifierPreprocessing(false), Map.of());
            ModelProto onnx = OnnxExporter.toOnnx(original, OnnxExporter.Input.RAW_FEATURES);
            ModelProto.Builder changed = onnx.toBuilder();
            int scale = -1;
            for (int i = 0; i < onnx.getGraph().getInitializerCount(); i++) {
                if (onnx.getGraph().getInitializer(i).getName().equals("scaler.scale")) {
                    scale = i;
                }
            }
            TensorProto halved = scaled(onnx.getGraph().getInitializer(scale), 0.5);
            changed.getGraphBuilder().setInitializer(scale, halved);
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.toSavedModel(changed.build(), backend));
            assertTrue(e.getMessage().startsWith("the model does not match the checksum nnj saved in it"),
                    e.getMessage());
            ModelProto edited = OnnxChecksumTest.withoutChecksum(changed.build());
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(edited, backend));
            assertTrue(e.getMessage().startsWith("the graph's arithmetic on its input is not the scaler its metadata "
                    + "'nnj.preprocessing' holds (column "), e.getMessage());
            assertTrue(e.getMessage().endsWith("): the graph was changed after nnj exported it"), e.getMessage());
            try (Sequential plain = OnnxImporter.fromOnnx(edited, backend)) {
                assertEquals(2, plain.layers().size());
            }
        }
    }

    /**
     * A raw-features export whose 'nnj.input' entry was changed to scaled_features, or cut off, would read as taking
     * scaled features, and predict would apply its scaler a second time (a trial's digits classifier: accuracy 0.9361
     * to 0.8722, without a word). Its graph computes the scaler its metadata holds: refused, naming the cure.
     */
    @Test
    void aRawFeaturesGraphReadAsTakingScaledFeaturesIsRefused() {
        try (Sequential model = classifier(); Sequential regressor = new Sequential(backend, Digits.FEATURES, 3)) {
            ModelProto onnx = OnnxExporter.toOnnx(new SavedModel(model, classifierPreprocessing(false), Map.of()),
                    OnnxExporter.Input.RAW_FEATURES);
            ModelProto flipped = replaced(onnx, OnnxExporter.INPUT_KEY, "scaled_features");
            ModelProto.Builder cut = OnnxChecksumTest.withoutChecksum(onnx).toBuilder().clearMetadataProps();
            for (StringStringEntryProto e : OnnxChecksumTest.withoutChecksum(onnx).getMetadataPropsList()) {
                if (!e.getKey().equals(OnnxExporter.INPUT_KEY)) {
                    cut.addMetadataProps(e);
                }
            }
            for (ModelProto edited : new ModelProto[] {flipped, cut.build()}) {
                OnnxImportException e = assertThrows(OnnxImportException.class,
                        () -> OnnxImporter.toSavedModel(edited, backend));
                assertEquals("the graph's arithmetic on its input computes the feature scaler its metadata "
                        + "'nnj.preprocessing' holds, yet its metadata 'nnj.input' reads as \"scaled_features\" "
                        + "(said or missing): predict would apply the scaler twice. nnj exported it taking raw "
                        + "features; give it 'nnj.input' = \"raw_features\" again, or load it with "
                        + "OnnxImporter.load, which folds the graph's arithmetic into the network and keeps no scaler",
                        e.getMessage());
                try (Sequential plain = OnnxImporter.fromOnnx(edited, backend)) {
                    assertEquals(2, plain.layers().size());
                }
            }
            // A regression's target scaler, at the graph's end, likewise (its feature scaler is none here).
            float[] y = new float[digits.size() * 2];
            Random r = new Random(12);
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (50 + 20 * r.nextGaussian());
            }
            regressor.add(new Dense(16, Activation.TANH)).add(new Dense(2));
            SavedModel targetOnly = new SavedModel(regressor,
                    Preprocessing.none().withTargetScaler(new StandardScaler().fit(y, 2)), Map.of());
            ModelProto raw = OnnxExporter.toOnnx(targetOnly, OnnxExporter.Input.RAW_FEATURES);
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.toSavedModel(replaced(raw, OnnxExporter.INPUT_KEY, "scaled_features"),
                            backend));
            assertTrue(e.getMessage().startsWith("the graph's arithmetic on its output computes the inverse of the "
                    + "target scaler its metadata 'nnj.preprocessing' holds"), e.getMessage());
        }
    }

    /** A copy of a float64 tensor with raw data, every value times {@code factor}. */
    private static TensorProto scaled(TensorProto t, double factor) {
        ByteBuffer in = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putDouble(in.getDouble() * factor);
        }
        return t.toBuilder().setRawData(ByteString.copyFrom(out.flip())).build();
    }

    @Test
    void metadataNnjCannotReadIsRefusedNamingTheKey() {
        try (Sequential model = classifier()) {
            ModelProto onnx = OnnxExporter.toOnnx(new SavedModel(model, classifierPreprocessing(false), Map.of()),
                    OnnxExporter.Input.RAW_FEATURES);
            ModelProto twice = onnx.toBuilder().addMetadataProps(onnx.getMetadataProps(0)).build();
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.toSavedModel(twice, backend));
            assertEquals("metadata key '" + onnx.getMetadataProps(0).getKey() + "' appears twice", e.getMessage());
            ModelProto other = replaced(onnx, OnnxExporter.INPUT_KEY, "pixels");
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(other, backend));
            assertEquals("metadata 'nnj.input' is \"pixels\"; nnj writes \"scaled_features\" or \"raw_features\"",
                    e.getMessage());
            ModelProto broken = replaced(onnx, ModelFiles.PREPROCESSING_KEY, "{\"scaler\": 3");
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(broken, backend));
            assertTrue(e.getMessage().startsWith("metadata 'nnj.preprocessing': "), e.getMessage());
            ModelProto threeClasses = replaced(onnx, ModelFiles.PREPROCESSING_KEY,
                    "{\"class_names\": [\"a\", \"b\", \"c\"]}");
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(threeClasses, backend));
            assertEquals("metadata 'nnj.preprocessing': 3 classes, the model tells 10 apart (10 outputs, one per "
                    + "class)", e.getMessage());
        }
    }

    /** The model with one metadata value changed, as by hand: without its checksum entry, which would refuse it. */
    private static ModelProto replaced(ModelProto onnx, String key, String value) {
        ModelProto.Builder b = onnx.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : OnnxChecksumTest.withoutChecksum(onnx).getMetadataPropsList()) {
            b.addMetadataProps(e.getKey().equals(key) ? e.toBuilder().setValue(value).build() : e);
        }
        return b.build();
    }

    /**
     * A saved model's own metadata travels in the ONNX file and comes back, but for nnj's keys of the safetensors
     * format, whose place the graph takes.
     */
    @Test
    void aSavedModelsOwnMetadataTravelsWithIt() {
        try (Sequential model = classifier()) {
            Map<String, String> metadata = Map.of("digits.categorical", "{\"color\":[\"blue\",\"red\"]}",
                    "digits.seed", "3", ModelFiles.ARCHITECTURE_KEY, "{}");
            ModelProto onnx = OnnxExporter.toOnnx(new SavedModel(model, classifierPreprocessing(false), metadata),
                    OnnxExporter.Input.RAW_FEATURES);
            try (SavedModel imported = OnnxImporter.toSavedModel(onnx, backend)) {
                assertEquals(metadata.get("digits.categorical"), imported.metadata().get("digits.categorical"));
                assertEquals("3", imported.metadata().get("digits.seed"));
                assertFalse(imported.metadata().containsKey(ModelFiles.ARCHITECTURE_KEY),
                        imported.metadata().toString());
            }
        }
    }

    /** A graph from elsewhere: no metadata, no preprocessing, the network as {@code fromOnnx} builds it. */
    @Test
    void aGraphFromElsewhereHasNoPreprocessing() throws Exception {
        Path file = dir.resolve("torch_digits.onnx");
        try (InputStream in = OnnxSavedModelImportTest.class.getResourceAsStream("torch_digits.onnx")) {
            Files.copy(in, file);
        }
        try (SavedModel saved = OnnxImporter.loadSaved(file, backend);
             Sequential plain = OnnxImporter.load(file, backend)) {
            assertTrue(saved.preprocessing().isEmpty());
            assertEquals(Map.of(), saved.metadata());
            assertArrayEquals(plain.predict(digits.features(), digits.size()),
                    saved.predict(digits.features(), digits.size()));
        }
    }

    /**
     * With nn-onnx on the class path, {@code ModelFiles.load} reads a {@code .onnx} file (any case), and a stream named
     * so, as loadSaved.
     */
    @Test
    void modelFilesLoadReadsAnOnnxFile() throws Exception {
        try (Sequential model = classifier()) {
            SavedModel original = new SavedModel(model, classifierPreprocessing(false), Map.of());
            Path file = dir.resolve("digits.Onnx");
            OnnxExporter.export(original, file, OnnxExporter.Input.RAW_FEATURES);
            try (SavedModel loaded = ModelFiles.load(file, backend)) {
                assertSameModel(original, loaded);
            }
            try (SavedModel fromStream = ModelFiles.load(Files.newInputStream(file), "/models/digits.onnx", backend)) {
                assertSameModel(original, fromStream);
            }
            // A damaged ONNX file is an IOException, as a damaged safetensors file is: one catch covers both.
            dev.nnj.api.io.ModelFileException broken = assertThrows(dev.nnj.api.io.ModelFileException.class,
                    () -> ModelFiles.load(new java.io.ByteArrayInputStream(new byte[] {(byte) 0xff, 1, 2}),
                            "/models/broken.onnx", backend));
            assertTrue(broken.getMessage().startsWith("/models/broken.onnx: not an ONNX model ("), broken.getMessage());
            assertTrue(broken.getCause() instanceof OnnxImportException, String.valueOf(broken.getCause()));
            Path torn = dir.resolve("torn.onnx");
            byte[] whole = Files.readAllBytes(file);
            Files.write(torn, java.util.Arrays.copyOf(whole, whole.length / 2));
            dev.nnj.api.io.ModelFileException cut = assertThrows(dev.nnj.api.io.ModelFileException.class,
                    () -> ModelFiles.load(torn, backend));
            assertTrue(cut.getMessage().startsWith(torn + ": ") && !cut.getMessage().startsWith(torn + ": " + torn),
                    "the file named once: " + cut.getMessage());
            Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
            assertEquals(empty + ": the file is empty (no ONNX model in it)",
                    assertThrows(dev.nnj.api.io.ModelFileException.class, () -> ModelFiles.load(empty, backend))
                            .getMessage());
            Path misnamed = dir.resolve("digits.safetensors");
            Files.copy(file, misnamed);
            dev.nnj.api.io.ModelFileException e = assertThrows(dev.nnj.api.io.ModelFileException.class,
                    () -> ModelFiles.load(misnamed, backend));
            assertTrue(e.getMessage().contains("(its first bytes are an ONNX model's: give it a name ending in .onnx)"),
                    e.getMessage());
        }
    }

    /**
     * The conversion to nnj's model file keeps the preprocessing of nnj's own export, and the metadata a program
     * recorded with it (the digits trainer's weight column: without it, predict refuses the training file's column).
     */
    @Test
    void theConversionKeepsNnjsPreprocessing() throws Exception {
        try (Sequential model = classifier()) {
            SavedModel original = new SavedModel(model, classifierPreprocessing(true), Map.of("digits.weight-column",
                    "w", "digits.label", "y"));
            Path onnx = dir.resolve("digits.onnx");
            OnnxExporter.export(original, onnx, OnnxExporter.Input.RAW_FEATURES);
            Path converted = dir.resolve("digits.safetensors");
            OnnxImporter.main(new String[] {onnx.toString(), converted.toString()});
            try (SavedModel loaded = ModelFiles.load(converted, backend)) {
                assertSameModel(original, loaded);
                assertEquals(Map.of("digits.weight-column", "w", "digits.label", "y"), loaded.extraMetadata());
            }
        }
    }
}
