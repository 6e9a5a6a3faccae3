package dev.nnj.cuda;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import dev.nnj.cuda.loader.NativeCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child-JVM entry point for {@link CudaProbeTest}, run with a fresh native directory: finding the providers
 * loads nothing; probing twice gives the same answer; a failed probe leaves the JVM working and
 * {@link Backends#best()} falls back with the reason logged.
 */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        Path natives = Paths.get(System.getProperty(NativeCache.DIR_PROPERTY));
        BackendProvider cuda = null;
        for (BackendProvider p : Backends.providers()) {
            System.out.println("PROVIDER " + p.name() + " " + p.priority());
            if (p.name().equals("cuda")) {
                cuda = p;
            }
        }
        System.out.println("NATIVES-BEFORE-PROBE " + Files.exists(natives));
        Availability first = cuda.availability();
        Availability second = CudaProbe.run().availability();
        System.out.println("FIRST " + first.available() + " " + first.reason());
        System.out.println("SECOND " + second.available() + " " + second.reason());
        try (Backend best = Backends.best()) {
            System.out.println("BEST " + best.name());
        }
        System.out.println("CONTINUES");
    }
}
