package dev.nnj.bench;

import dev.nnj.api.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The benchmarks jar's main class: JMH's own ({@code org.openjdk.jmh.Main}) with two defaults that suit a jar run
 * by hand or from a CI job, each left alone when the command line gives its own.
 * <ul>
 *   <li>{@code -p backend=…} the backend {@code -Dnnj.backend} or {@code NNJ_BACKEND} names, as every nnj program
 *       honours them, refused with exit status 2 when it cannot run here (a backend asked for by name never falls
 *       back to another); else the backends that can run here ({@link BenchSupport#availableBackends()}): on a
 *       machine without a GPU, {@code cpu}. Without it every CUDA benchmark failed at its set-up there, and a
 *       plain {@code java -jar benchmarks.jar} spent its time on failures.</li>
 *   <li>{@code -foe true} (fail on error): a benchmark that fails stops the run with exit status 1. JMH's own
 *       default goes on and exits 0, so a script could not tell a broken benchmark from a good run.</li>
 * </ul>
 * A {@code -p backend=…} the command line gives is checked the same way: each backend it names runs here, or the
 * run is refused in one line (JMH would print a stack trace per fork, the reason inside it). Options that only list
 * or describe ({@code -h}, {@code -l}, {@code -lp}, {@code -lprof}, {@code -lrf}) pass through unchanged. What was
 * added is said on stderr, once.
 */
public final class BenchMain {
    /** JMH options that print something and run no benchmark. */
    private static final Set<String> LISTING = Set.of("-h", "-l", "-lp", "-lprof", "-lrf");

    private BenchMain() {
    }

    /**
     * Runs JMH with the defaults above.
     *
     * @param args JMH's command line
     * @throws Exception as JMH's main
     */
    public static void main(String[] args) throws Exception {
        // This JVM only lists the backends and starts the forks, which run the kernels with their own flags: its own
        // probe of the Vector API would warn of this JVM's command line (no --add-modules), not theirs. System
        // properties set here do not reach the forks, which JMH starts with this JVM's input arguments.
        if (System.getProperty("nnj.cpu.vector") == null) {
            System.setProperty("nnj.cpu.vector", "false");
        }
        List<String> added = new ArrayList<>();
        String[] jmhArgs;
        try {
            jmhArgs = arguments(args, BenchSupport::availableBackends, BenchSupport::knownBackends, requestedBackend(),
                    added);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmarks.jar: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (jmhArgs == null) {
            System.err.println("benchmarks.jar: no backend can run here (see java -cp benchmarks.jar "
                    + "dev.nnj.bench.AvailableBackends), and no -p backend=... was given");
            System.exit(1);
        }
        if (!added.isEmpty()) {
            System.err.println("benchmarks.jar: added " + String.join(" ", added) + " (give your own to change them)");
        }
        org.openjdk.jmh.Main.main(jmhArgs);
    }

    /**
     * The backend this JVM's {@code -Dnnj.backend} or {@code NNJ_BACKEND} names and how, e.g.
     * {@code {"cuda", "-Dnnj.backend=cuda"}}; null when neither names one.
     */
    static String[] requestedBackend() {
        String name = Backends.requestedName();
        if (name == null) {
            return null;
        }
        String property = System.getProperty(Backends.PROPERTY);
        return new String[] {name, property != null && !property.isBlank()
                ? "-D" + Backends.PROPERTY + "=" + property.trim() : Backends.ENVIRONMENT + "=" + name};
    }

    /**
     * JMH's command line with the defaults added where {@code args} does not give its own.
     *
     * @param args      the command line as given
     * @param available the backends that can run here, asked only when a backend must be chosen
     * @param known     every backend provider's name, available or not, asked only when {@code requested} is not
     *                  available: it tells a misspelt name from a backend that lacks its hardware here
     * @param requested the backend named by {@code -Dnnj.backend} or {@code NNJ_BACKEND} and how it was named
     *                  ({@link #requestedBackend()}), or null
     * @param added     receives the options added, for the note on stderr
     * @return the command line to run, or null when a backend must be chosen and none can run here
     * @throws IllegalArgumentException when {@code requested} names a backend that does not exist or cannot run here:
     *                                  measuring another instead would pass one backend's figures off as the other's
     */
    static String[] arguments(String[] args, Supplier<List<String>> available, Supplier<List<String>> known,
                              String[] requested, List<String> added) {
        List<String> out = new ArrayList<>(List.of(args));
        boolean listing = false;
        boolean failOnError = false;
        List<String> givenBackends = new ArrayList<>();   // "-p backend=a,b" as given, each value once
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            listing |= LISTING.contains(a);
            failOnError |= a.equals("-foe");
            if (a.equals("-p") && i + 1 < args.length && args[i + 1].startsWith("backend=")) {
                givenBackends.add(args[i + 1].substring("backend=".length()));
            } else if (a.startsWith("-pbackend=")) {
                givenBackends.add(a.substring("-pbackend=".length()));
            }
        }
        if (listing) {
            return args;
        }
        boolean backend = !givenBackends.isEmpty();
        List<String> runnable = backend ? available.get() : List.of();   // probed once: each probe logs its skips
        for (String value : givenBackends) {
            // Each named backend measured, or refused in one line: JMH would fail each benchmark's set-up with a
            // stack trace per fork, the reason buried in it.
            for (String name : value.split(",", -1)) {
                String b = name.trim();
                if (!runnable.contains(b)) {
                    throw cannotRun("-p backend=" + value, b, runnable, known);
                }
            }
        }
        if (!failOnError) {
            out.add("-foe");
            out.add("true");
            added.add("-foe true");
        }
        if (!backend) {
            List<String> here = available.get();
            String p;
            if (requested != null) {
                if (!here.contains(requested[0])) {
                    throw cannotRun(requested[1], requested[0], here, known);
                }
                p = "backend=" + requested[0];
                added.add("-p " + p + " (from " + requested[1] + ")");
            } else {
                if (here.isEmpty()) {
                    return null;
                }
                p = "backend=" + String.join(",", here);
                added.add("-p " + p);
            }
            out.add("-p");
            out.add(p);
        }
        return out.toArray(new String[0]);
    }

    /**
     * Why a backend asked for by name is not measured: no backend has that name (the names that exist given), or it
     * cannot run here (those that can given); measuring another would pass its figures off as the one asked for.
     *
     * @param how      how it was asked for, for the message ({@code -Dnnj.backend=cuda}, {@code -p backend=cuda})
     * @param name     the backend's name
     * @param runnable the backends that can run here
     * @param known    every backend provider's name
     */
    private static IllegalArgumentException cannotRun(String how, String name, List<String> runnable,
                                                      Supplier<List<String>> known) {
        List<String> names = known.get();
        if (names.stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
            return new IllegalArgumentException(BenchSupport.unknownBackend(how, name, names));
        }
        return new IllegalArgumentException(how + " asks for backend '" + name + "', which cannot run here (available: "
                + (runnable.isEmpty() ? "none" : String.join(", ", runnable)) + "; java -cp benchmarks.jar "
                + "dev.nnj.bench.AvailableBackends says why)");
    }
}
