package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.ELU;
import dev.nnj.api.layers.LeakyReLU;
import dev.nnj.api.layers.Sigmoid;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.ConcurrentUseException;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exported models run in ONNX Runtime for Java and predict what nnj predicts, to {@code 1e-5}, on the 360
 * digits test images: a trained digits model, and a network using every activation both fused into Dense and as
 * a layer, with dropout (removed). The files are also left in {@code target/onnx/} for
 * {@code scripts/interop/onnx_check.py}, which runs ONNX's own checker on them.
 */
class OnnxExporterTest {
    private static final double TOLERANCE = 1e-5;
    private static Backend backend;
    private static Dataset test;
    private static Dataset train;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
        IndexSplit.Datasets parts = Digits.scaledArticleSplit();
        train = parts.train();
        test = parts.test();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Path export(Sequential model, String name) throws IOException {
        Path dir = Path.of("target", "onnx");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        OnnxExporter.export(model, file);
        return file;
    }

    /** Runs the file in ONNX Runtime on the test images. */
    private static float[][] runInOnnxRuntime(Path file) throws IOException, OrtException {
        return runInOnnxRuntime(file, test.features(), test.size(), test.featureCount());
    }

    /** Runs the file in ONNX Runtime on {@code (rows, columns)} row-major inputs. */
    private static float[][] runInOnnxRuntime(Path file, float[] features, int rows, int columns)
            throws IOException, OrtException {
        return OnnxRuntimeCheck.run(Files.readAllBytes(file), OnnxExporter.INPUT, OnnxExporter.OUTPUT, features, rows,
                columns);
    }

    private static double compare(Sequential model, Path file) throws IOException, OrtException {
        return OnnxRuntimeCheck.requireClose(model.predict(test.features(), test.size()), runInOnnxRuntime(file),
                test.size(), model.outputWidth(), TOLERANCE, file.toString());
    }

    /**
     * An imputer is not in a graph of raw features (nnj's importer reads no NaN-filling nodes back): refused, naming
     * the way out; a graph of scaled features carries it in its metadata.
     */
    @Test
    void aModelWithAnImputerExportsItsScaledGraphOnly() throws Exception {
        try (Sequential model = new Sequential(backend, 2, 5)) {
            model.add(new Dense(2, Activation.SOFTMAX));
            float[] x = {1, Float.NaN, 3, 4};
            dev.nnj.api.data.SimpleImputer imputer = new dev.nnj.api.data.SimpleImputer(
                    dev.nnj.api.data.SimpleImputer.Strategy.MEAN).fit(x, 2);
            SavedModel saved = new SavedModel(model, Preprocessing.none().withImputer(imputer), java.util.Map.of());
            IllegalArgumentException raw = assertThrows(IllegalArgumentException.class,
                    () -> OnnxExporter.toOnnx(saved, OnnxExporter.Input.RAW_FEATURES));
            assertTrue(raw.getMessage().contains("export it with Input.SCALED_FEATURES"), raw.getMessage());
            ModelProto scaled = OnnxExporter.toOnnx(saved, OnnxExporter.Input.SCALED_FEATURES);
            assertTrue(scaled.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("nnj.preprocessing")
                    && p.getValue().contains("\"imputer\":{\"strategy\":\"mean\"")), scaled.getMetadataPropsList()
                    .toString());
        }
    }

    @Test
    void aTrainedDigitsModelPredictsTheSameInOnnxRuntime() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 32, 0);
             Optimizer adam = DigitsNetwork.adam()) {
            Trainer.builder().epochs(8).batchSize(32).seed(0).build()
                    .fit(model, Loss.categoricalCrossEntropy(), adam, train, null);
            Path file = export(model, "digits.onnx");
            compare(model, file);
            ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(file));
            assertEquals(OnnxExporter.OPSET, onnx.getOpsetImport(0).getVersion(), "opset");
            assertEquals(List.of("Gemm", "Relu", "Gemm", "Softmax"), opTypes(onnx), "nodes");
            assertEquals("nnj Sequential: dense_1 (64 -> 32, relu), dense_2 (32 -> 10, softmax)", onnx.getDocString(),
                    "the layers, not their initialisers");
            assertTrue(model.evaluate(test, Loss.categoricalCrossEntropy(), 512).accuracy() > 0.85, "it learned");
        }
    }

    @Test
    void everyActivationDropoutRemovedPredictsTheSameInOnnxRuntime() throws Exception {
        Initializer w = Initializer.normal(0, 0.4);
        Initializer b = Initializer.normal(0, 0.1);
        try (Sequential model = new Sequential(backend, 64, 5)) {
            model.add(new Dense(32, Activation.SIGMOID, w, b)).add(new Dropout(0.3f))
                    .add(new Dense(24, Activation.TANH, w, b)).add(new LeakyReLU(0.2f))
                    .add(new Dense(20, Activation.RELU, w, b)).add(new ELU(0.8f))
                    .add(new Dense(16, Activation.LEAKY_RELU, 0.1f, w, b))
                    .add(new Dense(12, Activation.ELU, 1.3f, w, b)).add(new Sigmoid())
                    .add(new Dense(10, Activation.IDENTITY, w, b)).add(new Softmax()).add(new Dropout(0.5f));
            Path file = export(model, "every-activation.onnx");
            compare(model, file);
            ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(file));
            assertEquals(List.of("Gemm", "Sigmoid", "Gemm", "Tanh", "LeakyRelu", "Gemm", "Relu", "Elu", "Gemm",
                    "LeakyRelu", "Gemm", "Elu", "Sigmoid", "Gemm", "Softmax"), opTypes(onnx), "nodes, no Dropout");
            assertEquals(12, onnx.getGraph().getInitializerCount(), "a weight and a bias per Dense");
        }
    }

    @Test
    void exportingWhileAnotherThreadTrainsTheModelIsRefused() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 16, 0);
             Optimizer adam = DigitsNetwork.adam()) {
            CountDownLatch insideFit = new CountDownLatch(1);
            CountDownLatch exported = new CountDownLatch(1);
            Trainer trainer = Trainer.builder().epochs(2).batchSize(32).seed(0).listener(stats -> {
                if (stats.epoch() == 1) {
                    insideFit.countDown();
                    try {
                        exported.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }).build();
            ExecutorService fitThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "fit-thread"));
            try {
                Future<?> fit = fitThread.submit(() -> trainer.fit(model, Loss.categoricalCrossEntropy(), adam, train,
                        null));
                assertTrue(insideFit.await(30, TimeUnit.SECONDS), "fit reached its first epoch");
                Path file = Path.of("target", "onnx", "during-fit.onnx");
                Files.deleteIfExists(file);
                ConcurrentUseException e;
                try {
                    e = assertThrows(ConcurrentUseException.class, () -> OnnxExporter.export(model, file));
                } finally {
                    exported.countDown();
                }
                assertTrue(e.getMessage().contains("fit-thread"), e.getMessage());
                assertTrue(e.getMessage().startsWith("export called"), "names the call made: " + e.getMessage());
                assertTrue(!Files.exists(file), "nothing written");
                fit.get(30, TimeUnit.SECONDS);
                export(model, "after-fit.onnx");   // once training is over, the export goes through
            } finally {
                fitThread.shutdownNow();
            }
        }
    }

    /**
     * Weights that are not finite are not exported over a good file (no reader could use them), and a name loading
     * reads as safetensors is refused: the ONNX bytes under it would not load back.
     */
    @Test
    void aDivergedModelAndASafetensorsNameAreRefusedLeavingTheFileAsItWas() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 16, 0)) {
            Path file = export(model, "good.onnx");
            byte[] good = Files.readAllBytes(file);
            float[] diverged = model.parameters().get(0).read();
            diverged[5] = Float.POSITIVE_INFINITY;
            model.parameters().get(0).value().copyFrom(diverged);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OnnxExporter.export(model, file));
            assertTrue(e.getMessage().startsWith("export: parameter 'dense_1.weight' holds Infinity at index 5"),
                    e.getMessage());
            assertTrue(assertThrows(IllegalStateException.class, () -> OnnxExporter.toOnnx(model)).getMessage()
                    .startsWith("toOnnx: parameter 'dense_1.weight'"), "each call named as the caller made it");
            assertEquals("export: argument 'model' is null", assertThrows(NullPointerException.class,
                    () -> OnnxExporter.export((Sequential) null, file)).getMessage());
            assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(file)), "the good file is as it was");

            Path safetensors = file.resolveSibling("model.safetensors");
            Files.deleteIfExists(safetensors);
            IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                    () -> OnnxExporter.export(model, safetensors));
            assertTrue(name.getMessage().contains("model.safetensors is a name ModelFiles.load reads as nnj's "
                    + "safetensors format"), name.getMessage());
            assertTrue(!Files.exists(safetensors), "nothing written");
        }
    }

    @Test
    void aModelOfOnlyDropoutIsTheIdentity() throws Exception {
        try (Sequential model = new Sequential(backend, 64, 5)) {
            model.add(new Dropout(0.5f));
            Path file = export(model, "identity.onnx");
            compare(model, file);
        }
    }

    /** Exported from a model file, the class names and the scaler travel as metadata ONNX Runtime reads back. */
    @Test
    void aSavedModelsClassNamesAndPreprocessingBecomeMetadata() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 16, 0)) {
            List<String> names = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                    "nine, \"quoted\"");
            Preprocessing p = Preprocessing.none().withClassNames(names);
            Path dir = Files.createDirectories(Path.of("target", "onnx"));
            Path nnjFile = dir.resolve("named.safetensors");
            ModelFiles.save(model, nnjFile, dev.nnj.api.io.WeightLayout.IN_OUT, p, Map.of());
            Path onnxFile = dir.resolve("named.onnx");
            try (SavedModel saved = ModelFiles.load(nnjFile, backend)) {
                OnnxExporter.export(saved, onnxFile);
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(Files.readAllBytes(onnxFile), options)) {
                Map<String, String> metadata = session.getMetadata().getCustomMetadata();
                assertEquals("[\"zero\",\"one\",\"two\",\"three\",\"four\",\"five\",\"six\",\"seven\",\"eight\","
                        + "\"nine, \\\"quoted\\\"\"]", metadata.get("nnj.class_names"));
                assertEquals(dev.nnj.api.io.JsonWriter.write(p.toJson()), metadata.get("nnj.preprocessing"));
            }
            compare(model, onnxFile);
            assertEquals(List.of(OnnxExporter.CHECKSUM_KEY), OnnxExporter.toOnnx(model).getMetadataPropsList()
                    .stream().map(e -> e.getKey()).collect(java.util.stream.Collectors.toList()),
                    "a bare model has its checksum alone");
            // A scaler without class names: the preprocessing alone.
            Preprocessing scaled = Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(
                    test.features(), test.featureCount()));
            ModelProto onnx = OnnxExporter.toOnnx(new SavedModel(model, scaled, Map.of()));
            assertEquals(List.of(OnnxExporter.CHECKSUM_KEY, "nnj.preprocessing", OnnxExporter.INPUT_KEY),
                    onnx.getMetadataPropsList().stream()
                    .map(e -> e.getKey()).collect(java.util.stream.Collectors.toList()));
        }
    }

    /**
     * The graph's input and output say what they take and give, where a viewer shows them: a trial found a raw and a
     * scaled export told apart only by their metadata.
     */
    @Test
    void theGraphsInputAndOutputSayWhatTheyTakeAndGive() {
        try (Sequential model = DigitsNetwork.build(backend, 16, 0)) {
            Preprocessing p = Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(
                    test.features(), test.featureCount())).withClassNames(List.of("0", "1", "2", "3", "4", "5", "6",
                    "7", "8", "9"));
            SavedModel saved = new SavedModel(model, p, Map.of());
            ModelProto raw = OnnxExporter.toOnnx(saved, OnnxExporter.Input.RAW_FEATURES);
            ModelProto scaled = OnnxExporter.toOnnx(saved, OnnxExporter.Input.SCALED_FEATURES);
            assertEquals("the features, in the order the network was trained on, raw: the graph applies the min-max "
                    + "scaler of nnj.preprocessing itself", raw.getGraph().getInput(0).getDocString());
            assertEquals("the features, in the order the network was trained on, already scaled by the min-max scaler "
                    + "in nnj.preprocessing: apply it before the graph", scaled.getGraph().getInput(0).getDocString());
            assertEquals("the probability of each class of nnj.class_names, one column each, in that order",
                    raw.getGraph().getOutput(0).getDocString());
            assertEquals("the features, in the order the network was trained on, as the network takes them (no scaler "
                    + "was recorded with the model: scale them as its training did, if it did)",
                    OnnxExporter.toOnnx(model).getGraph().getInput(0).getDocString());
            // An imputer, which only a scaled-features graph carries (as metadata): the caller applies it first.
            dev.nnj.api.data.SimpleImputer imputer = new dev.nnj.api.data.SimpleImputer(
                    dev.nnj.api.data.SimpleImputer.Strategy.MEDIAN).fit(test.features(), test.featureCount());
            assertEquals("the features, in the order the network was trained on, their missing values (NaN) filled "
                    + "in by the median imputer in nnj.preprocessing, then scaled by the min-max scaler in "
                    + "nnj.preprocessing: apply both before the graph", OnnxExporter.toOnnx(new SavedModel(model,
                    p.withImputer(imputer), Map.of())).getGraph().getInput(0).getDocString());
            assertEquals("the features, in the order the network was trained on, their missing values (NaN) filled "
                    + "in by the median imputer in nnj.preprocessing (no scaler was recorded with the model): fill "
                    + "them in before the graph", OnnxExporter.toOnnx(new SavedModel(model,
                    Preprocessing.none().withImputer(imputer), Map.of())).getGraph().getInput(0).getDocString());
        }
        try (Sequential model = new Sequential(backend, 2, 3)) {
            model.add(new Dense(1));
            float[] y = {100, 200, 300};
            SavedModel regression = new SavedModel(model, Preprocessing.none().withFeatureNames(List.of("a", "b"))
                    .withTargetScaler(new dev.nnj.api.data.StandardScaler().fit(y, 1)), Map.of());
            ModelProto raw = OnnxExporter.toOnnx(regression, OnnxExporter.Input.RAW_FEATURES);
            assertEquals("the features named in nnj.preprocessing's feature_names, in that order, as the network "
                    + "takes them (no scaler was recorded with the model: scale them as its training did, if it did)",
                    raw.getGraph().getInput(0).getDocString());
            assertEquals("predictions in the target's units: the graph undoes the target scaler of nnj.preprocessing",
                    raw.getGraph().getOutput(0).getDocString());
            assertEquals("scaled predictions: undo the target_scaler of nnj.preprocessing to get the target's units",
                    OnnxExporter.toOnnx(regression).getGraph().getOutput(0).getDocString());
        }
    }

    /**
     * Exported for raw features, the graph applies the saved scaler as nnj does, bit for bit: through a model of
     * only dropout (the identity), ONNX Runtime's output is the scaled input, compared with nnj's scaler exactly;
     * through a trained network, to the usual tolerance. The raw digits have constant columns (0, 32 and 39), where
     * the min-max scaler's range is taken as 1.
     */
    @Test
    void aRawInputExportAppliesTheSavedScalerAsNnjDoes() throws Exception {
        Dataset raw = Digits.load();
        float[] x = raw.features();
        int rows = raw.size();
        int columns = raw.featureCount();
        List<Preprocessing> scalers = List.of(
                Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(x, columns)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler(-1, 2).fit(x, columns)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler().fit(x, columns)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler(false, true).fit(x, columns)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler(true, false).fit(x, columns)));
        Path dir = Files.createDirectories(Path.of("target", "onnx"));
        for (int k = 0; k < scalers.size(); k++) {
            Preprocessing p = scalers.get(k);
            float[] scaled = p.transformFeatures(x, columns);
            try (Sequential identity = new Sequential(backend, columns, 1)) {
                identity.add(new Dropout(0.5f));
                Path file = dir.resolve("raw-input-identity-" + k + ".onnx");
                OnnxExporter.export(new SavedModel(identity, p, Map.of()), file, OnnxExporter.Input.RAW_FEATURES);
                float[][] ort = runInOnnxRuntime(file, x, rows, columns);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < columns; j++) {
                        if (Float.floatToIntBits(scaled[i * columns + j]) != Float.floatToIntBits(ort[i][j])) {
                            org.junit.jupiter.api.Assertions.fail(p + ": row " + i + " column " + j + ": nnj "
                                    + scaled[i * columns + j] + ", ONNX Runtime " + ort[i][j]);
                        }
                    }
                }
                ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(file));
                assertEquals("raw_features", metadata(onnx).get(OnnxExporter.INPUT_KEY));
            }
        }
        // A network behind the scaler: ONNX Runtime on raw features against SavedModel.predict on the same.
        try (Sequential model = DigitsNetwork.build(backend, 32, 0)) {
            SavedModel saved = new SavedModel(model, scalers.get(0), Map.of());
            Path file = dir.resolve("raw-input-digits.onnx");
            OnnxExporter.export(saved, file, OnnxExporter.Input.RAW_FEATURES);
            float[] nnj = saved.predict(x, rows);
            float[][] ort = runInOnnxRuntime(file, x, rows, columns);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < 10; j++) {
                    assertTrue(Math.abs(ort[i][j] - nnj[i * 10 + j]) <= TOLERANCE, "row " + i + " column " + j
                            + ": nnj " + nnj[i * 10 + j] + ", ONNX Runtime " + ort[i][j]);
                }
            }
            assertEquals(List.of("Cast", "Mul", "Add", "Cast", "Gemm", "Relu", "Gemm", "Softmax"),
                    opTypes(ModelProto.parseFrom(Files.readAllBytes(file))), "the scaler's nodes first");
            ModelProto scaledInput = OnnxExporter.toOnnx(saved);
            assertEquals(List.of("Gemm", "Relu", "Gemm", "Softmax"), opTypes(scaledInput), "by default, no scaler");
            assertEquals("scaled_features", metadata(scaledInput).get(OnnxExporter.INPUT_KEY));
        }
    }

    /**
     * A regression saved with feature and target scalers: exported for raw features, ONNX Runtime's outputs are
     * {@code SavedModel.predict}'s, in the targets' units (two targets, one standard-scaled and one min-max: each
     * scaler kind undone once).
     */
    @Test
    void aRawInputRegressionEndsWithItsTargetScalerUndone() throws Exception {
        Dataset raw = Digits.load();
        float[] x = raw.features();
        int rows = raw.size();
        int columns = raw.featureCount();
        float[] y = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            y[2 * i] = 300 + 40 * x[i * columns + 20];
            y[2 * i + 1] = -5 + 0.25f * x[i * columns + 43];
        }
        Path dir = Files.createDirectories(Path.of("target", "onnx"));
        List<Preprocessing> cases = List.of(
                Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler().fit(x, columns))
                        .withTargetScaler(new dev.nnj.api.data.StandardScaler().fit(y, 2)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(x, columns))
                        .withTargetScaler(new dev.nnj.api.data.MinMaxScaler(-1, 1).fit(y, 2)));
        for (int k = 0; k < cases.size(); k++) {
            try (Sequential model = new Sequential(backend, columns, 3)) {
                model.add(new Dense(16, Activation.TANH)).add(new Dense(2));
                SavedModel saved = new SavedModel(model, cases.get(k), Map.of());
                Path file = dir.resolve("raw-input-regression-" + k + ".onnx");
                OnnxExporter.export(saved, file, OnnxExporter.Input.RAW_FEATURES);
                float[] nnj = saved.predict(x, rows);
                float[][] ort = runInOnnxRuntime(file, x, rows, columns);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < 2; j++) {
                        double scale = Math.max(1, Math.abs(nnj[i * 2 + j]));
                        assertTrue(Math.abs(ort[i][j] - nnj[i * 2 + j]) <= TOLERANCE * scale, "case " + k + " row " + i
                                + " column " + j + ": nnj " + nnj[i * 2 + j] + ", ONNX Runtime " + ort[i][j]);
                    }
                }
                List<String> ops = opTypes(ModelProto.parseFrom(Files.readAllBytes(file)));
                assertEquals(List.of("Cast", k == 0 ? "Sub" : "Mul", k == 0 ? "Div" : "Add", "Cast"),
                        ops.subList(0, 4), "the feature scaler first");
                assertEquals(List.of("Cast", k == 0 ? "Mul" : "Sub", k == 0 ? "Add" : "Div", "Cast"),
                        ops.subList(ops.size() - 4, ops.size()), "the target scaler undone last");
            }
        }
    }

    /** The command line's {@code --raw-input}: the graph then takes raw features. */
    @Test
    void theCommandLineWritesARawInputGraphWhenAsked() throws Exception {
        Dataset raw = Digits.load();
        Preprocessing p = Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(raw.features(),
                raw.featureCount()));
        Path dir = Files.createDirectories(Path.of("target", "onnx"));
        Path nnjFile = dir.resolve("cli-raw.safetensors");
        try (Sequential model = DigitsNetwork.build(backend, 16, 0)) {
            ModelFiles.save(model, nnjFile, dev.nnj.api.io.WeightLayout.IN_OUT, p, Map.of());
        }
        Path onnxFile = dir.resolve("cli-raw.onnx");
        Files.deleteIfExists(onnxFile);
        Process exporter = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OnnxExporter.class.getName(), "--raw-input",
                nnjFile.toString(), onnxFile.toString()).redirectErrorStream(true).start();
        String out = new String(exporter.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exporter.waitFor(), out);
        assertTrue(out.contains("input: raw features"), out);
        assertEquals("raw_features", metadata(ModelProto.parseFrom(Files.readAllBytes(onnxFile)))
                .get(OnnxExporter.INPUT_KEY));
    }

    private static Map<String, String> metadata(ModelProto onnx) {
        Map<String, String> m = new java.util.HashMap<>();
        onnx.getMetadataPropsList().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static List<String> opTypes(ModelProto onnx) {
        List<String> ops = new ArrayList<>();
        for (NodeProto n : onnx.getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        return ops;
    }
}
