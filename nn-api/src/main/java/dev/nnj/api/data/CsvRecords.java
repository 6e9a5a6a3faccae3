package dev.nnj.api.data;

import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Splits CSV text into records of fields, as RFC 4180 defines them: fields separated by a delimiter,
 * records by CRLF, LF or CR; a field in double quotes may hold the delimiter, line breaks and doubled
 * quotes ({@code "a ""b"", c"} is {@code a "b", c}). Whitespace around a quoted field is ignored, as most
 * writers put it there by mistake rather than as data. Blank lines are skipped.
 *
 * <p>Text that cannot be CSV is refused with its line and column: a NUL character (binary data or
 * UTF-16 read as UTF-8), text after a closing quote, a quote that is never closed.
 */
final class CsvRecords {
    private static final int EOF = -1;
    private static final int NONE = -2;

    private final Reader in;
    private final char delimiter;
    private final String source;
    private final char[] buffer = new char[1 << 14];
    private int pos;
    private int limit;
    private int line = 1;
    private int column;
    private int recordLine;
    private final StringBuilder field = new StringBuilder();
    private boolean atStart = true;
    private int pushedBack = NONE;
    private boolean lineBreakBefore;

    CsvRecords(Reader in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
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

    /**
     * Reads the next non-blank record into {@code fields} (cleared first).
     *
     * @return false at the end of the input
     */
    boolean next(List<String> fields) throws IOException {
        while (true) {
            fields.clear();
            int c = read();
            if (c == EOF) {
                return false;
            }
            recordLine = line;
            boolean anyQuoted = false;
            while (true) {
                // One field: c is its first character.
                field.setLength(0);
                boolean quoted = false;
                while ((c == ' ' || c == '\t') && c != delimiter) {
                    field.append((char) c);
                    c = read();
                }
                if (c == '"') {
                    quoted = true;
                    anyQuoted = true;
                    field.setLength(0);
                    c = readQuoted();
                } else {
                    while (c != EOF && c != delimiter && c != '\n') {
                        if (c == '"') {
                            throw error("a quote inside an unquoted field; quote the whole field and double the "
                                    + "quotes inside it (\"a \"\"b\"\"\")");
                        }
                        field.append((char) c);
                        c = read();
                    }
                }
                fields.add(quoted ? field.toString() : field.toString().strip());
                if (c == delimiter) {
                    c = read();
                    continue;
                }
                break;   // c is a line break or the end (read() turns CR and CRLF into LF)
            }
            if (fields.size() == 1 && !anyQuoted && fields.get(0).isEmpty()) {
                continue;   // blank line
            }
            return true;
        }
    }

    /** Reads a quoted field's content up to the closing quote; returns the character after it and blanks. */
    private int readQuoted() throws IOException {
        int openedLine = line;
        int openedColumn = column;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new InvalidDataException(source + " line " + openedLine + ", column " + openedColumn
                        + ": the quoted field opened here is never closed");
            }
            if (c == '"') {
                int d = read();
                if (d == '"') {
                    field.append('"');   // "" is one quote
                    continue;
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
            field.append((char) c);
        }
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

    private InvalidDataException error(String what) {
        return new InvalidDataException(source + " line " + line + ", column " + column + ": " + what);
    }
}
