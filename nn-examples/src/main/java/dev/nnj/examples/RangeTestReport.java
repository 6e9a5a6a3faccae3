package dev.nnj.examples;

import dev.nnj.api.train.LearningRateFinder;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code --find-lr} prints: the learning-rate range test's curve, every tenth step and the last, then where it
 * stopped and the rates it suggests, with the option that trains at the suggestion.
 */
final class RangeTestReport {
    private RangeTestReport() {
    }

    /**
     * Prints the curve and the suggestion.
     *
     * @param out        where to print
     * @param r          the test's result
     * @param stepsAsked the steps the test was asked for
     * @param fullBatch  whether every step saw every training row (the suggestion is then the minimum's / 10)
     */
    static void print(PrintWriter out, LearningRateFinder.Result r, int stepsAsked, boolean fullBatch) {
        double[] rates = r.learningRates();
        double[] losses = r.losses();
        double[] smoothed = r.smoothedLosses();
        out.printf(Locale.ROOT, "  %5s  %9s  %10s  %9s%n", "step", "rate", "batch loss", "smoothed");
        for (int t = 0; t < r.steps(); t++) {
            if (t % 10 == 0 || t == r.steps() - 1) {
                out.print(Fixed.format("  %5d  %9.2e  %10.4f  %9.4f%n", t + 1, rates[t], losses[t], smoothed[t]));
            }
        }
        if (r.diverged()) {
            out.printf(Locale.ROOT, "Stopped at step %d of %d: the smoothed loss passed 4 times its lowest, or a loss "
                    + "was not finite (the rate is past what trains)%n", r.steps(), stepsAsked);
        }
        if (Double.isNaN(r.suggestion())) {
            out.println("No suggestion: the test took no step");
            return;
        }
        if (fullBatch) {
            out.printf(Locale.ROOT, "Suggested learning rate: %s (the lowest smoothed loss's rate / 10: a full batch's "
                    + "loss falls over the whole range, where fast.ai's valley would be only its midpoint)%n",
                    rate(r.suggestion()));
        } else {
            // A minimum in the sweep's first tenth is where the loss had not begun to move: a noisy first batch
            // smoothed, not a rate that trains, and a tenth of it is below the sweep.
            boolean early = r.steps() > 0 && 10 * r.minimumOverTen() <= rates[(r.steps() - 1) / 10];
            out.printf(Locale.ROOT, "Suggested learning rate: %s (fast.ai's valley: part-way along the longest fall of "
                    + "the smoothed loss); %s%n", rate(r.suggestion()), early ? "the smoothed loss was lowest in the "
                    + "sweep's first tenth, before it moved, so its rate / 10 says nothing"
                    : "the lowest smoothed loss's rate / 10: " + rate(r.minimumOverTen()));
        }
        out.printf(Locale.ROOT, "  train with it: --learning-rate %s, or as the peak of a one-cycle schedule: "
                + "--lr-schedule one-cycle --learning-rate %<s%n", rate(r.suggestion()));
    }

    /** Two significant digits, as a number the command line takes back: 0.0032, 3.2e-05. */
    static String rate(double rate) {
        String s = String.format(Locale.ROOT, "%.2g", rate);
        return s.contains("e") ? s.replace("e-0", "e-").replace("e+0", "e") : s;
    }
}
