package dev.nnj.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The params every nn-spark estimator and model has, whatever its network predicts: the features and weight columns,
 * the network's hidden layers, the optimizer, the training loop and {@code handleInvalid}. {@link NnjClassifierParams}
 * and {@link NnjRegressorParams} add their labels, outputs and losses, as MLlib's {@code HasFeaturesCol},
 * {@code HasMaxIter}, ... traits add theirs to each algorithm's params.
 *
 * <p>Spark ML finds a stage's params through its public methods that return a {@link Param}, so each accessor below
 * is one; the param objects themselves belong to each stage (their parent is its uid) and live in its
 * {@link NetworkParamSet}.
 */
public sealed interface NnjNetworkParams extends Params permits NnjClassifierParams, NnjRegressorParams {

    /**
     * The stage's own param objects, which the accessors of this interface return.
     *
     * @return the param objects, created with the stage
     */
    NetworkParamSet paramSet();

    /** {@return the param: input column of ML vectors (default {@code features})} */
    default Param<String> featuresCol() {
        return paramSet().featuresCol;
    }

    /**
     * The param of per-row sample weights, Spark ML's {@code weightCol} (as {@code LogisticRegression}'s): a numeric
     * column whose value {@code w_i}, finite and {@code >= 0}, counts row {@code i}'s loss {@code w_i} times, so the
     * gradient of a batch of {@code N} rows is
     * <pre>
     *   ∂L/∂θ = (1/N) Σ_i w_i ∂ℓ_i/∂θ
     * </pre>
     * (divided by the rows, not by the weights' sum, as nnj's {@code Trainer.Builder.sampleWeights}). Class weights
     * are a weight column computed from the label, e.g. scikit-learn's "balanced" {@code n / (k · n_c)}. Read by
     * fit only; the model keeps the value as a record.
     *
     * @return the param: weight column (default empty: every row weighs 1)
     */
    default Param<String> weightCol() {
        return paramSet().weightCol;
    }

    /**
     * What {@code transform} does with a row whose features are null, of another size, NaN, infinite or beyond
     * float32's range, by MLlib's names: {@code error} (the default) fails the job naming the row, {@code skip} leaves
     * the row out, {@code keep} keeps it with NaN outputs (a classifier's prediction,
     * probabilities and raw scores, what MLlib's {@code MultilayerPerceptronClassificationModel} gives a NaN row; a
     * regressor's prediction). {@code fit} refuses such rows whatever it says.
     *
     * @return the param: how transform handles invalid feature rows (default {@code error})
     */
    default Param<String> handleInvalid() {
        return paramSet().handleInvalid;
    }

    /** {@return the param: hidden layers' widths (default {@code {64}})} */
    default IntArrayParam layers() {
        return paramSet().layers;
    }

    /** {@return the param: hidden layers' activations, one for all or one per layer (default {@code {"relu"}})} */
    default StringArrayParam activations() {
        return paramSet().activations;
    }

    /** {@return the param: optimizer name (default {@code adam})} */
    default Param<String> optimizer() {
        return paramSet().optimizer;
    }

    /** {@return the param: optimizer's step size {@code η > 0} (default {@code 1e-3})} */
    default DoubleParam learningRate() {
        return paramSet().learningRate;
    }

    /** {@return the param: momentum of sgd, nesterov and rmsprop, in [0, 1] (default 0)} */
    default DoubleParam momentum() {
        return paramSet().momentum;
    }

    /** {@return the param: Adam's first-moment decay rate (default 0.9)} */
    default DoubleParam beta1() {
        return paramSet().beta1;
    }

    /** {@return the param: Adam's second-moment decay rate, RMSProp's {@code α} (default 0.999)} */
    default DoubleParam beta2() {
        return paramSet().beta2;
    }

    /** {@return the param: optimizer's denominator floor {@code ε > 0} (default {@code 1e-7})} */
    default DoubleParam epsilon() {
        return paramSet().epsilon;
    }

    /**
     * {@return the param: the rate of a dropout after each hidden layer while training (default 0, none); each row of a
     * global batch gets the mask row nnj's {@code Dropout} would draw for it on one machine}
     */
    default DoubleParam dropout() {
        return paramSet().dropout;
    }

    /** {@return the param: L2 penalty coefficient, decoupled for adamw (default 0)} */
    default DoubleParam weightDecay() {
        return paramSet().weightDecay;
    }

    /**
     * {@return the param: whether {@code weightDecay} reaches the biases too (default true, as PyTorch's
     * {@code weight_decay}); false spares them, as scikit-learn's {@code alpha} and Keras's {@code kernel_regularizer}}
     */
    default BooleanParam decayBiases() {
        return paramSet().decayBiases;
    }

    /** {@return the param: adam and adamw with AMSGrad, PyTorch's {@code amsgrad=True} (default false)} */
    default BooleanParam amsgrad() {
        return paramSet().amsgrad;
    }

    /** {@return the param: adagrad's starting sum of squared gradients, Keras's 0.1 (default 0, PyTorch's)} */
    default DoubleParam initialAccumulatorValue() {
        return paramSet().initialAccumulatorValue;
    }

    /** {@return the param: how the learning rate moves, constant, one-cycle or cosine (default constant)} */
    default Param<String> learningRateSchedule() {
        return paramSet().learningRateSchedule;
    }

    /** {@return the param: number of passes over the training data (default 10)} */
    default IntParam epochs() {
        return paramSet().epochs;
    }

    /** {@return the param: rows per global batch over all partitions, 0 for full batch (default 32)} */
    default IntParam batchSize() {
        return paramSet().batchSize;
    }

    /** {@return the param: seed of the weight initialisation and the batch order (default 0)} */
    default LongParam seed() {
        return paramSet().seed;
    }

    /**
     * {@return the param: nnj backend on the executors, for training and for prediction, empty for the best available
     * (default empty)}
     */
    default Param<String> backend() {
        return paramSet().backend;
    }

    /** {@return the param: training mode, {@code sync} or {@code average} (default {@code sync})} */
    default Param<String> trainingMode() {
        return paramSet().trainingMode;
    }

    /** {@return the param: local steps between averages in {@code average} mode (default 8)} */
    default IntParam averagingSteps() {
        return paramSet().averagingSteps;
    }

    /** {@return the param: partitions to train on, 0 for the input's own (default 0)} */
    default IntParam numPartitions() {
        return paramSet().numPartitions;
    }

    /** {@return the param: depth of the {@code treeAggregate} of the partitions' results (default 2)} */
    default IntParam aggregationDepth() {
        return paramSet().aggregationDepth;
    }

    // ---------------------------------------------------------------- getters, as MLlib's stages have them

    /** {@return the input column of ML vectors: the value set, or the default} */
    default String getFeaturesCol() {
        return (String) getOrDefault(featuresCol());
    }

    /** {@return the weight column, empty for none: the value set, or the default} */
    default String getWeightCol() {
        return (String) getOrDefault(weightCol());
    }

    /** {@return the hidden layers' widths (a copy): the value set, or the default} */
    default int[] getLayers() {
        return ((int[]) getOrDefault(layers())).clone();
    }

    /** {@return the hidden layers' activations (a copy): the value set, or the default} */
    default String[] getActivations() {
        return ((String[]) getOrDefault(activations())).clone();
    }

    /** {@return the optimizer: the value set, or the default} */
    default String getOptimizer() {
        return (String) getOrDefault(optimizer());
    }

    /** {@return the learning rate: the value set, or the default} */
    default double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    /** {@return the momentum: the value set, or the default} */
    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    /** {@return beta1: the value set, or the default} */
    default double getBeta1() {
        return (Double) getOrDefault(beta1());
    }

    /** {@return beta2: the value set, or the default} */
    default double getBeta2() {
        return (Double) getOrDefault(beta2());
    }

    /** {@return epsilon: the value set, or the default} */
    default double getEpsilon() {
        return (Double) getOrDefault(epsilon());
    }

    /** {@return the dropout rate: the value set, or the default} */
    default double getDropout() {
        return (Double) getOrDefault(dropout());
    }

    /** {@return the weight decay: the value set, or the default} */
    default double getWeightDecay() {
        return (Double) getOrDefault(weightDecay());
    }

    /** {@return whether the weight decay reaches the biases: the value set, or the default} */
    default boolean getDecayBiases() {
        return (Boolean) getOrDefault(decayBiases());
    }

    /** {@return whether adam and adamw run with AMSGrad: the value set, or the default} */
    default boolean getAmsgrad() {
        return (Boolean) getOrDefault(amsgrad());
    }

    /** {@return adagrad's initial accumulator value: the value set, or the default} */
    default double getInitialAccumulatorValue() {
        return (Double) getOrDefault(initialAccumulatorValue());
    }

    /** {@return the learning-rate schedule: the value set, or the default} */
    default String getLearningRateSchedule() {
        return (String) getOrDefault(learningRateSchedule());
    }

    /** {@return the epochs: the value set, or the default} */
    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /** {@return the global batch size, 0 for full batch: the value set, or the default} */
    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /** {@return the seed: the value set, or the default} */
    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** {@return the backend's name, empty for the best available: the value set, or the default} */
    default String getBackend() {
        return (String) getOrDefault(backend());
    }

    /** {@return how transform handles invalid feature rows: the value set, or the default} */
    default String getHandleInvalid() {
        return (String) getOrDefault(handleInvalid());
    }

    /** {@return the training mode: the value set, or the default} */
    default String getTrainingMode() {
        return (String) getOrDefault(trainingMode());
    }

    /** {@return the local steps between averages: the value set, or the default} */
    default int getAveragingSteps() {
        return (Integer) getOrDefault(averagingSteps());
    }

    /** {@return the partitions to train on, 0 for the input's: the value set, or the default} */
    default int getNumPartitions() {
        return (Integer) getOrDefault(numPartitions());
    }

    /** {@return the treeAggregate depth: the value set, or the default} */
    default int getAggregationDepth() {
        return (Integer) getOrDefault(aggregationDepth());
    }

    /**
     * The param objects every stage has, with their validators: Spark runs a param's validator whenever a value is set
     * (a setter, a {@code ParamMap}, a grid, a saved stage loaded back), see {@link ParamRules}. Each kind of stage
     * extends it with its own.
     */
    class NetworkParamSet implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Input column of ML vectors. */
        final Param<String> featuresCol;
        /** Column of per-row sample weights; empty for none. */
        final Param<String> weightCol;
        /** How transform handles a row of invalid features: error, skip or keep. */
        final Param<String> handleInvalid;
        /** Hidden layers' widths. */
        final IntArrayParam layers;
        /** Hidden layers' activations. */
        final StringArrayParam activations;
        /** Dropout after each hidden layer. */
        final DoubleParam dropout;
        /** Optimizer name. */
        final Param<String> optimizer;
        /** Optimizer step size. */
        final DoubleParam learningRate;
        /** Momentum of sgd, nesterov and rmsprop. */
        final DoubleParam momentum;
        /** Adam's first-moment decay rate. */
        final DoubleParam beta1;
        /** Adam's second-moment decay rate, RMSProp's alpha. */
        final DoubleParam beta2;
        /** Optimizer's denominator floor. */
        final DoubleParam epsilon;
        /** L2 penalty coefficient. */
        final DoubleParam weightDecay;
        /** Whether the weight decay reaches the biases. */
        final BooleanParam decayBiases;
        /** Adam's and AdamW's AMSGrad. */
        final BooleanParam amsgrad;
        /** AdaGrad's starting accumulator. */
        final DoubleParam initialAccumulatorValue;
        /** constant, one-cycle or cosine. */
        final Param<String> learningRateSchedule;
        /** Passes over the training data. */
        final IntParam epochs;
        /** Rows per global batch. */
        final IntParam batchSize;
        /** Seed of the initialisation and the batch order. */
        final LongParam seed;
        /** nnj backend on the executors. */
        final Param<String> backend;
        /** sync or average. */
        final Param<String> trainingMode;
        /** Local steps between averages. */
        final IntParam averagingSteps;
        /** Partitions to train on. */
        final IntParam numPartitions;
        /** Depth of the treeAggregate. */
        final IntParam aggregationDepth;

        /** @param owner the stage whose params these are; its uid must already be set */
        NetworkParamSet(Params owner) {
            featuresCol = new Param<>(owner, "featuresCol", "features column (an ML vector)",
                    ParamRules.notNull("featuresCol", ""));
            weightCol = new Param<>(owner, "weightCol", "weight column: each row's loss counts its weight (a number,"
                    + " finite and >= 0) times; empty = every row weighs 1",
                    ParamRules.notNull("weightCol", "; an empty name for no weights (every row weighs 1)"));
            layers = new IntArrayParam(owner, "layers", "width of each hidden layer (> 0); the output layer is added",
                    ParamRules.<int[]>notNull("layers", "; an empty array for no hidden layer", widths -> {
                        for (int i = 0; i < widths.length; i++) {
                            if (widths[i] <= 0) {
                                throw new IllegalArgumentException("layers: hidden layer " + i
                                        + " must have a positive width, got " + widths[i]);
                            }
                        }
                    }));
            activations = new StringArrayParam(owner, "activations",
                    "activation of each hidden layer (one for all, or one each): relu, sigmoid, tanh, leaky_relu, elu,"
                            + " identity", ParamRules.<String[]>notNull("activations",
                                    "; an empty array for no hidden layer", names -> {
                                // None is right for no hidden layer (softmax regression): the count is fit's to check.
                                for (int i = 0; i < names.length; i++) {
                                    if (names[i] == null) {
                                        throw new IllegalArgumentException("activations: activation " + i
                                                + " must not be null");
                                    }
                                    NetworkSpec.parseActivation(names[i]);
                                }
                            }));
            dropout = new DoubleParam(owner, "dropout", "rate of a dropout after each hidden layer while training, "
                    + "in [0, 1); 0 = none", ParamRules.rule(v -> {
                        double rate = ((Number) v).doubleValue();
                        // The rate as the layer gets it: a double just under 1 can round to 1f.
                        if (!(rate >= 0 && (float) rate < 1f)) {
                            throw new IllegalArgumentException("dropout must be in [0, 1), got " + v);
                        }
                    }));
            optimizer = new Param<>(owner, "optimizer", "sgd, nesterov, adam, adamw, rmsprop or adagrad",
                    ParamRules.parsedBy("optimizer", OptimizerSpec::requireName));
            learningRate = new DoubleParam(owner, "learningRate", "optimizer step size (> 0)",
                    ParamRules.positiveFinite("learningRate"));
            // The ranges of momentum, beta1 and beta2 are those of the optimizers that use them, which fit checks with
            // the optimizer's own messages; the others ignore them, so no value of theirs is wrong alone.
            momentum = new DoubleParam(owner, "momentum", "momentum of sgd, nesterov and rmsprop, in [0, 1]");
            beta1 = new DoubleParam(owner, "beta1", "Adam's first-moment decay, in [0, 1)");
            beta2 = new DoubleParam(owner, "beta2", "Adam's second-moment decay, in [0, 1) (RMSProp's alpha, in "
                    + "[0, 1])");
            // nnj's optimizers (and PyTorch's) take epsilon 0, but then a weight whose gradient has been exactly 0 so
            // far (a feature that is always 0, as in sparse or one-hot data, or a dead ReLU) gets 0 / 0 = NaN at the
            // first step, reported as a divergence with the wrong hint. Every optimizer that reads epsilon needs it
            // positive, and the others ignore it, so the bound is checked when it is set.
            epsilon = new DoubleParam(owner, "epsilon", "denominator floor of adam, adamw, rmsprop, adagrad (> 0)",
                    ParamRules.positiveFinite("epsilon"));
            weightDecay = new DoubleParam(owner, "weightDecay", "L2 penalty (decoupled for adamw), >= 0",
                    ParamRules.nonNegativeFinite("weightDecay"));
            decayBiases = new BooleanParam(owner, "decayBiases", "whether weightDecay reaches the biases too (true, "
                    + "as PyTorch's weight_decay) or only the weights (false, as scikit-learn's alpha)");
            amsgrad = new BooleanParam(owner, "amsgrad", "adam and adamw with AMSGrad (PyTorch's amsgrad=True)");
            initialAccumulatorValue = new DoubleParam(owner, "initialAccumulatorValue", "adagrad's starting sum of "
                    + "squared gradients, >= 0 (Keras's is 0.1)", ParamRules.nonNegativeFinite(
                    "initialAccumulatorValue"));
            learningRateSchedule = new Param<>(owner, "learningRateSchedule", "how the learning rate moves, as "
                    + "PyTorch's schedulers: constant; one-cycle (OneCycleLR without momentum cycling, per global "
                    + "batch, learningRate its peak); "
                    + "cosine (CosineAnnealingLR over the epochs, towards 0)",
                    ParamRules.parsedBy("learningRateSchedule", RateSchedule::parse));
            epochs = new IntParam(owner, "epochs", "passes over the training data (> 0)",
                    ParamRules.atLeast("epochs", 1));
            batchSize = new IntParam(owner, "batchSize", "rows per global batch, over all partitions; 0 = full batch",
                    ParamRules.atLeast("batchSize", 0));
            seed = new LongParam(owner, "seed", "seed of the weight initialisation and the batch order");
            backend = new Param<>(owner, "backend", "nnj backend on the executors (cpu, cuda); empty = best "
                    + "available", ParamRules.notNull("backend", "; an empty name for the best available"));
            handleInvalid = new Param<>(owner, "handleInvalid", "how transform handles a row whose features are "
                    + "null, of another size, NaN, infinite or beyond float32: error (fail, naming it), skip (leave it "
                    + "out) or keep (NaN outputs)", ParamRules.parsedBy("handleInvalid", InvalidRows::parse));
            trainingMode = new Param<>(owner, "trainingMode",
                    "sync: average gradients every step; average: average parameters and optimizer state every"
                            + " averagingSteps local steps", ParamRules.parsedBy("trainingMode", TrainingMode::parse));
            averagingSteps = new IntParam(owner, "averagingSteps", "local steps between averages in average mode "
                    + "(>= 1)", ParamRules.atLeast("averagingSteps", 1));
            numPartitions = new IntParam(owner, "numPartitions",
                    "partitions (parallel tasks) to train on; 0 = the DataFrame's own partitioning",
                    ParamRules.atLeast("numPartitions", 0));
            aggregationDepth = new IntParam(owner, "aggregationDepth", "depth of treeAggregate (>= 1)",
                    ParamRules.atLeast("aggregationDepth", 1));
        }

        /**
         * Gives every param its default through the owner's {@code setDefault}, which only a stage itself may call.
         *
         * @param owner the owner's {@code setDefault}
         */
        void setDefaults(Defaults owner) {
            owner.put(featuresCol, "features");
            owner.put(weightCol, "");
            owner.put(layers, new int[] {64});
            owner.put(activations, new String[] {"relu"});
            owner.put(dropout, 0.0);
            owner.put(optimizer, "adam");
            owner.put(learningRate, 1e-3);
            owner.put(momentum, 0.0);
            owner.put(beta1, 0.9);
            owner.put(beta2, 0.999);
            owner.put(epsilon, 1e-7);
            owner.put(weightDecay, 0.0);
            owner.put(decayBiases, true);
            owner.put(amsgrad, false);
            owner.put(initialAccumulatorValue, 0.0);
            owner.put(learningRateSchedule, "constant");
            owner.put(epochs, 10);
            owner.put(batchSize, 32);
            owner.put(seed, 0L);
            owner.put(backend, "");
            owner.put(trainingMode, "sync");
            owner.put(handleInvalid, "error");
            owner.put(averagingSteps, 8);
            owner.put(numPartitions, 0);
            owner.put(aggregationDepth, 2);
        }

        /** A stage's {@code setDefault(param, value)}. */
        interface Defaults {
            <T> void put(Param<T> param, T value);
        }
    }
}
