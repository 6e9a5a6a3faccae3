/**
 * Loss functions ({@link dev.nnj.api.losses.Loss}): mean squared error, binary and categorical
 * cross-entropy, with the numerically stable values and the fused output gradients ({@code a − y}) of
 * {@link dev.nnj.api.LossKind}; for a regression with outliers, the Huber loss and the mean absolute error
 * ({@link dev.nnj.api.losses.Loss#huber}, {@link dev.nnj.api.losses.Loss#meanAbsoluteError}); and losses of your
 * own ({@link dev.nnj.api.losses.Loss#custom}).
 */
package dev.nnj.api.losses;
