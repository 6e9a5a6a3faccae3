package dev.nnj.api.io;

import dev.nnj.api.Backend;
import dev.nnj.api.NnjVersion;
import dev.nnj.api.internal.MetadataOrder;
import dev.nnj.api.internal.ServiceSearch;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a {@link Sequential} to a safetensors file and loads it back with no code: the file holds every
 * parameter as a float32 tensor and the architecture as JSON metadata.
 *
 * <h2>Layout</h2>
 * <pre>
 *   tensors       dense_1.weight  (in, out)   [or (out, in) with WeightLayout.OUT_IN, PyTorch's nn.Linear]
 *                 dense_1.bias    (out)
 *                 dense_2.weight, dense_2.bias, …    one pair per Dense layer, in model order
 *   __metadata__  nnj.format_version   "1"
 *                 nnj.architecture     {"input_width": 64, "layers": [...]}      (see {@link Architecture})
 *                 nnj.weight_layout    "in_out" or "out_in"                     (see {@link WeightLayout})
 *                 nnj.preprocessing    {"scaler": ..., "encoder": ..., ...}     (optional, see {@link Preprocessing})
 *                 nnj.data_crc32c      "1a2b3c4d": CRC-32C of the data, checked on load (see {@link SafeTensors#CHECKSUM_KEY})
 *                 nnj.header_crc32c    CRC-32C of the header itself, checked when the file is opened (a value edited by
 *                                      hand is refused; see {@link SafeTensors#HEADER_CHECKSUM_KEY})
 *                 nnj.written_by       "nnj 0.1.0": the nnj that wrote the file, quoted when a reader refuses it
 * </pre>
 * Files are written atomically ({@link AtomicFile}) and read strictly ({@link SafeTensors}): after the header
 * checks, the architecture is validated and every tensor's name and shape compared with it before the model is
 * built or any data is read; values must be finite. Every failure is a {@link ModelFileException} naming the
 * file and the tensor or metadata key.
 *
 * <pre>{@code
 * // Trained on scaled features: save the fitted scaler with the model (save(model, file) stores none).
 * ModelFiles.save(model, Path.of("digits.safetensors"), WeightLayout.IN_OUT,
 *         Preprocessing.none().withScaler(scaler).withClassNames(names), Map.of());
 * try (SavedModel saved = ModelFiles.load(Path.of("digits.safetensors"), backend)) {
 *     float[] probabilities = saved.predict(rawFeatures, rows);   // the saved scaler, then the model
 *     int[] classes = saved.predictClasses(rawFeatures, rows);
 * }
 * }</pre>
 */
public final class ModelFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    /** Metadata key of the format version. */
    public static final String VERSION_KEY = "nnj.format_version";
    /** The version this code writes and reads. */
    public static final String VERSION = "1";
    /** Metadata key of the architecture JSON. */
    public static final String ARCHITECTURE_KEY = "nnj.architecture";
    /** Metadata key of the weight layout. */
    public static final String LAYOUT_KEY = "nnj.weight_layout";
    /** Metadata key of the preprocessing JSON. */
    public static final String PREPROCESSING_KEY = "nnj.preprocessing";
    /**
     * Metadata key of what a reader must understand to read the file as it was written: names separated by commas.
     * {@link #VERSION_KEY} stays "1" while files grow, and a reader leaves an entry it does not know unread; a
     * feature added later that a reader must not leave unread (one that changes what the model computes, or how a
     * checkpoint trains on) is named here, and a reader that does not know a name refuses the file. This version
     * writes none and knows none ({@link #UNDERSTOOD}).
     */
    public static final String REQUIRES_KEY = "nnj.requires";
    /** The names of {@link #REQUIRES_KEY} this version understands. */
    static final Set<String> UNDERSTOOD = Set.of();
    /**
     * Metadata key of the nnj that wrote the file ({@link #WRITER}). Informative only: nothing is read or refused by
     * it, since {@link #REQUIRES_KEY} says what a reader must understand; a refusal of a file quotes it beside this
     * version, so that "a newer nnj wrote the file" comes with which one.
     */
    public static final String WRITTEN_BY_KEY = "nnj.written_by";
    /** This nnj as {@link #WRITTEN_BY_KEY} records it: "nnj " and {@link NnjVersion#current()}. */
    public static final String WRITER = "nnj " + NnjVersion.current();

    private ModelFiles() {
    }

    /**
     * Saves in nnj's layout, without preprocessing: for a model trained on features as they come. A model trained
     * on scaled features needs its scaler saved with it ({@link #save(Sequential, Path, WeightLayout,
     * Preprocessing, Map)}), or a {@link SavedModel} will predict from raw features unscaled.
     *
     * @param model the model
     * @param file  the file to create or replace
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the model has no layers, or the file's name is one {@link #load} reads as
     *         another format ({@code *.onnx}); nothing is written
     * @throws UnsupportedOperationException if a layer is not one of nnj's own, which loading rebuilds: a {@link
     *         dev.nnj.api.layers.CustomActivationLayer} or a layer of your own, even one that overrides {@link
     *         dev.nnj.api.layers.Layer#config()} (its type would be unknown to the loader, or a built-in's name that
     *         would load back as the built-in; see {@link LayerSpec#of}); nothing is written. Save such a model's
     *         {@link Sequential#stateDict()} and rebuild it in code
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model (the weights would
     *         be a mix of two steps); the training thread itself may save
     * @throws IllegalStateException if a weight is not finite (the training diverged), which loading would refuse
     *         ({@link Checks#requireFiniteWeights}); nothing is written
     */
    public static void save(Sequential model, Path file) throws IOException {
        save(model, file, WeightLayout.IN_OUT, Preprocessing.none(), Map.of());
    }

    /**
     * Saves with a chosen layout, preprocessing and extra metadata.
     *
     * @param model         the model
     * @param file          the file to create or replace
     * @param layout        how Dense weights are stored
     * @param preprocessing fitted transformations to keep with the model ({@link Preprocessing#none()} for none)
     * @param extra         further metadata entries (keys must not start with {@code nnj.})
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the preprocessing does not fit the model (a scaler of another width, class
     *         names other than one per output, or two for a single output), a metadata key is reserved, or the
     *         file's name is one {@link #load} reads as another format ({@code *.onnx}: write ONNX with nn-onnx's
     *         {@code OnnxExporter}); nothing is written
     * @throws UnsupportedOperationException if a layer is not one of nnj's own (see {@link #save(Sequential,
     *         Path)}); nothing is written
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model; the training
     *         thread itself may save
     * @throws IllegalStateException if a weight is not finite (the training diverged); nothing is written
     */
    public static void save(Sequential model, Path file, WeightLayout layout, Preprocessing preprocessing,
                            Map<String, String> extra) throws IOException {
        Checks.requireNonNull("save", "model", model);
        Checks.requireNonNull("save", "file", file);
        Checks.requireNonNull("save", "layout", layout);
        Checks.requireNonNull("save", "preprocessing", preprocessing);
        Checks.requireNonNull("save", "extra", extra);
        for (String key : extra.keySet()) {
            if (key.startsWith("nnj.")) {
                throw new IllegalArgumentException("metadata key '" + key + "' is reserved");
            }
        }
        requireSafeTensorsName(file);
        if (model.layers().isEmpty()) {
            throw new IllegalArgumentException("cannot save a model with no layers");
        }
        // Before the weights are read: a layer the loader would not rebuild is refused here.
        Architecture architecture = Architecture.of(model);
        write(model, architecture, file, layout, preprocessing, extra, tensors("save", model, layout), List.of());
    }

    /**
     * Writes a model file: {@code architecture} (the model's, taken by the caller before it read the weights), the
     * model's tensors, as {@link #tensors} read them, then further tensors (a
     * checkpoint's optimizer state, named {@code optimizer.*}), with further metadata. A null {@code architecture}
     * is a checkpoint of a model built in code, whose {@code extra} metadata describes its layers instead.
     */
    static void write(Sequential model, Architecture architecture, Path file, WeightLayout layout,
                      Preprocessing preprocessing, Map<String, String> extra, List<NamedTensor> weights,
                      List<NamedTensor> extraTensors) throws IOException {
        if (model.layers().isEmpty()) {
            throw new IllegalArgumentException("cannot save a model with no layers");
        }
        String mismatch = preprocessing.whyNotFor(model);
        if (mismatch != null) {
            throw new IllegalArgumentException("preprocessing does not fit the model: " + mismatch);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(VERSION_KEY, VERSION);
        metadata.put(WRITTEN_BY_KEY, WRITER);
        if (architecture != null) {
            metadata.put(ARCHITECTURE_KEY, JsonWriter.write(architecture.toJson()));
        }
        metadata.put(LAYOUT_KEY, layout.label());
        if (!preprocessing.isEmpty()) {
            metadata.put(PREPROCESSING_KEY, JsonWriter.write(preprocessing.toJson()));
        }
        metadata.putAll(MetadataOrder.stable(extra));
        List<NamedTensor> tensors = new ArrayList<>(weights);
        tensors.addAll(extraTensors);
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Host copies of the parameters, weights in the requested layout. They are read through
     * {@link Sequential#stateDict()}, one inference call: a file is never a mix of two training steps, and saving
     * while another thread trains the model throws {@link dev.nnj.api.model.ConcurrentUseException} instead. Weights
     * that are not finite are refused ({@link Checks#requireFiniteWeights}), naming {@code op}.
     */
    static List<NamedTensor> tensors(String op, Sequential model, WeightLayout layout) {
        Map<String, float[]> state = ConcurrencyGuard.of(model).inference(op, model::stateDict);
        Checks.requireFiniteWeights(op, state);
        List<NamedTensor> tensors = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            int[] shape = p.shape();
            float[] values = state.get(p.name());
            if (shape.length == 2 && layout == WeightLayout.OUT_IN) {
                values = WeightLayout.transpose(values, shape[0], shape[1]);
                shape = new int[] {shape[1], shape[0]};
            }
            tensors.add(new NamedTensor(p.name(), shape, values));
        }
        return tensors;
    }

    /**
     * Refuses a name that {@link #load(Path, Backend)} would read as another format: a safetensors file written
     * under it could not be loaded back. {@code *.onnx} is refused without nn-onnx on the class path too, as the
     * name says ONNX to every other reader.
     */
    private static void requireSafeTensorsName(Path file) {
        String name = file.toString();
        ModelFileFormat other = formatReading(name);
        boolean onnx = name.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
        if (other != null || onnx) {
            throw new IllegalArgumentException("save: " + file + " is a name load reads as " + (other != null
                    ? other.name() : "onnx") + ", but save writes nnj's safetensors format, so it could not be loaded "
                    + "back; name it *.safetensors" + (onnx ? ", or write ONNX with dev.nnj.onnx.OnnxExporter (module "
                    + "nn-onnx)" : "") + "; nothing is written");
        }
    }

    /**
     * Loads a model file onto a backend: nnj's safetensors file, or a file of another format that a
     * {@link ModelFileFormat} on the class path claims by its name (with nn-onnx there, an ONNX model, {@code *.onnx}).
     *
     * @param file    the file
     * @param backend where the model's parameters will live
     * @return the model, its preprocessing and metadata; close it
     * @throws ModelFileException if the file is malformed, does not match its architecture, or is not a model the
     *         format that claims it reads (a damaged ONNX file: the format's own exception is its cause)
     * @throws IOException        if the file cannot be read
     */
    public static SavedModel load(Path file, Backend backend) throws IOException {
        Checks.requireNonNull("load", "file", file);
        Checks.requireNonNull("load", "backend", backend);
        ModelFileFormat format = formatReading(file.toString());
        if (format != null) {
            try {
                return format.load(file, backend);
            } catch (IllegalArgumentException e) {
                throw refusedBy(file.toString(), e);
            }
        }
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            return loadVerified(reader, backend);
        }
    }

    /**
     * The first {@link ModelFileFormat} on the class path that claims a file of this name, or null for nnj's own. A
     * provider that cannot be loaded is logged at WARN (once a process) and passed over, so that it never stops nnj's
     * own files from loading; after {@value #MAX_UNLOADABLE_FORMATS} such failures the search ends (a broken service
     * file can make {@link ServiceLoader}'s iterator fail at every step).
     */
    private static ModelFileFormat formatReading(String name) {
        Iterator<ServiceLoader.Provider<ModelFileFormat>> it = ServiceSearch.of(ModelFileFormat.class);
        for (int failures = 0; failures < MAX_UNLOADABLE_FORMATS; ) {
            try {
                if (!it.hasNext()) {
                    return null;
                }
                ModelFileFormat format = it.next().get();
                if (format.reads(name)) {
                    return format;
                }
            } catch (ServiceConfigurationError e) {
                failures++;
                if (WARNED_FORMATS.add(String.valueOf(e.getMessage()))) {   // once a process, as Backends does
                    LOG.warn("A model file format could not be loaded, and is passed over: {}", e.getMessage());
                }
            }
        }
        return null;
    }

    /**
     * A format's refusal of a file ({@link ModelFileFormat#load} throws an {@link IllegalArgumentException}, such as
     * nn-onnx's {@code OnnxImportException}) as the {@link ModelFileException} every other unreadable file gives, so
     * that one {@code catch (IOException e)} around {@code load} covers a torn or damaged file of any format. Its
     * message names the file once: the format's usually starts with it already.
     */
    private static ModelFileException refusedBy(String name, IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        return new ModelFileException(name, message.startsWith(name + ": ") ? message.substring(name.length() + 2)
                : message, e);
    }

    /** Failures to load a {@link ModelFileFormat} after which {@link #formatReading} stops looking. */
    private static final int MAX_UNLOADABLE_FORMATS = 8;
    /** The loading failures already logged. */
    private static final Set<String> WARNED_FORMATS = ConcurrentHashMap.newKeySet();

    /**
     * As {@link #load(Path, Backend)}, for a model file's bytes in memory, with the same checks: a model packaged as
     * a class-path resource ({@code ModelFiles.load(getClass().getResourceAsStream("/digits.safetensors"),
     * "digits.safetensors", backend)}), or one downloaded. The stream is read to its end into memory, and closed.
     * A name another {@link ModelFileFormat} claims ({@code "/mlp.onnx"} with nn-onnx on the class path) is read by
     * that format.
     *
     * @param in      the file's bytes
     * @param name    what messages call it, e.g. the resource's path
     * @param backend where the model's parameters will live
     * @return the model, its preprocessing and metadata; close it
     * @throws ModelFileException if the bytes are not a valid model file, or not a model the format that claims
     *         {@code name} reads, naming {@code name}
     * @throws IOException        if reading the stream fails
     * @throws NullPointerException if an argument is null (a resource that does not exist gives a null stream)
     */
    public static SavedModel load(java.io.InputStream in, String name, Backend backend) throws IOException {
        Checks.requireNonNull("load", "name", name);
        if (in == null) {
            throw new NullPointerException("load: in is null (no such resource as " + name + "?)");
        }
        Checks.requireNonNull("load", "backend", backend);
        ModelFileFormat format = formatReading(name);
        if (format != null) {
            try {
                return format.load(in, name, backend);
            } catch (IllegalArgumentException e) {
                throw refusedBy(name, e);
            }
        }
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        try (SafeTensors.Reader reader = SafeTensors.open(bytes, name)) {
            return loadVerified(reader, backend);
        }
    }

    /** {@link #load(SafeTensors.Reader, Backend)}, then the data's checksum, before the model is handed out. */
    private static SavedModel loadVerified(SafeTensors.Reader reader, Backend backend) throws IOException {
        SavedModel saved = load(reader, backend);
        try {
            reader.verify();
        } catch (IOException | RuntimeException e) {
            saved.close();
            throw e;
        }
        return saved;
    }

    /** Loads from an opened file; the checkpoint reader shares it. */
    static SavedModel load(SafeTensors.Reader reader, Backend backend) throws IOException {
        Path file = reader.file();
        Map<String, String> metadata = reader.metadata();
        String version = metadata.get(VERSION_KEY);
        if (version == null) {
            throw new ModelFileException(file, "metadata has no '" + VERSION_KEY + "': not an nnj model file "
                    + "(keys: " + firstTen(metadata.keySet()) + ")");
        }
        if (!VERSION.equals(version)) {
            // A file this very version wrote says so: its version entry was edited, not written by a newer nnj.
            throw new ModelFileException(file, "metadata '" + VERSION_KEY + "' is \"" + version
                    + "\"; this version of nnj reads version " + VERSION + (WRITER.equals(metadata.get(WRITTEN_BY_KEY))
                    ? " (the file records this version as its writer: it was edited, or written by another build)"
                    : writtenBy(metadata)));
        }
        requireUnderstood(file, metadata);
        Architecture architecture = architecture(file, metadata);
        WeightLayout layout;
        if (!metadata.containsKey(LAYOUT_KEY)) {
            // No default: a square weight in the other layout has the right shape and would load transposed.
            throw new ModelFileException(file, "metadata has no '" + LAYOUT_KEY + "': add \""
                    + WeightLayout.IN_OUT.label() + "\" for weights of shape (in, out) or \""
                    + WeightLayout.OUT_IN.label() + "\" for PyTorch's nn.Linear (out, in)");
        }
        try {
            layout = WeightLayout.parse(metadata.get(LAYOUT_KEY));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + LAYOUT_KEY + "': " + e.getMessage());
        }
        Preprocessing preprocessing = preprocessing(file, metadata);
        Map<String, float[]> values = readParameters(reader, architecture.parameterShapes(layout), layout);
        Sequential model = architecture.build(backend);
        try {
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                model.parameter(e.getKey()).write(e.getValue());
            }
            checkPreprocessing(file, preprocessing, model);
            return new SavedModel(model, preprocessing, metadata);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The model parameters a file holds, read and checked before any reaches a model: its tensors, a checkpoint's
     * training state left out (which {@link Checkpoint} checks), must have exactly {@code expected}'s names and shapes
     * ({@link #checkTensors}), and every value must be finite; a weight stored {@code (out, in)} comes back in nnj's
     * {@code (in, out)}.
     *
     * @param reader   the opened file
     * @param expected each parameter's name and shape as the file stores it, in the model's order
     * @param layout   how the file stores its weights
     * @return each parameter's values, in {@code expected}'s order
     * @throws IOException if the file cannot be read, or its tensors do not fit
     */
    static Map<String, float[]> readParameters(SafeTensors.Reader reader, Map<String, int[]> expected,
                                               WeightLayout layout) throws IOException {
        Path file = reader.file();
        Map<String, int[]> actual = reader.shapes();
        if (reader.metadata().containsKey(Checkpoint.CHECKPOINT_KEY)) {
            actual = new LinkedHashMap<>(actual);
            actual.keySet().removeIf(Checkpoint::isStateTensor);
        }
        checkTensors(file, expected, actual);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            NamedTensor t = reader.tensor(name);
            requireFinite(file, t);
            float[] v = t.values();
            int[] shape = t.shape();
            if (shape.length == 2) {
                v = layout.toInOut(v, shape[0], shape[1]);
            }
            values.put(name, v);
        }
        return values;
    }

    private static Architecture architecture(Path file, Map<String, String> metadata) throws ModelFileException {
        String json = metadata.get(ARCHITECTURE_KEY);
        if (json == null && metadata.containsKey(Checkpoint.CODE_LAYERS_KEY)) {
            throw new ModelFileException(file, "a checkpoint of a model built in code (it holds a layer of its own, "
                    + "whose code no file holds): build the network in code and restore it with "
                    + "Checkpoint.restoreInto(file, model, optimizer); its layers: "
                    + metadata.get(Checkpoint.CODE_LAYERS_KEY));
        }
        if (json == null) {
            throw new ModelFileException(file, "metadata has no '" + ARCHITECTURE_KEY + "'");
        }
        try {
            return Architecture.fromJson(StrictJson.parseObject(json));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + ARCHITECTURE_KEY + "': "
                    + mayBeNewer(e.getMessage(), metadata));
        }
    }

    private static Preprocessing preprocessing(Path file, Map<String, String> metadata) throws ModelFileException {
        String json = metadata.get(PREPROCESSING_KEY);
        if (json == null) {
            return Preprocessing.none();
        }
        try {
            return Preprocessing.fromJson(StrictJson.parseObject(json));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + PREPROCESSING_KEY + "': "
                    + mayBeNewer(e.getMessage(), metadata));
        }
    }

    /**
     * Refuses a file whose {@link #REQUIRES_KEY} names what this version does not understand.
     *
     * @throws ModelFileException naming the first such name
     */
    static void requireUnderstood(Path file, Map<String, String> metadata) throws ModelFileException {
        requireKnownKeys(file, metadata);
        String requires = metadata.get(REQUIRES_KEY);
        if (requires == null) {
            return;
        }
        for (String name : requires.split(",", -1)) {
            if (!name.isBlank() && !UNDERSTOOD.contains(name.strip())) {   // "" or "a, ,b": nothing more required
                String prefix = "metadata '" + REQUIRES_KEY + "' names '" + name.strip() + "', which this version of "
                        + "nnj does not understand";
                String writer = metadata.get(WRITTEN_BY_KEY);
                if (WRITER.equals(writer)) {
                    throw new ModelFileException(file, prefix + ", though the file records this version as its "
                            + "writer (" + WRITER + "): it was edited, or written by another build; read here it would "
                            + "compute or train otherwise than written");
                }
                throw new ModelFileException(file, prefix + (writer == null ? ": a newer nnj wrote the file, and"
                        : " (written by " + shown(writer) + ", read by " + WRITER + "):") + " read here it would "
                        + "compute or train otherwise than written; load it with an nnj that knows '" + name.strip()
                        + "', such as the one that wrote it");
            }
        }
    }

    /** The {@code nnj.} keys this version writes in a model file or checkpoint. */
    private static final Set<String> KNOWN_KEYS = Set.of(VERSION_KEY, ARCHITECTURE_KEY, LAYOUT_KEY, PREPROCESSING_KEY,
            REQUIRES_KEY, WRITTEN_BY_KEY, Checkpoint.CHECKPOINT_KEY, Checkpoint.CODE_LAYERS_KEY,
            SafeTensors.CHECKSUM_KEY, SafeTensors.HEADER_CHECKSUM_KEY);

    /**
     * An {@code nnj.} key this version does not write, in a file that records this version as its writer, was edited
     * in: a misspelt {@code nnj.preprocesing} loaded the model without its scaler, and 670 of 1000 predictions
     * changed, without a word. Refused. From another writer it is likely a newer nnj's, which marks what a reader
     * must understand in {@value #REQUIRES_KEY}: passed over, with a warning.
     */
    private static void requireKnownKeys(Path file, Map<String, String> metadata) throws ModelFileException {
        // This version writes the header's checksum in every file but one whose metadata quotes the entry itself;
        // without it, an edit of the header (a scaler's numbers) loaded as if it were the file written.
        String writer = metadata.get(WRITTEN_BY_KEY);
        if (WRITER.equals(writer) && !metadata.containsKey(SafeTensors.HEADER_CHECKSUM_KEY)
                && metadata.values().stream().noneMatch(v -> v.contains(SafeTensors.HEADER_CHECKSUM_KEY))) {
            throw new ModelFileException(file, "its header has no " + SafeTensors.HEADER_CHECKSUM_KEY + ", though the "
                    + "file records this version as its writer (" + WRITER + "), which writes one: the entry was "
                    + "taken out, and the header may have been edited; write the file again from its source");
        }
        for (String key : metadata.keySet()) {
            if (!key.startsWith("nnj.") || KNOWN_KEYS.contains(key)) {
                continue;
            }
            if (WRITER.equals(writer)) {
                throw new ModelFileException(file, "metadata '" + key + "' is not a key nnj writes, though the file "
                        + "records this version as its writer (" + WRITER + "): it was edited, or written by another "
                        + "build (a misspelt key is read as missing); the keys nnj writes are "
                        + new java.util.TreeSet<>(KNOWN_KEYS));
            }
            LOG.warn("{}: metadata '{}' is not a key this version of nnj knows ({}), and is passed over", file, key,
                    writer == null ? "the file records no writer" : "written by " + shown(writer) + ", read by "
                    + WRITER);
        }
    }

    /**
     * A refusal of a field, layer, activation or type this version does not know, with the likeliest cause: a newer
     * nnj wrote the file. {@code nnj.format_version} stays "1" as files grow (see docs/models.md), so the version alone
     * cannot say it.
     */
    static String mayBeNewer(String message, Map<String, String> metadata) {
        boolean unknown = message.contains("unknown ") || message.contains(" must be \"");
        if (!unknown) {
            return message;
        }
        String writer = metadata.get(WRITTEN_BY_KEY);
        if (WRITER.equals(writer)) {
            return message + " (the file records this version as its writer: it was edited, or written by another "
                    + "build)";
        }
        if (writer != null) {
            return message + " (written by " + shown(writer) + ", read by " + WRITER + ": this version reads the "
                    + "fields, layers and types it knew when it was built; load it with an nnj that knows this one, "
                    + "such as the one that wrote it)";
        }
        return message + " (a newer nnj may have written the file: this version reads the fields, layers and types "
                + "it knew when it was built; load it with the nnj that wrote it, or a later one)";
    }

    /**
     * "; written by nnj 0.2.0, read by nnj 0.1.0" for a file that records its writer ({@link #WRITTEN_BY_KEY}),
     * else nothing: files from before the entry, or from other tools, do not say. The recorded text is shown cut and
     * without control characters, as a hand-edited file's may be anything.
     */
    static String writtenBy(Map<String, String> metadata) {
        String writer = metadata.get(WRITTEN_BY_KEY);
        return writer == null ? "" : "; written by " + shown(writer) + ", read by " + WRITER;
    }

    /** A recorded writer as a message quotes it: cut at 80 characters, line breaks and other controls as spaces. */
    private static String shown(String writer) {
        String cut = writer.length() <= 80 ? writer : writer.substring(0, 80) + "…";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static void checkPreprocessing(Path file, Preprocessing p, Sequential model) throws ModelFileException {
        String mismatch = p.whyNotFor(model);
        if (mismatch != null) {
            throw new ModelFileException(file, "metadata '" + PREPROCESSING_KEY + "': " + mismatch);
        }
    }

    /**
     * The first ten names, and how many more: a message about a file of a million tensors stays one readable line
     * (listed whole, one hostile file's made a 15.7 MB message).
     */
    static String firstTen(java.util.Collection<String> names) {
        List<String> all = new ArrayList<>(names.size() <= 11 ? names : names.stream().limit(10).toList());
        return names.size() <= 11 ? String.join(", ", all)
                : String.join(", ", all) + ", … (" + (names.size() - 10) + " more)";
    }

    /** Every expected tensor present with its shape, and nothing else. */
    static void checkTensors(Path file, Map<String, int[]> expected, Map<String, int[]> actual)
            throws ModelFileException {
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            int[] shape = actual.get(e.getKey());
            if (shape == null) {
                throw new ModelFileException(file, "tensor '" + e.getKey() + "' is missing; the architecture needs "
                        + "[" + firstTen(expected.keySet()) + "], the file has [" + firstTen(actual.keySet()) + "]");
            }
            if (!Arrays.equals(shape, e.getValue())) {
                int[] need = e.getValue();
                // A weight stored the other way round: most often a layout that says otherwise (PyTorch's (out, in)).
                boolean transposed = shape.length == 2 && need.length == 2 && shape[0] == need[1]
                        && shape[1] == need[0];
                throw new ModelFileException(file, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(shape)
                        + ", but the architecture needs " + Arrays.toString(need) + (transposed ? ", its transpose: "
                        + "check that metadata '" + LAYOUT_KEY + "' says how the file stores its weights (in_out or "
                        + "out_in)" : ""));
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name)) {
                throw new ModelFileException(file, "unexpected tensor '" + name + "': the architecture has no such "
                        + "parameter (it has [" + firstTen(expected.keySet()) + "])");
            }
        }
    }

    static void requireFinite(Path file, NamedTensor t) throws ModelFileException {
        float[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new ModelFileException(file, "tensor '" + t.name() + "' holds " + v[i] + " at index " + i
                        + "; parameters must be finite");
            }
        }
    }
}
