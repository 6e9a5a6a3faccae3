package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the host's cuBLAS ({@code libcublas.so.12} or {@code libcublas.so.13}) by path, and checks which
 * functions it exports.
 *
 * <p>A path is needed, not just a name: the backend loads cuBLAS with {@code System.load(path)} before the
 * JNI library that needs it, and glibc then satisfies that library's {@code DT_NEEDED} by the already-loaded
 * soname, wherever the file lies (a CUDA toolkit, a pip wheel, a distribution package).
 *
 * @param major 12 or 13
 * @param path  absolute path of the file
 */
record CublasLibrary(int major, Path path) {
    /** System property naming an extra directory to search first. */
    public static final String DIR_PROPERTY = "nnj.cuda.cublasDir";
    /** The majors the backend can use, in order of preference (12 needs no rewrite). */
    public static final int[] MAJORS = {12, 13};

    /** {@code libcublas.so.12}. */
    public String soname() {
        return soname(major);
    }

    static String soname(int major) {
        return "libcublas.so." + major;
    }

    /** The result of a search: the library found, if any, and every place looked at (for the reason). */
    public record Search(Optional<CublasLibrary> found, List<String> lookedIn) {
    }

    /** Searches the default places (see {@link #defaultDirectories()}) and {@code /etc/ld.so.cache}. */
    public static Search find() {
        return find(defaultDirectories(), Paths.get("/etc/ld.so.cache"));
    }

    /**
     * The first {@code libcublas.so.12} in {@code dirs} or the ld cache, else the first {@code libcublas.so.13};
     * directories are tried in order.
     */
    public static Search find(List<Path> dirs, Path ldCache) {
        List<String> looked = new ArrayList<>();
        for (Path d : dirs) {
            looked.add(d.toString());
        }
        List<Path> cached = ldCacheEntries(ldCache);
        looked.add(ldCache + " (" + cached.size() + " cuBLAS entries)");
        for (int major : MAJORS) {
            String name = soname(major);
            for (Path d : dirs) {
                Path candidate = d.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return new Search(Optional.of(new CublasLibrary(major, candidate.toAbsolutePath())), looked);
                }
            }
            for (Path p : cached) {
                if (p.getFileName().toString().equals(name) && Files.isRegularFile(p)) {
                    return new Search(Optional.of(new CublasLibrary(major, p)), looked);
                }
            }
        }
        return new Search(Optional.empty(), looked);
    }

    /**
     * In order: {@value #DIR_PROPERTY}; {@code LD_LIBRARY_PATH}; {@code $CUDA_HOME}, {@code $CUDA_PATH};
     * {@code /usr/local/cuda}; {@code /usr/local/cuda-*} (newest first); the distribution's library directories.
     */
    public static List<Path> defaultDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            dirs.add(Paths.get(configured.trim()));
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String s : ld.split(":")) {
                if (!s.isBlank()) {
                    dirs.add(Paths.get(s));
                }
            }
        }
        List<Path> homes = new ArrayList<>();
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                homes.add(Paths.get(v));
            }
        }
        homes.add(Paths.get("/usr/local/cuda"));
        homes.addAll(versionedCudaHomes(Paths.get("/usr/local")));
        for (Path home : homes) {
            dirs.add(home.resolve("lib64"));
            dirs.add(home.resolve("targets/x86_64-linux/lib"));
        }
        for (String s : new String[] {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            dirs.add(Paths.get(s));
        }
        return new ArrayList<>(dirs);
    }

    /** {@code /usr/local/cuda-13.0}, {@code /usr/local/cuda-12.4} …, newest version first. */
    static List<Path> versionedCudaHomes(Path parent) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "cuda-*")) {
            for (Path p : s) {
                out.add(p);
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString())).reversed());
        return out;
    }

    private static String versionKey(String name) {
        // "cuda-12.4" → "0012.0004" so that 12.10 sorts after 12.9.
        StringBuilder sb = new StringBuilder();
        for (String part : name.substring(name.indexOf('-') + 1).split("\\.")) {
            String digits = part.replaceAll("\\D", "");
            sb.append(String.format("%4s", digits.isEmpty() ? "0" : digits).replace(' ', '0')).append('.');
        }
        return sb.toString();
    }

    /** Absolute paths of {@code libcublas.so.*} recorded in an ld.so cache ({@link LdCache}). */
    static List<Path> ldCacheEntries(Path ldCache) {
        List<Path> out = new ArrayList<>();
        byte[] data;
        try {
            if (!Files.isRegularFile(ldCache)) {
                return out;
            }
            data = Files.readAllBytes(ldCache);
        } catch (IOException e) {
            return out;
        }
        for (String s : LdCache.strings(data, "libcublas.so.")) {
            if (s.startsWith("/") && s.matches(".*/libcublas\\.so\\.\\d+")) {
                out.add(Paths.get(s));
            }
        }
        return out;
    }

    /**
     * The names in {@code functions} that this library does not export under its own version node
     * ({@code libcublas.so.<major>}) — each of them would end the JVM at its first call.
     */
    public List<String> missingFunctions(Collection<String> functions) throws IOException {
        Map<String, String> exports = ElfFile.map(path).exports();
        List<String> missing = new ArrayList<>();
        for (String f : functions) {
            String version = exports.get(f);
            if (!exports.containsKey(f) || (version != null && !version.equals(soname()))) {
                missing.add(f);
            }
        }
        return missing;
    }
}
