/**
 * What users program against: {@link dev.nnj.api.Tensor} (float32, row-major, rank 1 or 2, owned by one
 * backend), {@link dev.nnj.api.Backend} (the primitive ops every layer, loss and optimizer is written
 * against), {@link dev.nnj.api.Backends} (finding and choosing a backend through {@link java.util.ServiceLoader},
 * with every provider's {@link dev.nnj.api.ProviderStatus}), and the enums {@link dev.nnj.api.Activation} and
 * {@link dev.nnj.api.LossKind} that name the fused functions.
 *
 * <p>Models are built in {@link dev.nnj.api.model}, trained in {@link dev.nnj.api.train} on data from
 * {@link dev.nnj.api.data}, judged with {@link dev.nnj.api.metrics} and saved and loaded with
 * {@link dev.nnj.api.io}; backend authors start from {@link dev.nnj.api.spi}.
 */
package dev.nnj.api;
