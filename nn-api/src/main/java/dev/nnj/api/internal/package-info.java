/**
 * Helpers shared by nn-api's own packages and not part of its API: they may change in any release. Today
 * these are {@link dev.nnj.api.internal.BatchBuffers}, the per-batch-size tensors that let a training step
 * allocate nothing after its first epoch, {@link dev.nnj.api.internal.DefaultMethods}, whether a user's class
 * overrides an interface's default method, and {@link dev.nnj.api.internal.RunningSum}, the loss and count sums of
 * many batches, exact in double precision, {@link dev.nnj.api.internal.ServiceSearch}, where nnj looks for backends
 * and model file formats, {@link dev.nnj.api.internal.MetadataOrder}, the order a caller's metadata is written in,
 * and {@link dev.nnj.api.internal.WarnOnce}, a warning about the caller's data once a process at WARN.
 */
package dev.nnj.api.internal;
