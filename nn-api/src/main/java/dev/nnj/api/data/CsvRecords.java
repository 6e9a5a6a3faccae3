package dev.nnj.api.data;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits CSV text into records of fields, as RFC 4180 defines them: fields separated by a delimiter,
 * records by CRLF, LF or CR; a field in double quotes may hold the delimiter, line breaks and doubled
 * quotes ({@code "a ""b"", c"} is {@code a "b", c}). Whitespace around a quoted field is ignored, as most
 * writers put it there by mistake rather than as data. Blank lines are skipped.
 *
 * <p>With the delimiter {@code ' '} (which a CSV cannot have) fields are separated by runs of spaces and tabs
 * instead, and blanks at the start and end of a line separate nothing: the layout numpy's {@code loadtxt} and
 * R's {@code read.table} read by default. Quoting works as above.
 *
 * <p>Text that cannot be CSV is refused with its line and column: a NUL character (binary data or
 * UTF-16 read as UTF-8), text after a closing quote, a quote that is never closed, a field of more than
 * {@value #MAX_FIELD_CHARS} characters, a record of more than {@value #MAX_RECORD_CHARS} characters or
 * {@value #MAX_FIELDS} fields (one line of hundreds of megabytes, or a compressed file that expands to one, took the
 * heap before any check saw it; a wide file of two million columns of full-precision numbers, 25 characters each,
 * stays within the bounds).
 *
 * <p>A record's fields are kept as slices of one reused {@code char[]} ({@link #chars()}, {@link #start},
 * {@link #end}) rather than as strings: a reader of numbers parses them in place, and a file of millions of
 * values makes no string for any of them ({@link #field} makes one where text is wanted: names, labels,
 * messages). A record that needs none of the checks above is split in one pass over the input buffer.
 */
final class CsvRecords {
    /** The most characters one field may hold: a quote never closed, or a line never ended, is caught at this. */
    static final int MAX_FIELD_CHARS = 1 << 24;
    /** The most characters one record may hold: 128 MB of heap for its text. */
    static final int MAX_RECORD_CHARS = 1 << 26;
    /** The most fields one record may hold: 32 MB of heap for their bounds. */
    static final int MAX_FIELDS = 1 << 22;
    private static final int EOF = -1;
    private static final int NONE = -2;
    /** {@link #scanPlain}'s answer for a record that needs the general path. */
    private static final int GENERAL = -1;
    /** {@link #scanPlain}'s answer for a record that runs past the buffered characters. */
    private static final int MORE = -2;

    private final Reader in;
    private final char delimiter;
    /** Fields separated by runs of spaces and tabs (the delimiter {@code ' '}, which a CSV cannot have). */
    private final boolean whitespace;
    private final String source;
    private final char[] buffer = new char[1 << 17];
    private int pos;
    private int limit;
    private int line = 1;
    private int column;
    private int recordLine;
    private boolean atStart = true;
    private int pushedBack = NONE;
    private boolean lineBreakBefore;

    /** The current record's fields, one after another: quotes removed, {@code ""} read as one quote. */
    private char[] chars = new char[1024];
    private int length;
    /** Where in {@link #chars} the field being read began. */
    private int fieldStart;
    /**
     * What the current record's fields are slices of: {@link #chars} after the general path, the input buffer
     * itself after the plain one (a plain record's fields need no unquoting).
     */
    private char[] text = chars;
    /** Field {@code i} is {@code text[starts[i], ends[i])}: stripped of blanks unless it was quoted. */
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int fields;
    /** Line breaks written as CRLF in the record {@link #scanPlain} last read, each one character to the column. */
    private int crlf;

    CsvRecords(Reader in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
        this.whitespace = delimiter == ' ';
        this.source = source;
    }

    /** The 1-based line on which the record last returned by {@link #next} starts. */
    int recordLine() {
        return recordLine;
    }

    /** The line being read (after an error or at the end: the last line). */
    int line() {
        return line;
    }

    /** Fields in the record last read. */
    int size() {
        return fields;
    }

    /** The characters the fields are slices of; valid until the next {@link #next}. */
    char[] chars() {
        return text;
    }

    /** Where field {@code i} starts in {@link #chars()}. */
    int start(int i) {
        return starts[i];
    }

    /** Where field {@code i} ends (exclusive) in {@link #chars()}. */
    int end(int i) {
        return ends[i];
    }

    /** Field {@code i} as a string. */
    String field(int i) {
        return new String(text, starts[i], ends[i] - starts[i]);
    }

    /** All fields of the record as strings. */
    String[] fields() {
        String[] all = new String[fields];
        for (int i = 0; i < fields; i++) {
            all[i] = field(i);
        }
        return all;
    }

    /**
     * Reads the next non-blank record; its fields are then {@link #size()}, {@link #field} and the slices.
     *
     * @return false at the end of the input
     */
    boolean next() throws IOException {
        while (true) {
            if (plainRecord()) {
                return true;
            }
            fields = 0;
            length = 0;
            fieldStart = 0;
            int c = read();
            if (whitespace) {
                while (c == ' ' || c == '\t') {
                    c = read();   // blanks before the first field separate nothing
                }
                if (c == '\n') {
                    continue;     // a blank line
                }
            }
            if (c == EOF) {
                return false;
            }
            recordLine = line;
            boolean anyQuoted = false;
            while (true) {
                // One field: c is its first character.
                int start = length;
                fieldStart = start;
                boolean quoted = false;
                while ((c == ' ' || c == '\t') && c != delimiter) {
                    append((char) c);
                    c = read();
                }
                if (c == '"') {
                    quoted = true;
                    anyQuoted = true;
                    length = start;
                    c = readQuoted();
                } else {
                    c = readUnquoted(c);
                }
                addField(chars, start, length, !quoted);
                if (whitespace) {
                    while (c == ' ' || c == '\t') {
                        c = read();   // a run of blanks is one separator
                    }
                    if (c == '\n' || c == EOF) {
                        break;        // blanks at the end of a line separate nothing
                    }
                    continue;
                }
                if (c == delimiter) {
                    c = read();
                    continue;
                }
                break;   // c is a line break or the end (read() turns CR and CRLF into LF)
            }
            if (fields == 1 && !anyQuoted && starts[0] == ends[0]) {
                continue;   // blank line
            }
            text = chars;
            return true;
        }
    }

    /**
     * The common case in one pass over the buffer: a whole record of unquoted fields that holds no character
     * {@link #read()} must look at (a quote, NUL, U+FFFD, a CR not followed by LF) and no field that starts
     * with a blank, ending with a line break. It gives what the general path gives for such a record, fields,
     * line and column alike; for any other record it changes nothing the general path reads but the buffer's
     * layout, returns false, and the general path reads it. A record cut by the end of the buffer is moved to
     * its start and the rest refilled first.
     */
    private boolean plainRecord() throws IOException {
        if (whitespace || pushedBack != NONE || atStart) {
            return false;
        }
        int end = scanPlain();
        if (end == MORE && pos > 0 && refillKeepingRecord()) {
            end = scanPlain();
        }
        if (end < 0) {
            return false;
        }
        if (lineBreakBefore) {
            line++;
            column = 0;
        }
        recordLine = line;
        column += end - pos - crlf;
        lineBreakBefore = true;
        pos = end;
        return true;
    }

    /**
     * Finds the fields of the record at {@link #pos}, as slices of the buffer itself.
     *
     * @return where the record ends in the buffer (after its line break), {@link #GENERAL} or {@link #MORE}
     */
    private int scanPlain() {
        int p = pos;
        int end = limit;
        if (p == end) {
            return MORE;
        }
        if (buffer[p] == '\n' || buffer[p] == '\r') {
            return GENERAL;   // a blank line
        }
        char[] in = buffer;
        char d = delimiter;
        fields = 0;   // the general path starts afresh if this scan gives up
        crlf = 0;
        while (true) {
            char first = in[p];
            if (first == '"' || ((first == ' ' || first == '\t') && first != d)) {
                return GENERAL;
            }
            int start = p;
            char c;
            while (true) {
                c = in[p];
                // Digits, letters, '.', '-' and most else are above '"': one test for the common case.
                if (c > '"' && c != d && c != '\uFFFD') {
                    if (++p == end) {
                        return MORE;
                    }
                    continue;
                }
                if (c == d || c == '\n') {
                    break;
                }
                if (c == '\r' && p + 1 < end && in[p + 1] == '\n') {
                    break;
                }
                if (c == '"' || c == '\r' && p + 1 < end || c == 0 || c == '\uFFFD') {
                    return GENERAL;
                }
                if (++p == end) {
                    return MORE;
                }
            }
            addField(in, start, p, true);
            if (c == '\r') {
                p++;
                crlf++;
                c = '\n';
            }
            p++;
            if (c == '\n') {
                break;
            }
            if (p == end) {
                return MORE;
            }
        }
        if (fields == 1 && starts[0] == ends[0]) {
            return GENERAL;   // a line of blanks: the general path skips it
        }
        text = buffer;
        return p;
    }

    /**
     * Moves the unread characters to the start of the buffer and fills the rest from the input, so that a
     * record cut by the buffer's end can be scanned whole.
     *
     * @return false when nothing more could be read
     */
    private boolean refillKeepingRecord() throws IOException {
        int kept = limit - pos;
        System.arraycopy(buffer, pos, buffer, 0, kept);
        pos = 0;
        limit = kept;
        boolean more = false;
        int read;
        while (limit < buffer.length && (read = in.read(buffer, limit, buffer.length - limit)) > 0) {
            limit += read;
            more = true;
        }
        return more;
    }

    /** Reads an unquoted field from its first character {@code c}; returns the character after it. */
    private int readUnquoted(int c) throws IOException {
        while (c != EOF && c != delimiter && c != '\n' && !(whitespace && c == '\t')) {
            if (c == '"') {
                throw error("a quote inside an unquoted field; quote the whole field and double the "
                        + "quotes inside it (\"a \"\"b\"\"\")");
            }
            append((char) c);
            c = read();
        }
        return c;
    }

    /** Reads a quoted field's content up to the closing quote; returns the character after it and blanks. */
    private int readQuoted() throws IOException {
        int openedLine = line;
        int openedColumn = column;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new InvalidDataException(source + " line " + openedLine + ", character " + openedColumn
                        + ": the quoted field opened here is never closed");
            }
            if (c == '"') {
                int d = read();
                if (d == '"') {
                    append('"');   // "" is one quote
                    continue;
                }
                if (whitespace) {
                    if (d != EOF && d != ' ' && d != '\t' && d != '\n') {
                        throw error("'" + (char) d + "' after the closing quote of a field; expected a space, a tab "
                                + "or the end of the line");
                    }
                    return d;
                }
                while ((d == ' ' || d == '\t') && d != delimiter) {
                    d = read();
                }
                if (d != EOF && d != delimiter && d != '\n') {
                    throw error("'" + (char) d + "' after the closing quote of a field; expected '" + delimiter
                            + "' or the end of the line");
                }
                return d;
            }
            append((char) c);
        }
    }

    private void append(char c) {
        if (length - fieldStart >= MAX_FIELD_CHARS) {
            throw new InvalidDataException(source + " line " + recordLine + ": a field of more than " + MAX_FIELD_CHARS
                    + " characters (a closing quote or a line break missing?); a CSV record is read whole, and a "
                    + "field this long is no table's value");
        }
        if (length == chars.length) {
            if (length >= MAX_RECORD_CHARS) {
                throw new InvalidDataException(source + " line " + recordLine + ": a record of more than "
                        + MAX_RECORD_CHARS + " characters; a CSV record is read whole, and one this long is more "
                        + "than a row of a table nnj reads");
            }
            chars = Arrays.copyOf(chars, chars.length * 2);
        }
        chars[length++] = c;
    }

    /**
     * Records {@code text[from, to)} as the record's next field, stripped as {@link String#strip()} would when
     * {@code strip} (an unquoted field); both paths call it, the general one on {@link #chars}, the plain one on
     * the buffer.
     */
    private void addField(char[] text, int start, int end, boolean strip) {
        int from = start;
        int to = end;
        if (strip) {
            while (from < to && Character.isWhitespace(text[from])) {
                from++;
            }
            while (to > from && Character.isWhitespace(text[to - 1])) {
                to--;
            }
        }
        if (fields == starts.length) {
            if (fields >= MAX_FIELDS) {
                throw new InvalidDataException(source + " line " + recordLine + ": a record of more than " + MAX_FIELDS
                        + " fields; a CSV record is read whole, and one this wide is not a table's row");
            }
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = from;
        ends[fields] = to;
        fields++;
    }

    /** The next character, with CR and CRLF read as one LF, and the line and column it is on counted. */
    private int read() throws IOException {
        int c = raw();
        if (c == '\r') {
            int d = raw();
            if (d != '\n' && d != EOF) {
                pushedBack = d;
            }
            c = '\n';
        }
        if (lineBreakBefore) {
            line++;
            column = 0;
            lineBreakBefore = false;
        }
        if (c == EOF) {
            return EOF;
        }
        column++;
        if (c == '\n') {
            lineBreakBefore = true;   // the next character is on the next line
        } else if (c == 0) {
            throw error("a NUL character: this is binary data or UTF-16 text, not UTF-8 CSV");
        } else if (c == '\uFFFD') {
            throw error("bytes that are not UTF-8 text (or a U+FFFD replacement character); CSV input must be "
                    + "UTF-8 or ASCII (convert it, e.g. iconv -f LATIN1 -t UTF-8)");
        }
        return c;
    }

    private int raw() throws IOException {
        if (pushedBack != NONE) {
            int c = pushedBack;
            pushedBack = NONE;
            return c;
        }
        if (pos == limit) {
            limit = in.read(buffer, 0, buffer.length);
            pos = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        char c = buffer[pos++];
        if (atStart) {
            atStart = false;
            if (c == '\uFEFF') {
                return raw();   // byte-order mark
            }
        }
        return c;
    }

    /**
     * An error at the character being read, named by its place in the line ("character 6"): "column", in the data
     * errors that follow, is a field's number.
     */
    private InvalidDataException error(String what) {
        return new InvalidDataException(source + " line " + line + ", character " + column + ": " + what);
    }
}
