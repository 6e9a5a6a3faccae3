package dev.nnj.cpu;

import dev.nnj.api.Backend;
import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;

/**
 * Registers the pure-Java backend with {@link dev.nnj.api.Backends}: name {@code "cpu"}, priority 0 (the
 * fallback every accelerator outranks), always available.
 */
public final class CpuBackendProvider implements BackendProvider {

    /** The provider {@link java.util.ServiceLoader} creates. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        int threads = CpuBackend.defaultThreads();
        return Availability.available("available: pure Java, " + threads + (threads == 1 ? " thread" : " threads")
                + ", " + CpuBackend.kernelsSummary());
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
