package dev.nnj.api.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a trainer carries from one epoch to the next besides the model and its optimizer, kept in a
 * {@link Checkpoint} so that a resumed run continues it rather than starting it afresh:
 * <ul>
 *   <li>early stopping's progress: the best value of its metric so far, that epoch, the epochs since, and, when
 *       the rule restores the best weights and the best epoch is not the saved one, that epoch's parameters;</li>
 *   <li>the state of listeners that have one ({@code dev.nnj.api.train.ResumableListener}, such as
 *       {@code ReduceLROnPlateau}'s count of bad epochs, cooldown and exact learning rate), by each listener's
 *       key.</li>
 * </ul>
 * Without it, a run stopped after epoch 20 whose best epoch was 15 would, resumed, count its patience from 0 and
 * end on the best of epochs 21 and later: not what the uninterrupted run would have done.
 *
 * @param earlyStopping early stopping's progress, or null when the run had no early stopping
 * @param listeners     each resumable listener's state by its key; an unmodifiable copy is kept, in its order
 */
public record TrainerProgress(Best earlyStopping, Map<String, Map<String, String>> listeners) {
    /** No progress: a run without early stopping or resumable listeners, or a checkpoint written before both. */
    public static final TrainerProgress NONE = new TrainerProgress(null, Map.of());

    /**
     * Checks and copies.
     *
     * @param earlyStopping early stopping's progress, or null
     * @param listeners     the listeners' states
     */
    public TrainerProgress {
        Objects.requireNonNull(listeners, "listeners");
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        // Insertion order kept (not Map.copyOf's, which varies from one JVM to the next), so that two identical runs
        // write byte-identical checkpoints.
        listeners.forEach((key, state) -> copy.put(Objects.requireNonNull(key, "listener key"),
                Collections.unmodifiableMap(new LinkedHashMap<>(state))));
        listeners = Collections.unmodifiableMap(copy);
    }

    /**
     * Early stopping's book-keeping after the saved epoch: its best epoch so far and what it takes to go on from it.
     *
     * @param monitor     the metric it watched ({@code EarlyStopping.Monitor}'s name, e.g. {@code VALIDATION_LOSS})
     * @param value       the best value of that metric so far
     * @param epoch       the epoch (from 1) that reached it
     * @param epochsSince epochs since then without an improvement
     * @param weights     that epoch's parameters by name, when the rule restores them and they differ from the saved
     *                    ones (an earlier epoch); empty otherwise
     */
    public record Best(String monitor, double value, int epoch, int epochsSince, Map<String, float[]> weights) {
        /**
         * Checks the values.
         *
         * @param monitor     the metric's name
         * @param value       its best value, a number
         * @param epoch       its epoch, at least 1
         * @param epochsSince epochs since, at least 0
         * @param weights     parameters by name (an unmodifiable view is kept; the arrays are not copied)
         */
        public Best {
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(weights, "weights");
            if (epoch < 1 || epochsSince < 0) {
                throw new IllegalArgumentException("the best epoch must be >= 1 and the epochs since >= 0, got "
                        + epoch + " and " + epochsSince);
            }
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("the best value must be a number, got NaN");
            }
            weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }
    }
}
