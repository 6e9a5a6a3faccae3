package dev.nnj.bench;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import java.util.List;

/**
 * Prints the names of the backends that can run here, comma-separated on one line ({@code cpu} or
 * {@code cuda,cpu}), for {@code -p backend=...}; the reason for each one that cannot run goes to stderr.
 * With {@code --describe}, prints instead one line per available backend with its own description
 * (device, kernels, threads), creating each one. Exits with status 1 when none can run.
 */
public final class AvailableBackends {
    private AvailableBackends() {
    }

    /**
     * Prints the available backends.
     *
     * @param args empty, or {@code --describe}
     */
    public static void main(String[] args) {
        List<String> names = BenchSupport.availableBackends();
        if (args.length > 0 && args[0].equals("--describe")) {
            for (String name : names) {
                try (Backend be = Backends.get(name)) {
                    System.out.println(be.description());
                }
            }
        } else {
            System.out.println(String.join(",", names));
        }
        if (names.isEmpty()) {
            System.exit(1);
        }
    }
}
