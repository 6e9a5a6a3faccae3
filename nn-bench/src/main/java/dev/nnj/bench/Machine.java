package dev.nnj.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One line describing this machine for result headers: CPU model, family, model and stepping numbers and widest SIMD,
 * cores, memory, OS.
 */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = firstValue("/proc/cpuinfo", "model name");
        String mem = firstValue("/proc/meminfo", "MemTotal");
        StringBuilder sb = new StringBuilder();
        sb.append(cpu != null ? cpu : System.getProperty("os.arch"));
        sb.append(generation(firstValue("/proc/cpuinfo", "vendor_id"), firstValue("/proc/cpuinfo", "cpu family"),
                firstValue("/proc/cpuinfo", "model"), firstValue("/proc/cpuinfo", "stepping")));
        String flags = firstValue("/proc/cpuinfo", "flags");
        if (flags != null) {
            String padded = " " + flags + " ";
            sb.append(padded.contains(" avx512f ") ? " (AVX-512)" : padded.contains(" avx2 ") ? " (AVX2)" : "");
        }
        sb.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (mem != null && mem.endsWith(" kB")) {
            try {
                long kb = Long.parseLong(mem.substring(0, mem.length() - 3).trim());
                sb.append(String.format(Locale.ROOT, ", %.0f GiB", kb / 1024.0 / 1024.0));
            } catch (NumberFormatException e) {
                // leave memory out
            }
        }
        sb.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"));
        return sb.toString();
    }

    /**
     * {@code ", family 26 model 2 stepping 1 (Zen 5)"}: the numbers that tell apart processors of one model name
     * ("AMD EPYC" on cloud machines of several generations), with the core generation only for the numbers we are
     * sure of (bench/lib.sh's nnj_cpu names the same); empty when the family is not known.
     */
    static String generation(String vendor, String family, String model, String stepping) {
        if (family == null || model == null) {
            return "";
        }
        String text = ", family " + family + " model " + model + (stepping != null ? " stepping " + stepping : "");
        String name = "AuthenticAMD".equals(vendor) ? switch (family + " " + model) {
            case "23 1" -> "Zen";
            case "23 49" -> "Zen 2";
            case "25 1" -> "Zen 3";
            case "25 17" -> "Zen 4";
            case "26 2" -> "Zen 5";
            default -> null;
        } : null;
        return name == null ? text : text + " (" + name + ")";
    }

    /**
     * {@code "; load average 1.52 1.20 1.10"}: the 1, 5 and 15 minute load averages now, read at the end of a run, so
     * that a reader can tell a quiet machine from a shared one; empty where {@code /proc/loadavg} cannot be read.
     */
    static String loadAverage() {
        return loadAverage("at the end of the run");
    }

    /** {@link #loadAverage()} with another time than the run's end, e.g. {@code "at the conversion"}. */
    static String loadAverage(String when) {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            if (fields.length >= 3) {
                return "; load average " + fields[0] + " " + fields[1] + " " + fields[2] + " " + when;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return "";
    }

    private static String firstValue(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: describe() falls back
        }
        return null;
    }
}
