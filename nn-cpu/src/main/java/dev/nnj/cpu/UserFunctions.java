package dev.nnj.cpu;

import dev.nnj.api.ElementFunction;
import dev.nnj.api.PairFunction;

/**
 * The generic elementwise ops of {@link dev.nnj.api.Backend} that call a user's function: one call per
 * element in index order, in the calling thread (a user function is not required to be thread-safe in
 * practice, whatever its contract says, and the interface call dominates the cost anyway).
 */
final class UserFunctions {
    private UserFunctions() {
    }

    /** {@code out[i] = f(x[i])}. */
    static void map(ElementFunction f, float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = f.apply(x[i]);
        }
    }

    /** {@code out[i] = scale · f(a[i], b[i])}. */
    static void map(PairFunction f, float scale, float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = scale * f.apply(a[i], b[i]);
        }
    }

    /** {@code Σ f(a[i], b[i])} in double. */
    static double sum(PairFunction f, float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += f.apply(a[i], b[i]);
        }
        return sum;
    }
}
