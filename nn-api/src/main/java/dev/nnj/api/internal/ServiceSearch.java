package dev.nnj.api.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.ServiceLoader.Provider;

/**
 * The providers of one of nnj's services (backends, model file formats), looked for with {@link ServiceLoader} in
 * the calling thread's context class loader, as {@code ServiceLoader.load(service)} does, and where that lists none
 * at all, in the class loader that loaded nnj.
 *
 * <p>The context class loader alone is not nnj's in many hosts: a plugin or child class loader, an application
 * server, or a task on the common fork-join pool in a Spring Boot executable jar (whose pool threads carry the
 * system class loader). There it found no backend at all, though nn-cpu sat beside nn-api, and the error blamed the
 * jar's service files. nnj's own loader sees every jar that nnj itself can link against. The context loader keeps
 * the first say because it is the one a host sets on purpose: to offer a plugin's own provider, or to narrow the
 * providers down (nn-api's tests do that).
 */
public final class ServiceSearch<S> implements Iterator<Provider<S>> {
    private final Class<S> service;
    private Iterator<Provider<S>> current;
    private boolean fellBack;
    private boolean listedAny;

    private ServiceSearch(Class<S> service, ClassLoader context) {
        this.service = service;
        this.current = ServiceLoader.load(service, context).stream().iterator();
        // Where the context loader is nnj's own (the usual case), there is nothing to fall back to.
        this.fellBack = context == ownLoader(service);
    }

    /**
     * The providers of {@code service} as found from the calling thread: through its context class loader, and
     * where that lists none, through nnj's.
     *
     * @param service the service interface, one of nn-api's
     * @param <S>     its type
     * @return an iterator over the providers, not yet instantiated; {@link #next()} and {@link #hasNext()} throw
     *         {@link java.util.ServiceConfigurationError} for an entry that cannot be loaded, as
     *         {@link ServiceLoader}'s iterator does (such an entry counts as listed)
     */
    public static <S> ServiceSearch<S> of(Class<S> service) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return new ServiceSearch<>(service, context == null ? ownLoader(service) : context);
    }

    private static ClassLoader ownLoader(Class<?> service) {
        ClassLoader own = service.getClassLoader();
        return own == null ? ClassLoader.getSystemClassLoader() : own;
    }

    @Override
    public boolean hasNext() {
        boolean more;
        try {
            more = current.hasNext();
        } catch (RuntimeException | Error e) {
            listedAny = true;   // a listed entry that cannot be loaded: the context loader does list something
            throw e;
        }
        if (!more && !listedAny && !fellBack) {
            fellBack = true;
            current = ServiceLoader.load(service, ownLoader(service)).stream().iterator();
            return hasNext();
        }
        return more;
    }

    @Override
    public Provider<S> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            Provider<S> p = current.next();
            listedAny = true;
            return p;
        } catch (RuntimeException | Error e) {
            listedAny = true;
            throw e;
        }
    }
}
