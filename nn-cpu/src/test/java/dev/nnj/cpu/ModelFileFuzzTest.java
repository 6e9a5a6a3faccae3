package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.io.ModelFileException;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.model.Sequential;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile and broken model files: valid files mutated at random — truncated, bits flipped, the header length
 * replaced by anything up to 2^64, header bytes overwritten with JSON punctuation, random garbage — must either
 * load (a flip in the weights can give another valid file) or fail with a {@link ModelFileException} whose
 * message starts with the file name. Never an {@code OutOfMemoryError}, never another exception.
 */
class ModelFileFuzzTest {
    private static Backend backend;
    private static Path dir;
    private static byte[] valid;

    @BeforeContainer
    static void saveAValidFile() throws IOException {
        backend = new CpuBackendProvider().create();
        dir = Files.createTempDirectory("nnj-fuzz");
        Path file = dir.resolve("valid.safetensors");
        try (Sequential model = new Sequential(backend, 5, 1)) {
            model.add(new Dense(4, Activation.RELU)).add(new Dropout(0.1f)).add(new Dense(3, Activation.SOFTMAX));
            ModelFiles.save(model, file);
        }
        valid = Files.readAllBytes(file);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        backend.close();
    }

    /** Loads {@code bytes} as a model file; passes if it loads or fails clearly. */
    private static void loadsOrFailsClearly(byte[] bytes) throws IOException {
        Path file = dir.resolve("mutant.safetensors");
        Files.write(file, bytes);
        try (SavedModel loaded = ModelFiles.load(file, backend)) {
            assertTrue(loaded.model().outputWidth() == 3, "a file that loads is still the 5-4-3 model");
        } catch (ModelFileException e) {
            assertTrue(e.getMessage().startsWith(file.toString() + ": "), "names the file: " + e.getMessage());
            assertTrue(e.getMessage().length() > file.toString().length() + 10, "says what is wrong: " + e.getMessage());
        }
    }

    @Property(tries = 300)
    void truncatedFilesFailClearly(@ForAll("lengths") int length) throws IOException {
        loadsOrFailsClearly(Arrays.copyOf(valid, Math.min(length, valid.length - 1)));
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(0, 4096);
    }

    @Property(tries = 500)
    void flippedBitsLoadOrFailClearly(@ForAll("positions") int[] bits) throws IOException {
        byte[] b = valid.clone();
        for (int bit : bits) {
            int at = Math.floorMod(bit, b.length * 8);
            b[at / 8] ^= (byte) (1 << (at % 8));
        }
        loadsOrFailsClearly(b);
    }

    @Provide
    Arbitrary<int[]> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void anyHeaderLengthFailsClearlyOrIsTheRealOne(@ForAll long headerLength) throws IOException {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        loadsOrFailsClearly(b);
    }

    @Property(tries = 500)
    void headerBytesOverwrittenWithJsonPunctuationFailClearly(@ForAll("headerEdits") int[] edits)
            throws IOException {
        byte[] b = valid.clone();
        int headerLength = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] alphabet = "{}[]\":,0123456789-+.eE \\u\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + 1 < edits.length; i += 2) {
            b[8 + Math.floorMod(edits[i], headerLength)] = alphabet[Math.floorMod(edits[i + 1], alphabet.length)];
        }
        loadsOrFailsClearly(b);
    }

    @Provide
    Arbitrary<int[]> headerEdits() {
        return Arbitraries.integers().array(int[].class).ofMinSize(2).ofMaxSize(12);
    }

    @Property(tries = 200)
    void randomBytesFailClearly(@ForAll("garbage") byte[] garbage) throws IOException {
        loadsOrFailsClearly(garbage);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    }

    @Property(tries = 200)
    void deeplyNestedOrHugeJsonFailsClearly(@ForAll("depths") int depth) throws IOException {
        String header = "{\"__metadata__\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(text.length).put(text);
        loadsOrFailsClearly(b.array());
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(1, 200_000);
    }
}
