package dev.nnj.api.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes the training history to a CSV file, one row per epoch (Keras' {@code CSVLogger}):
 * <pre>
 *   epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,elapsed_s
 *   1,2.2931,0.1503,2.2817,0.1694,0.1,0.012
 * </pre>
 * Values without a validation set are empty cells, and so are the accuracies of a set whose targets are not
 * classes (see {@link EpochStats}). After every epoch the whole file is rewritten atomically
 * (a temporary file in the same directory, forced to disk, then renamed over the target), so a reader, or a run
 * that is killed, always sees a complete file with every finished epoch, never a half-written line.
 */
public final class CsvLogger implements TrainingListener {
    /** The header row. */
    public static final String HEADER =
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,elapsed_s";

    private final Path file;
    private final StringBuilder text = new StringBuilder();

    /**
     * A logger that will write {@code file} (its directory must exist; an existing file is replaced when the
     * first epoch ends).
     *
     * @param file the CSV file to write
     */
    public CsvLogger(Path file) {
        if (file == null) {
            throw new NullPointerException("file");
        }
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
            throw new IllegalArgumentException("CSV log " + file + ": directory " + absolute.getParent()
                    + " does not exist");
        }
        this.file = absolute;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        text.setLength(0);
        text.append(HEADER).append('\n');
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (text.length() == 0) {
            text.append(HEADER).append('\n');
        }
        text.append(s.epoch()).append(',')
                .append(number(s.trainLoss())).append(',')
                .append(number(s.trainAccuracy())).append(',')
                .append(number(s.validationLoss())).append(',')
                .append(number(s.validationAccuracy())).append(',')
                .append(number(s.learningRate())).append(',')
                .append(String.format(Locale.ROOT, "%.3f", s.elapsedMillis() / 1000.0)).append('\n');
        writeAtomically(file, text.toString());
    }

    /** Shortest decimal that reads back as the same double; empty for NaN (a missing value). */
    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /**
     * Writes {@code content} to {@code target} atomically: a temporary file in the target's directory, forced
     * to disk, then moved over the target.
     */
    static void writeAtomically(Path target, String content) {
        Path dir = target.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the training log " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /**
     * The file this logger writes.
     *
     * @return its absolute path
     */
    public Path file() {
        return file;
    }
}
