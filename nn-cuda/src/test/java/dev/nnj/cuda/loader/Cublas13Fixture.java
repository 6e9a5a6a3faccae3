package dev.nnj.cuda.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real {@code libcublas.so.13} for tests that need one, without a GPU: from {@code -Dnnj.test.cublas13Dir}
 * (or {@code NNJ_TEST_CUBLAS13_DIR}), else extracted once into {@code target/cublas13} from NVIDIA's
 * {@code nvidia_cublas} 13.x wheel where this machine image keeps one (/opt/pypi-more/files). Tests assume
 * it is there and skip, saying so, when it is not.
 */
final class Cublas13Fixture {
    static final String PROPERTY = "nnj.test.cublas13Dir";
    private static final Path WHEELS = Paths.get("/opt/pypi-more/files");

    private Cublas13Fixture() {
    }

    /** The directory holding libcublas.so.13 and libcublasLt.so.13, or null with no way to get one. */
    static synchronized Path directory() throws IOException {
        String configured = System.getProperty(PROPERTY, System.getenv("NNJ_TEST_CUBLAS13_DIR"));
        if (configured != null && !configured.isBlank()) {
            Path d = Paths.get(configured);
            return Files.isRegularFile(d.resolve("libcublas.so.13")) ? d : null;
        }
        Path target = Paths.get(System.getProperty("basedir", "."), "target", "cublas13");
        if (Files.isRegularFile(target.resolve("libcublas.so.13"))
                && Files.isRegularFile(target.resolve("libcublasLt.so.13"))) {
            return target;
        }
        Path wheel = findWheel();
        if (wheel == null) {
            return null;
        }
        Files.createDirectories(target);
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (String name : new String[] {"libcublasLt.so.13", "libcublas.so.13"}) {
                ZipEntry e = zip.getEntry("nvidia/cu13/lib/" + name);
                if (e == null) {
                    return null;
                }
                Path tmp = target.resolve(name + ".part");
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    static String whyMissing() {
        return "no libcublas.so.13 to test against: set -D" + PROPERTY + "=<dir with libcublas.so.13 and"
                + " libcublasLt.so.13>, or provide an nvidia_cublas 13 wheel in " + WHEELS;
    }

    private static Path findWheel() throws IOException {
        if (!Files.isDirectory(WHEELS)) {
            return null;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(WHEELS, "nvidia_cublas-13.*.whl")) {
            for (Path p : s) {
                return p;
            }
        }
        return null;
    }
}
