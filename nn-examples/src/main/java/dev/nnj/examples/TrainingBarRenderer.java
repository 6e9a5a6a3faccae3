package dev.nnj.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Draws the training progress bar's line so that it fits the terminal. On 80 columns:
 * <pre>
 *   Training  37% |████▊        |  370/1000 00:02&lt;00:03 loss 0.1022 test acc 0.9611
 * </pre>
 * that is the task, the percentage done, the bar, epochs done out of epochs requested, the time elapsed and the
 * estimated time left (tqdm's {@code elapsed<left}), then the fields the trainer passes to {@link #show}.
 * <p>
 * The progressbar library's own renderer gives the text after the bar precedence over the bar (which it lets
 * shrink to one cell) and cuts that text at the terminal's edge, mid-word; on 80 columns that left a one-cell
 * bar and cut off the accuracy. Here the text after the epoch counter is whole pieces: the time first, then
 * each {@link Field} by its rank. They are taken in that order while they fit beside a bar of {@value #MIN_BAR}
 * cells, shown in their display order, and the bar gets the width left over.
 * <p>
 * Where even the task, percentage, a {@value #MIN_BAR}-cell bar and the epoch counter do not fit, the bar
 * shrinks, down to one cell, and below that the bar goes and whole pieces are kept: {@code Training 37% 370/1000},
 * then {@code 37% 370/1000}, then {@code 37%}. Widths count one column per character, which holds for the ASCII
 * labels and the block characters drawn here.
 */
final class TrainingBarRenderer implements ProgressBarRenderer {
    /** The bar's width when the terminal is too narrow for everything; the fields give way first. */
    static final int MIN_BAR = 12;
    /** Eighths of a cell, for the bar's leading edge; index 0 is an empty cell. */
    private static final String EIGHTHS = " ▏▎▍▌▋▊▉";

    /**
     * A piece of text after the bar.
     *
     * @param text what is shown, labelled so that it reads alone (e.g. {@code "test acc 0.9611"})
     * @param rank importance, 0 the highest: the lower the rank, the later it is dropped (the time, which
     *             outranks every field, has -1)
     */
    record Field(String text, int rank) {
    }

    private final int batchesPerEpoch;
    private final boolean unicode;
    /** Set once per epoch from the training thread, read by the library's redraw thread. */
    private volatile List<Field> fields = List.of();
    /** Whether the run stopped before its last epoch: the final line then says so, with no time left. */
    private volatile boolean stoppedEarly;
    /** Batches a resumed run had done before this one started: the time left is estimated from the rest only. */
    private volatile long doneBefore;

    /**
     * @param batchesPerEpoch the bar counts batches; the counter shows epochs
     * @param unicode         draw with Unicode blocks rather than ASCII
     */
    TrainingBarRenderer(int batchesPerEpoch, boolean unicode) {
        this.batchesPerEpoch = batchesPerEpoch;
        this.unicode = unicode;
    }

    /**
     * Replaces the fields shown after the time.
     *
     * @param fields in display order
     */
    void show(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * A resumed run starts at {@code batches} done: the time left is estimated from the batches this run has done.
     *
     * @param batches the batches of the epochs the checkpoint had done
     */
    void startAt(long batches) {
        this.doneBefore = batches;
    }

    /** Marks the run as stopped early (early stopping, a listener): the bar ends short of its end, and says why. */
    void stoppedEarly() {
        this.stoppedEarly = true;
    }

    @Override
    public String render(ProgressState progress, int maxLength) {
        return render(progress.getTaskName(), progress.getCurrent(), progress.getStart(), progress.getMax(),
                progress.getElapsedAfterStart(), progress.getTotalElapsed(), maxLength);
    }

    /**
     * The line of {@code bar} at {@code current}, a position read before: training goes on while the line is
     * drawn, and the line must agree with what the caller says of that position.
     *
     * @param bar       the bar drawn
     * @param current   batches done
     * @param maxLength characters available
     * @return the line
     */
    String render(ProgressBar bar, long current, int maxLength) {
        return render(bar.getTaskName(), current, bar.getStart(), bar.getMax(), bar.getElapsedAfterStart(),
                bar.getTotalElapsed(), maxLength);
    }

    private String render(String task, long current, long start, long max, Duration sinceStart, Duration elapsed,
                          int maxLength) {
        long from = Math.max(start, doneBefore);
        Duration left = timeLeft(current - from, max - current, max - from, sinceStart, batchesPerEpoch);
        return line(task, current, max, batchesPerEpoch, time(elapsed, left, stoppedEarly), fields, unicode,
                maxLength);
    }

    /**
     * The time piece: {@code 00:02<00:03}, elapsed and left ({@code ?} before an estimate), or once a run has
     * stopped early {@code 00:02 stopped early}, as no time is left and the bar ends short.
     *
     * @param elapsed      time since the run started
     * @param left         the estimate of time left, or null for none yet
     * @param stoppedEarly whether the run stopped before its last epoch
     * @return the piece
     */
    static String time(Duration elapsed, Duration left, boolean stoppedEarly) {
        return interval(elapsed) + (stoppedEarly ? " stopped early" : "<" + (left == null ? "?" : interval(left)));
    }

    /**
     * The estimated time left, or null ({@code ?}) until there is a rate worth extrapolating: the first epoch's
     * first batches run while the JIT compiles the kernels, many times slower than the rest, and an estimate from them
     * read {@code 0/50 00:00<1:40:09} for a run of a minute. So: linear, as the library's (the time per batch so far
     * times the batches left), once a whole epoch is done, or a tenth of the run when that is less (a run of one long
     * epoch).
     *
     * @param done            batches done since the bar started
     * @param remaining       batches left
     * @param total           batches from the start to the end
     * @param sinceStart      time since the bar started
     * @param batchesPerEpoch batches in an epoch
     * @return the estimate, or null for none yet
     */
    static Duration timeLeft(long done, long remaining, long total, Duration sinceStart, int batchesPerEpoch) {
        long enough = Math.max(1, Math.min(batchesPerEpoch, total / 10));
        return done < enough ? null : sinceStart.multipliedBy(remaining).dividedBy(done);
    }

    /**
     * The line, at most {@code width} characters.
     *
     * @param task            the label before the percentage
     * @param current         batches done
     * @param max             batches in the run
     * @param batchesPerEpoch batches per epoch, for the epoch counter
     * @param time            elapsed and estimated time left, e.g. {@code "00:02<00:03"}
     * @param fields          the fields after the time, in display order
     * @param unicode         Unicode blocks rather than ASCII
     * @param width           characters available
     * @return the line
     */
    static String line(String task, long current, long max, int batchesPerEpoch, String time, List<Field> fields,
                       boolean unicode, int width) {
        if (width <= 0) {
            return "";
        }
        double fraction = max <= 0 ? 0 : Math.min(1.0, (double) current / max);
        String head = String.format(Locale.ROOT, "%s %3d%% %s", task, (int) Math.floor(100 * fraction),
                unicode ? "|" : "[");
        String epochs = Long.toString(max / batchesPerEpoch);
        String counter = String.format(Locale.ROOT, "%s %" + epochs.length() + "d/%s", unicode ? "|" : "]",
                current / batchesPerEpoch, epochs);
        if (width < head.length() + 1 + counter.length()) {
            return compact(task, (int) Math.floor(100 * fraction), current / batchesPerEpoch, epochs, width);
        }

        List<Field> pieces = new ArrayList<>(fields.size() + 1);
        pieces.add(new Field(time, -1));
        pieces.addAll(fields);
        // Take pieces by rank while they fit beside a bar of MIN_BAR cells; the first that does not fit ends it,
        // so a less important piece never shows while a more important one is hidden.
        List<Integer> byRank = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            byRank.add(i);
        }
        byRank.sort(Comparator.comparingInt(i -> pieces.get(i).rank()));   // stable: equal ranks keep their order
        boolean[] kept = new boolean[pieces.size()];
        int room = width - head.length() - MIN_BAR - counter.length();
        for (int i : byRank) {
            int cost = 1 + pieces.get(i).text().length();
            if (cost > room) {
                break;
            }
            kept[i] = true;
            room -= cost;
        }
        StringBuilder tail = new StringBuilder(counter);
        for (int i = 0; i < pieces.size(); i++) {
            if (kept[i]) {
                tail.append(' ').append(pieces.get(i).text());
            }
        }

        int bar = Math.max(1, width - head.length() - tail.length());
        StringBuilder sb = new StringBuilder(width + 8).append(head);
        double cells = fraction * bar;
        int full = (int) cells;
        sb.append(String.valueOf(unicode ? '█' : '=').repeat(full));
        if (full < bar) {
            sb.append(unicode ? EIGHTHS.charAt((int) ((cells - full) * EIGHTHS.length())) : ' ');
            sb.append(" ".repeat(bar - full - 1));
        }
        sb.append(tail);
        return sb.length() <= width ? sb.toString() : sb.substring(0, width);
    }

    /**
     * A line too narrow for even a one-cell bar: the first of {@code Training 37% 370/1000}, {@code 37% 370/1000} and
     * {@code 37%} that fits, whole. Cut at the edge, the counter read as another number ({@code 100/10} of 1000).
     */
    private static String compact(String task, int percent, long epochsDone, String epochs, int width) {
        String pct = percent + "%";
        String count = epochsDone + "/" + epochs;
        for (String line : new String[] {task + " " + pct + " " + count, pct + " " + count, pct}) {
            if (line.length() <= width) {
                return line;
            }
        }
        return "";
    }

    /** {@code MM:SS}, or {@code H:MM:SS} from an hour on (tqdm's format). */
    static String interval(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
