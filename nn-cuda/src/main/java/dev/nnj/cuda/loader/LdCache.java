package dev.nnj.cuda.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The strings of a dynamic linker cache ({@code /etc/ld.so.cache}): a table of NUL-terminated strings after a
 * binary header, holding each library's name and its absolute path. Read as strings, without parsing the header,
 * so that the old and the new cache format both work.
 */
final class LdCache {
    private LdCache() {
    }

    /**
     * The NUL-terminated strings in {@code cache} that contain {@code part}, in order. Only those become
     * {@code String}s: a cache holds a few thousand, and making them all took a start-up probe 8 ms.
     *
     * @param cache the bytes of the cache file
     * @param part text the strings wanted contain, such as a library's name
     * @return those strings, read as ISO-8859-1
     */
    static List<String> strings(byte[] cache, String part) {
        byte[] needle = part.getBytes(StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cache.length; i++) {
            if (i == cache.length || cache[i] == 0) {
                if (contains(cache, start, i, needle)) {
                    out.add(new String(cache, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean contains(byte[] data, int from, int to, byte[] needle) {
        for (int i = from; i + needle.length <= to; i++) {
            int k = 0;
            while (k < needle.length && data[i + k] == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return true;
            }
        }
        return false;
    }
}
