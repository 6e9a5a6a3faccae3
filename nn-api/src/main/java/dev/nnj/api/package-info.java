/**
 * Where to begin: {@link dev.nnj.api.Backends#best()} gives a backend, and a model is a
 * {@link dev.nnj.api.model.Sequential} trained with a {@link dev.nnj.api.train.Trainer} (see the overview page for
 * which class does what).
 *
 * <p>This package also holds the lower-level types those are written against: {@link dev.nnj.api.Tensor}
 * (float32, row-major, rank 1 or 2, owned by one backend), {@link dev.nnj.api.Backend} (the primitive ops every
 * layer, loss and optimizer is written against; programs rarely call them), {@link dev.nnj.api.Backends}
 * (finding and choosing a backend through {@link java.util.ServiceLoader}, with every provider's
 * {@link dev.nnj.api.ProviderStatus}), and the enums {@link dev.nnj.api.Activation} and
 * {@link dev.nnj.api.LossKind} that name the fused functions. {@link dev.nnj.api.BackendProvider} and
 * {@link dev.nnj.api.Availability} are for backend authors, with {@link dev.nnj.api.spi}.
 *
 * <p>Models are built in {@link dev.nnj.api.model}, trained in {@link dev.nnj.api.train} on data from
 * {@link dev.nnj.api.data}, judged with {@link dev.nnj.api.metrics} and saved and loaded with
 * {@link dev.nnj.api.io}.
 */
package dev.nnj.api;
