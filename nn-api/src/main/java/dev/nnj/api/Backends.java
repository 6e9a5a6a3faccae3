package dev.nnj.api;

import dev.nnj.api.internal.ServiceSearch;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and picks one.
 *
 * <ul>
 *   <li>{@link #best()}: the system property {@value #PROPERTY} or the environment variable
 *       {@value #ENVIRONMENT} if set, else the available provider with the highest priority; every skipped
 *       provider is logged with its reason ({@code Skipped [cuda] backend (unavailable): no NVIDIA driver}), at
 *       INFO the first time in a JVM and at DEBUG after.</li>
 *   <li>{@link #get(String)}: that provider, or an {@link IllegalStateException} listing every provider
 *       and its reason. A named backend never falls back silently to another.</li>
 * </ul>
 *
 * <p>Names are matched ignoring case. Every call of {@link #providers()}, {@link #statuses()},
 * {@link #best()}, {@link #get(String)}, {@link #select(String)} and {@link #selectBest()} loads the providers
 * once, with a new {@link ServiceLoader} over the thread's context class loader, or over nnj's own class loader
 * where the context loader lists none (a plugin host's or an application server's threads): new provider instances
 * each time, so a provider keeps what is expensive to find out (its probe's result) in a static field. A provider
 * that cannot be loaded never hides the others: it is reported as unavailable, with its class and the cause.
 */
public final class Backends {
    /** System property naming the backend to use, e.g. {@code -Dnnj.backend=cpu}. */
    public static final String PROPERTY = "nnj.backend";
    /** Environment variable naming the backend to use when the property is not set. */
    public static final String ENVIRONMENT = "NNJ_BACKEND";

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    /** Problems already logged (a provider that cannot be loaded, two with one name, a tie): each once per JVM. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** Per provider class that failed to load, its first cause ({@link #initialiserCause}); weak keys. */
    private static final Map<Class<?>, String> INITIALISER_FAILURES = new java.util.WeakHashMap<>();

    /** Name given to an entry whose class is not even known. */
    private static final String UNLOADABLE = "<unloadable>";

    /** Ends discovery after this many entries that could not be loaded, whatever the class path lists. */
    private static final int MAX_UNLOADABLE = 64;

    /** Highest priority first; equal priorities by name ignoring case, then by class name. */
    private static final Comparator<BackendProvider> ORDER = Comparator
            .comparingInt(BackendProvider::priority).reversed()
            .thenComparing((BackendProvider p) -> key(p.name()))
            .thenComparing(p -> p.getClass().getName());

    /**
     * Every provider on the class path, highest priority first. Equal priorities are ordered by name ignoring
     * case, then by class name, so the order never depends on the class path's; each tie is logged once at
     * DEBUG.
     *
     * <p>A provider that cannot be loaded (its class is missing, its constructor or static initialiser throws,
     * an {@link UnsatisfiedLinkError} for one, or its {@code name()} or {@code priority()} fails) is listed
     * last, named by its class, with priority {@link ProviderStatus#UNKNOWN_PRIORITY}, unavailable, and with
     * the cause as its reason; it is logged once at WARN. Two providers with the same name (ignoring case)
     * are one too many: the first in this order wins, the other is left out, and a WARN names both classes.
     *
     * @return the providers found by {@link java.util.ServiceLoader}, one per name, in that order
     */
    public static List<BackendProvider> providers() {
        List<BackendProvider> loaded = new ArrayList<>();
        List<BackendProvider> unloadable = new ArrayList<>();
        // By hand rather than a for-each: ServiceLoader throws ServiceConfigurationError for a provider it
        // cannot instantiate, which would end the loop and lose every provider after it.
        Iterator<ServiceLoader.Provider<BackendProvider>> it = ServiceSearch.of(BackendProvider.class);
        while (unloadable.size() < MAX_UNLOADABLE) {
            ServiceLoader.Provider<BackendProvider> entry;
            try {
                if (!it.hasNext()) {
                    break;
                }
                entry = it.next();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                // A listed class that is missing, is no BackendProvider or has no public no-argument constructor.
                unloadable.add(new Unloadable(UNLOADABLE, "a provider listed in META-INF/services/"
                        + BackendProvider.class.getName() + " could not be loaded: " + cause(e)));
                continue;
            }
            BackendProvider p = load(entry);
            (p instanceof Unloadable ? unloadable : loaded).add(p);
        }
        for (BackendProvider p : unloadable) {
            String reason = ((Unloadable) p).reason();
            logOnce(p.name().equals(UNLOADABLE) ? reason : p.name(), true, "Unusable backend provider: " + reason);
        }
        loaded.sort(ORDER);
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : loaded) {
            BackendProvider winner = null;
            for (BackendProvider q : list) {
                if (key(q.name()).equals(key(p.name()))) {
                    winner = q;
                    break;
                }
            }
            if (winner != null) {
                logOnce(winner.getClass().getName() + " over " + p.getClass().getName(), true,
                        "Two backend providers are named '" + key(p.name()) + "': " + describe(winner) + " and "
                        + describe(p) + "; using " + winner.getClass().getName() + " ("
                        + (winner.priority() == p.priority() ? "equal priority, first by class name"
                                : "higher priority") + "), ignoring " + p.getClass().getName());
                continue;
            }
            if (!list.isEmpty() && list.get(list.size() - 1).priority() == p.priority()) {
                BackendProvider before = list.get(list.size() - 1);
                logOnce(before.getClass().getName() + " before " + p.getClass().getName(), false,
                        "Backend providers " + describe(before) + " and " + describe(p)
                        + " have equal priority " + p.priority() + ": " + before.name()
                        + " ranks first (by name, then class name)");
            }
            list.add(p);
        }
        unloadable.sort(Comparator.comparing(BackendProvider::name));
        list.addAll(unloadable);
        if (!list.isEmpty()) {   // with none at all, the failure to choose one gives the same hint
            // Every provider found, those left out as duplicates included: nnj's own cpu provider shadowed by one of
            // one's own named cpu was found, whatever the list says.
            List<BackendProvider> found = new ArrayList<>(loaded);
            found.addAll(unloadable);
            String unregistered = unregisteredHint(found, true);
            if (!unregistered.isEmpty()) {
                logOnce(unregistered, true, "A backend is left out: " + unregistered.strip());
            }
        }
        return list;
    }

    /** Instantiates one provider, or stands in for it with the reason it cannot be used. */
    private static BackendProvider load(ServiceLoader.Provider<BackendProvider> entry) {
        String className;
        BackendProvider p;
        try {
            className = entry.type().getName();
        } catch (LinkageError | RuntimeException e) {
            return new Unloadable(UNLOADABLE, "a provider could not be loaded: " + cause(e));
        }
        try {
            p = entry.get();
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            return new Unloadable(className, "provider " + className + " could not be loaded: "
                    + initialiserCause(entry, e));
        }
        try {
            String name = p.name();
            p.priority();
            if (name == null || name.isBlank()) {
                return new Unloadable(className, "provider " + className + " has no name");
            }
        } catch (LinkageError | RuntimeException e) {
            return new Unloadable(className, "provider " + className + " could not be loaded: name() or priority()"
                    + " threw " + cause(e));
        }
        return p;
    }

    /**
     * Why a provider could not be instantiated. A static initialiser that threw leaves its class unusable for good,
     * and each later attempt says only {@code NoClassDefFoundError: Could not initialize class}: the first attempt's
     * cause (an {@code UnsatisfiedLinkError}, say) is kept for the class, per class loader, and given again then.
     * Other failures (a constructor that throws) are reported as they come, as they may change between calls.
     */
    private static String initialiserCause(ServiceLoader.Provider<BackendProvider> entry, Throwable e) {
        String cause = String.valueOf(cause(e));
        Class<?> type;
        try {
            type = entry.type();
        } catch (LinkageError | RuntimeException unknown) {
            return cause;
        }
        synchronized (INITIALISER_FAILURES) {
            if (cause.equals(NoClassDefFoundError.class.getName() + ": Could not initialize class "
                    + type.getName())) {
                return INITIALISER_FAILURES.getOrDefault(type, cause);
            }
            // The first failure of a class whose initialiser threw is that throw, an Error as it is (an
            // UnsatisfiedLinkError is not wrapped) or an ExceptionInInitializerError: kept, as text (an exception's
            // stack holds its classes, which would keep the key, and its class loader, alive). A class whose
            // constructor failed has been initialised, and never says it could not be, so its entry is never read.
            INITIALISER_FAILURES.putIfAbsent(type, cause);
        }
        return cause;
    }

    /** The exception that says what went wrong, under ServiceLoader's and reflection's wrappers. */
    private static Throwable cause(Throwable e) {
        Throwable t = e;
        while ((t instanceof ServiceConfigurationError || t instanceof ExceptionInInitializerError
                || t instanceof InvocationTargetException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A name as matched: trimmed, lower case. */
    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** {@code cuda (dev.nnj.cuda.CudaBackendProvider, priority 100)}, for the log. */
    private static String describe(BackendProvider p) {
        return p.name() + " (" + p.getClass().getName() + ", priority " + p.priority() + ")";
    }

    /** Logs {@code message} unless a message with this {@code key} was logged before. */
    private static void logOnce(String key, boolean warn, String message) {
        if (LOGGED.add(key)) {
            if (warn) {
                LOG.warn(message);
            } else {
                LOG.debug(message);
            }
        }
    }

    /**
     * The status of every provider on the class path, highest priority first: name, priority, availability
     * and reason, a provider that could not be loaded among them. This probes every provider (probes may be
     * cached by the providers).
     *
     * @return one status per provider
     */
    public static List<ProviderStatus> statuses() {
        List<ProviderStatus> list = new ArrayList<>();
        for (BackendProvider p : providers()) {
            list.add(ProviderStatus.of(p));
        }
        return list;
    }

    /**
     * The backend named by {@value #PROPERTY} / {@value #ENVIRONMENT}, or null if neither is set.
     *
     * @return the trimmed lower-case name, or null
     */
    public static String requestedName() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Creates the requested backend if one is named, else the best available one. Every call creates a new
     * backend (with its own worker threads, or device context and memory) that the caller owns and must close,
     * after the models and tensors on it; call it once and share the result rather than once per model. Use it
     * in try-with-resources: {@code try (Backend backend = Backends.best()) { ... }}.
     *
     * @return a new backend; the caller closes it
     * @throws InvalidSettingException (an {@link IllegalArgumentException}) if {@value #PROPERTY} or
     *         {@value #ENVIRONMENT} names no backend that is installed
     * @throws IllegalStateException if the requested backend cannot run, or none is available
     */
    public static Backend best() {
        return selectBest().provider().create();
    }

    /**
     * Creates the backend called {@code name}, failing with every provider's reason if it cannot run. As with
     * {@link #best()}, every call creates a new backend that the caller owns and must close.
     *
     * @param name the provider name, for example {@code "cpu"}; case-insensitive
     * @return a new backend; the caller closes it
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws IllegalStateException if no such provider exists or it is unavailable
     */
    public static Backend get(String name) {
        return select(name).provider().create();
    }

    /**
     * Chooses without creating: the requested backend if one is named, else the highest-priority available
     * one, with the reason for the choice (for programs that print why a backend was chosen).
     *
     * @return the chosen provider, its availability and why it was chosen
     * @throws InvalidSettingException (an {@link IllegalArgumentException}) if {@value #PROPERTY} or
     *         {@value #ENVIRONMENT} names no backend that is installed
     * @throws IllegalStateException if the requested backend cannot run, or none is available
     */
    public static Selection selectBest() {
        String requested = requestedName();
        List<BackendProvider> providers = providers();
        if (requested != null) {
            requireKnown(requested, providers);
            Selection s = select(requested, providers);
            return new Selection(s.provider(), s.availability(),
                    // The property wins only when it names something (requestedName), and so does its mention here.
                    "requested by " + (System.getProperty(PROPERTY) != null && !System.getProperty(PROPERTY).isBlank()
                            ? "-D" + PROPERTY : ENVIRONMENT)
                            + "; " + s.availability().reason());
        }
        StringBuilder skipped = new StringBuilder();
        for (BackendProvider p : providers) {
            Availability a = probe(p);
            if (a.available()) {
                String why = "highest priority available backend (" + p.priority() + "); " + a.reason()
                        + (skipped.length() > 0 ? "; skipped " + skipped : "");
                return new Selection(p, a, why);
            }
            // At INFO the first time a JVM skips it for this reason, at DEBUG after: a service that asks again and
            // again (a backend per job) would otherwise repeat the same line.
            if (LOGGED.add("skipped " + key(p.name()) + ": " + a.reason())) {
                LOG.info("Skipped [{}] backend (unavailable): {}", p.name(), a.reason());
            } else {
                LOG.debug("Skipped [{}] backend (unavailable): {}", p.name(), a.reason());
            }
            if (skipped.length() > 0) {
                skipped.append(", ");
            }
            skipped.append(p.name()).append(" (").append(a.reason()).append(')');
        }
        throw new IllegalStateException("no nnj backend is available" + describe(providers)
                + unregisteredHint(providers) + noCpuHint(providers));
    }

    /**
     * A hint when providers were found but none of them is the cpu backend, which is nowhere on the class path: an
     * application that depends on nn-cuda alone fails on every machine without a GPU. Empty otherwise (no providers at
     * all already says to add nn-cpu; a cpu backend on the class path but not listed gets {@link #unregisteredHint}).
     */
    static String noCpuHint(List<BackendProvider> providers) {
        String cpu = KNOWN_PROVIDERS.get("cpu");
        return providers.isEmpty() || listed(providers, cpu) || onClassPath(cpu) ? ""
                : "\nadd dev.nnj:nn-cpu, the pure-Java backend that runs on any machine, beside the backends above";
    }

    /** nnj's own providers, by name, and their classes. */
    private static final Map<String, String> KNOWN_PROVIDERS = Map.of(
            "cpu", "dev.nnj.cpu.CpuBackendProvider", "cuda", "dev.nnj.cuda.CudaBackendProvider");

    /**
     * A hint when one of nnj's own providers is on the class path but was not found as a service: a fat jar whose
     * {@code META-INF/services} files were not merged keeps one backend's file and drops the others', so that a
     * jar with both backends can lose the cpu backend and fail on every machine without a GPU. Empty otherwise.
     *
     * <p>{@code providers} is a discovery's list, one per name: where a provider of one's own took the name of one of
     * nnj's, nnj's may have been found and left out as a duplicate (logged as such), so no hint is given for it.
     * Discovery itself, which sees every provider found, warns exactly.
     */
    static String unregisteredHint(List<BackendProvider> providers) {
        return unregisteredHint(providers, false);
    }

    /**
     * {@link #unregisteredHint(List)}; {@code complete}: {@code providers} holds every provider found, duplicates
     * included, so that a name taken by another says nothing.
     */
    private static String unregisteredHint(List<BackendProvider> providers, boolean complete) {
        StringBuilder hint = new StringBuilder();
        for (Map.Entry<String, String> known : new java.util.TreeMap<>(KNOWN_PROVIDERS).entrySet()) {
            boolean nameTaken = !complete && providers.stream().anyMatch(p -> key(p.name()).equals(known.getKey()));
            if (!nameTaken && !listed(providers, known.getValue()) && onClassPath(known.getValue())) {
                hint.append(hint.length() == 0 ? "\n" : "; ").append(known.getValue()).append(" is on the class path "
                        + "but not listed in META-INF/services/").append(BackendProvider.class.getName());
            }
        }
        if (hint.length() > 0) {
            hint.append(": in a fat jar, merge the service files (maven-shade's ServicesResourceTransformer, Gradle "
                    + "shadow's mergeServiceFiles(), maven-assembly's metaInf-services container descriptor handler)");
        }
        return hint.toString();
    }

    /**
     * Whether the provider class {@code className} was found as a service; one listed that could not be loaded stands
     * in as an {@link Unloadable} named by its class, and counts as listed.
     */
    private static boolean listed(List<BackendProvider> providers, String className) {
        return providers.stream().anyMatch(p -> p.getClass().getName().equals(className)
                || p instanceof Unloadable u && u.name().equals(className));
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, Backends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Chooses the provider called {@code name}; fails listing every provider's reason if it cannot run.
     *
     * @param name the provider name, for example {@code "cuda"}; case-insensitive
     * @return the provider with its availability
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws IllegalStateException if no such provider exists or it is unavailable
     * @throws NullPointerException if {@code name} is null
     */
    public static Selection select(String name) {
        dev.nnj.api.spi.Checks.requireNonNull("Backends", "name", name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("backend name must not be empty");
        }
        return select(name, providers());
    }

    /** As {@link #select(String)}, among these providers (package-private for tests). */
    static Selection select(String name, List<BackendProvider> providers) {
        String wanted = key(name);
        for (BackendProvider p : providers) {
            if (key(p.name()).equals(wanted)) {
                Availability a = probe(p);
                if (!a.available()) {
                    throw new IllegalStateException("backend '" + wanted + "' is not available: " + a.reason()
                            + describe(providers));
                }
                return new Selection(p, a, "requested; " + a.reason());
            }
        }
        boolean anyUnloadable = providers.stream().anyMatch(p -> p instanceof Unloadable);
        throw new IllegalStateException("no backend named '" + wanted + "'" + describe(providers)
                + (anyUnloadable ? "" : missingModule(wanted, providers)));
    }

    /**
     * For a name of one of nnj's own backends that no provider has: the usual cause is its module missing from the
     * class path, not a typo, so say which module; or, where its provider class is there but was not found as a
     * service (a fat jar with unmerged service files), say that.
     */
    private static String missingModule(String name, List<BackendProvider> providers) {
        String key = key(name);
        String module = switch (key) {
            case "cuda" -> "nn-cuda";
            case "cpu" -> "nn-cpu";
            default -> null;
        };
        if (module == null) {
            return "";
        }
        String unregistered = unregisteredHint(providers);
        if (unregistered.contains(KNOWN_PROVIDERS.get(key))) {
            return "; '" + name.strip() + "' is the backend of nnj's " + module + " module:" + unregistered;
        }
        return "; '" + name.strip() + "' is the backend of nnj's " + module + " module, which is not on the class "
                + "path or module path";
    }

    /** Fails naming the property (or variable) when the requested backend is not one of the providers. */
    private static void requireKnown(String requested, List<BackendProvider> providers) {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : providers) {
            if (key(p.name()).equals(requested)) {
                return;
            }
            if (!(p instanceof Unloadable)) {
                names.add(p.name());
            }
        }
        boolean byProperty = System.getProperty(PROPERTY) != null && !System.getProperty(PROPERTY).isBlank();
        // A provider that could not be loaded may be the one asked for: its reason belongs in this message.
        StringBuilder unloadable = new StringBuilder();
        for (BackendProvider p : providers) {
            if (p instanceof Unloadable) {
                unloadable.append("; ").append(((Unloadable) p).reason());
            }
        }
        throw new InvalidSettingException(byProperty ? "-D" + PROPERTY : ENVIRONMENT, requested,
                (names.isEmpty() ? "none: no usable providers on the class path (add nn-cpu or nn-cuda)"
                        : "the backend names " + String.join(", ", names)) + unloadable
                        + (unloadable.length() == 0 ? missingModule(requested, providers) : ""));
    }

    private static Availability probe(BackendProvider p) {
        // A provider must not throw from its probe; if one does, report it rather than fail the choice.
        ProviderStatus s = ProviderStatus.of(p);
        return new Availability(s.available(), s.reason());
    }

    private static String describe(List<BackendProvider> providers) {
        if (providers.isEmpty()) {
            return "; no providers found on the class path or module path (add nn-cpu or nn-cuda)";
        }
        StringBuilder sb = new StringBuilder("; providers:");
        for (BackendProvider p : providers) {
            sb.append("\n  ").append(ProviderStatus.of(p).describe());
        }
        return sb.toString();
    }

    /**
     * Stands in for a provider that could not be loaded, so that it is reported like an unavailable one
     * instead of failing the discovery of every other provider.
     */
    private record Unloadable(String name, String reason) implements BackendProvider {
        @Override
        public int priority() {
            return ProviderStatus.UNKNOWN_PRIORITY;
        }

        @Override
        public Availability availability() {
            return Availability.unavailable(reason);
        }

        @Override
        public Backend create() {
            throw new IllegalStateException(reason);
        }
    }

    /**
     * A chosen provider, its probe result, and why it was chosen.
     *
     * @param provider     the provider chosen
     * @param availability its probe's result
     * @param reason       why it was chosen, in words
     */
    public record Selection(BackendProvider provider, Availability availability, String reason) {
    }
}
