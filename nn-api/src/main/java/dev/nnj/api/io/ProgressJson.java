package dev.nnj.api.io;

import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TrainerProgress} in a checkpoint: the {@code "trainer"} member of its {@code nnj.checkpoint} JSON
 * <pre>
 *   {"early_stopping": {"monitor": "VALIDATION_LOSS", "value": 0.0912, "epoch": 4, "epochs_since": 1},
 *    "listeners": {"ReduceLROnPlateau": {"learning_rate": "0.005", "bad_epochs": "1", ...}},
 *    "held_out": {"fraction": 0.2, "seed": 7, "rows": 1437}}
 * </pre>
 * and, when early stopping restores an earlier epoch's weights, one tensor {@code early_stopping.best.<parameter>}
 * per parameter, of the parameter's shape. Values are written with {@link Double#toString}, which reads back to
 * the same double (an infinite best, or the NaN of a rule with no best epoch yet, {@code "epoch": 0}, as the string
 * {@code "Infinity"}, {@code "-Infinity"} or {@code "NaN"}). Reading checks every member against the model and the
 * checkpoint's epoch, so a damaged file is refused with the member named rather than resumed from wrong numbers.
 */
final class ProgressJson {
    private static final String WHERE = "metadata '" + Checkpoint.CHECKPOINT_KEY + "': trainer.";

    private ProgressJson() {
    }

    /**
     * The JSON member for {@code progress}; adds the best weights' tensors to {@code tensors}.
     *
     * @throws IllegalArgumentException when the progress does not fit the model or the epoch
     */
    static Map<String, Object> write(TrainerProgress progress, Sequential model, int epoch, List<NamedTensor> tensors) {
        Map<String, Object> json = new LinkedHashMap<>();
        TrainerProgress.Best best = progress.earlyStopping();
        if (best != null) {
            if (!best.fits(epoch)) {
                throw new IllegalArgumentException(best.found() ? "early stopping's best epoch " + best.epoch()
                        + " and " + best.epochsSince() + " epochs since do not end at the checkpoint's epoch " + epoch
                        : "early stopping watched " + best.epochsSince() + " epochs without a best one, more than the "
                        + "checkpoint's epoch " + epoch);
            }
            Map<String, Object> es = new LinkedHashMap<>();
            es.put("monitor", best.monitor());
            // JSON has no infinity or NaN: those go in as Double.toString's words, which read back to the same double.
            es.put("value", Double.isFinite(best.value()) ? (Object) best.value() : Double.toString(best.value()));
            es.put("epoch", best.epoch());
            es.put("epochs_since", best.epochsSince());
            json.put("early_stopping", es);
            if (!best.weights().isEmpty()) {
                for (Map.Entry<String, float[]> e : best.weights().entrySet()) {
                    model.parameter(e.getKey());   // refuses a name the model does not have
                }
                for (Parameter p : model.parameters()) {
                    float[] values = best.weights().get(p.name());
                    if (values == null || values.length != p.size()) {
                        throw new IllegalArgumentException("early stopping's best weights must hold every parameter "
                                + "at its size: " + p.name() + " " + Arrays.toString(p.shape()) + " has "
                                + (values == null ? "none" : values.length + " values"));
                    }
                    tensors.add(new NamedTensor(Checkpoint.BEST_WEIGHTS_PREFIX + p.name(), p.shape(), values));
                }
            }
        }
        json.put("listeners", progress.listeners());
        TrainerProgress.HeldOut heldOut = progress.heldOut();
        if (heldOut != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("fraction", heldOut.fraction());
            h.put("seed", heldOut.seed());
            h.put("rows", heldOut.rows());
            json.put("held_out", h);
        }
        return json;
    }

    /**
     * The progress a checkpoint holds: {@link TrainerProgress#NONE} when {@code json} is absent (a checkpoint saved
     * without one).
     *
     * @throws ModelFileException naming the member that is malformed or does not fit
     */
    static TrainerProgress read(Path file, Object json, SafeTensors.Reader reader, Sequential model, int epoch)
            throws IOException {
        Map<String, float[]> weights = bestWeights(file, reader, model);
        Map<String, Object> trainer = json == null ? Map.of() : object(file, json, "trainer");
        TrainerProgress.Best best = null;
        Object es = trainer.get("early_stopping");
        if (es != null) {
            Map<String, Object> o = object(file, es, "trainer.early_stopping");
            Object monitor = o.get("monitor");
            double value = bestValue(o.get("value"));
            if (!(monitor instanceof String) || Double.isNaN(value) && !"NaN".equals(o.get("value"))) {
                throw new ModelFileException(file, WHERE + "early_stopping needs a string monitor and a number value "
                        + "(a finite number, or \"Infinity\", \"-Infinity\" or \"NaN\"), got " + shown(monitor)
                        + " and " + shown(o.get("value")));
            }
            int bestEpoch = integer(file, o, "epoch", 0, epoch);
            int since;
            if (bestEpoch == 0) {
                // No best epoch yet: the epochs watched so far, a NaN value and no weights to restore.
                if (!Double.isNaN(value) || !weights.isEmpty()) {
                    throw new ModelFileException(file, WHERE + "early_stopping without a best epoch (epoch 0) must "
                            + "have the value \"NaN\" and no best weights, got " + shown(o.get("value"))
                            + (weights.isEmpty() ? "" : " and " + weights.size() + " best weights"));
                }
                since = integer(file, o, "epochs_since", 1, epoch);
            } else {
                // The epochs since the best are the epochs after it: one number written twice, and a check of both.
                since = integer(file, o, "epochs_since", epoch - bestEpoch, epoch - bestEpoch);
                if (Double.isNaN(value)) {
                    throw new ModelFileException(file, WHERE + "early_stopping's best epoch " + bestEpoch
                            + " must have a number value, got \"NaN\"");
                }
            }
            best = new TrainerProgress.Best((String) monitor, value, bestEpoch, since, weights);
        } else if (!weights.isEmpty()) {
            throw new ModelFileException(file, "best weights ('" + Checkpoint.BEST_WEIGHTS_PREFIX + "*') without "
                    + "the early stopping progress they belong to");
        }
        if (json == null) {
            return TrainerProgress.NONE;
        }
        Map<String, Map<String, String>> listeners = new LinkedHashMap<>();
        Object ls = trainer.get("listeners");
        if (ls != null) {
            for (Map.Entry<String, Object> e : object(file, ls, "trainer.listeners").entrySet()) {
                Map<String, String> state = new LinkedHashMap<>();
                Map<String, Object> entries = object(file, e.getValue(), "trainer.listeners." + e.getKey());
                for (Map.Entry<String, Object> v : entries.entrySet()) {
                    if (!(v.getValue() instanceof String)) {
                        throw new ModelFileException(file, WHERE + "listeners." + e.getKey() + "." + v.getKey()
                                + " must be a string, got " + StrictJson.typeName(v.getValue()));
                    }
                    state.put(v.getKey(), (String) v.getValue());
                }
                listeners.put(e.getKey(), state);
            }
        }
        return new TrainerProgress(best, listeners, heldOut(file, trainer.get("held_out")));
    }

    /**
     * Early stopping's best value as written: a finite number, or one of {@link Double#toString}'s words for the
     * others. NaN for anything else too; the caller tells the word "NaN" from a malformed value.
     */
    private static double bestValue(Object json) {
        if (json instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? n.doubleValue() : Double.NaN;
        }
        if ("Infinity".equals(json)) {
            return Double.POSITIVE_INFINITY;
        }
        return "-Infinity".equals(json) ? Double.NEGATIVE_INFINITY : Double.NaN;
    }

    /** A JSON value as a message shows it: a string in quotes, so that {@code "11"} is not read as the number. */
    private static String shown(Object value) {
        return value instanceof String ? "\"" + value + "\" (a string)" : String.valueOf(value);
    }

    /** The validation rows held out, or null for a checkpoint that does not record them. */
    private static TrainerProgress.HeldOut heldOut(Path file, Object json) throws ModelFileException {
        if (json == null) {
            return null;
        }
        Map<String, Object> o = object(file, json, "trainer.held_out");
        Object fraction = o.get("fraction");
        Object seed = o.get("seed");
        Object rows = o.get("rows");
        double f = fraction instanceof Number ? ((Number) fraction).doubleValue() : Double.NaN;
        if (!(f == 0 || f > 0 && f < 1) || !(seed instanceof Long) || !(rows instanceof Long) || (Long) rows < 1
                || (Long) rows > Integer.MAX_VALUE) {
            throw new ModelFileException(file, WHERE + "held_out needs a fraction in [0, 1), an integer seed and "
                    + "rows in [1, " + Integer.MAX_VALUE + "], got " + shown(fraction) + ", " + shown(seed) + " and "
                    + shown(rows));
        }
        return new TrainerProgress.HeldOut(f, (Long) seed, (int) (long) (Long) rows);
    }

    /** The best weights' tensors by parameter name: all of the model's parameters, or none. */
    private static Map<String, float[]> bestWeights(Path file, SafeTensors.Reader reader, Sequential model)
            throws IOException {
        Map<String, float[]> weights = new LinkedHashMap<>();
        int found = 0;
        for (String name : reader.shapes().keySet()) {
            if (name.startsWith(Checkpoint.BEST_WEIGHTS_PREFIX)) {
                found++;
            }
        }
        if (found == 0) {
            return weights;
        }
        for (Parameter p : model.parameters()) {
            String name = Checkpoint.BEST_WEIGHTS_PREFIX + p.name();
            int[] shape = reader.shapes().get(name);
            if (!Arrays.equals(shape, p.shape())) {
                throw new ModelFileException(file, "tensor '" + name + "' must have the shape of " + p.name() + ", "
                        + Arrays.toString(p.shape()) + (shape == null ? "; it is missing" : ", not "
                        + Arrays.toString(shape)));
            }
            NamedTensor t = reader.tensor(name);
            ModelFiles.requireFinite(file, t);
            weights.put(p.name(), t.values());
        }
        if (found != weights.size()) {
            for (String name : reader.shapes().keySet()) {
                if (name.startsWith(Checkpoint.BEST_WEIGHTS_PREFIX)
                        && !weights.containsKey(name.substring(Checkpoint.BEST_WEIGHTS_PREFIX.length()))) {
                    throw new ModelFileException(file, "unexpected tensor '" + name + "': the model has no such "
                            + "parameter");
                }
            }
        }
        return weights;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, Object value, String member) throws ModelFileException {
        if (!(value instanceof Map)) {
            throw new ModelFileException(file, "metadata '" + Checkpoint.CHECKPOINT_KEY + "': " + member
                    + " must be an object, got " + StrictJson.typeName(value));
        }
        return (Map<String, Object>) value;
    }

    private static int integer(Path file, Map<String, Object> o, String key, int min, int max)
            throws ModelFileException {
        Object v = o.get(key);
        if (!(v instanceof Long) || (Long) v < min || (Long) v > max) {
            throw new ModelFileException(file, WHERE + "early_stopping." + key + " must be an integer in [" + min
                    + ", " + max + "], got " + shown(v));
        }
        return (int) (long) (Long) v;
    }
}
