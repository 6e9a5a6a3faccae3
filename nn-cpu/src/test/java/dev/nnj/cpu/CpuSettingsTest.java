package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backends;
import dev.nnj.api.InvalidSettingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cpu backend's properties are validated where they are read: a bad value is an error naming the property
 * and the accepted values, from the backend, its provider and backend discovery alike (never "no backend is
 * available").
 */
class CpuSettingsTest {

    @AfterEach
    void clear() {
        System.clearProperty(CpuBackend.THREADS_PROPERTY);
        System.clearProperty(CpuBackend.KERNELS_PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "abc", "1.5", "40000", "99999999999"})
    void anInvalidThreadCountNamesThePropertyAndTheRange(String value) {
        System.setProperty(CpuBackend.THREADS_PROPERTY, value);
        for (Runnable read : new Runnable[] {CpuBackend::new, () -> new CpuBackendProvider().availability(),
                () -> Backends.get("cpu"), () -> Backends.select("cpu")}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, read::run);
            assertEquals("-Dnnj.cpu.threads", e.setting());
            assertTrue(e.getMessage().startsWith("invalid setting -Dnnj.cpu.threads='" + value
                    + "': accepted values are a whole number from 1 to 32768"), e.getMessage());
        }
    }

    /**
     * The Vector API switch and width took any value: {@code -Dnnj.cpu.vector=maybe} and {@code
     * -Dnnj.cpu.vector.bits=7} were ignored without a word. (This JVM's own values, which a surefire execution of
     * this module may set, are put back.)
     */
    @Test
    void anUnknownVectorSettingNamesThePropertyAndItsValues() {
        String vector = System.getProperty(Vectorization.PROPERTY);
        String bits = System.getProperty(VectorGemm.BITS_PROPERTY);
        try {
            System.setProperty(Vectorization.PROPERTY, "maybe");
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new CpuBackend(1));
            assertTrue(e.getMessage().startsWith("invalid setting -Dnnj.cpu.vector='maybe': accepted values are "
                    + "'true'"), e.getMessage());
            System.setProperty(Vectorization.PROPERTY, " FALSE ");
            System.setProperty(VectorGemm.BITS_PROPERTY, "7");
            InvalidSettingException b = assertThrows(InvalidSettingException.class, () -> new CpuBackend(1));
            assertTrue(b.getMessage().startsWith("invalid setting -Dnnj.cpu.vector.bits='7': accepted values are "
                    + "'256'"), b.getMessage());
            System.setProperty(VectorGemm.BITS_PROPERTY, "256");
            new CpuBackend(1).close();
        } finally {
            restore(Vectorization.PROPERTY, vector);
            restore(VectorGemm.BITS_PROPERTY, bits);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void aValidThreadCountIsUsed() {
        System.setProperty(CpuBackend.THREADS_PROPERTY, " 3 ");
        try (CpuBackend cpu = new CpuBackend()) {
            assertEquals(3, cpu.threads());
        }
    }

    @Test
    void anUnknownKernelChoiceNamesThePropertyAndTheChoices() {
        System.setProperty(CpuBackend.KERNELS_PROPERTY, "bogus");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new CpuBackend(1));
        assertTrue(e.getMessage().startsWith("invalid setting -Dnnj.cpu.kernels='bogus': accepted values are"
                + " 'tuned'"), e.getMessage());
        assertTrue(e.getMessage().contains("'reference'"), e.getMessage());
        assertThrows(InvalidSettingException.class, () -> new CpuBackendProvider().availability());
    }

    @Test
    void theKernelChoicesAreAccepted() {
        System.setProperty(CpuBackend.KERNELS_PROPERTY, "Reference");
        assertTrue(CpuSettings.referenceKernels());
        try (CpuBackend cpu = new CpuBackend(1)) {
            assertTrue(cpu.description().contains("reference"), cpu.description());
        }
        System.setProperty(CpuBackend.KERNELS_PROPERTY, "tuned");
        assertFalse(CpuSettings.referenceKernels());
    }
}
