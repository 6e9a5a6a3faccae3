/**
 * Layers, written once against {@link dev.nnj.api.Backend}: {@link dev.nnj.api.layers.Dense}
 * ({@code z = x·W + b}, with an optional fused activation), the activation layers
 * ({@link dev.nnj.api.layers.ReLU}, {@link dev.nnj.api.layers.Sigmoid}, {@link dev.nnj.api.layers.Softmax}, …)
 * and {@link dev.nnj.api.layers.Dropout}. Each layer owns its named {@link dev.nnj.api.layers.Parameter}s
 * (value and gradient) and its per-batch buffers; {@link dev.nnj.api.layers.Layer} states the lifecycle
 * ({@code build}, {@code forward}, {@code backward}) and {@link dev.nnj.api.layers.AbstractLayer} the
 * bookkeeping every layer shares.
 */
package dev.nnj.api.layers;
