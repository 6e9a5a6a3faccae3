/**
 * Helpers shared by nn-api's own packages and not part of its API: they may change in any release. Today
 * this is {@link dev.nnj.api.internal.BatchBuffers}, the per-batch-size tensors that let a training step
 * allocate nothing after its first epoch.
 */
package dev.nnj.api.internal;
