package dev.nnj.spark;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.BatchLoader;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import java.util.List;

/**
 * The executor side of one step or round: a pure function of (the broadcast model state, the partition's
 * cached rows, the step numbers), computed with nnj on the executor's backend. Nothing it reads survives
 * from an earlier task, so a retried attempt returns a bit-identical {@link PartitionResult}.
 */
final class PartitionWorker {
    private PartitionWorker() {
    }

    /**
     * Synchronous mode: the mean gradient over this partition's rows of global batch {@code batch}.
     *
     * @param block      the partition's rows
     * @param offset     global index of the block's first row
     * @param job        the run's settings
     * @param parameters current parameter values, in model order
     * @param epoch      1-based epoch
     * @param batch      0-based batch of the epoch
     * @return this partition's gradient, weighted by its row count
     */
    static PartitionResult gradient(TrainingBlock block, long offset, TrainingJob job, float[][] parameters,
                                    int epoch, int batch) {
        int[] rows = block.batchRows(job.schedule, epoch, offset)[batch];
        if (rows.length == 0) {
            return PartitionResult.empty(block.partition());
        }
        int[] positions = block.batchPositions(job.schedule, epoch, offset)[batch];
        try (WorkerSlot slot = WorkerSlot.borrow(job.backendName, job.network)) {
            Sequential model = slot.model();
            List<Parameter> params = model.parameters();
            writeParameters(params, parameters);
            BatchRowsDropout.prepare(model, job.maskSeeds, job.schedule.step(epoch, batch), positions);
            double[] metrics = forwardBackward(slot.backend(), model, block, rows, job);
            float[][] gradients = new float[params.size()][];
            for (int i = 0; i < gradients.length; i++) {
                gradients[i] = params.get(i).readGradient();
            }
            return new PartitionResult(block.partition(), rows.length, rows.length, gradients, null, metrics[0],
                    metrics[1]);
        }
    }

    /**
     * Averaging mode: from the broadcast state, train on this partition's rows of batches
     * {@code [fromBatch, toBatch)} with a local optimizer, one step per batch.
     *
     * @param block     the partition's rows
     * @param offset    global index of the block's first row
     * @param job       the run's settings
     * @param start     parameters, optimizer state and step count at the start of the round
     * @param epoch     1-based epoch
     * @param fromBatch first batch of the round
     * @param toBatch   one past the last batch of the round
     * @return the partition's parameters and optimizer state after the round, weighted by the sample weight of
     *         the rows trained on (their number without a weight column)
     */
    static PartitionResult localSteps(TrainingBlock block, long offset, TrainingJob job, ModelState start,
                                      int epoch, int fromBatch, int toBatch) {
        int[][] batches = block.batchRows(job.schedule, epoch, offset);
        int[][] positions = block.batchPositions(job.schedule, epoch, offset);
        int total = 0;
        double weight = 0;
        for (int b = fromBatch; b < toBatch; b++) {
            total += batches[b].length;
            weight += block.weightSum(batches[b]);
        }
        if (total == 0) {
            return PartitionResult.empty(block.partition());
        }
        // A fresh network and optimizer for every round: a round runs many steps, and nothing of an earlier
        // task (buffers sized for other batches, optimizer internals) may reach this one's arithmetic.
        try (WorkerSlot slot = WorkerSlot.borrow(job.backendName, job.network);
             Sequential model = job.network.buildForPartitions(slot.backend());
             Optimizer optimizer = job.optimizer.create()) {
            List<Parameter> params = model.parameters();
            writeParameters(params, start.parameters);
            OptimizerStateBridge.write(optimizer, params, start.optimizerState, start.steps);
            double lossSum = 0;
            double correct = 0;
            for (int b = fromBatch; b < toBatch; b++) {
                if (batches[b].length == 0) {
                    continue;   // no rows of this batch here: no step, as if the batch had skipped us
                }
                // Every partition's step b is global step (steps + b - fromBatch + 1): the same t for Adam.
                OptimizerStateBridge.setSteps(optimizer, params, start.steps + (b - fromBatch));
                BatchRowsDropout.prepare(model, job.maskSeeds, job.schedule.step(epoch, b), positions[b]);
                double[] metrics = forwardBackward(slot.backend(), model, block, batches[b], job);
                optimizer.setLearningRate(job.rates.rate(epoch, b));
                optimizer.step(params);
                lossSum += metrics[0];
                correct += metrics[1];
            }
            float[][] values = new float[params.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = params.get(i).read();
            }
            return new PartitionResult(block.partition(), total, weight, values,
                    OptimizerStateBridge.read(optimizer, params), lossSum, correct);
        }
    }

    private static void writeParameters(List<Parameter> params, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            params.get(i).write(values[i]);
        }
    }

    /**
     * Forward and backward on the given rows; leaves in the parameters the gradient of their mean loss, each row's
     * counted its weight times when the block has weights: for the {@code m} rows,
     * {@code ∂L/∂θ = (1/m) Σ_i w_i ∂ℓ_i/∂θ} ({@code w_i = 1} without weights). The driver's row-weighted mean of the
     * partitions' gradients, {@code Σ_p m_p g_p / Σ_p m_p}, is then the same sum over the whole batch divided by its
     * {@code N} rows, as nnj's {@code Trainer} computes it on one machine.
     *
     * <p>The rows go through a full-batch {@link BatchLoader} so that nnj's own weighted backward pass
     * ({@link Sequential#backward(Loss, BatchLoader)}) multiplies the loss gradient by the weights.
     *
     * @return {loss sum, correct count} of the rows before any update; the loss sum is unweighted, as the losses
     *         nnj's {@code Trainer} reports are; a regression network counts no correct rows (0)
     */
    private static double[] forwardBackward(Backend backend, Sequential model, TrainingBlock block, int[] rows,
                                            TrainingJob job) {
        NetworkSpec network = job.network;
        Loss loss = network.loss();
        Dataset batch = block.batch(rows, network.classes(), job.labelScale);
        // Batch size 0: one full batch, uploaded as it is, in the order of rows; the seed is then unused.
        try (BatchLoader loader = new BatchLoader(backend, batch, 0, false, 0L, block.gatherWeights(rows));
             Tensor lossSum = backend.zeros(1);
             Tensor correct = backend.zeros(1)) {
            loader.load(0);
            Tensor out = model.forward(loader.features(), true);
            loss.sum(backend, out, loader.targets(), 0f, lossSum);
            if (!network.isRegression()) {
                backend.countCorrect(out, loader.targets(), 0f, correct);
            }
            model.backward(loss, loader);
            return new double[] {lossSum.item(), correct.item()};
        }
    }
}
