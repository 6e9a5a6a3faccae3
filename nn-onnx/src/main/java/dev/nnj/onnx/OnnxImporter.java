package dev.nnj.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.Architecture;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.onnx.proto.OnnxProto.AttributeProto;
import dev.nnj.onnx.proto.OnnxProto.GraphProto;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;
import dev.nnj.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import dev.nnj.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nnj.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a multilayer perceptron from an ONNX model as an nnj {@link Sequential}: a network trained in PyTorch or
 * Keras, exported to ONNX, then run (or trained on) with nnj's backends. The graph must be one chain from
 * its one input to its one output, of these operators (default domain, any opset):
 * <pre>
 *   Gemm(x, B, C)          Dense: W = B, or Bᵀ with transB = 1 (PyTorch's Linear); b = C, or 0 without it
 *                          (transA = 0 only; alpha scales W, beta scales b; C of shape (out) or (1, out))
 *   MatMul(x, W) [Add(·, b)]   Dense without, or with, a bias (Keras and tf2onnx)
 *   Relu  Sigmoid  Tanh  LeakyRelu(alpha)  Elu(alpha)  Softmax(axis = 1 or -1)
 *                          the activation of the Dense before it, or a layer of its own after another activation
 *   PRelu(x, slope)        with one slope for every unit (PyTorch's nn.PReLU(), its default): a LeakyRelu of that
 *                          alpha; a slope per unit is refused
 *   LogSoftmax(axis = 1 or -1)   as the graph's last node only (a classifier trained on its negative log-likelihood,
 *                          PyTorch's NLLLoss): imported as a Softmax, so the network gives the class probabilities,
 *                          e^y for the graph's log-probabilities y (the same arg-max); logged at INFO
 *   Identity  Dropout  Flatten(axis = 1)   the identity on a (batch, features) input: left out; an input of more
 *                                        dimensions, such as images (batch, 1, 8, 8), is read flattened, row-major,
 *                                        as (batch, 64), when a Flatten(axis = 1) comes first, or a Reshape to
 *                                        (batch, 64) (Keras's Flatten through tf2onnx)
 *                                        (a Dropout exported in training mode too, as at inference: logged at INFO)
 *   Cast  Add  Sub  Mul  Div     by constants (one per column, or one), and BatchNormalization at inference: one
 *   BatchNormalization           affine map per column, folded into a Dense ({@link AffineMap}): before the first
 *                                Dense into its input (a scaler in the graph); between layers into the Dense after
 *                                it, or, before an activation, into the Dense without activation before it (PyTorch's
 *                                Linear, BatchNorm1d, ReLU); after the last Dense, when it has no activation, into
 *                                it (a regression's target scaler undone)
 *   Identity of a weight         PyTorch's copy of an initializer: the same constant
 *   Transpose of a weight        PyTorch's W.t() exported without constant folding: the transposed constant
 *   Cast of a weight             to float or double: the constant it computes (a float64 model's weights, cast to
 *                                float in the graph)
 * </pre>
 * {@code B}, {@code W}, {@code C} and {@code b} are float32 initializers (or {@code Constant} nodes). Each Dense is
 * {@code y = f(x·W + b)} with {@code W} of shape {@code (in, out)}, nnj's layout, so the imported network computes
 * what the graph computes, up to float rounding: {@code OnnxImporterTest} compares it with ONNX Runtime on the same
 * file, but for a final LogSoftmax, whose exponentials it computes. Anything else (a convolution, a LogSoftmax
 * before the end, a graph with branches) is refused with an
 * {@link OnnxImportException} that names the node and its operator, before any layer is built.
 *
 * <p>{@link #loadSaved} reads a file as a {@link SavedModel}, with the preprocessing nnj's own export keeps in the
 * file's metadata ({@link ModelFiles#load} does the same for a {@code *.onnx} file, through
 * {@link OnnxModelFileFormat}); a graph nnj exported taking raw features then comes back as the model it was, its
 * scaler as preprocessing rather than folded into the weights. The weights are copied, so the ONNX file is not needed
 * afterwards; {@link #main} converts an ONNX file to nnj's model file, as {@code ./digits convert} does.
 *
 * <p>A model nnj exported carries its checksum ({@link OnnxExporter#CHECKSUM_KEY}), checked before anything else: one
 * damaged, cut short or changed by another tool since is refused, not loaded as another model. A model without it
 * (from PyTorch, Keras, or nnj before it) has no integrity check: ONNX has none.
 */
public final class OnnxImporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);
    /** Zeros until the file's values are written; summaries say where the weights came from. */
    private static final Initializer FROM_ONNX = Initializer.placeholder("onnx");

    private OnnxImporter() {
    }

    /** One layer of the chain, before it is built: a Dense (weights in nnj's layout) or an activation alone. */
    private static final class Step {
        final int units;
        float[] weight;
        float[] bias;
        Activation activation = Activation.IDENTITY;
        float alpha;
        /** Whether an {@code Add} may still give this MatMul's Dense its bias. */
        boolean awaitingBias;
        /** Arithmetic between the layer before and this Dense, folded into its input; null for none. */
        AffineMap before;
        /** Arithmetic on this Dense's {@code x·W + b}, before its activation, folded into it; null for none. */
        AffineMap after;
        /** The first node folded into this Dense, for messages; null for none. */
        String foldedFrom;
        /** The node of a Dense's activation when it is a node of its own (Gemm, then Softmax), for messages. */
        String activationNode;
        /** The final LogSoftmax this step's softmax stands for ({@link #noteLogSoftmax}); null for none. */
        String logSoftmax;
        final String node;

        private Step(int units, float[] weight, float[] bias, String node) {
            this.units = units;
            this.weight = weight;
            this.bias = bias;
            this.node = node;
        }

        static Step dense(int units, float[] weight, float[] bias, String node) {
            return new Step(units, weight, bias, node);
        }

        static Step activation(Activation f, float alpha, String node) {
            Step s = new Step(0, null, null, node);
            s.activation = f;
            s.alpha = alpha;
            return s;
        }

        boolean isDense() {
            return weight != null;
        }

        /** This Dense with {@code map} applied to its input first ({@link AffineMap#foldIntoInput}). */
        void foldIntoInput(AffineMap map) {
            float[][] folded = map.foldIntoInput(weight, bias, weight.length / units);
            weight = folded[0];
            bias = folded[1];
            foldedFrom = foldedFrom == null ? map.first() : foldedFrom;
        }

        /** This Dense with {@code map} applied to {@code x·W + b} ({@link AffineMap#foldIntoOutput}). */
        void foldIntoOutput(AffineMap map) {
            float[][] folded = map.foldIntoOutput(weight, bias, weight.length / units);
            weight = folded[0];
            bias = folded[1];
            foldedFrom = foldedFrom == null ? map.first() : foldedFrom;
        }

        /**
         * Refuses a weight or bias that is not finite, naming where: as read from the file, or once arithmetic was
         * folded into it (a division by a zero, a batch norm's variance below -ε).
         */
        void requireFinite() {
            int out = units;
            for (int i = 0; i < weight.length; i++) {
                if (!Float.isFinite(weight[i])) {
                    throw notFinite("weight (input " + i / out + ", output " + i % out + ")", weight[i]);
                }
            }
            for (int j = 0; bias != null && j < bias.length; j++) {
                if (!Float.isFinite(bias[j])) {
                    throw notFinite("bias (output " + j + ")", bias[j]);
                }
            }
        }

        private OnnxImportException notFinite(String what, float value) {
            return new OnnxImportException(node + ": its " + what + " is " + value + (foldedFrom == null ? ""
                    : " once " + foldedFrom + " and the arithmetic after it are folded into it")
                    + "; nnj imports finite parameters");
        }
    }

    /**
     * Reads an ONNX model file and imports its network onto {@code backend}.
     *
     * @param file    the {@code .onnx} file
     * @param backend where the network's parameters live
     * @return a new network the caller owns (and closes)
     * @throws IOException            if the file does not exist, is not a regular file (a directory, a named pipe),
     *                                or cannot be read
     * @throws OnnxImportException    if it is not an ONNX model, does not match its checksum, or is not a network nnj
     *                                imports (see the class comment)
     */
    public static Sequential load(Path file, Backend backend) throws IOException {
        return fromOnnx(read(file), file, backend);
    }

    /**
     * Reads an ONNX model file as a saved model: its network, as {@link #load}, with the preprocessing and metadata
     * the file carries ({@link #toSavedModel}). Serve from this: {@link SavedModel#predict} then takes what the
     * model took before nnj exported it.
     *
     * @param file    the {@code .onnx} file
     * @param backend where the network's parameters live
     * @return the network, its preprocessing and the file's metadata; the caller closes it
     * @throws IOException         if the file does not exist, is not a regular file (a directory, a named pipe), or
     *                             cannot be read
     * @throws OnnxImportException if it is not an ONNX model, does not match its checksum, is not a network nnj
     *                             imports, or its nnj metadata does not fit its graph
     */
    public static SavedModel loadSaved(Path file, Backend backend) throws IOException {
        return toSavedModel(read(file), file, backend);
    }

    /**
     * As {@link #loadSaved(Path, Backend)}, for an ONNX file's bytes: a model packaged as a class-path resource
     * ({@code OnnxImporter.loadSaved(getClass().getResourceAsStream("/mlp.onnx"), "mlp.onnx", backend)}), or one
     * downloaded. The stream is read to its end, and closed.
     *
     * @param in      the file's bytes
     * @param name    what messages call it, e.g. the resource's path
     * @param backend where the network's parameters live
     * @return the network, its preprocessing and the file's metadata; the caller closes it
     * @throws IOException         if reading the stream fails
     * @throws OnnxImportException if the bytes are not an ONNX model, do not match their checksum, are not a network
     *                             nnj imports, or its nnj metadata does not fit its graph, naming {@code name}
     * @throws NullPointerException if an argument is null (a resource that does not exist gives a null stream)
     */
    public static SavedModel loadSaved(InputStream in, String name, Backend backend) throws IOException {
        if (in == null) {
            throw new NullPointerException("loadSaved: in is null (no such resource as " + name + "?)");
        }
        ModelProto model;
        try (in) {
            model = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(name + ": not an ONNX model (" + e.getMessage() + ")");
        }
        return namingFile(name, () -> toSavedModel(model, backend));
    }

    /** {@link #toSavedModel(ModelProto, Backend)}, its errors naming the file. */
    private static SavedModel toSavedModel(ModelProto model, Path file, Backend backend) {
        return namingFile(file, () -> toSavedModel(model, backend));
    }

    /** {@code importer.get()}, an {@link OnnxImportException} from it naming the file (or stream) first. */
    private static <T> T namingFile(Object file, Supplier<T> importer) {
        try {
            return importer.get();
        } catch (OnnxImportException e) {
            throw new OnnxImportException(file + ": " + e.getMessage());
        }
    }

    /**
     * Imports an ONNX model as a saved model: its network with the preprocessing its {@code metadata_props} carry.
     * <ul>
     *   <li>A graph from elsewhere has none: {@link Preprocessing#none()}, the network as {@link #fromOnnx}.</li>
     *   <li>A graph nnj exported taking scaled features: the network, and the saved preprocessing with its scaler,
     *       which {@link SavedModel#predict} applies first, as before the export.</li>
     *   <li>A graph nnj exported taking raw features: its scaler's nodes (and a regression's target scaler's) are
     *       checked against the scalers in its metadata, then left out of the network and handed back as its
     *       preprocessing, so the import is the model that was exported, weights and scalers to the bit, and not a
     *       network with its scaler folded into the first layer's weights. A graph whose arithmetic no longer
     *       matches its metadata is refused.</li>
     * </ul>
     *
     * @param model   the ONNX model message
     * @param backend where the network's parameters live
     * @return the network, its preprocessing and the model's metadata entries; the caller closes it
     * @throws OnnxImportException if it does not match its checksum, is not a network nnj imports, or its nnj metadata
     *                             does not fit its graph
     */
    public static SavedModel toSavedModel(ModelProto model, Backend backend) {
        OnnxChecksum.verify(model);
        Map<String, String> metadata = OnnxMetadata.entries(model);
        Preprocessing preprocessing = OnnxMetadata.preprocessing(metadata);
        boolean rawFeatures = OnnxMetadata.takesRawFeatures(metadata);
        Chain chain = chain(model);
        if (!rawFeatures) {
            requireScalersNotInGraph(chain, preprocessing);
            foldInputMap(chain);
            foldOutputMap(chain);
        }
        Sequential network = build(chain.steps, inputWidth(chain.input, chain.steps), backend);
        try {
            String mismatch = preprocessing.whyNotFor(network);
            if (mismatch != null) {
                throw new OnnxImportException("metadata '" + ModelFiles.PREPROCESSING_KEY + "': " + mismatch);
            }
            if (rawFeatures) {
                requireScalers(chain, preprocessing, network.inputWidth(), network.outputWidth());
            }
            noteLogSoftmax(chain);
            return new SavedModel(network, preprocessing, metadata);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /**
     * A graph read as taking scaled features (its {@value OnnxExporter#INPUT_KEY} entry says so, or is missing) whose
     * own arithmetic is its metadata's feature scaler, or its target scaler's inverse, is refused: {@link
     * SavedModel#predict} would apply the scaler again. nnj's raw-features export, its {@value OnnxExporter#INPUT_KEY}
     * entry edited or cut off (a trial's digits classifier fell from accuracy 0.9361 to 0.8722 without a word).
     */
    private static void requireScalersNotInGraph(Chain chain, Preprocessing p) {
        Object scaler = p.minMaxScaler() != null ? p.minMaxScaler() : p.standardScaler();
        Object target = p.targetMinMaxScaler() != null ? p.targetMinMaxScaler() : p.targetStandardScaler();
        String twice = null;
        if (scaler != null && !chain.inputMap.isEmpty() && chain.inputMap.difference(
                ScalerArithmetic.map(ScalerArithmetic.forward(scaler)), p.features()) == null) {
            twice = "input computes the feature scaler";
        } else if (target != null && !chain.outputMap.isEmpty() && chain.outputMap.difference(
                ScalerArithmetic.map(ScalerArithmetic.inverse(target)), p.targets()) == null) {
            twice = "output computes the inverse of the target scaler";
        }
        if (twice != null) {
            throw new OnnxImportException("the graph's arithmetic on its " + twice + " its metadata '"
                    + ModelFiles.PREPROCESSING_KEY + "' holds, yet its metadata '" + OnnxExporter.INPUT_KEY + "' "
                    + "reads as \"" + OnnxExporter.Input.SCALED_FEATURES.label()
                    + "\" (said or missing): predict would apply the scaler twice. nnj exported it taking raw "
                    + "features; give it '" + OnnxExporter.INPUT_KEY + "' = \""
                    + OnnxExporter.Input.RAW_FEATURES.label() + "\" again, or load it with OnnxImporter.load, which "
                    + "folds the graph's arithmetic into the network and keeps no scaler");
        }
    }

    /**
     * A raw-features graph's arithmetic must be its metadata's scalers' ({@link ScalerArithmetic}): on the input the
     * feature scaler, on the output the target scaler's inverse, or none where the metadata has none.
     */
    private static void requireScalers(Chain chain, Preprocessing p, int inputs, int outputs) {
        Object scaler = p.minMaxScaler() != null ? p.minMaxScaler() : p.standardScaler();
        Object target = p.targetMinMaxScaler() != null ? p.targetMinMaxScaler() : p.targetStandardScaler();
        AffineMap input = scaler == null ? new AffineMap() : ScalerArithmetic.map(ScalerArithmetic.forward(scaler));
        AffineMap output = target == null ? new AffineMap() : ScalerArithmetic.map(ScalerArithmetic.inverse(target));
        String inputDifference = chain.inputMap.difference(input, inputs);
        String outputDifference = chain.outputMap.difference(output, outputs);
        if (inputDifference != null || outputDifference != null) {
            throw new OnnxImportException("the graph's arithmetic on its " + (inputDifference != null
                    ? "input is not the scaler" : "output is not the inverse of the target scaler") + " its metadata '"
                    + ModelFiles.PREPROCESSING_KEY + "' holds (" + (inputDifference != null ? inputDifference
                    : outputDifference) + "): the graph was changed after nnj exported it");
        }
    }

    /**
     * The file's ONNX model, unchecked. Anything but a regular file (after symbolic links) is refused before it is
     * opened: opening a named pipe waits, for ever, until some other process writes to it, and a device or a
     * directory holds no model.
     */
    private static ModelProto read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new FileSystemException(file.toString(), null, "is " + kindOfFile(file) + ", not a regular file; "
                    + "nnj reads an ONNX model from a file (copy the model into one first)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(file + ": not an ONNX model (" + e.getMessage() + ")"
                    + safetensorsHint(file));
        }
    }

    /**
     * What a path that is not a regular file is, for messages: "a directory", "a named pipe (FIFO)", ... from its
     * Unix file mode where the file system gives one, else "something else".
     */
    private static String kindOfFile(Path file) {
        if (Files.isDirectory(file)) {
            return "a directory";
        }
        try {
            switch ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) {   // S_IFMT
                case 0010000:
                    return "a named pipe (FIFO)";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    return "something else";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "something else";
        }
    }

    /**
     * A hint for a file that protobuf cannot read: a safetensors file under an ONNX name starts with its header's
     * length, 8 bytes little-endian, and then the header's '{'.
     */
    private static String safetensorsHint(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return head.length == 9 && head[8] == '{' && head[7] == 0 && head[6] == 0
                    ? "; it is a safetensors file: give it a name that does not end in .onnx" : "";
        } catch (IOException unreadable) {
            return "";
        }
    }

    /** {@link #fromOnnx(ModelProto, Backend)}, its errors naming the file. */
    private static Sequential fromOnnx(ModelProto model, Path file, Backend backend) {
        return namingFile(file, () -> fromOnnx(model, backend));
    }

    /**
     * Imports the network of an ONNX model onto {@code backend}.
     *
     * @param model   the ONNX model message
     * @param backend where the network's parameters live
     * @return a new network the caller owns (and closes)
     * @throws OnnxImportException if it does not match its checksum, or is not a network nnj imports (see the class
     *                             comment)
     */
    public static Sequential fromOnnx(ModelProto model, Backend backend) {
        OnnxChecksum.verify(model);
        Chain chain = chain(model);
        foldInputMap(chain);
        foldOutputMap(chain);
        Sequential network = build(chain.steps, inputWidth(chain.input, chain.steps), backend);
        noteLogSoftmax(chain);
        return network;
    }

    /**
     * Says at INFO that a final LogSoftmax came in as a softmax: the one operator not imported as what it computes.
     * The graph gives {@code y = ln p}; the network gives {@code p}, which is what a classifier's users read (predict,
     * the trainer's report, a Spark probability column), with the same arg-max.
     */
    private static void noteLogSoftmax(Chain chain) {
        String node = chain.steps.get(chain.steps.size() - 1).logSoftmax;
        if (node != null) {
            LOG.info("{} ends the graph: imported as a softmax, so the network gives the class probabilities p = e^y, "
                    + "where the graph gives their logs y", node);
        }
    }

    /**
     * The graph read as one chain: arithmetic by constants on the input, the layers, arithmetic on the output.
     *
     * @param input     the graph's data input
     * @param inputMap  the arithmetic before the first layer (a scaler in the graph), empty for none
     * @param steps     the layers, at least one
     * @param outputMap the arithmetic after the last layer (a regression's target scaler undone), empty for none
     * @param outputAt  the first node after the last layer, for messages; null when there is none
     */
    private record Chain(ValueInfoProto input, AffineMap inputMap, List<Step> steps, AffineMap outputMap,
                         String outputAt) {
    }

    /** Reads the graph's nodes into a {@link Chain}, refusing what nnj does not import, before any layer is built. */
    private static Chain chain(ModelProto model) {
        if (!model.hasGraph()) {
            // An empty file parses as a model of no fields: say what the user sees, not what protobuf does with it.
            throw new OnnxImportException(model.getSerializedSize() == 0 ? "the file is empty (no ONNX model in it)"
                    : "the model has no graph");
        }
        if (model.getOpsetImportCount() == 0) {
            // ONNX gives no default: a Softmax's axis, for one, depends on it. A file cut short just after its graph
            // (where protobuf-java writes opset_import) is left without one, and nnj writes it last.
            throw new OnnxImportException("the model imports no operator set (opset_import is empty), which ONNX "
                    + "requires (onnx.checker refuses it too); a file cut short has none: copy or export it again");
        }
        if (model.getOpsetImportList().stream().noneMatch(id -> id.getDomain().isEmpty()
                || id.getDomain().equals("ai.onnx"))) {
            // Every operator nnj imports is the default domain's, whose opset decides attributes' defaults.
            throw new OnnxImportException("the model imports no opset of the default domain (only "
                    + model.getOpsetImportList().stream().map(id -> "'" + id.getDomain() + "' " + id.getVersion())
                    .collect(java.util.stream.Collectors.joining(", ")) + "), which its operators need (onnx.checker "
                    + "refuses it too: \"No opset import for domain ''\")");
        }
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> constants = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (constants.put(t.getName(), t) != null) {
                throw new OnnxImportException("the graph has two initializers named '" + t.getName() + "'; ONNX "
                        + "requires distinct names (onnx.checker refuses it too), and which of the two the nodes "
                        + "read is ambiguous");
            }
        }
        requireEachNameDefinedOnce(graph);
        ValueInfoProto input = dataInput(graph, constants);
        if (graph.getOutputCount() != 1) {
            throw new OnnxImportException("the graph has " + graph.getOutputCount() + " outputs; nnj imports a "
                    + "network with one");
        }
        String output = graph.getOutput(0).getName();
        List<Step> steps = new ArrayList<>();
        AffineMap inputMap = new AffineMap();
        AffineMap pending = new AffineMap();
        String pendingAt = null;
        String current = input.getName();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            String where = where(i, node);
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw new OnnxImportException(where + " is in domain '" + node.getDomain() + "'; nnj imports the "
                        + "default domain's operators only");
            }
            if (node.getOutputCount() == 0 || node.getOutput(0).isEmpty()) {
                throw new OnnxImportException(where + " has no output");
            }
            KnownAttributes.check(node, where);
            if (node.getOpType().equals("Constant")) {
                constants.put(node.getOutput(0), constantValue(node, where));
                continue;
            }
            if (node.getOpType().equals("Identity") && node.getInputCount() == 1
                    && constants.containsKey(node.getInput(0))) {
                // PyTorch writes such copies of some weights: the copy is the same constant.
                constants.put(node.getOutput(0), constants.get(node.getInput(0)));
                continue;
            }
            if (node.getOpType().equals("Transpose") && node.getInputCount() == 1
                    && constants.containsKey(node.getInput(0))) {
                // PyTorch without constant folding writes x @ W.t() as a Transpose of the weight: a constant too.
                constants.put(node.getOutput(0), transposeConstant(node, constants.get(node.getInput(0)), where));
                continue;
            }
            if (node.getOpType().equals("Cast") && node.getInputCount() == 1
                    && constants.containsKey(node.getInput(0))) {
                // A weight kept in another precision and cast in the graph (a float64 model exported with casts to
                // float): the cast of a constant is a constant.
                constants.put(node.getOutput(0), castConstant(node, constants.get(node.getInput(0)), where));
                continue;
            }
            int data = requireChain(node, current, constants, where);
            if (current.equals(input.getName()) && node.getOpType().equals("Reshape")
                    && flattens(node, constants, input, where)) {
                // As Flatten(axis = 1): (batch, d1, d2, ...) to (batch, d1·d2·...); on (batch, features) the identity.
                current = node.getOutput(0);
                continue;
            }
            if (current.equals(input.getName()) && rank(input) > 2) {
                if (!node.getOpType().equals("Flatten")) {
                    throw new OnnxImportException("the input '" + input.getName() + "' is " + describe(input)
                            + ", and " + where + " reads it; nnj imports an input of more than two dimensions when a "
                            + "Flatten(axis = 1), or a Reshape to (batch, features), comes first");
                }
            }
            current = node.getOutput(0);
            if (steps.isEmpty() && scales(node, data, constants, inputMap, where)) {
                continue;
            }
            Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            if (last != null && isArithmetic(node, last)) {
                last.awaitingBias = false;   // an Add after other arithmetic is more arithmetic, not the bias
                scales(node, data, constants, pending, where);
                pendingAt = pendingAt == null ? where : pendingAt;
                continue;
            }
            boolean ends = current.equals(output);
            if (pending.isEmpty() || passesThrough(node)) {
                step(node, data, steps, constants, opset(model), ends, where);
                continue;
            }
            // Arithmetic between two layers: into the Dense after it, or into the Dense before an activation.
            boolean dense = node.getOpType().equals("Gemm") || node.getOpType().equals("MatMul");
            if (!dense && (!last.isDense() || last.activation != Activation.IDENTITY)) {
                throw new OnnxImportException(pendingAt + " computes between " + last.node + " and " + where
                        + "; nnj folds arithmetic between layers into the Dense after it, or into a Dense without "
                        + "activation before it");
            }
            if (!dense) {
                last.after = pending;
            }
            step(node, data, steps, constants, opset(model), ends, where);
            if (dense) {
                steps.get(steps.size() - 1).before = pending;
            }
            pending = new AffineMap();
            pendingAt = null;
        }
        if (!current.equals(output)) {
            throw new OnnxImportException("the chain of nodes from input '" + input.getName() + "' ends at '"
                    + current + "', not at the graph's output '" + output + "'; nnj imports a graph that is one chain");
        }
        if (steps.isEmpty() && inputMap.isEmpty()) {
            // Only nodes that fold away (Identity, Dropout, Flatten, casts): no layer to build, and a network of none
            // predicts nothing (nnj's own export of a model of dropout layers alone is such a graph).
            throw new OnnxImportException("the graph computes no layer: its nodes are identities, casts, dropouts or "
                    + "flattens; nnj imports a network of at least one Gemm, MatMul or activation");
        }
        if (!inputMap.isEmpty() && (steps.isEmpty() || !steps.get(0).isDense())) {
            throw new OnnxImportException(inputMap.first() + " computes on the input, and " + (steps.isEmpty()
                    ? "no Dense follows" : steps.get(0).node + " follows") + "; nnj folds arithmetic on the input "
                    + "into the Dense right after it");
        }
        for (Step step : steps) {
            foldBetweenLayers(step);
        }
        return new Chain(input, inputMap, steps, pending, pendingAt);
    }

    /** Whether a Dropout's third input, {@code training_mode} (opset 12 on), is the constant true. */
    private static boolean inTrainingMode(NodeProto node, Map<String, TensorProto> constants) {
        TensorProto mode = node.getInputCount() > 2 ? constants.get(node.getInput(2)) : null;
        if (mode == null) {
            return false;
        }
        for (byte b : mode.getRawData().toByteArray()) {
            if (b != 0) {
                return true;
            }
        }
        return mode.getInt32DataList().stream().anyMatch(v -> v != 0);   // bool values may be kept as int32_data
    }

    /** Folds the arithmetic recorded around a Dense between two layers into its weights (see {@link AffineMap}). */
    private static void foldBetweenLayers(Step dense) {
        if (dense.before != null) {
            dense.foldIntoInput(dense.before);
        }
        if (dense.after != null) {
            dense.foldIntoOutput(dense.after);
        }
    }

    /** Whether a node is the identity on a {@code (batch, features)} tensor, left out of the network. */
    private static boolean passesThrough(NodeProto node) {
        String op = node.getOpType();
        return op.equals("Identity") || op.equals("Dropout") || op.equals("Flatten");
    }

    /**
     * Whether a node after a layer is arithmetic by constants (folded into a Dense): a Cast, a BatchNormalization, or
     * an Add, Sub, Mul or Div that is not the bias of the MatMul (or Gemm without one) right before it.
     */
    private static boolean isArithmetic(NodeProto node, Step last) {
        String op = node.getOpType();
        return op.equals("Cast") || op.equals("BatchNormalization")
                || AffineMap.folds(op) && !(op.equals("Add") && last.awaitingBias);
    }

    /** Folds the chain's input arithmetic into its first Dense ({@link AffineMap#foldIntoInput}). */
    private static void foldInputMap(Chain chain) {
        if (!chain.inputMap.isEmpty()) {
            chain.steps.get(0).foldIntoInput(chain.inputMap);
        }
    }

    /**
     * Folds the chain's output arithmetic into its last Dense ({@link AffineMap#foldIntoOutput}), which must be the
     * last layer and have no activation: a regression's output.
     */
    private static void foldOutputMap(Chain chain) {
        if (chain.outputMap.isEmpty()) {
            return;
        }
        Step last = chain.steps.get(chain.steps.size() - 1);
        if (!last.isDense() || last.activation != Activation.IDENTITY) {
            String of = !last.isDense() ? last.node + ", an activation"
                    : last.activationNode != null ? last.activationNode + ", the " + last.activation.label() + " of "
                    + last.node : last.node + ", whose activation is " + last.activation.label();
            throw new OnnxImportException(chain.outputAt + " computes on the output of " + of + "; nnj folds "
                    + "arithmetic on the output into a Dense without activation right before it");
        }
        last.foldIntoOutput(chain.outputMap);
    }

    /** A node for messages: {@code node 3 (Gemm 'fc1')}, numbered from 1. */
    private static String where(int index, NodeProto node) {
        return "node " + (index + 1) + " (" + describe(node) + ")";
    }

    /**
     * Refuses a node output that names a tensor the graph already has: an initializer, a graph input, or an earlier
     * node's output. ONNX graphs are in SSA form, each name defined once (onnx.checker refuses the rest); a Constant
     * whose output is also an initializer's name would otherwise decide silently which of the two values a Gemm
     * reads. An initializer may also be a graph input, as older exports list them.
     */
    private static void requireEachNameDefinedOnce(GraphProto graph) {
        Map<String, String> definedBy = new HashMap<>();
        for (ValueInfoProto v : graph.getInputList()) {
            definedBy.put(v.getName(), "the graph input");
        }
        for (TensorProto t : graph.getInitializerList()) {
            definedBy.put(t.getName(), "an initializer");
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            for (String out : node.getOutputList()) {
                String before = out.isEmpty() ? null : definedBy.putIfAbsent(out, where(i, node));
                if (before != null) {
                    throw new OnnxImportException(where(i, node) + " writes '" + out + "', which " + before
                            + " already defines; ONNX defines each name once (SSA form; onnx.checker refuses it "
                            + "too), and which of the two values the nodes after it read is ambiguous");
                }
            }
        }
    }

    /** The graph's one input that is not an initializer (older exporters list the initializers as inputs too). */
    private static ValueInfoProto dataInput(GraphProto graph, Map<String, TensorProto> constants) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            // Weights given as graph inputs rather than initializers: what torch.onnx.export(export_params=False)
            // writes, a graph whose weights stay outside the file.
            String noWeights = inputs.size() > 1 && graph.getInitializerCount() == 0 ? " ("
                    + inputs.stream().skip(1).limit(3).map(v -> "'" + v.getName() + "'")
                            .collect(java.util.stream.Collectors.joining(", "))
                    + (inputs.size() > 4 ? ", …" : "") + " and no initializers: a graph exported without its "
                    + "weights, as torch.onnx.export(..., export_params=False) writes; export it with them)" : "";
            throw new OnnxImportException("the graph has " + inputs.size() + " data inputs; nnj imports a network "
                    + "with one, of shape (batch, features)" + noWeights);
        }
        ValueInfoProto in = inputs.get(0);
        if (in.getType().hasTensorType()) {
            int elem = in.getType().getTensorType().getElemType();
            if (elem != TensorProto.DataType.FLOAT_VALUE) {
                throw new OnnxImportException("the input '" + in.getName() + "' has element type "
                        + OnnxTensors.typeName(elem) + "; nnj imports a float32 input");
            }
            TensorShapeProto shape = in.getType().getTensorType().getShape();
            if (in.getType().getTensorType().hasShape() && shape.getDimCount() < 2) {
                throw new OnnxImportException("the input '" + in.getName() + "' has " + shape.getDimCount()
                        + " dimensions; nnj imports a network whose input is (batch, features)");
            }
        }
        return in;
    }

    /**
     * The node's data input is the chain's current tensor, and its other inputs are constants.
     *
     * @return the data input's index: 0, or 1 for an Add, Mul or Sub whose constant comes first ({@code c − x} is
     *         affine too; {@code c / x} is not)
     */
    private static int requireChain(NodeProto node, String current, Map<String, TensorProto> constants,
                                    String where) {
        // Add and Mul commute; Sub with its constant first is c − x, still affine (Div's would not be).
        boolean constantMayComeFirst = node.getOpType().equals("Add") || node.getOpType().equals("Mul")
                || node.getOpType().equals("Sub");
        int data = node.getInputCount() > 0 && node.getInput(0).equals(current) ? 0
                : constantMayComeFirst && node.getInputCount() == 2 && node.getInput(1).equals(current) ? 1 : -1;
        if (data < 0) {
            int at = node.getInputList().indexOf(current);
            if (at > 0) {
                // A chain still, but the data in a place nnj does not fold: name that, not a broken chain.
                throw new OnnxImportException(where + " takes the data, '" + current + "', as its input " + (at + 1)
                        + ": " + dataSecond(node.getOpType()));
            }
            throw new OnnxImportException(where + " reads '" + (node.getInputCount() == 0 ? "" : node.getInput(0))
                    + "', not '" + current + "', the output of the node before it; nnj imports a graph that is one "
                    + "chain");
        }
        for (int j = 0; j < node.getInputCount(); j++) {
            String name = node.getInput(j);
            if (j != data && !name.isEmpty() && !constants.containsKey(name)) {
                // An earlier tensor times the current one is most often an activation nnj does not have, written
                // as several nodes: SiLU x·sigmoid(x), GELU's tanh form.
                String built = node.getOpType().equals("Mul") ? " (a Mul of two tensors: an activation written as "
                        + "several nodes, such as SiLU x·sigmoid(x) or GELU, which nnj does not have)" : "";
                throw new OnnxImportException(where + " reads '" + name + "', which is neither an initializer nor "
                        + "a Constant; nnj imports a graph that is one chain" + built);
            }
        }
        return data;
    }

    /** Why a node of type {@code op} with the chain's data after its first input is not imported. */
    private static String dataSecond(String op) {
        switch (op) {
            case "Div":
                return "c / x, which is not an affine map of x; nnj folds a division of x by a constant (x / c)";
            case "MatMul":
            case "Gemm":
                return "W · x, the weight on the left; nnj imports x · W, the data first (MatMul(x, W), "
                        + "Gemm(x, B, C); export the layer as PyTorch's nn.Linear does)";
            default:
                return "nnj imports " + op + " with the data as its first input";
        }
    }

    /**
     * Takes a {@code Cast} to float or double (the identity here: the folded map is computed in double), an Add, Sub,
     * Mul or Div by a constant, or a BatchNormalization into {@code map}, and says whether it did.
     */
    private static boolean scales(NodeProto node, int data, Map<String, TensorProto> constants, AffineMap map,
                                  String where) {
        String op = node.getOpType();
        if (op.equals("Cast")) {
            castType(node, where);
            return true;
        }
        if (op.equals("BatchNormalization")) {
            batchNormalization(node, constants, map, where);
            return true;
        }
        if (!AffineMap.folds(op)) {
            return false;
        }
        if (node.getInputCount() != 2) {
            throw new OnnxImportException(where + " has " + node.getInputCount() + " inputs; " + op + " takes two");
        }
        // Sub with its constant first is c − x: the map's "from" step (PyTorch writes 1 - x so).
        map.add(op.equals("Sub") && data == 1 ? AffineMap.SUBTRACT_FROM : op,
                rowBroadcastConstant(node, 1 - data, constants, where), where);
        return true;
    }

    /**
     * The constant of an Add, Sub, Mul or Div on {@code (batch, features)} data, as doubles, when ONNX broadcasts it
     * along the rows, the same for every row: a scalar, or a shape of {@code (n)} or {@code (1, n)} (the value count,
     * one or one per column, is {@link AffineMap}'s check). A {@code (n, 1)} constant broadcasts along the columns
     * instead, scaling row {@code i} by {@code c_i}, and only for a batch of {@code n} rows: read as one value per
     * column it would compute another function, so it is refused, as a bias of that shape is.
     */
    private static double[] rowBroadcastConstant(NodeProto node, int index, Map<String, TensorProto> constants,
                                                 String where) {
        TensorProto c = constant(node, index, constants, where, "constant");
        long[] dims = OnnxTensors.dims(c);
        if (dims.length > 2 || dims.length == 2 && dims[0] != 1) {
            throw new OnnxImportException(where + ": its constant '" + c.getName() + "' has shape "
                    + Arrays.toString(dims) + ", which ONNX broadcasts " + (dims.length == 2 ? "along the columns "
                    + "(row i by value i, for a batch of " + dims[0] + " rows)" : "to " + dims.length + " dimensions")
                    + "; nnj folds a constant that is the same for every row: a scalar, (n) or (1, n)");
        }
        return OnnxTensors.doubles(c, where + ": constant '" + c.getName() + "'");
    }

    /** A Cast's target type, float or double: the casts nnj folds. */
    private static int castType(NodeProto node, String where) {
        long to = intAttribute(node, "to", 0);
        if (to != TensorProto.DataType.FLOAT_VALUE && to != TensorProto.DataType.DOUBLE_VALUE) {
            throw new OnnxImportException(where + " casts to type " + OnnxTensors.typeName((int) to)
                    + "; nnj folds casts to float or double only");
        }
        return (int) to;
    }

    /**
     * The constant that a Cast of a constant computes, named as the Cast's output: float32 values rounded to nearest,
     * as the cast rounds them, or float64 ones.
     */
    private static TensorProto castConstant(NodeProto node, TensorProto constant, String where) {
        int to = castType(node, where);
        double[] values = OnnxTensors.doubles(constant, where + ": constant '" + constant.getName() + "'");
        return constant(node.getOutput(0), to, constant.getDimsList(), values);
    }

    /**
     * A float or double constant of {@code dims} holding {@code values} (row-major), float32 ones rounded to nearest,
     * as a node's output named {@code name}.
     */
    private static TensorProto constant(String name, int type, List<Long> dims, double[] values) {
        boolean isFloat = type == TensorProto.DataType.FLOAT_VALUE;
        ByteBuffer raw = ByteBuffer.allocate(values.length * (isFloat ? Float.BYTES : Double.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);   // ONNX's raw_data is little-endian
        for (double v : values) {
            if (isFloat) {
                raw.putFloat((float) v);
            } else {
                raw.putDouble(v);
            }
        }
        return TensorProto.newBuilder().setName(name).setDataType(type).addAllDims(dims)
                .setRawData(ByteString.copyFrom(raw.flip())).build();
    }

    /**
     * The Transpose of a 2-D float constant (a weight): its {@code perm} absent or {@code [1, 0]} swaps the axes,
     * {@code [0, 1]} keeps them; a vector's is the vector. Other ranks and element types are refused, naming the
     * node.
     */
    private static TensorProto transposeConstant(NodeProto node, TensorProto constant, String where) {
        String what = where + ": constant '" + constant.getName() + "'";
        int type = constant.getDataType();
        List<Long> perm = node.getAttributeList().stream().filter(a -> a.getName().equals("perm")).findFirst()
                .map(a -> a.getIntsList()).orElse(constant.getDimsCount() == 1 ? List.of(0L) : List.of(1L, 0L));
        if (constant.getDimsCount() == 1) {
            if (!perm.equals(List.of(0L))) {
                throw new OnnxImportException(where + " has perm " + perm + "; a 1-D constant's is [0]");
            }
            return constant.toBuilder().setName(node.getOutput(0)).build();   // ONNX's Transpose of a vector is it
        }
        if (constant.getDimsCount() != 2 || type != TensorProto.DataType.FLOAT_VALUE
                && type != TensorProto.DataType.DOUBLE_VALUE) {
            throw new OnnxImportException(what + " has shape " + constant.getDimsList() + " and element type "
                    + OnnxTensors.typeName(type) + "; nnj folds the Transpose of a 2-D float constant (a weight) only");
        }
        if (!perm.equals(List.of(1L, 0L)) && !perm.equals(List.of(0L, 1L))) {
            throw new OnnxImportException(where + " has perm " + perm + "; a 2-D constant's is [1, 0] or [0, 1]");
        }
        int rows = Math.toIntExact(constant.getDims(0));
        int cols = Math.toIntExact(constant.getDims(1));
        double[] values = OnnxTensors.doubles(constant, what);
        if (perm.get(0) == 0L) {
            return constant(node.getOutput(0), type, constant.getDimsList(), values);
        }
        double[] transposed = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            // Element i of the result: (r, c) of a (cols, rows) matrix, read at (c, r) of the constant.
            transposed[i] = values[(i % rows) * cols + i / rows];
        }
        return constant(node.getOutput(0), type, List.of((long) cols, (long) rows), transposed);
    }

    /**
     * A BatchNormalization at inference, {@code y = scale · (x - mean) / √(var + ε) + B} per column, into {@code map}
     * as its four operations (in double: the square root too).
     */
    private static void batchNormalization(NodeProto node, Map<String, TensorProto> constants, AffineMap map,
                                           String where) {
        if (intAttribute(node, "training_mode", 0) != 0) {
            throw new OnnxImportException(where + " is in training mode; nnj imports a batch normalization at "
                    + "inference, with its running mean and variance (export the model in eval mode)");
        }
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw new OnnxImportException(where + " has " + node.getOutputCount() + " outputs; nnj imports a "
                        + "batch normalization at inference, with one");
            }
        }
        if (node.getInputCount() != 5) {
            throw new OnnxImportException(where + " has " + node.getInputCount() + " inputs; BatchNormalization "
                    + "takes five (x, scale, B, mean, var)");
        }
        double[] scale = columnConstant(node, 1, constants, where, "scale");
        double[] shift = columnConstant(node, 2, constants, where, "B");
        double[] mean = columnConstant(node, 3, constants, where, "mean");
        double[] variance = columnConstant(node, 4, constants, where, "var");
        double epsilon = floatAttribute(node, "epsilon", 1e-5f);
        double[] deviation = new double[variance.length];
        for (int i = 0; i < variance.length; i++) {
            deviation[i] = Math.sqrt(variance[i] + epsilon);
        }
        map.add("Sub", mean, where).add("Div", deviation, where).add("Mul", scale, where).add("Add", shift, where);
    }

    /** The node's input {@code index}, a constant, as doubles. */
    private static double[] columnConstant(NodeProto node, int index, Map<String, TensorProto> constants,
                                           String where, String role) {
        TensorProto c = constant(node, index, constants, where, role);
        return OnnxTensors.doubles(c, where + ": constant '" + c.getName() + "'");
    }

    /**
     * Adds the node's layer to {@code steps}, or folds it into the last one; {@code data} as requireChain says,
     * {@code ends} whether its output is the graph's.
     */
    private static void step(NodeProto node, int data, List<Step> steps, Map<String, TensorProto> constants,
                             long opset, boolean ends, String where) {
        Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        switch (node.getOpType()) {
            case "Gemm":
                steps.add(gemm(node, constants, where));
                return;
            case "MatMul": {
                Weight w = weight(node, constants, WeightLayout.IN_OUT, where);
                Step dense = Step.dense(w.out, w.values, null, where);
                dense.awaitingBias = true;
                steps.add(dense);
                return;
            }
            case "Add": {
                // chain() routes every other Add to the arithmetic on the input or the output.
                TensorProto b = constant(node, 1 - data, constants, where, "bias");
                last.bias = biasValues(b, last.units, where);
                last.awaitingBias = false;
                return;
            }
            case "Identity":
                stopAwaitingBias(last);
                return;
            case "Dropout":
                if (inTrainingMode(node, constants)) {
                    LOG.info("{} is in training mode (training_mode = true), where it drops units at random: imported "
                            + "as the identity, as it computes at inference", where);
                }
                stopAwaitingBias(last);
                return;
            case "Flatten":
                long axis = intAttribute(node, "axis", 1);
                if (axis != 1) {
                    throw new OnnxImportException(where + " has axis " + axis + "; on a (batch, features) input "
                            + "nnj imports Flatten(axis = 1), the identity");
                }
                stopAwaitingBias(last);
                return;
            default:
                Activation f = activation(node, opset, ends, where);
                float alpha = alpha(node, f, constants, where);
                stopAwaitingBias(last);
                Step layer = last;
                if (last != null && last.isDense() && last.activation == Activation.IDENTITY) {
                    last.activation = f;
                    last.alpha = alpha;
                    last.activationNode = where;
                } else {
                    layer = Step.activation(f, alpha, where);
                    steps.add(layer);
                }
                if (node.getOpType().equals("LogSoftmax")) {
                    layer.logSoftmax = where;
                }
        }
    }

    private static void stopAwaitingBias(Step last) {
        if (last != null) {
            last.awaitingBias = false;
        }
    }

    /**
     * {@code Gemm(x, B, C) = alpha·x·op(B) + beta·C} with transA = 0: a Dense of weight {@code alpha·op(B)} and bias
     * {@code beta·C}, each product rounded once to float.
     */
    private static Step gemm(NodeProto node, Map<String, TensorProto> constants, String where) {
        float alpha = floatAttribute(node, "alpha", 1f);
        float beta = floatAttribute(node, "beta", 1f);
        if (intAttribute(node, "transA", 0) != 0) {
            throw new OnnxImportException(where + " has transA 1; nnj imports Gemm with transA = 0, the batch's rows "
                    + "as rows");
        }
        // transB = 1 is B stored (out, in), as PyTorch's Linear keeps its weight.
        WeightLayout layout = intAttribute(node, "transB", 0) != 0 ? WeightLayout.OUT_IN : WeightLayout.IN_OUT;
        Weight w = weight(node, constants, layout, where);
        scale(w.values, alpha);
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            float[] bias = biasValues(constant(node, 2, constants, where, "bias"), w.out, where);
            scale(bias, beta);
            return Step.dense(w.out, w.values, bias, where);
        }
        Step dense = Step.dense(w.out, w.values, null, where);
        dense.awaitingBias = true;   // an Add may follow, as after a MatMul
        return dense;
    }

    /** {@code values ·= factor} (nothing for 1, the common case). */
    private static void scale(float[] values, float factor) {
        if (factor != 1f) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= factor;
            }
        }
    }

    /** A Dense weight in nnj's {@code (in, out)} layout, and its {@code out}. */
    private record Weight(float[] values, int out) {
    }

    /** The node's second input, a float32 matrix stored in {@code layout}, as a Dense weight. */
    private static Weight weight(NodeProto node, Map<String, TensorProto> constants, WeightLayout layout,
                                 String where) {
        TensorProto b = constant(node, 1, constants, where, "weight");
        long[] dims = OnnxTensors.dims(b);
        if (dims.length != 2) {
            throw new OnnxImportException(where + ": the weight '" + b.getName() + "' has shape "
                    + Arrays.toString(dims) + "; nnj imports a matrix");
        }
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        float[] values = OnnxTensors.floats(b, where + ": weight '" + b.getName() + "'");
        return new Weight(layout.toInOut(values, rows, cols), layout == WeightLayout.OUT_IN ? rows : cols);
    }

    /** A bias of {@code units} values, of shape (units) or (1, units): one per output, broadcast over the rows. */
    private static float[] biasValues(TensorProto b, int units, String where) {
        long[] dims = OnnxTensors.dims(b);
        boolean perOutput = dims.length == 1 && dims[0] == units
                || dims.length == 2 && dims[0] == 1 && dims[1] == units;
        if (!perOutput) {
            throw new OnnxImportException(where + ": the bias '" + b.getName() + "' has shape "
                    + Arrays.toString(dims) + "; nnj imports one value per output: (" + units + ") or (1, "
                    + units + ")");
        }
        return OnnxTensors.floats(b, where + ": bias '" + b.getName() + "'");
    }

    private static TensorProto constant(NodeProto node, int index, Map<String, TensorProto> constants, String where,
                                        String role) {
        if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
            throw new OnnxImportException(where + " has no " + role + " input");
        }
        return constants.get(node.getInput(index));
    }

    private static TensorProto constantValue(NodeProto node, String where) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                return a.getT().toBuilder().setName(node.getOutput(0)).build();
            }
        }
        throw new OnnxImportException(where + " has no tensor 'value'; nnj imports Constant nodes that hold one");
    }

    /**
     * The activation an operator computes on a (batch, features) tensor; for a LogSoftmax that ends the graph
     * ({@code ends}), the softmax whose logs it computes.
     */
    private static Activation activation(NodeProto node, long opset, boolean ends, String where) {
        switch (node.getOpType()) {
            case "Relu":
                return Activation.RELU;
            case "Sigmoid":
                return Activation.SIGMOID;
            case "Tanh":
                return Activation.TANH;
            case "LeakyRelu":
            case "PRelu":
                return Activation.LEAKY_RELU;
            case "Elu":
                return Activation.ELU;
            case "Softmax":
                requireClassAxis(node, opset, "softmax", where);
                return Activation.SOFTMAX;
            case "LogSoftmax":
                if (!ends) {
                    throw new OnnxImportException(where + " is not the graph's last node; nnj has no log-softmax "
                            + "activation, and imports a LogSoftmax only where it ends a classifier, as the softmax "
                            + "whose logs it gives");
                }
                requireClassAxis(node, opset, "log-softmax", where);
                return Activation.SOFTMAX;   // see noteLogSoftmax
            case "Reshape":
                // Listed as imported below, so say which Reshape: one that keeps the batch, of the input.
                throw new OnnxImportException(where + ": nnj imports a Reshape of the graph's input only, and only "
                        + "to (batch, features), keeping the batch: a constant shape [-1 or 0, features or -1], as "
                        + "Keras's Flatten exports; this one is elsewhere in the graph or reshapes otherwise (a shape "
                        + "[1, -1] merges the batch into one row)");
            default:
                throw new OnnxImportException(where + ": nnj imports chains of Gemm, MatMul and Add, Relu, Sigmoid, "
                        + "Tanh, LeakyRelu, PRelu (one slope), Elu, Softmax (or LogSoftmax at the end), Identity, "
                        + "Dropout, Flatten and Reshape of the input, with Cast, Add, Sub, Mul, Div by constants and "
                        + "BatchNormalization folded into a Dense; " + node.getOpType() + " is not one of them");
        }
    }

    /** A Softmax or LogSoftmax must work over the classes of a (batch, classes) tensor: axis 1 or -1. */
    private static void requireClassAxis(NodeProto node, long opset, String what, String where) {
        // Opset 13 made -1 the default; before, 1 (the same on a matrix).
        long axis = intAttribute(node, "axis", opset >= 13 ? -1 : 1);
        if (axis != 1 && axis != -1) {
            throw new OnnxImportException(where + " has axis " + axis + "; on a (batch, classes) tensor nnj "
                    + "imports a " + what + " over the classes, axis 1 or -1");
        }
    }

    /**
     * {@code α} of LeakyRelu (ONNX's default 0.01), PRelu (its one slope) and Elu (1.0), refused unless
     * {@link Activation#isValidAlpha}; 0 for the others.
     */
    private static float alpha(NodeProto node, Activation f, Map<String, TensorProto> constants, String where) {
        boolean prelu = node.getOpType().equals("PRelu");
        float alpha;
        switch (f) {
            case LEAKY_RELU:
                alpha = prelu ? preluSlope(node, constants, where) : floatAttribute(node, "alpha", 0.01f);
                break;
            case ELU:
                alpha = floatAttribute(node, "alpha", 1f);
                break;
            default:
                return 0f;
        }
        if (!Activation.isValidAlpha(alpha)) {
            throw new OnnxImportException(where + " has " + (prelu ? "slope " : "alpha ") + alpha + "; nnj's "
                    + f.label() + " takes an alpha that is finite and at least 0");
        }
        return alpha;
    }

    /**
     * The slope of a PRelu, {@code f(x) = x} for {@code x ≥ 0} and {@code slope · x} below: a leaky ReLU's alpha
     * when it is one value for every unit, as PyTorch's {@code nn.PReLU()} learns by default (one per unit, its
     * {@code num_parameters}, has no nnj layer).
     */
    private static float preluSlope(NodeProto node, Map<String, TensorProto> constants, String where) {
        TensorProto t = constant(node, 1, constants, where, "slope");
        float[] slope = OnnxTensors.floats(t, where + ": slope '" + t.getName() + "'");
        if (slope.length == 0) {
            throw new OnnxImportException(where + ": slope '" + t.getName() + "' is empty");
        }
        for (int i = 1; i < slope.length; i++) {
            if (Float.compare(slope[i], slope[0]) != 0) {
                throw new OnnxImportException(where + " has " + slope.length + " slopes, not all the same (" + slope[0]
                        + " and " + slope[i] + " at " + i + "); nnj imports a PRelu with one slope for every unit "
                        + "(PyTorch's nn.PReLU() with num_parameters = 1), as a leaky ReLU");
            }
        }
        return slope[0];
    }

    private static float floatAttribute(NodeProto node, String name, float otherwise) {
        AttributeProto a = attribute(node, name, AttributeProto.AttributeType.FLOAT);
        return a == null ? otherwise : a.getF();
    }

    private static long intAttribute(NodeProto node, String name, long otherwise) {
        AttributeProto a = attribute(node, name, AttributeProto.AttributeType.INT);
        return a == null ? otherwise : a.getI();
    }

    /**
     * The attribute {@code name} of {@code node}, or null without one. One of another type, or one given twice, is
     * refused, as onnx.checker refuses them ("Mismatched attribute type", "appeared multiple times"): protobuf reads
     * the float of an INT attribute as 0, so a LeakyRelu's {@code alpha} stored as INT 2 would import as a ReLU, and
     * a Gemm's {@code transB} stored as FLOAT 1.0 as untransposed, each computing another function without a word.
     */
    private static AttributeProto attribute(NodeProto node, String name, AttributeProto.AttributeType type) {
        AttributeProto found = null;
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                if (found != null) {
                    throw new OnnxImportException(describe(node) + " gives its attribute '" + name + "' twice; ONNX "
                            + "allows each once (onnx.checker refuses it too)");
                }
                found = a;
            }
        }
        if (found != null && found.getType() != type) {
            throw new OnnxImportException(describe(node) + "'s attribute '" + name + "' is of type "
                    + found.getType() + ", where " + node.getOpType() + " takes " + type + " (onnx.checker refuses it "
                    + "too: read as " + type + " it would be 0)");
        }
        return found;
    }

    /** A node for messages without its place in the chain: {@code Gemm 'fc1'}, or {@code Gemm} without a name. */
    private static String describe(NodeProto node) {
        return node.getOpType() + (node.getName().isEmpty() ? "" : " '" + node.getName() + "'");
    }

    /** The default domain's opset the model imports ({@link #chain} refuses a model that names none). */
    private static long opset(ModelProto model) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                return id.getVersion();
            }
        }
        return 1;
    }

    /** The network's input width: the first Dense's rows, checked against the graph input's declared width. */
    private static int inputWidth(ValueInfoProto input, List<Step> steps) {
        long declared = flatWidth(input);
        for (Step s : steps) {
            if (s.isDense()) {
                int rows = s.weight.length / s.units;
                if (declared >= 0 && declared != rows) {
                    throw new OnnxImportException("the input '" + input.getName() + "' " + (rank(input) > 2
                            ? describe(input) + " " : "") + "has " + declared + " features, " + s.node + " takes "
                            + rows);
                }
                return rows;
            }
        }
        if (declared < 1) {
            throw new OnnxImportException("the input '" + input.getName() + "' has no fixed number of features and "
                    + "no layer says it");
        }
        return (int) declared;
    }

    /**
     * Whether a Reshape of the input keeps its batch and flattens the rest, as Keras's Flatten exported by tf2onnx:
     * its shape a constant {@code [-1 or 0, -1 or d1·d2·...]}, not both {@code -1}.
     */
    private static boolean flattens(NodeProto node, Map<String, TensorProto> constants, ValueInfoProto input,
                                    String where) {
        if (intAttribute(node, "allowzero", 0) != 0 || node.getInputCount() != 2) {
            return false;
        }
        long[] shape = OnnxTensors.longs(constant(node, 1, constants, where, "shape"), where + ": shape");
        long features = flatWidth(input);
        return shape.length == 2 && (shape[0] == -1 || shape[0] == 0) && !(shape[0] == -1 && shape[1] == -1)
                && (shape[1] == -1 || shape[1] == features);
    }

    /**
     * The input's features, flattened: {@code d1·d2·...} of {@code (batch, d1, d2, ...)}; -1 unless all are fixed, or
     * when the input declares no shape (its width is then the first layer's).
     */
    private static long flatWidth(ValueInfoProto input) {
        if (!input.getType().getTensorType().hasShape()) {
            return -1;
        }
        long width = rank(input) >= 2 ? 1 : -1;
        for (int i = 1; i < rank(input); i++) {
            TensorShapeProto.Dimension d = input.getType().getTensorType().getShape().getDim(i);
            width = d.hasDimValue() && width > 0 ? width * d.getDimValue() : -1;
        }
        return width;
    }

    /** The input's declared number of dimensions: 2, (batch, features), when it declares no shape. */
    private static int rank(ValueInfoProto input) {
        return input.getType().getTensorType().hasShape() ? input.getType().getTensorType().getShape().getDimCount()
                : 2;
    }

    /** The input's shape for messages, as {@code (batch, 1, 8, 8)}: a symbolic dimension by its name. */
    private static String describe(ValueInfoProto input) {
        StringBuilder b = new StringBuilder("(");
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        for (int i = 0; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            b.append(i == 0 ? "" : ", ").append(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return b.append(')').toString();
    }

    /**
     * The most layers an imported network may have: as many as nnj's model files hold, so that an import can be
     * saved and loaded again (a chain of 10⁵ ReLU nodes, 2.4 MB, took 75 s to build, each layer added rebuilding the
     * network's scratch).
     */
    static final int MAX_LAYERS = Architecture.MAX_LAYERS;

    private static Sequential build(List<Step> steps, int inputWidth, Backend backend) {
        if (steps.size() > MAX_LAYERS) {
            throw new OnnxImportException("the graph makes " + steps.size() + " layers; nnj imports at most "
                    + MAX_LAYERS + ", as many as its model files hold");
        }
        for (Step s : steps) {
            if (s.isDense()) {
                s.requireFinite();   // before a layer is built, as every refusal
            }
        }
        Sequential model = new Sequential(backend, inputWidth, 0L);
        try {
            int width = inputWidth;
            for (Step s : steps) {
                if (!s.isDense()) {
                    model.add(ActivationLayer.of(s.activation, s.alpha));
                    continue;
                }
                if (s.weight.length != (long) width * s.units) {
                    throw new OnnxImportException(s.node + " takes " + s.weight.length / s.units + " inputs, the "
                            + "layer before it gives " + width);
                }
                Dense dense = new Dense(s.units, s.activation, s.alpha, FROM_ONNX, FROM_ONNX);
                model.add(dense);
                model.parameter(dense.name() + ".weight").write(s.weight);
                if (s.bias != null) {
                    model.parameter(dense.name() + ".bias").write(s.bias);
                }   // else zeros: a Dense without a bias
                width = s.units;
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }


    /**
     * Converts an ONNX model to nnj's model file: {@code java -cp … dev.nnj.onnx.OnnxImporter model.onnx
     * model.safetensors}. The file then works with {@code ./digits predict --model}, {@link ModelFiles#load} and
     * further training. It keeps the preprocessing of a file nnj exported ({@link #toSavedModel}) and the metadata a
     * program recorded with it ({@link SavedModel#extraMetadata}); a graph from elsewhere has neither, so its input is
     * the graph's own.
     *
     * <p>Exits with 2 for bad arguments (an OUT whose name does not end in {@code .safetensors} among them) and 1,
     * after one line naming the file and the problem, if the ONNX model cannot be read or imported or the model file
     * cannot be written.
     *
     * @param args the ONNX file to read and the model file to write
     */
    public static void main(String[] args) {
        if (args.length != 2 || args[0].startsWith("-") || args[1].startsWith("-")) {
            System.err.println("usage: OnnxImporter MODEL.onnx OUT.safetensors");
            System.exit(2);
        }
        if (!args[1].toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            // The file is safetensors whatever its name: one called model.pt would fail in torch.load.
            System.err.println("OnnxImporter: error: " + args[1] + ": nnj's model file is a safetensors file; give "
                    + "OUT a name ending in .safetensors");
            System.exit(2);
        }
        try {
            Path file = Path.of(args[0]);
            ModelProto onnx = read(file);   // a missing or broken file is named before a backend starts
            try (Backend backend = OnnxExporter.hostBackend(); SavedModel saved = toSavedModel(onnx, file, backend)) {
                // The program's entries too (the digits trainer's run settings: its label, weight column, ...), as
                // ./digits convert keeps them: predict reads them back.
                ModelFiles.save(saved.model(), Path.of(args[1]), WeightLayout.IN_OUT, saved.preprocessing(),
                        saved.extraMetadata());
                System.out.println("wrote " + args[1] + ": " + saved.model().layers()
                        + (saved.preprocessing().isEmpty() ? "" : "; with the preprocessing of its nnj metadata"));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("OnnxImporter: error: " + e.getMessage());
            System.exit(1);
        }
    }
}
