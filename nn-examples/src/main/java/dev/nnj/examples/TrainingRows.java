package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A fingerprint of the rows a run trains on, and of their weights, which checkpoints record ({@value #KEY}) and
 * {@code --resume} compares: a resumed run continues exactly only on the same rows, and the scaler, which the resume
 * also compares, misses an edit that moves no column's minimum or maximum. CRC-32C over every feature, target and
 * weight as float32 bits, in order, with the row count; computed only by runs that checkpoint or resume (60,000 ×
 * 784 features and their targets: 66 ms in a fresh JVM, 51 ms warm, measured once on a 2-core Zen 4).
 */
final class TrainingRows {
    /** Metadata key of the fingerprint, in a checkpoint's run settings. */
    static final String KEY = "digits.training-rows";

    private TrainingRows() {
    }

    /**
     * The fingerprint of {@code train}, with its rows' weights when it has some.
     *
     * @param train   the rows as the run trains on them (scaled)
     * @param weights each row's weight ({@code --weight-column}), or null for none: then the fingerprint is the rows'
     *                alone, as checkpoints written before weights counted have it
     * @return {@code "<rows> rows, crc32c <8 hex digits>"}, or with weights {@code "<rows> weighted rows, crc32c ..."},
     *         so that a fingerprint of the rows alone (a file from before weights counted) is told apart
     */
    static String fingerprint(Dataset train, float[] weights) {
        CRC32C crc = new CRC32C();
        update(crc, train.features());
        update(crc, train.targets());
        if (weights != null) {
            update(crc, weights);   // another weight is another run, as another value is
        }
        return String.format(Locale.ROOT, "%d %srows, crc32c %08x", train.size(), weights != null ? "weighted " : "",
                crc.getValue());
    }

    private static void update(CRC32C crc, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.min(values.length, 1 << 16) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += 1 << 16) {
            bytes.clear();
            int end = Math.min(values.length, start + (1 << 16));
            for (int i = start; i < end; i++) {
                bytes.putFloat(values[i]);
            }
            crc.update(bytes.flip());
        }
    }
}
