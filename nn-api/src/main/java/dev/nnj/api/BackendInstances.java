package dev.nnj.api;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Internal, not API: numbers backend instances per backend name ({@code cpu #1}, {@code cpu #2}, …), so that an
 * error about a tensor from another instance of the same kind of backend can say which is which.
 *
 * <p>A backend registers itself when it is created (so numbers follow creation order); one that never did is
 * numbered when first asked. Entries are weak: numbering a backend does not keep it alive.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class BackendInstances {
    private static final Map<Backend, Integer> NUMBERS = new WeakHashMap<>();
    private static final Map<String, Integer> LAST_BY_NAME = new HashMap<>();

    private BackendInstances() {
    }

    /**
     * The instance number of {@code backend} among backends of its name, starting at 1.
     *
     * @param backend a backend
     * @return its number, assigned on the first call for that instance
     */
    public static synchronized int number(Backend backend) {
        Integer n = NUMBERS.get(backend);
        if (n == null) {
            n = LAST_BY_NAME.merge(backend.name(), 1, Integer::sum);
            NUMBERS.put(backend, n);
        }
        return n;
    }
}
