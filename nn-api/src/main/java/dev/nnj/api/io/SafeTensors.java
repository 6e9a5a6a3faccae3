package dev.nnj.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the safetensors format (Hugging Face, {@code github.com/huggingface/safetensors}):
 * <pre>
 *   bytes 0..7      N, the header length, unsigned 64-bit little-endian
 *   bytes 8..8+N    header: a UTF-8 JSON object
 *                     { "__metadata__": { "key": "string value", ... },            (optional)
 *                       "name": { "dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end] }, ... }
 *   bytes 8+N..     data: each tensor's elements, row-major, little-endian, at [begin, end) of this section
 * </pre>
 * Writing produces float32 ({@code F32}) tensors, laid out in the order given, the header padded with spaces
 * to a multiple of 8 bytes (as the reference implementation does), through {@link AtomicFile}.
 *
 * <p>Reading is strict, because a model file may come from anywhere. Before anything is allocated for the
 * data, it checks: the header length is at most {@link #MAX_HEADER_BYTES} and fits in the file; the header
 * is valid UTF-8 and valid JSON (bounded nesting, no duplicate keys); {@code __metadata__} maps strings to
 * strings; every tensor has exactly {@code dtype}, {@code shape} and {@code data_offsets}, a known dtype, non-negative
 * dimensions whose product matches its byte range and fits a Java array; and the byte ranges, sorted, start
 * at 0, touch without gaps or overlaps and end exactly at the end of the file. {@code F64}, {@code F16} and
 * {@code BF16} tensors are converted to float32 (F64 rounded to nearest); any other dtype is refused by name.
 * Every failure is a {@link ModelFileException} naming the file and the tensor or key.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header length, 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /**
     * The most tensors, or metadata keys, a header may hold; any object or array in it holds at most this many
     * entries. Three times the tensors of a checkpoint of the largest architecture nnj reads (10,000 layers: 80,000
     * tensors with Adam's moments and early stopping's best weights), and far beyond any published model's. Without
     * it a 100 MB header of empty values (<code>{"a":[{},{},…]}</code>) took 2.65 GB and 11 s to be refused, and a
     * smaller heap ran out.
     */
    public static final int MAX_HEADER_ENTRIES = 250_000;
    /** The metadata key of the header; no tensor may have this name. */
    public static final String METADATA_KEY = "__metadata__";
    /**
     * The metadata key nnj writes its checksum of the data section under: CRC-32C of every byte after the header,
     * as 8 lowercase hex digits. A file written in place by another program while it was read (as {@code rsync
     * --inplace} or {@code dd conv=notrunc} do), or damaged on its way, keeps a valid structure and would otherwise
     * load as a mix of two models' weights. Files without it (written by other tools, or before it) are read as
     * before.
     */
    public static final String CHECKSUM_KEY = "nnj.data_crc32c";
    /**
     * The metadata key nnj writes its checksum of the header under: CRC-32C of the header's bytes as written (the
     * metadata, every tensor's entry, the padding), with this entry's own 8 hex digits read as {@code 00000000}. The
     * data's checksum does not cover the header, and a digit changed in a saved scaler or class name leaves a valid
     * file that predicts differently, unwarned. Checked when a file is opened; files without it are read as before.
     */
    public static final String HEADER_CHECKSUM_KEY = "nnj.header_crc32c";
    /** The header checksum's digits while it is computed, in the writer and in the reader. */
    private static final String HEADER_CHECKSUM_PLACEHOLDER = "00000000";
    /** Largest element count of one tensor: Java arrays are indexed by int. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Data is converted through a buffer of this many bytes, so a large tensor needs no second copy. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * What a file holds.
     *
     * @param file     the file read
     * @param metadata the {@code __metadata__} entries (empty if absent), in file order
     * @param tensors  the tensors by name, in the order of their data in the file
     */
    public record Contents(Path file, Map<String, String> metadata, Map<String, NamedTensor> tensors) {
    }

    /** The element types of the format that can be read; all become float32. */
    private enum DType {
        F32(4), F64(8), F16(2), BF16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A validated header entry: its data is {@code [begin, end)} of the data section. */
    private record Entry(String name, DType dtype, int[] shape, long count, long begin, long end) {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} as float32 with {@code metadata} and the data's checksum ({@link #CHECKSUM_KEY}),
     * atomically.
     *
     * @param file     the file to create or replace
     * @param tensors  the tensors, in the order their data is laid out; names must be distinct
     * @param metadata string entries of {@code __metadata__} (may be empty)
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the header would be more than a reader accepts ({@link #MAX_HEADER_BYTES},
     *         {@link #MAX_HEADER_ENTRIES}), naming the largest metadata entry; nothing is written
     */
    public static void write(Path file, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, String> withChecksum = new LinkedHashMap<>(metadata);
        withChecksum.remove(HEADER_CHECKSUM_KEY);   // a copied file's metadata: its header is written anew
        withChecksum.put(CHECKSUM_KEY, checksumText(checksumOf(tensors)));
        withChecksum.put(HEADER_CHECKSUM_KEY, HEADER_CHECKSUM_PLACEHOLDER);
        byte[] header = header(tensors, withChecksum);
        int at = headerChecksumAt(header);
        if (at >= 0) {
            byte[] digits = headerChecksum(header, at).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, header, at, digits.length);
        } else {
            // The entry's text comes more than once (a metadata value quoting it): written without it, as before.
            withChecksum.remove(HEADER_CHECKSUM_KEY);
            header = header(tensors, withChecksum);
        }
        requireReadable(file, header, tensors.size(), withChecksum);
        byte[] written = header;
        AtomicFile.write(file, out -> writeTo(out, written, tensors));
    }

    /**
     * Refuses to write what a reader refuses ({@link #MAX_HEADER_BYTES}, {@link #MAX_HEADER_ENTRIES}): such a file
     * was written, and every later load of it failed.
     */
    private static void requireReadable(Path file, byte[] header, int tensors, Map<String, String> metadata) {
        if (tensors + 1 > MAX_HEADER_ENTRIES || metadata.size() > MAX_HEADER_ENTRIES) {
            throw new IllegalArgumentException(file + ": " + tensors + " tensors and " + metadata.size() + " metadata "
                    + "entries, more than the " + MAX_HEADER_ENTRIES + " of either a safetensors reader accepts; "
                    + "nothing written");
        }
        if (header.length > MAX_HEADER_BYTES) {
            String largest = null;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (largest == null || e.getValue().length() > metadata.get(largest).length()) {
                    largest = e.getKey();
                }
            }
            throw new IllegalArgumentException(file + ": the header would take " + header.length + " bytes, more than "
                    + "the " + MAX_HEADER_BYTES + " a safetensors reader accepts" + (largest == null ? ""
                    : " (metadata '" + largest + "' holds " + metadata.get(largest).length() + " characters)")
                    + "; nothing written");
        }
    }

    /**
     * The header's checksum ({@link #HEADER_CHECKSUM_KEY}): CRC-32C of {@code header} with the 8 digits at {@code at}
     * read as {@code 00000000}, the one definition the writer and the reader share.
     */
    private static String headerChecksum(byte[] header, int at) {
        byte[] zeroed = header.clone();
        byte[] placeholder = HEADER_CHECKSUM_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(placeholder, 0, zeroed, at, placeholder.length);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        return checksumText(crc.getValue());
    }

    /**
     * Where the 8 digits of the header checksum entry start in {@code header}: the one place the text
     * {@code "nnj.header_crc32c":"} occurs; -1 when it is missing or occurs more than once, so that which one is
     * meant would be a guess.
     */
    private static int headerChecksumAt(byte[] header) {
        byte[] entry = ("\"" + HEADER_CHECKSUM_KEY + "\":\"").getBytes(StandardCharsets.US_ASCII);
        int found = -1;
        for (int i = 0; i + entry.length + 8 <= header.length; i++) {
            if (header[i] == entry[0] && Arrays.equals(header, i, i + entry.length, entry, 0, entry.length)) {
                if (found >= 0) {
                    return -1;
                }
                found = i + entry.length;
            }
        }
        return found;
    }

    private static byte[] header(List<NamedTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (NamedTensor t : tensors) {
            if (t.name().isEmpty() || t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named '" + t.name() + "'");
            }
            long end = offset + 4L * t.size();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, end));
            if (json.put(t.name(), entry) != null) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
            offset = end;
        }
        byte[] text = JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) & ~7;   // the data starts 8-byte aligned
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    /** CRC-32C of the data section {@link #writeTo} writes for {@code tensors}. */
    private static long checksumOf(List<NamedTensor> tensors) throws IOException {
        CRC32C crc = new CRC32C();
        forEachDataChunk(tensors, crc::update);
        return crc.getValue();
    }

    /** Receives the data section in chunks. */
    private interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /**
     * The data section of {@code tensors}, their floats little-endian in order, handed to {@code sink} a chunk at a
     * time: the same bytes for the checksum and for the file.
     */
    private static void forEachDataChunk(List<NamedTensor> tensors, ChunkSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (NamedTensor t : tensors) {
            float[] v = t.values();
            for (int i = 0; i < v.length; i++) {
                if (chunk.remaining() < 4) {
                    sink.accept(chunk.flip());
                    chunk.clear();
                }
                chunk.putFloat(v[i]);
            }
        }
        sink.accept(chunk.flip());
    }

    private static String checksumText(long crc) {
        return String.format(java.util.Locale.ROOT, "%08x", crc);
    }

    private static void writeTo(OutputStream out, byte[] header, List<NamedTensor> tensors) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(length.array());
        out.write(header);
        forEachDataChunk(tensors, chunk -> out.write(chunk.array(), chunk.position(), chunk.remaining()));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a whole file, strictly (see the class description).
     *
     * @param file the file
     * @return its metadata and tensors, as float32
     * @throws ModelFileException if the file is malformed, naming the file and the tensor or key
     * @throws IOException        if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        try (Reader reader = open(file)) {
            Map<String, NamedTensor> tensors = new LinkedHashMap<>();
            for (String name : reader.shapes().keySet()) {
                tensors.put(name, reader.tensor(name));
            }
            reader.verify();
            return new Contents(file, reader.metadata(), Collections.unmodifiableMap(tensors));
        }
    }

    /**
     * Opens a file and validates its whole header (see the class description) without reading any tensor
     * data, so that a caller can check names and shapes against what it expects before allocating.
     *
     * @param file the file
     * @return a reader over the validated file; close it
     * @throws ModelFileException if the header is malformed, naming the file and the tensor or key
     * @throws IOException        if the file cannot be read
     */
    public static Reader open(Path file) throws IOException {
        java.nio.file.attribute.BasicFileAttributes kind;
        try {
            kind = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (kind.isDirectory()) {   // else Linux opens it and the first read says only "Is a directory"
            throw new ModelFileException(file, "this is a folder, not a model file");
        }
        if (!kind.isRegularFile()) {
            // Opening a named pipe blocks until something writes into it, forever if nothing does; and a pipe or a
            // device has no size to check the header against. A model file is read by position, as a file.
            throw new ModelFileException(file, "this is not a regular file (a named pipe, a device or a socket), "
                    + "and a model file is read from a file; copy it into one first");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try {
            return new Reader(file, channel);
        } catch (IOException e) {
            channel.close();
            throw AtomicFile.interruptedOr(file, "not read", e);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * As {@link #open(Path)}, for a file's bytes held in memory (a class-path resource, a download), with the same
     * checks.
     *
     * @param bytes the whole file
     * @param name  what messages call it, e.g. the resource's path
     * @return a reader over the validated bytes; close it
     * @throws ModelFileException if the header is malformed, naming {@code name} and the tensor or key
     * @throws IOException        never, in practice: the bytes are in memory
     */
    public static Reader open(byte[] bytes, String name) throws IOException {
        java.util.Objects.requireNonNull(bytes, "bytes");
        return new Reader(Path.of(java.util.Objects.requireNonNull(name, "name")), new ByteArrayChannel(bytes));
    }

    /** A file whose header has been validated; tensors are read on request. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final SeekableByteChannel channel;
        private final long dataStart;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final Map<String, int[]> shapes = new LinkedHashMap<>();
        private final long dataBytes;
        /** CRC-32C of the data read so far in file order, up to {@link #checkedUpTo} (see {@link #verify}). */
        private final CRC32C readChecksum = new CRC32C();
        private long checkedUpTo;

        /**
         * What a file whose first 8 bytes are no header length seems to be, from those bytes: text (a CSV file, a
         * script), an ONNX model under another name (protobuf's first field, {@code ir_version}, is tag 0x08 and a
         * small number), or something else cut short.
         */
        private static String whatItLooksLike(byte[] first) {
            boolean text = true;
            for (byte b : first) {
                int c = b & 0xff;
                text &= c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r';
            }
            // Strictly UTF-8 (eight bytes of 0xff are no text), but for a character the eighth byte cuts short.
            CoderResult decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(first), java.nio.CharBuffer.allocate(first.length), false);
            text &= !decoded.isError();
            if (text) {
                String begins = new String(first, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                return TEXT + begins + "'" + NOT_A_MODEL;
            }
            if (first[0] == 0x08 && first[1] > 0 && first[1] < 16) {
                return "its first bytes are an ONNX model's: give it a name ending in .onnx";
            }
            return "not a safetensors file, or truncated?";
        }

        /** How {@link #whatItLooksLike} starts and ends for a file of text. */
        private static final String TEXT = "it reads as text, beginning '";
        private static final String NOT_A_MODEL = ": not a model file";

        private Reader(Path file, SeekableByteChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            long size = channel.size();
            if (size < 10) {
                throw new ModelFileException(file, "the file is " + size + " bytes; a safetensors file starts "
                        + "with an 8-byte header length and a header of at least 2 bytes");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, file, "the header length");
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength > MAX_HEADER_BYTES && headerLength <= size - 8) {
                // A whole file with a header a reader refuses (one written before nnj's writer refused such too).
                throw new ModelFileException(file, "its header takes " + headerLength + " bytes, more than the "
                        + MAX_HEADER_BYTES + " a safetensors reader accepts (metadata of that size?)");
            }
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                String looks = isOnnxName(file) ? "" : whatItLooksLike(lengthBytes.array());
                if (looks.startsWith(TEXT)) {
                    // A CSV given as the model: that is the news, not the number its first bytes make.
                    throw new ModelFileException(file, "not a model file: " + looks.substring(0,
                            looks.length() - NOT_A_MODEL.length()));
                }
                throw new ModelFileException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is impossible: it must be between 2 and " + Math.min(MAX_HEADER_BYTES, size - 8)
                        + " for a file of " + size + " bytes (" + (isOnnxName(file) ? "an ONNX model? ModelFiles.load "
                        + "reads one with nn-onnx on the class path" : whatItLooksLike(lengthBytes.array())) + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8, file, "the header");
            String text = decodeUtf8(headerBytes.flip(), file);
            dataStart = 8 + headerLength;
            dataBytes = size - dataStart;
            for (Entry e : parseHeader(text, file, dataBytes, metadata)) {
                entries.put(e.name, e);
                shapes.put(e.name, e.shape);
            }
            verifyHeader(headerBytes.array());
        }

        /** Checks the header against the checksum nnj saved in it ({@link #HEADER_CHECKSUM_KEY}); none passes. */
        private void verifyHeader(byte[] header) throws ModelFileException {
            String saved = metadata.get(HEADER_CHECKSUM_KEY);
            if (saved == null) {
                return;
            }
            int at = headerChecksumAt(header);
            if (at >= 0) {
                String actual = headerChecksum(header, at);
                if (actual.equals(saved)) {
                    return;
                }
                throw new ModelFileException(file, "its header does not match the checksum saved in it ("
                        + HEADER_CHECKSUM_KEY + " " + saved + ", the header's is " + actual
                        + "): its metadata or a tensor's entry was edited after nnj wrote it, or damaged; write the "
                        + "file again from the model (a scaler or class name edited by hand would change what it "
                        + "predicts, unchecked)");
            }
            throw new ModelFileException(file, "its header holds " + HEADER_CHECKSUM_KEY + " in a form nnj does "
                    + "not write, so it cannot be checked: the header was edited after nnj wrote it");
        }

        /**
         * The file.
         *
         * @return the path it was opened with
         */
        public Path file() {
            return file;
        }

        /**
         * The {@code __metadata__} entries.
         *
         * @return a read-only map, empty if the file has none
         */
        public Map<String, String> metadata() {
            return Collections.unmodifiableMap(metadata);
        }

        /**
         * Every tensor's shape, in the order of the data.
         *
         * @return a read-only map from name to shape (do not modify the arrays)
         */
        public Map<String, int[]> shapes() {
            return Collections.unmodifiableMap(shapes);
        }

        /**
         * Reads one tensor's data, converting it to float32.
         *
         * @param name the tensor's name
         * @return the tensor
         * @throws ModelFileException if there is no such tensor or the file changed underneath
         * @throws IOException        if reading fails
         */
        public NamedTensor tensor(String name) throws IOException {
            Entry e = entries.get(name);
            if (e == null) {
                throw new ModelFileException(file, "tensor '" + name + "' is missing; the file has ["
                        + ModelFiles.firstTen(shapes.keySet()) + "]");
            }
            // Tensors read in file order (as nnj's loaders read them) are checksummed as they are decoded, so the
            // check covers exactly the bytes that became weights.
            CRC32C crc = e.begin == checkedUpTo ? readChecksum : null;
            float[] values = readData(channel, dataStart, e, file, crc);
            if (crc != null) {
                checkedUpTo = e.end;
            }
            return new NamedTensor(name, e.shape.clone(), values);
        }

        /**
         * Checks the data against the checksum nnj saved with it ({@link #CHECKSUM_KEY}); a file without one passes.
         * Call it after reading the tensors and before using them: when they were read in file order, the check
         * covers the very bytes they were decoded from, else the data section is read once more.
         *
         * @throws ModelFileException if the data does not match: the file was written in place while it was read,
         *         or damaged
         * @throws IOException        if reading fails
         */
        public void verify() throws IOException {
            String saved = metadata.get(CHECKSUM_KEY);
            if (saved == null) {
                return;
            }
            long crc;
            if (checkedUpTo == dataBytes) {
                crc = readChecksum.getValue();
            } else {
                CRC32C all = new CRC32C();
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, dataBytes)));
                for (long at = 0; at < dataBytes; at += chunk.limit()) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), dataBytes - at));
                    readFully(channel, chunk, dataStart + at, file, "the data");
                    all.update(chunk.flip());
                }
                crc = all.getValue();
            }
            if (!checksumText(crc).equals(saved)) {
                throw new ModelFileException(file, "its data does not match the checksum saved with it ("
                        + CHECKSUM_KEY + " " + saved + ", the data's is " + checksumText(crc) + "): the file was "
                        + "written in place while it was read, or damaged. Replace a model file by writing a new "
                        + "file and renaming it over the old one, as nnj's own writes do");
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static String decodeUtf8(ByteBuffer bytes, Path file) throws ModelFileException {
        int length = bytes.remaining();
        CharBuffer chars = CharBuffer.allocate(length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes, chars, true);
        if (result.isError()) {
            // Binary bytes where text should be: most often a header length that reaches into the tensor data.
            throw new ModelFileException(file, "the header is not UTF-8 text at byte " + bytes.position() + " of the "
                    + length + " its 8-byte length gives (a wrong header length, or not a safetensors file)");
        }
        return chars.flip().toString();
    }

    /** Validates the header; returns the entries sorted by their data offsets, all checks done. */
    private static List<Entry> parseHeader(String text, Path file, long dataBytes, Map<String, String> metadata)
            throws ModelFileException {
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new ModelFileException(file, "the header does not start with '{': not a safetensors file");
        }
        Map<String, Object> json;
        try {
            json = StrictJson.parseObject(text, MAX_HEADER_ENTRIES);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "header: " + e.getMessage()
                    + (e.getMessage().contains("more than " + MAX_HEADER_ENTRIES) ? "; a safetensors header nnj reads "
                    + "holds at most " + MAX_HEADER_ENTRIES + " tensors, metadata keys or values in one place" : ""));
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> member : json.entrySet()) {
            String name = member.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(member.getValue(), file, metadata);
            } else {
                entries.add(entry(name, member.getValue(), file, dataBytes));
            }
        }
        entries.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw new ModelFileException(file, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end
                        + "] " + (e.begin < expected ? "overlap the tensor before it, which ends at " + expected
                        : "leave a gap after byte " + expected) + "; tensors must cover the data section in order");
            }
            expected = e.end;
        }
        if (expected != dataBytes) {
            throw new ModelFileException(file, "the tensors cover " + expected + " bytes of data but the file holds "
                    + dataBytes + " after the header" + (expected > dataBytes ? " (truncated?)" : " (trailing bytes)"));
        }
        return entries;
    }

    private static void readMetadata(Object value, Path file, Map<String, String> metadata)
            throws ModelFileException {
        if (!(value instanceof Map)) {
            throw new ModelFileException(file, METADATA_KEY + " must be an object of strings, got "
                    + StrictJson.typeName(value));
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new ModelFileException(file, METADATA_KEY + " key '" + e.getKey() + "' must be a string, got "
                        + StrictJson.typeName(e.getValue()));
            }
            metadata.put((String) e.getKey(), (String) e.getValue());
        }
    }

    private static Entry entry(String name, Object value, Path file, long dataBytes) throws ModelFileException {
        String where = "tensor '" + name + "'";
        if (name.isEmpty()) {
            throw new ModelFileException(file, "a tensor has an empty name");
        }
        if (!(value instanceof Map)) {
            throw new ModelFileException(file, where + ": expected an object with dtype, shape and data_offsets, got "
                    + StrictJson.typeName(value));
        }
        Map<?, ?> fields = (Map<?, ?>) value;
        for (Object key : fields.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new ModelFileException(file, where + ": unknown field '" + key + "'");
            }
        }
        DType dtype = dtype(fields.get("dtype"), file, where);
        List<?> shapeList = list(fields.get("shape"), "shape", file, where);
        if (shapeList.size() > 8) {
            throw new ModelFileException(file, where + ": shape has " + shapeList.size() + " dimensions; at most 8");
        }
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(shapeList.get(i), "shape[" + i + "]", file, where);
            if (d > MAX_ELEMENTS) {
                throw new ModelFileException(file, where + ": dimension " + d + " is too large");
            }
            shape[i] = (int) d;
            count *= d;   // both factors <= 2^31, and count stays below 2^31 by the check below
            if (count > MAX_ELEMENTS) {
                throw new ModelFileException(file, where + ": shape " + shapeList + " has more than " + MAX_ELEMENTS
                        + " elements, too many for one array");
            }
        }
        List<?> offsets = list(fields.get("data_offsets"), "data_offsets", file, where);
        if (offsets.size() != 2) {
            throw new ModelFileException(file, where + ": data_offsets must be [begin, end], got " + offsets);
        }
        long begin = nonNegative(offsets.get(0), "data_offsets[0]", file, where);
        long end = nonNegative(offsets.get(1), "data_offsets[1]", file, where);
        if (end < begin || end > dataBytes) {
            throw new ModelFileException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] are not a range inside the " + dataBytes + " data bytes of the file"
                    + (end > dataBytes ? " (is the file cut short, or still being written?)" : ""));
        }
        if (end - begin != count * dtype.bytes) {
            throw new ModelFileException(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + count * dtype.bytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin));
        }
        return new Entry(name, dtype, shape, count, begin, end);
    }

    private static DType dtype(Object value, Path file, String where) throws ModelFileException {
        if (!(value instanceof String)) {
            throw new ModelFileException(file, where + ": dtype must be a string such as \"F32\", got "
                    + (value == null ? "nothing" : StrictJson.typeName(value)));
        }
        for (DType t : DType.values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new ModelFileException(file, where + ": dtype " + value + " is not supported; nnj reads F32, and "
                + "converts F64, F16 and BF16 to F32");
    }

    private static List<?> list(Object value, String field, Path file, String where) throws ModelFileException {
        if (!(value instanceof List)) {
            throw new ModelFileException(file, where + ": " + field + " must be an array, got "
                    + (value == null ? "nothing" : StrictJson.typeName(value)));
        }
        return (List<?>) value;
    }

    private static long nonNegative(Object value, String field, Path file, String where) throws ModelFileException {
        if (!(value instanceof Long) || (Long) value < 0) {
            throw new ModelFileException(file, where + ": " + field + " must be a non-negative integer, got " + value);
        }
        return (Long) value;
    }

    private static float[] readData(SeekableByteChannel channel, long dataStart, Entry e, Path file, CRC32C crc)
            throws IOException {
        float[] out = new float[(int) e.count];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, e.end - e.begin)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + e.begin;
        int k = 0;
        while (k < out.length) {
            int elements = Math.min(out.length - k, chunk.capacity() / e.dtype.bytes);
            chunk.clear().limit(elements * e.dtype.bytes);
            readFully(channel, chunk, position, file, "tensor '" + e.name + "'");
            position += chunk.limit();
            chunk.flip();
            if (crc != null) {
                crc.update(chunk);
                chunk.rewind();
            }
            for (int i = 0; i < elements; i++) {
                if (e.dtype == DType.F64) {
                    out[k] = toFloat(chunk.getDouble(), e.name, k, file);
                    k++;
                } else {
                    out[k++] = decode(chunk, e.dtype);
                }
            }
        }
        return out;
    }

    /** An F64 value rounded to float32; a finite one beyond float32's range is refused rather than made infinite. */
    private static float toFloat(double d, String name, int index, Path file) throws ModelFileException {
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) {
            throw new ModelFileException(file, "tensor '" + name + "' holds " + d + " at index " + index
                    + " (F64), beyond float32's range (" + Float.MAX_VALUE + ")");
        }
        return f;
    }

    private static float decode(ByteBuffer b, DType dtype) {
        switch (dtype) {
            case F32:
                return b.getFloat();
            case F64:
                return (float) b.getDouble();
            case BF16:
                return Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);   // the top half of a float32
            default:
                return halfToFloat(b.getShort());
        }
    }

    /**
     * IEEE 754 binary16 to float32, exactly (every half is a float): sign, 5-bit exponent biased by 15,
     * 10-bit fraction; subnormals, infinities and NaNs included.
     *
     * @param half the 16 bits
     * @return the same number as a float
     */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int fraction = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));   // inf or NaN
        }
        if (exponent == 0) {
            float magnitude = fraction * 0x1.0p-24f;   // subnormal (or zero): fraction · 2^-24, exact
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }

    /** Whether a file is named as an ONNX model ({@code *.onnx}, any case), for a message that points the way. */
    private static boolean isOnnxName(Path file) {
        Path name = file == null ? null : file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    private static void readFully(SeekableByteChannel channel, ByteBuffer buffer, long position, Path file, String what)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n;
            try {
                n = channel.position(at).read(buffer);   // a reader is used by one thread at a time
            } catch (IOException e) {
                throw AtomicFile.interruptedOr(file, what + " not read", e);
            }
            if (n < 0) {
                throw new ModelFileException(file, what + ": the file ends at byte " + at + " (truncated?)");
            }
            at += n;
        }
    }
}
