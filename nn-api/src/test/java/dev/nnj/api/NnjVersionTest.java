package dev.nnj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.io.ModelFiles;
import org.junit.jupiter.api.Test;

/**
 * The build writes nnj's version into a resource, so that files record it wherever the jar runs; a manifest's
 * {@code Implementation-Version} is null on the module path and the application's own in a shaded jar.
 */
class NnjVersionTest {

    @Test
    void theVersionIsTheBuildsAndTheModelFilesRecordIt() {
        String v = NnjVersion.current();
        // The build's own classes (these tests) get it too: the resource is filtered into target/classes.
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+([-.][A-Za-z0-9.]+)?"), "a Maven version, got " + v);
        assertEquals("nnj " + v, ModelFiles.WRITER);
    }
}
