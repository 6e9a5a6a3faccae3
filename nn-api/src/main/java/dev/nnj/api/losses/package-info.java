/**
 * Loss functions ({@link dev.nnj.api.losses.Loss}): mean squared error, binary and categorical
 * cross-entropy, with the numerically stable values and the fused output gradients ({@code a − y}) of
 * {@link dev.nnj.api.LossKind}.
 */
package dev.nnj.api.losses;
