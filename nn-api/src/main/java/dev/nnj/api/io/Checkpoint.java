package dev.nnj.api.io;

import dev.nnj.api.Backend;
import dev.nnj.api.internal.MetadataOrder;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.OptimizerState;
import dev.nnj.api.spi.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training checkpoint: one model file ({@link ModelFiles}, so {@code predict} and {@link ModelFiles#load
 * ModelFiles.load} read it as a model, unless the model was built in code: see below) that also holds what resuming
 * needs, beside the model's tensors:
 * <pre>
 *   tensors       optimizer.&lt;parameter&gt;.&lt;k&gt;   the optimizer's k-th state tensor of each parameter (Adam: 0 = m,
 *                                              1 = v), of the parameter's (in, out) shape
 *                 early_stopping.best.&lt;parameter&gt;  the best epoch's parameters, when early stopping restores
 *                                              them and that epoch is not the saved one
 *   __metadata__  nnj.checkpoint          {"epoch": 5, "optimizer": "Adam", "steps": 225,
 *                                          "learning_rate": 0.001, "dropout_masks_drawn": {"dropout_1": 225},
 *                                          "trainer": {"early_stopping": {"monitor": "VALIDATION_LOSS",
 *                                            "value": 0.0912, "epoch": 4, "epochs_since": 1},
 *                                            "listeners": {"ReduceLROnPlateau": {"bad_epochs": "1", ...}}}}
 * </pre>
 * One file, written atomically, so the model and its optimizer state can never be torn apart by a crash.
 * Restoring it, then training with {@code Trainer.builder().resumeFrom(restored)} and the same seed, continues
 * exactly as if training had never stopped: the same weights, moments, step count, dropout masks and shuffle
 * order (bit for bit on the CPU backend), a learning-rate schedule's rates (the optimizer holds the schedule's
 * {@code η₀} between epochs), and, from the {@link TrainerProgress} that {@link dev.nnj.api.train.ModelCheckpoint}
 * saves, early stopping's best epoch and patience (with the best epoch's weights when it restores them) and the
 * state of resumable listeners such as {@link dev.nnj.api.train.ReduceLROnPlateau}. A checkpoint saved without a
 * progress (by {@link #save(Path, Sequential, Optimizer, int, Preprocessing, Map)}, or before files held one)
 * restores with {@link TrainerProgress#NONE}: those start afresh, as Keras' callbacks do.
 *
 * <h2>A model built in code</h2>
 * A model holding a layer of its own (a {@link dev.nnj.api.layers.CustomActivationLayer} or any other {@link Layer}
 * nnj's loader does not rebuild, see {@link LayerSpec#of}) has no architecture a file could rebuild it from, as its
 * code is not in the file. Its checkpoint holds the same tensors and training state, and in place of
 * {@code nnj.architecture} a description of its layers to check a model against:
 * <pre>
 *   __metadata__  nnj.code_layers    {"input_width": 6, "layers": [
 *                                        {"type": "dense", "name": "dense_1", "config": {...}},
 *                                        {"class": "com.example.Softsign", "name": "softsign_1"},
 *                                        {"class": "dev.nnj.api.layers.CustomActivationLayer", "name": "swish_1",
 *                                         "function": "com.example.Swish"}, ...]}
 * </pre>
 * That is PyTorch's way with any model: build the same network in code, then {@link #restoreInto restoreInto} it,
 * which loads the parameters, the optimizer state, dropout's mask streams and the trainer's progress, and
 * {@code Trainer.builder().resumeFrom(resumed)} continues the run exactly as {@link #restore restore} does for a
 * file that rebuilds its own model. {@link ModelFiles#load ModelFiles.load} and {@link #restore restore} refuse such
 * a file, pointing there. {@link #restoreInto restoreInto} takes either kind of checkpoint.
 */
public final class Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    /** Metadata key of the checkpoint's own JSON. */
    public static final String CHECKPOINT_KEY = "nnj.checkpoint";
    /** Name prefix of the optimizer state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** Name prefix of the best epoch's parameters that early stopping will restore. */
    public static final String BEST_WEIGHTS_PREFIX = "early_stopping.best.";
    /**
     * Metadata key of the layers of a model built in code, in place of {@link ModelFiles#ARCHITECTURE_KEY} (see the
     * class comment).
     */
    public static final String CODE_LAYERS_KEY = "nnj.code_layers";

    private Checkpoint() {
    }

    /**
     * A restored checkpoint.
     *
     * @param saved    the model, its preprocessing and metadata
     * @param epoch    the epoch after which it was saved
     * @param progress the trainer's progress at that point, {@link TrainerProgress#NONE} if the file holds none;
     *                 {@code Trainer.builder().resumeFrom(restored)} continues it
     */
    public record Restored(SavedModel saved, int epoch, TrainerProgress progress) implements AutoCloseable {
        /**
         * Checks the values.
         *
         * @param saved    the model
         * @param epoch    the epochs completed
         * @param progress the trainer's progress
         */
        public Restored {
            Objects.requireNonNull(saved, "saved");
            Objects.requireNonNull(progress, "progress");
        }

        /**
         * A restored checkpoint without a trainer progress.
         *
         * @param saved the model
         * @param epoch the epochs completed
         */
        public Restored(SavedModel saved, int epoch) {
            this(saved, epoch, TrainerProgress.NONE);
        }

        /**
         * The restored model.
         *
         * @return the model
         */
        public Sequential model() {
            return saved.model();
        }

        /** Closes the model. */
        @Override
        public void close() {
            saved.close();
        }
    }

    /**
     * A checkpoint restored into a model built in code ({@link #restoreInto restoreInto}): where the run stood.
     *
     * @param epoch    the epoch after which it was saved
     * @param progress the trainer's progress at that point, {@link TrainerProgress#NONE} if the file holds none;
     *                 {@code Trainer.builder().resumeFrom(resumed)} continues it
     */
    public record Resumed(int epoch, TrainerProgress progress) {
        /**
         * Checks the values.
         *
         * @param epoch    the epochs completed, at least 0
         * @param progress the trainer's progress
         */
        public Resumed {
            if (epoch < 0) {
                throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
            }
            Objects.requireNonNull(progress, "progress");
        }
    }

    /**
     * What a checkpoint says about the run that wrote it, read from the file's header alone (no tensor is read,
     * nothing is allocated on a backend): enough to check a resumption's settings before building anything.
     *
     * @param epoch        the epochs completed when it was saved
     * @param optimizer    the optimizer's kind, as {@link OptimizerState#kind()} names it ({@code "Adam"})
     * @param steps        the optimizer steps taken
     * @param learningRate the optimizer's learning rate between epochs, where checkpoints are saved: the rate a
     *                     resumed run continues with, or, with a {@link dev.nnj.api.train.LearningRateSchedule}, its
     *                     base rate η₀, from which the schedule sets each epoch's or step's
     * @param metadata     every metadata entry of the file, the caller's own ({@code extra} in {@link #save}) included
     */
    public record Info(int epoch, String optimizer, int steps, float learningRate, Map<String, String> metadata) {
        /**
         * Checks the values and keeps an unmodifiable copy of the metadata.
         *
         * @param epoch        the epochs completed
         * @param optimizer    the optimizer's kind
         * @param steps        the steps taken
         * @param learningRate the learning rate
         * @param metadata     the file's metadata
         */
        public Info {
            if (epoch < 0 || steps < 0) {
                throw new IllegalArgumentException("epoch and steps must be >= 0, got " + epoch + " and " + steps);
            }
            Objects.requireNonNull(optimizer, "optimizer");
            metadata = Map.copyOf(metadata);
        }
    }

    /**
     * Reads a checkpoint's {@link Info} without loading its model or optimizer state.
     *
     * @param file the checkpoint
     * @return what it records
     * @throws ModelFileException if the file is malformed or is a model file, not a checkpoint
     * @throws IOException        if the file cannot be read
     */
    public static Info inspect(Path file) throws IOException {
        Checks.requireNonNull("inspect", "file", file);
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            return info(file, checkpointJson(file, reader.metadata()), reader.metadata());
        }
    }

    /**
     * Saves a checkpoint atomically. A model holding a layer of its own is saved with its layers described rather
     * than its architecture, for {@link #restoreInto restoreInto} (see the class comment).
     *
     * @param file          the file to create or replace
     * @param model         the model being trained
     * @param optimizer     its optimizer
     * @param epoch         epochs completed
     * @param preprocessing fitted transformations to keep with the model
     * @param extra         further metadata entries (keys must not start with {@code nnj.})
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the preprocessing does not fit the model (as {@link ModelFiles#save}), a
     *         metadata key is reserved or {@code epoch} is negative; nothing is written
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model: save from the
     *         training thread (as {@link dev.nnj.api.train.ModelCheckpoint} does, between epochs) or while none is
     * @throws IllegalStateException if a weight or the optimizer's state holds a value that is not finite (the training
     *         diverged, or the squared gradients overflowed: no step moves a weight), which loading would refuse;
     *         nothing is written
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, int epoch, Preprocessing preprocessing,
                            Map<String, String> extra) throws IOException {
        save(file, model, optimizer, epoch, preprocessing, extra, TrainerProgress.NONE);
    }

    /**
     * Saves a checkpoint atomically, with the trainer's progress, so that a run resumed from it continues early
     * stopping and resumable listeners too ({@link dev.nnj.api.train.ModelCheckpoint} saves this way, with
     * {@code TrainingControl.progress()}). A model holding a layer of its own is saved as in
     * {@link #save(Path, Sequential, Optimizer, int, Preprocessing, Map)}.
     *
     * @param file          the file to create or replace
     * @param model         the model being trained
     * @param optimizer     its optimizer
     * @param epoch         epochs completed
     * @param preprocessing fitted transformations to keep with the model
     * @param extra         further metadata entries (keys must not start with {@code nnj.})
     * @param progress      the trainer's progress after {@code epoch}
     * @throws IOException if writing fails
     * @throws IllegalArgumentException as {@link #save(Path, Sequential, Optimizer, int, Preprocessing, Map)}, or
     *         when early stopping's best epoch and epochs since do not end at {@code epoch}, its best weights name a
     *         parameter the model does not have or have another size, or its best value is not finite; nothing is
     *         written
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model
     * @throws IllegalStateException as {@link #save(Path, Sequential, Optimizer, int, Preprocessing, Map)}
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, int epoch, Preprocessing preprocessing,
                            Map<String, String> extra, TrainerProgress progress) throws IOException {
        Checks.requireNonNull("save", "file", file);
        Checks.requireNonNull("save", "model", model);
        Checks.requireNonNull("save", "optimizer", optimizer);
        Checks.requireNonNull("save", "preprocessing", preprocessing);
        Checks.requireNonNull("save", "extra", extra);
        Checks.requireNonNull("save", "progress", progress);
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 (the epochs completed), got " + epoch);
        }
        // Before any state is read: the network as a file records it, rebuildable or only checkable.
        Architecture architecture = rebuildable(model);
        // The weights first, through the model's guard: a training thread other than this one is refused here,
        // before the optimizer's state is read.
        List<NamedTensor> weights = ModelFiles.tensors("Checkpoint.save", model, WeightLayout.IN_OUT);
        OptimizerState state = optimizer.exportState();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epoch", epoch);
        json.put("optimizer", state.kind());
        json.put("steps", state.steps());
        json.put("learning_rate", state.learningRate());
        json.put("hyperparameters", new LinkedHashMap<String, Object>(optimizer.hyperparameters()));
        Map<String, Object> masks = new LinkedHashMap<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof Dropout) {
                masks.put(layer.name(), ((Dropout) layer).masksDrawn());
            }
        }
        json.put("dropout_masks_drawn", masks);
        List<NamedTensor> tensors = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            List<float[]> slots = state.slots().get(p.name());
            for (int k = 0; slots != null && k < slots.size(); k++) {
                String name = OPTIMIZER_PREFIX + p.name() + "." + k;
                requireFiniteState(name, slots.get(k));
                tensors.add(new NamedTensor(name, p.shape(), slots.get(k)));
            }
        }
        if (progress != TrainerProgress.NONE) {
            json.put("trainer", ProgressJson.write(progress, model, epoch, tensors));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : MetadataOrder.stable(extra).entrySet()) {
            if (e.getKey().startsWith("nnj.")) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is reserved");
            }
            metadata.put(e.getKey(), e.getValue());
        }
        metadata.put(CHECKPOINT_KEY, JsonWriter.write(json));
        if (architecture == null) {
            metadata.put(CODE_LAYERS_KEY, codeLayersJson(model));
        }
        ModelFiles.write(model, architecture, file, WeightLayout.IN_OUT, preprocessing, metadata, weights, tensors);
    }

    /**
     * Refuses to write optimizer state that is not finite: loading refuses it, so the file could never be resumed,
     * and a state of infinities means the optimizer stopped learning without a word (Adam's second moment is the
     * squared gradient, which overflows float32 for a gradient beyond about 1.8e19: no update moves a weight then).
     */
    private static void requireFiniteState(String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalStateException("checkpoint: the optimizer's state '" + name + "' holds " + values[i]
                        + " at index " + i + ", so the optimizer no longer learns (a squared gradient beyond float32's "
                        + "range makes every step 0: gradients beyond about 1.8e19, such as from row or class weights "
                        + "that large) and the checkpoint could not be resumed; it is not written");
            }
        }
    }

    /**
     * Restores a checkpoint: loads the model onto {@code backend}, and the optimizer state into
     * {@code optimizer} (a fresh optimizer of the same kind and hyperparameters as the saved one).
     *
     * @param file      the checkpoint
     * @param backend   where the model will live
     * @param optimizer receives the saved state
     * @return the model and the epoch to resume after
     * @throws ModelFileException if the file is malformed, is not a checkpoint, or its state does not fit: among
     *         others, an optimizer of another kind, or with other {@link Optimizer#hyperparameters()} than the file
     *         records (the message names each); nothing is imported then
     * @throws IOException        if the file cannot be read
     */
    public static Restored restore(Path file, Backend backend, Optimizer optimizer) throws IOException {
        Checks.requireNonNull("restore", "file", file);
        Checks.requireNonNull("restore", "backend", backend);
        Checks.requireNonNull("restore", "optimizer", optimizer);
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            Map<String, Object> json = checkpointJson(file, reader.metadata());
            Info info = info(file, json, reader.metadata());
            SavedModel saved = ModelFiles.load(reader, backend);
            try {
                Sequential model = saved.model();
                Map<String, List<float[]>> slots = optimizerSlots(file, reader, model);
                restoreMasks(file, json.get("dropout_masks_drawn"), model);
                TrainerProgress progress = ProgressJson.read(file, json.get("trainer"), reader, model, info.epoch());
                reader.verify();   // every tensor read: before any of it reaches the optimizer
                importOptimizerState(file, json, info, model, slots, optimizer);
                return new Restored(saved, info.epoch(), progress);
            } catch (IOException | RuntimeException e) {
                saved.close();
                throw e;
            }
        }
    }

    /**
     * Restores a checkpoint into {@code model}, a network built in code: its parameters, the optimizer state into
     * {@code optimizer} (a fresh optimizer of the same kind and hyperparameters as the saved one), dropout's mask
     * streams, and the trainer's progress for {@code Trainer.builder().resumeFrom(resumed)}. The only way back into a
     * model that holds a layer of its own (see the class comment); a checkpoint of nnj's own layers restores this
     * way too, into the same network built in code.
     *
     * <pre>{@code
     * Sequential model = buildMyNetwork(backend);          // the same layers, in the same order, as the saved run's
     * Adam adam = new Adam(0.01f);
     * Checkpoint.Resumed resumed = Checkpoint.restoreInto(dir.resolve(ModelCheckpoint.LAST), model, adam);
     * Trainer.builder().epochs(100).seed(7).resumeFrom(resumed).build().fit(model, loss, adam, train, validation);
     * }</pre>
     *
     * @param file      the checkpoint
     * @param model     a network with the checkpoint's layers: the same types, names and configurations (a layer of
     *                  its own the same class), input width and parameter shapes
     * @param optimizer receives the saved state
     * @return the epoch to resume after, and the trainer's progress
     * @throws ModelFileException if the file is malformed or not a checkpoint, if the model's network is not the
     *         checkpoint's (naming the first layer that differs) or a parameter's shape differs, or if the state
     *         does not fit, as for {@link #restore restore}; the model and the optimizer are unchanged then
     * @throws IOException        if the file cannot be read
     */
    public static Resumed restoreInto(Path file, Sequential model, Optimizer optimizer) throws IOException {
        Checks.requireNonNull("restoreInto", "file", file);
        Checks.requireNonNull("restoreInto", "model", model);
        Checks.requireNonNull("restoreInto", "optimizer", optimizer);
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            Map<String, String> metadata = reader.metadata();
            Map<String, Object> json = checkpointJson(file, metadata);
            Info info = info(file, json, metadata);
            requireSameNetwork(file, metadata, model);
            if (!WeightLayout.IN_OUT.label().equals(metadata.get(ModelFiles.LAYOUT_KEY))) {
                throw new ModelFileException(file, "metadata '" + ModelFiles.LAYOUT_KEY + "' must be \""
                        + WeightLayout.IN_OUT.label() + "\" in a checkpoint, got "
                        + metadata.get(ModelFiles.LAYOUT_KEY));
            }
            // Everything is read and checked first: the model and the optimizer change only once it all fits.
            // The parameters' tensors against the model's, as ModelFiles.load checks them against an architecture.
            Map<String, int[]> expected = new LinkedHashMap<>();
            for (Parameter p : model.parameters()) {
                expected.put(p.name(), p.shape());
            }
            Map<String, float[]> values = ModelFiles.readParameters(reader, expected, WeightLayout.IN_OUT);
            Map<String, List<float[]>> slots = optimizerSlots(file, reader, model);
            Map<Dropout, Long> masks = masksDrawn(file, json.get("dropout_masks_drawn"), model);
            TrainerProgress progress = ProgressJson.read(file, json.get("trainer"), reader, model, info.epoch());
            reader.verify();   // every tensor read: before any of it reaches the model or the optimizer
            importOptimizerState(file, json, info, model, slots, optimizer);
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                model.parameter(e.getKey()).write(e.getValue());
            }
            masks.forEach((d, n) -> d.resumeMasks(d.maskSeed(), n));
            return new Resumed(info.epoch(), progress);
        }
    }

    /**
     * The JSON a checkpoint records of {@code model}'s network: its {@link Architecture} when every layer is one
     * nnj's loader rebuilds, else the same form with each layer of its own given by name and class (see the class
     * comment). Two models with the same JSON have the same layers, in the same order, with the same settings.
     *
     * @param model a model
     * @return compact JSON
     */
    public static String layersJson(Sequential model) {
        Architecture rebuildable = rebuildable(model);
        return rebuildable != null ? JsonWriter.write(rebuildable.toJson()) : codeLayersJson(model);
    }

    /**
     * The network JSON a checkpoint's metadata records, under {@value #CODE_LAYERS_KEY} for a model built in code or
     * {@link ModelFiles#ARCHITECTURE_KEY} otherwise: what {@link #layersJson} gave for the model it was saved from.
     *
     * @param metadata a checkpoint's metadata ({@link SafeTensors.Reader#metadata()})
     * @return compact JSON, or null when the metadata records neither
     */
    public static String savedLayersJson(Map<String, String> metadata) {
        String codeLayers = metadata.get(CODE_LAYERS_KEY);
        return codeLayers != null ? codeLayers : metadata.get(ModelFiles.ARCHITECTURE_KEY);
    }

    /** {@link #layersJson}'s form for a model with a layer of its own: such layers by class and name. */
    private static String codeLayersJson(Sequential model) {
        List<Object> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            try {
                LayerSpec spec = LayerSpec.of(layer);
                entry.put("type", spec.type());
                entry.put("name", spec.name());
                entry.put("config", spec.config());
            } catch (UnsupportedOperationException e) {
                entry.put("class", layer.getClass().getName());
                entry.put("name", layer.name());
                Class<?> function = layer instanceof CustomActivationLayer custom ? custom.function().getClass() : null;
                if (function != null && !function.isAnonymousClass() && !function.isLocalClass() && !function.isHidden()
                        && !function.isSynthetic()) {
                    // Its name is the function's own: two functions of one name would pass for each other. Only a
                    // named class is recorded: an anonymous or local one's name (Outer$1) changes with the code
                    // around it, and a lambda's with every run.
                    entry.put("function", function.getName());
                }
            }
            layers.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input_width", model.inputWidth());
        json.put("layers", layers);
        return JsonWriter.write(json);
    }

    /** The model's architecture, or null when a layer is one the loader would not rebuild (a layer of its own). */
    private static Architecture rebuildable(Sequential model) {
        try {
            return Architecture.of(model);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** Refuses a model whose network is not the one the checkpoint records, naming the first layer that differs. */
    private static void requireSameNetwork(Path file, Map<String, String> metadata, Sequential model)
            throws ModelFileException {
        String key = metadata.containsKey(CODE_LAYERS_KEY) ? CODE_LAYERS_KEY : ModelFiles.ARCHITECTURE_KEY;
        String saved = savedLayersJson(metadata);
        if (saved == null) {
            throw new ModelFileException(file, "metadata has neither '" + ModelFiles.ARCHITECTURE_KEY + "' nor '"
                    + CODE_LAYERS_KEY + "': the network it was saved from is unknown");
        }
        String mine = layersJson(model);
        if (saved.equals(mine)) {
            return;
        }
        Map<String, Object> savedJson;
        Map<String, Object> mineJson;
        try {
            savedJson = StrictJson.parseObject(saved);
            mineJson = StrictJson.parseObject(mine);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + key + "': " + e.getMessage());
        }
        if (sameNetwork(savedJson, mineJson)) {
            return;
        }
        throw new ModelFileException(file, "the model is not the network this checkpoint was saved from: "
                + NetworkDifference.first(savedJson, mineJson) + "; build the saved network to restore into");
    }

    /**
     * Whether {@code model} is the network a checkpoint's {@link #savedLayersJson} describes: the same JSON, or the
     * same but for the {@code function} of a custom activation layer that the saved description lacks (a file written
     * before functions were recorded, or a function of an anonymous class).
     *
     * @param saved the saved description
     * @param model a model
     * @return true if a checkpoint of that description restores into it
     */
    public static boolean sameNetwork(String saved, Sequential model) {
        String mine = layersJson(model);
        if (saved.equals(mine)) {
            return true;
        }
        try {
            return sameNetwork(StrictJson.parseObject(saved), StrictJson.parseObject(mine));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** {@link #sameNetwork(String, Sequential)} of the parsed descriptions, the saved one first. */
    private static boolean sameNetwork(Map<String, Object> saved, Map<String, Object> mine) {
        return saved.equals(functionsAsSaved(mine, saved));
    }

    /**
     * {@code mine} with the {@code function} of each custom activation layer left out where the saved description of
     * that layer has none (a file written before it was recorded), so that such a file restores as it did.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> functionsAsSaved(Map<String, Object> mine, Map<String, Object> saved) {
        if (!(mine.get("layers") instanceof List<?> mineLayers) || !(saved.get("layers") instanceof List<?> savedLayers)
                || mineLayers.size() != savedLayers.size()) {
            return mine;
        }
        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < mineLayers.size(); i++) {
            Object layer = mineLayers.get(i);
            if (layer instanceof Map<?, ?> m && m.containsKey("function") && savedLayers.get(i) instanceof Map<?, ?> o
                    && !o.containsKey("function")) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                copy.remove("function");
                layer = copy;
            }
            layers.add(layer);
        }
        Map<String, Object> copy = new LinkedHashMap<>(mine);
        copy.put("layers", layers);
        return copy;
    }

    /**
     * The optimizer's state tensors of each parameter ({@code optimizer.<parameter>.<k>}, k from 0), checked against
     * the parameter's shape; a state tensor of no parameter of the model is refused.
     */
    private static Map<String, List<float[]>> optimizerSlots(Path file, SafeTensors.Reader reader, Sequential model)
            throws IOException {
        Map<String, int[]> stateShapes = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : reader.shapes().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                stateShapes.put(e.getKey(), e.getValue());
            }
        }
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            List<float[]> list = new ArrayList<>();
            for (int k = 0; stateShapes.containsKey(OPTIMIZER_PREFIX + p.name() + "." + k); k++) {
                String name = OPTIMIZER_PREFIX + p.name() + "." + k;
                if (!Arrays.equals(stateShapes.remove(name), p.shape())) {
                    throw new ModelFileException(file, "tensor '" + name + "' must have the shape of " + p.name()
                            + ", " + Arrays.toString(p.shape()));
                }
                NamedTensor t = reader.tensor(name);
                ModelFiles.requireFinite(file, t);
                list.add(t.values());
            }
            if (!list.isEmpty()) {
                slots.put(p.name(), list);
            }
        }
        if (!stateShapes.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensor '" + stateShapes.keySet().iterator().next()
                    + "': no parameter of the model has that optimizer state");
        }
        return slots;
    }

    /**
     * Hands the saved state to {@code optimizer}, after checking that it runs with the saved hyperparameters; a state
     * the optimizer refuses is the file's error. Nothing else has been changed when this throws.
     */
    private static void importOptimizerState(Path file, Map<String, Object> json, Info info, Sequential model,
                                             Map<String, List<float[]>> slots, Optimizer optimizer)
            throws ModelFileException {
        requireSameHyperparameters(file, json.get("hyperparameters"), info.optimizer(), optimizer);
        try {
            optimizer.importState(model.parameters(), new OptimizerState(info.optimizer(), info.steps(),
                    info.learningRate(), slots));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "optimizer state: " + e.getMessage());
        }
    }

    /**
     * A resumed run continues the saved one only with the same momentum, betas, decay…: refused otherwise, naming
     * each difference, before any state is imported (the state's own checks would only see a missing momentum
     * buffer). Another kind of optimizer is left to {@code importState}, which names both kinds. Checkpoints written
     * before the hyperparameters were recorded have none to compare: restored with a warning that says so, since
     * the state then continues into whatever betas or momentum the caller chose.
     */
    private static void requireSameHyperparameters(Path file, Object saved, String kind, Optimizer optimizer)
            throws ModelFileException {
        if (saved == null) {
            LOG.warn("{}: the checkpoint records no hyperparameters of its {} (written by an nnj from before they were "
                    + "recorded), so they cannot be checked: the state continues with this {}'s {}; if the saved run "
                    + "used others, the resumed run trains differently", file, kind,
                    optimizer.getClass().getSimpleName(), optimizer.hyperparameters());
            return;
        }
        if (!(saved instanceof Map)) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': hyperparameters must be an object");
        }
        // nnj's optimizers name their state by their class (AbstractOptimizer); exportState would copy a used
        // optimizer's tensors, or fail on a closed backend, only to say so.
        if (!kind.equals(optimizer.getClass().getSimpleName())) {
            return;
        }
        Map<?, ?> recorded = (Map<?, ?>) saved;
        Map<String, String> given = optimizer.hyperparameters();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<?, ?> e : recorded.entrySet()) {
            String mine = given.get(String.valueOf(e.getKey()));
            if (!String.valueOf(e.getValue()).equals(mine)) {
                differences.add(e.getKey() + " " + e.getValue() + " (given " + (mine == null ? "none" : mine) + ")");
            }
        }
        for (String name : given.keySet()) {
            if (!recorded.containsKey(name)) {
                differences.add(name + " none (given " + given.get(name) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new ModelFileException(file, "the checkpoint's " + kind + " ran with other hyperparameters than "
                    + optimizer.describe() + ": " + String.join(", ", differences) + "; make the optimizer with the "
                    + "saved ones to resume the run");
        }
    }

    private static void restoreMasks(Path file, Object masks, Sequential model) throws ModelFileException {
        masksDrawn(file, masks, model).forEach((d, n) -> d.resumeMasks(d.maskSeed(), n));
    }

    /** Each dropout layer's masks drawn so far, as the checkpoint records them, checked; nothing is changed. */
    private static Map<Dropout, Long> masksDrawn(Path file, Object masks, Sequential model) throws ModelFileException {
        if (!(masks instanceof Map)) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': dropout_masks_drawn must be an "
                    + "object");
        }
        Map<?, ?> drawn = (Map<?, ?>) masks;
        Map<Dropout, Long> counts = new LinkedHashMap<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof Dropout) {
                Object n = drawn.get(layer.name());
                if (!(n instanceof Long) || (Long) n < 0) {
                    throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': dropout_masks_drawn."
                            + layer.name() + " must be a non-negative integer, got " + n);
                }
                counts.put((Dropout) layer, (Long) n);
            }
        }
        return counts;
    }

    /**
     * Whether a tensor of a checkpoint is training state rather than a model parameter: the optimizer's state or
     * early stopping's best weights, which {@link ModelFiles#load ModelFiles.load} leaves to {@link #restore}.
     */
    static boolean isStateTensor(String name) {
        return name.startsWith(OPTIMIZER_PREFIX) || name.startsWith(BEST_WEIGHTS_PREFIX);
    }

    /** The checkpoint's own JSON object, or why the file is not a checkpoint. */
    private static Map<String, Object> checkpointJson(Path file, Map<String, String> metadata)
            throws ModelFileException {
        ModelFiles.requireUnderstood(file, metadata);
        String text = metadata.get(CHECKPOINT_KEY);
        if (text == null) {
            throw new ModelFileException(file, "metadata has no '" + CHECKPOINT_KEY + "': a model file, not a "
                    + "checkpoint (it holds no optimizer state to resume from)");
        }
        try {
            return StrictJson.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': " + e.getMessage());
        }
    }

    private static Info info(Path file, Map<String, Object> json, Map<String, String> metadata)
            throws ModelFileException {
        int epoch = (int) integer(json, "epoch", file, Integer.MAX_VALUE);
        int steps = (int) integer(json, "steps", file, Integer.MAX_VALUE);
        Object kind = json.get("optimizer");
        Object lr = json.get("learning_rate");
        if (!(kind instanceof String) || !(lr instanceof Number)) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': needs a string optimizer and "
                    + "a number learning_rate, got " + kind + " and " + lr);
        }
        float rate = ((Number) lr).floatValue();
        if (!(rate > 0) || Float.isInfinite(rate)) {
            // Said here, so that inspect does not show it as the rate a resumed run goes on with.
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': learning_rate must be a positive "
                    + "finite number, got " + lr);
        }
        return new Info(epoch, (String) kind, steps, rate, metadata);
    }

    private static long integer(Map<String, Object> json, String key, Path file, long max) throws ModelFileException {
        Object v = json.get(key);
        if (!(v instanceof Long) || (Long) v < 0 || (Long) v > max) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': " + key
                    + " must be an integer in [0, " + max + "], got " + v);
        }
        return (Long) v;
    }
}
