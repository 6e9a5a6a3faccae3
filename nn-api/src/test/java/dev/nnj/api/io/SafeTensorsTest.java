package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader and writer without a backend: round trips, the layout the format prescribes,
 * conversion of other float dtypes, and one refusal per rule, each naming the file and the tensor.
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file of {@code header} (JSON text, unpadded) followed by {@code data}. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    private static byte[] bytes(ByteOrder order, int size, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        fill.accept(b);
        return b.array();
    }

    /**
     * A header a reader refuses is not written: a 101 MB metadata value was saved (and converted from ONNX), and every
     * load of the file then failed as "not a safetensors file, or truncated".
     */
    @Test
    void aHeaderTheReaderWouldRefuseIsNotWritten() throws IOException {
        Path file = dir.resolve("big.safetensors");
        List<NamedTensor> one = List.of(new NamedTensor("w", new int[] {1}, new float[] {1}));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file,
                one, Map.of("note", "x".repeat((int) SafeTensors.MAX_HEADER_BYTES))));
        assertTrue(size.getMessage().startsWith(file + ": the header would take ")
                && size.getMessage().contains("more than the 100000000 a safetensors reader accepts (metadata 'note' "
                + "holds 100000000 characters); nothing written"), size.getMessage());
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i <= SafeTensors.MAX_HEADER_ENTRIES; i++) {
            many.put("k" + i, "");
        }
        IllegalArgumentException entries = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, one, many));
        assertTrue(entries.getMessage().contains("more than the 250000 of either a safetensors reader accepts"),
                entries.getMessage());
        assertTrue(!Files.exists(file), "nothing written");
        Map<String, String> fewer = new java.util.HashMap<>(many);
        for (String k : new String[] {"k0", "k1", "k2"}) {
            fewer.remove(k);   // 249,998, and the checksums' two entries: as many as a reader accepts
        }
        SafeTensors.write(file, one, fewer);
        assertEquals(SafeTensors.MAX_HEADER_ENTRIES, SafeTensors.read(file).metadata().size());
    }

    @Test
    void writesTheFormatAndReadsItBack() throws IOException {
        Path file = dir.resolve("t.safetensors");
        NamedTensor a = new NamedTensor("a", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -0f});
        NamedTensor s = new NamedTensor("scalar", new int[] {}, new float[] {Float.MIN_VALUE});
        NamedTensor e = new NamedTensor("empty", new int[] {0, 4}, new float[0]);
        SafeTensors.write(file, List.of(a, s, e), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "the header is padded to 8 bytes");
        assertEquals(8 + n + 4 * 7, bytes.length, "length + header + 7 floats");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, (int) (8 + n), 4 * 7);
        String checksum = String.format("%08x", crc.getValue());
        // The header's own checksum: CRC-32C of the header bytes (padding included) with its digits as 00000000.
        String entry = "\"nnj.header_crc32c\":\"";
        int at = header.indexOf(entry) + entry.length();
        String headerChecksum = header.substring(at, at + 8);
        byte[] zeroed = java.util.Arrays.copyOfRange(bytes, 8, (int) (8 + n));
        System.arraycopy("00000000".getBytes(StandardCharsets.US_ASCII), 0, zeroed, at, 8);
        java.util.zip.CRC32C headerCrc = new java.util.zip.CRC32C();
        headerCrc.update(zeroed);
        assertEquals(String.format("%08x", headerCrc.getValue()), headerChecksum, "the header's checksum");
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\",\"nnj.data_crc32c\":\"" + checksum + "\","
                + "\"nnj.header_crc32c\":\"" + headerChecksum + "\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Map.of("k", "v", SafeTensors.CHECKSUM_KEY, checksum, SafeTensors.HEADER_CHECKSUM_KEY,
                headerChecksum), c.metadata());
        assertEquals(List.of(a, s, e), List.copyOf(c.tensors().values()));
    }

    /**
     * A header edited after nnj wrote it keeps a valid structure and data that match their checksum: a digit of a
     * saved scaler changed by hand loaded and predicted differently, unwarned. The header's checksum refuses it; a
     * file without one (another tool's) is read as before.
     */
    /**
     * A named pipe given as a model: opening it would block until something writes into it, forever if nothing does
     * (ModelFiles.load, Checkpoint.restore and inspect all open through here). Refused before opening, within the
     * test's time limit.
     */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aNamedPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("model.safetensors");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no mkfifo here");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.open(fifo));
        assertTrue(e.getMessage().contains("not a regular file") && e.getMessage().contains(fifo.toString()),
                e.getMessage());
        java.nio.file.NoSuchFileException missing = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> SafeTensors.open(dir.resolve("missing.safetensors")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void aHeaderEditedAfterItWasWrittenIsRefused() throws IOException {
        Path file = dir.resolve("edited.safetensors");
        NamedTensor w = new NamedTensor("w", new int[] {2}, new float[] {1, 2});
        SafeTensors.write(file, List.of(w), Map.of("scaler", "{\"data_max\":[1.3270000219345093]}"));
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int digit = text.indexOf("1.3270000") + 5;
        bytes[digit] = '5';   // 1.3270500...: the same length, valid JSON, the data untouched
        Files.write(file, bytes);
        ModelFileException refused = assertThrows(ModelFileException.class, () -> SafeTensors.read(file));
        assertTrue(refused.getMessage().startsWith(file + ": its header does not match the checksum saved in it "
                + "(nnj.header_crc32c "), refused.getMessage());

        // Another program's file has no such entry: read as it is.
        Path plain = dir.resolve("plain.safetensors");
        byte[] json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes(
                StandardCharsets.US_ASCII);
        ByteBuffer file2 = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        file2.putLong(json.length).put(json).putFloat(3f);
        Files.write(plain, file2.array());
        assertEquals(3f, SafeTensors.read(plain).tensors().get("w").values()[0]);
    }

    /** A file cut short in its data (a copy still running) says so, beside the offsets that do not fit. */
    @Test
    void aFileCutShortInItsDataAsksWhetherItIsStillBeingWritten() throws IOException {
        Path file = dir.resolve("whole.safetensors");
        SafeTensors.write(file, List.of(new NamedTensor("w", new int[] {100, 3}, new float[300])), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 600));
        assertRefused(cut, "are not a range inside the", "(is the file cut short, or still being written?)");
    }

    /**
     * A file whose data changed after it was written (another program writing it in place while it is read, as
     * rsync --inplace does, or damage) keeps a valid structure: the checksum refuses it, whichever order the tensors
     * are read in. Before, a service loaded half of one model and half of another, and served its answers.
     */
    @Test
    void dataThatNoLongerMatchesItsChecksumIsRefused() throws IOException {
        Path file = dir.resolve("torn.safetensors");
        float[] weights = new float[300];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i * 0.25f;
        }
        SafeTensors.write(file, List.of(new NamedTensor("w", new int[] {100, 3}, weights),
                new NamedTensor("b", new int[] {3}, new float[] {1, 2, 3})), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x40;   // one bit of the weights, the structure untouched
        Files.write(file, bytes);
        assertRefused(file, "its data does not match the checksum saved with it", "nnj.data_crc32c",
                "written in place while it was read, or damaged", "renaming it over the old one");
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            reader.tensor("b");   // out of file order: verify reads the data section again
            ModelFileException e = assertThrows(ModelFileException.class, reader::verify);
            assertTrue(e.getMessage().contains("does not match the checksum"), e.getMessage());
        }
        bytes[bytes.length - 20] ^= 0x40;
        Files.write(file, bytes);
        assertArrayEquals(weights, SafeTensors.read(file).tensors().get("w").values(), "restored, it reads again");
    }

    @Test
    void convertsF64F16AndBf16ToFloat32() throws IOException {
        byte[] data = new byte[8 * 2 + 2 * 4 + 2 * 2];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(0.1).putDouble(-3.5);
        b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001).putShort((short) 0x7C00);
        b.putShort((short) 0x3F80).putShort((short) 0xC0A0);   // bf16 1.0 and -5.0
        Path file = raw("mixed.safetensors", "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[16,24]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]}}", data);
        Map<String, NamedTensor> t = SafeTensors.read(file).tensors();
        assertArrayEquals(new float[] {0.1f, -3.5f}, t.get("d").values());
        assertArrayEquals(new float[] {1f, -2f, 0x1.0p-24f, Float.POSITIVE_INFINITY}, t.get("h").values());
        assertArrayEquals(new float[] {1f, -5f}, t.get("b").values());
    }

    /** Fails unless reading throws a ModelFileException that names the file and every part. */
    private static void assertRefused(Path file, String... parts) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "should mention '" + p + "': " + e.getMessage());
        }
    }

    /**
     * Headers of cheap values: a few bytes of JSON each, an object in memory each. 100 MB of {@code {"a":[{},…]}}
     * took 2.65 GB to refuse; now the parse stops at the first container past {@link SafeTensors#MAX_HEADER_ENTRIES}.
     * A header of many real tensors, one missing, names ten of them, not every one (a 15.7 MB line before).
     */
    @Test
    void aHeaderOfMillionsOfCheapValuesIsRefusedAtTheBoundAndMessagesNameTenTensors() throws IOException {
        int n = SafeTensors.MAX_HEADER_ENTRIES + 1;
        StringBuilder empties = new StringBuilder("{\"a\":[");
        for (int i = 0; i < n; i++) {
            empties.append(i == 0 ? "{}" : ",{}");
        }
        assertRefused(raw("empties.st", empties.append("]}").toString(), new byte[0]),
                "more than " + SafeTensors.MAX_HEADER_ENTRIES + " items in one array", "at most");
        StringBuilder tensors = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            tensors.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        assertRefused(raw("many.st", tensors.append("}").toString(), new byte[0]),
                "more than " + SafeTensors.MAX_HEADER_ENTRIES + " members in one object");

        StringBuilder fifty = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            fifty.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        try (SafeTensors.Reader r = SafeTensors.open(raw("fifty.st", fifty.append("}").toString(), new byte[0]))) {
            ModelFileException e = assertThrows(ModelFileException.class, () -> r.tensor("missing"));
            assertTrue(e.getMessage().endsWith("the file has [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … (40 more)]"),
                    e.getMessage());
        }
    }

    @Test
    void refusesEachBrokenRuleNamingTheFileAndTheTensor() throws IOException {
        byte[] eight = new byte[8];
        String t = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";
        assertRefused(raw("overlap.st", "{" + t + "[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[4,8]}}", eight), "'v'", "overlap");
        assertRefused(raw("gap.st", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight),
                "'w'", "gap");
        assertRefused(raw("short.st", "{" + t + "[0,8]}}", new byte[4]), "'w'", "inside the 4 data bytes");
        assertRefused(raw("trailing.st", "{" + t + "[0,8]}}", new byte[12]), "trailing bytes");
        assertRefused(raw("size.st", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                "'w'", "needs 12 bytes");
        assertRefused(raw("dtype.st", "{\"w\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0,8]}}", eight),
                "'w'", "dtype I8 is not supported");
        assertRefused(raw("negative.st", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                eight), "'w'", "shape[0] must be a non-negative integer");
        assertRefused(raw("huge.st", "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}",
                eight), "'w'", "too many for one array");
        assertRefused(raw("field.st", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}",
                eight), "'w'", "unknown field 'x'");
        assertRefused(raw("metadata.st", "{\"__metadata__\":{\"k\":1}," + t + "[0,8]}}", eight), "'k'",
                "must be a string");
        assertRefused(raw("json.st", "{" + t + "[0,8]}", eight), "invalid JSON at offset");
        assertRefused(raw("notjson.st", "[1,2,3]", eight), "does not start with '{'");

        Path length = dir.resolve("length.st");
        Files.write(length, bytes(ByteOrder.LITTLE_ENDIAN, 16, b -> b.putLong(-1L).putLong(0)));
        assertRefused(length, "header length 18446744073709551615 is impossible", "not a safetensors file");
        // An ONNX model's bytes (a protobuf: field 1, the IR version, first) under its own name: the way to read it.
        Path onnx = dir.resolve("model.ONNX");
        Files.write(onnx, new byte[] {0x08, 0x08, 0x12, 0x04, 't', 'o', 'r', 'c', 'h', 0x1a, 0x03, '1', '.', '0'});
        assertRefused(onnx, "is impossible", "(an ONNX model? ModelFiles.load reads one with nn-onnx on the class path)");
        // The same bytes under a safetensors name, and a CSV file given as a model: what each seems to be.
        Path onnxAsSafetensors = Files.write(dir.resolve("model.safetensors"), Files.readAllBytes(onnx));
        assertRefused(onnxAsSafetensors, "is impossible", "(its first bytes are an ONNX model's: give it a name ending "
                + "in .onnx)");
        Path csv = Files.writeString(dir.resolve("data.safetensors"), "sepal,petal,species\n5.1,1.4,setosa\n");
        // Said first: the length its first bytes make is no news about a CSV file.
        assertRefused(csv, csv + ": not a model file: it reads as text, beginning 'sepal,pe'");
        Path accented = Files.writeString(dir.resolve("accented.safetensors"), "abcdé,x,y\n1,2,3\n");
        assertRefused(accented, "not a model file: it reads as text, beginning 'abcdé,x'");
        Path tiny = dir.resolve("tiny.st");
        Files.write(tiny, new byte[5]);
        assertRefused(tiny, "the file is 5 bytes");
        Path utf8 = raw("utf8.st", "{}", new byte[0]);
        byte[] b = Files.readAllBytes(utf8);
        b[9] = (byte) 0xC3;   // a lead byte without its continuation
        Files.write(utf8, b);
        assertRefused(utf8, "the header is not UTF-8 text at byte 1 of the 2 its 8-byte length gives",
                "a wrong header length");
        // A length 8 too large: the header's text runs into the tensor data.
        Path tooLong = dir.resolve("too-long.st");
        byte[] header = ("{" + t + "[0,8]}}").getBytes(StandardCharsets.UTF_8);
        Files.write(tooLong, bytes(ByteOrder.LITTLE_ENDIAN, 8 + header.length + 8,
                x -> x.putLong(header.length + 8L).put(header).putLong(-1L)));
        assertRefused(tooLong, "not UTF-8 text at byte " + header.length, "a wrong header length");
        Path overflow = raw("overflow.st", "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                bytes(ByteOrder.LITTLE_ENDIAN, 16, x -> x.putDouble(1.0).putDouble(1e300)));
        assertRefused(overflow, "'d'", "1.0E300 at index 1 (F64), beyond float32's range");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, (OutputStream out) -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(file + ": disk full (simulated) (" + file + " is as it was)", e.getMessage());
        assertEquals("old content", Files.readString(file), "the target is untouched");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        AtomicFile.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));

        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        IOException intoDirectory = assertThrows(IOException.class, () -> AtomicFile.write(directory,
                out -> out.write(1)));
        assertEquals(directory + " is a directory; give a file name", intoDirectory.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing but the file and the directory");
        }
    }
}
