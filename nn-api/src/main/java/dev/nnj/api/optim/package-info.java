/**
 * Optimizers, each with its update rule in its Javadoc and matching its PyTorch namesake:
 * {@link dev.nnj.api.optim.Sgd}, {@link dev.nnj.api.optim.Adam}, {@link dev.nnj.api.optim.AdamW},
 * {@link dev.nnj.api.optim.RmsProp} and {@link dev.nnj.api.optim.AdaGrad}. An optimizer keeps its state
 * tensors per parameter, computes the step's scalar constants once (Adam's bias corrections, AdaGrad's
 * decayed rate) and hands them to one fused backend op per parameter.
 */
package dev.nnj.api.optim;
