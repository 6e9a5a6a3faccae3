package dev.nnj.spark;

import dev.nnj.api.Activation;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.slf4j.LoggerFactory;

/**
 * What {@code fit} reads from the params every nn-spark estimator has ({@link NnjNetworkParams}): the hidden layers,
 * the optimizer and the loop's settings, checked with messages that name the param; shared by the classifier and the
 * regressor, so that both train from the same params the same way.
 */
final class TrainingParams {
    private TrainingParams() {
    }

    private static int integer(NnjNetworkParams p, IntParam param) {
        return (Integer) p.getOrDefault(param);
    }

    private static float real(NnjNetworkParams p, DoubleParam param) {
        return (float) (double) (Double) p.getOrDefault(param);
    }

    /**
     * The optimizer these params describe; validated with the optimizer's own messages.
     *
     * @param p the estimator's params
     * @return the optimizer's spec
     */
    static OptimizerSpec optimizerSpec(NnjNetworkParams p) {
        return new OptimizerSpec(p.getOptimizer(), real(p, p.learningRate()), real(p, p.momentum()),
                real(p, p.beta1()), real(p, p.beta2()), real(p, p.epsilon()), real(p, p.weightDecay()),
                p.getDecayBiases(), p.getAmsgrad(), real(p, p.initialAccumulatorValue()));
    }

    /**
     * The hidden layers' activations, one per layer of {@code layers}.
     *
     * @param p the estimator's params
     * @return one activation per hidden layer
     * @throws IllegalArgumentException when the activations are neither one for all nor one per layer
     */
    static Activation[] hiddenActivations(NnjNetworkParams p) {
        int[] units = p.getLayers();
        String[] names = p.getActivations();
        if (names.length != 1 && names.length != units.length) {
            throw new IllegalArgumentException("activations: give one for all " + units.length
                    + " hidden layers or one per layer, got " + names.length);
        }
        Activation[] fs = new Activation[units.length];
        for (int i = 0; i < units.length; i++) {
            fs[i] = NetworkSpec.parseActivation(names[names.length == 1 ? 0 : i]);
        }
        return fs;
    }

    /**
     * The loop's settings from these params, checked.
     *
     * @param p the estimator's params
     * @return the settings
     */
    static TrainingSettings settings(NnjNetworkParams p) {
        int e = integer(p, p.epochs());
        if (e <= 0) {
            throw new IllegalArgumentException("epochs must be positive, got " + e);
        }
        int b = integer(p, p.batchSize());
        if (b < 0) {
            throw new IllegalArgumentException("batchSize must be 0 (full batch) or positive, got " + b);
        }
        int k = integer(p, p.averagingSteps());
        if (k < 1) {
            throw new IllegalArgumentException("averagingSteps must be at least 1, got " + k);
        }
        int depth = integer(p, p.aggregationDepth());
        if (depth < 1) {
            throw new IllegalArgumentException("aggregationDepth must be at least 1, got " + depth);
        }
        return new TrainingSettings(e, b, p.getSeed(), TrainingMode.parse(p.getTrainingMode()), k, p.getBackend(),
                depth, p.getLearningRateSchedule());
    }

    /**
     * Warns of each optimizer param that is set although the chosen optimizer does not read it.
     *
     * @param p     the estimator's params
     * @param stage the class whose logger says it
     */
    static void warnOfIgnoredParams(NnjNetworkParams p, Class<?> stage) {
        for (String name : OptimizerSpec.ignoredBy(p.getOptimizer())) {
            if (p.isSet(p.getParam(name))) {
                // Set on purpose, most likely for another optimizer: training without it unsaid would surprise.
                LoggerFactory.getLogger(stage).warn("{} is set ({}), but the {} optimizer does not use it: it changes "
                        + "nothing in this fit", name, p.getOrDefault(p.getParam(name)), p.getOptimizer());
            }
        }
        if (!p.getDecayBiases() && p.getWeightDecay() == 0) {
            LoggerFactory.getLogger(stage).warn("decayBiases is false, but weightDecay is 0: there is no decay to "
                    + "spare the biases from, and it changes nothing in this fit");
        }
    }

    /**
     * The partitions to train on, checked.
     *
     * @param p the estimator's params
     * @return the count, 0 to keep the input's
     */
    static int partitions(NnjNetworkParams p) {
        int partitions = integer(p, p.numPartitions());
        if (partitions < 0) {
            throw new IllegalArgumentException("numPartitions must be 0 (keep the input's) or positive, got "
                    + partitions);
        }
        return partitions;
    }
}
