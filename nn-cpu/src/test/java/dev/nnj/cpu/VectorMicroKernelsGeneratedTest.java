package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code VectorMicroKernels.java} is exactly what {@link VectorMicroKernelsGenerator} writes, so
 * that a change to a kernel is made once, in the generator, and cannot drift from it.
 */
class VectorMicroKernelsGeneratedTest {
    /** Relative to the module directory, where Maven runs the tests. */
    private static final Path SOURCE = Path.of("src/main/java/dev/nnj/cpu/VectorMicroKernels.java");

    @Test
    void committedKernelsEqualTheGeneratorsOutput() {
        assertTrue(Files.isRegularFile(SOURCE), "run from the nn-cpu module directory: " + SOURCE.toAbsolutePath());
        String committed = VectorMicroKernelsGenerator.read(SOURCE).replace("\r\n", "\n");
        String generated = VectorMicroKernelsGenerator.generate();
        if (!committed.equals(generated)) {
            String[] a = committed.split("\n", -1);
            String[] b = generated.split("\n", -1);
            int line = 0;
            while (line < a.length && line < b.length && a[line].equals(b[line])) {
                line++;
            }
            String was = line < a.length ? a[line] : "<end of file>";
            String want = line < b.length ? b[line] : "<end of file>";
            assertEquals(want, was, "VectorMicroKernels.java differs from VectorMicroKernelsGenerator's output at"
                    + " line " + (line + 1) + "; regenerate it (see the generator's Javadoc)");
        }
    }

    @Test
    void generatorWritesEveryKernelTheGemmDispatchesTo() {
        String generated = VectorMicroKernelsGenerator.generate();
        String[] kernels = {"12x2", "8x2", "6x2", "4x2", "12x1", "6x1"};
        for (String layout : new String[] {"rowA", "colA"}) {
            for (String k : kernels) {
                assertTrue(generated.contains("static void " + layout + k + "("), layout + k);
            }
        }
    }
}
