package dev.nnj.onnx;

import com.google.protobuf.ByteString;
import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.NnjVersion;
import dev.nnj.api.ProviderStatus;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.io.AtomicFile;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import dev.nnj.onnx.proto.OnnxProto.AttributeProto;
import dev.nnj.onnx.proto.OnnxProto.GraphProto;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;
import dev.nnj.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nnj.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import dev.nnj.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nnj.onnx.proto.OnnxProto.TypeProto;
import dev.nnj.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports a {@link Sequential} for inference as an ONNX model (IR version {@value #IR_VERSION}, default-domain
 * opset {@value #OPSET}), built with the protobuf classes generated from ONNX's own {@code onnx.proto}.
 *
 * <pre>
 *   graph input   "input"   float (batch, in)       batch is a symbolic dimension
 *   Dense         Gemm(x, dense_k.weight (in, out), dense_k.bias (out))  = x·W + b   (transB = 0: nnj's layout)
 *                 then its activation, if not identity:
 *   sigmoid → Sigmoid   tanh → Tanh   relu → Relu   leaky_relu → LeakyRelu(alpha)   elu → Elu(alpha)
 *   softmax → Softmax(axis = -1)                    (the same ops for stand-alone activation layers)
 *   Dropout       removed: inference is the identity
 *   graph output  "output"  float (batch, out)
 * </pre>
 * Weights are stored as initializers under nnj's parameter names, float32 little-endian raw data.
 *
 * <p>A saved model's scaler is, by default, not part of the graph: the input is the network's own, already scaled
 * ({@link Input#SCALED_FEATURES}), and the scaler travels as metadata. Exported with {@link Input#RAW_FEATURES},
 * the graph takes raw features and starts with the scaler, computed as nnj computes it: in double, rounded once to
 * float (and ends with a regression's target scaler undone, the same way).
 * <pre>
 *   min-max    Cast(double) → Mul(scaler.scale) → Add(scaler.offset) → Cast(float)      x·scale_j + offset_j
 *   standard   Cast(double) → Sub(scaler.mean) → Div(scaler.scale) → Cast(float)        (x - mean_j) / scale_j
 *              (Sub only when it centres, Div only when it scales)
 *   target     Cast(double) → Sub(offset) → Div(scale), or Mul(scale) → Add(mean) → Cast(float)   the inverse
 * </pre>
 */
public final class OnnxExporter {
    /** The default-domain operator set the graph uses. */
    public static final int OPSET = 13;
    /** ONNX IR version 8 (ONNX 1.10 to 1.12), read by every ONNX Runtime since 1.10. */
    public static final int IR_VERSION = 8;
    /** Name of the graph input. */
    public static final String INPUT = "input";
    /** Name of the graph output. */
    public static final String OUTPUT = "output";

    /** Metadata key saying what the graph's input is: {@code "scaled_features"} or {@code "raw_features"}. */
    public static final String INPUT_KEY = "nnj.input";
    /**
     * Metadata key of the checksum every export carries as its first metadata entry: CRC-32C, as 8 lowercase hex
     * digits, of the model without this entry, serialized by protobuf-java. ONNX has none of its own, and a file cut
     * between two metadata entries, or with a weight's bits flipped, is still a valid model; {@link OnnxImporter}
     * refuses a model that does not match it. Files without it (from other tools, or from nnj before it) are read
     * as before; to load an export changed on purpose with another tool, remove the entry.
     */
    public static final String CHECKSUM_KEY = "nnj.model_crc32c";

    /** What the graph of a saved model takes as its input. */
    public enum Input {
        /**
         * The network's own input: features already scaled by the saved scaler, which the caller applies first (the
         * scaler's statistics travel as the {@code nnj.preprocessing} metadata).
         */
        SCALED_FEATURES("scaled_features"),
        /**
         * Raw features, as {@link SavedModel#predict} takes them: the saved scaler is the graph's first nodes, in
         * double precision and rounded once to float, as nnj applies it, so a constant column needs no special care;
         * a regression's saved target scaler is undone in its last nodes, the same way, so the graph's output is
         * what {@code SavedModel.predict} returns, in the targets' own units.
         */
        RAW_FEATURES("raw_features");

        private final String label;

        Input(String label) {
            this.label = label;
        }

        /**
         * The value of the {@value OnnxExporter#INPUT_KEY} metadata entry.
         *
         * @return {@code "scaled_features"} or {@code "raw_features"}
         */
        public String label() {
            return label;
        }
    }

    private OnnxExporter() {
    }

    /**
     * The ONNX model of {@code model}, its parameters as they are now, with its checksum ({@value #CHECKSUM_KEY}) as
     * its one metadata entry. A proto edited before it is written or imported (a field set, metadata added) no longer
     * matches its checksum, and {@link OnnxImporter} refuses it: remove the entry along with the edit.
     *
     * @param model a model with at least one layer
     * @return the ONNX model message
     * @throws IllegalArgumentException naming a layer ONNX export does not support
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model
     * @throws IllegalStateException if a weight is not finite (the training diverged), which no reader of the file
     *         could use; nothing is exported
     */
    public static ModelProto toOnnx(Sequential model) {
        return ofModel("toOnnx", model);
    }

    /** {@link #toOnnx(Sequential)}, its refusals naming {@code op}, the call the caller made. */
    private static ModelProto ofModel(String op, Sequential model) {
        Checks.requireNonNull(op, "model", model);
        ModelProto.Builder onnx = graph(op, model, null, null).toBuilder();
        describeInputAndOutput(onnx, Preprocessing.none(), null, null, false, model.outputWidth());
        return OnnxChecksum.add(onnx.build());
    }

    /**
     * The model's graph, after the nodes of {@code scaler} and before the inverse of {@code targetScaler}
     * ({@code null}: none).
     */
    private static ModelProto graph(String op, Sequential model, Object scaler, Object targetScaler) {
        if (model.layers().isEmpty()) {
            throw new IllegalArgumentException(op + ": cannot export a model with no layers");
        }
        // One consistent snapshot of the weights, read as an inference call named as the caller's: exporting while
        // another thread trains the model throws ConcurrentUseException rather than write a mix of two steps.
        Map<String, float[]> weights = ConcurrencyGuard.of(model).inference(op, model::stateDict);
        Checks.requireFiniteWeights(op, weights);   // nnj's importer refuses NaN, and a runtime would serve it
        GraphProto.Builder graph = GraphProto.newBuilder().setName("nnj_sequential")
                .addInput(floatMatrix(INPUT, model.inputWidth()))
                .addOutput(floatMatrix(OUTPUT, model.outputWidth()));
        String current = scaler == null ? INPUT : addScaler(graph, scaler);
        int last = lastNonDropout(model);
        for (int i = 0; i <= last; i++) {
            Layer layer = model.layers().get(i);
            boolean isLast = i == last;
            if (layer instanceof Dropout) {
                continue;   // identity at inference
            }
            if (layer instanceof Dense) {
                Dense dense = (Dense) layer;
                String weight = layer.name() + ".weight";
                String bias = layer.name() + ".bias";
                int in = model.parameter(weight).shape()[0];
                graph.addInitializer(floatTensor(weight, weights.get(weight), in, dense.units()));
                graph.addInitializer(floatTensor(bias, weights.get(bias), dense.units()));
                boolean activated = dense.activation() != Activation.IDENTITY;
                String z = isLast && !activated ? OUTPUT : layer.name() + ".z";
                graph.addNode(NodeProto.newBuilder().setOpType("Gemm").setName(layer.name() + ".gemm")
                        .addInput(current).addInput(weight).addInput(bias).addOutput(z));
                current = z;
                if (activated) {
                    String a = isLast ? OUTPUT : layer.name() + ".out";
                    graph.addNode(activation(layer.name() + "." + dense.activation().label(), dense.activation(),
                            dense.alpha(), current, a));
                    current = a;
                }
            } else if (layer instanceof ActivationLayer) {
                ActivationLayer f = (ActivationLayer) layer;
                String a = isLast ? OUTPUT : layer.name() + ".out";
                graph.addNode(f.function() == Activation.IDENTITY
                        ? NodeProto.newBuilder().setOpType("Identity").setName(layer.name()).addInput(current)
                                .addOutput(a).build()
                        : activation(layer.name(), f.function(), f.alpha(), current, a));
                current = a;
            } else {
                throw new IllegalArgumentException("layer " + layer.name() + " (" + layer.getClass().getName()
                        + ") has no ONNX export");
            }
        }
        if (!current.equals(OUTPUT)) {   // only dropout layers: the graph passes the input through
            graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("output").addInput(current)
                    .addOutput(OUTPUT));
        }
        if (targetScaler != null) {
            addTargetScalerInverse(graph, targetScaler);
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("nnj")
                .setProducerVersion(NnjVersion.current())
                .setDocString("nnj Sequential: " + describe(model))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    /**
     * Adds the scaler's nodes, from the graph input to its float result, and returns that result's name: the input
     * widened to double, the scaler's arithmetic in nnj's order ({@link MinMaxScaler} and {@link StandardScaler}
     * compute in double and round once), then narrowed to float.
     */
    private static String addScaler(GraphProto.Builder graph, Object scaler) {
        String x = "scaler.input_double";
        graph.addNode(cast("scaler.to_double", INPUT, x, TensorProto.DataType.DOUBLE));
        for (ScalerArithmetic.Op op : ScalerArithmetic.forward(scaler)) {
            x = binary(graph, op.op(), x, doubleTensor(op.constant(), op.values()), op.output());
        }
        graph.addNode(cast("scaler.to_float", x, "scaler.output", TensorProto.DataType.FLOAT));
        return "scaler.output";
    }

    /**
     * Moves the network's result to {@code network.output} and adds the target scaler's inverse from there to the
     * graph output, as {@link SavedModel#predict} undoes it: in double, rounded once to float.
     * <pre>
     *   min-max    (y - offset_j) / scale_j        standard   y · scale_j + mean_j   (each part as the scaler has it)
     * </pre>
     */
    private static void addTargetScalerInverse(GraphProto.Builder graph, Object scaler) {
        String network = "network.output";
        for (NodeProto.Builder node : graph.getNodeBuilderList()) {
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (node.getOutput(i).equals(OUTPUT)) {
                    node.setOutput(i, network);
                }
            }
        }
        String y = "target_scaler.input_double";
        graph.addNode(cast("target_scaler.to_double", network, y, TensorProto.DataType.DOUBLE));
        for (ScalerArithmetic.Op op : ScalerArithmetic.inverse(scaler)) {
            y = binary(graph, op.op(), y, doubleTensor(op.constant(), op.values()), op.output());
        }
        graph.addNode(cast("target_scaler.to_float", y, OUTPUT, TensorProto.DataType.FLOAT));
    }

    /** Adds {@code op(x, constant)} with the constant as an initializer; returns the output's name. */
    private static String binary(GraphProto.Builder graph, String op, String x, TensorProto constant, String out) {
        graph.addInitializer(constant);
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(out).addInput(x).addInput(constant.getName())
                .addOutput(out));
        return out;
    }

    private static NodeProto cast(String name, String in, String out, TensorProto.DataType to) {
        return NodeProto.newBuilder().setOpType("Cast").setName(name).addInput(in).addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(to.getNumber()))
                .build();
    }

    /** The layers as the graph's doc string gives them: {@code dense_1 (64 -> 64, relu), dropout_1 (0.2), ...}. */
    private static String describe(Sequential model) {
        List<String> parts = new ArrayList<>();
        int width = model.inputWidth();
        for (Layer layer : model.layers()) {
            if (layer instanceof Dense) {
                Dense d = (Dense) layer;
                parts.add(layer.name() + " (" + width + " -> " + d.units() + ", " + d.activation().label() + ")");
                width = d.units();
            } else if (layer instanceof Dropout) {
                parts.add(layer.name() + " (" + ((Dropout) layer).rate() + ", identity at inference)");
            } else {
                parts.add(layer.name());
            }
        }
        return String.join(", ", parts);
    }

    private static int lastNonDropout(Sequential model) {
        int last = model.layers().size() - 1;
        while (last > 0 && model.layers().get(last) instanceof Dropout) {
            last--;
        }
        return last;
    }

    /**
     * Writes the ONNX model of {@code model} to a file, atomically.
     *
     * @param model the model
     * @param file  the {@code .onnx} file to create or replace
     * @throws IOException if writing fails
     * @throws IllegalArgumentException for a name ending in {@code .safetensors}, which loading reads as that format
     */
    public static void export(Sequential model, Path file) throws IOException {
        Checks.requireNonNull("export", "model", model);
        Checks.requireNonNull("export", "file", file);
        requireOnnxName(file);
        ModelProto onnx = ofModel("export", model);
        AtomicFile.write(file, out -> writeOpsetLast(onnx, out));
    }

    /**
     * Writes the model with its {@code opset_import} after every other field, where protobuf-java would write it
     * before the metadata: two messages, which a protobuf reader merges into the one model (fields may come in any
     * order). A file cut short anywhere then has no operator set (or fails to parse), and {@link OnnxImporter}
     * refuses it, even where the cut falls just before the metadata and so before its checksum
     * ({@value #CHECKSUM_KEY}), which would leave a model without its preprocessing that nothing could tell from an
     * export without any.
     */
    private static void writeOpsetLast(ModelProto onnx, OutputStream out) throws IOException {
        onnx.toBuilder().clearOpsetImport().build().writeTo(out);
        ModelProto.newBuilder().addAllOpsetImport(onnx.getOpsetImportList()).build().writeTo(out);
    }

    /**
     * The ONNX model of a saved model that takes scaled features ({@link Input#SCALED_FEATURES}): {@link
     * #toOnnx(SavedModel, Input)}.
     *
     * @param saved a loaded model file
     * @return the ONNX model
     * @throws IllegalArgumentException as {@link #toOnnx(Sequential)}
     */
    public static ModelProto toOnnx(SavedModel saved) {
        return toOnnx(saved, Input.SCALED_FEATURES);
    }

    /**
     * The ONNX model of a saved model, keeping what the graph does not hold as {@code metadata_props}:
     * <ul>
     *   <li>{@value #CHECKSUM_KEY}, first, the checksum of all the rest, which every export carries;</li>
     *   <li>{@code nnj.class_names}, a JSON list: output column {@code k} is class {@code k}; a model with one
     *       (sigmoid) output column has two names, and its output is the probability of the second, class 1,
     *       which it is above 0.5;</li>
     *   <li>{@code nnj.preprocessing}, the JSON of the nnj file's preprocessing (the scaler's statistics, which
     *       the caller applies to the input first when the graph takes scaled features, and a regression's
     *       {@code target_scaler}, which the caller then undoes on the outputs);</li>
     *   <li>{@value #INPUT_KEY}, {@code "scaled_features"} or {@code "raw_features"}, when the model has a
     *       scaler or a target scaler;</li>
     *   <li>every entry of the saved model's own metadata whose key does not start with {@code nnj.}: a model file's
     *       extra metadata, such as the digits trainer's settings, which name a CSV file's categories and weight
     *       column for {@code ./digits predict} (nnj's own keys describe the safetensors file, whose place the graph
     *       takes).</li>
     * </ul>
     * A model saved without preprocessing or metadata gets the checksum alone.
     *
     * @param saved a loaded model file
     * @param input whether the graph takes scaled features or raw ones (the scaler then in the graph)
     * @return the ONNX model
     * @throws IllegalArgumentException as {@link #toOnnx(Sequential)}
     */
    public static ModelProto toOnnx(SavedModel saved, Input input) {
        return ofSaved("toOnnx", saved, input);
    }

    /** {@link #toOnnx(SavedModel, Input)}, its refusals naming {@code op}, the call the caller made. */
    private static ModelProto ofSaved(String op, SavedModel saved, Input input) {
        Checks.requireNonNull(op, "saved", saved);
        Checks.requireNonNull(op, "input", input);
        Preprocessing p = saved.preprocessing();
        Object scaler = p.minMaxScaler() != null ? p.minMaxScaler() : p.standardScaler();
        Object targetScaler = p.targetMinMaxScaler() != null ? p.targetMinMaxScaler() : p.targetStandardScaler();
        boolean raw = input == Input.RAW_FEATURES;
        if (raw && p.imputer() != null) {
            // ONNX can fill in NaN (IsNaN, Where), but nnj's importer reads no such nodes back: refused, not half done.
            throw new IllegalArgumentException(op + ": the model's preprocessing fills in missing values ("
                    + p.imputer() + "), which a graph of raw features does not hold; export it with "
                    + "Input.SCALED_FEATURES (the graph then takes imputed, scaled features, and the imputer and "
                    + "scaler travel in its nnj.preprocessing metadata), or keep nnj's safetensors file");
        }
        // A SavedModel built in code was never checked as a loaded file is: the graph's nodes need the widths to agree.
        Sequential model = saved.model();
        if (raw && scaler != null && p.features() != model.inputWidth()) {
            throw new IllegalArgumentException("the saved scaler was fitted on another number of features than the "
                    + "model's " + model.inputWidth());
        }
        if (raw && targetScaler != null && p.targets() != model.outputWidth()) {
            throw new IllegalArgumentException("the saved target scaler was fitted on another number of targets than "
                    + "the model's " + model.outputWidth() + " outputs");
        }
        ModelProto.Builder onnx = graph(op, model, raw ? scaler : null, raw ? targetScaler : null).toBuilder();
        describeInputAndOutput(onnx, p, scaler, targetScaler, raw, model.outputWidth());
        if (!p.isEmpty()) {
            if (p.classNames() != null && !p.classNames().isEmpty()) {
                List<Object> names = new ArrayList<>(p.classNames());
                onnx.addMetadataProps(entry("nnj.class_names", JsonWriter.write(names)));
            }
            onnx.addMetadataProps(entry("nnj.preprocessing", JsonWriter.write(p.toJson())));
            if (scaler != null || targetScaler != null) {
                onnx.addMetadataProps(entry(INPUT_KEY, input.label()));
            }
        }
        saved.extraMetadata().forEach((key, value) -> onnx.addMetadataProps(entry(key, value)));
        return OnnxChecksum.add(onnx.build());
    }

    /**
     * Sets the graph input's and output's doc strings: what goes in and comes out, where a viewer (Netron) or a
     * serving team reads it; a raw and a scaled export otherwise differ only in their metadata.
     */
    private static void describeInputAndOutput(ModelProto.Builder onnx, Preprocessing p, Object scaler,
                                               Object targetScaler, boolean raw, int outputs) {
        onnx.getGraphBuilder().getInputBuilder(0).setDocString(inputDoc(p, scaler, raw));
        onnx.getGraphBuilder().getOutputBuilder(0).setDocString(outputDoc(p, targetScaler, raw, outputs));
    }

    /** The graph input's doc string: which features, and whether the caller scales them first. */
    private static String inputDoc(Preprocessing p, Object scaler, boolean raw) {
        String which = p.featureNames() != null ? "the features named in nnj.preprocessing's feature_names, in that "
                + "order" : "the features, in the order the network was trained on";
        String kind = scaler instanceof MinMaxScaler ? "min-max scaler" : "standard scaler";
        // An imputer travels only with a scaled-features graph (a raw one is refused): the caller applies it too.
        String imputed = p.imputer() == null ? "" : ", their missing values (NaN) filled in by the "
                + p.imputer().strategy() + " imputer in nnj.preprocessing";
        if (scaler == null) {
            // Nothing says the network saw raw features: a bare Sequential's training may have scaled them.
            return which + (imputed.isEmpty() ? ", as the network takes them (no scaler was recorded with the model: "
                    + "scale them as its training did, if it did)" : imputed + " (no scaler was recorded with the "
                    + "model): fill them in before the graph");
        }
        if (raw) {
            return which + ", raw: the graph applies the " + kind + " of nnj.preprocessing itself";
        }
        return which + imputed + (imputed.isEmpty() ? ", already scaled by the " + kind + " in nnj.preprocessing: "
                + "apply it before the graph" : ", then scaled by the " + kind + " in nnj.preprocessing: apply both "
                + "before the graph");
    }

    /** The graph output's doc string: class probabilities, or values in the target's units or standardized. */
    private static String outputDoc(Preprocessing p, Object targetScaler, boolean raw, int outputs) {
        if (p.classNames() != null && !p.classNames().isEmpty()) {
            return outputs == 1 ? "the probability of the second class of nnj.class_names (that class above 0.5)"
                    : "the probability of each class of nnj.class_names, one column each, in that order";
        }
        if (targetScaler == null) {
            return "the network's outputs";
        }
        return raw ? "predictions in the target's units: the graph undoes the target scaler of nnj.preprocessing"
                : "scaled predictions: undo the target_scaler of nnj.preprocessing to get the target's units";
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /**
     * Writes the ONNX model of a saved model, taking scaled features, with its class names and preprocessing as
     * metadata ({@link #toOnnx(SavedModel)}), atomically.
     *
     * @param saved a loaded model file
     * @param file  the {@code .onnx} file to create or replace
     * @throws IOException if writing fails
     * @throws IllegalArgumentException for a name ending in {@code .safetensors}, which loading reads as that format
     */
    public static void export(SavedModel saved, Path file) throws IOException {
        export(saved, file, Input.SCALED_FEATURES);
    }

    /**
     * Writes the ONNX model of a saved model ({@link #toOnnx(SavedModel, Input)}), atomically.
     *
     * @param saved a loaded model file
     * @param file  the {@code .onnx} file to create or replace
     * @param input whether the graph takes scaled features or raw ones (the scaler then in the graph)
     * @throws IOException if writing fails
     * @throws IllegalArgumentException for a name ending in {@code .safetensors}, which loading reads as that format
     */
    public static void export(SavedModel saved, Path file, Input input) throws IOException {
        Checks.requireNonNull("export", "saved", saved);
        Checks.requireNonNull("export", "file", file);
        requireOnnxName(file);
        ModelProto onnx = ofSaved("export", saved, input);
        AtomicFile.write(file, out -> writeOpsetLast(onnx, out));
    }

    /**
     * Refuses a name that {@link dev.nnj.api.io.ModelFiles#load ModelFiles.load} reads as nnj's safetensors format:
     * the ONNX bytes written under it could not be loaded back by it, as {@code ModelFiles.save} refuses
     * {@code *.onnx}.
     */
    private static void requireOnnxName(Path file) {
        Checks.requireNonNull("export", "file", file);
        if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            throw new IllegalArgumentException("export: " + file + " is a name ModelFiles.load reads as nnj's "
                    + "safetensors format, but export writes ONNX, so it could not be loaded back; name it *.onnx, or "
                    + "write safetensors with ModelFiles.save; nothing is written");
        }
    }

    private static NodeProto activation(String name, Activation f, float alpha, String in, String out) {
        NodeProto.Builder node = NodeProto.newBuilder().setName(name).addInput(in).addOutput(out);
        switch (f) {
            case SIGMOID:
                return node.setOpType("Sigmoid").build();
            case TANH:
                return node.setOpType("Tanh").build();
            case RELU:
                return node.setOpType("Relu").build();
            case LEAKY_RELU:
                return node.setOpType("LeakyRelu").addAttribute(floatAttribute("alpha", alpha)).build();
            case ELU:
                return node.setOpType("Elu").addAttribute(floatAttribute("alpha", alpha)).build();
            case SOFTMAX:
                return node.setOpType("Softmax").addAttribute(AttributeProto.newBuilder().setName("axis")
                        .setType(AttributeProto.AttributeType.INT).setI(-1)).build();
            default:
                throw new IllegalArgumentException("no ONNX operator for activation " + f);
        }
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    /** A float32 initializer of the given shape, row-major little-endian raw data. */
    private static TensorProto floatTensor(String name, float[] values, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            bytes.putFloat(values[i]);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.flip()));
        for (int d : shape) {
            t.addDims(d);
        }
        return t.build();
    }

    /** A float64 initializer of one dimension, little-endian raw data. */
    private static TensorProto doubleTensor(String name, double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .setRawData(ByteString.copyFrom(bytes.flip())).addDims(values.length).build();
    }

    /** A graph input or output: float32 of shape (batch, width). */
    private static ValueInfoProto floatMatrix(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /**
     * The backend a conversion loads the file onto: the weights are only read back, so the CPU backend when it is
     * on the class path (no device to start, no copies there and back), else the best one. {@link OnnxImporter}'s
     * conversion takes it too.
     */
    static Backend hostBackend() {
        for (ProviderStatus status : Backends.statuses()) {
            if (status.available() && status.name().equalsIgnoreCase("cpu")) {
                return Backends.get("cpu");
            }
        }
        return Backends.best();
    }

    /**
     * Converts a saved nnj model file to ONNX: {@code java -cp … dev.nnj.onnx.OnnxExporter [--raw-input]
     * model.safetensors model.onnx}. With {@code --raw-input} the graph takes raw features and starts with the
     * file's scaler ({@link Input#RAW_FEATURES}); without it, scaled features.
     *
     * Exits with 2 for bad arguments and 1, after one line naming the file and the problem, if the model
     * cannot be read or the ONNX file cannot be written.
     *
     * @param args {@code --raw-input} (optional), the nnj model file and the ONNX file to write
     */
    public static void main(String[] args) {
        List<String> files = new ArrayList<>(List.of(args));
        Input input = files.remove("--raw-input") ? Input.RAW_FEATURES : Input.SCALED_FEATURES;
        if (files.size() != 2 || files.get(0).startsWith("-") || files.get(1).startsWith("-")) {
            System.err.println("usage: OnnxExporter [--raw-input] MODEL.safetensors OUT.onnx");
            System.exit(2);
        }
        try (Backend backend = hostBackend();
             SavedModel saved = ModelFiles.load(Path.of(files.get(0)), backend)) {
            export(saved, Path.of(files.get(1)), input);
        } catch (IOException | RuntimeException e) {
            System.err.println("OnnxExporter: error: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("wrote " + files.get(1) + " (ONNX IR " + IR_VERSION + ", opset " + OPSET + ", input: "
                + input.label().replace('_', ' ') + ")");
    }
}
