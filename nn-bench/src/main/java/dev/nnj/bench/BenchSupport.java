package dev.nnj.bench;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.ProviderStatus;
import dev.nnj.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** What every benchmark shares: opening the backend a {@code backend} parameter names, and seeded data. */
final class BenchSupport {
    /**
     * JVM flags of every forked benchmark JVM: the Vector API fast path of nn-cpu, and quiet native access
     * for JCuda on JDK 24+ (JEP 472) ({@code -XX:+IgnoreUnrecognizedVMOptions} keeps a JDK without it starting).
     * Annotation values must be constants, so the benchmarks repeat these four names in their {@code @Fork}.
     */
    static final String ADD_MODULES = "--add-modules";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String IGNORE_UNRECOGNIZED = "-XX:+IgnoreUnrecognizedVMOptions";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private BenchSupport() {
    }

    /**
     * The backend called {@code name}. If it cannot run here the benchmark fails in its setup with the
     * backend's own reason, which JMH reports before going on with the next benchmark: a skip, never a
     * silent fallback to another backend. {@code bench/run-benchmarks.sh} passes only available backends.
     */
    static Backend open(String name) {
        for (ProviderStatus s : Backends.statuses()) {
            if (s.name().equalsIgnoreCase(name) && !s.available()) {
                throw new IllegalStateException("SKIPPED: backend '" + name + "' is not available: " + s.reason()
                        + ". Name only available backends (AvailableBackends lists them; bench/run-benchmarks.sh"
                        + " passes only those).");
            }
        }
        return Backends.get(name);
    }

    /**
     * Why a harness (GemmHarness, DigitsRun) cannot run on the backend asked for, in one line, or null when it can.
     * The harnesses end with that line and exit status 2, as {@code ./digits} does: {@link #open}'s
     * {@code SKIPPED:} exception is for JMH, which reports it per benchmark, and would reach a user of a harness
     * as a stack trace.
     *
     * @param option the {@code --backend} option's value; null for the name {@code -Dnnj.backend} or
     *               {@code NNJ_BACKEND} gives, if any (none: the best available backend, which is not refused)
     * @return the refusal, naming how the backend was asked for, or null
     */
    static String backendRefusal(String option) {
        String wanted = option;
        String source = "--backend " + option;
        if (wanted == null) {
            wanted = Backends.requestedName();
            if (wanted == null) {
                return null;
            }
            String property = System.getProperty(Backends.PROPERTY);
            source = property != null && !property.isBlank() ? "-D" + Backends.PROPERTY + "=" + property.trim()
                    : Backends.ENVIRONMENT + "=" + System.getenv(Backends.ENVIRONMENT).trim();
        }
        List<String> names = new ArrayList<>();
        for (ProviderStatus s : Backends.statuses()) {
            names.add(s.name());
            if (s.name().equalsIgnoreCase(wanted.trim())) {
                return s.available() ? null : source + ": backend '" + s.name() + "' is not available here: "
                        + s.reason();
            }
        }
        return unknownBackend(source, wanted.trim(), names);
    }

    /**
     * The refusal of a backend name no provider answers to, the same words for the harnesses and the jar: a typo
     * must not read as a backend that exists but lacks its hardware here, so it lists the names that do exist.
     *
     * @param source how the name was given, e.g. {@code -Dnnj.backend=bogus}
     * @param name   the name asked for
     * @param known  the names of the providers found ({@link #knownBackends()})
     * @return one line, e.g. {@code -Dnnj.backend=bogus: no backend named 'bogus' exists (known: cuda, cpu)}
     */
    static String unknownBackend(String source, String name, List<String> known) {
        return source + ": no backend named '" + name + "' exists (known: "
                + (known.isEmpty() ? "none; add nn-cpu or nn-cuda to the class path" : String.join(", ", known))
                + ")";
    }

    /** Names of every backend provider found, available here or not, highest priority first. */
    static List<String> knownBackends() {
        List<String> names = new ArrayList<>();
        for (ProviderStatus s : Backends.statuses()) {
            names.add(s.name());
        }
        return names;
    }

    /** Names of the backends that can run here, highest priority first; reasons for the others on stderr. */
    static List<String> availableBackends() {
        List<String> names = new ArrayList<>();
        for (ProviderStatus s : Backends.statuses()) {
            if (s.available()) {
                names.add(s.name());
            } else {
                System.err.println("Skipped [" + s.name() + "] backend (unavailable): " + s.reason());
            }
        }
        return names;
    }

    /** A {@code rows × cols} tensor of seeded uniform values in {@code [-1, 1)}. */
    static Tensor random(Backend backend, long seed, int rows, int cols) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (2 * r.nextDouble() - 1);
        }
        return backend.tensor(data, rows, cols);
    }

    /** A {@code rows × classes} tensor of seeded one-hot rows. */
    static Tensor oneHot(Backend backend, long seed, int rows, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[rows * classes];
        for (int i = 0; i < rows; i++) {
            data[i * classes + r.nextInt(classes)] = 1f;
        }
        return backend.tensor(data, rows, classes);
    }

    /** Closes what is not null, in order. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + c + " failed", e);
                }
            }
        }
    }
}
