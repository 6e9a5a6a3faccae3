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
 *       key;</li>
 *   <li>the validation rows the run held out of its training set ({@code Trainer.Builder.validationSplit}), so that
 *       a resumed run that would hold out others, and so validate on rows the model has trained on, is refused.</li>
 * </ul>
 * Without it, a run stopped after epoch 20 whose best epoch was 15 would, resumed, count its patience from 0 and
 * end on the best of epochs 21 and later: not what the uninterrupted run would have done.
 *
 * @param earlyStopping early stopping's progress, or null when the run had no early stopping
 * @param listeners     each resumable listener's state by its key; an unmodifiable copy is kept, in its order
 * @param heldOut       the validation rows held out, or null where not recorded (a checkpoint written before they
 *                      were, or a progress built by hand)
 */
public record TrainerProgress(Best earlyStopping, Map<String, Map<String, String>> listeners, HeldOut heldOut) {
    /** No progress: a run without early stopping or resumable listeners, or a checkpoint written before both. */
    public static final TrainerProgress NONE = new TrainerProgress(null, Map.of(), null);

    /**
     * Checks and copies.
     *
     * @param earlyStopping early stopping's progress, or null
     * @param listeners     the listeners' states
     * @param heldOut       the validation rows held out, or null where not recorded
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
     * A progress that does not record the validation rows held out: {@code TrainerProgress(earlyStopping,
     * listeners, null)}.
     *
     * @param earlyStopping early stopping's progress, or null
     * @param listeners     the listeners' states
     */
    public TrainerProgress(Best earlyStopping, Map<String, Map<String, String>> listeners) {
        this(earlyStopping, listeners, null);
    }

    /**
     * Which rows a run held out of its training set as the validation set: {@code ceil(fraction · rows)} of the
     * {@code rows} it was given, drawn with {@code seed}. The same three hold out the same rows; a run resumed with
     * others would validate on rows the model has already trained on.
     *
     * @param fraction the share held out, in {@code (0, 1)}, or 0 when the run held out none (a validation set
     *                 given, or none)
     * @param seed     the trainer's seed, which also orders the shuffles
     * @param rows     the rows of the training set given to {@code fit}
     */
    public record HeldOut(double fraction, long seed, int rows) {
        /**
         * Checks the values.
         *
         * @param fraction the share, 0 or in {@code (0, 1)}
         * @param seed     the seed
         * @param rows     the rows, at least 1
         */
        public HeldOut {
            if (!(fraction == 0 || fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("the share held out must be in (0, 1), or 0 for none, got "
                        + fraction);
            }
            if (rows < 1) {
                throw new IllegalArgumentException("the rows held out from must be at least 1, got " + rows);
            }
        }
    }

    /**
     * Early stopping's book-keeping after the saved epoch: its best epoch so far and what it takes to go on from it.
     * Before any watched epoch has improved on the start (every value so far NaN, or the worst infinity), there is
     * no best epoch yet, but the watched epochs already count against the patience: {@link #none} records them, so
     * that a resumed run stops where the uninterrupted one would.
     *
     * @param monitor     the metric it watched ({@code EarlyStopping.Monitor}'s name, e.g. {@code VALIDATION_LOSS}, or
     *                    a validation metric's with its direction, {@code val_prc (max)})
     * @param value       the best value of that metric so far (it may be infinite); NaN when there is no best epoch
     * @param epoch       the epoch (from 1) that reached it; 0 when there is none yet
     * @param epochsSince epochs since then without an improvement; with no best epoch, the epochs watched so far
     * @param weights     that epoch's parameters by name, when the rule restores them and they differ from the saved
     *                    ones (an earlier epoch); empty otherwise, and always without a best epoch
     */
    public record Best(String monitor, double value, int epoch, int epochsSince, Map<String, float[]> weights) {
        /**
         * Checks the values.
         *
         * @param monitor     the metric's name
         * @param value       its best value, a number (infinite allowed); NaN exactly when {@code epoch} is 0
         * @param epoch       its epoch, at least 1, or 0 for no best epoch yet
         * @param epochsSince epochs since, at least 0 (at least 1 without a best epoch: nothing to carry otherwise)
         * @param weights     parameters by name (an unmodifiable view is kept; the arrays are not copied); empty
         *                    without a best epoch
         */
        public Best {
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(weights, "weights");
            if (epoch < 0 || epochsSince < 0) {
                throw new IllegalArgumentException("the best epoch and the epochs since must be >= 0, got " + epoch
                        + " and " + epochsSince);
            }
            if (epoch == 0 && (!Double.isNaN(value) || epochsSince < 1 || !weights.isEmpty())) {
                throw new IllegalArgumentException("without a best epoch (epoch 0) the value must be NaN, at least "
                        + "one epoch watched and no weights kept, got " + value + ", " + epochsSince + " epochs and "
                        + weights.size() + " weights");
            }
            if (epoch > 0 && Double.isNaN(value)) {
                throw new IllegalArgumentException("the best value of epoch " + epoch + " must be a number, got NaN");
            }
            weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }

        /**
         * Early stopping's progress before any epoch was its best: {@code watched} epochs have counted against its
         * patience without improving on the start (NaN, or the worst infinity).
         *
         * @param monitor the metric's name, as {@link Best#monitor()}
         * @param watched the epochs watched so far, at least 1
         * @return {@code Best(monitor, NaN, 0, watched, {})}
         */
        public static Best none(String monitor, int watched) {
            return new Best(monitor, Double.NaN, 0, watched, Map.of());
        }

        /** {@return whether an epoch has been the best so far (false for {@link #none})} */
        public boolean found() {
            return epoch > 0;
        }

        /**
         * Whether this can be the progress after epoch {@code last}: the best epoch and the epochs since end there,
         * or, without a best epoch, no more epochs were watched than had run.
         *
         * @param last the epoch the progress was taken after (a checkpoint's, a resumed run's initial epoch)
         * @return true when it fits
         */
        public boolean fits(int last) {
            return found() ? epoch + epochsSince == last : epochsSince <= last;
        }

        /** Equal monitors, values, epochs and weights (by the arrays' values, not their identity). */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Best b) || !monitor.equals(b.monitor) || Double.compare(value, b.value) != 0
                    || epoch != b.epoch || epochsSince != b.epochsSince
                    || !weights.keySet().equals(b.weights.keySet())) {
                return false;
            }
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                if (!java.util.Arrays.equals(e.getValue(), b.weights.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return Objects.hash(monitor, value, epoch, epochsSince, weights.keySet());
        }
    }
}
