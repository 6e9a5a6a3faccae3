/**
 * Training loops: {@link dev.nnj.api.train.Trainer} runs epochs of seeded mini-batches
 * ({@link dev.nnj.api.model.BatchLoader}), keeps loss and accuracy sums on the device (accuracy only for
 * class targets, see {@link dev.nnj.api.data.Dataset#hasClassTargets}), evaluates a
 * validation set (and the caller's {@link dev.nnj.api.train.ValidationMetric}s), records a
 * {@link dev.nnj.api.train.History} of {@link dev.nnj.api.train.EpochStats}, notifies
 * {@link dev.nnj.api.train.TrainingListener}s and stops early with {@link dev.nnj.api.train.EarlyStopping}.
 */
package dev.nnj.api.train;
