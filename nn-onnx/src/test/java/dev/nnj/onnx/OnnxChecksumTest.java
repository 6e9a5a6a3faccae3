package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.io.JsonWriter;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.model.Sequential;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nnj.onnx.proto.OnnxProto.StringStringEntryProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksum of nnj's ONNX exports ({@link OnnxExporter#CHECKSUM_KEY}): a file damaged, cut short or changed since
 * nnj wrote it is refused rather than loaded as another model (before it, a file cut between two metadata entries
 * lost its {@code nnj.input} and applied its scaler twice, and a flipped weight bit went unseen); a file re-saved
 * unchanged by Python's onnx still loads, and so do files without a checksum.
 */
class OnnxChecksumTest {
    private static Backend backend;
    private static Dataset digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
        digits = Digits.load();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** The model without its checksum entry: as a file exported before nnj wrote one, or edited on purpose. */
    static ModelProto withoutChecksum(ModelProto onnx) {
        ModelProto.Builder b = onnx.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : onnx.getMetadataPropsList()) {
            if (!e.getKey().equals(OnnxExporter.CHECKSUM_KEY)) {
                b.addMetadataProps(e);
            }
        }
        return b.build();
    }

    /** A digits classifier with a standard scaler, class names and a digits.* setting: every metadata entry. */
    private static SavedModel classifier(Sequential model) {
        Preprocessing p = Preprocessing.none().withScaler(new StandardScaler().fit(digits.features(), Digits.FEATURES))
                .withClassNames(Digits.classNames());
        return new SavedModel(model, p, Map.of("digits.preset", "keras"));
    }

    /** Its predictions from raw features, the same to the bit as {@code expected}'s, and the same preprocessing. */
    private static boolean sameModel(SavedModel expected, SavedModel actual) {
        return actual.model().inputWidth() == expected.model().inputWidth()
                && actual.model().outputWidth() == expected.model().outputWidth()
                && JsonWriter.write(expected.preprocessing().toJson()).equals(JsonWriter.write(
                        actual.preprocessing().toJson()))
                && Arrays.equals(expected.predict(digits.features(), digits.size()),
                        actual.predict(digits.features(), digits.size()));
    }

    private static SavedModel load(byte[] bytes) throws IOException {
        return OnnxImporter.loadSaved(new ByteArrayInputStream(bytes), "m.onnx", backend);
    }

    @Test
    void anExportCarriesItsChecksumFirstAndLoads() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 32, 11)) {
            SavedModel saved = classifier(model);
            for (OnnxExporter.Input input : OnnxExporter.Input.values()) {
                Path file = dir.resolve(input.label() + ".onnx");
                OnnxExporter.export(saved, file, input);
                ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(file));
                assertEquals(OnnxExporter.toOnnx(saved, input), onnx, "the file holds the model toOnnx gives");
                StringStringEntryProto first = onnx.getMetadataProps(0);
                assertEquals(OnnxExporter.CHECKSUM_KEY, first.getKey());
                assertTrue(first.getValue().matches("[0-9a-f]{8}"), first.getValue());
                try (SavedModel loaded = OnnxImporter.loadSaved(file, backend)) {
                    assertTrue(sameModel(saved, loaded), input.label());
                }
            }
        }
    }

    /**
     * Every prefix of an exported file is refused. Protobuf reads a file cut between two fields as a whole model; the
     * checksum, first among the metadata, catches a cut in the metadata after it, and {@code opset_import}, written
     * last, a cut anywhere before (just before the metadata, in particular, which would lose the preprocessing and
     * the checksum together).
     */
    @Test
    void everyTruncationOfAnExportIsRefused() throws Exception {
        try (Sequential model = DigitsNetwork.build(backend, 32, 13)) {
            SavedModel saved = classifier(model);
            for (OnnxExporter.Input input : OnnxExporter.Input.values()) {
                Path file = dir.resolve("whole.onnx");
                OnnxExporter.export(saved, file, input);
                byte[] whole = Files.readAllBytes(file);
                for (int length = 0; length < whole.length; length++) {
                    byte[] cut = Arrays.copyOf(whole, length);
                    try (SavedModel loaded = load(cut)) {
                        fail(input.label() + " export cut to " + length + " of " + whole.length + " bytes loaded");
                    } catch (OnnxImportException refused) {
                        // what a truncated file should get
                    }
                }
            }
        }
    }

    /**
     * Random damage to an export (bits flipped, bytes overwritten, inserted or cut) is refused, or leaves the very
     * model that was exported (the damage hit the checksum entry's own key, say); it never loads as another model.
     */
    @Test
    void anExportDamagedAtRandomIsRefusedOrTheSameModel() throws Exception {
        Random r = new Random(41);
        int refused = 0;
        int same = 0;
        try (Sequential model = DigitsNetwork.build(backend, 32, 17)) {
            SavedModel saved = classifier(model);
            for (OnnxExporter.Input input : OnnxExporter.Input.values()) {
                Path file = dir.resolve("damaged.onnx");
                OnnxExporter.export(saved, file, input);
                byte[] whole = Files.readAllBytes(file);
                for (int trial = 0; trial < 300; trial++) {
                    byte[] m = whole.clone();
                    String damage;
                    switch (r.nextInt(4)) {
                        case 0: {
                            int at = r.nextInt(m.length);
                            m[at] ^= (byte) (1 << r.nextInt(8));
                            damage = "bit flipped at " + at;
                            break;
                        }
                        case 1: {
                            StringBuilder d = new StringBuilder("bytes overwritten at");
                            for (int k = 1 + r.nextInt(8); k > 0; k--) {
                                int at = r.nextInt(m.length);
                                m[at] = (byte) r.nextInt(256);
                                d.append(' ').append(at);
                            }
                            damage = d.toString();
                            break;
                        }
                        case 2: {
                            int at = r.nextInt(m.length);
                            byte[] inserted = new byte[1 + r.nextInt(16)];
                            r.nextBytes(inserted);
                            byte[] longer = new byte[m.length + inserted.length];
                            System.arraycopy(m, 0, longer, 0, at);
                            System.arraycopy(inserted, 0, longer, at, inserted.length);
                            System.arraycopy(m, at, longer, at + inserted.length, m.length - at);
                            m = longer;
                            damage = inserted.length + " bytes inserted at " + at;
                            break;
                        }
                        default: {
                            int length = r.nextInt(m.length);
                            m = Arrays.copyOf(m, length);
                            damage = "cut to " + length;
                        }
                    }
                    try (SavedModel loaded = load(m)) {
                        assertTrue(sameModel(saved, loaded), input.label() + " export, " + damage
                                + ": loaded as another model");
                        same++;
                    } catch (OnnxImportException | IOException e) {
                        refused++;
                    }
                }
            }
        }
        System.out.printf("damaged exports: %d refused, %d loaded as the model exported, 0 as another%n", refused,
                same);
    }

    /**
     * A changed model is refused, naming the checksum and how to load a file changed on purpose, which then loads;
     * so does a checksum entry that is not one, or appears twice.
     */
    @Test
    void aChangedModelIsRefusedUnlessItsChecksumEntryIsRemoved() {
        try (Sequential model = DigitsNetwork.build(backend, 32, 19)) {
            SavedModel saved = classifier(model);
            ModelProto onnx = OnnxExporter.toOnnx(saved, OnnxExporter.Input.RAW_FEATURES);
            String crc = onnx.getMetadataProps(0).getValue();
            ModelProto renamed = onnx.toBuilder().setDocString("renamed").build();
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.toSavedModel(renamed, backend));
            assertTrue(e.getMessage().startsWith("the model does not match the checksum nnj saved in it ("
                    + OnnxExporter.CHECKSUM_KEY + " " + crc + ", the model's is "), e.getMessage());
            // A new doc_string computes the same, and is still an edit: the message says so.
            assertTrue(e.getMessage().endsWith("): it changed after nnj exported it, damaged or cut short (truncated) "
                    + "on its way, or edited by another tool (any edit counts, even one that computes the same: shape "
                    + "inference, a new doc_string). Copy or export it again; to load a model you changed on purpose, "
                    + "remove its '" + OnnxExporter.CHECKSUM_KEY + "' metadata entry first"), e.getMessage());
            assertThrows(OnnxImportException.class, () -> OnnxImporter.fromOnnx(renamed, backend).close(),
                    "fromOnnx checks it too");
            try (SavedModel loaded = OnnxImporter.toSavedModel(withoutChecksum(renamed), backend)) {
                assertTrue(sameModel(saved, loaded));
            }
            ModelProto.Builder notHex = onnx.toBuilder();
            notHex.setMetadataProps(0, notHex.getMetadataProps(0).toBuilder().setValue("1234567g"));
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(notHex.build(), backend));
            assertEquals("metadata '" + OnnxExporter.CHECKSUM_KEY + "' is \"1234567g\"; nnj writes a CRC-32C as 8 "
                    + "lowercase hex digits: the file was damaged; to load a model you changed on purpose, remove its '"
                    + OnnxExporter.CHECKSUM_KEY + "' metadata entry first", e.getMessage());
            ModelProto twice = onnx.toBuilder().addMetadataProps(onnx.getMetadataProps(0)).build();
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.toSavedModel(twice, backend));
            assertEquals("metadata key '" + OnnxExporter.CHECKSUM_KEY + "' appears twice", e.getMessage());
        }
    }

    /**
     * ONNX requires an operator set; a model without one (a file cut just after its graph) is refused. Files without
     * a checksum, as PyTorch writes them, load as before.
     */
    @Test
    void aModelWithoutAnOperatorSetIsRefused() throws IOException {
        ModelProto torch;
        try (InputStream in = OnnxChecksumTest.class.getResourceAsStream("torch_digits.onnx")) {
            torch = ModelProto.parseFrom(in);
        }
        OnnxImporter.toSavedModel(torch, backend).close();
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.fromOnnx(torch.toBuilder().clearOpsetImport().build(), backend));
        assertEquals("the model imports no operator set (opset_import is empty), which ONNX requires (onnx.checker "
                + "refuses it too); a file cut short has none: copy or export it again", e.getMessage());
        // One of another domain only: the default domain's operators have no opset (an interop trial's file loaded).
        ModelProto otherOnly = torch.toBuilder().clearOpsetImport().addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1)).build();
        OnnxImportException other = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.fromOnnx(otherOnly, backend));
        assertEquals("the model imports no opset of the default domain (only 'com.microsoft' 1), which its operators "
                + "need (onnx.checker refuses it too: \"No opset import for domain ''\")", other.getMessage());
    }

    /**
     * The checksum is over the model as protobuf-java serializes it, not over the file's bytes: a file Python's onnx
     * loaded and saved again (fields in its own order) passes onnx.checker and still loads; one it changed is
     * refused.
     */
    @Test
    void aFileResavedByPythonOnnxStillLoads() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Assumptions.assumeTrue(run(python, "-c", "import onnx") == 0, python + " has no onnx module");
        try (Sequential model = DigitsNetwork.build(backend, 32, 23)) {
            SavedModel saved = classifier(model);
            Path file = dir.resolve("nnj.onnx");
            OnnxExporter.export(saved, file, OnnxExporter.Input.SCALED_FEATURES);
            Path resaved = dir.resolve("resaved.onnx");
            Path edited = dir.resolve("edited.onnx");
            assertEquals(0, run(python, "-c", "import onnx, sys\n"
                    + "m = onnx.load(sys.argv[1])\n"
                    + "onnx.checker.check_model(m, full_check=True)\n"
                    + "onnx.save(m, sys.argv[2])\n"
                    + "m.metadata_props[-1].value = 'article'\n"
                    + "onnx.save(m, sys.argv[3])\n", file.toString(), resaved.toString(), edited.toString()));
            assertFalse(Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(resaved)),
                    "Python writes the fields in another order");
            try (SavedModel loaded = OnnxImporter.loadSaved(resaved, backend)) {
                assertTrue(sameModel(saved, loaded));
            }
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.loadSaved(edited, backend));
            assertTrue(e.getMessage().startsWith(edited + ": the model does not match the checksum"), e.getMessage());
        }
    }

    /** Runs a command, its output to the test's, and returns its exit status (-1 if it cannot start). */
    private static int run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }
}
