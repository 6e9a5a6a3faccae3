package dev.nnj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fat jar whose service files were not merged keeps one backend's {@code META-INF/services} file and drops the
 * others': {@code Backends.best()} then says which of nnj's providers is on the class path without being listed, and
 * how to merge the files. (In this module's tests both backends' classes are on the class path.)
 */
class UnregisteredProvidersTest {

    @Test
    void aProviderOnTheClassPathButNotFoundAsAServiceIsNamedWithTheFix() {
        String hint = Backends.unregisteredHint(List.of());
        assertTrue(hint.contains("dev.nnj.cpu.CpuBackendProvider is on the class path but not listed in "
                + "META-INF/services/dev.nnj.api.BackendProvider"), hint);
        assertTrue(hint.contains("dev.nnj.cuda.CudaBackendProvider is on the class path"), hint);
        assertTrue(hint.endsWith("in a fat jar, merge the service files (maven-shade's ServicesResourceTransformer, "
                + "Gradle shadow's mergeServiceFiles())"), hint);
        assertEquals("", Backends.unregisteredHint(Backends.providers()), "every provider found: no hint");
    }
}
