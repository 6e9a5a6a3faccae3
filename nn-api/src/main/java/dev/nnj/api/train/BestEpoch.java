package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early stopping's book-keeping for one run: the best value of the monitored metric, its epoch, the epochs
 * since, and (when asked to restore) a device copy of the best epoch's parameters. Without an
 * {@link EarlyStopping} rule every epoch counts as the best so far.
 */
final class BestEpoch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BestEpoch.class);

    private final EarlyStopping rule;
    private final Backend backend;
    private final List<Parameter> parameters;
    private final Tensor[] bestWeights;
    private double best = Double.NaN;
    private int bestEpoch;
    private int sinceBest;

    /**
     * @param rule       the early-stopping rule, or null for none
     * @param validation the run's validation set, or null; a rule watching its accuracy needs class targets
     * @param backend    where the best weights are kept
     * @param parameters the model's parameters
     * @throws IllegalArgumentException when the rule watches a metric the run does not measure
     */
    BestEpoch(EarlyStopping rule, Dataset validation, Backend backend, List<Parameter> parameters) {
        if (rule != null) {
            rule.requireMeasuredOn(validation);   // before any buffer: nothing to close
        }
        this.rule = rule;
        this.backend = backend;
        this.parameters = parameters;
        if (rule != null && rule.restoreBestWeights()) {
            bestWeights = new Tensor[parameters.size()];
            try {
                for (int i = 0; i < bestWeights.length; i++) {
                    bestWeights[i] = backend.zeros(parameters.get(i).shape());
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        } else {
            bestWeights = null;
        }
    }

    /**
     * Records an epoch; saves the weights when it is the best so far.
     *
     * @return why training should stop (patience exhausted), or null to go on
     */
    String update(EpochStats stats) {
        if (rule == null) {
            bestEpoch = stats.epoch();
            return null;
        }
        if (!rule.watches(stats.epoch())) {
            return null;   // a warm-up the rule was told to ignore
        }
        double value = rule.monitor().read(stats, "early stopping");
        if (rule.improves(value, best)) {
            best = value;
            bestEpoch = stats.epoch();
            sinceBest = 0;   // an improving epoch never stops the run, baseline or not (Keras 3)
            if (bestWeights != null) {
                for (int i = 0; i < bestWeights.length; i++) {
                    backend.copy(parameters.get(i).value(), bestWeights[i]);
                }
            }
            return null;
        }
        sinceBest++;
        // Never at the run's first epoch, as Keras (its epoch > 0): a NaN there is not yet a reason to stop.
        if (waited() < rule.patience() || stats.epoch() == 1) {
            return null;
        }
        return stopReason();
    }

    /**
     * Keras's {@code wait}: the epochs counted against patience. Once an epoch has beaten the baseline (or without
     * one), every later improvement beats it too, and patience starts over at each: the epochs since the best. Until
     * then no epoch started it over: every epoch watched so far counts. Worked out from the epochs rather than kept,
     * so that a checkpoint's best epoch and epochs since (which must end at its epoch) restore it.
     */
    private int waited() {
        if (rule.beatsBaseline(best) || bestEpoch == 0) {
            return sinceBest;   // (before any best, every watched epoch has counted in sinceBest)
        }
        return bestEpoch + sinceBest - rule.startFromEpoch();   // the epochs watched: this epoch less the warm-up
    }

    private static String epochs(int n) {
        return n == 1 ? "1 epoch" : n + " epochs";
    }

    /** Why training stops: the rule's patience has run out. */
    private String stopReason() {
        // Six significant digits: a loss summed in float32 shown with a double's seventeen is noise.
        String bestSoFar = bestEpoch == 0 ? "no epoch improved on the start: every value NaN or the worst infinity"
                : "best " + String.format(java.util.Locale.ROOT, "%.6g", best) + " at epoch " + bestEpoch;
        if (!rule.beatsBaseline(best)) {
            return "early stopping: " + rule.monitor() + " has not beaten the baseline " + rule.baseline() + " in "
                    + epochs(waited()) + " (" + bestSoFar + ")";
        }
        return "early stopping: no improvement of " + rule.monitor() + " for " + epochs(sinceBest) + " ("
                + bestSoFar + ")";
    }

    /**
     * The stop a resumed run's progress has already reached: the run it continues stopped early at the checkpoint's
     * epoch (its patience ran out there), so there is nothing left to train under the same rule.
     *
     * @param resumedEpoch the checkpoint's epoch (0 for a run that starts afresh)
     * @return the stop reason, as {@link #update} gives it, or null when training may go on
     */
    String stoppedAlready(int resumedEpoch) {
        if (rule == null || sinceBest == 0 || resumedEpoch <= 1 || waited() < rule.patience()) {
            return null;   // (an improving epoch never stops a run, even one past its patience; nor does epoch 1)
        }
        return stopReason() + ", reached before the resumed run's checkpoint";
    }

    /**
     * Early stopping's progress after {@code epoch}, for a checkpoint: null without a rule or before any watched
     * epoch; {@link TrainerProgress.Best#none} while no watched epoch has been the best (every value NaN or the worst
     * infinity), whose epochs count against the patience all the same. The best weights are read from the device
     * only when they are kept and are not the current ones.
     *
     * @param epoch the last epoch run
     */
    TrainerProgress.Best progress(int epoch) {
        if (rule == null || bestEpoch == 0 && sinceBest == 0) {
            return null;
        }
        if (bestEpoch == 0) {
            return TrainerProgress.Best.none(rule.monitor().savedName(), sinceBest);
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        if (bestWeights != null && bestEpoch < epoch) {
            for (int i = 0; i < bestWeights.length; i++) {
                weights.put(parameters.get(i).name(), bestWeights[i].toArray());
            }
        }
        return new TrainerProgress.Best(rule.monitor().savedName(), best, bestEpoch, sinceBest, weights);
    }

    /**
     * Continues the progress a checkpoint saved after epoch {@code resumedEpoch}. It starts afresh, with a warning,
     * when the checkpoint's rule watched another metric, or when this rule restores the best weights and the
     * checkpoint has none for an earlier best epoch (its run did not keep them): the best epoch's parameters would be
     * unknown.
     *
     * @param saved        the saved progress, or null (none saved: no epoch watched yet, or no rule; start afresh,
     *                     silently)
     * @param resumedEpoch the checkpoint's epoch
     */
    void resume(TrainerProgress.Best saved, int resumedEpoch) {
        if (rule == null || saved == null) {
            return;
        }
        if (!saved.monitor().equals(rule.monitor().savedName())) {
            LOG.warn("early stopping starts afresh: the checkpoint's rule watched {}, this run's watches {}",
                    saved.monitor(), rule.monitor().savedName());
            return;
        }
        int watched = resumedEpoch - rule.startFromEpoch();
        if (saved.found() ? saved.epoch() <= rule.startFromEpoch() : saved.epochsSince() > watched) {
            // Epochs this rule's warm-up ignores cannot have been watched: another rule's progress, or an edited file.
            LOG.warn("early stopping starts afresh: the checkpoint's progress ({}) does not fit this rule, which "
                    + "watches epochs after {} (its warm-up) and so {} up to epoch {}", saved.found() ? "best epoch "
                    + saved.epoch() : saved.epochsSince() + " epochs watched without a best", rule.startFromEpoch(),
                    Math.max(watched, 0), resumedEpoch);
            return;
        }
        if (!saved.found()) {
            sinceBest = saved.epochsSince();   // no best to restore yet: only the epochs counted against patience
            LOG.debug("early stopping resumed: no best {} yet, {} epochs watched", rule.monitor(), sinceBest);
            return;
        }
        boolean behind = saved.epoch() < resumedEpoch;
        if (bestWeights != null && behind && !holdsEvery(saved.weights())) {
            LOG.warn("early stopping starts afresh: its best epoch {} is before the checkpoint's epoch {}, whose run "
                    + "did not keep that epoch's weights to restore", saved.epoch(), resumedEpoch);
            return;
        }
        best = saved.value();
        bestEpoch = saved.epoch();
        sinceBest = saved.epochsSince();
        if (bestWeights != null) {
            for (int i = 0; i < bestWeights.length; i++) {
                Parameter p = parameters.get(i);
                if (behind) {
                    bestWeights[i].copyFrom(saved.weights().get(p.name()), 0);
                } else {
                    backend.copy(p.value(), bestWeights[i]);   // the checkpoint's own weights are the best ones
                }
            }
        }
        LOG.debug("early stopping resumed: best {} {} at epoch {}, {} epochs since", rule.monitor(), best,
                bestEpoch, sinceBest);
    }

    private boolean holdsEvery(Map<String, float[]> weights) {
        for (Parameter p : parameters) {
            float[] values = weights.get(p.name());
            if (values == null || values.length != p.size()) {
                return false;
            }
        }
        return true;
    }

    /** 1-based epoch with the best monitored value so far (0 before any). */
    int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Puts the best epoch's parameters back when they were saved and a later epoch ran.
     *
     * @param lastEpoch the number of the run's last epoch (not the count run: a resumed run starts past 1)
     * @return true when the parameters were restored
     */
    boolean restoreIfBehind(int lastEpoch) {
        if (bestWeights == null || bestEpoch == 0 || bestEpoch >= lastEpoch) {
            return false;
        }
        for (int i = 0; i < bestWeights.length; i++) {
            backend.copy(bestWeights[i], parameters.get(i).value());
        }
        return true;
    }

    @Override
    public void close() {
        if (bestWeights != null) {
            for (Tensor t : bestWeights) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }
}
