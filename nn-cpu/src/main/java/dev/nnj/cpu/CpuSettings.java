package dev.nnj.cpu;

import dev.nnj.api.InvalidSettingException;
import java.util.Locale;

/**
 * The cpu backend's system properties, read and validated in one place: a value that is set but not accepted
 * is an {@link InvalidSettingException} naming the property and the accepted values, never silently ignored.
 */
final class CpuSettings {
    /** The most threads a backend may use (the worker pool numbers its parts in 15 bits). */
    static final int MAX_THREADS = 1 << 15;

    /** Values of {@link CpuBackend#KERNELS_PROPERTY}: the tuned kernels (the default) or the naive loops. */
    static final String TUNED = "tuned";
    static final String REFERENCE = "reference";

    private CpuSettings() {
    }

    /**
     * {@value CpuBackend#THREADS_PROPERTY} if set, else the available processors.
     *
     * @return the number of threads, 1 to {@link #MAX_THREADS}
     * @throws InvalidSettingException if the property is set to anything else
     */
    static int threads() {
        String value = System.getProperty(CpuBackend.THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted values
        }
        throw new InvalidSettingException("-D" + CpuBackend.THREADS_PROPERTY, value, "a whole number from 1 to "
                + MAX_THREADS + " (unset: one per available processor, "
                + Runtime.getRuntime().availableProcessors() + " here)");
    }

    /**
     * Whether {@value CpuBackend#KERNELS_PROPERTY} selects the reference kernels.
     *
     * @return true for {@code reference}, false for {@code tuned} or unset
     * @throws InvalidSettingException for any other value
     */
    static boolean referenceKernels() {
        String value = System.getProperty(CpuBackend.KERNELS_PROPERTY);
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(REFERENCE)) {
            return true;
        }
        if (v.equals(TUNED)) {
            return false;
        }
        throw new InvalidSettingException("-D" + CpuBackend.KERNELS_PROPERTY, value, "'" + TUNED
                + "' (the default: Vector API or plain-Java tuned kernels) or '" + REFERENCE
                + "' (the naive documented loops)");
    }

    /**
     * Refuses a value of {@value Vectorization#PROPERTY} other than {@code true} or {@code false}, and of
     * {@value VectorGemm#BITS_PROPERTY} other than {@code 256} or {@code 512}: read where the kernels are chosen,
     * once a process, they were ignored ({@code -Dnnj.cpu.vector=maybe} ran the vector kernels without a word).
     *
     * @throws InvalidSettingException naming the property and the values it takes
     */
    static void requireVectorSettings() {
        String vector = System.getProperty(Vectorization.PROPERTY);
        if (vector != null && !vector.isBlank() && !vector.trim().equalsIgnoreCase("true")
                && !vector.trim().equalsIgnoreCase("false")) {
            throw new InvalidSettingException("-D" + Vectorization.PROPERTY, vector, "'true' (the default: the Vector "
                    + "API kernels where the JVM has the module) or 'false' (the plain-Java kernels)");
        }
        String bits = System.getProperty(VectorGemm.BITS_PROPERTY);
        if (bits != null && !bits.isBlank() && !bits.trim().equals("256") && !bits.trim().equals("512")) {
            throw new InvalidSettingException("-D" + VectorGemm.BITS_PROPERTY, bits, "'256' (256-bit vectors on a "
                    + "512-bit machine) or '512' (the default: the machine's preferred width)");
        }
    }
}
