package dev.nnj.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * How {@code digits} reports a bad command line: one line on stderr, {@code digits: <what> (see digits --help)},
 * with the option it most likely meant for a typo ({@code --epoch}: did you mean {@code --epochs}?), and exit
 * status 2.
 */
final class UsageErrors {
    /** Picocli's start of a bad value's message for an option that takes several: {@code option '--hidden' (N):}. */
    private static final Pattern MULTI_VALUE_LABEL =
            Pattern.compile("^(Invalid value for option '[^']+') \\([^)]*\\):");

    private UsageErrors() {
    }

    /**
     * Prints a usage error as one line naming the option and what it accepts, so that it reads well in a terminal
     * and in a script's log: picocli's parameter-exception handler for {@code digits} and its subcommand.
     *
     * @param e    the usage error
     * @param args the command line
     * @return {@link DigitsTrainer#EXIT_USAGE}
     */
    static int report(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String unknown = unknownArgument(e);
        String message = unknown != null ? unknown : e.getMessage() == null ? e.toString() : e.getMessage().strip();
        message = firstLine(message);
        // A multi-value option's message names its value label too ("option '--hidden' (N): "): the option is enough.
        message = MULTI_VALUE_LABEL.matcher(message).replaceFirst("$1:");
        message = lowerFirstWord(message);
        err.println("digits: " + message + " (see " + e.getCommandLine().getCommandSpec().qualifiedName()
                + " --help)");
        err.flush();
        return DigitsTrainer.EXIT_USAGE;
    }

    /**
     * The message's first line, where a line break inside a quoted value ({@code --delimiter $'\n'}) is written
     * {@code \n} rather than taken for the line's end, which would cut the message to {@code invalid value for option
     * '--delimiter': '}.
     */
    static String firstLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        boolean quoted = false;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            // A quote opens after a space or a colon ('--delimiter': 'x') and closes before a non-letter, so that an
            // apostrophe (isn't, the columns' names) is no quote.
            boolean opens = !quoted && (i == 0 || message.charAt(i - 1) == ' ' || message.charAt(i - 1) == ':');
            boolean closes = quoted && (i + 1 == message.length() || !Character.isLetterOrDigit(message.charAt(i + 1)));
            if (c == '\'' && (opens || closes)) {
                quoted = !quoted;
            } else if (c == '\n' || c == '\r') {
                if (!quoted) {
                    break;
                }
                line.append(c == '\n' ? "\\n" : "\\r");
                continue;
            }
            line.append(c);
        }
        return line.toString().strip();
    }

    /** The subcommands, for suggestions: the same whether or not this command line was built with them. */
    static final List<String> SUBCOMMANDS = List.of("predict", "convert", "inspect");

    /**
     * For a command line with an argument picocli matched to nothing: the first unknown option (a value after it is
     * no option: {@code --epoch 3} is one mistake), or else the first stray word, with the name it most likely meant.
     * Picocli reports a missing required option before an unknown one, so {@code predict --modle m.st} said only that
     * {@code --model} was missing: the typo comes first here whatever the exception.
     *
     * @param e the usage error
     * @return {@code "unknown option '--epoch'; did you mean '--epochs'?"}, or null when every argument matched
     */
    static String unknownArgument(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        List<String> unmatched = e instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
                : cl.getUnmatchedArguments();
        if (unmatched == null || unmatched.isEmpty()) {
            return null;
        }
        List<String> options = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            for (String name : o.names()) {
                if (name.startsWith("--")) {
                    options.add(name);
                }
            }
        }
        boolean top = cl.getCommandSpec().parent() == null;
        String first = unmatched.get(0);
        String subcommand = top && !first.startsWith("-") ? closest(first, SUBCOMMANDS) : null;
        if (subcommand != null) {
            // 'predcit --model m.st': the options after a mistyped subcommand are its, not the typo.
            return "unexpected argument '" + first + "'; did you mean the subcommand '" + subcommand + "'?";
        }
        for (String arg : unmatched) {
            if (arg.startsWith("-") && arg.length() > 1 && !arg.matches("-[0-9.].*")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String meant = closest(name, options);
                return "unknown option '" + name + "'" + (meant != null ? "; did you mean '" + meant + "'?" : "");
            }
        }
        return "unexpected argument '" + first + "'" + (top ? "; digits takes options and the subcommands "
                + String.join(", ", SUBCOMMANDS.subList(0, SUBCOMMANDS.size() - 1)) + " and "
                + SUBCOMMANDS.get(SUBCOMMANDS.size() - 1) : "; " + takes(cl));
    }

    /**
     * What a subcommand takes, in words: {@code predict takes options only}, {@code convert takes IN, OUT and
     * options}.
     */
    private static String takes(CommandLine cl) {
        List<String> labels = new ArrayList<>();
        for (CommandLine.Model.PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
            labels.add(p.paramLabel());
        }
        return cl.getCommandName() + " takes " + (labels.isEmpty() ? "options only"
                : String.join(", ", labels) + " and options");
    }

    /**
     * picocli's sentence, begun in lower case as every message of the program is ("missing required option"); but a
     * message that begins with a file's name keeps it as typed: "Ck/last.safetensors was saved after epoch 15" named
     * a file that does not exist as "ck/last.safetensors", and "My Models/last.safetensors" as "my Models/...". So
     * only the words picocli begins its own sentences with are lowered.
     */
    static String lowerFirstWord(String message) {
        int end = 0;
        while (end < message.length() && Character.isLetter(message.charAt(end))) {
            end++;
        }
        boolean sentence = end < message.length() && message.charAt(end) == ' '
                && PICOCLI_FIRST_WORDS.contains(message.substring(0, end));
        return sentence ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }

    /** The words picocli's own messages begin with (and this program's "Invalid value for option ..."). */
    private static final java.util.Set<String> PICOCLI_FIRST_WORDS = java.util.Set.of("Missing", "Unknown",
            "Unmatched", "Invalid", "Expected", "Error", "Value", "Ambiguous", "Could", "Option", "Parameter",
            "Positional", "Duplicate", "Arity", "Mutually", "Required", "Too", "Cannot", "No");

    /**
     * The name {@code typed} most likely meant: the nearest by edit distance (a swap of two neighbours counts one),
     * when within a third of its length (at least 1, at most 3), else the only name that starts with it.
     *
     * @param typed what was typed, e.g. {@code --epoch}
     * @param names the names it may have meant
     * @return the closest name, or null when none is close
     */
    static String closest(String typed, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = typed.toLowerCase(Locale.ROOT);
        for (String name : names) {
            int d = editDistance(lower, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        String bare = lower.replaceFirst("^-+", "");
        if (best != null && bestDistance <= Math.max(1, Math.min(3, bare.length() / 3))) {
            return best;
        }
        String prefixed = null;
        for (String name : names) {
            if (bare.length() >= 3 && name.replaceFirst("^-+", "").startsWith(bare)) {
                if (prefixed != null) {
                    return null;   // --save: --save-layout or --save...? no guess
                }
                prefixed = name;
            }
        }
        return prefixed;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
