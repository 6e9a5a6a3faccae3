package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.examples.DigitsPreset;
import org.junit.jupiter.api.Test;

/** DigitsRun's command line: what it accepts, and the message for what it does not. */
class DigitsRunTest {

    @Test
    void readsEveryOption() {
        DigitsRun.Options o = DigitsRun.Options.parse("--preset", "keras", "--seeds", "0-2", "--epochs", "50",
                "--backend", "cpu");
        assertEquals(DigitsPreset.KERAS, o.preset());
        assertArrayEquals(new long[] {0, 1, 2}, o.seeds());
        assertEquals(50, o.epochs());
        assertEquals("cpu", o.backendName());
    }

    @Test
    void defaultsToSeedZeroAThousandEpochsAndTheBestBackend() {
        DigitsRun.Options o = DigitsRun.Options.parse("--preset", "article");
        assertEquals(DigitsPreset.ARTICLE, o.preset());
        assertArrayEquals(new long[] {0}, o.seeds());
        assertEquals(1000, o.epochs());
        assertNull(o.backendName());
    }

    @Test
    void namesWhatIsWrong() {
        assertMessage("--preset is required", "--epochs", "5");
        assertMessage("--seeds needs a value", "--preset", "article", "--seeds");
        assertMessage("unknown option '--epoch'", "--preset", "article", "--epoch", "5");
        assertMessage("--epochs takes a whole number from 1 to 2147483647, got 'ten'", "--preset", "article",
                "--epochs", "ten");
        assertMessage("--epochs takes a whole number from 1 to 2147483647, got '0'", "--preset", "article",
                "--epochs", "0");
        assertMessage("unknown preset 'mnist'; use article or keras", "--preset", "mnist");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitsRun.Options.parse(args));
        assertEquals(expected, e.getMessage());
    }

    /**
     * A backend asked for that cannot run is refused in one line (the harnesses print it and exit 2) rather than
     * with the stack trace of an IllegalStateException whose message started "SKIPPED:".
     */
    @Test
    void refusesABackendThatIsNotHereInOneLine() {
        assertNull(BenchSupport.backendRefusal("cpu"));
        String refusal = BenchSupport.backendRefusal("nosuch");
        // A typo is told from a backend without its hardware here, with the names that exist.
        assertTrue(refusal.startsWith("--backend nosuch: no backend named 'nosuch' exists (known: "), refusal);
        assertTrue(refusal.contains("cpu") && !refusal.contains("\n"), refusal);
    }
}
