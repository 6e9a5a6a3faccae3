package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a JVM like the one running the tests (same java, same test class path, same native-access flags),
 * for what can only be checked in a fresh process: native loading, several JVMs at once, a JVM that survives.
 */
public final class ChildJvm {
    /** What a finished child printed and returned. */
    public record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    public static Process start(Class<?> main, List<String> jvmArgs, Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits up to {@code seconds}; a child still running then is killed and reported with exit code -1. */
    public static Result finish(Process p, int seconds) throws IOException, InterruptedException {
        // Read first: a child blocked on a full pipe would never exit.
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static Result run(Class<?> main, List<String> jvmArgs, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return finish(start(main, jvmArgs, env, args), 120);
    }

    /** Surefire's real test class path when forked with a manifest-only jar, else this JVM's. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** A directory under target/ (or the tmpdir outside Maven) that no other test uses. */
    public static Path scratch(String name) throws IOException {
        Path base = Paths.get(System.getProperty("basedir", "."), "target", "scratch");
        java.nio.file.Files.createDirectories(base);
        return java.nio.file.Files.createTempDirectory(base, name + "-");
    }
}
