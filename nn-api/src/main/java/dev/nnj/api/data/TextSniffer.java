package dev.nnj.api.data;

import java.util.Locale;

/**
 * Tells, from the first bytes of an input, whether it can be UTF-8 (or ASCII) text at all, so that a
 * UTF-16 file or a binary one is refused with what it looks like, instead of being read as garbage
 * numbers or failing on a character far into the file.
 *
 * <pre>
 *   FE FF / FF FE (not followed by 00 00)   UTF-16 with a byte-order mark
 *   00 00 FE FF / FF FE 00 00               UTF-32 with a byte-order mark
 *   every other byte 00, the others ASCII   UTF-16 without a byte-order mark
 *   FD 37 7A 58 5A 00, 50 4B 03 04, 42 5A 68 (block size) 31 41 59 26 53 59,
 *   28 B5 2F FD, 37 7A BC AF 27 1C           xz, zip, bzip2, zstd, 7z archives (gzip is read as it is)
 *   any other 00 or control byte            binary data
 * </pre>
 */
final class TextSniffer {
    private TextSniffer() {
    }

    /**
     * @param head  the first bytes of the input (after decompression)
     * @param count how many of them are valid
     * @return why the input is not UTF-8 text, or null if it may be
     */
    static String problem(byte[] head, int count) {
        if (count >= 4 && (head[0] == 0 && head[1] == 0 && (head[2] & 0xff) == 0xFE && (head[3] & 0xff) == 0xFF
                || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE && head[2] == 0 && head[3] == 0)) {
            return "UTF-32 text (it starts with a UTF-32 byte-order mark)";
        }
        if (count >= 2 && ((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF
                || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE)) {
            return "UTF-16 text (it starts with a UTF-16 byte-order mark)";
        }
        String compressed = compressed(head, count);
        if (compressed != null) {
            return compressed;
        }
        int zerosEven = 0;
        int zerosOdd = 0;
        int firstControl = -1;
        for (int i = 0; i < count; i++) {
            int b = head[i] & 0xff;
            if (b == 0) {
                if ((i & 1) == 0) {
                    zerosEven++;
                } else {
                    zerosOdd++;
                }
            } else if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && firstControl < 0) {
                firstControl = i;
            }
        }
        int pairs = count / 2;
        if (pairs >= 2 && (zerosEven >= pairs * 9 / 10 && zerosOdd == 0 || zerosOdd >= pairs * 9 / 10 && zerosEven == 0)) {
            return "UTF-16 text without a byte-order mark (every other byte is 0)";
        }
        if (zerosEven + zerosOdd > 0 || firstControl >= 0) {
            int at = zerosEven + zerosOdd > 0 ? firstZero(head, count) : firstControl;
            return String.format(Locale.ROOT, "binary data, not text (byte 0x%02X at offset %d)", head[at] & 0xff, at);
        }
        return null;
    }

    /**
     * A compressed format by its first bytes.
     *
     * @param magic its first bytes; -1 for any of '1' to '9'
     * @param what  what it is, in words
     * @param tool  a command that writes it out as text
     */
    private record Archive(int[] magic, String what, String tool) {
    }

    /** The compressed formats a CSV file is shipped in besides gzip, by their magic bytes, with what to do. */
    private static final Archive[] ARCHIVES = {
        new Archive(new int[] {0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00}, "xz-compressed data", "xzcat"),
        new Archive(new int[] {0x50, 0x4B, 0x03, 0x04}, "a ZIP archive", "unzip -p"),
        new Archive(new int[] {0x42, 0x5A, 0x68, -1, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59}, "bzip2-compressed data",
                "bzcat"),
        new Archive(new int[] {0x42, 0x5A, 0x68, -1, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90}, "bzip2-compressed data",
                "bzcat"),
        new Archive(new int[] {0x28, 0xB5, 0x2F, 0xFD}, "zstd-compressed data", "zstdcat"),
        new Archive(new int[] {0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C}, "a 7z archive", "7z x -so"),
    };

    /** What a compressed input is and how to read it, or null when it is none of {@link #ARCHIVES}. */
    private static String compressed(byte[] head, int count) {
        for (Archive archive : ARCHIVES) {
            int[] magic = archive.magic();
            boolean match = count >= magic.length;
            for (int i = 0; match && i < magic.length; i++) {
                // -1: bzip2's block size, '1' to '9'; then its first block's (or, empty, its end's) own magic, as
                // "BZh" alone also starts a header line of text.
                match = magic[i] < 0 ? head[i] >= '1' && head[i] <= '9' : (head[i] & 0xff) == magic[i];
            }
            if (match) {
                return archive.what() + ", which is not read as it is (only gzip is): decompress it first, e.g. "
                        + "with " + archive.tool();
            }
        }
        return null;
    }

    private static int firstZero(byte[] head, int count) {
        for (int i = 0; i < count; i++) {
            if (head[i] == 0) {
                return i;
            }
        }
        return 0;
    }
}
