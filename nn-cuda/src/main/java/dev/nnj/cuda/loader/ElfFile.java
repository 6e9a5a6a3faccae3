package dev.nnj.cuda.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of the dynamic-linking tables of a 64-bit little-endian ELF shared library: what it needs
 * ({@code DT_NEEDED}, {@code .gnu.version_r}), what it imports and what it exports ({@code .dynsym} with the
 * symbol versions of {@code .gnu.version} / {@code .gnu.version_d}).
 *
 * <p>This is all the backend needs to decide, without loading anything, whether a JNI library will bind
 * against a given cuBLAS: glibc resolves lazily, so a function missing from the target would only show up as
 * a JVM exit at its first call. Reading the tables first turns that into an "unavailable" reason.
 *
 * <p>Only the section headers are used (every library the backend reads has them); offsets are checked so a
 * truncated or foreign file fails with {@link IllegalArgumentException}, never an index error deep inside.
 */
final class ElfFile {
    static final int SHT_DYNSYM = 11;
    static final int SHT_DYNAMIC = 6;
    static final int SHT_GNU_VERDEF = 0x6ffffffd;
    static final int SHT_GNU_VERNEED = 0x6ffffffe;
    static final int SHT_GNU_VERSYM = 0x6fffffff;
    static final long DT_NULL = 0;
    static final long DT_NEEDED = 1;
    static final long DT_SONAME = 14;
    static final long DT_RUNPATH = 29;

    /** One section header: where its bytes are and which section holds its strings. */
    record Section(String name, int type, long offset, long size, int link, long entrySize) {
    }

    /** A {@code Vernaux} entry of {@code .gnu.version_r}; {@code hashOffset} is the file offset of {@code vna_hash}. */
    public record VersionAux(String name, long hash, int index, long hashOffset) {
    }

    /** A {@code Verneed} entry: a needed file and the versions required from it. */
    public record VersionNeed(String file, List<VersionAux> versions) {
    }

    /** A dynamic symbol: its name, whether it is defined here, and its version name (null if unversioned). */
    public record DynamicSymbol(String name, boolean defined, boolean function, String version) {
    }

    private final ByteBuffer buf;
    private final List<Section> sections = new ArrayList<>();

    private ElfFile(ByteBuffer buffer) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        parseHeaders();
    }

    /** Parses bytes already in memory (the buffer is not copied; do not change it while this view is used). */
    public static ElfFile of(byte[] bytes) {
        return new ElfFile(ByteBuffer.wrap(bytes));
    }

    /** Maps a file read-only: a 50 MB libcublas costs no heap. */
    public static ElfFile map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ElfFile(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    private void parseHeaders() {
        require(buf.capacity() >= 64, "shorter than an ELF header");
        require(buf.get(0) == 0x7f && buf.get(1) == 'E' && buf.get(2) == 'L' && buf.get(3) == 'F', "no ELF magic");
        require(buf.get(4) == 2, "not a 64-bit ELF file");
        require(buf.get(5) == 1, "not a little-endian ELF file");
        long shoff = buf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(buf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(buf.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(buf.getShort(0x3E));
        require(shentsize == 64 && shnum > 0 && shstrndx < shnum, "no usable section headers");
        require(shoff > 0 && shoff + (long) shnum * shentsize <= buf.capacity(), "section headers past end of file");
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int h = Math.toIntExact(shoff + (long) i * shentsize);
            raw[i] = new long[] {
                    Integer.toUnsignedLong(buf.getInt(h)), buf.getInt(h + 4), buf.getLong(h + 0x18),
                    buf.getLong(h + 0x20), buf.getInt(h + 0x28), buf.getLong(h + 0x38)};
            require(raw[i][1] == 8 /* SHT_NOBITS */ || raw[i][2] + raw[i][3] <= buf.capacity(),
                    "section " + i + " past end of file");
        }
        long namesOffset = raw[shstrndx][2];
        for (long[] s : raw) {
            sections.add(new Section(string(namesOffset, s[0]), (int) s[1], s[2], s[3], (int) s[4], s[5]));
        }
    }

    Section section(String name) {
        for (Section s : sections) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private Section sectionOfType(int type) {
        for (Section s : sections) {
            if (s.type() == type) {
                return s;
            }
        }
        return null;
    }

    /** The file offset and size of {@code .dynstr}, the string table that {@code DT_NEEDED} and versions use. */
    Section dynamicStrings() {
        Section dynamic = sectionOfType(SHT_DYNAMIC);
        require(dynamic != null, "no .dynamic section (not a shared library?)");
        return sections.get(dynamic.link());
    }

    /** {@code DT_NEEDED} entries, in order: the libraries the loader opens with this one. */
    public List<String> needed() {
        return dynamicStringsFor(DT_NEEDED);
    }

    /** {@code DT_SONAME}, or null. */
    public String soname() {
        List<String> s = dynamicStringsFor(DT_SONAME);
        return s.isEmpty() ? null : s.get(0);
    }

    /** {@code DT_RUNPATH} entries (colon-separated lists, as written), possibly empty. */
    public List<String> runpath() {
        return dynamicStringsFor(DT_RUNPATH);
    }

    private List<String> dynamicStringsFor(long tag) {
        Section dynamic = sectionOfType(SHT_DYNAMIC);
        require(dynamic != null, "no .dynamic section");
        long strtab = sections.get(dynamic.link()).offset();
        List<String> out = new ArrayList<>();
        for (long p = dynamic.offset(); p + 16 <= dynamic.offset() + dynamic.size(); p += 16) {
            long t = buf.getLong(Math.toIntExact(p));
            if (t == DT_NULL) {
                break;
            }
            if (t == tag) {
                out.add(string(strtab, buf.getLong(Math.toIntExact(p + 8))));
            }
        }
        return out;
    }

    /** The {@code .gnu.version_r} entries: for each needed file, the version names required of it. */
    public List<VersionNeed> versionNeeds() {
        Section s = sectionOfType(SHT_GNU_VERNEED);
        List<VersionNeed> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        long strtab = sections.get(s.link()).offset();
        long need = s.offset();
        while (true) {
            checkRange(need, 16, ".gnu.version_r");
            int n = (int) need;
            int count = Short.toUnsignedInt(buf.getShort(n + 2));
            String file = string(strtab, Integer.toUnsignedLong(buf.getInt(n + 4)));
            List<VersionAux> aux = new ArrayList<>();
            long a = need + Integer.toUnsignedLong(buf.getInt(n + 8));
            for (int i = 0; i < count; i++) {
                checkRange(a, 16, ".gnu.version_r aux");
                int ai = (int) a;
                aux.add(new VersionAux(string(strtab, Integer.toUnsignedLong(buf.getInt(ai + 8))),
                        Integer.toUnsignedLong(buf.getInt(ai)), Short.toUnsignedInt(buf.getShort(ai + 6)), a));
                long next = Integer.toUnsignedLong(buf.getInt(ai + 12));
                if (next == 0) {
                    break;
                }
                a += next;
            }
            out.add(new VersionNeed(file, aux));
            long next = Integer.toUnsignedLong(buf.getInt(n + 12));
            if (next == 0) {
                return out;
            }
            need += next;
        }
    }

    /** Version index → version name, from both the definitions and the needs of this file. */
    private Map<Integer, String> versionNames() {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (VersionNeed n : versionNeeds()) {
            for (VersionAux a : n.versions()) {
                names.put(a.index(), a.name());
            }
        }
        Section d = sectionOfType(SHT_GNU_VERDEF);
        if (d != null) {
            long strtab = sections.get(d.link()).offset();
            long def = d.offset();
            while (true) {
                checkRange(def, 20, ".gnu.version_d");
                int di = (int) def;
                int index = Short.toUnsignedInt(buf.getShort(di + 4));
                long aux = def + Integer.toUnsignedLong(buf.getInt(di + 12));
                checkRange(aux, 8, ".gnu.version_d aux");
                names.put(index, string(strtab, Integer.toUnsignedLong(buf.getInt((int) aux))));
                long next = Integer.toUnsignedLong(buf.getInt(di + 16));
                if (next == 0) {
                    break;
                }
                def += next;
            }
        }
        return names;
    }

    /** Every named dynamic symbol with its version (index 0 and 1 — local and global — give null). */
    public List<DynamicSymbol> dynamicSymbols() {
        Section sym = sectionOfType(SHT_DYNSYM);
        require(sym != null, "no .dynsym section");
        Section versym = sectionOfType(SHT_GNU_VERSYM);
        Map<Integer, String> versions = versionNames();
        long strtab = sections.get(sym.link()).offset();
        int count = (int) (sym.size() / 24);
        List<DynamicSymbol> out = new ArrayList<>(count);
        for (int i = 1; i < count; i++) {
            int e = Math.toIntExact(sym.offset() + 24L * i);
            long nameOffset = Integer.toUnsignedLong(buf.getInt(e));
            if (nameOffset == 0) {
                continue;
            }
            int info = buf.get(e + 4) & 0xff;
            int shndx = Short.toUnsignedInt(buf.getShort(e + 6));
            String version = null;
            if (versym != null) {
                // Bit 15 marks a hidden (non-default) version; the index is in the low 15 bits.
                int v = Short.toUnsignedInt(buf.getShort(Math.toIntExact(versym.offset() + 2L * i))) & 0x7fff;
                version = v > 1 ? versions.get(v) : null;
            }
            out.add(new DynamicSymbol(string(strtab, nameOffset), shndx != 0, (info & 0xf) == 2 /* STT_FUNC */,
                    version));
        }
        return out;
    }

    /** Symbols this file takes from others, required with version {@code version}. */
    public List<String> importsWithVersion(String version) {
        List<String> out = new ArrayList<>();
        for (DynamicSymbol s : dynamicSymbols()) {
            if (!s.defined() && version.equals(s.version())) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** Defined symbols (functions and data) by name, with their version name or null. */
    public Map<String, String> exports() {
        Map<String, String> out = new LinkedHashMap<>();
        for (DynamicSymbol s : dynamicSymbols()) {
            if (s.defined()) {
                out.put(s.name(), s.version());
            }
        }
        return out;
    }

    /** The System V ELF hash of a name, as stored in {@code vna_hash} / {@code vd_hash}. */
    public static long elfHash(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h & 0xffffffffL;
    }

    private String string(long tableOffset, long index) {
        long start = tableOffset + index;
        require(start >= 0 && start < buf.capacity(), "string offset past end of file");
        long end = start;
        while (end < buf.capacity() && buf.get((int) end) != 0) {
            end++;
        }
        byte[] bytes = new byte[(int) (end - start)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buf.get((int) (start + i));
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void checkRange(long offset, int length, String what) {
        require(offset >= 0 && offset + length <= buf.capacity(), what + " past end of file");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("not a usable ELF shared library: " + message);
        }
    }
}
