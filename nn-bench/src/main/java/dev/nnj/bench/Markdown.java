package dev.nnj.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table built row by row; columns whose header starts with '>' are right-aligned. */
final class Markdown {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    Markdown(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
    }

    Markdown row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
                    + " columns");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "" : cells[i].toString().replace("|", "\\|");
        }
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, padded so that it also reads well as plain text. */
    String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = Math.max(3, headers[i].length());
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        sb.append('|');
        for (int i = 0; i < headers.length; i++) {
            sb.append(' ').append("-".repeat(width[i] - 1)).append(right[i] ? ":" : "-").append(" |");
        }
        sb.append('\n');
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        sb.append('|');
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            sb.append(' ').append(right[i] ? pad + cells[i] : cells[i] + pad).append(" |");
        }
        sb.append('\n');
    }

    /** {@code x} with {@code digits} significant digits, plain notation, no grouping; "–" for NaN. */
    static String sig(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "–";
        }
        if (x == 0) {
            return "0";
        }
        int magnitude = (int) Math.floor(Math.log10(Math.abs(x)));
        int decimals = Math.max(0, digits - 1 - magnitude);
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** {@code x} with a fixed number of decimals; "–" for NaN. */
    static String fixed(double x, int decimals) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }
}
