package dev.nnj.api.io;

import dev.nnj.api.Backend;
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

/**
 * A training checkpoint: one model file ({@link ModelFiles}, so {@code predict} and {@link ModelFiles#load
 * ModelFiles.load} read it as a model) that also holds what resuming needs, beside the model's tensors:
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
 */
public final class Checkpoint {
    /** Metadata key of the checkpoint's own JSON. */
    public static final String CHECKPOINT_KEY = "nnj.checkpoint";
    /** Name prefix of the optimizer state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** Name prefix of the best epoch's parameters that early stopping will restore. */
    public static final String BEST_WEIGHTS_PREFIX = "early_stopping.best.";

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
     * What a checkpoint says about the run that wrote it, read from the file's header alone (no tensor is read,
     * nothing is allocated on a backend): enough to check a resumption's settings before building anything.
     *
     * @param epoch        the epochs completed when it was saved
     * @param optimizer    the optimizer's kind, as {@link OptimizerState#kind()} names it ({@code "Adam"})
     * @param steps        the optimizer steps taken
     * @param learningRate the optimizer's learning rate at that point, the one a resumed run continues with
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
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            return info(file, checkpointJson(file, reader.metadata()), reader.metadata());
        }
    }

    /**
     * Saves a checkpoint atomically.
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
     * @throws UnsupportedOperationException if a layer is not one of nnj's own, which loading rebuilds (see {@link
     *         ModelFiles#save(Sequential, Path)}); nothing is written
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model: save from the
     *         training thread (as {@link dev.nnj.api.train.ModelCheckpoint} does, between epochs) or while none is
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, int epoch, Preprocessing preprocessing,
                            Map<String, String> extra) throws IOException {
        save(file, model, optimizer, epoch, preprocessing, extra, TrainerProgress.NONE);
    }

    /**
     * Saves a checkpoint atomically, with the trainer's progress, so that a run resumed from it continues early
     * stopping and resumable listeners too ({@link dev.nnj.api.train.ModelCheckpoint} saves this way, with
     * {@code TrainingControl.progress()}).
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
     * @throws UnsupportedOperationException if a layer is not one of nnj's own, which loading rebuilds (see {@link
     *         ModelFiles#save(Sequential, Path)}); nothing is written
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is training the model
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
        // Before any state is read: a layer the loader would not rebuild is refused here.
        Architecture architecture = Architecture.of(model);
        // The weights first, through the model's guard: a training thread other than this one is refused here,
        // before the optimizer's state is read.
        List<NamedTensor> weights = ModelFiles.tensors(model, WeightLayout.IN_OUT);
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
                tensors.add(new NamedTensor(OPTIMIZER_PREFIX + p.name() + "." + k, p.shape(), slots.get(k)));
            }
        }
        if (progress != TrainerProgress.NONE) {
            json.put("trainer", ProgressJson.write(progress, model, epoch, tensors));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (e.getKey().startsWith("nnj.")) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is reserved");
            }
            metadata.put(e.getKey(), e.getValue());
        }
        metadata.put(CHECKPOINT_KEY, JsonWriter.write(json));
        ModelFiles.write(model, architecture, file, WeightLayout.IN_OUT, preprocessing, metadata, weights, tensors);
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
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            Map<String, Object> json = checkpointJson(file, reader.metadata());
            Info info = info(file, json, reader.metadata());
            Map<String, int[]> stateShapes = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> e : reader.shapes().entrySet()) {
                if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                    stateShapes.put(e.getKey(), e.getValue());
                }
            }
            SavedModel saved = ModelFiles.load(reader, backend);
            try {
                Sequential model = saved.model();
                Map<String, List<float[]>> slots = new LinkedHashMap<>();
                for (Parameter p : model.parameters()) {
                    List<float[]> list = new ArrayList<>();
                    for (int k = 0; stateShapes.containsKey(OPTIMIZER_PREFIX + p.name() + "." + k); k++) {
                        String name = OPTIMIZER_PREFIX + p.name() + "." + k;
                        if (!Arrays.equals(stateShapes.remove(name), p.shape())) {
                            throw new ModelFileException(file, "tensor '" + name + "' must have the shape of "
                                    + p.name() + ", " + Arrays.toString(p.shape()));
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
                restoreMasks(file, json.get("dropout_masks_drawn"), model);
                TrainerProgress progress = ProgressJson.read(file, json.get("trainer"), reader, model, info.epoch());
                reader.verify();   // every tensor read: before any of it reaches the optimizer
                requireSameHyperparameters(file, json.get("hyperparameters"), info.optimizer(), optimizer);
                try {
                    optimizer.importState(model.parameters(), new OptimizerState(info.optimizer(), info.steps(),
                            info.learningRate(), slots));
                } catch (IllegalArgumentException e) {
                    throw new ModelFileException(file, "optimizer state: " + e.getMessage());
                }
                return new Restored(saved, info.epoch(), progress);
            } catch (IOException | RuntimeException e) {
                saved.close();
                throw e;
            }
        }
    }

    /**
     * A resumed run continues the saved one only with the same momentum, betas, decay…: refused otherwise, naming
     * each difference, before any state is imported (the state's own checks would only see a missing momentum
     * buffer). Another kind of optimizer is left to {@code importState}, which names both kinds. Checkpoints written
     * before the hyperparameters were recorded have none to compare.
     */
    private static void requireSameHyperparameters(Path file, Object saved, String kind, Optimizer optimizer)
            throws ModelFileException {
        if (saved == null) {
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
        if (!(masks instanceof Map)) {
            throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': dropout_masks_drawn must be an "
                    + "object");
        }
        Map<?, ?> drawn = (Map<?, ?>) masks;
        for (Layer layer : model.layers()) {
            if (layer instanceof Dropout) {
                Object n = drawn.get(layer.name());
                if (!(n instanceof Long) || (Long) n < 0) {
                    throw new ModelFileException(file, "metadata '" + CHECKPOINT_KEY + "': dropout_masks_drawn."
                            + layer.name() + " must be a non-negative integer, got " + n);
                }
                Dropout d = (Dropout) layer;
                d.resumeMasks(d.maskSeed(), (Long) n);
            }
        }
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
        return new Info(epoch, (String) kind, steps, ((Number) lr).floatValue(), metadata);
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
