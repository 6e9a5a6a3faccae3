package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the NVIDIA driver's {@code libcuda.so.1} is where the dynamic linker would look for it, answered from
 * the file system without loading anything.
 *
 * <p>Why: on a machine without the driver, finding that out the direct way means writing JCuda's 1.2 MB driver
 * bindings into the native cache and asking the linker to load them (40-50 ms of every process that picks the
 * best backend, and a file in the user's cache directory). The linker finds a {@code NEEDED} library (JCuda's
 * bindings carry no {@code RPATH} or {@code RUNPATH}) through {@code LD_PRELOAD}, the directories of
 * {@code LD_LIBRARY_PATH} (and their {@code glibc-hwcaps} and legacy hardware subdirectories), the names recorded
 * in {@code /etc/ld.so.cache}, and the system directories. When none of them has it, loading would fail; in every
 * other case, and whenever the answer is not certain (no cache file, an unreadable one), the caller loads and
 * sees.
 */
public final class DriverLibrary {
    /** The driver library JCuda's bindings link against. */
    public static final String SONAME = "libcuda.so.1";
    /** The directories glibc searches on x86-64 after the cache, Debian's multiarch ones included. */
    static final List<Path> SYSTEM_DIRECTORIES = List.of(Paths.get("/lib64"), Paths.get("/usr/lib64"),
            Paths.get("/lib/x86_64-linux-gnu"), Paths.get("/usr/lib/x86_64-linux-gnu"), Paths.get("/lib"),
            Paths.get("/usr/lib"));
    /** Subdirectories of a search directory that glibc also tries, for CPU-specific builds of a library. */
    private static final List<String> HARDWARE_SUBDIRECTORIES = List.of("tls", "x86_64", "haswell", "tls/x86_64");

    private DriverLibrary() {
    }

    /**
     * False only when {@value #SONAME} is certainly not where the dynamic linker looks on this machine.
     *
     * @return whether loading the driver bindings may succeed
     */
    public static boolean mayBeFound() {
        return mayBeFound(System.getenv(), Paths.get("/etc/ld.so.cache"), SYSTEM_DIRECTORIES);
    }

    /**
     * {@link #mayBeFound()} with the environment, the cache file and the system directories given.
     *
     * @param env the process environment ({@code LD_PRELOAD}, {@code LD_LIBRARY_PATH})
     * @param ldCache the dynamic linker's cache file
     * @param systemDirectories the linker's built-in directories
     * @return false only when no place the linker looks holds the library
     */
    static boolean mayBeFound(Map<String, String> env, Path ldCache, List<Path> systemDirectories) {
        String preload = env.get("LD_PRELOAD");
        if (preload != null && preload.contains("libcuda")) {
            return true;
        }
        if (!Files.isRegularFile(ldCache)) {
            return true;   // no cache (NixOS, musl): the linker's search is not the one described here
        }
        List<Path> dirs = new ArrayList<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String s : ld.split(":")) {
                if (!s.isBlank()) {
                    dirs.add(Paths.get(s));
                }
            }
        }
        dirs.addAll(systemDirectories);
        for (Path dir : dirs) {
            if (holds(dir)) {
                return true;
            }
        }
        try {
            return cacheNames(Files.readAllBytes(ldCache));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The library in {@code dir}, in one of its {@code glibc-hwcaps} subdirectories or a legacy one. */
    private static boolean holds(Path dir) {
        if (Files.exists(dir.resolve(SONAME))) {
            return true;
        }
        for (String sub : HARDWARE_SUBDIRECTORIES) {
            if (Files.exists(dir.resolve(sub).resolve(SONAME))) {
                return true;
            }
        }
        Path hwcaps = dir.resolve("glibc-hwcaps");
        if (Files.isDirectory(hwcaps)) {
            try (DirectoryStream<Path> levels = Files.newDirectoryStream(hwcaps)) {
                for (Path level : levels) {
                    if (Files.exists(level.resolve(SONAME))) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    /** Whether an ld.so cache ({@link LdCache}) records the library, by its name or a path ending in it. */
    static boolean cacheNames(byte[] cache) {
        for (String s : LdCache.strings(cache, SONAME)) {
            if (s.equals(SONAME) || s.endsWith("/" + SONAME)) {
                return true;
            }
        }
        return false;
    }
}
