package dev.nnj.cpu;

import dev.nnj.api.conformance.BackendConformanceTest;
import dev.nnj.api.BackendProvider;

/**
 * The shared conformance suite on the CPU backend. The build runs it twice: with the Vector API fast path
 * (the default test JVM adds {@code jdk.incubator.vector}) and without the module, where the scalar
 * kernels must give the same answers.
 */
class CpuConformanceTest extends BackendConformanceTest {

    @Override
    protected BackendProvider provider() {
        return new CpuBackendProvider();
    }
}
