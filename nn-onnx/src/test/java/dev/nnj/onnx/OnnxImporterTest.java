package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.ELU;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.LeakyReLU;
import dev.nnj.api.layers.Sigmoid;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.onnx.proto.OnnxProto.AttributeProto;
import dev.nnj.onnx.proto.OnnxProto.GraphProto;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;
import dev.nnj.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import dev.nnj.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nnj.onnx.proto.OnnxProto.TypeProto;
import dev.nnj.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported networks predict what ONNX Runtime predicts from the same file, to {@code 1e-5}, on the 360 digits test
 * images: files PyTorch exported ({@code make_torch_fixtures.py} beside them: trained digits classifiers, one with
 * batch normalization, one with a PReLU, one ending in LogSoftmax, whose exponentials nnj gives; every activation
 * PyTorch writes that nnj imports; images flattened first), a Keras-style graph of MatMul and Add, and nnj's own
 * export, which comes back bit for bit. Graphs nnj does not import are refused, naming the node.
 */
class OnnxImporterTest {
    private static final double TOLERANCE = 1e-5;
    private static Backend backend;
    private static Dataset test;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
        test = Digits.scaledArticleSplit().test();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static ModelProto resource(String name) throws IOException {
        try (InputStream in = OnnxImporterTest.class.getResourceAsStream(name)) {
            return ModelProto.parseFrom(in);
        }
    }

    /** The largest difference between nnj's and ONNX Runtime's outputs on the test images, each within 1e-5. */
    private static double compareWithOnnxRuntime(Sequential model, ModelProto onnx) throws OrtException {
        return compareWithOnnxRuntime(model, onnx, test.features(), test.size(), test.featureCount());
    }

    /** As above, on {@code (rows, columns)} row-major inputs. */
    private static double compareWithOnnxRuntime(Sequential model, ModelProto onnx, float[] x, int rows, int columns)
            throws OrtException {
        float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), onnx.getGraph().getInput(0).getName(),
                onnx.getGraph().getOutput(0).getName(), x, rows, columns);
        return OnnxRuntimeCheck.requireClose(model.predict(x, rows), ort, rows, model.outputWidth(), TOLERANCE,
                onnx.getGraph().getName());
    }

    private static List<String> describe(Sequential model) {
        return model.layers().stream().map(Layer::toString).collect(Collectors.toList());
    }

    @Test
    void aDigitsClassifierTrainedInPyTorchPredictsAsOnnxRuntimeDoes() throws Exception {
        assertTrainedInPyTorch("torch_digits.onnx", 0.9694, "dense_1(units=32, activation=relu, weights=onnx)",
                "dense_2(units=10, activation=softmax, weights=onnx)");
    }

    /**
     * A digits classifier {@code make_torch_fixtures.py} trained: imported as {@code layers}, it predicts what ONNX
     * Runtime does and scores {@code accuracy}, PyTorch's own test accuracy, which the script prints.
     */
    private static void assertTrainedInPyTorch(String file, double accuracy, String... layers) throws Exception {
        ModelProto onnx = resource(file);
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            double worst = compareWithOnnxRuntime(model, onnx);
            assertEquals(List.of(layers), describe(model));
            double actual = model.evaluate(test, Loss.categoricalCrossEntropy(), 512).accuracy();
            System.out.printf("%s in nnj: test accuracy %.4f, max |nnj - ONNX Runtime| %.2e%n", file, actual, worst);
            assertEquals(accuracy, actual, 1e-4, "PyTorch's own test accuracy, printed by make_torch_fixtures.py");
        }
    }

    /**
     * A classifier ending in LogSoftmax, trained on its negative log-likelihood (PyTorch's NLLLoss): its last layer
     * comes in as a softmax, so the network gives e^y for the graph's y, the probabilities, each row summing to 1.
     */
    /** PyTorch's nn.PReLU() learns one slope for all units (1.8616 here): a leaky ReLU with that alpha. */
    @Test
    void aPReluWithOneSlopeComesInAsALeakyRelu() throws Exception {
        assertTrainedInPyTorch("torch_prelu.onnx", 0.9694,
                "dense_1(units=32, activation=leaky_relu(1.8615961), weights=onnx)",
                "dense_2(units=10, activation=softmax, weights=onnx)");
    }

    @Test
    void aClassifierEndingInLogSoftmaxGivesTheProbabilitiesWhoseLogsTheGraphGives() throws Exception {
        ModelProto onnx = resource("torch_logsoftmax.onnx");
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(List.of("dense_1(units=32, activation=relu, weights=onnx)",
                    "dense_2(units=10, activation=softmax, weights=onnx)"), describe(model));
            float[][] logs = OnnxRuntimeCheck.run(onnx.toByteArray(), "x", "y", test.features(), test.size(),
                    test.featureCount());
            float[][] probabilities = new float[logs.length][];
            for (int i = 0; i < logs.length; i++) {
                probabilities[i] = new float[logs[i].length];
                for (int j = 0; j < logs[i].length; j++) {
                    assertTrue(logs[i][j] <= 0f, "row " + i + ": the graph gives log-probabilities, " + logs[i][j]);
                    probabilities[i][j] = (float) Math.exp(logs[i][j]);
                }
            }
            float[] p = model.predict(test.features(), test.size());
            OnnxRuntimeCheck.requireClose(p, probabilities, test.size(), 10, TOLERANCE, "torch_logsoftmax.onnx");
            for (int i = 0; i < test.size(); i++) {
                double sum = 0;
                for (int j = 0; j < 10; j++) {
                    sum += p[i * 10 + j];
                }
                assertEquals(1.0, sum, 1e-5, "row " + i + " of the probabilities");
            }
            double accuracy = model.evaluate(test, Loss.categoricalCrossEntropy(), 512).accuracy();
            assertEquals(0.9694, accuracy, 1e-4, "PyTorch's own test accuracy, printed by make_torch_fixtures.py");
        }
    }

    /** Flatten, Dropout, Tanh, LeakyReLU(0.2), ELU(0.7), Sigmoid after each Linear, logits out: five Dense layers. */
    @Test
    void everyActivationPyTorchExportsComesInAsADenseLayersActivation() throws Exception {
        ModelProto onnx = resource("torch_activations.onnx");
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            compareWithOnnxRuntime(model, onnx);
            assertEquals(List.of("dense_1(units=24, activation=tanh, weights=onnx)",
                    "dense_2(units=16, activation=leaky_relu(0.2), weights=onnx)",
                    "dense_3(units=12, activation=elu(0.7), weights=onnx)",
                    "dense_4(units=8, activation=sigmoid, weights=onnx)",
                    "dense_5(units=10, activation=identity, weights=onnx)"), describe(model));
        }
    }

    /**
     * nnj's own export comes back with the same weights and predictions, to the bit: the same layers, but for a
     * Softmax layer after an identity Dense, which becomes that Dense's activation, as the importer folds every
     * activation into the Dense before it when it can.
     */
    @Test
    void nnjsOwnExportComesBackBitForBit() throws Exception {
        Initializer w = Initializer.normal(0, 0.4);
        Initializer b = Initializer.normal(0, 0.1);
        try (Sequential original = new Sequential(backend, 64, 5)) {
            original.add(new Dense(32, Activation.SIGMOID, w, b)).add(new Dropout(0.3f))
                    .add(new Dense(24, Activation.TANH, w, b)).add(new LeakyReLU(0.2f))
                    .add(new Dense(16, Activation.LEAKY_RELU, 0.1f, w, b)).add(new ELU(0.8f))
                    .add(new Dense(12, Activation.ELU, 1.3f, w, b)).add(new Sigmoid())
                    .add(new Dense(10, Activation.IDENTITY, w, b)).add(new Softmax());
            ModelProto onnx = OnnxExporter.toOnnx(original);
            try (Sequential imported = OnnxImporter.fromOnnx(onnx, backend)) {
                assertEquals(List.of("dense_1(units=32, activation=sigmoid, weights=onnx)",
                        "dense_2(units=24, activation=tanh, weights=onnx)", "leaky_relu_1(alpha=0.2)",
                        "dense_3(units=16, activation=leaky_relu(0.1), weights=onnx)", "elu_1(alpha=0.8)",
                        "dense_4(units=12, activation=elu(1.3), weights=onnx)", "sigmoid_1()",
                        "dense_5(units=10, activation=softmax, weights=onnx)"), describe(imported),
                        "an activation right after an identity Dense becomes its activation");
                Map<String, float[]> before = original.stateDict();
                Map<String, float[]> after = imported.stateDict();
                assertEquals(before.keySet(), after.keySet());
                for (String name : before.keySet()) {
                    assertArrayEquals(before.get(name), after.get(name), name);
                }
                assertArrayEquals(original.predict(test.features(), test.size()),
                        imported.predict(test.features(), test.size()), "the same predictions, to the bit");
                compareWithOnnxRuntime(imported, onnx);
            }
        }
    }

    /**
     * nnj's raw-features export starts with the scaler (Cast to double, Mul and Add, or Sub and Div, Cast back): folded
     * into the first Dense, the imported network takes raw pixels and predicts what ONNX Runtime and
     * {@code SavedModel.predict} predict from them.
     */
    @Test
    void aScalerInTheGraphIsFoldedIntoTheFirstDense() throws Exception {
        Dataset raw = Digits.load();
        float[] x = raw.features();
        int columns = raw.featureCount();
        List<Preprocessing> scalers = List.of(
                Preprocessing.none().withScaler(new dev.nnj.api.data.MinMaxScaler().fit(x, columns)),
                Preprocessing.none().withScaler(new dev.nnj.api.data.StandardScaler().fit(x, columns)));
        try (Sequential model = DigitsNetwork.build(backend, 32, 0)) {
            for (Preprocessing p : scalers) {
                SavedModel saved = new SavedModel(model, p, Map.of());
                ModelProto onnx = OnnxExporter.toOnnx(saved, OnnxExporter.Input.RAW_FEATURES);
                try (Sequential imported = OnnxImporter.fromOnnx(onnx, backend)) {
                    assertEquals(2, imported.layers().size(), "the scaler's nodes are no layer of their own");
                    compareWithOnnxRuntime(imported, onnx, x, raw.size(), columns);
                    float[] expected = saved.predict(x, raw.size());
                    float[] actual = imported.predict(x, raw.size());
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], TOLERANCE, p + ": output " + i);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- hand-built graphs

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (float v : values) {
            t.addFloatData(v);
        }
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static ValueInfoProto matrix(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static NodeProto node(String op, String name, String out, String... in) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            n.addInput(i);
        }
        return n.build();
    }

    private static ModelProto model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph.setName("g")).build();
    }

    /**
     * As Keras and tf2onnx write a Dense layer: MatMul then Add, the second bias from a Constant node, a last MatMul
     * without a bias.
     */
    private static GraphProto.Builder kerasGraph() {
        Random r = new Random(3);
        AttributeProto bias2 = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(floats("", random(r, 16, 0.1), 16)).build();
        return GraphProto.newBuilder().addInput(matrix("features", 64)).addOutput(matrix("probabilities", 10))
                .addInitializer(floats("w1", random(r, 64 * 32, 0.3), 64, 32))
                .addInitializer(floats("b1", random(r, 32, 0.1), 1, 32))
                .addInitializer(floats("w2", random(r, 32 * 16, 0.3), 32, 16))
                .addInitializer(floats("w3", random(r, 16 * 10, 0.3), 16, 10))
                .addNode(node("MatMul", "dense/MatMul", "m1", "features", "w1"))
                .addNode(node("Add", "dense/BiasAdd", "z1", "m1", "b1"))
                .addNode(node("Relu", "dense/Relu", "a1", "z1"))
                .addNode(NodeProto.newBuilder().setOpType("Constant").setName("dense_1/bias").addOutput("b2")
                        .addAttribute(bias2).build())
                .addNode(node("MatMul", "dense_1/MatMul", "m2", "a1", "w2"))
                .addNode(node("Add", "dense_1/BiasAdd", "z2", "m2", "b2"))
                .addNode(node("Elu", "dense_1/Elu", "a2", "z2"))
                .addNode(node("MatMul", "dense_2/MatMul", "z3", "a2", "w3"))
                .addNode(node("Softmax", "dense_2/Softmax", "probabilities", "z3"));
    }

    /**
     * PyTorch exported without constant folding writes {@code x @ W.t()} as a Transpose of the initializer: a
     * constant, folded as Identity's and Cast's are, to the same network bit for bit. A transpose of the data is
     * not a constant, and is refused as before.
     */
    @Test
    void aTransposedWeightIsTheTransposedConstant() throws Exception {
        GraphProto.Builder plain = kerasGraph();
        float[] w1 = OnnxTensors.floats(plain.getInitializer(0), "w1");
        float[] t = new float[w1.length];
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 32; c++) {
                t[c * 64 + r] = w1[r * 32 + c];
            }
        }
        GraphProto.Builder transposed = kerasGraph().setInitializer(0, floats("w1_t", t, 32, 64))
                .addNode(0, node("Transpose", "/Transpose", "w1", "w1_t"));
        float[] x = random(new Random(9), 5 * 64, 1);
        try (Sequential expected = OnnxImporter.fromOnnx(model(plain), backend);
             Sequential actual = OnnxImporter.fromOnnx(model(transposed), backend)) {
            assertArrayEquals(expected.predict(x, 5), actual.predict(x, 5));
            compareWithOnnxRuntime(actual, model(transposed));
        }
        // A vector's transpose is the vector (ONNX's rule): the bias through one.
        float[] b1 = OnnxTensors.floats(plain.getInitializer(1), "b1");
        GraphProto.Builder vector = kerasGraph().setInitializer(1, floats("b1_v", b1, 32))
                .addNode(0, node("Transpose", "/TransposeB", "b1", "b1_v"));
        try (Sequential expected = OnnxImporter.fromOnnx(model(plain), backend);
             Sequential actual = OnnxImporter.fromOnnx(model(vector), backend)) {
            assertArrayEquals(expected.predict(x, 5), actual.predict(x, 5));
        }
        GraphProto.Builder ofData = kerasGraph().setNode(0, node("MatMul", "dense/MatMul", "m1", "xt", "w1"))
                .addNode(0, node("Transpose", "/T", "xt", "features"));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.fromOnnx(model(ofData), backend));
        assertTrue(e.getMessage().startsWith("node 1 (Transpose '/T')"), e.getMessage());
    }

    /** {@code (x - mean) / std} inside the graph, as a PyTorch module that normalises its own input exports it. */
    private static GraphProto.Builder normalisingGraph() {
        Random r = new Random(5);
        return kerasGraph().setNode(0, node("MatMul", "dense/MatMul", "m1", "x3", "w1"))
                .addInitializer(floats("half", new float[] {0.5f}))
                .addInitializer(floats("mean", random(r, 64, 0.2), 64))
                .addInitializer(floats("std", new float[] {0.3f}, 1, 1))
                .addNode(0, node("Mul", "scale", "x1", "half", "features"))
                .addNode(1, node("Sub", "centre", "x2", "x1", "mean"))
                .addNode(2, node("Div", "normalise", "x3", "x2", "std"));
    }

    @Test
    void inputArithmeticBeforeTheFirstDenseIsFoldedIntoIt() throws Exception {
        ModelProto onnx = model(normalisingGraph());
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(3, model.layers().size());
            compareWithOnnxRuntime(model, onnx);
        }
    }

    /**
     * A constant of shape (n, 1) broadcasts along the columns in ONNX: row i times c_i, and only for a batch of n rows.
     * It used to be read as one value per column, the same for every row, and imported without a word (a trial's row 0:
     * 0.3995 where the graph gives 0.2520). A (1, n) constant is one per column, and folds.
     */
    @Test
    void aConstantThatBroadcastsAlongTheColumnsIsRefused() throws Exception {
        Random r = new Random(6);
        float[] mean = random(r, 64, 0.2);
        GraphProto.Builder column = normalisingGraph();
        column.setInitializer(indexOf(column, "mean"), floats("mean", mean, 64, 1));
        assertRefused(model(column), "node 2 (Sub 'centre'): its constant 'mean' has shape [64, 1], which ONNX "
                + "broadcasts along the columns (row i by value i, for a batch of 64 rows); nnj folds a constant that "
                + "is the same for every row: a scalar, (n) or (1, n)");
        GraphProto.Builder threeDimensions = normalisingGraph();
        threeDimensions.setInitializer(indexOf(threeDimensions, "mean"), floats("mean", mean, 1, 1, 64));
        assertRefused(model(threeDimensions), "node 2 (Sub 'centre'): its constant 'mean' has shape [1, 1, 64], which "
                + "ONNX broadcasts to 3 dimensions; nnj folds a constant that is the same for every row: a scalar, (n) "
                + "or (1, n)");
        GraphProto.Builder row = normalisingGraph();
        row.setInitializer(indexOf(row, "mean"), floats("mean", mean, 1, 64));
        ModelProto onnx = model(row);
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            compareWithOnnxRuntime(model, onnx);
        }
    }

    private static int indexOf(GraphProto.Builder graph, String initializer) {
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals(initializer)) {
                return i;
            }
        }
        throw new AssertionError("no initializer " + initializer);
    }

    /**
     * Arithmetic by constants between layers folds into a Dense: after an activation into the Dense after it (an Add
     * that is no bias, a Sub), before an activation into the Dense without activation before it (a Mul between a
     * MatMul and its bias, which makes the bias arithmetic too).
     */
    @Test
    void arithmeticBetweenLayersIsFoldedIntoADense() throws Exception {
        ModelProto afterActivation = model(kerasGraph().addNode(3, node("Add", "shift", "s1", "a1", "b1"))
                .addNode(4, node("Sub", "centre", "c1", "s1", "b1"))
                .setNode(6, node("MatMul", "dense_1/MatMul", "m2", "c1", "w2")));
        ModelProto beforeActivation = model(kerasGraph().addNode(1, node("Mul", "scale", "p1", "m1", "b1"))
                .setNode(2, node("Add", "dense/BiasAdd", "z1", "p1", "b1")));
        for (ModelProto onnx : new ModelProto[] {afterActivation, beforeActivation}) {
            try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
                assertEquals(3, model.layers().size(), describe(model).toString());
                compareWithOnnxRuntime(model, onnx);
            }
        }
    }

    /**
     * A float64 weight cast to float in the graph (as a double-precision model exports, with casts) reads as the
     * constant the Cast computes: the float32 weight, rounded as ONNX Runtime rounds it.
     */
    @Test
    void aWeightCastToFloatInTheGraphIsThatConstant() throws Exception {
        Random r = new Random(11);
        TensorProto.Builder w64 = TensorProto.newBuilder().setName("w1_64")
                .setDataType(TensorProto.DataType.DOUBLE_VALUE).addDims(64).addDims(32);
        for (int i = 0; i < 64 * 32; i++) {
            w64.addDoubleData(r.nextGaussian() * 0.3 + 1e-12);   // digits beyond float32's, for the cast to round
        }
        NodeProto cast = NodeProto.newBuilder(node("Cast", "w1_cast", "w1", "w1_64")).addAttribute(AttributeProto
                .newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                .setI(TensorProto.DataType.FLOAT_VALUE)).build();
        GraphProto.Builder graph = kerasGraph();
        graph.removeInitializer(0).addInitializer(w64).addNode(0, cast);
        ModelProto onnx = model(graph);
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(3, model.layers().size(), describe(model).toString());
            assertTrue(compareWithOnnxRuntime(model, onnx) < 1e-5);
        }
        // A cast to an integer type stays refused, naming it.
        NodeProto toInt = cast.toBuilder().setAttribute(0, cast.getAttribute(0).toBuilder().setI(7)).build();
        assertRefused(model(kerasGraph().removeInitializer(0).addInitializer(w64).addNode(0, toInt)),
                "node 1 (Cast 'w1_cast') casts to type int64; nnj folds casts to float or double only");
    }

    /** A Dropout exported in training mode imports as the identity, as at inference, and says so at INFO. */
    @Test
    void aDropoutInTrainingModeIsTheIdentityAndNoted() throws Exception {
        TensorProto ratio = floats("ratio", new float[] {0.5f});
        TensorProto training = TensorProto.newBuilder().setName("training_mode")
                .setDataType(TensorProto.DataType.BOOL_VALUE).setRawData(ByteString.copyFrom(new byte[] {1})).build();
        ModelProto onnx = model(kerasGraph().addInitializer(ratio).addInitializer(training)
                .addNode(3, node("Dropout", "drop", "d1", "a1", "ratio", "training_mode"))
                .setNode(5, node("MatMul", "dense_1/MatMul", "m2", "d1", "w2")));
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OnnxImporter.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(3, model.layers().size(), describe(model).toString());
            try (Sequential plain = OnnxImporter.fromOnnx(model(kerasGraph()), backend)) {
                float[] x = random(new Random(2), 5 * 64, 1);
                assertArrayEquals(plain.predict(x, 5), model.predict(x, 5), "the identity: as without the Dropout");
            }
        } finally {
            logger.detachAppender(log);
        }
        assertEquals(List.of("node 4 (Dropout 'drop') is in training mode (training_mode = true), where it drops "
                        + "units at random: imported as the identity, as it computes at inference"),
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** A Gemm's alpha scales its weight and beta its bias, as ONNX Runtime computes them. */
    @Test
    void aGemmsAlphaAndBetaScaleItsWeightAndBias() throws Exception {
        NodeProto scaledGemm = NodeProto.newBuilder(node("Gemm", "fc", "z1", "features", "w1", "b1"))
                .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(0.5f))
                .addAttribute(AttributeProto.newBuilder().setName("beta").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(3f)).build();
        ModelProto onnx = model(kerasGraph().setNode(0, scaledGemm).removeNode(1));
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            compareWithOnnxRuntime(model, onnx);
        }
    }

    /**
     * An attribute of another type than the operator's, or given twice, is refused as onnx.checker refuses it: read
     * as the right type it was 0, so a Gemm's alpha stored as INT 2 imported a zero weight, and transB stored as
     * FLOAT 1.0 an untransposed one, each another function without a word.
     */
    @Test
    void anAttributeOfAnotherTypeOrGivenTwiceIsRefused() {
        AttributeProto intAlpha = AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.INT)
                .setI(2).build();
        AttributeProto floatTransB = AttributeProto.newBuilder().setName("transB")
                .setType(AttributeProto.AttributeType.FLOAT).setF(1f).build();
        AttributeProto alpha = AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                .setF(0.5f).build();
        String[][] cases = {
            {"alpha INT", "Gemm 'fc''s attribute 'alpha' is of type INT, where Gemm takes FLOAT (onnx.checker refuses "
                    + "it too: read as FLOAT it would be 0)"},
            {"transB FLOAT", "Gemm 'fc''s attribute 'transB' is of type FLOAT, where Gemm takes INT"},
            {"alpha twice", "Gemm 'fc' gives its attribute 'alpha' twice"},
        };
        AttributeProto[][] attributes = {{intAlpha}, {floatTransB}, {alpha, alpha}};
        for (int i = 0; i < cases.length; i++) {
            NodeProto.Builder gemm = NodeProto.newBuilder(node("Gemm", "fc", "z1", "features", "w1", "b1"));
            for (AttributeProto a : attributes[i]) {
                gemm.addAttribute(a);
            }
            ModelProto onnx = model(kerasGraph().setNode(0, gemm.build()).removeNode(1));
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(onnx,
                    backend), cases[i][0]);
            assertTrue(e.getMessage().contains(cases[i][1]), cases[i][0] + ": " + e.getMessage());
        }
    }

    /**
     * An attribute ONNX does not define for the operator is refused, as onnx.checker refuses it: ignored, a Softmax
     * with a temperature imported as the plain softmax. So is an Add's {@code axis} of opsets 1-6, which broadcast
     * the constant from another dimension than numpy does. The attributes nnj reads, and those of older opsets that
     * change nothing here, pass.
     */
    @Test
    void anAttributeTheOperatorDoesNotDefineIsRefused() throws Exception {
        AttributeProto temperature = AttributeProto.newBuilder().setName("temperature")
                .setType(AttributeProto.AttributeType.FLOAT).setF(2f).build();
        AttributeProto axis = AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                .setI(0).build();
        AttributeProto consumed = AttributeProto.newBuilder().setName("consumed_inputs")
                .setType(AttributeProto.AttributeType.INTS).addInts(0).build();
        GraphProto.Builder hot = kerasGraph();
        hot.setNode(8, hot.getNode(8).toBuilder().addAttribute(temperature));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(model(hot),
                backend));
        assertEquals("node 9 (Softmax 'dense_2/Softmax') has the attribute 'temperature', which ONNX does not define "
                + "for Softmax (it defines axis); onnx.checker refuses it too, and imported without it the node would "
                + "compute something else than the file says", e.getMessage());

        GraphProto.Builder legacy = kerasGraph();
        legacy.setNode(1, legacy.getNode(1).toBuilder().addAttribute(axis));
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(model(legacy), backend));
        assertTrue(e.getMessage().startsWith("node 2 (Add 'dense/BiasAdd') has the attribute 'axis' of opsets 1-6"),
                e.getMessage());

        GraphProto.Builder old = kerasGraph();
        old.setNode(2, old.getNode(2).toBuilder().addAttribute(consumed));
        try (Sequential model = OnnxImporter.fromOnnx(model(old), backend);
             Sequential plain = OnnxImporter.fromOnnx(model(kerasGraph()), backend)) {
            float[] x = random(new Random(7), 3 * 64, 1.0);
            assertArrayEquals(plain.predict(x, 3), model.predict(x, 3), "Relu's consumed_inputs (opsets 1-5)");
        }
    }

    /** A chain of more layers than nnj's model files hold is refused at once, not built for a minute. */
    @Test
    void aGraphOfMoreLayersThanAModelFileHoldsIsRefused() {
        GraphProto.Builder graph = kerasGraph();
        String last = graph.getOutput(0).getName();
        // Relu nodes after the graph's own output, the last of them the new output.
        int extra = OnnxImporter.MAX_LAYERS;
        for (int i = 0; i < extra; i++) {
            graph.addNode(node("Relu", "r" + i, i == extra - 1 ? "out" : "r" + i + "_out", i == 0 ? last : "r" + (i - 1)
                    + "_out"));
        }
        graph.setOutput(0, graph.getOutput(0).toBuilder().setName("out"));
        long start = System.nanoTime();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(model(graph),
                backend));
        assertTrue(e.getMessage().contains("layers; nnj imports at most 10000, as many as its model files hold"),
                e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused in seconds, not built");
    }

    /**
     * PyTorch's Linear, BatchNorm1d, ReLU, Dropout, Linear, ReLU, BatchNorm1d, Linear, Softmax, trained on the digits:
     * the first batch norm folds into the Linear before it, the second into the Linear after it, and the Identity
     * nodes PyTorch writes for some weights read as those weights.
     */
    @Test
    void pyTorchsBatchNormalizationFoldsIntoTheLinearLayers() throws Exception {
        assertTrainedInPyTorch("torch_batchnorm.onnx", 0.9750, "dense_1(units=32, activation=relu, weights=onnx)",
                "dense_2(units=16, activation=relu, weights=onnx)",
                "dense_3(units=10, activation=softmax, weights=onnx)");
    }

    /**
     * PyTorch's Flatten, Linear, ReLU, Linear on images of (batch, 1, 8, 8): nnj's network takes them flattened,
     * row-major, (batch, 64), the same values in the same order, and predicts what ONNX Runtime predicts from the
     * images. Without the Flatten first, such an input is refused.
     */
    @Test
    void imagesFlattenedFirstComeInAsRowsOfFeatures() throws Exception {
        ModelProto onnx = resource("torch_images.onnx");
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(64, model.inputWidth());
            float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), "x", "y", test.features(),
                    new long[] {test.size(), 1, 8, 8});
            OnnxRuntimeCheck.requireClose(model.predict(test.features(), test.size()), ort, test.size(), 10,
                    TOLERANCE, "torch_images.onnx");
        }
        GraphProto.Builder unflattened = onnx.getGraph().toBuilder();
        int flatten = -1;
        for (int i = 0; i < unflattened.getNodeCount(); i++) {
            flatten = unflattened.getNode(i).getOpType().equals("Flatten") ? i : flatten;
        }
        String flat = unflattened.getNode(flatten).getOutput(0);
        unflattened.setNode(flatten, node("Identity", "same", flat, "x"));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.fromOnnx(onnx.toBuilder().setGraph(unflattened).build(), backend));
        assertTrue(e.getMessage().startsWith("the input 'x' is (batch, 1, 8, 8), and node "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (Identity 'same') reads it; nnj imports an input of more than two "
                + "dimensions when a Flatten(axis = 1), or a Reshape to (batch, features), comes first"),
                e.getMessage());
    }

    /** Keras's Flatten as tf2onnx writes it: a Reshape of (batch, 8, 8) images to {@code [-1, 64]}. */
    @Test
    void aReshapeToBatchAndFeaturesFirstFlattensImages() throws Exception {
        TensorShapeProto images = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(8))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(8)).build();
        ValueInfoProto input = ValueInfoProto.newBuilder().setName("images").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(images))).build();
        for (long[] shape : new long[][] {{-1, 64}, {0, -1}, {0, 64}}) {
            TensorProto.Builder s = TensorProto.newBuilder().setName("shape")
                    .setDataType(TensorProto.DataType.INT64_VALUE).addDims(2);
            for (long d : shape) {
                s.addInt64Data(d);
            }
            ModelProto onnx = model(kerasGraph().setInput(0, input).addInitializer(s)
                    .addNode(0, node("Reshape", "flatten/Reshape", "features", "images", "shape")));
            try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
                float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), "images", "probabilities", test.features(),
                        new long[] {test.size(), 8, 8});
                OnnxRuntimeCheck.requireClose(model.predict(test.features(), test.size()), ort, test.size(), 10,
                        TOLERANCE, "Reshape " + java.util.Arrays.toString(shape));
            }
        }
        // On a (batch, features) input the same Reshape is the identity (ONNX Runtime runs it): imported as such.
        TensorProto keep = TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(2).addInt64Data(-1).addInt64Data(64).build();
        try (Sequential plain = OnnxImporter.fromOnnx(model(kerasGraph()), backend);
             Sequential reshaped = OnnxImporter.fromOnnx(model(kerasGraph().setInput(0, matrix("rows", 64))
                     .addInitializer(keep).addNode(0, node("Reshape", "noop", "features", "rows", "shape"))),
                     backend)) {
            assertArrayEquals(plain.predict(test.features(), test.size()),
                    reshaped.predict(test.features(), test.size()));
        }
        TensorProto wrong = TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(2).addInt64Data(8).addInt64Data(-1).build();
        assertRefused(model(kerasGraph().setInput(0, input).addInitializer(wrong)
                        .addNode(0, node("Reshape", "flatten/Reshape", "features", "images", "shape"))),
                "the input 'images' is (N, 8, 8), and node 1 (Reshape 'flatten/Reshape') reads it; nnj imports an "
                        + "input of more than two dimensions when a Flatten(axis = 1), or a Reshape to (batch, "
                        + "features), comes first");
    }

    @Test
    void aKerasStyleGraphOfMatMulAndAddPredictsAsOnnxRuntimeDoes() throws Exception {
        ModelProto onnx = model(kerasGraph());
        try (Sequential model = OnnxImporter.fromOnnx(onnx, backend)) {
            assertEquals(List.of("dense_1(units=32, activation=relu, weights=onnx)",
                    "dense_2(units=16, activation=elu(1.0), weights=onnx)",
                    "dense_3(units=10, activation=softmax, weights=onnx)"), describe(model));
            compareWithOnnxRuntime(model, onnx);
            float[] noBias = model.parameter("dense_3.bias").read();
            assertArrayEquals(new float[10], noBias, "a MatMul without Add: zero bias");
        }
    }

    private static void assertRefused(ModelProto onnx, String expected) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(onnx, backend));
        assertEquals(expected, e.getMessage());
    }

    private static GraphProto.Builder replaceNode(int index, NodeProto node) {
        return kerasGraph().setNode(index, node);
    }

    /**
     * A graph that gives one tensor two values is refused, naming the tensor, as onnx.checker refuses it: which value
     * a Dense reads would be a guess (it was: the last initializer, the Constant over the initializer, raw_data over
     * float_data).
     */
    @Test
    void aTensorWithTwoValuesIsRefusedNamingIt() {
        Random r = new Random(7);
        assertRefused(model(kerasGraph().addInitializer(floats("w1", random(r, 64 * 32, 0.3), 64, 32))),
                "the graph has two initializers named 'w1'; ONNX requires distinct names (onnx.checker refuses it "
                        + "too), and which of the two the nodes read is ambiguous");
        AttributeProto ones = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(floats("", new float[32], 1, 32)).build();
        assertRefused(model(kerasGraph().addNode(0, NodeProto.newBuilder().setOpType("Constant").setName("shadow")
                        .addOutput("b1").addAttribute(ones).build())),
                "node 1 (Constant 'shadow') writes 'b1', which an initializer already defines; ONNX defines each "
                        + "name once (SSA form; onnx.checker refuses it too), and which of the two values the nodes "
                        + "after it read is ambiguous");
        assertRefused(model(kerasGraph().addNode(3, node("Relu", "again", "a1", "z1"))),
                "node 4 (Relu 'again') writes 'a1', which node 3 (Relu 'dense/Relu') already defines; ONNX defines "
                        + "each name once (SSA form; onnx.checker refuses it too), and which of the two values the "
                        + "nodes after it read is ambiguous");
        TensorProto b1 = kerasGraph().getInitializer(1);
        TensorProto both = b1.toBuilder().setRawData(ByteString.copyFrom(new byte[32 * Float.BYTES])).build();
        assertRefused(model(kerasGraph().setInitializer(1, both)),
                "node 2 (Add 'dense/BiasAdd'): bias 'b1' holds its values twice, in raw_data and float_data; ONNX "
                        + "allows one field of values, and which of them is the model's is ambiguous");
    }

    /** An initializer listed as a graph input too, as older exports list them, is still one definition. */
    @Test
    void anInitializerThatIsAlsoAGraphInputImports() throws Exception {
        GraphProto.Builder g = kerasGraph();
        g.addInput(ValueInfoProto.newBuilder().setName("w1").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        try (Sequential model = OnnxImporter.fromOnnx(model(g), backend)) {
            assertEquals(64, model.inputWidth());
        }
    }

    /** {@code c − x} before the first layer (PyTorch's {@code 1 - x}) is affine: folded as the other arithmetic. */
    @Test
    void aConstantMinusTheInputIsFoldedIntoTheFirstDense() throws Exception {
        TensorProto one = floats("one", new float[] {1f}, 1);
        ModelProto onnx = model(kerasGraph().setInput(0, matrix("pixels", 64)).addInitializer(one)
                .addNode(0, node("Sub", "invert", "features", "one", "pixels")));
        float[] inverted = test.features().clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = 1f - inverted[i];
        }
        try (Sequential folded = OnnxImporter.fromOnnx(onnx, backend);
             Sequential plain = OnnxImporter.fromOnnx(model(kerasGraph()), backend)) {
            float[][] ort = OnnxRuntimeCheck.run(onnx.toByteArray(), "pixels", "probabilities", test.features(),
                    new long[] {test.size(), 64});
            OnnxRuntimeCheck.requireClose(folded.predict(test.features(), test.size()), ort, test.size(), 10,
                    TOLERANCE, "1 - x, folded");
            OnnxRuntimeCheck.requireClose(plain.predict(inverted, test.size()), ort, test.size(), 10, TOLERANCE,
                    "the graph without it, on 1 - x");
        }
    }

    /** An input that declares no shape (valid ONNX) takes its width from the first layer, as ONNX Runtime does. */
    @Test
    void anInputWithoutAShapeTakesTheFirstLayersWidth() {
        ValueInfoProto shapeless = ValueInfoProto.newBuilder().setName("features").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))).build();
        float[] x = random(new Random(5), 3 * 64, 1.0);
        try (Sequential declared = OnnxImporter.fromOnnx(model(kerasGraph()), backend);
             Sequential inferred = OnnxImporter.fromOnnx(model(kerasGraph().setInput(0, shapeless)), backend)) {
            assertEquals(64, inferred.inputWidth());
            assertArrayEquals(declared.predict(x, 3), inferred.predict(x, 3));
        }
    }

    /**
     * Refusals that name the real reason, where a trial was told of a broken chain (c / x, W · x), of an operator nnj
     * does not import (a Reshape that merges the batch) or of several inputs (a graph exported without its weights).
     */
    @Test
    void refusalsNameWhatIsWrongWithTheNode() {
        assertRefused(model(kerasGraph().addNode(3, node("Div", "invert", "d1", "b1", "a1"))
                        .setNode(5, node("MatMul", "dense_1/MatMul", "m2", "d1", "w2"))),
                "node 4 (Div 'invert') takes the data, 'a1', as its input 2: c / x, which is not an affine map of x; "
                        + "nnj folds a division of x by a constant (x / c)");
        assertRefused(model(replaceNode(0, node("MatMul", "dense/MatMul", "m1", "w1", "features"))),
                "node 1 (MatMul 'dense/MatMul') takes the data, 'features', as its input 2: W · x, the weight on the "
                        + "left; nnj imports x · W, the data first (MatMul(x, W), Gemm(x, B, C); export the layer as "
                        + "PyTorch's nn.Linear does)");
        TensorProto oneRow = TensorProto.newBuilder().setName("one_row").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(2).addInt64Data(1).addInt64Data(-1).build();
        assertRefused(model(kerasGraph().addInitializer(oneRow).addNode(0, node("Reshape", "flat", "r", "features",
                        "one_row")).setNode(1, node("MatMul", "dense/MatMul", "m1", "r", "w1"))),
                "node 1 (Reshape 'flat'): nnj imports a Reshape of the graph's input only, and only to (batch, "
                        + "features), keeping the batch: a constant shape [-1 or 0, features or -1], as Keras's "
                        + "Flatten exports; this one is elsewhere in the graph or reshapes otherwise (a shape [1, -1] "
                        + "merges the batch into one row)");
        GraphProto.Builder withoutWeights = kerasGraph();
        for (TensorProto w : withoutWeights.getInitializerList()) {
            withoutWeights.addInput(matrix(w.getName(), 1));
        }
        assertRefused(model(withoutWeights.clearInitializer()),
                "the graph has 5 data inputs; nnj imports a network with one, of shape (batch, features) ('w1', "
                        + "'b1', 'w2', … and no initializers: a graph exported without its weights, as "
                        + "torch.onnx.export(..., export_params=False) writes; export it with them)");
    }

    @Test
    void graphsNnjDoesNotImportAreRefusedNamingTheNode() {
        assertRefused(model(replaceNode(2, node("LogSoftmax", "dense/Log", "a1", "z1"))),
                "node 3 (LogSoftmax 'dense/Log') is not the graph's last node; nnj has no log-softmax activation, and "
                        + "imports a LogSoftmax only where it ends a classifier, as the softmax whose logs it gives");
        NodeProto overTheBatch = NodeProto.newBuilder(node("LogSoftmax", "dense_2/Log", "probabilities", "z3"))
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                        .setI(0)).build();
        assertRefused(model(replaceNode(8, overTheBatch)), "node 9 (LogSoftmax 'dense_2/Log') has axis 0; on a "
                + "(batch, classes) tensor nnj imports a log-softmax over the classes, axis 1 or -1");
        float[] perUnit = new float[32];
        java.util.Arrays.fill(perUnit, 0.25f);
        perUnit[7] = 0.5f;
        assertRefused(model(replaceNode(2, node("PRelu", "prelu", "a1", "z1", "slope"))
                        .addInitializer(floats("slope", perUnit, 32))),
                "node 3 (PRelu 'prelu') has 32 slopes, not all the same (0.25 and 0.5 at 7); nnj imports a PRelu with "
                        + "one slope for every unit (PyTorch's nn.PReLU() with num_parameters = 1), as a leaky ReLU");
        assertRefused(model(replaceNode(2, node("PRelu", "prelu", "a1", "z1", "slope"))
                        .addInitializer(floats("slope", new float[] {-0.25f}, 1))),
                "node 3 (PRelu 'prelu') has slope -0.25; nnj's leaky_relu takes an alpha that is finite and at "
                        + "least 0");
        NodeProto negativeAlpha = NodeProto.newBuilder(node("LeakyRelu", "leaky", "a1", "z1"))
                .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(-0.1f)).build();
        assertRefused(model(replaceNode(2, negativeAlpha)),
                "node 3 (LeakyRelu 'leaky') has alpha -0.1; nnj's leaky_relu takes an alpha that is finite and at "
                        + "least 0");
        assertRefused(model(replaceNode(2, node("Conv", "conv", "a1", "z1"))),
                "node 3 (Conv 'conv'): nnj imports chains of Gemm, MatMul and Add, Relu, Sigmoid, Tanh, LeakyRelu, "
                        + "PRelu (one slope), Elu, Softmax (or LogSoftmax at the end), Identity, Dropout, Flatten and "
                        + "Reshape of the input, with Cast, Add, Sub, Mul, Div by constants and BatchNormalization "
                        + "folded into a Dense; Conv is not one of them");
        // A skip connection: the second MatMul reads the first layer's pre-activation.
        assertRefused(model(replaceNode(4, node("MatMul", "dense_1/MatMul", "m2", "z1", "w2"))),
                "node 5 (MatMul 'dense_1/MatMul') reads 'z1', not 'a1', the output of the node before it; nnj imports "
                        + "a graph that is one chain");
        assertRefused(model(replaceNode(1, node("Add", "dense/BiasAdd", "z1", "m1", "features"))),
                "node 2 (Add 'dense/BiasAdd') reads 'features', which is neither an initializer nor a Constant; nnj "
                        + "imports a graph that is one chain");
        // SiLU as PyTorch exports it: Sigmoid, then Mul by the tensor it read.
        assertRefused(model(replaceNode(2, node("Sigmoid", "silu/Sigmoid", "s1", "z1"))
                        .addNode(3, node("Mul", "silu/Mul", "a1", "z1", "s1"))),
                "node 4 (Mul 'silu/Mul') reads 'z1', which is neither an initializer nor a Constant; nnj imports a "
                        + "graph that is one chain (a Mul of two tensors: an activation written as several nodes, "
                        + "such as SiLU x·sigmoid(x) or GELU, which nnj does not have)");
        // Arithmetic between two activations: no Dense to fold it into.
        assertRefused(model(kerasGraph().setNode(4, node("MatMul", "dense_1/MatMul", "m2", "s1", "w2"))
                        .addNode(3, node("Mul", "between", "p1", "a1", "b1"))
                        .addNode(4, node("Sigmoid", "squash", "s1", "p1"))),
                "node 4 (Mul 'between') computes between node 1 (MatMul 'dense/MatMul') and node 5 (Sigmoid 'squash'); "
                        + "nnj folds arithmetic between layers into the Dense after it, or into a Dense without "
                        + "activation before it");
        // Parameters that are not finite: read from the file, or made by a fold (a division by zero).
        float[] withNaN = random(new Random(3), 32, 0.1);
        withNaN[5] = Float.NaN;
        assertRefused(model(kerasGraph().setInitializer(1, floats("b1", withNaN, 1, 32))),
                "node 1 (MatMul 'dense/MatMul'): its bias (output 5) is NaN; nnj imports finite parameters");
        float[] zeroAt7 = new float[64];
        java.util.Arrays.fill(zeroAt7, 0.3f);
        zeroAt7[7] = 0f;
        assertRefused(model(normalisingGraph().setInitializer(6, floats("std", zeroAt7, 64))),
                "node 4 (MatMul 'dense/MatMul'): its weight (input 7, output 0) is -Infinity once node 1 (Mul "
                        + "'scale') and the arithmetic after it are folded into it; nnj imports finite parameters");
        NodeProto training = NodeProto.newBuilder(node("BatchNormalization", "bn", "n1", "z1", "b1", "b1", "b1",
                "b1")).addAttribute(AttributeProto.newBuilder().setName("training_mode")
                .setType(AttributeProto.AttributeType.INT).setI(1)).build();
        assertRefused(model(kerasGraph().setNode(2, node("Relu", "dense/Relu", "a1", "n1")).addNode(2, training)),
                "node 3 (BatchNormalization 'bn') is in training mode; nnj imports a batch normalization at "
                        + "inference, with its running mean and variance (export the model in eval mode)");
        NodeProto transposedA = NodeProto.newBuilder(node("Gemm", "fc", "z1", "features", "w1", "b1"))
                .addAttribute(AttributeProto.newBuilder().setName("transA").setType(AttributeProto.AttributeType.INT)
                        .setI(1)).build();
        assertRefused(model(kerasGraph().setNode(0, transposedA).removeNode(1)),
                "node 1 (Gemm 'fc') has transA 1; nnj imports Gemm with transA = 0, the batch's rows as rows");
        TensorProto doubles = TensorProto.newBuilder().setName("w1").setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(64).addDims(32).setRawData(ByteString.copyFrom(new byte[64 * 32 * 8])).build();
        assertRefused(model(kerasGraph().setInitializer(0, doubles)),
                "node 1 (MatMul 'dense/MatMul'): weight 'w1' has element type double; nnj imports float32 weights "
                        + "(convert the model's weights to float32 first)");
        assertRefused(model(kerasGraph().setInitializer(1, floats("b1", new float[31], 31))),
                "node 2 (Add 'dense/BiasAdd'): the bias 'b1' has shape [31]; nnj imports one value per output: (32) "
                        + "or (1, 32)");
        assertRefused(model(kerasGraph().setInput(0, matrix("features", 60))),
                "the input 'features' has 60 features, node 1 (MatMul 'dense/MatMul') takes 64");
        // Arithmetic on a softmax's output: no Dense without activation to fold it into.
        assertRefused(model(kerasGraph().setOutput(0, matrix("shifted", 10))
                        .addInitializer(floats("c", new float[1], 1))
                        .addNode(node("Add", "shift", "shifted", "probabilities", "c"))),
                "node 10 (Add 'shift') computes on the output of node 9 (Softmax 'dense_2/Softmax'), the softmax of "
                        + "node 8 (MatMul 'dense_2/MatMul'); nnj folds arithmetic on the output into a Dense without "
                        + "activation right before it");
        assertRefused(model(normalisingGraph().setNode(3, node("Relu", "early", "m1", "x3"))
                        .setNode(4, node("MatMul", "dense/MatMul", "z1", "m1", "w1"))),
                "node 1 (Mul 'scale') computes on the input, and node 4 (Relu 'early') follows; nnj folds arithmetic "
                        + "on the input into the Dense right after it");
        NodeProto toInt = NodeProto.newBuilder(node("Cast", "to_int", "m0", "features")).addAttribute(
                AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT).setI(7)).build();
        assertRefused(model(kerasGraph().addNode(0, toInt).setNode(1, node("MatMul", "dense/MatMul", "m1", "m0",
                        "w1"))),
                "node 1 (Cast 'to_int') casts to type int64; nnj folds casts to float or double only");
        ValueInfoProto int64Input = ValueInfoProto.newBuilder().setName("features").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE))).build();
        assertRefused(model(kerasGraph().setInput(0, int64Input)),
                "the input 'features' has element type int64; nnj imports a float32 input");
        // Nodes that all fold away: no layer to build (nnj's own export of a model of dropout layers alone).
        assertRefused(model(GraphProto.newBuilder().addInput(matrix("features", 64)).addOutput(matrix("out", 64))
                        .addNode(node("Dropout", "drop", "out", "features"))),
                "the graph computes no layer: its nodes are identities, casts, dropouts or flattens; nnj imports a "
                        + "network of at least one Gemm, MatMul or activation");
        assertRefused(model(normalisingGraph().setInitializer(5, floats("mean", new float[3], 3))),
                "node 2 (Sub 'centre'): its constant has 3 values; on the 64 columns there nnj folds one value, or "
                        + "one per column");
        // A shape that claims more values than the data holds is refused before anything is allocated for it.
        TensorProto claimsMore = TensorProto.newBuilder().setName("mean").setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(200_000_000).setRawData(ByteString.copyFrom(new byte[8])).build();
        assertRefused(model(normalisingGraph().setInitializer(5, claimsMore)),
                "node 2 (Sub 'centre'): constant 'mean': shape [200000000] needs 1600000000 bytes of raw data, the "
                        + "file has 8");
        // (As a weight: a constant of two dimensions for arithmetic must be (1, n), see above.)
        TensorProto overflows = claimsMore.toBuilder().setName("w1").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .clearDims().addDims(1L << 33).addDims(1L << 33).build();
        assertRefused(model(kerasGraph().setInitializer(0, overflows)),
                "tensor 'w1' has shape [8589934592, 8589934592], more values than a Java array holds");
        assertRefused(model(kerasGraph().setOutput(0, matrix("a2", 16))),
                "the chain of nodes from input 'features' ends at 'probabilities', not at the graph's output 'a2'; nnj "
                        + "imports a graph that is one chain");
    }

    @Test
    void aFileThatIsNotOnnxIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve("model.onnx");
        java.nio.file.NoSuchFileException missing = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> OnnxImporter.load(file, backend));
        assertEquals(file + ": does not exist", missing.getMessage());
        Files.write(file, new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(file, backend));
        assertTrue(e.getMessage().startsWith(file + ": not an ONNX model ("), e.getMessage());
        // A safetensors file under an ONNX name: said so.
        byte[] header = "{\"__metadata__\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, java.nio.ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(file, backend));
        assertTrue(e.getMessage().endsWith("; it is a safetensors file: give it a name that does not end in .onnx"),
                e.getMessage());
        Files.write(file, model(replaceNode(2, node("Conv", "conv", "a1", "z1"))).toByteArray());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(file, backend));
        assertTrue(e.getMessage().startsWith(file + ": node 3 (Conv 'conv')"), e.getMessage());
    }

    /**
     * Only a regular file is opened: opening a named pipe would wait for a writer for ever, so it is refused, saying
     * what it is, as a directory is; a symbolic link is followed.
     */
    @Test
    void whatIsNotARegularFileIsRefusedBeforeItIsOpened() throws Exception {
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
                () -> OnnxImporter.loadSaved(dir, backend));
        assertEquals(dir + ": is a directory, not a regular file; nnj reads an ONNX model from a file (copy the "
                + "model into one first)", e.getMessage());
        Path fifo = dir.resolve("fifo.onnx");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here: " + noMkfifo.getMessage());
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        Path link = dir.resolve("link.onnx");
        Files.createSymbolicLink(link, fifo);
        for (Path p : List.of(fifo, link)) {
            e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> assertThrows(java.nio.file.FileSystemException.class, () -> OnnxImporter.load(p, backend)));
            assertEquals(p + ": is a named pipe (FIFO), not a regular file; nnj reads an ONNX model from a file (copy "
                    + "the model into one first)", e.getMessage());
        }
        Path model = dir.resolve("model.onnx");
        Files.write(model, resource("torch_digits.onnx").toByteArray());
        Files.delete(link);
        Files.createSymbolicLink(link, model);
        OnnxImporter.load(link, backend).close();
    }

    /** The conversion's model file loads with ModelFiles and predicts what the ONNX file does. */
    @Test
    void theConversionWritesAnNnjModelFile() throws Exception {
        Path onnxFile = dir.resolve("torch_digits.onnx");
        ModelProto onnx = resource("torch_digits.onnx");
        Files.write(onnxFile, onnx.toByteArray());
        Path converted = dir.resolve("digits.safetensors");
        OnnxImporter.main(new String[] {onnxFile.toString(), converted.toString()});
        try (SavedModel saved = ModelFiles.load(converted, backend)) {
            compareWithOnnxRuntime(saved.model(), onnx);
        }
    }
}
