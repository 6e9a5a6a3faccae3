package dev.nnj.cuda;

import dev.nnj.api.Backend;
import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import java.util.function.Supplier;

/**
 * Offers the CUDA backend to {@link dev.nnj.api.Backends} (registered in
 * {@code META-INF/services/dev.nnj.api.BackendProvider}), above the CPU backend's priority 0.
 *
 * <p>Constructing it does nothing: natives are extracted and loaded on the first {@link #availability()} or
 * {@link #create()}, whose probe ({@link CudaProbe}) never throws and never leaves a broken class behind.
 * The result is kept for the life of the JVM (drivers and devices do not come and go under a running JVM).
 */
public final class CudaBackendProvider implements BackendProvider {
    /** Above the CPU backend's 0. */
    public static final int PRIORITY = 100;

    private static volatile CudaProbe.Result cached;

    private final Supplier<Availability> availability;
    private final Supplier<Backend> factory;

    /** The provider {@link java.util.ServiceLoader} creates: probes this machine, creates a GPU backend. */
    public CudaBackendProvider() {
        this(() -> probe().availability(), () -> CudaBackend.create(CudaBackend.tf32Requested()));
    }

    /** For tests: the same provider class over another availability and backend factory. */
    CudaBackendProvider(Supplier<Availability> availability, Supplier<Backend> factory) {
        this.availability = availability;
        this.factory = factory;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        return availability.get();
    }

    /** Creates a backend with FP32 or, when {@code -Dnnj.cuda.tf32=true}, TF32 matrix products. */
    @Override
    public Backend create() {
        return factory.get();
    }

    static CudaProbe.Result probe() {
        CudaProbe.Result r = cached;
        if (r == null) {
            synchronized (CudaBackendProvider.class) {
                r = cached;
                if (r == null) {
                    r = CudaProbe.run();
                    cached = r;
                }
            }
        }
        return r;
    }
}
