package dev.nnj.api.train;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Parameter;
import java.util.List;

/**
 * Early stopping's book-keeping for one run: the best value of the monitored metric, its epoch, the epochs
 * since, and (when asked to restore) a device copy of the best epoch's parameters. Without an
 * {@link EarlyStopping} rule every epoch counts as the best so far.
 */
final class BestEpoch implements AutoCloseable {
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
        double value = rule.monitor().read(stats, "early stopping");
        if (rule.improves(value, best)) {
            best = value;
            bestEpoch = stats.epoch();
            sinceBest = 0;
            if (bestWeights != null) {
                for (int i = 0; i < bestWeights.length; i++) {
                    backend.copy(parameters.get(i).value(), bestWeights[i]);
                }
            }
            return null;
        }
        if (++sinceBest < rule.patience()) {
            return null;
        }
        return "early stopping: no improvement of " + rule.monitor() + " for " + sinceBest
                + " epochs (best " + best + " at epoch " + bestEpoch + ")";
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
