package dev.nnj.examples;

import dev.nnj.api.train.TrainingListener;
import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How the digits trainer shows training progress: a live progress bar when the output is a terminal, plain
 * periodic lines when it is not (a CI log, a pipe, a file), never both. A picocli mixin.
 */
public final class ProgressOptions {

    /** The options at their defaults, until picocli parses a command line into them. */
    public ProgressOptions() {
    }

    /** Where progress goes. */
    public enum Style {
        /** A bar on a terminal, lines otherwise. */
        AUTO,
        /** Always the live bar (redrawn in place with carriage returns). */
        BAR,
        /** Always plain lines, one every {@code --progress-every} epochs. */
        LINES;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--progress", paramLabel = "STYLE", converter = StyleConverter.class,
            completionCandidates = StyleNames.class,
            description = "auto (default): a live progress bar when the output is a terminal, else a line every "
                    + "--progress-every epochs; bar or lines to choose. --progress-every 0 shows neither.")
    Style style = Style.AUTO;

    /** Where a bar is drawn; the terminal itself, replaced in tests. */
    PrintStream terminal = System.out;
    /** Characters a bar line may take; 0 asks the terminal for its width. Set in tests. */
    int width;

    /**
     * The listener that shows one run's progress.
     *
     * @param out         where lines go (the command's output)
     * @param prefix      put before every line, e.g. {@code "seed 3  "}; may be empty
     * @param every       a line every this many epochs; 0 shows no progress at all
     * @param epochs      epochs requested
     * @param batches     batches per epoch
     * @param checkedName the set evaluated after every epoch, {@code "test"} or {@code "val"}
     * @return a listener whose {@code onTrainingEnd} finishes the display
     */
    public TrainingListener listener(PrintWriter out, String prefix, int every, int epochs, int batches,
                                     String checkedName) {
        if (every > 0 && (style == Style.BAR || (style == Style.AUTO && outputIsTerminal()))) {
            out.flush();   // what was printed so far comes before the bar
            return new ProgressBarListener(terminal, prefix.isBlank() ? "Training" : prefix.strip(), epochs,
                    batches, checkedName, unicodeOutput(), width > 0 ? width
                    // One column short of the width, as a terminal's is drawn, so that no line wraps.
                    : outputIsTerminal() ? 0 : Math.max(0, columnsVariable(System.getenv("COLUMNS")) - 1));
        }
        return new ProgressLines(out, prefix, every, checkedName);
    }

    /**
     * The width a {@code COLUMNS} variable asks for, as programs that draw to a pipe read it (a terminal answers for
     * itself): {@code COLUMNS=50 digits --progress bar | cat} draws 49-character lines, not the 80 of no terminal.
     *
     * @param value the variable's value, or null
     * @return the width, or 0 when the variable is unset or not a width from 20 to 1000
     */
    static int columnsVariable(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int columns = Integer.parseInt(value.strip());
            return columns >= 20 && columns <= 1000 ? columns : 0;
        } catch (NumberFormatException notAWidth) {
            return 0;
        }
    }

    /**
     * Ends the display of a run, whether its training completed or failed. The trainer calls
     * {@code onTrainingEnd} only when training completes: after a failure a bar would go on drawing over the
     * error message, and keep its interrupt hook. Nothing to do for lines, or after {@code onTrainingEnd}.
     *
     * @param listener what {@link #listener} returned
     */
    static void finish(TrainingListener listener) {
        if (listener instanceof ProgressBarListener bar) {
            bar.close();
        }
    }

    /**
     * Whether standard output is an interactive terminal: {@link System#console()} exists (on Java 17 only
     * when neither input nor output is redirected) and, from Java 22, {@code Console.isTerminal()} agrees;
     * a {@code TERM=dumb} terminal cannot redraw a line.
     *
     * @return true when a bar can be redrawn in place
     */
    static boolean outputIsTerminal() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            // Java 22+ returns a console even for redirected output; isTerminal() tells the two apart.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Block characters need a Unicode terminal; otherwise the bar is drawn in ASCII. */
    private static boolean unicodeOutput() {
        String encoding = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding",
                System.getProperty("native.encoding", Charset.defaultCharset().name())));
        return encoding.toUpperCase(Locale.ROOT).replace("-", "").startsWith("UTF8");
    }

    /** Parses {@code --progress}, naming the allowed values in its error. */
    static final class StyleConverter extends Converters.EnumConverter<Style> {
        StyleConverter() {
            super(Style.class);
        }
    }

    /** The {@code --progress} values for help and completion. */
    static final class StyleNames extends Converters.EnumNames<Style> {
        StyleNames() {
            super(Style.class);
        }
    }
}
