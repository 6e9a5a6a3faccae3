package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a test class's {@code main} in a fresh JVM with the Vector API, for checks that depend on the JIT's state. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main.main(args)} in a new JVM on this test's class path, with this JVM's {@code nnj.*} system
     * properties, and returns what it printed.
     *
     * @throws AssertionError if the JVM exits with a status other than 0
     */
    static String run(Class<?> main, String... args) throws IOException, InterruptedException {
        return run(List.of(), main, args);
    }

    /**
     * As {@link #run(Class, String...)}, with more JVM options.
     *
     * @param jvmOptions options for the child JVM, before the class name (a compile log, say)
     */
    static String run(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        // The backend's settings of this test run (the 256-bit kernels, say) hold for the child too.
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("nnj.")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.add(main.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), main.getSimpleName() + " " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }
}
