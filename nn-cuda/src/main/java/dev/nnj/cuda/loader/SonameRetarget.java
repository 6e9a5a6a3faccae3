package dev.nnj.cuda.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Points a JNI library built against one soname at another of the same length, by rewriting its
 * {@code .dynstr} in place: {@code libcublas.so.12} → {@code libcublas.so.13}.
 *
 * <p>Why this works: the one string serves both {@code DT_NEEDED} (which file glibc opens) and the
 * {@code .gnu.version_r} entry (which version node every imported symbol must carry). cuBLAS 13 exports its
 * functions under the version node {@code libcublas.so.13}, so both must change together; {@code patchelf
 * --replace-needed} changes only the first. The version entry also stores the ELF hash of its name
 * ({@code vna_hash}), which glibc compares before the name, so it is recomputed. Strings keep their length,
 * so no offset anywhere moves.
 *
 * <p>What it does not do: prove that the target exports every function. glibc binds functions lazily, so a
 * missing one ends the JVM at its first call; {@link CublasLibrary#missingFunctions} checks that before use.
 */
final class SonameRetarget {
    private SonameRetarget() {
    }

    /**
     * Returns a patched copy of {@code library} in which every {@code .dynstr} string equal to {@code from}
     * reads {@code to}, with the version-need hashes of {@code to} recomputed.
     *
     * @throws IllegalArgumentException if the names differ in length, the library does not need
     *         {@code from}, or the result does not read back as needing {@code to}
     */
    public static byte[] retarget(byte[] library, String from, String to) {
        byte[] fromBytes = from.getBytes(StandardCharsets.US_ASCII);
        byte[] toBytes = to.getBytes(StandardCharsets.US_ASCII);
        if (fromBytes.length != toBytes.length) {
            throw new IllegalArgumentException("sonames must have the same length: " + from + ", " + to);
        }
        ElfFile original = ElfFile.of(library);
        if (!original.needed().contains(from)) {
            throw new IllegalArgumentException("library does not need " + from + " (needs " + original.needed() + ")");
        }
        byte[] out = library.clone();
        ElfFile.Section strings = ElfFile.of(out).dynamicStrings();
        int start = Math.toIntExact(strings.offset());
        int end = Math.toIntExact(strings.offset() + strings.size());
        int replaced = 0;
        // Whole strings only (NUL on both sides), so no symbol name that merely ends the same way changes.
        for (int p = start; p + fromBytes.length < end; p++) {
            if ((p == start || out[p - 1] == 0) && out[p + fromBytes.length] == 0 && regionEquals(out, p, fromBytes)) {
                System.arraycopy(toBytes, 0, out, p, toBytes.length);
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalArgumentException(from + " not found in .dynstr");
        }
        ElfFile patched = ElfFile.of(out);
        ByteBuffer view = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long hash = ElfFile.elfHash(to);
        for (ElfFile.VersionNeed need : patched.versionNeeds()) {
            for (ElfFile.VersionAux aux : need.versions()) {
                if (aux.name().equals(to)) {
                    view.putInt(Math.toIntExact(aux.hashOffset()), (int) hash);
                }
            }
        }
        verify(ElfFile.of(out), from, to);
        return out;
    }

    /** Checks that {@code DT_NEEDED} and the version needs name {@code to}, never {@code from}, with right hashes. */
    static void verify(ElfFile elf, String from, String to) {
        if (elf.needed().contains(from) || !elf.needed().contains(to)) {
            throw new IllegalArgumentException("retarget failed: DT_NEEDED is " + elf.needed());
        }
        for (ElfFile.VersionNeed need : elf.versionNeeds()) {
            if (need.file().equals(from)) {
                throw new IllegalArgumentException("retarget failed: still needs versions of " + from);
            }
            for (ElfFile.VersionAux aux : need.versions()) {
                if (aux.hash() != ElfFile.elfHash(aux.name())) {
                    throw new IllegalArgumentException("retarget failed: hash of version " + aux.name() + " is "
                            + Long.toHexString(aux.hash()));
                }
            }
        }
    }

    private static boolean regionEquals(byte[] data, int at, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (data[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
