package dev.nnj.api.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A backend outside this build runs the conformance suite with the test dependencies {@code docs/backends.md}
 * lists and nothing else: the list there and the one in {@code BackendConformanceTest}'s Javadoc are the same, with
 * the versions this build uses, and the suite's classes refer to no other library, logback included (the suite runs
 * with any SLF4J binding; {@code LogbackWarnings}, loaded only when logback is the binding, is the exception).
 */
class ConformanceDependenciesTest {
    private static final Path BACKENDS_DOC = Path.of("../docs/backends.md");
    private static final Path ROOT_POM = Path.of("../pom.xml");
    private static final Path SUITE_SOURCE =
            Path.of("src/test/java/dev/nnj/api/conformance/BackendConformanceTest.java");
    private static final Path SUITE_CLASSES = Path.of("target/test-classes/dev/nnj/api/conformance");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<artifactId>([^<]+)</artifactId>\\s*(?:\\*\\s*)?<version>([^<]+)</version>");
    /** Internal names of classes outside the JDK, as a class file holds them (alone, or after a descriptor's L). */
    private static final Pattern LIBRARY_CLASS = Pattern.compile(
            "(?<![a-z0-9_/$])(?:com|org|ch|net|io)/[a-z][a-z0-9_]*/[\\w/$]+");
    /** The packages of nn-api's own dependency (SLF4J's API) and of the three listed: Jackson and JUnit 5. */
    private static final List<String> ALLOWED = List.of("org/slf4j/", "com/fasterxml/jackson/", "org/junit/",
            "org/opentest4j/");

    private static List<String> dependencies(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = DEPENDENCY.matcher(text);
        while (m.find()) {
            found.add(m.group(1) + ":" + m.group(2));
        }
        return found;
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), name + " in the root pom");
        return m.group(1);
    }

    @Test
    void theDocumentedDependenciesAgreeWithTheJavadocAndTheBuild() throws IOException {
        String pom = Files.readString(ROOT_POM, StandardCharsets.UTF_8);
        List<String> expected = List.of("nn-api:" + property(pom, "version"),
                "jackson-databind:" + property(pom, "jackson.version"),
                "junit-jupiter:" + property(pom, "junit.version"));
        assertEquals(expected, dependencies(Files.readString(BACKENDS_DOC, StandardCharsets.UTF_8)),
                "the test dependencies of docs/backends.md, with this build's versions");
        assertEquals(expected, dependencies(Files.readString(SUITE_SOURCE, StandardCharsets.UTF_8)),
                "the test dependencies of BackendConformanceTest's Javadoc, as docs/backends.md lists them");
    }

    @Test
    void theSuiteUsesNoLibraryBeyondTheDocumentedOnes() throws IOException {
        TreeSet<String> outside = new TreeSet<>();
        try (Stream<Path> files = Files.list(SUITE_CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("LogbackWarnings.class")) {
                    continue;
                }
                Matcher m = LIBRARY_CLASS.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String type = m.group();
                    if (ALLOWED.stream().noneMatch(type::startsWith)) {
                        outside.add(name + " uses " + type);
                    }
                }
            }
        }
        assertTrue(outside.isEmpty(), "classes of the conformance suite that need a library docs/backends.md does "
                + "not list (keep logback in LogbackWarnings): " + outside);
    }
}
