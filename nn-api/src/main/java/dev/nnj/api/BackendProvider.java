package dev.nnj.api;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;

/**
 * Service-provider interface through which {@link Backends} finds backends with
 * {@link java.util.ServiceLoader}. Register an implementation in
 * {@code META-INF/services/dev.nnj.api.BackendProvider}.
 *
 * <p>Implementations must be cheap to construct: no native code may be loaded in the constructor or in
 * static initialisers, only in {@link #availability()} (which must never crash the JVM and must catch
 * every {@link LinkageError}) and {@link #create()}. {@link Backends} constructs new instances on every call,
 * so keep a probe's result in a static field. A provider whose constructor throws anyway is reported as
 * unavailable, with its class and the cause, and the other providers stay usable.
 */
public interface BackendProvider {

    /**
     * Selection name, lower case by convention: {@code "cpu"}, {@code "cuda"}. {@link Backends} matches it
     * ignoring case, and uses only the first of two providers with the same name (see
     * {@link Backends#providers()}).
     *
     * @return the name, not blank
     */
    String name();

    /**
     * Higher wins in {@link Backends#best()}: the CPU backend uses 0, the CUDA backend 100. Equal priorities
     * are ordered by name, then by class name.
     *
     * @return the priority
     */
    int priority();

    /**
     * Probes whether this backend can run here, with a reason either way. May be cached.
     *
     * @return the probe's result
     */
    Availability availability();

    /**
     * Creates a backend; throws {@link IllegalStateException} with the probe's reason when unavailable.
     *
     * @return a new backend; the caller closes it
     */
    Backend create();
}
